"""The findings of the hostile probe of the road (issue 28), one test each: what a signed-in user
of any role could write, or break, that they should not."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from awards import imports, roles, selectors, services
from awards.choices import AuthorityLevel, DossierAction
from awards.documents import word
from awards.models import (
    Authority,
    Award,
    Council,
    CouncilVote,
    Decision,
    DocumentTemplate,
    ImportAlias,
    Listing,
    Objection,
    RegisterCounter,
)
from tests import factories
from tests.test_documents import generate_document, docx_text
from tests.test_ledger import ledger_rows, ledger_table, office  # noqa: F401 (office: the ledger's fixture)
from tests.test_nominations import act, make_dossier, received_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def _docx(*paragraphs):
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _with_parts(data, parts, *, content_type=None):
    """A DOCX package with more parts added (and its content types rewritten if asked)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "[Content_Types].xml" and content_type:
                body = body.replace(b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                                    content_type.encode())
            target.writestr(item, body)
        for name, body in parts.items():
            target.writestr(name, body)
    return out.getvalue()


def _template(kind, data):
    return DocumentTemplate(kind=kind, file=SimpleUploadedFile("mau.docx", data))


# ---- templates: Jinja's sandbox, checked at upload --------------------------------------------

RCE = "{{ cycler.__init__.__globals__.os.popen('id').read() }}"


def test_a_template_reaching_for_the_server_is_refused_at_upload(road):
    with pytest.raises(ValidationError, match="does not give it"):
        _template("submission", _docx("Tờ trình", RCE)).full_clean()
    with pytest.raises(ValidationError, match="unsafe"):
        _template("submission", _docx("{{ unit.__class__.__mro__ }}")).full_clean()
    with pytest.raises(ValidationError, match="does not give it"):
        _template("submission", _docx("{{ settings }}")).full_clean()
    with pytest.raises(ValidationError, match="does not give it"):
        _template("submission", _docx("{% for i in range(10**9) %}x{% endfor %}")).full_clean()
    # The registry's own templates, and one using only the document's fields, are accepted.
    for kind in word.KINDS:
        _template(kind, word.default_template(kind)).full_clean()
    _template("submission", _docx("{{ unit }}: {% for n in nominees %}{{ n.name }}{% endfor %}")).full_clean()


def test_a_stored_template_that_reaches_for_the_server_fills_nothing_and_runs_nothing(road, monkeypatch):
    import os

    ran = []
    monkeypatch.setattr(os, "popen", lambda *a, **k: ran.append(a))
    DocumentTemplate.objects.create(kind="submission", file=SimpleUploadedFile("mau.docx", _docx(RCE)))
    dossier = make_dossier(road, people=road["people"][:1])
    with pytest.raises(services.RegistryError, match="not usable"):
        services.document_generate(by=road["users"]["pa"], dossier=dossier, kind="submission")
    assert ran == [] and not dossier.attachments.exists()


def test_the_specimen_holds_every_value_a_document_is_given(road):
    from awards.choices import DossierAction as A

    from tests.test_councils import make_council, make_meeting

    make_council(road, members=5)
    dossier = received_dossier(road, people=road["people"][:2], title="bk")
    meeting = make_meeting(road, dossier, "cuc", present=5)
    services.meeting_record(meeting=meeting, by=road["users"]["cuc"], expected_version=meeting.version,
                            votes=[(n, 5, 0, n.title) for n in dossier.nominees.all()])
    for kind in word.KINDS:
        context = selectors.document_context(dossier, kind)
        assert set(context) <= set(word.SPECIMEN), kind
        for name in ("nominees", "votes", "by_honour"):
            for row in context.get(name, []):
                assert set(row) <= set(word.SPECIMEN[name][0]), (kind, name)
        assert set(context.get("meeting", {})) <= set(word.SPECIMEN["meeting"])
    assert A.DECIDE  # the specimen is the registry's promise to template writers


