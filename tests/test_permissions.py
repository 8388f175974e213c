"""Every URL of the registry, for every role, with the status it must answer.

The list of URLs comes from the URL configuration itself: a view added later without an
entry here fails test_every_url_has_an_expectation, and one added without protection
fails the anonymous column.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from awards import jobs, roles, services
from awards.choices import TaskRating
from awards.models import (
    CertificateLayout,
    Ceremony,
    CeremonyItem,
    CorrectionRequest,
    Council,
    CouncilMeeting,
    Dossier,
    Job,
    Listing,
    Objection,
    Rating,
    ServiceBreak,
)
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "staff", "officer_same_unit", "officer_other_unit", "organiser", "administrator"]
SIGN_IN = "sign-in"  # a redirect to the sign-in page


def url_views(patterns=None, namespace=""):
    """{name: view} of every named URL pattern of the project, except Django's own admin site."""
    views = {}
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            views.update(url_views(entry.url_patterns, inner))
        elif isinstance(entry, URLPattern) and entry.name:
            views[namespace + entry.name] = entry.callback
    return views


def url_names():
    """Every named URL pattern of the project, except Django's own admin site."""
    return list(url_views())


def everyone(status):
    return {role: status for role in ROLES[1:]}


READ = {"anonymous": SIGN_IN, **everyone(200)}
# Officers, organisers and administrators print certificates and see ceremonies.
PRINTERS = {"officer_same_unit": 200, "officer_other_unit": 200, "organiser": 200, "administrator": 200}
# An officer prints their own units' certificates; another unit's are refused with the reason (302).
PRINTS_OWN_UNITS = {"anonymous": SIGN_IN, "staff": 403, **PRINTERS, "officer_other_unit": 302}


def UNIT_OFFICERS(status):
    """Officers of the record's unit (and administrators) only."""
    return {"staff": 403, "officer_same_unit": status, "officer_other_unit": 403, "organiser": 403,
            "administrator": status}


def OFFICERS(status):
    """Every officer, whatever their unit (and administrators)."""
    return {"staff": 403, "officer_same_unit": status, "officer_other_unit": status, "organiser": 403,
            "administrator": status}


def ORGANISERS(status):
    """Only organisers and administrators arrange ceremonies."""
    return {"staff": 403, "officer_same_unit": 403, "officer_other_unit": 403, "organiser": status,
            "administrator": status}

def DOSSIER(status):
    """A dossier of the proposing unit: its officers and administrators; other officers find nothing."""
    return {"staff": 403, "officer_same_unit": status, "officer_other_unit": 404, "organiser": 403,
            "administrator": status}


