"""One's own record, correction requests, accounts, the year report and the dashboards."""

import datetime
import io
from collections import Counter

import pytest
from django.urls import reverse
from pypdf import PdfReader

from awards import roles, selectors, services
from awards.choices import CorrectionStatus, Rank, TitleFor
from awards.models import Award, CorrectionRequest, Unit
from awards.services import RecipientRow
from tests import factories

pytestmark = pytest.mark.django_db
SIGNED = {"signer_name": "Vũ Thanh Bình", "signer_title": "CỤC TRƯỞNG"}


@pytest.fixture
def office():
    top = factories.unit(full_name="Cục Quản lý công nghệ")
    plan = factories.unit(parent=top, full_name="Phòng Kế hoạch")
    finance = factories.unit(parent=top, full_name="Phòng Tài chính")
    me = factories.person(full_name="Trần Thị Minh Thư", rank=Rank.THIEU_TA, unit_=plan)
    me.user = factories.user(username="thu", role=roles.STAFF)
    me.save()
    neighbour = factories.person(full_name="Lê Văn Hàng Xóm", unit_=finance, service_number="QN-999")
    title = factories.title(name="Giấy khen", recipient_for=TitleFor.BOTH)
    mine = [factories.award(person_=me, title_=title, year=y, **SIGNED) for y in (2019, 2021, 2020)]
    theirs = factories.award(person_=neighbour, title_=title, year=2021, **SIGNED)
    unit_award = factories.award(unit_=plan, title_=title, year=2021, **SIGNED)
    return {"top": top, "plan": plan, "finance": finance, "me": me, "neighbour": neighbour, "title": title,
            "mine": mine, "theirs": theirs, "unit_award": unit_award}


def test_my_honours_shows_my_record_newest_first_and_my_units(client, office):
    client.force_login(office["me"].user)
    page = client.get(reverse("awards:my-honours"))
    years = page.context["years"]
    assert [year for year, _ in years] == [2021, 2020, 2019]
    assert {a.pk for _, awards in years for a in awards} == {a.pk for a in office["mine"]}
    html = page.content.decode()
    assert "Lê Văn Hàng Xóm" not in html and "QN-999" not in html
    assert [a.pk for a in page.context["unit_awards"]] == [office["unit_award"].pk]
    assert html.count("download-certificate") == 3


def test_my_certificate_downloads_and_another_id_reveals_nothing(client, office):
    client.force_login(office["me"].user)
    own = client.post(reverse("awards:my-certificate", args=[office["mine"][0].pk]))
    pdf = PdfReader(io.BytesIO(b"".join(own.streaming_content)))
    assert "Trần Thị Minh Thư" in pdf.pages[0].extract_text()
    someone_elses = client.post(reverse("awards:my-certificate", args=[office["theirs"].pk]))
    nobodys = client.post(reverse("awards:my-certificate", args=[999999]))
    collective = client.post(reverse("awards:my-certificate", args=[office["unit_award"].pk]))
    assert someone_elses.status_code == nobodys.status_code == collective.status_code == 404
    assert client.post(reverse("awards:award-certificate", args=[office["theirs"].pk])).status_code == 403
    assert client.get(reverse("awards:correction-create"), {"award": office["theirs"].pk}).status_code == 404
    assert client.get(reverse("awards:correction-create"), {"award": 999999}).status_code == 404
    # Posting someone else's award id in the form is refused as an invalid choice; nothing filed.
    refused = client.post(reverse("awards:correction-create"),
                          {"award": office["theirs"].pk, "kind": "rank", "message": "x"})
    assert refused.status_code == 200 and "award" in refused.context["form"].errors
    assert not CorrectionRequest.objects.exists()
    # A revoked award of mine is no longer downloadable.
    services.award_revoke(award=office["mine"][1], by=None, number="9/QĐ", date=datetime.date(2023, 1, 1), reason="Sai")
    assert client.post(reverse("awards:my-certificate", args=[office["mine"][1].pk])).status_code == 404


def test_an_account_without_a_person_is_told_so(client, office):
    client.force_login(factories.user(role=roles.STAFF))
    page = client.get(reverse("awards:my-honours"))
    assert page.status_code == 200 and "chưa gắn với hồ sơ cá nhân" in page.content.decode()
    assert client.post(reverse("awards:my-certificate", args=[office["mine"][0].pk])).status_code == 404