def test_a_macro_enabled_or_bomb_like_package_is_refused(road):
    plain = _docx("{{ unit }}")
    with pytest.raises(ValidationError, match="macros"):
        _template("submission", _with_parts(plain, {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 100})
                  ).full_clean()
    with pytest.raises(ValidationError, match="macros"):
        _template("submission", _with_parts(
            plain, {}, content_type="application/vnd.ms-word.document.macroEnabled.main+xml")).full_clean()
    with pytest.raises(ValidationError, match="zip bomb|unpacks to"):
        _template("submission", _with_parts(plain, {"word/media/big.xml": b"\0" * (40 * 1024 * 1024)})).full_clean()
    with pytest.raises(ValidationError, match="zip bomb"):
        _template("submission", _with_parts(plain, {"word/media/big.xml": b"\0" * (5 * 1024 * 1024)})).full_clean()


# ---- the council's results: final once the dossier moves, the council's own unit's only ---------

def _cuc_meeting(road, dossier, present=5):
    from tests.test_councils import make_meeting

    return make_meeting(road, dossier, "cuc", present=present)


def test_the_proposing_unit_cannot_rewrite_the_receiving_councils_votes(road, client):
    Council.objects.create(unit=road["units"]["cuc"], members=5, chair="A", secretary="B")
    dossier = received_dossier(road, people=road["people"][:1], title="bk")
    meeting = _cuc_meeting(road, dossier)
    nominee = dossier.nominees.get()
    services.meeting_record(meeting=meeting, by=road["users"]["cuc"], expected_version=meeting.version,
                            votes=[(nominee, 4, 1, nominee.title)])
    act(dossier, DossierAction.RETURN, road["users"]["cuc"], note="Bổ sung")
    meeting.refresh_from_db()
    client.force_login(road["users"]["pa"])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'id="record-votes"' not in page and 'id="results-final"' in page
    client.post(meeting.get_absolute_url(), {"version": meeting.version, f"agree-{nominee.pk}": "0",
                                             f"disagree-{nominee.pk}": "5"})
    assert list(CouncilVote.objects.values_list("agree", "disagree")) == [(4, 1)]
    with pytest.raises(services.RegistryError, match="final|cuối cùng"):  # the page left Vietnamese on
        services.meeting_record(meeting=meeting, by=road["users"]["pa"], expected_version=meeting.version,
                                votes=[(nominee, 0, 5, nominee.title)])


def test_only_the_councils_own_unit_records_its_results_while_open(road):
    # Phòng A's dossier reviewed by the Cục's council (the nearest above, none of its own then);
    # Phòng A gets its own council later: the Cục council's meeting is no longer Phòng A's to write.
    Council.objects.create(unit=road["units"]["cuc"], members=5, chair="A", secretary="B")
    dossier = make_dossier(road, people=road["people"][:1], title="bk")
    from tests.test_councils import make_meeting

    meeting = make_meeting(road, dossier, "pa", present=5)
    nominee = dossier.nominees.get()
    with pytest.raises(services.RegistryError, match="cannot be recorded now"):
        services.meeting_record(meeting=meeting, by=road["users"]["pb"], expected_version=meeting.version,
                                votes=[(nominee, 5, 0, nominee.title)])
    Council.objects.create(unit=road["units"]["pa"], members=3, chair="C", secretary="D")
    with pytest.raises(services.RegistryError, match="Only the officers of Cục Thử nghiệm|only that unit"):
        services.meeting_record(meeting=meeting, by=road["users"]["pa"], expected_version=meeting.version,
                                votes=[(nominee, 5, 0, nominee.title)])
    assert not CouncilVote.objects.exists()