# (method, {role: expected status})
EXPECTED = {
    "login": ("get", {"anonymous": 200, **everyone(302)}),
    "logout": ("post", {"anonymous": 302, **everyone(302)}),
    "set_language": ("post", {"anonymous": 302, **everyone(302)}),
    "awards:home": ("get", READ),
    "awards:award-list": ("get", READ),
    "awards:award-export": ("get", READ),
    "awards:award-detail": ("get", READ),
    "awards:award-correct": ("get", {"anonymous": SIGN_IN, **UNIT_OFFICERS(200)}),
    # An empty form: allowed roles get the form back with its errors (400), nothing revoked.
    "awards:award-revoke": ("post", {"anonymous": SIGN_IN, **UNIT_OFFICERS(400)}),
    "awards:decision-list": ("get", READ),
    "awards:decision-create": ("get", {"anonymous": SIGN_IN, **OFFICERS(200)}),
    "awards:decision-detail": ("get", READ),
    "awards:decision-edit": ("get", {"anonymous": SIGN_IN, **UNIT_OFFICERS(200)}),
    "awards:decision-scan": ("get", READ),
    # The payment list: money, for those who see reports.
    "awards:decision-payments": ("get", {"anonymous": SIGN_IN, "staff": 403, **PRINTERS}),
    "awards:person-detail": ("get", READ),
    "awards:unit-list": ("get", READ),
    "awards:unit-detail": ("get", READ),
    "awards:award-certificate": ("post", PRINTS_OWN_UNITS),
    "awards:decision-certificates": ("post", PRINTS_OWN_UNITS),
    "awards:ceremony-list": ("get", {"anonymous": SIGN_IN, "staff": 403, **PRINTERS}),
    "awards:ceremony-detail": ("get", {"anonymous": SIGN_IN, "staff": 403, **PRINTERS}),
    "awards:ceremony-preview": ("get", {"anonymous": SIGN_IN, "staff": 403, **PRINTERS}),
    "awards:ceremony-print": ("post", PRINTS_OWN_UNITS),
    "awards:ceremony-create": ("get", {"anonymous": SIGN_IN, **ORGANISERS(200)}),
    "awards:ceremony-edit": ("get", {"anonymous": SIGN_IN, **ORGANISERS(200)}),
    # Changes to a ceremony's list answer with a redirect back to the ceremony.
    "awards:ceremony-add": ("post", {"anonymous": SIGN_IN, **ORGANISERS(302)}),
    "awards:ceremony-move": ("post", {"anonymous": SIGN_IN, **ORGANISERS(302)}),
    "awards:ceremony-remove": ("post", {"anonymous": SIGN_IN, **ORGANISERS(302)}),
    "awards:ceremony-reset-order": ("post", {"anonymous": SIGN_IN, **ORGANISERS(302)}),
    # Public: certificate verification (rate-limited) and robots.txt.
    "awards:verify-lookup": ("get", {"anonymous": 200, **everyone(200)}),
    "awards:verify": ("get", {"anonymous": 200, **everyone(200)}),
    "awards:robots": ("get", {"anonymous": 200, **everyone(200)}),
    # One's own record: this world's award is nobody's here, so it answers 404 like any other id.
    "awards:my-honours": ("get", READ),
    "awards:my-certificate": ("post", {"anonymous": SIGN_IN, **everyone(404)}),
    # Accounts without a person record are sent back to "my honours" with a message.
    "awards:correction-create": ("get", {"anonymous": SIGN_IN, **everyone(302)}),
    # Someone else's request (the walk uses one request for all roles): like no request at all.
    "awards:correction-answer-seen": ("post", {"anonymous": SIGN_IN, **everyone(404)}),
    "awards:correction-queue": ("get", {"anonymous": SIGN_IN, **OFFICERS(200)}),
    "awards:correction-detail": ("get", {"anonymous": SIGN_IN, **UNIT_OFFICERS(200)}),
    "awards:account": ("get", READ),
    "awards:password-change": ("get", READ),
    "awards:year-report": ("get", {"anonymous": SIGN_IN, "staff": 403, **PRINTERS}),
    "awards:year-report-export": ("get", {"anonymous": SIGN_IN, "staff": 403, **PRINTERS}),
    "awards:recipient-search": ("get", {"anonymous": SIGN_IN, **OFFICERS(200)}),
    "awards:candidates": ("get", {"anonymous": SIGN_IN, "staff": 403, **PRINTERS}),
    "awards:candidates-export": ("get", {"anonymous": SIGN_IN, "staff": 403, **PRINTERS}),
    "awards:decision-import": ("get", {"anonymous": SIGN_IN, **OFFICERS(200)}),
    "awards:roster-import": ("get", {"anonymous": SIGN_IN, **OFFICERS(200)}),
    "awards:ledger-import": ("get", {"anonymous": SIGN_IN, **OFFICERS(200)}),
    "awards:import-template": ("get", {"anonymous": SIGN_IN, **OFFICERS(200)}),
    # Layouts on blanks: read, sheets and test prints by whoever prints; an empty offset is refused.
    "awards:layout-list": ("get", {"anonymous": SIGN_IN, "staff": 403, **PRINTERS}),
    "awards:layout-detail": ("get", {"anonymous": SIGN_IN, "staff": 403, **PRINTERS}),
    "awards:layout-alignment": ("get", {"anonymous": SIGN_IN, "staff": 403, **PRINTERS}),
    "awards:layout-sample": ("get", {"anonymous": SIGN_IN, "staff": 403, **PRINTERS}),
    # The evidence the rules read: for the officers of the person's or unit's own units; a removal
    # without its confirmation is refused (400), nothing removed.
    "awards:person-evidence-new": ("get", {"anonymous": SIGN_IN, **UNIT_OFFICERS(200)}),
    "awards:unit-evidence-new": ("get", {"anonymous": SIGN_IN, **UNIT_OFFICERS(200)}),
    "awards:evidence-edit": ("get", {"anonymous": SIGN_IN, **UNIT_OFFICERS(200)}),
    "awards:evidence-delete": ("post", {"anonymous": SIGN_IN, **UNIT_OFFICERS(400)}),
    "awards:evidence-import": ("get", {"anonymous": SIGN_IN, **OFFICERS(200)}),
    "awards:person-service": ("get", {"anonymous": SIGN_IN, **UNIT_OFFICERS(200)}),
    "awards:service-break-delete": ("post", {"anonymous": SIGN_IN, **UNIT_OFFICERS(400)}),
    # Dossiers: the proposing unit's officers (and administrators); an officer of another unit
    # finds no such dossier (404); the receiving office's moves are refused to the proposing unit.
    "awards:dossier-list": ("get", {"anonymous": SIGN_IN, **OFFICERS(200)}),
    "awards:dossier-inbox": ("get", {"anonymous": SIGN_IN, **OFFICERS(200)}),
    "awards:dossier-create": ("get", {"anonymous": SIGN_IN, **OFFICERS(200)}),
    "awards:dossier-detail": ("get", {"anonymous": SIGN_IN, **DOSSIER(200)}),
    "awards:dossier-edit": ("get", {"anonymous": SIGN_IN, **DOSSIER(200)}),
    "awards:dossier-nominee-add": ("get", {"anonymous": SIGN_IN, **DOSSIER(200)}),
    "awards:dossier-import": ("get", {"anonymous": SIGN_IN, **DOSSIER(200)}),
    # An empty move or upload: back to the dossier with what is wrong, nothing changed.
    "awards:dossier-move": ("post", {"anonymous": SIGN_IN, **DOSSIER(302)}),
    "awards:dossier-attach": ("post", {"anonymous": SIGN_IN, **DOSSIER(302)}),
    "awards:nominee-edit": ("get", {"anonymous": SIGN_IN, **DOSSIER(200)}),
    "awards:nominee-remove": ("post", {"anonymous": SIGN_IN, **DOSSIER(302)}),
    "awards:nominee-review": ("post", {"anonymous": SIGN_IN, **DOSSIER(302), "officer_same_unit": 403}),
    "awards:attachment-download": ("get", {"anonymous": SIGN_IN, **DOSSIER(200)}),
    "awards:attachment-remove": ("post", {"anonymous": SIGN_IN, **DOSSIER(302)}),
    "awards:nominations-forward": ("get", {"anonymous": SIGN_IN, **OFFICERS(200)}),
    # Without a list to decide from (a dossier, or an authority and year): no such list.
    "awards:nominations-decide": ("get", {"anonymous": SIGN_IN, **OFFICERS(404)}),
    "awards:nominations-deadlines": ("get", {"anonymous": SIGN_IN, **OFFICERS(200)}),
    # The council and the public listing: the dossier's officers; the public list for everyone signed
    # in (each sees their own unit's); an objection only where the list is open to the sender.
    "awards:dossier-meeting-new": ("get", {"anonymous": SIGN_IN, **DOSSIER(200)}),
    "awards:meeting-detail": ("get", {"anonymous": SIGN_IN, **DOSSIER(200)}),
    "awards:meeting-ballot": ("get", {"anonymous": SIGN_IN, **DOSSIER(200)}),
    "awards:dossier-listing": ("post", {"anonymous": SIGN_IN, **DOSSIER(302)}),
    "awards:public-list": ("get", READ),
    "awards:nominee-objection": ("post", {"anonymous": SIGN_IN, **everyone(404), "officer_same_unit": 302,
                                          "administrator": 302}),
    "awards:objection-answer": ("post", {"anonymous": SIGN_IN, **DOSSIER(302)}),
    # Documents made from the dossier (an unknown kind: back to the dossier with what is wrong);
    # the templates in use, for administrators to download and replace.
    "awards:dossier-generate": ("post", {"anonymous": SIGN_IN, **DOSSIER(302)}),
    "awards:document-template": ("get", {"anonymous": SIGN_IN, "staff": 403, "officer_same_unit": 403,
                                         "officer_other_unit": 403, "organiser": 403, "administrator": 200}),
    # Work done by the worker: each user's own list; a job, its figures and its file for its asker only.
    "awards:job-list": ("get", READ),
    "awards:job-detail": ("get", {"anonymous": SIGN_IN, **everyone(404), "officer_same_unit": 200}),
    "awards:job-status": ("get", {"anonymous": SIGN_IN, **everyone(404), "officer_same_unit": 200}),
    "awards:job-file": ("get", {"anonymous": SIGN_IN, **everyone(404), "officer_same_unit": 200}),
    "awards:printer-offset": ("post", {"anonymous": SIGN_IN, "staff": 403,
                                       **{role: 400 for role in PRINTERS}}),
}


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REGISTRY_VERIFY_RATE = "1000/m"
    top = factories.unit(full_name="Cục Thử nghiệm")
    unit_a = factories.unit(parent=top, full_name="Phòng A")
    unit_b = factories.unit(parent=top, full_name="Phòng B")
    person = factories.person(full_name="Nguyễn Quang Huy", unit_=unit_a, service_number="QN-1")
    scan = SimpleUploadedFile("qd.png", _png(), content_type="image/png")
    award = factories.award(person_=person, scan=scan, date=datetime.date(2022, 1, 10),
                            signer_name="Lê Văn Ký", signer_title="CỤC TRƯỞNG")
    ceremony = Ceremony.objects.create(name="Lễ tổng kết", date=datetime.date(2022, 1, 20))
    CeremonyItem.objects.create(ceremony=ceremony, award=award, position=1)
    users = {
        "staff": factories.user(role=roles.STAFF),
        "officer_same_unit": factories.user(role=roles.OFFICER, scope=unit_a),
        "officer_other_unit": factories.user(role=roles.OFFICER, scope=unit_b),
        "organiser": factories.user(role=roles.ORGANISER),
        "administrator": factories.user(role=roles.ADMINISTRATOR),
    }
    request = CorrectionRequest.objects.create(
        requester=factories.user(), person=person, award=award, unit=unit_a, kind="rank", message="Sai cấp bậc",
    )
    layout = CertificateLayout.objects.create(title=award.title, name="Phôi Giấy khen A4")
    services.layout_fill_defaults(layout=layout, by=None)
    rating = Rating.objects.create(person=person, year=2021, rating=TaskRating.EXCELLENT)
    service_break = ServiceBreak.objects.create(person=person, start=datetime.date(2015, 1, 1),
                                                end=datetime.date(2015, 6, 30))
    authority = factories.authority(unit=top)
    dossier = services.dossier_create(by=None, dossier=Dossier(unit=unit_a, authority=authority, year=2025),
                                      rows=[services.NomineeRow(person=person, title=award.title)])
    nominee = dossier.nominees.get()
    document = services.attachment_add(dossier=dossier, by=None, kind="submission",
                                       file=SimpleUploadedFile("tt.png", _png(), content_type="image/png"))
    services.dossier_act(dossier=dossier, action="send", by=None, expected_version=None)
    council = Council.objects.create(unit=top, members=5)
    meeting = CouncilMeeting.objects.create(council=council, dossier=dossier, held_on=datetime.date(2025, 12, 1),
                                            members_total=5, members_present=4, chair="A", secretary="B")
    listing = Listing.objects.create(dossier=dossier, starts_on=datetime.date.today(), days=5)
    objection = Objection.objects.create(listing=listing, nominee=nominee, author=users["staff"], message="Ý kiến")
    settings.DATA_DIR = tmp_path
    job = Job.objects.create(user=users["officer_same_unit"], kind="export_csv", label="Xuất", total=1,
                             state="done", filename="so.csv", content_type="text/csv")
    jobs.file_path(job).write_bytes(b"x")
    pks = {"job": job.pk, "meeting": meeting.pk, "objection": objection.pk, "dossier": dossier.pk, "nominee": nominee.pk,
           "attachment": document.pk, "evidence": rating.pk, "service": service_break.pk, "award": award.pk, "decision": award.decision_id, "person": person.pk, "unit": unit_a.pk,
           "ceremony": ceremony.pk, "correction": request.pk, "my": award.pk, "layout": layout.pk,
           "printer": layout.pk}
    return {"users": users, "pks": pks, "award": award}