def test_correction_request_round_trip(client, office):
    from django.test import Client

    award = office["mine"][0]
    client.force_login(office["me"].user)
    filed = client.post(reverse("awards:correction-create"),
                        {"award": award.pk, "kind": "rank", "message": "Cấp bậc đúng là Trung tá"})
    assert filed.status_code == 302
    request = CorrectionRequest.objects.get()
    assert request.unit == office["plan"] and request.status == CorrectionStatus.OPEN

    other = Client()
    other.force_login(factories.user(role=roles.OFFICER, scope=office["finance"]))
    assert request not in other.get(reverse("awards:correction-queue")).context["open_requests"]
    assert other.get(request.get_absolute_url()).status_code == 403

    officer = Client()
    officer.force_login(factories.user(username="canbo", role=roles.OFFICER, scope=office["top"]))
    assert list(officer.get(reverse("awards:correction-queue")).context["open_requests"]) == [request]
    assert request in officer.get(reverse("awards:home")).context["open_requests"]
    form = officer.get(request.get_absolute_url()).context["award_form"]
    data = {f"award-{name}": ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    data.update({"award-rank": Rank.TRUNG_TA, "status": CorrectionStatus.RESOLVED, "note": "Đã sửa theo hồ sơ gốc"})
    answered = officer.post(request.get_absolute_url(), data)
    assert answered.status_code == 302
    award.refresh_from_db()
    request.refresh_from_db()
    assert award.rank == Rank.TRUNG_TA and award.version == 2
    assert request.status == CorrectionStatus.RESOLVED and request.resolved_by.username == "canbo"
    award_history = selectors.audit_trail(award)
    assert f"Đề nghị đính chính số {request.pk}" in award_history[0].note

    mine = client.get(reverse("awards:my-honours")).content.decode()
    section = mine[mine.index('id="my-requests"'):]
    assert "Đã đính chính" in section and "Đã sửa theo hồ sơ gốc" in section
    assert officer.post(request.get_absolute_url(), data).status_code in (400, 302)
    assert CorrectionRequest.objects.get().resolution == "Đã sửa theo hồ sơ gốc"


def test_a_request_can_be_answered_without_a_change(office):
    request = services.correction_request_file(by=office["me"].user, kind="missing",
                                               message="Thiếu Giấy khen năm 2018, quyết định 20/QĐ-QLCN")
    assert request.award is None and request.unit == office["plan"]
    officer = factories.user(role=roles.OFFICER, scope=office["plan"])
    with pytest.raises(services.RegistryError):
        services.correction_request_answer(request=request, by=officer, status=CorrectionStatus.REJECTED, note="")
    services.correction_request_answer(request=request, by=officer, status=CorrectionStatus.REJECTED,
                                       note="Không tìm thấy quyết định này trong sổ")
    request.refresh_from_db()
    assert request.status == CorrectionStatus.REJECTED


def test_password_change_from_the_account_page(client, office):
    client.force_login(office["me"].user)
    assert "Trần Thị Minh Thư" in client.get(reverse("awards:account")).content.decode()
    changed = client.post(reverse("awards:password-change"), {
        "old_password": "pw-Test-12345", "new_password1": "Mật-khẩu-mới-2026", "new_password2": "Mật-khẩu-mới-2026",
    })
    assert changed.status_code == 302
    client.logout()
    assert factories.sign_in(client, "thu", "Mật-khẩu-mới-2026")


def test_administrators_create_accounts_for_a_units_people(admin_client, office, client):
    newcomers = [factories.person(full_name=n, unit_=office["plan"]) for n in ("Đỗ Văn Mới", "Đỗ Văn Mới")]
    url = reverse("admin:awards_unit_changelist")
    page = admin_client.post(url, {"action": "create_unit_accounts", "_selected_action": [office["top"].pk]})
    created = page.context["created"]
    assert {p.pk for p, _u, _pw in created} == {p.pk for p in newcomers} | {office["neighbour"].pk}
    assert page.context["skipped"] == 1  # Thư already had one
    usernames = [u for _p, u, _pw in created]
    assert len(set(usernames)) == 3 and "do.van.moi" in usernames and "do.van.moi2" in usernames
    person, username, password = created[0]
    assert factories.sign_in(client, username, password)
    assert client.get(reverse("awards:my-honours")).context["person"] == person


# ---- the year report ----------------------------------------------------------------------------

@pytest.fixture
def report_world(office):
    """Awards across a unit with sub-units and one outside it, over three years."""
    sub = factories.unit(parent=office["plan"], full_name="Ban Kế hoạch 1")
    outside = factories.unit(full_name="Cục Khác")
    other_title = factories.title(name="Chiến sĩ tiên tiến", recipient_for=TitleFor.INDIVIDUAL)
    other_authority = factories.authority(name="Thủ trưởng Tổng cục")
    for year in (2019, 2020, 2021):
        rows = [RecipientRow(person=factories.person(unit_=u), title=other_title)
                for u in (office["plan"], sub, sub, office["finance"], outside)[: 2 + year - 2019]]
        rows.append(RecipientRow(unit=sub, title=office["title"]))
        factories.grant(rows=rows, year=year, number=f"{year}/QĐ-A", **SIGNED)
        factories.grant(rows=[RecipientRow(person=factories.person(unit_=sub), title=office["title"])],
                        authority_=other_authority, year=year, number=f"{year}/QĐ-B", **SIGNED)
    revoked = Award.objects.filter(year=2021, person__unit=sub).first()
    services.award_revoke(award=revoked, by=None, number="99/QĐ", date=datetime.date(2023, 1, 1), reason="Sai")
    return office


def independent_counts(unit, first, last):
    """Counted in Python from every award, walking parent links (not the stored path)."""
    def under(u):
        while u is not None:
            if u.pk == unit.pk:
                return True
            u = u.parent
        return False

    counts = Counter()
    for award in Award.objects.select_related("within_unit", "title", "authority"):
        if award.status == "active" and first <= award.year <= last and under(Unit.objects.get(pk=award.within_unit_id)):
            counts[(award.authority.name, award.title.name, "p" if award.person_id else "u")] += 1
    return counts


def test_report_figures_equal_counts_made_independently(report_world):
    unit = report_world["plan"]
    report = selectors.year_report(unit=unit, first=2020, last=2021)
    got = Counter()
    for row in report.rows:
        got[(row.authority, row.title, "p")] += row.individuals
        got[(row.authority, row.title, "u")] += row.collectives
    assert +got == independent_counts(unit, 2020, 2021)
    previous = independent_counts(unit, 2018, 2019)
    for row in report.rows:
        assert row.previous == previous[(row.authority, row.title, "p")] + previous[(row.authority, row.title, "u")]
    assert report.total.total == sum(independent_counts(unit, 2020, 2021).values())
    assert report.previous_period == "2018–2019"


def test_report_exports_carry_the_same_figures(client, report_world):
    from openpyxl import load_workbook

    client.force_login(factories.user(role=roles.OFFICER, scope=report_world["top"]))
    params = {"year_from": 2021, "year_to": 2021, "unit": report_world["plan"].pk}
    page = client.get(reverse("awards:year-report"), params)
    report = page.context["report"]
    assert report.rows and "<svg" in page.content.decode()
    expected = [[r.authority, r.title, r.individuals, r.collectives, r.total, r.previous, r.change] for r in report.rows]
    t = report.total
    expected_total = [t.individuals, t.collectives, t.total, t.previous, t.change]

    xlsx = client.get(reverse("awards:year-report-export", args=["xlsx"]), params)
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(min_row=6, values_only=True))
    assert [list(r[1:8]) for r in rows[:-1]] == expected
    assert rows[-1][1] == "Tổng cộng" and list(rows[-1][3:8]) == expected_total

    pdf = client.get(reverse("awards:year-report-export", args=["pdf"]), params)
    text = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert "BÁO CÁO TỔNG HỢP KHEN THƯỞNG" in text and "Phòng Kế hoạch" in text
    for i, row in enumerate(expected, start=1):
        assert f"{row[1]} {' '.join(str(v) for v in row[2:])}" in text, row
    assert "Tổng cộng " + " ".join(str(v) for v in expected_total) in text