def test_results_are_final_once_the_decision_is_made_from_them_and_minutes_keep_them(road):
    Council.objects.create(unit=road["units"]["cuc"], members=5, chair="A", secretary="B")
    dossier = received_dossier(road, people=road["people"][:1], title="gk")
    meeting = _cuc_meeting(road, dossier)
    nominee = dossier.nominees.get()
    cuc = road["users"]["cuc"]
    services.meeting_record(meeting=meeting, by=cuc, expected_version=meeting.version,
                            votes=[(nominee, 4, 1, nominee.title)])
    nominee.refresh_from_db()
    decision = Decision(authority=road["authorities"]["cuc"], number="7/QĐ-CTN", date=datetime.date(2025, 12, 20),
                        achievement_year=2025, signer_name="Lê Văn Ký", signer_title="Cục trưởng")
    services.nominees_decide(by=cuc, nominees=[nominee], decision=decision)
    meeting.refresh_from_db()
    with pytest.raises(services.RegistryError, match="final"):
        services.meeting_record(meeting=meeting, by=cuc, expected_version=meeting.version,
                                votes=[(nominee, 1, 4, nominee.title)])
    _attachment, data = generate_document(dossier, cuc, "minutes")
    assert "80% (cần 70%)" in docx_text(data) and "20% (cần" not in docx_text(data)  # 4 of 5, as counted
    assert list(CouncilVote.objects.values_list("agree", "disagree")) == [(4, 1)]


# ---- the ledger: the decision page's scope and rights -------------------------------------------

def test_an_officer_cannot_create_authorities_or_titles_from_a_ledger(office):
    rows = [r for r in ledger_rows() if r[3] != "TT TCCNQP"][:1]
    rows[0][3] = "Thủ tướng Chính phủ mới"
    preview = imports.preview_ledger(ledger_table(rows), by=office["officer"], mappings={
        ("authority", "thu tuong chinh phu moi"): Authority(name="Thủ tướng Chính phủ mới",
                                                          level=AuthorityLevel.GOVERNMENT, keeps_book=True)})
    before = Authority.objects.count()
    with pytest.raises(imports.ImportRefused, match="Only an administrator"):
        imports.commit_ledger(preview, by=office["officer"])
    assert Authority.objects.count() == before and not ImportAlias.objects.exists()
    from awards.forms import LedgerNameFormSet

    offered = LedgerNameFormSet(prefix="names", initial=[{"kind": "authority", "name": "X"}], user=office["officer"])
    assert "new" not in dict(offered.forms[0].fields["target"].choices)


def test_an_officer_cannot_add_lines_to_another_offices_decision(office):
    other = factories.unit(full_name="Cục Khác")
    stranger = factories.person(full_name="Hoàng Văn Lạ", unit_=other)
    held = Decision.objects.get(number="45/QĐ-QLCN")
    services.decision_grant(decision=Decision(authority=office["above"], number="9/QĐ-TCCNQP",
                                              date=datetime.date(2022, 2, 1), achievement_year=2021),
                            rows=[services.RecipientRow(person=stranger, title=office["gk"])], by=None)
    theirs = Decision.objects.get(number="09/QĐ-TCCNQP")
    rows = [[1, "9/QĐ-TCCNQP", "01/02/2022", "Chủ nhiệm Tổng cục Công nghiệp quốc phòng", "Giấy khen", 2021,
             "Nguyễn Văn An", "", "", "Phòng Kế hoạch", "QN-001", "", "", "", "", ""]]
    preview = imports.preview_ledger(ledger_table(rows), by=office["officer"])
    problems = [p for row in preview.rows for p in row.problems]
    assert any("outside your units" in p[1] for p in problems), problems
    assert theirs.awards.count() == 1 and held.awards.count() == 1


def test_an_officer_cannot_write_into_another_offices_register_book(office):
    keeper = factories.unit(full_name="Tổng cục Công nghiệp quốc phòng")
    book = factories.authority(name="Chủ nhiệm Tổng cục CNQP (sổ)", unit=keeper, keeps_book=True,
                               level=AuthorityLevel.GENERAL_DEPARTMENT)
    rows = [[1, "3/QĐ-TC", "01/02/2022", book.name, "Giấy khen", 2021, "Nguyễn Văn An", "", "", "Phòng Kế hoạch",
             "QN-001", 500000, "", "", "", ""]]
    preview = imports.preview_ledger(ledger_table(rows), by=office["officer"])
    assert any("book of" in p[1] for row in preview.rows for p in row.problems)
    with pytest.raises(imports.ImportRefused):
        imports.commit_ledger(preview, by=office["officer"])
    assert not RegisterCounter.objects.filter(authority=book).exclude(last_number=0).exists()
    assert not Award.objects.filter(authority=book).exists()