def _png():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


def _url_for(name, world):
    """The URL with the world's object for its kind (award-…, decision-…, person-…, unit-…)."""
    kind = name.split(":")[-1].split("-")[0]
    code = world["award"].verification_code
    fmt = "xlsx" if "report" in name or "payments" in name else "csv"
    for kwargs in ({}, {"pk": world["pks"].get(kind)}, {"fmt": fmt}, {"code": code}, {"kind": "recipients"},
                   {"pk": world["pks"].get(kind), "fmt": fmt}, {"pk": world["pks"].get(kind), "kind": "rating"},
                   {"document": "submission"}):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    raise AssertionError(f"cannot build a URL for {name}: give test_permissions its arguments")


def _status(client, method, url):
    response = getattr(client, method)(url)
    if response.status_code == 302 and response.url.startswith(reverse("login")) and "?next=" in response.url:
        return SIGN_IN
    return response.status_code


def test_every_url_has_an_expectation():
    missing = sorted(set(url_names()) - set(EXPECTED))
    assert not missing, f"URLs with no permission expectation (add them to EXPECTED): {missing}"


@pytest.mark.parametrize("name", url_names())
def test_every_role_gets_the_expected_answer(name, world, client):
    assert name in EXPECTED, f"no permission expectation for {name}"
    method, expected = EXPECTED[name]
    url = _url_for(name, world)
    answers = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world["users"][role])
        answers[role] = _status(client, method, url)
    assert answers == expected
    world["award"].refresh_from_db()
    assert not world["award"].is_revoked


