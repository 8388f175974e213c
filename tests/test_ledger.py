"""The ledger import: an office's past honours, one row each naming its decision, brought in as
decisions (new or extended), all or nothing, and the same file again adding nothing."""

import datetime
import io
import unicodedata

import pytest
from django.core.management import call_command

from awards import imports, roles, text
from awards.choices import AuthorityLevel, AwardStatus, Rank, TitleCategory, TitleFor
from awards.imports.core import ERROR, UNCHANGED
from awards.models import AuditEntry, Award, Decision, ImportAlias, Person, RegisterCounter
from awards.services import RecipientRow
from tests import factories
from tests.importfiles import xlsx

pytestmark = pytest.mark.django_db

HEADERS = ["STT", "Số quyết định", "Ngày quyết định", "Cấp quyết định", "Danh hiệu / Hình thức", "Năm thành tích",
           "Họ và tên", "Cấp bậc", "Chức vụ", "Đơn vị", "Số hiệu quân nhân", "Số sổ vàng", "Tình trạng",
           "Số quyết định thu hồi", "Ngày thu hồi", "Lý do thu hồi"]
CUC = "Cục trưởng Cục Quản lý công nghệ"
D1_DATE = datetime.date(2021, 1, 10)                       # a real date cell
D2_DATE = "14/01/2022"                                     # text, as typed
D3_SERIAL = (datetime.date(2022, 3, 14) - datetime.date(1899, 12, 30)).days   # an Excel serial number


@pytest.fixture
def office():
    top = factories.unit(full_name="Cục Quản lý công nghệ", short_name="Cục QLCN")
    plan = factories.unit(parent=top, full_name="Phòng Kế hoạch", short_name="PKH")
    tech = factories.unit(parent=top, full_name="Phòng Kỹ thuật", short_name="PKT")
    own = factories.authority(name=CUC, keeps_book=True)
    above = factories.authority(name="Chủ nhiệm Tổng cục Công nghiệp quốc phòng", keeps_book=False,
                                level=AuthorityLevel.GENERAL_DEPARTMENT)
    cstt = factories.title(name="Chiến sĩ tiên tiến", code="cstt", recipient_for=TitleFor.INDIVIDUAL,
                           category=TitleCategory.EMULATION_TITLE, certificate_name="CHIẾN SĨ TIÊN TIẾN")
    gk = factories.title(name="Giấy khen", code="gk")
    bk = factories.title(name="Bằng khen", code="bk", certificate_name="BẰNG KHEN")
    an = factories.person(full_name="Nguyễn Văn An", rank=Rank.DAI_UY, unit_=plan, service_number="QN-001")
    binh = factories.person(full_name="Trần Thị Bình", rank=Rank.THIEU_TA, unit_=plan)
    cuong = factories.person(full_name="Lê Văn Cường", unit_=plan)
    # Decision 45 is in the registry already, with one recipient the ledger does not list.
    factories.grant(rows=[RecipientRow(person=cuong, title=gk)], authority_=own, number="45/QĐ-QLCN",
                    date=datetime.date(2022, 1, 14), year=2021, title=gk)
    return {"top": top, "plan": plan, "tech": tech, "own": own, "above": above, "cstt": cstt, "gk": gk, "bk": bk,
            "an": an, "binh": binh, "cuong": cuong,
            "officer": factories.user(role=roles.OFFICER, scope=top)}