def test_a_name_mapping_is_its_offices_and_never_steers_another_offices_import(office):
    rows = [r for r in ledger_rows() if r[3] != "TT TCCNQP"][:1]
    rows[0][4] = "CSTT-X"
    mapping = {("title", "cstt-x"): office["gk"]}
    imports.commit_ledger(imports.preview_ledger(ledger_table(rows), by=office["officer"], mappings=mapping),
                          by=office["officer"])
    alias = ImportAlias.objects.get()
    assert alias.office == office["top"]
    elsewhere = factories.unit(full_name="Cục Khác")
    factories.person(full_name="Nguyễn Văn An", unit_=elsewhere)
    theirs = factories.user(role=roles.OFFICER, scope=elsewhere)
    rows[0][9] = "Cục Khác"
    rows[0][10] = ""
    preview = imports.preview_ledger(ledger_table(rows), by=theirs)
    assert [(u.kind, u.name) for u in preview.unknown] == [("title", "CSTT-X")]
    # Its own office still reads it.
    again = imports.preview_ledger(ledger_table(rows[:1]), by=office["officer"])
    assert not again.unknown


# ---- stale writes and numbers that are not numbers ----------------------------------------------

def _listing(road):
    dossier = make_dossier(road, people=road["people"][:1])
    listing = Listing.objects.create(dossier=dossier, starts_on=datetime.date.today(), days=5)
    objection = Objection.objects.create(listing=listing, nominee=dossier.nominees.get(),
                                         author=road["users"]["staff"], message="Ý kiến")
    return dossier, objection


def test_a_stale_objection_answer_says_someone_else_saved(road, client):
    dossier, objection = _listing(road)
    client.force_login(road["users"]["pa"])
    url = reverse("awards:objection-answer", args=[objection.pk])
    first = client.post(url, {"answer": "Đã xác minh", "version": objection.version})
    assert first.status_code == 302
    stale = client.post(url, {"answer": "Trả lời khác", "version": objection.version}, follow=True)
    assert stale.status_code == 200 and "Người khác đã lưu" in stale.content.decode()
    objection.refresh_from_db()
    assert objection.answer == "Đã xác minh"


def test_a_stale_meeting_result_says_someone_else_saved(road, client):
    Council.objects.create(unit=road["units"]["cuc"], members=5, chair="A", secretary="B")
    dossier = make_dossier(road, people=road["people"][:1])
    from tests.test_councils import make_meeting

    meeting = make_meeting(road, dossier, "pa", present=5)
    nominee = dossier.nominees.get()
    client.force_login(road["users"]["pa"])
    url = meeting.get_absolute_url()
    client.post(url, {"version": meeting.version, f"agree-{nominee.pk}": "5"})
    stale = client.post(url, {"version": meeting.version, f"agree-{nominee.pk}": "1"}, follow=True)
    assert stale.status_code == 200 and "Người khác đã lưu" in stale.content.decode()
    assert list(CouncilVote.objects.values_list("agree", flat=True)) == [5]


BAD_NUMBERS = ["abc", "1e3", "²", "١٢", "1_000", "99999999999999999999999", "-1", " 7", "0x10"]


@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_numbers_in_forms_that_are_not_plain_integers_are_the_forms_error(road, client, value):
    dossier, objection = _listing(road)
    client.force_login(road["users"]["pa"])
    answer = client.post(reverse("awards:objection-answer", args=[objection.pk]), {"answer": "A", "version": value},
                         follow=True)
    assert answer.status_code == 200
    objection.refresh_from_db()
    assert objection.answer == ""
    Council.objects.get_or_create(unit=road["units"]["cuc"], defaults={"members": 5, "chair": "A", "secretary": "B"})
    from tests.test_councils import make_meeting

    meeting = make_meeting(road, dossier, "pa", present=5)
    nominee = dossier.nominees.get()
    voted = client.post(meeting.get_absolute_url(), {"version": value, f"agree-{nominee.pk}": value,
                                                     f"title-{nominee.pk}": value}, follow=True)
    assert voted.status_code == 200 and not CouncilVote.objects.exists()
    moved = client.post(reverse("awards:dossier-move", args=[dossier.pk]), {"action": "send", "version": value})
    assert moved.status_code in (302, 400)


