"""Long work as jobs (awards.jobs): large exports, imports at confirm and print batches go to the
worker; small ones stay immediate; the file is its asker's only and goes after its keeping time."""

import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from awards import jobs, roles
from awards.choices import JobState, PrintKind, Rank, TitleFor
from awards.services import RecipientRow
from awards.models import Award, Decision, Job, Person, PrintLog
from tests import factories
from tests.importfiles import xlsx

# The worker runs here as it does in its own process, between transactions of its own.
pytestmark = pytest.mark.django_db(transaction=True)


def run_worker():
    """What `manage.py db_worker` does, for every job waiting, then stop."""
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)


@pytest.fixture
def world(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REGISTRY_JOB_EXPORT_ROWS = 5
    settings.REGISTRY_JOB_IMPORT_ROWS = 3
    settings.REGISTRY_JOB_PRINT_PAGES = 3
    office = factories.unit(full_name="Phòng Kế hoạch", short_name="PKH")
    authority = factories.authority(name="Cục trưởng Cục Quản lý công nghệ")
    title = factories.title(name="Giấy khen", recipient_for=TitleFor.BOTH)
    people = [factories.person(full_name=f"Nguyễn Văn Ánh {i}", unit_=office, rank=Rank.DAI_UY,
                               service_number=f"QN-{i:03d}") for i in range(8)]
    awards = factories.grant(rows=[RecipientRow(person=p, title=title) for p in people], authority_=authority,
                             number="12/QĐ-QLCN", title=title, signer_name="Vũ Thanh Bình", signer_title="CỤC TRƯỞNG")
    decision = awards[0].decision
    officer = factories.user(username="canbo", role=roles.OFFICER, scope=office)
    organiser = factories.user(username="tochuc", role=roles.ORGANISER)
    other = factories.user(username="khac", role=roles.OFFICER, scope=office)
    return dict(office=office, authority=authority, title=title, decision=decision, people=people, awards=awards,
                officer=officer, organiser=organiser, other=other)


def signed_in(client, user):
    factories.sign_in(client, user.username, factories.PASSWORD)
    return client


def test_a_large_export_is_a_job_whose_file_only_its_asker_fetches(client, world):
    signed_in(client, world["officer"])
    url = reverse("awards:award-export", args=["xlsx"])
    asked = client.get(url, {"q": "nguyen van anh"})  # a GET asks; it queues nothing
    assert asked.status_code == 200 and 'id="export-start"' in asked.content.decode() and not Job.objects.exists()
    response = client.post(f"{url}?q=nguyen+van+anh")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.state, job.total, job.user) == (JobState.QUEUED, 8, world["officer"])
    assert job.label.startswith("Xuất sổ khen thưởng (Excel)") and "nguyen van anh" in job.label  # what and which
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200 and "0 / 8 dòng" in page.content.decode()
    status = client.get(reverse("awards:job-status", args=[job.pk])).json()
    assert (status["state"], status["done"], status["total"], status["finished"]) == ("queued", 0, 8, False)
    assert client.get(reverse("awards:job-file", args=[job.pk])).status_code == 404  # not ready yet

    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.filename.endswith(".xlsx")
    status = client.get(reverse("awards:job-status", args=[job.pk])).json()
    assert (status["done"], status["percent"], status["file_url"]) == (8, 100, f"/jobs/{job.pk}/file/")
    assert status["phase"] == "" and status["state_label"] == "Đã xong"
    download = client.get(status["file_url"])
    assert download.status_code == 200 and job.filename in download["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).active
    names = [row[5] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert sorted(names) == sorted(p.full_name for p in world["people"])  # diacritics kept
    assert world["officer"].username and "Nguyễn Văn Ánh" in names[0]

    # Anyone else: the job does not exist for them, nor its figures, nor its file.
    client.logout()
    signed_in(client, world["other"])
    for name in ("awards:job-detail", "awards:job-status", "awards:job-file"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404, name
    assert str(job.pk) not in client.get(reverse("awards:job-list")).content.decode()


def test_a_small_export_stays_immediate(client, world):
    signed_in(client, world["officer"])
    response = client.get(reverse("awards:award-export", args=["csv"]), {"q": "anh 1"})
    assert response.status_code == 200 and not Job.objects.exists()
    assert "Nguyễn Văn Ánh 1" in b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_progress_a_running_job_reports_is_what_its_page_reads(world):
    job = Job.objects.create(user=world["officer"], kind="export_csv", label="x", total=10)
    tracker = jobs.Progress(job)
    tracker.phase("writing")
    for _ in range(4):
        tracker.step()
    tracker.write()
    assert jobs.progress(job) == (4, 10, "writing")
    from awards.views.jobs import job_figures

    figures = job_figures(job)
    assert (figures["done"], figures["percent"], figures["phase"]) == (4, 40, "Đang ghi")


def _import_form(world, number="45/QĐ-QLCN"):
    return {"number": number, "date": "2022-01-14", "authority": world["authority"].pk, "kind": "annual",
            "achievement_year": "2022", "title": world["title"].pk, "subject": "Về việc tặng Giấy khen",
            "reason": "", "signer_prefix": "", "signer_on_behalf_of": "", "signer_title": "CỤC TRƯỞNG",
            "signer_rank": "", "signer_name": "Vũ Thanh Bình"}


def test_a_large_import_is_confirmed_as_a_job_that_records_the_decision(client, world):
    signed_in(client, world["officer"])
    rows = [[str(i + 1), p.full_name, "Đại úy", "", "PKH", p.service_number] for i, p in enumerate(world["people"])]
    form = _import_form(world)
    preview = client.post(reverse("awards:decision-import"), {**form, "spreadsheet": SimpleUploadedFile("ds.xlsx", xlsx(rows))})
    assert preview.status_code == 200
    token = preview.context["token"]
    response = client.post(reverse("awards:decision-import"), {**form, "token": token, "action": "confirm"})
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url() and job.total == 8
    assert not Decision.objects.filter(number="45/QĐ-QLCN").exists()  # nothing yet: the worker writes it
    run_worker()
    job.refresh_from_db()
    decision = Decision.objects.get(number="45/QĐ-QLCN")
    assert job.state == JobState.DONE and job.result_url == decision.get_absolute_url()
    assert decision.awards.count() == 8 and "45/QĐ-QLCN" in job.message
    page = client.get(job.get_absolute_url()).content.decode()
    assert decision.get_absolute_url() in page and "Mở nội dung đã ghi" in page
    assert f'href="{reverse("awards:decision-import")}"' in page  # back to the import page


def test_an_import_job_refused_at_confirm_writes_nothing_and_names_the_row_and_column(client, world):
    signed_in(client, world["officer"])
    rows = [[str(i + 1), p.full_name, "Đại úy", "", "PKH", p.service_number] for i, p in enumerate(world["people"][:5])]
    form = _import_form(world)
    preview = client.post(reverse("awards:decision-import"), {**form, "spreadsheet": SimpleUploadedFile("ds.xlsx", xlsx(rows))})
    token = preview.context["token"]
    client.post(reverse("awards:decision-import"), {**form, "token": token, "action": "confirm"})
    # Between the preview and the worker, someone records the same honour for the second person.
    factories.grant(rows=[RecipientRow(person=world["people"][1], title=world["title"])], authority_=world["authority"],
                    number="46/QĐ-QLCN", title=world["title"], year=2022)
    before = (Decision.objects.count(), Award.objects.count(), Person.objects.count())
    run_worker()
    job = Job.objects.get()
    assert job.state == JobState.FAILED
    assert "chưa lưu gì cả" in job.message and "Dòng 3, cột “Họ và tên”" in job.message
    assert (Decision.objects.count(), Award.objects.count(), Person.objects.count()) == before
    assert "Dòng 3" in client.get(job.get_absolute_url()).content.decode()


def test_a_large_print_batch_is_a_job_and_logs_what_it_printed(client, world):
    signed_in(client, world["organiser"])
    decision = world["decision"]
    response = client.post(reverse("awards:decision-certificates", args=[decision.pk]))
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url() and (job.total, job.unit_label) == (8, "certificates")
    assert not PrintLog.objects.exists()
    assert "0 / 8 giấy" in client.get(job.get_absolute_url()).content.decode()
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.content_type == "application/pdf"
    pdf = b"".join(client.get(reverse("awards:job-file", args=[job.pk])).streaming_content)
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 8
    assert PrintLog.objects.filter(kind=PrintKind.DECISION).count() == 8


def test_a_job_file_is_removed_after_its_keeping_time(client, world, settings):
    signed_in(client, world["officer"])
    client.post(reverse("awards:award-export", args=["csv"]) + "?q=nguyen")
    run_worker()
    job = Job.objects.get()
    assert jobs.file_path(job).is_file()
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(hours=25))
    out = io.StringIO()
    call_command("purge_jobs", stdout=out)
    job.refresh_from_db()
    assert job.state == JobState.EXPIRED and not jobs.file_path(job).exists()
    refused = client.get(reverse("awards:job-file", args=[job.pk]))
    assert refused.status_code == 302 and refused["Location"] == job.get_absolute_url()
    assert "quá thời gian lưu" in client.get(job.get_absolute_url()).content.decode()


def test_the_status_is_json_never_cached(client, world):
    signed_in(client, world["officer"])
    client.post(reverse("awards:award-export", args=["csv"]) + "?q=nguyen")
    job = Job.objects.get()
    response = client.get(reverse("awards:job-status", args=[job.pk]))
    assert response["Cache-Control"].startswith("no-store") and json.loads(response.content)["total"] == 8


def test_a_job_the_worker_stops_in_the_middle_says_so_instead_of_running_forever(world, monkeypatch):
    job = jobs.start(user=world["officer"], kind="export_csv", label="Xuất", total=8,
                     params={"query": "q=nguyen", "fmt": "csv", "language": "vi"})

    def stopped(job, tracker):
        raise KeyboardInterrupt  # what the worker's second Ctrl+C (or SIGTERM) raises in a task

    monkeypatch.setitem(jobs.RUNNERS, "export_csv", stopped)
    with pytest.raises(KeyboardInterrupt):
        jobs.run_job.call(str(job.pk))
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "gián đoạn" in job.message