def ledger_rows():
    nfd = unicodedata.normalize("NFD", "Trần Thị Bình")
    return [
        # 12/QĐ-QLCN, the office's own book: its register numbers kept, none made up for Hoa.
        [1, "12/QĐ-QLCN", D1_DATE, CUC, "Chiến sĩ tiên tiến", 2020, "Nguyễn Văn An", "Thượng úy", "Trợ lý", "Phòng Kế hoạch",
         "QN-001", 101, "", "", "", ""],
        [2, "12/QĐ-QLCN", D1_DATE, "cuc truong cuc quan ly cong nghe", "CSTT", 2020, nfd, "Thiếu tá", "", "PKH", "", 102,
         "", "", "", ""],
        [3, "12/QĐ-QLCN", D1_DATE, CUC, "Chiến sĩ tiên tiến", 2020, "Phạm Thị Hoa", "Trung úy", "Kỹ sư", "Phòng Kỹ thuật",
         "", "", "", "", "", ""],
        # 45/QĐ-QLCN, held already: extended with four lines, one of them since revoked.
        [4, "45/QĐ-QLCN", D2_DATE, CUC, "Giấy khen", 2021, "Nguyễn Văn An", "Đại úy", "Trợ lý", "Phòng Kế hoạch",
         "QN-001", "", "", "", "", ""],
        [5, "45/QĐ-QLCN", D2_DATE, CUC, "Giấy khen", 2021, "Phòng Kế hoạch", "", "", "Phòng Kế hoạch", "", "", "", "",
         "", ""],
        [6, "45/QĐ-QLCN", D2_DATE, CUC, "Giấy khen", 2021, "Phạm Thị Hoa", "Trung úy", "Kỹ sư", "Phòng Kỹ thuật", "",
         "", "", "", "", ""],
        [7, "45/QĐ-QLCN", D2_DATE, CUC, "Giấy khen", 2021, "Trần Thị Bình", "Thiếu tá", "", "Phòng Kế hoạch", "", "",
         "Thu hồi", "03/QĐ-QLCN", "01/06/2022", "Kê khai thành tích không đúng"],
        # 150/QĐ-TCCNQP from the authority above, written as the office abbreviates it.
        [8, "150/QĐ-TCCNQP", D3_SERIAL, "TT TCCNQP", "Bằng khen", 2021, "Nguyễn Văn An", "Đại úy", "", "Phòng Kế hoạch",
         "QN-001", 5501, "", "", "", ""],
        [9, "150/QĐ-TCCNQP", D3_SERIAL, "TT TCCNQP", "Bằng khen", 2021, "Trần Thị Bình", "Thiếu tá", "",
         "Phòng Kế hoạch", "", 5502, "", "", "", ""],
        [10, "150/QĐ-TCCNQP", D3_SERIAL, "TT TCCNQP", "Bằng khen", 2021, "Phòng Kỹ thuật", "", "", "Phòng Kỹ thuật", "",
         5503, "", "", "", ""],
    ]


def ledger_table(rows, headers=HEADERS):
    return imports.read_table(xlsx(rows, headers=headers), "so-khen-thuong.xlsx", known_headers=imports.count_known_headers)


def mapped(office):
    return {("authority", text.fold("TT TCCNQP")): office["above"]}