def test_plain_int_takes_only_plain_digits_in_range():
    from awards.text import plain_int

    assert [plain_int(v) for v in ("0", "7", "9223372036854775807")] == [0, 7, 2**63 - 1]
    assert all(plain_int(v) is None for v in BAD_NUMBERS + ["9223372036854775808", "", None, "1.0", "+1"])
    assert plain_int("-5", low=-10) == -5 and plain_int("2100", high=2099) is None


# ---- images bounded in pixels --------------------------------------------------------------------

def _png(size, mode="1"):
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def test_an_emblem_of_too_many_pixels_is_refused(settings):
    settings.REGISTRY_EMBLEM_MAX_PIXELS = 4_000_000
    title = factories.title(name="Bằng khen có huy hiệu")
    title.emblem = SimpleUploadedFile("huy-hieu.png", _png((5000, 1000)))
    with pytest.raises(ValidationError, match="megapixels"):
        title.full_clean()
    title.emblem = SimpleUploadedFile("huy-hieu.png", _png((600, 600), "RGB"))
    title.full_clean()


def test_a_scan_of_too_many_pixels_is_refused(settings):
    from awards.validators import validate_scan

    settings.REGISTRY_SCAN_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError, match="megapixels"):
        validate_scan(SimpleUploadedFile("qd.png", _png((2000, 1000))))
    validate_scan(SimpleUploadedFile("qd.png", _png((1000, 1000))))


# ---- limits per person: objections, queued jobs --------------------------------------------------

def test_objections_are_limited_per_person(road, settings):
    settings.REGISTRY_OBJECTIONS_PER_HOUR = 3
    dossier = make_dossier(road, people=road["people"][:1])
    Listing.objects.create(dossier=dossier, starts_on=datetime.date.today(), days=5)
    nominee = dossier.nominees.get()
    member = road["users"]["pa"]
    for n in range(3):
        services.objection_file(by=member, nominee=nominee, message=f"Ý kiến {n}")
    with pytest.raises(services.RegistryError, match="in the last hour"):
        services.objection_file(by=member, nominee=nominee, message="Ý kiến thứ tư")
    assert Objection.objects.filter(author=member).count() == 3
    # Another member is not held back by the first one's.
    services.objection_file(by=factories.user(role=roles.OFFICER, scope=road["units"]["pa"]), nominee=nominee,
                            message="Ý kiến khác")


def test_a_get_queues_no_job_and_a_person_has_few_waiting(client, settings, tmp_path):
    from awards.models import Job

    settings.DATA_DIR = tmp_path
    settings.REGISTRY_JOB_EXPORT_ROWS = 1
    settings.REGISTRY_JOB_MAX_WAITING = 2
    unit = factories.unit(full_name="Phòng Kế hoạch")
    title = factories.title(name="Giấy khen")
    factories.grant(rows=[services.RecipientRow(person=factories.person(full_name=f"Lê Văn {n}", unit_=unit),
                                                title=title) for n in "ABC"], title=title)
    officer = factories.user(role=roles.OFFICER, scope=unit)
    client.force_login(officer)
    url = reverse("awards:award-export", args=["csv"])
    for _ in range(5):
        assert client.get(url).status_code == 200
    assert not Job.objects.exists()
    answers = [client.post(url) for _ in range(4)]
    assert Job.objects.filter(user=officer).count() == 2
    assert answers[2]["Location"].startswith(reverse("awards:award-list"))
    assert "việc chờ hoặc đang chạy" in client.get(answers[2]["Location"]).content.decode()
    # Someone else's queue is their own.
    client.force_login(factories.user(role=roles.STAFF))
    assert client.post(url).status_code == 302 and Job.objects.count() == 3