# ---- dashboards ------------------------------------------------------------------------------------

def test_each_role_gets_its_dashboard(client, office):
    from awards.models import Ceremony

    Ceremony.objects.create(name="Lễ sắp tới", date=datetime.date.today() + datetime.timedelta(days=10))
    client.force_login(factories.user(role=roles.OFFICER, scope=office["top"]))
    html = client.get(reverse("awards:home")).content.decode()
    assert 'id="dash-requests"' in html and 'id="dash-year"' in html
    client.force_login(factories.user(role=roles.ORGANISER))
    html = client.get(reverse("awards:home")).content.decode()
    assert 'id="dash-ceremonies"' in html and "Lễ sắp tới" in html and 'id="dash-requests"' not in html
    client.force_login(office["me"].user)
    html = client.get(reverse("awards:home")).content.decode()
    assert 'id="dash-mine"' in html and 'id="dash-requests"' not in html and 'id="dash-ceremonies"' not in html


def test_the_year_report_workbook_keeps_formula_like_names_as_text(client):
    from openpyxl import load_workbook

    top = factories.unit(full_name="=HYPERLINK(\"http://x\",\"Cục\")", short_name="+Cục")
    authority = factories.authority(name="=cmd|' /C calc'!A0")
    title = factories.title(name="@SUM(1+1)")
    factories.award(person_=factories.person(unit_=top), title_=title, authority_=authority, year=2021)
    client.force_login(factories.user(role=roles.OFFICER, scope=top))
    params = {"year_from": 2021, "year_to": 2021, "unit": top.pk}
    book = load_workbook(io.BytesIO(client.get(reverse("awards:year-report-export", args=["xlsx"]), params).content))
    cells = {cell.value: cell for row in book.active.iter_rows() for cell in row if isinstance(cell.value, str)}
    for text in ("=HYPERLINK(\"http://x\",\"Cục\")", "=cmd|' /C calc'!A0", "@SUM(1+1)"):
        assert text in cells, sorted(cells)
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text


