import pytest
from django.urls import reverse

from awards import roles
from tests import factories

pytestmark = pytest.mark.django_db


def test_sign_in_page_speaks_vietnamese_by_default(client):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "Đăng nhập" in page.content.decode()


def test_an_english_browser_still_gets_vietnamese(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Đăng nhập" in page.content.decode()


def test_english_is_available_through_the_switch(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("login"))
    assert "Sign in" in page.content.decode() and "Đăng nhập" not in page.content.decode()


def test_home_needs_sign_in(client):
    page = client.get(reverse("awards:home"))
    assert page.status_code == 302 and page.url.startswith(reverse("login"))


def test_signed_in_user_sees_recent_decisions(client):
    award = factories.award()
    client.force_login(factories.user(role=roles.STAFF))
    page = client.get(reverse("awards:home"))
    assert page.status_code == 200
    assert award.decision.number in page.content.decode()


def test_sign_in_and_out(client):
    factories.user(username="thu", role=roles.STAFF)
    page = client.post(reverse("login"), {"username": "thu", "password": "pw-Test-12345"})
    assert page.status_code == 302
    assert client.get(reverse("awards:home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("awards:home")).status_code == 302


ADMIN_MODELS = ["unit", "person", "authority", "title", "decision", "award", "auditentry", "profile", "registercounter",
                "printlog", "ceremony", "correctionrequest", "job", "importalias"]


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_back_office_lists_search_and_filter_every_model(admin_client, model):
    factories.award()
    url = reverse(f"admin:awards_{model}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "nguyen"}).status_code == 200


def test_back_office_search_ignores_accents(admin_client):
    factories.person(full_name="Dương Văn Yên")
    page = admin_client.get(reverse("admin:awards_person_changelist"), {"q": "duong van yen"})
    assert "Dương Văn Yên" in page.content.decode()


def test_back_office_edit_of_a_person_is_audited(admin_client):
    from awards.models import AuditEntry

    p = factories.person(full_name="Lê Văn Tám")
    url = reverse("admin:awards_person_change", args=[p.pk])
    form = {"full_name": "Lê Văn Tám", "given_name": "Tám", "rank": "", "position": "Kỹ sư",
            "unit": p.unit.pk, "service_number": "", "citizen_id": "", "user": ""}
    assert admin_client.post(url, form).status_code == 302
    entry = AuditEntry.objects.get(object_id=str(p.pk), content_type__model="person", action="update")
    assert entry.changes["position"] == ["Trợ lý", "Kỹ sư"]


def test_back_office_cannot_delete_awards(admin_client):
    award = factories.award()
    assert admin_client.get(reverse("admin:awards_award_delete", args=[award.pk])).status_code == 403


def test_recent_decisions_come_newest_first(client):
    import datetime

    older = factories.award(year=2019, date=datetime.date(2020, 1, 10)).decision
    newer = factories.award(year=2021, date=datetime.date(2022, 1, 10)).decision
    middle = factories.award(year=2020, date=datetime.date(2021, 11, 25)).decision
    client.force_login(factories.user(role=roles.STAFF))
    html = client.get(reverse("awards:home")).content.decode()
    assert html.index(newer.number) < html.index(middle.number) < html.index(older.number)


def test_back_office_shows_awards_and_decisions_but_corrections_go_through_the_registry(admin_client):
    award = factories.award()
    url = reverse("admin:awards_award_change", args=[award.pk])
    page = admin_client.get(url)
    from django.contrib.contenttypes.models import ContentType

    on_site = reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(award).pk, award.pk])
    assert page.status_code == 200 and on_site in page.content.decode()
    assert admin_client.post(url, {"recipient_name": "Người Khác"}).status_code == 403
    award.refresh_from_db()
    assert award.recipient_name != "Người Khác" and award.version == 1
    decision_url = reverse("admin:awards_decision_change", args=[award.decision_id])
    assert admin_client.post(decision_url, {"signer_name": "X"}).status_code == 403


def test_pages_name_an_icon_the_app_serves(client):
    from django.contrib.staticfiles import finders

    html = client.get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg"' in html and finders.find("favicon.svg")


@pytest.mark.parametrize("table_name", ["AwardTable", "DecisionAwardTable"])
def test_quick_rows_are_exactly_what_django_tables2_renders(rf, table_name):
    """The honours tables write their rows themselves for speed; the HTML must not differ."""
    import re

    from awards import selectors, tables
    from awards.choices import AwardStatus

    office = factories.unit(full_name="Phòng Kỹ thuật")
    people = [factories.person(full_name=name, unit_=office) for name in
              ("Nguyễn Văn <b>An</b> & Co", "Trần Thị Bình", "Lê Quang Huy")]
    from awards.services import RecipientRow

    title = factories.title(name="Giấy khen")
    awards = factories.grant(rows=[*(RecipientRow(person=p, title=title) for p in people),
                                   RecipientRow(unit=office, title=title)])
    records = list(selectors.award_queryset().filter(decision=awards[0].decision).order_by("seq"))
    records[0].status, records[0].revocation_number = AwardStatus.REVOKED, "9/<QĐ>"
    records[1].unit_name = ""  # an empty cell shows django-tables2's default
    table_class = getattr(tables, table_name)
    request = rf.get("/honours/")
    request.user = factories.user(role=roles.STAFF)

    def html(template):
        table = table_class(records, template_name=template)
        table.paginate(per_page=10)
        rendered = table.as_html(request)
        return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", rendered)).strip()

    quick, standard = html("includes/_quick_table.html"), html("includes/_table.html")
    assert "revoked-row" in quick and "&lt;b&gt;An&lt;/b&gt; &amp; Co" in quick and "—" in quick
    assert quick == standard


def test_quick_select_renders_exactly_what_django_renders():
    import re

    from django import forms

    from awards.widgets import QuickSelect

    choices = [("", "Tất cả"), (1, "Cục <Quản lý> & “công nghệ”"), ("Nhóm", [(2, "Phòng 2"), (3, "Ban 3")]), (None, "—")]
    for value in ("", 1, "3", None, [1]):
        for attrs in ({"class": "form-select", "id": "id_unit"}, {"required": True, "disabled": False}):
            django_html = forms.Select(attrs=attrs, choices=choices).render("unit", value)
            quick_html = QuickSelect(attrs=attrs, choices=choices).render("unit", value)
            normal = [re.sub(r">\s+<", "><", html).strip() for html in (django_html, quick_html)]
            assert normal[0] == normal[1], (value, attrs)
    assert "&lt;Quản lý&gt; &amp;" in quick_html and 'value="3"' in quick_html


def test_postgresql_serves_the_search_box_from_a_trigram_index():
    """The honours, people and unit searches match anywhere in a name; on PostgreSQL a trigram
    index serves that LIKE (a million honours were otherwise scanned on every search)."""
    from django.db import connection

    from awards.models import Award, Person, Unit

    if connection.vendor != "postgresql":
        pytest.skip("GIN trigram indexes are PostgreSQL's (SQLite's FTS5 index is tested in test_models)")
    for model, index in ((Award, "award_search_trgm"), (Person, "person_search_trgm"), (Unit, "unit_search_trgm")):
        sql, params = model.objects.search("Nguyễn Văn An").order_by().query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny test table would be scanned anyway
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert index in plan, plan


def test_within_the_root_of_the_only_tree_is_everything_and_with_two_trees_only_its_own():
    from awards.models import Award

    top = factories.unit(full_name="Tổng cục")
    office = factories.unit(parent=top, full_name="Phòng Kế hoạch")
    mine = factories.award(person_=factories.person(full_name="Lê Văn An", unit_=office))
    assert list(Award.objects.within(top)) == [mine]
    assert "JOIN" not in str(Award.objects.within(top).query)  # the whole registry: no test per row
    other_tree = factories.unit(full_name="Đơn vị ngoài")
    theirs = factories.award(person_=factories.person(full_name="Lê Văn Bình", unit_=other_tree))
    assert list(Award.objects.within(top)) == [mine] and list(Award.objects.within(other_tree)) == [theirs]
    assert list(Award.objects.within(office)) == [mine]


def test_error_pages_are_the_registrys_own_in_vietnamese(client, monkeypatch):
    from awards import selectors

    staff = factories.user(role=roles.STAFF)
    client.force_login(staff)
    missing = client.get("/honours/999999/")
    page = missing.content.decode()
    assert missing.status_code == 404
    assert "Lỗi 404" in page and 'id="nav"' in page and "Về trang chủ" in page and "Sổ khen thưởng" in page
    refused = client.get(reverse("awards:decision-create"))
    page = refused.content.decode()
    assert refused.status_code == 403
    assert "Lỗi 403" in page and 'id="nav"' in page
    reason = page.split('id="error-reason">', 1)[1].split("</p>", 1)[0]
    assert "cán bộ thi đua – khen thưởng" in reason and "quản trị viên" in reason
    assert "cán bộ, nhân viên" not in reason  # staff do not hold it
    client.logout()
    assert "Lỗi 404" in client.get("/khong-co-trang-nay/").content.decode()

    def broken(**kwargs):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(selectors, "registry_counts", broken)
    client.force_login(staff)
    client.raise_request_exception = False
    failed = client.get(reverse("awards:home"))
    page = failed.content.decode()
    assert failed.status_code == 500
    assert "Lỗi 500" in page and 'id="nav"' in page and "Về trang chủ" in page


def test_history_tables_name_every_field_in_vietnamese(client):
    import datetime

    from django.utils import translation

    from awards import selectors, services
    from awards.models import Ceremony

    officer = factories.user(role=roles.ADMINISTRATOR)
    award = factories.award(by=officer)
    decision = award.decision
    services.decision_update(decision=decision, by=officer, expected_version=decision.version,
                             date=datetime.date(2023, 2, 1), subject="Về việc tặng Giấy khen")
    unit = award.person.unit
    unit.full_name = "Phòng Kế hoạch mới"
    services.record_save(instance=unit, by=officer)
    person = award.person
    person.position = "Trưởng ban"
    services.record_save(instance=person, by=officer)
    ceremony = services.ceremony_create(by=officer, ceremony=Ceremony(name="Lễ", date=datetime.date(2023, 3, 1)))
    services.ceremony_add_awards(ceremony=ceremony, by=officer, awards=[award])
    for record in (decision, award, unit, person, ceremony):
        record.refresh_from_db()
        labels = {}
        for language in ("vi", "en"):
            with translation.override(language):
                labels[language] = [str(label) for entry in selectors.audit_trail(record) for label, *_r in entry.rows]
        assert labels["vi"], record
        untranslated = [vi for vi, en in zip(labels["vi"], labels["en"]) if vi == en]
        assert not untranslated, (type(record).__name__, untranslated)
    with translation.override("vi"):
        unit_labels = [str(label) for entry in selectors.audit_trail(unit) for label, *_r in entry.rows]
    assert "tên đầy đủ" in unit_labels and "họ và tên / tên đầy đủ" not in unit_labels


def test_forms_answer_with_the_registrys_messages_not_the_browsers_bubbles(client):
    """Every form is `novalidate`: a missing or malformed field is answered by the form's own
    Vietnamese message, not by the browser's validation bubble (in the browser's language)."""
    import re

    award = factories.award(signer_name="Vũ Thanh Bình", signer_title="CỤC TRƯỞNG")
    client.force_login(factories.user(role=roles.ADMINISTRATOR, is_staff=True))
    urls = [reverse("awards:home"), reverse("awards:award-list"), award.get_absolute_url(),
            reverse("awards:award-correct", args=[award.pk]), award.decision.get_absolute_url(),
            reverse("awards:decision-create"), reverse("awards:decision-edit", args=[award.decision.pk]),
            reverse("awards:decision-list"), reverse("awards:year-report"), reverse("awards:candidates"),
            reverse("awards:decision-import"), reverse("awards:roster-import"), reverse("awards:password-change"),
            reverse("awards:ceremony-create"), reverse("awards:verify-lookup")]
    for url in urls:
        for tag in re.findall(r"<form\b[^>]*>", client.get(url).content.decode()):
            assert "novalidate" in tag, (url, tag)
    client.logout()
    for tag in re.findall(r"<form\b[^>]*>", client.get(reverse("login")).content.decode()):
        assert "novalidate" in tag
    # And the server says what is missing, in Vietnamese.
    response = client.post(reverse("login"), {"username": "", "password": ""})
    assert "Trường này là bắt buộc" in response.content.decode()


def test_the_back_office_speaks_vietnamese_and_carries_the_icon(admin_client, client, settings):
    import re
    from html import unescape

    from django.utils import translation

    factories.award()
    pages = ["/admin/", "/admin/axes/accessattempt/", "/admin/axes/accesslog/", "/admin/auth/user/",
             "/admin/auth/user/add/", "/admin/awards/person/", "/admin/awards/person/add/", "/admin/awards/job/",
             "/admin/awards/importalias/", "/admin/awards/importalias/add/"]
    english = ["Skip to main content", "Show counts", "Toggle theme", "Model name", "Add link",
               "Change or view list link", "Access attempts", "Access logs", "Attempt Time", "Locked Out",
               "Access failures", "Set password", "Password-based authentication", "Breadcrumbs",
               "Task results", "Tasks"]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        page = unescape(response.content.decode())
        assert 'rel="icon"' in page and "favicon.svg" in page, url
        found = [word for word in english if re.search(rf"\b{re.escape(word)}\b", page)]
        assert not found, (url, found)
    login = client.get("/admin/login/").content.decode()
    assert "favicon.svg" in login
    with translation.override("vi"):
        from axes.models import AccessAttempt

        assert str(AccessAttempt._meta.verbose_name_plural) == "các lượt đăng nhập"
    # The lockout page, reached from the back office's sign-in too.
    settings.AXES_FAILURE_LIMIT = 2
    factories.user(username="quantri", is_staff=True)
    for _ in range(2):
        locked = client.post("/admin/login/", {"username": "quantri", "password": "sai", "next": "/admin/"})
    assert locked.status_code == 429 and "Quá nhiều lần đăng nhập sai" in locked.content.decode()


def test_the_officers_dashboard_offers_to_record_a_decision_and_the_subject_fits_the_title(client):
    import json

    from awards.choices import TitleCategory

    emulation = factories.title(name="Chiến sĩ tiên tiến", category=TitleCategory.EMULATION_TITLE)
    client.force_login(factories.user(role=roles.OFFICER, scope=factories.unit()))
    home = client.get(reverse("awards:home")).content.decode()
    actions = home[home.index('id="dash-actions"'):]
    assert reverse("awards:decision-create") in actions[:600] and "Ghi quyết định" in actions[:600]
    form = client.get(reverse("awards:decision-create"), {"title": emulation.pk}).context["form"]
    assert form["subject"].value() == "Về việc tặng danh hiệu “Chiến sĩ tiên tiến”"
    subjects = json.loads(form.fields["title"].widget.attrs["data-subjects"])
    assert subjects[str(emulation.pk)] == "Về việc tặng danh hiệu “Chiến sĩ tiên tiến”"
    client.force_login(factories.user(role=roles.STAFF))
    assert 'id="dash-actions"' not in client.get(reverse("awards:home")).content.decode()