def test_a_ledger_of_three_decisions_is_previewed_mapped_and_written_and_the_same_file_adds_nothing(office):
    officer = office["officer"]
    before = (Decision.objects.count(), Award.objects.count(), Person.objects.count())

    # The authority the office abbreviates is unknown: listed once with its rows, nothing guessed.
    first = imports.preview_ledger(ledger_table(ledger_rows()), by=officer)
    assert [(u.kind, u.name, u.rows) for u in first.unknown] == [("authority", "TT TCCNQP", [9, 10, 11])]
    assert {r.number for r in first.rows if r.status == ERROR} == {9, 10, 11}
    assert (Decision.objects.count(), Award.objects.count(), Person.objects.count()) == before

    # Mapped in the preview: three decisions, two new and one extended, one new person for two rows.
    preview = imports.preview_ledger(ledger_table(ledger_rows()), by=officer, mappings=mapped(office))
    assert not preview.errors and not preview.unknown
    assert [(g.number, g.date, g.existing is not None, len(g.to_write)) for g in preview.groups] == [
        ("12/QĐ-QLCN", datetime.date(2021, 1, 10), False, 3),
        ("45/QĐ-QLCN", datetime.date(2022, 1, 14), True, 4),
        ("150/QĐ-TCCNQP", datetime.date(2022, 3, 14), False, 3),
    ]
    assert [p.full_name for p in preview.new_people] == ["Phạm Thị Hoa"]
    assert (Decision.objects.count(), Award.objects.count()) == before[:2]

    written = imports.commit_ledger(preview, by=officer)
    assert len(written) == 3
    assert Decision.objects.count() == before[0] + 2 and Award.objects.count() == before[1] + 10
    assert Person.objects.filter(full_name="Phạm Thị Hoa").count() == 1

    d12 = Decision.objects.get(number="12/QĐ-QLCN")
    assert (d12.date, d12.achievement_year, d12.authority, d12.title) == (D1_DATE, 2020, office["own"], office["cstt"])
    lines = list(d12.awards.order_by("seq"))
    assert [(a.recipient_name, a.register_number) for a in lines] == [
        ("Nguyễn Văn An", 101), ("Trần Thị Bình", 102), ("Phạm Thị Hoa", None)]
    # The honour keeps the rank the ledger writes for its time, not the person's rank today.
    assert (lines[0].rank, office["an"].rank) == (Rank.THUONG_UY, Rank.DAI_UY)
    # What the ledger leaves empty stays empty: Bình's position today is not hers in 2020.
    assert (lines[1].position, office["binh"].position) == ("", "Trợ lý")
    assert RegisterCounter.objects.get(authority=office["own"], year=2020).last_number == 102

    d45 = Decision.objects.get(number="45/QĐ-QLCN")
    assert [a.recipient_name for a in d45.awards.order_by("seq")] == [
        "Lê Văn Cường", "Nguyễn Văn An", "Phòng Kế hoạch", "Phạm Thị Hoa", "Trần Thị Bình"]
    revoked = d45.awards.get(person=office["binh"])
    assert (revoked.status, revoked.revocation_number, revoked.revocation_date, revoked.revocation_reason) == (
        AwardStatus.REVOKED, "03/QĐ-QLCN", datetime.date(2022, 6, 1), "Kê khai thành tích không đúng")

    d150 = Decision.objects.get(number="150/QĐ-TCCNQP")
    assert (d150.date, d150.authority) == (datetime.date(2022, 3, 14), office["above"])
    assert sorted(d150.awards.values_list("register_number", flat=True)) == [5501, 5502, 5503]
    alias = ImportAlias.objects.get()
    assert (alias.kind, alias.name, alias.authority, alias.created_by) == ("authority", "TT TCCNQP", office["above"], officer)
    assert AuditEntry.objects.filter(object_repr__contains="TT TCCNQP").exists()

    # The same file again: the name is remembered, every row is already there, nothing is added.
    again = imports.preview_ledger(ledger_table(ledger_rows()), by=officer)
    assert not again.unknown and not again.errors and again.nothing_new
    assert {r.status for r in again.rows} == {UNCHANGED}
    counts = (Decision.objects.count(), Award.objects.count(), Person.objects.count(), AuditEntry.objects.count())
    assert imports.commit_ledger(again, by=officer) == []
    assert (Decision.objects.count(), Award.objects.count(), Person.objects.count(),
            AuditEntry.objects.count()) == counts


def test_two_dates_for_one_decision_are_an_error_naming_both_rows_and_nothing_is_written(office):
    rows = ledger_rows()[:3]
    rows[2][2] = datetime.date(2021, 1, 11)
    preview = imports.preview_ledger(ledger_table(rows), by=office["officer"])
    problems = {r.number: [m for _c, m, is_error in r.problems if is_error] for r in preview.rows}
    assert any("dòng 2" in m.lower() for m in problems[4]) and any("dòng 4" in m.lower() for m in problems[2])
    assert preview.errors == 2
    before = (Decision.objects.count(), Award.objects.count(), Person.objects.count())
    with pytest.raises(imports.ImportRefused):
        imports.commit_ledger(preview, by=office["officer"])
    assert (Decision.objects.count(), Award.objects.count(), Person.objects.count()) == before


def test_a_decision_the_registry_dates_otherwise_is_refused_not_merged(office):
    rows = [r[:] for r in ledger_rows()[3:5]]
    for row in rows:
        row[2] = "15/01/2022"
    preview = imports.preview_ledger(ledger_table(rows), by=office["officer"])
    assert preview.errors == 2
    assert all("14/01/2022" in r.problems[0][1] for r in preview.rows)