def test_an_unprotected_view_would_be_caught(settings, client):
    settings.ROOT_URLCONF = "tests.urls_unprotected"
    assert "awards:leaky" in url_names() and "awards:leaky" not in EXPECTED
    # And the anonymous column every protected view must meet is not met by it:
    assert _status(client, "get", reverse("awards:leaky")) != SIGN_IN


# ---- every URL that writes, for every role ------------------------------------------------------
# The pages above are opened the way a person opens them (most by GET). Each URL that also takes a
# POST is asked here by POST too, empty, by every role: the roles without the right are refused
# (sign-in, 403, or 404 where an id must reveal nothing) and nothing at all is written; the roles
# with it get the form back with what is missing (200 or 400), or are sent back with the reason (302).

def url_names_that_write():
    """Every named URL whose view takes a POST (Django's set_language, a function, takes only that)."""
    names = []
    for name, view in url_views().items():
        view_class = getattr(view, "view_class", None)
        if (view_class is not None and "post" in view_class.http_method_names and hasattr(view_class, "post")
                or name == "set_language"):
            names.append(name)
    return names


NOTHING_WRITTEN = ("403", "404", SIGN_IN)
WRITES = {
    "login": {"anonymous": 200, **everyone(302)},
    "logout": {"anonymous": 302, **everyone(302)},
    "set_language": {"anonymous": 302, **everyone(302)},
    "awards:award-export": {"anonymous": SIGN_IN, **everyone(200)},
    "awards:award-correct": {"anonymous": SIGN_IN, **UNIT_OFFICERS(200)},
    "awards:award-revoke": {"anonymous": SIGN_IN, **UNIT_OFFICERS(400)},
    "awards:decision-create": {"anonymous": SIGN_IN, **OFFICERS(400)},
    "awards:decision-edit": {"anonymous": SIGN_IN, **UNIT_OFFICERS(200)},
    "awards:decision-import": {"anonymous": SIGN_IN, **OFFICERS(400)},
    "awards:roster-import": {"anonymous": SIGN_IN, **OFFICERS(400)},
    "awards:ledger-import": {"anonymous": SIGN_IN, **OFFICERS(400)},
    "awards:award-certificate": PRINTS_OWN_UNITS,
    "awards:decision-certificates": PRINTS_OWN_UNITS,
    "awards:printer-offset": {"anonymous": SIGN_IN, **OFFICERS(400), "organiser": 400},
    "awards:ceremony-create": {"anonymous": SIGN_IN, **ORGANISERS(200)},
    "awards:ceremony-edit": {"anonymous": SIGN_IN, **ORGANISERS(200)},
    "awards:ceremony-add": {"anonymous": SIGN_IN, **ORGANISERS(302)},
    "awards:ceremony-move": {"anonymous": SIGN_IN, **ORGANISERS(302)},
    "awards:ceremony-remove": {"anonymous": SIGN_IN, **ORGANISERS(302)},
    "awards:ceremony-reset-order": {"anonymous": SIGN_IN, **ORGANISERS(302)},
    "awards:ceremony-print": PRINTS_OWN_UNITS,
    "awards:my-certificate": {"anonymous": SIGN_IN, **everyone(404)},
    "awards:correction-create": {"anonymous": SIGN_IN, **everyone(302)},
    "awards:correction-answer-seen": {"anonymous": SIGN_IN, **everyone(404)},
    "awards:password-change": {"anonymous": SIGN_IN, **everyone(200)},
    "awards:correction-detail": {"anonymous": SIGN_IN, **UNIT_OFFICERS(400)},
    "awards:person-evidence-new": {"anonymous": SIGN_IN, **UNIT_OFFICERS(200)},
    "awards:unit-evidence-new": {"anonymous": SIGN_IN, **UNIT_OFFICERS(200)},
    "awards:evidence-edit": {"anonymous": SIGN_IN, **UNIT_OFFICERS(200)},
    "awards:evidence-delete": {"anonymous": SIGN_IN, **UNIT_OFFICERS(400)},
    "awards:evidence-import": {"anonymous": SIGN_IN, **OFFICERS(400)},
    "awards:person-service": {"anonymous": SIGN_IN, **UNIT_OFFICERS(302)},
    "awards:service-break-delete": {"anonymous": SIGN_IN, **UNIT_OFFICERS(400)},
    "awards:dossier-create": {"anonymous": SIGN_IN, **OFFICERS(400)},
    "awards:dossier-edit": {"anonymous": SIGN_IN, **DOSSIER(400)},
    "awards:dossier-move": {"anonymous": SIGN_IN, **DOSSIER(302)},
    "awards:dossier-nominee-add": {"anonymous": SIGN_IN, **DOSSIER(400)},
    "awards:dossier-import": {"anonymous": SIGN_IN, **DOSSIER(400)},
    "awards:dossier-attach": {"anonymous": SIGN_IN, **DOSSIER(302)},
    "awards:nominee-edit": {"anonymous": SIGN_IN, **DOSSIER(400)},
    "awards:nominee-remove": {"anonymous": SIGN_IN, **DOSSIER(302)},
    "awards:nominee-review": {"anonymous": SIGN_IN, **DOSSIER(403), "administrator": 302},
    "awards:attachment-remove": {"anonymous": SIGN_IN, **DOSSIER(302)},
    "awards:nominations-forward": {"anonymous": SIGN_IN, **OFFICERS(400)},
    "awards:nominations-decide": {"anonymous": SIGN_IN, **OFFICERS(404)},
    "awards:nominations-deadlines": {"anonymous": SIGN_IN, **OFFICERS(400)},
    "awards:dossier-meeting-new": {"anonymous": SIGN_IN, **DOSSIER(400)},
    "awards:meeting-detail": {"anonymous": SIGN_IN, **DOSSIER(302)},
    "awards:dossier-listing": {"anonymous": SIGN_IN, **DOSSIER(302)},
    "awards:nominee-objection": {"anonymous": SIGN_IN, **DOSSIER(302), "staff": 404, "organiser": 404},
    "awards:objection-answer": {"anonymous": SIGN_IN, **DOSSIER(302)},
    "awards:dossier-generate": {"anonymous": SIGN_IN, **DOSSIER(302)},
}


