"""Spreadsheet imports: reading what offices send, matching, preview, all-or-nothing writes."""

import datetime
import hashlib
import io
import re
import zipfile

import pytest
from django.core.management import call_command

from awards import imports, roles
from awards.choices import Rank, TitleFor
from awards.imports import FileRefused
from awards.models import AuditEntry, Award, Decision, Person, Unit
from tests import factories
from tests.importfiles import HEADERS, cp1258, csv_bytes, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    top = factories.unit(full_name="Cục Quản lý công nghệ", short_name="Cục QLCN")
    plan = factories.unit(parent=top, full_name="Phòng Kế hoạch", short_name="PKH")
    tech = factories.unit(parent=top, full_name="Phòng Kỹ thuật", short_name="PKT")
    people = {
        "an": factories.person(full_name="Nguyễn Văn An", rank=Rank.DAI_UY, unit_=plan, service_number="QN-001"),
        "binh": factories.person(full_name="Trần Thị Bình", rank=Rank.THIEU_TA, unit_=plan),
        "huy1": factories.person(full_name="Lê Quang Huy", unit_=tech),
        "huy2": factories.person(full_name="Lê Quang Huy", unit_=tech),
    }
    title = factories.title(name="Giấy khen", code="gk", recipient_for=TitleFor.BOTH)
    authority = factories.authority(name="Cục trưởng Cục Quản lý công nghệ")
    return {"top": top, "plan": plan, "tech": tech, "people": people, "title": title, "authority": authority,
            "officer": factories.user(role=roles.OFFICER, scope=top)}


def decision(office, number="30/QĐ-QLCN"):
    return Decision(number=number, date=datetime.date(2022, 1, 14), authority=office["authority"],
                    achievement_year=2021, title=office["title"], signer_name="Vũ Thanh Bình",
                    signer_title="CỤC TRƯỞNG", reason="Đã có thành tích năm 2021")


def table(data, name="ds.xlsx", **kw):
    return imports.read_table(data, name, known_headers=imports.count_known_headers, **kw)


def recipients(office, data, name="ds.xlsx", number="30/QĐ-QLCN"):
    return imports.preview_recipients(table(data, name), decision=decision(office, number))


def state():
    """Row counts and a checksum of the content that an import may touch."""
    digest = hashlib.sha256()
    for model in (Person, Unit, Decision, Award, AuditEntry):
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return tuple(m.objects.count() for m in (Person, Unit, Decision, Award, AuditEntry)), digest.hexdigest()


# ---- headers and shapes ---------------------------------------------------------------------

@pytest.mark.parametrize("header, key", [
    ("Họ và tên", "name"), ("  HỌ VÀ   TÊN ", "name"), ("ho va ten", "name"), ("Họ tên", "name"),
    ("Số hiệu quân nhân", "service_number"), ("SỐ HIỆU", "service_number"), ("Danh hiệu/Hình thức", "title"),
    ("danh hieu - hinh thuc", "title"), ("Đơn vị", "unit"), ("ĐƠN VỊ", "unit"), ("Ghi chú", None),
])
def test_headers_match_by_name_ignoring_case_accents_and_spaces(header, key):
    assert imports.header_key(header) == key


def test_columns_in_any_order_under_merged_title_rows_on_the_first_visible_sheet(office):
    headers = ["Thành tích", "ĐƠN VỊ", "Số hiệu", "ho va ten", "STT"]
    data = xlsx([["Xuất sắc", "Phòng Kế hoạch", "QN-001", "Nguyễn Văn An", 1]], headers=headers,
                title_rows=[["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2021"], ["(Kèm theo tờ trình số 12)"], []],
                hidden_first=True)
    preview = recipients(office, data)
    assert preview.sheet == "Danh sách" and preview.sheets == ["Danh sách"]
    [row] = preview.rows
    assert row.number == 5 and row.person == office["people"]["an"] and row.status == imports.core.READY
    assert row.values["achievement"] == "Xuất sắc"


def test_formula_cells_and_trailing_empty_rows(office):
    data = xlsx([["=ROW()-1", "Nguyễn Văn An", "Đại úy", "", "PKH", "QN-001", "", ""], [], [None, None], ["", ""]])
    preview = recipients(office, data)
    assert len(preview.rows) == 1 and preview.errors == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258"])
def test_csv_in_the_three_encodings_offices_use(office, encoding):
    rows = [["1", "Trần Thị Bình", "Thiếu tá", "Trợ lý", "Phòng Kế hoạch", "", "Giấy khen", "Hoàn thành xuất sắc"]]
    if encoding == "cp1258":
        out = io.BytesIO()
        for line in [HEADERS] + rows:
            out.write(cp1258(",".join(line)) + b"\r\n")
        data = out.getvalue()
    else:
        data = csv_bytes(rows, encoding=encoding)
    [row] = recipients(office, data, name="ds.csv").rows
    assert row.person == office["people"]["binh"] and row.values["achievement"] == "Hoàn thành xuất sắc"


def test_csv_in_windows_1252(office):
    # A Western export: headers without accents, names with the accents 1252 has (ò ì ý õ ã …).
    factories.person(full_name="Võ Hoàng Lý", unit_=office["plan"])
    data = ("Ho va ten;Don vi\r\nVõ Hoàng Lý;PKH\r\nLìu Hoàng;PKH\r\n").encode("cp1252")
    rows = recipients(office, data, name="ds.csv").rows
    assert [r.values["name"] for r in rows] == ["Võ Hoàng Lý", "Lìu Hoàng"]
    assert rows[0].person.full_name == "Võ Hoàng Lý" and not rows[0].new_person and rows[1].new_person