def test_a_register_number_already_in_the_book_and_a_revocation_without_its_reason_are_errors(office):
    factories.grant(rows=[RecipientRow(person=office["cuong"], title=office["bk"], register_number=5501)],
                    authority_=office["above"], number="149/QĐ-TCCNQP", year=2021, title=office["bk"])
    rows = [r[:] for r in ledger_rows()[7:9]]
    for row in rows:
        row[3] = "Chủ nhiệm Tổng cục Công nghiệp quốc phòng"
    rows[1][12:16] = ["Thu hồi", "04/QĐ-TCCNQP", "01/06/2022", ""]
    preview = imports.preview_ledger(ledger_table(rows), by=office["officer"])
    errors = {r.number: " ".join(m for _c, m, e in r.problems if e) for r in preview.rows}
    assert "5501" in errors[2] and "đã" in errors[2]
    assert "lý do" in errors[3].lower()


def test_the_command_line_previews_then_writes_with_commit(office, tmp_path):
    path = tmp_path / "so.xlsx"
    rows = [r for r in ledger_rows() if r[3] != "TT TCCNQP"]
    path.write_bytes(xlsx(rows, headers=HEADERS))
    out = io.StringIO()
    call_command("import_ledger", str(path), stdout=out)
    assert "12/QĐ-QLCN" in out.getvalue() and not Decision.objects.filter(number="12/QĐ-QLCN").exists()
    out = io.StringIO()
    call_command("import_ledger", str(path), "--commit", "--map-authority", f"TT TCCNQP={office['above'].name}",
                 stdout=out)
    assert Decision.objects.filter(number="12/QĐ-QLCN").count() == 1
    assert Award.objects.filter(decision__number="45/QĐ-QLCN").count() == 5


def _form_fields(names):
    """The POST a browser sends for the names formset as rendered, with the choices given."""
    data = {f"{names.prefix}-TOTAL_FORMS": str(len(names.forms)), f"{names.prefix}-INITIAL_FORMS": str(len(names.forms))}
    for form in names.forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value not in (None, False):
                data[form.add_prefix(name)] = value
    return data