def test_the_answer_form_shows_real_radio_buttons_before_the_fields_they_refer_to(client, office):
    import re

    request = services.correction_request_file(by=office["me"].user, kind="rank", message="Sai cấp bậc",
                                               award=office["mine"][0])
    client.force_login(factories.user(role=roles.OFFICER, scope=office["plan"]))
    page = client.get(request.get_absolute_url()).content.decode()
    radios = re.findall(r'<input[^>]*type="radio"[^>]*>', page)
    assert len(radios) == 2 and all('class="form-check-input"' in r for r in radios), radios
    assert page.index('name="status"') < page.index('name="award-rank"') < page.index('name="note"')
    assert "<legend" in page and 'for="id_status_0"' in page
    # Chosen, then refused for a missing answer: the choice made is still the one shown.
    again = client.post(request.get_absolute_url(), {"status": CorrectionStatus.REJECTED, "note": ""}).content.decode()
    chosen = [r for r in re.findall(r'<input[^>]*type="radio"[^>]*>', again) if "checked" in r]
    assert len(chosen) == 1 and f'value="{CorrectionStatus.REJECTED}"' in chosen[0]
    # A missing honour has no fields to correct: its outcome does not point at any.
    missing = services.correction_request_file(by=office["me"].user, kind="missing", message="Thiếu Giấy khen 2018")
    page = client.get(missing.get_absolute_url()).content.decode()
    assert "Đã đính chính như dưới đây" not in page and 'name="award-rank"' not in page


def test_the_request_form_starts_from_a_kind_that_fits_the_honour_chosen(client, office):
    client.force_login(office["me"].user)
    url = reverse("awards:correction-create")
    blank = client.get(url).context["form"]
    assert blank["award"].value() in (None, "") and blank["kind"].value() == "missing"
    chosen = client.get(url, {"award": office["mine"][0].pk}).context["form"]
    assert chosen["kind"].value() == ""
    contradiction = client.post(url, {"award": office["mine"][0].pk, "kind": "missing", "message": "x"})
    assert contradiction.status_code == 200 and contradiction.context["form"].errors["kind"]
    no_award = client.post(url, {"award": "", "kind": "rank", "message": "x"})
    assert no_award.context["form"].errors["award"]
    assert not CorrectionRequest.objects.exists()


def test_staff_see_on_their_home_page_that_an_answer_has_arrived(client, office):
    request = services.correction_request_file(by=office["me"].user, kind="rank", message="Sai cấp bậc",
                                               award=office["mine"][0])
    client.force_login(office["me"].user)
    assert not client.get(reverse("awards:home")).context["answers"]
    officer = factories.user(role=roles.OFFICER, scope=office["plan"])
    services.correction_request_answer(request=request, by=officer, status=CorrectionStatus.REJECTED,
                                       note="Cấp bậc trong sổ đúng với quyết định")
    home = client.get(reverse("awards:home")).content.decode()
    notice = home[home.index('id="dash-answers"'):]
    assert "Cấp bậc trong sổ đúng với quyết định" in notice
    read = client.post(reverse("awards:correction-answer-seen", args=[request.pk]))
    assert read.status_code == 302
    assert 'id="dash-answers"' not in client.get(reverse("awards:home")).content.decode()
    # Nobody else marks it read.
    other = factories.user(role=roles.STAFF)
    client.force_login(other)
    assert client.post(reverse("awards:correction-answer-seen", args=[request.pk])).status_code == 404