def _fingerprint():
    """How many rows every table of the registry (and of accounts) holds."""
    from django.apps import apps

    models = [*apps.get_app_config("awards").get_models(), *apps.get_app_config("auth").get_models()]
    return {m._meta.label: m.objects.count() for m in models}


def test_every_url_that_writes_has_a_write_expectation():
    missing = sorted(set(url_names_that_write()) - set(WRITES))
    assert not missing, f"URLs that take a POST with no expectation in WRITES: {missing}"


@pytest.mark.parametrize("name", url_names_that_write())
def test_every_role_gets_the_expected_answer_to_a_write(name, world, client):
    url = _url_for(name, world)
    answers = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world["users"][role])
        before = _fingerprint()
        answers[role] = _status(client, "post", url)
        if str(answers[role]) in NOTHING_WRITTEN:
            assert _fingerprint() == before, f"{role} was refused {name} yet something was written"
    assert name in WRITES, f"no write expectation for {name}"
    assert answers == WRITES[name]


# ---- query values that are not plain whole numbers ---------------------------------------------
# Every parameter a page reads from its URL, set at once to what passes isdigit() but not int(), to
# what is no integer at all, and to what no 64-bit key holds: each page answers (its own error, or
# the list as if unfiltered), never a server error.

QUERY_PARAMETERS = ["unit", "year", "year_min", "year_max", "year_from", "year_to", "title", "authority", "kind",
                    "state", "status", "dossier", "from", "award", "page", "per_page", "sort", "decision", "number",
                    "overdue", "q", "token", "code", "item", "level", "rows", "version", "person", "ceremony"]