def test_the_page_previews_maps_a_name_creates_an_authority_writes_and_remembers(client, office):
    """As an administrator: creating an authority from the preview is theirs (an officer maps)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.test_jobs import signed_in

    signed_in(client, factories.user(role=roles.ADMINISTRATOR))
    url = reverse("awards:ledger-import")
    rows = ledger_rows()
    rows[0][4] = "CSTT cơ sở"       # a title written the office's way, to map to the registry's
    first = client.post(url, {"action": "preview", "spreadsheet": SimpleUploadedFile("so.xlsx", xlsx(rows, headers=HEADERS))})
    assert first.status_code == 400
    page = first.content.decode()
    assert "“TT TCCNQP”" in page and "“CSTT cơ sở”" in page and "9, 10, 11" in page
    assert "Nhập sổ khen thưởng" in page and not Decision.objects.filter(number="12/QĐ-QLCN").exists()
    names = first.context["names"]
    choices = {}
    for form in names.forms:
        if form["kind"].value() == "authority":   # created here, from the preview
            choices.update({form.add_prefix("target"): "new", form.add_prefix("new_name"): "Thủ trưởng Tổng cục Công nghiệp quốc phòng",
                            form.add_prefix("level"): "30"})
        else:                                      # mapped to the registry's title
            choices[form.add_prefix("target")] = str(office["cstt"].pk)
    token = first.context["token"]
    second = client.post(url, {"action": "preview", "token": token, **_form_fields(names), **choices})
    assert second.status_code == 200, [r["problems"] for r in second.context["preview"]["shown"] if r["status"] == "error"]
    assert second.context["preview"]["decisions_new"] == 2 and second.context["preview"]["decisions_extended"] == 1
    assert not Decision.objects.filter(number="12/QĐ-QLCN").exists()
    done = client.post(url, {"action": "confirm", "token": token, **_form_fields(second.context["names"])})
    assert done.status_code == 302 and done["Location"] == reverse("awards:decision-list")
    head = Decision.objects.get(number="150/QĐ-TCCNQP").authority
    assert (head.name, head.level) == ("Thủ trưởng Tổng cục Công nghiệp quốc phòng", AuthorityLevel.GENERAL_DEPARTMENT)
    assert {(a.kind, a.name) for a in ImportAlias.objects.all()} == {("authority", "TT TCCNQP"), ("title", "CSTT cơ sở")}
    # The same file again: every name is known, every row already there.
    again = client.post(url, {"action": "preview", "spreadsheet": SimpleUploadedFile("so.xlsx", xlsx(rows, headers=HEADERS))})
    assert again.status_code == 200 and again.context["preview"]["nothing_new"] and not again.context["names"].forms
    assert "id=\"nothing-new\"" in again.content.decode()


@pytest.mark.django_db(transaction=True)  # the worker runs between transactions of its own
def test_a_large_ledger_is_read_checked_and_written_by_the_worker_with_its_progress(client, office, settings, tmp_path,
                                                                                  monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from awards import jobs
    from awards.choices import JobKind, JobState
    from awards.models import Job
    from tests.test_jobs import run_worker, signed_in

    settings.DATA_DIR = tmp_path
    settings.REGISTRY_JOB_IMPORT_ROWS = 3
    settings.REGISTRY_JOB_IMPORT_MB = 0     # read by the worker too
    phases = []
    real_phase = jobs.Progress.phase
    monkeypatch.setattr(jobs.Progress, "phase", lambda self, name, **kw: (phases.append((name, kw.get("total"))),
                                                                          real_phase(self, name, **kw)))
    signed_in(client, office["officer"])
    url = reverse("awards:ledger-import")
    rows = [r for r in ledger_rows() if r[3] != "TT TCCNQP"]
    asked = client.post(url, {"action": "preview", "spreadsheet": SimpleUploadedFile("so.xlsx", xlsx(rows, headers=HEADERS))})
    check = Job.objects.get()
    assert asked["Location"] == check.get_absolute_url() and check.kind == JobKind.CHECK_LEDGER
    assert "Kiểm tra sổ khen thưởng cũ" in client.get(asked["Location"]).content.decode()
    run_worker()
    check.refresh_from_db()
    assert check.state == JobState.DONE and check.result_url.startswith(url + "?token=")
    assert [p for p, _total in phases] == ["", "reading", "checking"] and phases[-1][1] == 7
    assert jobs.progress(check) == (7, 7, "checking")
    assert "Mở phần xem trước" in client.get(check.get_absolute_url()).content.decode()
    page = client.get(check.result_url)
    preview = page.context["preview"]
    assert (preview["rows"], preview["to_write"], preview["decisions_new"], preview["decisions_extended"]) == (7, 7, 1, 1)
    assert not Decision.objects.filter(number="12/QĐ-QLCN").exists()

    phases.clear()
    confirmed = client.post(url, {"action": "confirm", "token": page.context["token"]})
    write = Job.objects.exclude(pk=check.pk).get()
    assert confirmed["Location"] == write.get_absolute_url() and write.kind == JobKind.IMPORT_LEDGER
    run_worker()
    write.refresh_from_db()
    assert write.state == JobState.DONE and write.result_url == reverse("awards:decision-list"), write.message
    assert [p for p, _total in phases] == ["", "reading", "checking", "writing"]
    assert jobs.progress(write) == (7, 7, "writing")
    # Written: the file is gone, so the way on replaces the way back to its preview.
    done_page = client.get(write.get_absolute_url()).content.decode()
    assert "Mở nội dung đã ghi" in done_page and 'btn-outline-secondary d-none" id="job-back"' in done_page
    assert Decision.objects.get(number="12/QĐ-QLCN").awards.count() == 3
    assert Decision.objects.get(number="45/QĐ-QLCN").awards.count() == 5


def test_the_template_to_download_has_the_ledger_headers(client, office):
    from django.urls import reverse
    from openpyxl import load_workbook

    from tests.test_jobs import signed_in

    signed_in(client, office["officer"])
    response = client.get(reverse("awards:import-template", args=["ledger"]))
    headers = [c.value for c in next(load_workbook(io.BytesIO(response.content)).active.iter_rows())]
    assert headers[:7] == ["STT", "Số quyết định", "Ngày quyết định", "Cấp quyết định", "Danh hiệu / Hình thức",
                           "Năm thành tích", "Họ và tên"]
    assert {"Số sổ vàng", "Tình trạng", "Số quyết định thu hồi", "Ngày thu hồi", "Lý do thu hồi"} <= set(headers)
    # Read back by the import, it is a ledger with its headers and no rows.
    preview = imports.preview_ledger(imports.read_table(response.content, "mau.xlsx",
                                                        known_headers=imports.count_known_headers))
    assert not preview.file_problems and not preview.rows


def test_a_name_to_create_without_its_level_is_asked_for_on_the_page_and_nothing_is_written(client, office):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.test_jobs import signed_in

    signed_in(client, factories.user(role=roles.ADMINISTRATOR))  # creating is an administrator's right
    url = reverse("awards:ledger-import")
    first = client.post(url, {"action": "preview", "spreadsheet": SimpleUploadedFile("so.xlsx", xlsx(ledger_rows(), headers=HEADERS))})
    names = first.context["names"]
    target = names.forms[0].add_prefix("target")
    before = (Decision.objects.count(), Award.objects.count())
    for action in ("preview", "confirm"):
        again = client.post(url, {"action": action, "token": first.context["token"], **_form_fields(names), target: "new"})
        assert again.status_code == 400
        page = again.content.decode()
        assert "Hãy chọn cấp của cấp quyết định cần tạo" in page and "“TT TCCNQP”" in page
    assert (Decision.objects.count(), Award.objects.count()) == before and not ImportAlias.objects.exists()


def test_an_unknown_title_is_created_from_the_preview_with_its_category_and_remembered(office):
    from awards.forms import LedgerNameFormSet
    from awards.models import Title

    admin = factories.user(role=roles.ADMINISTRATOR)  # creating a title is an administrator's right
    rows = [r[:] for r in ledger_rows()[:3]]
    for row in rows:
        row[4] = "Chiến sĩ tiên tiến cấp Cục"
    preview = imports.preview_ledger(ledger_table(rows), by=admin)
    assert [(u.kind, u.name, u.rows) for u in preview.unknown] == [("title", "Chiến sĩ tiên tiến cấp Cục", [2, 3, 4])]
    names = LedgerNameFormSet({"names-TOTAL_FORMS": "1", "names-INITIAL_FORMS": "1", "names-0-kind": "title",
                               "names-0-name": "Chiến sĩ tiên tiến cấp Cục", "names-0-target": "new",
                               "names-0-category": TitleCategory.EMULATION_TITLE,
                               "names-0-recipient_for": TitleFor.INDIVIDUAL}, prefix="names", user=admin)
    assert names.is_valid(), names.errors
    preview = imports.preview_ledger(ledger_table(rows), by=admin, mappings=names.mappings())
    assert not preview.errors and not Title.objects.filter(name="Chiến sĩ tiên tiến cấp Cục").exists()
    imports.commit_ledger(preview, by=admin)
    made = Title.objects.get(name="Chiến sĩ tiên tiến cấp Cục")
    assert (made.category, made.recipient_for, made.certificate_name) == (
        TitleCategory.EMULATION_TITLE, TitleFor.INDIVIDUAL, "CHIẾN SĨ TIÊN TIẾN CẤP CỤC")
    assert Decision.objects.get(number="12/QĐ-QLCN").awards.filter(title=made).count() == 3
    assert ImportAlias.objects.get().title == made
    assert AuditEntry.objects.filter(object_repr="Chiến sĩ tiên tiến cấp Cục").exists()


def test_a_ledger_without_a_required_column_is_refused_whole_naming_it(office):
    from awards.imports.ledger import summary

    headers = [h for h in HEADERS if h != "Năm thành tích"]
    rows = [[c for i, c in enumerate(r) if HEADERS[i] != "Năm thành tích"] for r in ledger_rows()]
    preview = imports.preview_ledger(ledger_table(rows, headers=headers), by=office["officer"])
    assert any("Năm thành tích" in p for p in preview.file_problems) and not preview.rows
    found = summary(preview)
    assert found["errors"] == 1 and found["decisions"] == [] and not found["names"]