def test_nfd_text_is_matched(office):
    import unicodedata

    data = xlsx([["1", unicodedata.normalize("NFD", "Trần Thị Bình"), "", "", unicodedata.normalize("NFD", "Phòng Kế hoạch")]])
    [row] = recipients(office, data).rows
    assert row.person == office["people"]["binh"] and row.status == imports.core.READY


@pytest.mark.parametrize("value", [datetime.datetime(1985, 1, 14), "14/01/1985", 31061, "31061", "1985-01-14"])
def test_the_three_forms_of_date(value):
    assert imports.parse_date(value) == datetime.date(1985, 1, 14)


# ---- matching -----------------------------------------------------------------------------------

def test_matching_by_service_number_name_and_unit_and_ambiguity(office):
    data = xlsx([
        ["1", "Nguyen Van An", "", "", "Phòng Kỹ thuật", "QN-001"],         # service number wins
        ["2", "Tran Thi Binh", "", "", "PKH", ""],                              # accent-folded match, warned
        ["3", "Lê Quang Huy", "", "", "Phòng Kỹ thuật", ""],                   # two of them: flagged
        ["4", "Phạm Văn Mới", "Trung úy", "Trợ lý", "PKT", "QN-777"],           # new person
        ["5", "Phòng Kế hoạch", "", "", "Phòng Kế hoạch", ""],                  # the collective
        ["6", "Hoàng Văn Lạc", "", "", "Phòng Không Có", ""],                  # unknown unit
    ])
    rows = recipients(office, data).rows
    assert rows[0].person == office["people"]["an"] and rows[0].status == "warning"
    assert [p[0] for p in rows[0].problems] == ["Họ và tên", "Đơn vị"]  # accents, and the unit differs
    assert rows[1].person == office["people"]["binh"] and "không dấu" in rows[1].problems[0][1]
    assert rows[2].status == "error" and rows[2].problems[0][0] == "Họ và tên" and "2 người" in rows[2].problems[0][1]
    assert rows[3].new_person and rows[3].person.rank == Rank.TRUNG_UY and rows[3].status == "warning"
    assert rows[4].unit == office["plan"] and rows[4].person is None
    assert rows[5].status == "error" and rows[5].problems[0][0] == "Đơn vị"


def test_recipients_import_writes_all_or_nothing_and_a_second_time_adds_nothing(office):
    data = xlsx([
        ["1", "Nguyễn Văn An", "Đại úy", "", "PKH", "QN-001", "", "Hoàn thành xuất sắc nhiệm vụ"],
        ["2", "Phạm Văn Mới", "Trung úy", "Trợ lý", "PKT", "QN-777", "Giấy khen", ""],
        ["3", "Phòng Kế hoạch", "", "", "Phòng Kế hoạch", "", "", ""],
    ])
    preview = recipients(office, data)
    made = imports.commit_recipients(preview, by=office["officer"], decision=decision(office))
    assert [a.recipient_name for a in made.awards.order_by("seq")] == ["Nguyễn Văn An", "Phạm Văn Mới", "Phòng Kế hoạch"]
    assert Person.objects.get(service_number="QN-777").unit == office["tech"]
    before = state()
    again = recipients(office, data)
    assert again.nothing_new and again.count("unchanged") == 3
    assert imports.commit_recipients(again, by=office["officer"], decision=decision(office)) is None
    assert state() == before


def test_a_bad_row_refuses_the_whole_file(office):
    data = xlsx([["1", "Nguyễn Văn An", "", "", "PKH", "QN-001"], ["2", "Lê Quang Huy", "", "", "PKT", ""]])
    before = state()
    preview = recipients(office, data)
    with pytest.raises(imports.ImportRefused):
        imports.commit_recipients(preview, by=office["officer"], decision=decision(office))
    assert state() == before


def test_roster_creates_and_updates_and_is_idempotent(office):
    data = xlsx([
        ["1", "Nguyễn Văn An", "Thiếu tá", "Trưởng ban", "PKH", "QN-001", "14/01/1985"],
        ["2", "Đỗ Thị Mai", "", "Nhân viên", "PKT", "QN-900", 31061],
        ["3", "Trần Thị Bình", "Thiếu tá", "", "PKH", "", datetime.datetime(1990, 5, 2)],
    ], headers=["STT", "Họ và tên", "Cấp bậc", "Chức vụ", "Đơn vị", "Số hiệu quân nhân", "Ngày sinh"])
    preview = imports.preview_roster(table(data))
    assert [r.status for r in preview.rows] == ["warning", "warning", "warning"]
    result = imports.commit_roster(preview, by=office["officer"])
    assert result == {"created": 1, "updated": 2}
    an = Person.objects.get(service_number="QN-001")
    assert (an.rank, an.position, an.birth_date) == (Rank.THIEU_TA, "Trưởng ban", datetime.date(1985, 1, 14))
    assert Person.objects.get(service_number="QN-900").birth_date == datetime.date(1985, 1, 14)
    assert AuditEntry.objects.filter(content_type__model="person", note="đã nhập từ tệp").count() == 3
    before = state()
    again = imports.preview_roster(table(data))
    assert again.nothing_new and again.count("unchanged") == 3
    imports.commit_roster(again, by=office["officer"])
    assert state() == before


# ---- the bad-file corpus ----------------------------------------------------------------------

def _zip_bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (150 * 1024 * 1024))
    return out.getvalue()