HOSTILE_VALUES = ["²", "1e3", "abc", "99999999999999999999999", "-1", "١٢", "0x1F", "1_000"]


def _server_errors(client, world, roles, names, ask):
    """(role, URL name, what broke) for each answer that is a server error."""
    broken = []
    for role in roles:
        client.force_login(world["users"][role])
        for name in names:
            try:
                response = ask(_url_for(name, world))
            except Exception as error:  # the test client raises what the view raised
                broken.append((role, name, repr(error)[:200]))
                continue
            if response.status_code >= 500:
                broken.append((role, name, response.status_code))
    return broken


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_no_page_breaks_on_a_query_value_that_is_not_a_plain_number(value, world, client):
    query = "&".join(f"{name}={value}" for name in QUERY_PARAMETERS)
    pages = [name for name in url_names() if EXPECTED[name][0] == "get" and name != "login"]
    assert not _server_errors(client, world, ("administrator", "officer_same_unit", "staff"), pages,
                              lambda url: client.get(f"{url}?{query}"))


FORM_FIELDS = QUERY_PARAMETERS + ["version", "position", "register_number", "members_present", "days", "target",
                                  "held_on", "date", "achievement_year", "seq", "x_mm", "y_mm", "quota", "nominees",
                                  "recipient", "action", "mode", "expected_version", "answer", "message", "number"]


@pytest.mark.parametrize("value", ["²", "1e3", "99999999999999999999999", "١٢"])
def test_no_write_breaks_on_a_form_value_that_is_not_a_plain_number(value, world, client):
    data = {name: value for name in FORM_FIELDS}
    writes = [name for name in url_names_that_write() if name not in ("logout", "login", "set_language")]
    assert not _server_errors(client, world, ("administrator", "officer_same_unit"), writes,
                              lambda url: client.post(url, data))
