"""The officer's pages end to end through the test client: record, correct, revoke, list, export."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import roles
from awards.choices import TitleFor
from awards.models import AuditEntry, Award, Decision, RegisterCounter
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    top = factories.unit(full_name="Cục Quản lý công nghệ", short_name="Cục QLCN")
    unit_a = factories.unit(parent=top, full_name="Phòng Kế hoạch", short_name="PKH")
    unit_b = factories.unit(parent=top, full_name="Phòng Tài chính", short_name="PTC")
    return {
        "top": top, "a": unit_a, "b": unit_b,
        "authority": factories.authority(name="Cục trưởng Cục Quản lý công nghệ"),
        "title": factories.title(name="Giấy khen", recipient_for=TitleFor.BOTH),
        "individual_title": factories.title(name="Chiến sĩ tiên tiến", recipient_for=TitleFor.INDIVIDUAL),
        "officer": factories.user(role=roles.OFFICER, scope=unit_a),
        "media": settings.MEDIA_ROOT,
    }


def decision_data(office, recipients, **over):
    data = {
        "number": "12/QĐ-QLCN", "date": "2022-01-14", "authority": office["authority"].pk, "kind": "annual",
        "achievement_year": "2021", "title": office["title"].pk, "subject": "Về việc tặng Giấy khen",
        "reason": "Đã có thành tích xuất sắc năm 2021", "signer_prefix": "", "signer_on_behalf_of": "",
        "signer_title": "CỤC TRƯỞNG", "signer_rank": "", "signer_name": "Lê Văn Minh",
        "rows-TOTAL_FORMS": str(len(recipients)), "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0", "rows-MAX_NUM_FORMS": "3000",
    }
    for i, (recipient, title) in enumerate(recipients):
        data[f"rows-{i}-recipient"] = recipient
        data[f"rows-{i}-title"] = title.pk if title else ""
        data[f"rows-{i}-achievement"] = ""
    data.update(over)
    return data


def snapshot():
    """Everything a refused save must leave exactly as it was."""
    return (
        list(Decision.objects.values_list("pk", "number", "version")),
        list(Award.objects.values_list("pk", "status", "version", "register_number")),
        list(RegisterCounter.objects.values_list("pk", "last_number")),
        AuditEntry.objects.count(),
    )


def _png():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


def test_officer_records_a_decision_with_people_and_a_unit(client, office):
    people = [factories.person(full_name=n, unit_=office["a"]) for n in ("Nguyễn Văn An", "Trần Thị Bình")]
    client.force_login(office["officer"])
    rows = [(f"p:{p.pk}", None) for p in people] + [(f"u:{office['a'].pk}", None)]
    scan = SimpleUploadedFile("quyet-dinh.pdf", factories.scan_pdf(), content_type="application/pdf")
    response = client.post(reverse("awards:decision-create"), {**decision_data(office, rows), "scan": scan})
    decision = Decision.objects.get()
    assert response.status_code == 302 and response.url == decision.get_absolute_url()
    awards = list(decision.awards.order_by("seq"))
    assert [a.recipient_name for a in awards] == ["Nguyễn Văn An", "Trần Thị Bình", "Phòng Kế hoạch"]
    assert [a.register_number for a in awards] == [1, 2, 3]
    assert decision.created_by == office["officer"]
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "Trần Thị Bình" in page and "Phòng Kế hoạch" in page
    scan_page = client.get(reverse("awards:decision-scan", args=[decision.pk]))
    assert b"".join(scan_page.streaming_content).startswith(b"%PDF-")


def test_a_bad_row_saves_nothing_and_is_shown_on_its_row(client, office):
    good = factories.person(full_name="Nguyễn Văn An", unit_=office["a"])
    holder = factories.person(full_name="Phạm Văn Cường", unit_=office["a"])
    outsider = factories.person(full_name="Đỗ Thị Hoa", unit_=office["b"])
    earlier = factories.grant(rows=[factories.RecipientRow(person=holder, title=office["title"])],
                              authority_=office["authority"], year=2021, number="03/QĐ-QLCN")[0]
    before = snapshot()
    client.force_login(office["officer"])
    rows = [(f"p:{good.pk}", None), (f"p:{holder.pk}", None), (f"u:{office['a'].pk}", office["individual_title"]),
            (f"p:{outsider.pk}", None)]
    scan = SimpleUploadedFile("qd.png", _png(), content_type="image/png")
    response = client.post(reverse("awards:decision-create"), {**decision_data(office, rows), "scan": scan})
    assert response.status_code == 400
    assert snapshot() == before
    assert not any(office["media"].rglob("*.png")), "the uploaded scan must not stay behind"
    formset = response.context["formset"]
    assert formset.forms[0].non_field_errors() == []
    assert earlier.decision.number in formset.forms[1].non_field_errors()[0]
    assert "tập thể" in formset.forms[2].non_field_errors()[0]
    assert "không thuộc đơn vị" in formset.forms[3].non_field_errors()[0]
    html = response.content.decode()
    assert "3 trong 4 dòng có lỗi; chưa lưu gì cả." in html
    # What the officer entered is all still there to fix.
    assert "Nguyễn Văn An" in html and "Đỗ Thị Hoa" in html


def test_a_row_removed_on_the_page_is_not_recorded(client, office):
    kept, removed = (factories.person(unit_=office["a"]) for _ in range(2))
    client.force_login(office["officer"])
    data = decision_data(office, [(f"p:{kept.pk}", None), (f"p:{removed.pk}", None)], **{"rows-1-DELETE": "on"})
    assert client.post(reverse("awards:decision-create"), data).status_code == 302
    assert list(Award.objects.values_list("person", flat=True)) == [kept.pk]


@pytest.mark.parametrize("name, content, problem", [
    ("scan.pdf", b"%PDF-1.4 this is not really a PDF", "không phải"),
    ("scan.pdf", None, "không phải"),  # a real PNG named .pdf
    ("scan.png", b"GIF89a not a png", "không phải"),
    ("scan.docx", b"PK\x03\x04 a word file", "PDF, JPEG hoặc PNG"),
    ("scan.exe", b"MZ\x90\x00", "PDF, JPEG hoặc PNG"),
])
def test_the_scan_is_checked_by_its_content(client, office, name, content, problem):
    person = factories.person(unit_=office["a"])
    client.force_login(office["officer"])
    scan = SimpleUploadedFile(name, content if content is not None else _png())
    response = client.post(reverse("awards:decision-create"),
                           {**decision_data(office, [(f"p:{person.pk}", None)]), "scan": scan})
    assert response.status_code == 400
    assert problem in " ".join(response.context["form"].errors["scan"])
    assert not Decision.objects.exists()


def test_the_scan_size_is_capped(client, office, settings):
    settings.REGISTRY_SCAN_MAX_MB = 0.001
    person = factories.person(unit_=office["a"])
    client.force_login(office["officer"])
    scan = SimpleUploadedFile("scan.pdf", factories.scan_pdf() + b" " * 4096)
    response = client.post(reverse("awards:decision-create"),
                           {**decision_data(office, [(f"p:{person.pk}", None)]), "scan": scan})
    assert "MB" in " ".join(response.context["form"].errors["scan"]) and not Decision.objects.exists()


def test_recipient_search_ignores_accents_and_marks_the_officers_scope(client, office):
    factories.person(full_name="Nguyễn Quang Huy", unit_=office["a"])
    factories.person(full_name="Nguyễn Quang Hưng", unit_=office["b"])
    client.force_login(office["officer"])
    found = client.get(reverse("awards:recipient-search"), {"q": "nguyen quang h"}).json()["results"]
    by_label = {r["label"].split(" ", 2)[-1]: r for r in found}
    assert by_label["Nguyễn Quang Huy"]["in_scope"] is True
    assert by_label["Nguyễn Quang Hưng"]["in_scope"] is False
    units = client.get(reverse("awards:recipient-search"), {"q": "phong ke"}).json()["results"]
    assert [r["label"] for r in units] == ["Phòng Kế hoạch"]


# ---- the honours list -------------------------------------------------------------------------

def test_search_nguyen_quang_huy_finds_the_accented_name(client, office):
    huy = factories.award(person_=factories.person(full_name="Nguyễn Quang Huy", unit_=office["a"]))
    factories.award(person_=factories.person(full_name="Nguyễn Quang Hưng", unit_=office["a"]))
    client.force_login(factories.user(role=roles.STAFF))
    response = client.get(reverse("awards:award-list"), {"q": "nguyen quang huy"})
    rows = list(response.context["table"].page.object_list)
    assert [r.record for r in rows] == [huy]
    assert "Nguyễn Quang Huy" in response.content.decode()
    upper = client.get(reverse("awards:award-list"), {"q": "NGUYỄN QUANG HUY"})
    assert [r.record for r in upper.context["table"].page.object_list] == [huy]


def test_filters_combine_and_unit_includes_its_sub_units(client, office):
    sub = factories.unit(parent=office["a"], full_name="Ban Kế hoạch 1")
    t = office["title"]
    in_sub = factories.award(person_=factories.person(unit_=sub), title_=t, year=2020)
    in_a = factories.award(person_=factories.person(unit_=office["a"]), title_=t, year=2021)
    factories.award(person_=factories.person(unit_=office["b"]), title_=t, year=2021)  # other unit
    factories.award(person_=factories.person(unit_=office["a"]), title_=t, year=2015)  # too early
    collective = factories.award(unit_=sub, title_=t, year=2021)
    client.force_login(factories.user(role=roles.STAFF))
    params = {"unit": office["a"].pk, "year_min": 2019, "year_max": 2022}
    records = {r.record for r in client.get(reverse("awards:award-list"), params).context["table"].page.object_list}
    assert records == {in_sub, in_a, collective}
    individuals = client.get(reverse("awards:award-list"), {**params, "kind": "individual"}).context["table"]
    assert {r.record for r in individuals.page.object_list} == {in_sub, in_a}
    by_decision = client.get(reverse("awards:award-list"), {"decision": in_a.decision.number.split("/")[0]})
    assert in_a in {r.record for r in by_decision.context["table"].page.object_list}


def test_names_sort_the_vietnamese_way_by_given_name(client, office):
    names = ["Trần Văn Đức", "Nguyễn Văn Dũng", "Lê Thị An", "Phạm Văn Ánh", "Vũ Văn Ân"]
    for name in names:
        factories.award(person_=factories.person(full_name=name, unit_=office["a"]))
    client.force_login(factories.user(role=roles.STAFF))
    table = client.get(reverse("awards:award-list"), {"sort": "recipient"}).context["table"]
    got = [r.record.recipient_name for r in table.page.object_list]
    assert got == ["Lê Thị An", "Phạm Văn Ánh", "Vũ Văn Ân", "Nguyễn Văn Dũng", "Trần Văn Đức"]


def test_list_queries_do_not_grow_with_page_size(client, office):
    title = office["title"]
    people = [factories.person(full_name=f"Nguyễn Văn Thử {i}", unit_=office["a"]) for i in range(120)]
    factories.grant(rows=[factories.RecipientRow(person=p, title=title) for p in people])
    factories.award(unit_=office["a"], title_=title)
    client.force_login(factories.user(role=roles.STAFF))
    counts = {}
    for per_page in (10, 100):
        params = {"q": "nguyen", "unit": office["top"].pk, "year_min": 2000, "sort": "recipient", "per_page": per_page}
        client.get(reverse("awards:award-list"), params)  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("awards:award-list"), params)
        assert len(response.context["table"].page.object_list) == per_page
        counts[per_page] = len(queries)
        # The matching rows are counted once, for the table's pages (a list view that paginates
        # too counts them again: the most expensive query of a large registry, twice); with a name
        # search, with the page's keys (COUNT(…) OVER ()).
        counted = [q["sql"].upper() for q in queries.captured_queries
                   if q["sql"].upper().startswith("SELECT COUNT(") or "OVER ()" in q["sql"].upper()]
        assert len(counted) == 1 and "OVER ()" in counted[0]
    assert counts[10] == counts[100], counts
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("awards:decision-list"), {"year": 2021}).status_code == 200
    assert sum(q["sql"].upper().startswith("SELECT COUNT(") for q in queries.captured_queries) == 1


# ---- export ---------------------------------------------------------------------------------------

def _csv_rows(response):
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_export_rows_equal_the_filtered_list_with_diacritics(client, office):
    names = ["Nguyễn Thị Ánh Tuyết", "Đặng Quốc Việt", "Hoàng Thị Yến", "Bùi Văn Ước"]
    for i, name in enumerate(names):
        factories.award(person_=factories.person(full_name=name, unit_=office["a"]), year=2019 + i % 2)
    factories.award(person_=factories.person(full_name="Lý Văn Ngoài", unit_=office["b"]), year=2019)
    client.force_login(factories.user(role=roles.STAFF))
    params = {"unit": office["a"].pk, "year_max": 2020, "sort": "-recipient"}
    listed = [r.record for r in client.get(reverse("awards:award-list"), params).context["table"].page.object_list]
    exported = _csv_rows(client.get(reverse("awards:award-export", args=["csv"]), params))
    header, rows = exported[0], exported[1:]
    name_col = 5
    assert header[name_col] == "Người / Tập thể được khen" and header[1] == "Năm"
    assert [r[name_col] for r in rows] == [a.recipient_name for a in listed]
    assert sorted(r[name_col] for r in rows) == sorted(names)
    from openpyxl import load_workbook

    xlsx = client.get(reverse("awards:award-export", args=["xlsx"]), params)
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][name_col] == "Người / Tập thể được khen"  # the first line says what produced the file
    assert [v[name_col] for v in values[2:]] == [a.recipient_name for a in listed]


@pytest.mark.parametrize("params", [{"year_min": "hai nghìn"}, {"unit": "999999"}, {"status": "lost"}])
def test_a_filter_that_cannot_be_read_gives_no_rows_in_the_list_and_the_export(client, office, params):
    factories.award(person_=factories.person(unit_=office["a"]))
    client.force_login(factories.user(role=roles.STAFF))
    assert client.get(reverse("awards:award-list"), params).context["table"].paginator.count == 0
    assert len(_csv_rows(client.get(reverse("awards:award-export", args=["csv"]), params))) == 1


def test_export_neutralises_formulas(client, office):
    person = factories.person(full_name="Nguyễn Văn Công", unit_=office["a"])
    factories.grant(rows=[factories.RecipientRow(person=person, title=office["title"],
                                                 achievement='=HYPERLINK("http://x","bấm")')])
    client.force_login(factories.user(role=roles.STAFF))
    rows = _csv_rows(client.get(reverse("awards:award-export", args=["csv"])))
    assert rows[1][-1] == "'=HYPERLINK(\"http://x\",\"bấm\")"
    from openpyxl import load_workbook

    xlsx = client.get(reverse("awards:award-export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    cell = sheet.cell(row=3, column=sheet.max_column)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x","bấm")' and cell.quotePrefix


def test_service_numbers_only_for_officers(client, office):
    person = factories.person(full_name="Nguyễn Văn Số", unit_=office["a"], service_number="QN-77-123")
    factories.award(person_=person)
    client.force_login(factories.user(role=roles.STAFF))
    assert "QN-77-123" not in client.get(person.get_absolute_url()).content.decode()
    assert "QN-77-123" not in b"".join(client.get(reverse("awards:award-export", args=["csv"])).streaming_content).decode()
    client.force_login(office["officer"])
    assert "QN-77-123" in client.get(person.get_absolute_url()).content.decode()
    assert "QN-77-123" in b"".join(client.get(reverse("awards:award-export", args=["csv"])).streaming_content).decode()


# ---- correct, revoke, history ----------------------------------------------------------------------

def _correct_data(award, **over):
    data = {"title": award.title_id, "recipient_name": award.recipient_name, "rank": award.rank or "",
            "position": award.position, "unit_name": award.unit_name, "achievement": award.achievement,
            "note": "", "version": award.version}
    data.update(over)
    return data


def test_correction_is_saved_and_shown_in_the_history(client, office):
    award = factories.award(person_=factories.person(full_name="Nguyễn Văn Sửa", unit_=office["a"]))
    client.force_login(office["officer"])
    url = reverse("awards:award-correct", args=[award.pk])
    response = client.post(url, _correct_data(award, position="Trưởng phòng", note="Theo công văn 15/CV"))
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.position == "Trưởng phòng" and award.version == 2
    page = client.get(award.get_absolute_url()).content.decode()
    history = page[page.index('id="history"'):]
    assert "Trợ lý" in history and "Trưởng phòng" in history and office["officer"].username in history
    assert "Theo công văn 15/CV" in history


def test_two_officers_editing_the_same_award_cannot_overwrite_each_other(client, office):
    from django.test import Client

    award = factories.award(person_=factories.person(full_name="Nguyễn Văn Hai", unit_=office["a"]))
    first, second = Client(), Client()
    first.force_login(office["officer"])
    second.force_login(factories.user(role=roles.OFFICER, scope=office["a"]))
    url = reverse("awards:award-correct", args=[award.pk])
    opened = second.get(url).context["form"]["version"].value()
    assert first.post(url, _correct_data(award, position="Trưởng ban")).status_code == 302
    response = second.post(url, _correct_data(award, position="Phó ban", version=opened))
    assert response.status_code == 200
    award.refresh_from_db()
    assert award.position == "Trưởng ban", "the first officer's correction must stay"
    html = response.content.decode()
    assert 'id="stale"' in html and "Trưởng ban" in html and "Phó ban" in html
    assert response.context["stale"] == [("chức vụ", "Trưởng ban", "Phó ban")]
    # Having seen the change, the second officer can deliberately save theirs.
    form = response.context["form"]
    assert second.post(url, {**_correct_data(award, position="Phó ban"), "version": form["version"].value()}).status_code == 302
    award.refresh_from_db()
    assert award.position == "Phó ban" and award.version == 3


def test_two_officers_editing_the_same_decision_cannot_overwrite_each_other(client, office):
    from django.test import Client

    # Its honours are printed here, so it has a signer's office (a correction may not clear it).
    award = factories.award(person_=factories.person(unit_=office["a"]), authority_=office["authority"],
                            signer_title="CỤC TRƯỞNG")
    decision = award.decision
    first, second = Client(), Client()
    first.force_login(office["officer"])
    second.force_login(factories.user(role=roles.ADMINISTRATOR))
    url = reverse("awards:decision-edit", args=[decision.pk])
    form_a, form_b = first.get(url).context["form"], second.get(url).context["form"]

    def data(form, **over):
        values = {name: form[name].value() for name in form.fields if name != "scan"}
        values = {k: ("" if v is None else v) for k, v in values.items()}
        values.update(over)
        return values

    assert first.post(url, data(form_a, signer_name="Lê Văn Một")).status_code == 302
    response = second.post(url, data(form_b, signer_name="Trần Văn Hai"))
    assert response.status_code == 200 and 'id="stale"' in response.content.decode()
    decision.refresh_from_db()
    assert decision.signer_name == "Lê Văn Một"


def test_revocation_is_marked_in_list_page_and_export(client, office):
    person = factories.person(full_name="Nguyễn Văn Thu", unit_=office["a"])
    award = factories.award(person_=person, date=datetime.date(2022, 1, 10))
    client.force_login(office["officer"])
    url = reverse("awards:award-revoke", args=[award.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"number": "7/QĐ-QLCN", "date": "2022-06-01", "reason": "Vi phạm kỷ luật",
                                 "version": award.version})
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.is_revoked and award.revocation_number == "07/QĐ-QLCN" and Award.objects.filter(pk=award.pk).exists()

    listing = client.get(reverse("awards:award-list"), {"q": "nguyen van thu"})
    html = listing.content.decode()
    assert "revoked-row" in html and "Đã thu hồi" in html
    page = client.get(award.get_absolute_url()).content.decode()
    assert 'id="revocation"' in page and "07/QĐ-QLCN" in page and "Vi phạm kỷ luật" in page
    assert "Đã thu hồi" in page[page.index('id="history"'):]
    person_page = client.get(person.get_absolute_url()).content.decode()
    assert "revoked-row" in person_page
    row = _csv_rows(client.get(reverse("awards:award-export", args=["csv"]), {"q": "nguyen van thu"}))[1]
    assert "Đã thu hồi" in row and "07/QĐ-QLCN" in row and "Vi phạm kỷ luật" in row
    # Filtering by status finds it; "in force" does not.
    assert client.get(reverse("awards:award-list"), {"status": "active", "q": "thu"}).context["table"].paginator.count == 0


def test_revocation_needs_its_decision_and_reason(client, office):
    award = factories.award(person_=factories.person(unit_=office["a"]))
    client.force_login(office["officer"])
    response = client.post(reverse("awards:award-revoke", args=[award.pk]),
                           {"number": "", "date": "", "reason": "", "version": award.version})
    assert response.status_code == 400
    assert set(response.context["revoke_form"].errors) == {"number", "date", "reason"}
    award.refresh_from_db()
    assert not award.is_revoked


def test_officer_cannot_correct_outside_their_units(client, office):
    award = factories.award(person_=factories.person(unit_=office["b"]))
    client.force_login(office["officer"])
    assert client.post(reverse("awards:award-correct", args=[award.pk]),
                       _correct_data(award, position="X")).status_code == 403
    assert client.post(reverse("awards:award-revoke", args=[award.pk]),
                       {"number": "1/QĐ", "date": "2023-01-01", "reason": "r", "version": 1}).status_code == 403
    award.refresh_from_db()
    assert award.position != "X" and not award.is_revoked


def test_person_page_lists_honours_newest_first_with_counts(client, office):
    person = factories.person(full_name="Lê Thị Hồng", unit_=office["a"])
    t = office["individual_title"]
    awards = [factories.award(person_=person, title_=t, year=y) for y in (2019, 2021, 2020)]
    client.force_login(factories.user(role=roles.STAFF))
    response = client.get(person.get_absolute_url())
    assert [r.record.year for r in response.context["table"].page.object_list] == [2021, 2020, 2019]
    assert list(response.context["title_counts"]) == [{"title__name": "Chiến sĩ tiên tiến", "count": 3}]
    assert len(awards) == 3


def test_unit_page_shows_collective_and_members_honours(client, office):
    sub = factories.unit(parent=office["a"], full_name="Ban Một")
    collective = factories.award(unit_=office["a"], title_=office["title"])
    member = factories.award(person_=factories.person(unit_=sub), title_=office["title"])
    other = factories.award(person_=factories.person(unit_=office["b"]), title_=office["title"])
    client.force_login(factories.user(role=roles.STAFF))
    context = client.get(office["a"].get_absolute_url()).context
    assert [r.record for r in context["collective_table"].page.object_list] == [collective]
    members = {r.record for r in context["member_table"].page.object_list}
    assert member in members and other not in members


def test_a_persons_history_is_shown_to_officers_only(client, office):
    from awards import services

    person = factories.person(full_name="Võ Thị Sáu", unit_=office["a"], service_number="QN-1")
    person.service_number = "QN-2"
    services.record_save(instance=person, by=office["officer"])
    client.force_login(office["officer"])
    page = client.get(person.get_absolute_url()).content.decode()
    history = page[page.index('id="history"'):]
    assert "QN-1" in history and "QN-2" in history
    client.force_login(factories.user(role=roles.STAFF))
    page = client.get(person.get_absolute_url()).content.decode()
    assert 'id="history"' not in page and "QN-1" not in page


def test_the_unit_filter_lists_the_upper_levels_and_the_chosen_unit(client, office):
    deep = factories.unit(parent=factories.unit(parent=office["a"], full_name="Ban Một"), full_name="Tổ Sâu")
    factories.award(person_=factories.person(unit_=deep))
    client.force_login(factories.user(role=roles.STAFF))
    def unit_select(response):
        html = response.content.decode()
        start = html.index('name="unit"')
        return html[start:html.index("</select>", start)]

    offered = unit_select(client.get(reverse("awards:award-list")))
    assert "Phòng Kế hoạch" in offered and "Tổ Sâu" not in offered  # depth 3 is not offered by default
    chosen = client.get(reverse("awards:award-list"), {"unit": deep.pk})
    assert "Tổ Sâu" in unit_select(chosen) and chosen.context["table"].paginator.count == 1


def test_page_sizes_come_from_a_fixed_set_and_page_numbers_never_fail(client, office):
    title = office["title"]
    people = [factories.person(full_name=f"Đỗ Văn Trang {i}", unit_=office["a"]) for i in range(60)]
    awards = factories.grant(rows=[factories.RecipientRow(person=p, title=title) for p in people])
    factories.award(unit_=office["a"], title_=title)
    client.force_login(factories.user(role=roles.STAFF))
    honours = reverse("awards:award-list")

    def shown(url, **params):
        response = client.get(url, params)
        assert response.status_code == 200, (url, params)
        return response

    def rows(url, name="table", **params):
        return len(shown(url, **params).context[name].page.object_list)

    assert rows(honours, per_page=100000) == 50          # not a page size: the list's own, 50
    assert rows(honours, per_page=-1) == 50
    assert rows(honours, per_page="abc") == 50
    assert rows(honours, per_page=25) == 25
    assert rows(honours, per_page=10) == 10
    for page, expected in (("abc", 1), ("-1", 1), ("0", 1), ("99999", 2), ("1e9", 1), ("9" * 40, 2)):
        assert shown(honours, page=page).context["table"].page.number == expected, page
    decision = awards[0].decision
    for url in (reverse("awards:decision-list"), reverse("awards:decision-detail", args=[decision.pk]),
                reverse("awards:person-detail", args=[people[0].pk])):
        for params in ({"per_page": -1}, {"per_page": 100000}, {"page": "x"}, {"page": -5}, {"page": 10**6}):
            shown(url, **params)
    assert rows(reverse("awards:decision-detail", args=[decision.pk]), per_page=100000) == 60
    unit_page = reverse("awards:unit-detail", args=[office["a"].pk])
    for params in ({"c-page": "abc"}, {"m-page": "-1"}, {"m-page": "99999"}, {"m-per_page": "100000"},
                   {"c-per_page": "-1"}, {"m-page": "x", "c-page": "y"}):
        shown(unit_page, **params)
    assert rows(unit_page, "member_table", **{"m-per_page": "100000"}) == 50
    assert shown(unit_page, **{"m-page": "99999"}).context["member_table"].page.number == 2
    assert shown(unit_page, **{"m-page": "abc"}).context["member_table"].page.number == 1
    # A list paginated by Django's ListView answers a page that is not there with its 404.
    client.force_login(factories.user(role=roles.ORGANISER))
    assert client.get(reverse("awards:ceremony-list"), {"page": "abc"}).status_code == 404
    assert client.get(reverse("awards:ceremony-list"), {"page": "-1"}).status_code == 404


def test_a_replaced_scan_is_removed_when_its_replacement_commits(client, office, django_capture_on_commit_callbacks):
    person = factories.person(unit_=office["a"])
    first = SimpleUploadedFile("qd-goc.pdf", factories.scan_pdf(), content_type="application/pdf")
    award = factories.grant(rows=[factories.RecipientRow(person=person, title=office["title"])], scan=first,
                            signer_name="Lê Văn Minh", signer_title="CỤC TRƯỞNG")[0]
    decision = award.decision
    old = office["media"] / decision.scan.name
    assert old.is_file()
    client.force_login(office["officer"])
    edit = reverse("awards:decision-edit", args=[decision.pk])
    form = client.get(edit).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items() if name != "scan"}
    # A stale correction is refused: the scan stays.
    stale = {**data, "version": decision.version - 1,
             "scan": SimpleUploadedFile("qd-moi.pdf", factories.scan_pdf(), content_type="application/pdf")}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(edit, stale).context["stale"]
    assert old.is_file()
    assert sorted(p.name for p in office["media"].rglob("*.pdf")) == ["qd-goc.pdf"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, {**data, "scan": SimpleUploadedFile("qd-moi.pdf", factories.scan_pdf(),
                                                                       content_type="application/pdf")})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    decision.refresh_from_db()
    assert decision.scan.name.endswith("qd-moi.pdf")
    assert not old.exists()
    assert sorted(p.name for p in office["media"].rglob("*.pdf")) == ["qd-moi.pdf"]
    entry = AuditEntry.objects.filter(content_type__model="decision", object_id=str(decision.pk)).latest("pk")
    assert entry.changes["scan"][0].endswith("qd-goc.pdf")


def test_identifiers_only_for_officers_of_the_persons_units_and_administrators(client, office):
    ours = factories.person(full_name="Nguyễn Văn Mình", unit_=office["a"], service_number="QN-11-111",
                            citizen_id="001085000111")
    theirs = factories.person(full_name="Trần Văn Bạn", unit_=office["b"], service_number="QN-22-222",
                              citizen_id="001085000222")
    factories.grant(rows=[factories.RecipientRow(person=p, title=office["title"]) for p in (ours, theirs)])

    def seen(user):
        client.force_login(user)
        found = set()
        for person in (ours, theirs):
            page = client.get(person.get_absolute_url()).content.decode()
            found |= {f"page:{x}" for x in (person.service_number, person.citizen_id) if x in page}
        export = b"".join(client.get(reverse("awards:award-export", args=["csv"])).streaming_content).decode()
        found |= {f"csv:{x}" for x in ("QN-11-111", "QN-22-222") if x in export}
        listing = client.get(reverse("awards:award-list")).content.decode()
        found |= {f"list:{x}" for x in ("QN-11-111", "QN-22-222", "001085000111") if x in listing}
        return found

    both = {"page:QN-11-111", "page:001085000111", "page:QN-22-222", "page:001085000222", "csv:QN-11-111",
            "csv:QN-22-222"}
    assert seen(office["officer"]) == {"page:QN-11-111", "page:001085000111", "csv:QN-11-111"}  # unit a only
    assert seen(factories.user(role=roles.OFFICER, scope=office["top"])) == both
    assert seen(factories.user(role=roles.ADMINISTRATOR)) == both
    assert seen(factories.user(role=roles.STAFF)) == set()
    assert seen(factories.user(role=roles.ORGANISER)) == set()
    # The person's history carries identifiers too: shown to the same people only.
    client.force_login(office["officer"])
    assert client.get(theirs.get_absolute_url()).context["history"] is None
    assert client.get(ours.get_absolute_url()).context["history"] is not None


def test_the_excel_export_is_laid_out_to_be_read(client, office):
    import datetime

    from openpyxl import load_workbook

    person = factories.person(full_name="Nguyễn Thị Ánh Tuyết", unit_=office["a"])
    factories.grant(rows=[factories.RecipientRow(person=person, title=office["title"],
                                                 achievement="Hoàn thành xuất sắc nhiệm vụ năm 2021 " * 3)],
                    date=datetime.date(2022, 1, 14))
    client.force_login(factories.user(role=roles.STAFF))
    params = {"unit": office["a"].pk, "year_min": 2020, "q": "tuyet"}
    xlsx = client.get(reverse("awards:award-export", args=["xlsx"]), params)
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    caption = sheet["A1"].value
    assert caption.startswith("Sổ khen thưởng") and "Phòng Kế hoạch" in caption and "2020" in caption
    assert "tuyet" in caption and "Từ năm" in caption
    header = [c.value for c in sheet[2]]
    assert header[1] == "Năm" and sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == f"A2:{sheet.cell(row=3, column=len(header)).coordinate}"
    date_col = header.index("Ngày ký") + 1
    signed = sheet.cell(row=3, column=date_col)
    assert signed.value == datetime.datetime(2022, 1, 14) and signed.number_format == "dd/mm/yyyy"
    widths = {name: sheet.column_dimensions[sheet.cell(row=2, column=i + 1).column_letter].width
              for i, name in enumerate(header)}
    assert widths["Thành tích"] >= 60 and widths["Năm"] < 12 and widths["Người / Tập thể được khen"] >= 26
    whole = load_workbook(io.BytesIO(b"".join(client.get(reverse("awards:award-export", args=["xlsx"])).streaming_content))).active
    assert "không lọc" in whole["A1"].value
    # CSV keeps dates as the dd/mm/yyyy text offices type.
    rows = _csv_rows(client.get(reverse("awards:award-export", args=["csv"]), params))
    assert rows[1][rows[0].index("Ngày ký")] == "14/01/2022"


def test_a_decision_printed_here_needs_its_signer_where_it_is_typed(client, office):
    from awards.choices import HandsOver, TitleCategory

    person = factories.person(unit_=office["a"])
    client.force_login(office["officer"])
    data = decision_data(office, [(f"p:{person.pk}", None)], signer_name="", signer_title="")
    before = snapshot()
    response = client.post(reverse("awards:decision-create"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "Giấy khen" in errors["signer_name"][0] and "Giấy khen" in errors["signer_title"][0]
    assert snapshot() == before
    # A title that hands over nothing prints nothing: no signer needed to record it.
    advanced = factories.title(name="Lao động tiên tiến", category=TitleCategory.EMULATION_TITLE,
                               recipient_for=TitleFor.INDIVIDUAL, hands_over=HandsOver.NOTHING)
    data = decision_data(office, [(f"p:{person.pk}", advanced)], signer_name="", signer_title="",
                         title=advanced.pk, number="13/QĐ-QLCN")
    assert client.post(reverse("awards:decision-create"), data).status_code == 302
    # Clearing the signer of a decision whose honours print is refused on the field too.
    award = factories.grant(rows=[factories.RecipientRow(person=person, title=office["title"])], by=office["officer"],
                            signer_name="Lê Văn Minh", signer_title="CỤC TRƯỞNG", number="14/QĐ-QLCN")[0]
    edit = reverse("awards:decision-edit", args=[award.decision.pk])
    form = client.get(edit).context["form"]
    fields = {k: ("" if v is None else v) for k, v in form.initial.items() if k != "scan"}
    refused = client.post(edit, {**fields, "signer_name": ""})
    assert refused.status_code == 200 and refused.context["form"].errors["signer_name"]


def test_the_ceremony_check_names_each_missing_thing_once_per_decision_with_a_way_to_fix_it(client, office):
    import datetime

    from awards import services
    from awards.models import Ceremony

    people = [factories.person(unit_=office["a"]) for _ in range(3)]
    awards = factories.grant(rows=[factories.RecipientRow(person=p, title=office["title"]) for p in people],
                             number="20/QĐ-QLCN")  # recorded before the rule: no signer
    organiser = factories.user(role=roles.ORGANISER)
    ceremony = services.ceremony_create(by=organiser, ceremony=Ceremony(name="Lễ", date=datetime.date(2022, 2, 1)))
    services.ceremony_add_awards(ceremony=ceremony, by=organiser, awards=awards)
    client.force_login(office["officer"])
    page = client.get(ceremony.get_absolute_url()).content.decode()
    fixes = page[page.index('id="print-fixes"'):page.index("</ul>", page.index('id="print-fixes"'))]
    assert fixes.count("<li>") == 1 and "20/QĐ-QLCN (3 khen thưởng)" in fixes
    assert fixes.count("chưa có họ tên người ký") == 1 and fixes.count("chưa có chức vụ người ký") == 1
    assert reverse("awards:decision-edit", args=[awards[0].decision.pk]) in fixes
    client.force_login(organiser)
    page = client.get(ceremony.get_absolute_url()).content.decode()
    assert reverse("awards:decision-edit", args=[awards[0].decision.pk]) not in page


def test_a_page_read_keys_first_holds_the_same_rows_in_the_same_order_as_a_plain_slice(client, office):
    """tables.KeysFirstPaginator: the honours list reads a page's keys from the sort index, then
    its rows by key; every page (the last, a page past the end, any sort) is what slicing gives."""
    from django.core.paginator import Paginator

    from awards.models import Award
    from awards.tables import AwardTable, CountedPagePaginator, KeysFirstPaginator

    for i in range(23):
        factories.award(person_=factories.person(full_name=f"Phạm Văn Tú {i:02d}", unit_=office["a"]),
                        year=2010 + i % 5)
    searched = Award.objects.search("pham van tu 1")  # 10 to 19: one page and a bit
    for paginator_class, rows, pages in ((KeysFirstPaginator, Award.objects.all(), 3),
                                         (CountedPagePaginator, Award.objects.all(), 3),
                                         (CountedPagePaginator, searched, 1)):
        for order in (None, "recipient", "-year"):
            for number in range(1, pages + 1):
                plain = AwardTable(rows, order_by=order)
                plain.paginate(paginator_class=Paginator, per_page=8, orphans=2, page=number)
                keyed = AwardTable(rows, order_by=order)
                keyed.paginate(paginator_class=paginator_class, per_page=8, orphans=2, page=number)
                assert [r.record.pk for r in keyed.paginated_rows] == [r.record.pk for r in plain.paginated_rows]
                assert keyed.paginator.count == plain.paginator.count and keyed.page.number == number
    factories.sign_in(client, office["officer"].username, factories.PASSWORD)
    response = client.get("/honours/", {"page": 99, "per_page": 10})
    assert response.status_code == 200 and response.context["table"].page.number == 3
    assert type(response.context["table"].paginator) is KeysFirstPaginator
    searched = client.get("/honours/", {"q": "pham van tu", "page": 99, "per_page": 10})
    assert type(searched.context["table"].paginator) is CountedPagePaginator
    assert searched.context["table"].page.number == 3 and searched.context["table"].paginator.count == 23