def test_a_jobs_file_past_its_keeping_time_is_refused_at_once(client, settings, tmp_path):
    from django.utils import timezone

    from awards import jobs
    from awards.models import Job

    settings.DATA_DIR = tmp_path
    officer = factories.user(role=roles.OFFICER)
    job = Job.objects.create(user=officer, kind="export_csv", label="Xuất", total=1, state="done", filename="so.csv",
                             content_type="text/csv", finished_at=timezone.now() - datetime.timedelta(hours=25))
    jobs.file_path(job).write_bytes(b"CCCD 001234567890")
    client.force_login(officer)
    refused = client.get(reverse("awards:job-file", args=[job.pk]))
    assert refused.status_code == 302 and not jobs.file_path(job).exists()
    job.refresh_from_db()
    assert job.state == "expired"


# ---- sign-in, caches, printing, the log -----------------------------------------------------------

def test_password_spraying_from_one_address_is_stopped_across_user_names(client, settings):
    from django.utils import translation

    settings.REGISTRY_LOGIN_ADDRESS_FAILURES = 6
    settings.AXES_FAILURE_LIMIT = 5
    names = [factories.user(username=f"nguoi{n}", role=roles.STAFF).username for n in range(8)]
    with translation.override("vi"):
        answers = [client.post(reverse("login"), {"username": name, "password": "Matkhau@2024"}).status_code
                   for name in names[:6]]
        assert answers == [200] * 6  # each name failed once: axes alone would never stop this
        stopped = client.post(reverse("login"), {"username": names[6], "password": factories.PASSWORD})
    assert stopped.status_code == 429 and "locked-out" in stopped.content.decode()
    other = client.__class__(REMOTE_ADDR="10.0.0.7")
    assert other.post(reverse("login"), {"username": names[7], "password": factories.PASSWORD}).status_code == 302


def test_pages_behind_sign_in_are_never_stored_by_a_cache(client):
    award = factories.award()
    client.force_login(factories.user(role=roles.OFFICER))
    for url in (reverse("awards:award-list"), award.get_absolute_url(), reverse("awards:award-export", args=["csv"]),
                reverse("awards:person-detail", args=[award.person_id])):
        assert client.get(url)["Cache-Control"] == "no-store, private", url


def test_an_officer_prints_only_their_units_certificates(client):
    from awards.models import PrintLog

    mine, theirs = factories.unit(full_name="Phòng Mình"), factories.unit(full_name="Phòng Khác")
    award = factories.award(person_=factories.person(full_name="Đỗ Văn Khác", unit_=theirs),
                            signer_name="Lê Văn Ký", signer_title="CỤC TRƯỞNG")
    client.force_login(factories.user(role=roles.OFFICER, scope=mine))
    response = client.post(reverse("awards:award-certificate", args=[award.pk]), follow=True)
    assert not PrintLog.objects.exists() and "ngoài đơn vị anh/chị phụ trách" in response.content.decode()
    response = client.post(reverse("awards:decision-certificates", args=[award.decision_id]))
    assert response.status_code == 302 and not PrintLog.objects.exists()
    with pytest.raises(services.RegistryError, match="outside yours|ngoài đơn vị"):
        services.certificates_print(by=factories.user(role=roles.OFFICER, scope=mine), awards=[award], kind="single",
                                    base_url="http://x/", out=io.BytesIO())
    # Their own unit's officer, and an organiser, print it.
    client.force_login(factories.user(role=roles.OFFICER, scope=theirs))
    assert client.post(reverse("awards:award-certificate", args=[award.pk]))["Content-Type"] == "application/pdf"
    client.force_login(factories.user(role=roles.ORGANISER))
    assert client.post(reverse("awards:award-certificate", args=[award.pk]))["Content-Type"] == "application/pdf"
    assert PrintLog.objects.count() == 2


def test_a_refusal_is_logged_as_one_line_without_a_traceback(client):
    import logging

    handler = next(h for h in logging.getLogger("django").handlers
                   if any(type(f).__name__ == "ForbiddenOnOneLine" for f in h.filters))
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        client.force_login(factories.user(role=roles.STAFF))
        assert client.get(reverse("awards:decision-create")).status_code == 403
    finally:
        handler.setStream(old)
    logged = stream.getvalue()
    assert "Forbidden" in logged and "Traceback" not in logged and len(logged.strip().splitlines()) == 1