def _zip_not_xlsx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return out.getvalue()


def _truncated_xlsx():
    return xlsx([["1", "Nguyễn Văn An", "", "", "PKH"]])[:600]


def _encrypted():
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000


OK_ROW = ["1", "Nguyễn Văn An", "Đại úy", "", "PKH", "QN-001", "", ""]
BAD_FILES = [
    # (case, file name, bytes or a function making them, expected words; whole-file refusals)
    ("empty", "ds.xlsx", b"", "trống"),
    ("pdf named xlsx", "ds.xlsx", b"%PDF-1.4 not a workbook", "không phải"),
    ("word document", "ds.docx", b"PK\x03\x04 word", "không phải bảng tính"),
    ("image", "ds.png", b"\x89PNG\r\n\x1a\n", "Chỉ nhập được"),
    ("executable", "ds.exe", b"MZ\x90\x00", "Chỉ nhập được"),
    ("encrypted or old xls", "ds.xlsx", _encrypted, "mật khẩu"),
    ("old xls", "ds.xls", _encrypted, "mật khẩu"),
    ("truncated xlsx", "ds.xlsx", _truncated_xlsx, "hỏng"),
    ("zip but not a workbook", "ds.xlsx", _zip_not_xlsx, "không phải"),
    ("decompression bomb", "ds.xlsx", _zip_bomb, "không an toàn"),
    ("binary named csv", "ds.csv", b"\x00\x01\x02binary", "không phải tệp văn bản"),
    ("too big", "ds.csv", b"a" * (11 * 1024 * 1024), "giới hạn"),
    ("no header row", "ds.csv", "Nguyễn Văn An,PKH\nTrần Thị Bình,PKH\n".encode(), "tiêu đề"),
    ("headers too far down", "ds.xlsx", lambda: xlsx([OK_ROW], title_rows=[["x"]] * 25), "tiêu đề"),
    ("missing unit column", "ds.csv", lambda: csv_bytes([["1", "Nguyễn Văn An"]], headers=["STT", "Họ và tên", "Số hiệu"]), "Đơn vị"),
    ("missing name column", "ds.csv", lambda: csv_bytes([["PKH", "QN-1"]], headers=["Đơn vị", "Số hiệu quân nhân"]), "Họ và tên"),
    ("too many rows", "ds.csv", lambda: csv_bytes([OK_ROW] * 50001), "50000"),
    ("headers only on a hidden sheet", "ds.xlsx", None, "tiêu đề"),
]
BAD_ROWS = [
    # (case, a row after the headers, column named, expected words)
    ("empty name", ["1", "", "", "", "PKH"], "Họ và tên", "trống"),
    ("empty unit", ["1", "Nguyễn Văn An", "", "", ""], "Đơn vị", "trống"),
    ("unknown unit", ["1", "Nguyễn Văn An", "", "", "Phòng Ma"], "Đơn vị", "Không có đơn vị"),
    ("ambiguous unit", ["1", "Nguyễn Văn An", "", "", "Trùng Tên"], "Đơn vị", "đơn vị"),
    ("not a rank", ["1", "Nguyễn Văn An", "Thống chế", "", "PKH", "QN-001"], "Cấp bậc", "không phải cấp bậc"),
    ("unknown title", ["1", "Nguyễn Văn An", "", "", "PKH", "QN-001", "Huân chương Mặt Trăng"], "Danh hiệu / Hình thức", "Không có danh hiệu"),
    ("ambiguous person", ["1", "Lê Quang Huy", "", "", "PKT"], "Họ và tên", "người"),
    ("service number of another", ["1", "Trần Thị Bình", "", "", "PKH", "QN-XYZ-OTHER"], "Số hiệu quân nhân", "là của"),
    ("title for individuals given to a unit", ["1", "Phòng Kế hoạch", "", "", "PKH", "", "Chiến sĩ tiên tiến"], "Họ và tên", "tập thể"),
    ("duplicate row", None, "Họ và tên", "dòng"),
    ("already holds the honour", ["1", "Trần Thị Bình", "", "", "PKH"], "Họ và tên", "đã có"),
    ("outside the officer's units", ["1", "Người Ngoài", "", "", "Cục Khác"], "Họ và tên", "không thuộc đơn vị"),
    ("wrong service number for the name", ["1", "Nguyễn Văn An", "", "", "PKH", "QN-002"], "Số hiệu quân nhân", "là của"),
]


@pytest.mark.parametrize("case, name, content, words", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_files_are_refused_whole_and_change_nothing(office, settings, case, name, content, words):
    if case == "headers only on a hidden sheet":
        from openpyxl import Workbook

        workbook = Workbook()
        workbook.active.append(["Họ và tên", "Đơn vị"])
        workbook.active.append(["Nguyễn Văn An", "PKH"])
        workbook.active.sheet_state = "hidden"
        workbook.create_sheet("Ghi chú").append(["Danh sách kèm theo ở trang ẩn"])
        out = io.BytesIO()
        workbook.save(out)
        content = out.getvalue()
    data = content() if callable(content) else content
    before = state()
    with pytest.raises((FileRefused, imports.ImportRefused)) as refused:
        preview = recipients(office, data, name=name)
        if preview.file_problems:
            raise imports.ImportRefused("; ".join(preview.file_problems), preview=preview)
    assert words.lower() in str(refused.value).lower(), str(refused.value)
    assert state() == before


@pytest.mark.parametrize("case, row, column, words", BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_bad_rows_name_their_row_and_column_and_change_nothing(office, case, row, column, words):
    factories.unit(parent=office["plan"], full_name="Trùng Tên", short_name="TT1")
    factories.unit(parent=office["tech"], full_name="Trùng Tên", short_name="TT2")
    outside = factories.unit(full_name="Cục Khác")
    factories.person(full_name="Người Ngoài", unit_=outside)
    factories.person(full_name="Khác Người", unit_=office["plan"], service_number="QN-XYZ-OTHER")
    factories.title(name="Chiến sĩ tiên tiến", recipient_for=TitleFor.INDIVIDUAL)
    factories.grant(rows=[factories.RecipientRow(person=office["people"]["binh"], title=office["title"])],
                    authority_=office["authority"], year=2021, number="02/QĐ-QLCN")
    good = ["1", "Nguyễn Văn An", "Đại úy", "", "PKH", "QN-001"]
    rows = [good, good] if row is None else [good, row] if case != "already holds the honour" else [row]
    if case == "wrong service number for the name":
        office["people"]["an"].service_number = None
        office["people"]["an"].save()
        factories.person(full_name="Người Giữ Số", unit_=office["plan"], service_number="QN-002")
        rows = [["1", "Nguyễn Văn An", "", "", "PKH", "QN-002"]]
    data = xlsx(rows)
    before = state()
    preview = recipients(office, data)
    refused = None
    try:
        imports.commit_recipients(preview, by=office["officer"], decision=decision(office))
    except imports.ImportRefused as error:
        refused = error
    assert refused is not None, [r.problems for r in preview.rows]
    assert state() == before
    bad = [r for r in preview.rows if r.status == "error"]
    assert bad and bad[-1].number == len(rows) + 1
    if column:
        header, message, is_error = [p for p in bad[-1].problems if p[2]][0]
        assert header == column and words.lower() in message.lower(), message


def test_the_command_line_imports_through_the_same_service(office, tmp_path, capsys):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(xlsx([["1", "Nguyễn Văn An", "Đại úy", "", "PKH", "QN-001"]]))
    args = ["import_awards", str(path), "--decision", "31/QĐ-QLCN", "--authority", office["authority"].name,
            "--date", "2022-01-14", "--year", "2021", "--title", "gk", "--signer", "Vũ Thanh Bình",
            "--signer-title", "CỤC TRƯỞNG"]
    call_command(*args)
    assert "1" in capsys.readouterr().out and not Decision.objects.filter(number="31/QĐ-QLCN").exists()
    call_command(*args, "--commit")
    assert Decision.objects.get(number="31/QĐ-QLCN").awards.count() == 1
    roster = tmp_path / "roster.csv"
    roster.write_bytes(csv_bytes([["Ngô Văn Mười", "PKT"]], headers=["Họ và tên", "Đơn vị"]))
    call_command("import_roster", str(roster), "--commit")
    assert Person.objects.filter(full_name="Ngô Văn Mười", unit=office["tech"]).exists()


def test_the_officer_can_choose_another_visible_sheet(office):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Tổng hợp"
    workbook.active.append(["Ghi chú chung"])
    second = workbook.create_sheet("Chi tiết")
    second.append(["Họ và tên", "Đơn vị"])
    second.append(["Trần Thị Bình", "PKH"])
    hidden = workbook.create_sheet("Nháp")
    hidden.sheet_state = "hidden"
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(FileRefused):
        table(out.getvalue())  # the first visible sheet has no table
    chosen = table(out.getvalue(), sheet="Chi tiết")
    assert chosen.sheets == ["Tổng hợp", "Chi tiết"] and chosen.sheet == "Chi tiết"
    with pytest.raises(FileRefused, match="Nháp"):
        table(out.getvalue(), sheet="Nháp")


def test_unmet_rules_show_on_their_rows_and_need_a_reason(office):
    from awards.choices import RuleKind, TitleCategory
    from awards.models import EligibilityRule

    advanced = factories.title(name="Chiến sĩ tiên tiến", category=TitleCategory.EMULATION_TITLE,
                               recipient_for=TitleFor.INDIVIDUAL)
    fighter = factories.title(name="Chiến sĩ thi đua cơ sở", category=TitleCategory.EMULATION_TITLE,
                              recipient_for=TitleFor.INDIVIDUAL)
    EligibilityRule.objects.create(title=fighter, kind=RuleKind.SAME_YEAR, required_title=advanced)
    data = xlsx([["1", "Nguyễn Văn An", "", "", "PKH", "QN-001", "Chiến sĩ thi đua cơ sở", ""]])
    preview = recipients(office, data)
    [row] = preview.rows
    assert row.status == "warning" and row.problems[-1][0] == "Danh hiệu / Hình thức"
    assert "cần có “Chiến sĩ tiên tiến” cùng năm 2021" in row.problems[-1][1]
    before = state()
    with pytest.raises(imports.ImportRefused):
        imports.commit_recipients(preview, by=office["officer"], decision=decision(office))
    assert state() == before
    imports.commit_recipients(preview, by=office["officer"], decision=decision(office), justification="Có sáng kiến")
    assert Award.objects.filter(title=fighter).count() == 1


# ---- a roster touches only the officer's units --------------------------------------------------

ROSTER_HEADERS = ["STT", "Họ và tên", "Cấp bậc", "Chức vụ", "Đơn vị", "Số hiệu quân nhân", "Ngày sinh"]


def test_a_roster_outside_the_officers_units_is_refused_with_its_rows_named(office):
    officer = factories.user(role=roles.OFFICER, scope=office["plan"])
    factories.person(full_name="Phạm Văn Kỹ", rank=Rank.DAI_UY, unit_=office["tech"], service_number="QN-777")
    data = xlsx([
        ["1", "Phạm Văn Kỹ", "Đại úy", "Trợ lý", "PKH", "QN-777", ""],            # moved into the officer's unit
        ["2", "Phạm Văn Kỹ", "Thiếu tá", "Trợ lý", "PKT", "QN-777", "01/02/1980"],  # rank and birth date changed there
        ["3", "Hoàng Văn Lạ", "Trung úy", "Trợ lý", "PKT", "QN-778", ""],          # created in a unit not theirs
        ["4", "Trần Thị Bình", "Trung tá", "", "PKH", "", ""],                      # their own: fine
    ], headers=ROSTER_HEADERS)
    before = state()
    preview = imports.preview_roster(table(data), by=officer)
    status = {row.number: row.status for row in preview.rows}
    assert [status[n] for n in (2, 3, 4, 5)] == ["error", "error", "error", "warning"]
    messages = {row.number: " ".join(m for _c, m, _e in row.problems) for row in preview.rows}
    assert "Phòng Kỹ thuật" in messages[2] and "ngoài đơn vị" in messages[2]
    assert "Phòng Kỹ thuật" in messages[4] and "ngoài đơn vị" in messages[4]
    with pytest.raises(imports.ImportRefused):
        imports.commit_roster(preview, by=officer)
    assert state() == before
    # The command line (an administrator at the server) is not bound to a unit.
    assert imports.preview_roster(table(data)).count("error") == 1  # only the repeated service number


def test_a_roster_is_checked_again_at_confirm_against_the_people_as_they_are_then(office):
    officer = factories.user(role=roles.OFFICER, scope=office["plan"])
    data = xlsx([["1", "Trần Thị Bình", "Trung tá", "", "PKH", "", ""]], headers=ROSTER_HEADERS)
    preview = imports.preview_roster(table(data), by=officer)
    assert preview.count("warning") == 1
    binh = office["people"]["binh"]
    Person.objects.filter(pk=binh.pk).update(unit=office["tech"])  # moved away by another officer meanwhile
    before = state()
    with pytest.raises(imports.ImportRefused):
        imports.commit_roster(preview, by=officer)
    assert state() == before
    assert Person.objects.get(pk=binh.pk).rank == Rank.THIEU_TA


def test_the_roster_page_refuses_a_file_reaching_outside_the_officers_units(client, office, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    officer = factories.user(role=roles.OFFICER, scope=office["plan"])
    factories.sign_in(client, officer.username, factories.PASSWORD)
    data = xlsx([["1", "Lê Văn Xa", "Trung úy", "", "PKT", "QN-901", ""]], headers=ROSTER_HEADERS)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    before = state()
    response = client.post(reverse("awards:roster-import"),
                           {"spreadsheet": SimpleUploadedFile("ds.xlsx", data)})
    assert response.status_code == 400
    assert "ngoài đơn vị" in response.content.decode()
    token = response.context["token"]
    response = client.post(reverse("awards:roster-import"), {"token": token, "action": "confirm"})
    assert response.status_code == 400
    assert state() == before


# ---- files small on disk but expensive to read -----------------------------------------------------

def _sheet(data):
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()


def test_a_sheet_declaring_the_largest_dimension_is_read_only_as_wide_as_its_headers(office):
    from tests.importfiles import rewrite

    data = xlsx([OK_ROW, OK_ROW[:5]])
    sheet = re.sub(r'<dimension ref="[^"]+"\s*/>', '<dimension ref="A1:XFD1048576"/>', _sheet(data))
    # And a cell in the last column there is.
    sheet = sheet.replace("</row></sheetData>", '<c r="XFD3" t="inlineStr"><is><t>xa</t></is></c></row></sheetData>')
    found = table(rewrite(data, {"xl/worksheets/sheet1.xml": sheet.encode()}))
    assert [n for n, _v in found.rows] == [2, 3]
    assert all(len(values) <= len(HEADERS) for _n, values in found.rows)
    assert found.rows[0][1][1] == "Nguyễn Văn An"


def test_many_tiny_shared_strings_are_refused_whatever_the_file_says_it_holds(office, settings):
    from tests.importfiles import shared_strings_xlsx

    settings.REGISTRY_IMPORT_MAX_CELLS = 2000
    fine = table(shared_strings_xlsx([OK_ROW], extra_strings=100))
    assert fine.rows[0][1][1] == "Nguyễn Văn An"  # shared strings are read as they should be
    bomb = shared_strings_xlsx([OK_ROW], extra_strings=5000)
    packed = zipfile.ZipFile(io.BytesIO(bomb)).getinfo("xl/sharedStrings.xml")
    assert packed.file_size / packed.compress_size < 200  # the ratio check alone would let it through
    with pytest.raises(FileRefused, match="không an toàn"):
        table(bomb)


def test_a_sheet_with_more_cells_than_the_limit_is_refused(office, settings):
    settings.REGISTRY_IMPORT_MAX_CELLS = 2000
    assert len(table(xlsx([OK_ROW] * 200)).rows) == 200  # 1,608 cells
    with pytest.raises(FileRefused, match="không an toàn"):
        table(xlsx([OK_ROW] * 300))


def _truncated_sheet():
    from tests.importfiles import rewrite

    data = xlsx([OK_ROW] * 50)
    sheet = _sheet(data)
    return rewrite(data, {"xl/worksheets/sheet1.xml": sheet[: len(sheet) // 2].encode()})


def _entity_sheet():
    from tests.importfiles import rewrite

    data = xlsx([OK_ROW])
    doctype = ('<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
               + "".join(f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("abcdefgh", "bcdefghi")) + "]>")
    sheet = doctype + _sheet(data).replace("Nguyễn Văn An", "&i;")
    return rewrite(data, {"xl/worksheets/sheet1.xml": sheet.encode()})


@pytest.mark.parametrize("make, words", [(_truncated_sheet, "hỏng"), (_entity_sheet, "không an toàn")],
                         ids=["truncated worksheet", "entity expansion"])
def test_a_malformed_worksheet_is_refused_and_its_upload_removed(client, office, settings, tmp_path, make, words):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    with pytest.raises(FileRefused, match=words):
        table(make())
    settings.DATA_DIR = tmp_path
    factories.sign_in(client, office["officer"].username, factories.PASSWORD)
    before = state()
    response = client.post(reverse("awards:roster-import"), {"spreadsheet": SimpleUploadedFile("ds.xlsx", make())})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert list((tmp_path / "imports").iterdir()) == []
    assert state() == before


def test_a_re_posted_token_is_not_parsed_again(client, office, settings, tmp_path, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from awards.imports import reader

    settings.DATA_DIR = tmp_path
    factories.sign_in(client, office["officer"].username, factories.PASSWORD)
    data = xlsx([["1", "Đỗ Văn Mới", "Trung úy", "", "PKH", "QN-555", "02/03/1990"]], headers=ROSTER_HEADERS)
    url = reverse("awards:roster-import")
    token = client.post(url, {"spreadsheet": SimpleUploadedFile("ds.xlsx", data)}).context["token"]

    def parse_again(*args, **kwargs):
        raise AssertionError("the file was parsed again")

    monkeypatch.setattr(reader, "_read_xlsx", parse_again)
    for _ in range(3):
        assert client.post(url, {"token": token}).status_code == 200
    response = client.post(url, {"token": token, "action": "confirm"})
    assert response.status_code == 302
    assert Person.objects.get(service_number="QN-555").birth_date == datetime.date(1990, 3, 2)
    assert list((tmp_path / "imports").iterdir()) == []  # confirmed: nothing kept


def test_previews_never_confirmed_are_removed_after_the_keeping_time(client, office, settings, tmp_path):
    import os
    import time

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.DATA_DIR = tmp_path
    settings.REGISTRY_IMPORT_KEEP_HOURS = 24
    factories.sign_in(client, office["officer"].username, factories.PASSWORD)
    url = reverse("awards:roster-import")
    data = xlsx([["1", "Đỗ Văn Mới", "", "", "PKH", "", ""]], headers=ROSTER_HEADERS)
    old = client.post(url, {"spreadsheet": SimpleUploadedFile("ds.xlsx", data)}).context["token"]
    folder = tmp_path / "imports"
    assert len(list(folder.iterdir())) == 2  # the file and the table read from it
    day_ago = time.time() - 25 * 3600
    for path in folder.iterdir():
        os.utime(path, (day_ago, day_ago))
    new = client.post(url, {"spreadsheet": SimpleUploadedFile("ds.xlsx", data)}).context["token"]
    assert sorted(p.name.split("-", 1)[1].split(".")[0] for p in folder.iterdir()) == [new, new]
    response = client.post(url, {"token": old, "action": "confirm"})
    assert response.status_code == 400 and "không còn" in response.content.decode()
    for path in folder.iterdir():
        os.utime(path, (day_ago, day_ago))
    out = io.StringIO()
    call_command("purge_imports", stdout=out)
    assert list(folder.iterdir()) == [] and "2" in out.getvalue()


# ---- files shaped like real office exports -------------------------------------------------------

def test_the_lines_below_an_office_list_are_skipped_with_a_note_not_reported_as_errors(office):
    from tests.importfiles import office_xlsx

    data = office_xlsx([
        ["", "Nguyễn Văn An", "Đại úy", "Trợ lý", "PKH", "QN-001", "", "Hoàn thành xuất sắc nhiệm vụ"],
        ["", "Trần Thị Bình", "Thiếu tá", "", "PKH", "", "", ""],
        ["", "Đỗ Văn Mới", "Trung úy", "", "PKT", "", "", ""],
    ])
    preview = recipients(office, data)
    assert preview.errors == 0, [(r.number, r.problems) for r in preview.rows if r.status == "error"]
    assert [r.values["name"] for r in preview.to_write] == ["Nguyễn Văn An", "Trần Thị Bình", "Đỗ Văn Mới"]
    skipped = [r for r in preview.rows if r.status == "skipped"]
    assert len(skipped) == 6 and preview.skipped == 6
    notes = " ".join(m for r in skipped for _c, m, _e in r.problems)
    assert "dòng tổng cộng" in notes and "phần chữ ký" in notes
    decision_ = imports.commit_recipients(preview, by=office["officer"], decision=decision(office))
    assert decision_.awards.count() == 3
    # A record left below the signatures is not dropped unseen.
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    book.active.append(["", "Phan Văn Sót", "Đại úy", "", "PKH", "QN-404"])
    out = io.BytesIO()
    book.save(out)
    late = recipients(office, out.getvalue(), number="31/QĐ-QLCN")
    [stray] = [r for r in late.rows if r.values["name"] == "Phan Văn Sót"]
    assert stray.status == "error" and "nằm dưới" in stray.problems[0][1]


def test_ready_in_the_preview_means_the_confirm_will_write_it(office):
    officer = factories.user(role=roles.OFFICER, scope=office["plan"])
    factories.grant(rows=[factories.RecipientRow(person=office["people"]["binh"], title=office["title"])],
                    authority_=office["authority"], year=2021, number="02/QĐ-QLCN")
    data = xlsx([["1", "Nguyễn Văn An", "", "", "PKH", "QN-001"],
                 ["2", "Trần Thị Bình", "", "", "PKH"],         # already holds it for 2021
                 ["3", "Phạm Văn Ngoài", "Trung úy", "", "PKT", ""]])    # a new person, not in the officer's units
    preview = imports.preview_recipients(table(data), decision=decision(office), by=officer)
    status = {r.values["name"]: r.status for r in preview.rows}
    assert status == {"Nguyễn Văn An": "ready", "Trần Thị Bình": "error", "Phạm Văn Ngoài": "error"}
    messages = {r.values["name"]: " ".join(m for _c, m, _e in r.problems) for r in preview.rows}
    assert "đã có" in messages["Trần Thị Bình"] and "02/QĐ-QLCN" in messages["Trần Thị Bình"]
    assert "không thuộc đơn vị" in messages["Phạm Văn Ngoài"]
    fixed = xlsx([["1", "Nguyễn Văn An", "", "", "PKH", "QN-001"]])
    ready = imports.preview_recipients(table(fixed), decision=decision(office, "32/QĐ-QLCN"), by=officer)
    assert ready.errors == 0
    assert imports.commit_recipients(ready, by=officer, decision=decision(office, "32/QĐ-QLCN")).awards.count() == 1


def test_the_command_line_prints_each_refused_rows_reasons(office, tmp_path):
    from django.core.management.base import CommandError

    factories.grant(rows=[factories.RecipientRow(person=office["people"]["binh"], title=office["title"])],
                    authority_=office["authority"], year=2021, number="02/QĐ-QLCN")
    path = tmp_path / "ds.xlsx"
    path.write_bytes(xlsx([["1", "Nguyễn Văn An", "", "", "PKH", "QN-001"], ["2", "Trần Thị Bình", "", "", "PKH"]]))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_awards", str(path), "--decision", "40/QĐ-QLCN", "--authority", office["authority"].name,
                     "--date", "2022-01-14", "--year", "2021", "--title", "gk", "--commit", stdout=out)
    printed = out.getvalue()
    line = next(x for x in printed.splitlines() if "Trần Thị Bình" in x and "lỗi" in x)
    assert "đã có" in line and "02/QĐ-QLCN" in line
    assert not Decision.objects.filter(number="40/QĐ-QLCN").exists()


def test_an_empty_upload_says_only_that_the_file_is_empty(client, office, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.DATA_DIR = tmp_path
    factories.sign_in(client, office["officer"].username, factories.PASSWORD)
    response = client.post(reverse("awards:roster-import"), {"spreadsheet": SimpleUploadedFile("ds.xlsx", b"")})
    assert response.status_code == 400
    assert response.context["form"].errors["spreadsheet"] == ["Tệp trống."]


def test_a_unit_named_by_a_short_form_of_a_unit_outside_the_officers_is_flagged_never_taken(office):
    outside = office["plan"]  # "Phòng Kế hoạch", in another department
    logistics = factories.unit(full_name="Cục Hậu cần", short_name="CHC")
    mine = factories.unit(parent=logistics, full_name="Phòng Kế hoạch Hậu cần", short_name="PKHHC")
    officer = factories.user(role=roles.OFFICER, scope=logistics)
    data = xlsx([["1", "Vũ Văn Mới", "Trung úy", "", "Phòng Kế hoạch", ""]])
    preview = imports.preview_recipients(table(data), decision=decision(office), by=officer)
    [row] = preview.rows
    assert row.status == "error" and row.unit is None and (row.person is None or row.person.unit != outside)
    message = row.problems[0][1]
    assert row.problems[0][0] == "Đơn vị" and "Phòng Kế hoạch Hậu cần" in message and outside.full_name in message
    # Without a scope (the command line) the exact short form is the unit it names.
    assert imports.preview_recipients(table(data), decision=decision(office)).rows[0].person.unit == outside
    assert mine.full_name in message


def test_an_imported_decision_printed_here_needs_its_signer_before_anything_is_written(client, office, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.DATA_DIR = tmp_path
    factories.sign_in(client, office["officer"].username, factories.PASSWORD)
    form = {"number": "50/QĐ-QLCN", "date": "2022-01-14", "authority": office["authority"].pk, "kind": "annual",
            "achievement_year": "2021", "title": office["title"].pk, "subject": "Về việc tặng Giấy khen",
            "reason": "Đã có thành tích", "signer_prefix": "", "signer_on_behalf_of": "", "signer_title": "",
            "signer_rank": "", "signer_name": ""}
    data = xlsx([["1", "Nguyễn Văn An", "", "", "PKH", "QN-001"]])
    before = state()
    response = client.post(reverse("awards:decision-import"), {**form, "spreadsheet": SimpleUploadedFile("ds.xlsx", data)})
    assert response.status_code == 400
    assert "Họ tên người ký được in trên Giấy khen" in response.content.decode()
    token = response.context["token"]
    assert client.post(reverse("awards:decision-import"), {**form, "token": token, "action": "confirm"}).status_code == 400
    assert state() == before


def test_the_command_line_also_needs_the_signer_of_a_decision_printed_here(office, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "ds.xlsx"
    path.write_bytes(xlsx([["1", "Nguyễn Văn An", "Đại úy", "", "PKH", "QN-001"]]))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_awards", str(path), "--decision", "33/QĐ-QLCN", "--authority", office["authority"].name,
                     "--date", "2022-01-14", "--year", "2021", "--title", "gk", "--signer", "Vũ Thanh Bình",
                     "--commit", stdout=out)
    assert "Chức vụ người ký được in trên Giấy khen" in out.getvalue()
    assert not Decision.objects.filter(number="33/QĐ-QLCN").exists()


def test_an_import_from_an_authority_above_keeps_the_register_numbers_its_certificates_carry(office):
    from awards.choices import AuthorityLevel

    headers = [*HEADERS, "Số sổ vàng"]
    rows = [["1", "Nguyễn Văn An", "Đại úy", "", "PKH", "QN-001", "", "", 1245],
            ["2", "Trần Thị Bình", "Thiếu tá", "", "PKH", "", "", "", "12a"],
            ["3", "Phòng Kế hoạch", "", "", "Phòng Kế hoạch", "", "", "", 1245]]
    pm = factories.authority(name="Thủ tướng Chính phủ", level=AuthorityLevel.GOVERNMENT, keeps_book=False)
    above = decision(office, "1956/QĐ-TTg")
    above.authority = pm
    before = state()
    preview = imports.preview_recipients(table(xlsx(rows, headers=headers)), decision=above)
    problems = {r.number: [(col, msg) for col, msg, error in r.problems if error] for r in preview.rows}
    assert problems[3] and problems[3][0][0] == "Số sổ vàng" and "12a" in problems[3][0][1]
    assert problems[4] and problems[4][0] == ("Số sổ vàng", "Trùng số sổ vàng với dòng 2.")
    with pytest.raises(imports.ImportRefused):
        imports.commit_recipients(preview, by=office["officer"], decision=above)
    assert state() == before
    rows[1][8], rows[2][8] = "", 1246
    preview = imports.preview_recipients(table(xlsx(rows, headers=headers)), decision=above)
    made = imports.commit_recipients(preview, by=office["officer"], decision=above)
    assert [a.register_number for a in made.awards.order_by("seq")] == [1245, None, 1246]
    # For a book kept here the column is refused on its row: the book numbers its awards.
    here = imports.preview_recipients(table(xlsx([rows[0]], headers=headers)), decision=decision(office))
    assert [col for col, _msg, error in here.rows[0].problems if error] == ["Số sổ vàng"]


def test_a_long_preview_lists_every_row_with_something_to_say_and_only_the_first_ready_ones(client, office, settings,
                                                                                             tmp_path):
    """A list of thousands is read for its problems: the page lists every row with an error, a
    warning or a note, the first Preview.READY_SHOWN rows that are simply ready, and says how many
    more it leaves out."""
    from awards.imports.core import Preview, RowResult

    rows = [RowResult(number=n, values={"name": f"Người {n}"}) for n in range(1, 260)]
    rows[240].error("unit", "Không có đơn vị này.")
    rows[250].warn("title", "Chưa đủ điều kiện.")
    preview = Preview(kind="recipients", rows=rows)
    shown = [r.number for r in preview.shown]
    assert shown == list(range(1, 201)) + [241, 251] and preview.not_shown == 57

    settings.DATA_DIR = tmp_path
    factories.sign_in(client, office["officer"].username, factories.PASSWORD)
    people = [factories.person(full_name=f"Phạm Văn Hùng {n}", unit_=office["plan"], service_number=f"QN-9{n:03d}")
              for n in range(205)]
    data = xlsx([[str(n + 1), p.full_name, "", "", "PKH", p.service_number] for n, p in enumerate(people)])
    form = {"number": "51/QĐ-QLCN", "date": "2022-01-14", "authority": office["authority"].pk, "kind": "annual",
            "achievement_year": "2021", "title": office["title"].pk, "subject": "Về việc tặng Giấy khen",
            "reason": "Đã có thành tích", "signer_prefix": "", "signer_on_behalf_of": "", "signer_title": "CỤC TRƯỞNG",
            "signer_rank": "", "signer_name": "Vũ Thanh Bình"}
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/decisions/import/", {**form, "spreadsheet": SimpleUploadedFile("ds.xlsx", data)})
    page = response.content.decode()
    assert page.count('class=" preview-ready"') == 200 and "Và 5 dòng nữa sẵn sàng ghi" in page


def test_a_file_is_checked_and_written_with_the_cycle_collector_held_off_and_given_back(office, monkeypatch):
    import gc

    from awards.imports import core

    seen = []
    real = core.Registry.__init__

    def spying(self, *args, **kwargs):
        seen.append(gc.isenabled())
        real(self, *args, **kwargs)

    monkeypatch.setattr(core.Registry, "__init__", spying)
    data = xlsx([["1", "Nguyễn Văn An", "Đại úy", "", "PKH", "QN-001"]])
    preview = imports.preview_recipients(table(data), decision=decision(office))
    assert seen == [False] and gc.isenabled()
    imports.commit_recipients(preview, by=office["officer"], decision=decision(office))
    assert gc.isenabled() and Award.objects.count() == 1
    # Given back when the work fails, and left alone when the caller held it off already.
    with pytest.raises(ZeroDivisionError), core.without_gc_pauses():
        assert not gc.isenabled()
        1 / 0
    assert gc.isenabled()
    gc.disable()
    try:
        with core.without_gc_pauses():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
