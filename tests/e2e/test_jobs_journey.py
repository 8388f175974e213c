"""Long work in the browser: an export and an import run as jobs in the worker; the progress bar
moves, a reload in the middle finds the same job, the file arrives; another user cannot fetch it."""

import io
import threading

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from awards import jobs, roles
from awards.choices import Rank, TitleFor
from awards.models import Decision, Job
from awards.services import RecipientRow
from tests import factories
from tests.importfiles import xlsx

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class Paused:
    """The worker stops after `at` steps of a job until the test lets it go on."""

    def __init__(self, monkeypatch, at):
        self.at, self.reached, self.go_on = at, threading.Event(), threading.Event()
        step = jobs.Progress.step
        paused = self

        def pausing_step(progress, count=1):
            step(progress, count)
            if progress.done == paused.at and progress.stage in ("writing", "checking"):
                progress.write()
                paused.reached.set()
                assert paused.go_on.wait(30), "the test never let the job go on"

        monkeypatch.setattr(jobs.Progress, "step", pausing_step)

    def start_worker(self):
        """The worker `manage.py db_worker` runs, in a thread (signals are the main thread's)."""
        from django.db import connections
        from django_tasks_db.management.commands.db_worker import Worker

        def run():
            try:
                Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                       max_tasks=None, worker_id="e2e", excluded_queue_names=[]).run()
            finally:
                connections.close_all()

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        return worker


@pytest.fixture
def registry(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.REGISTRY_JOB_EXPORT_ROWS = 3
    settings.REGISTRY_JOB_IMPORT_ROWS = 3
    office = factories.unit(full_name="Phòng Kế hoạch", short_name="PKH")
    authority = factories.authority(name="Cục trưởng Cục Quản lý công nghệ")
    title = factories.title(name="Giấy khen", recipient_for=TitleFor.BOTH)
    people = [factories.person(full_name=f"Đặng Thị Ánh {i}", unit_=office, rank=Rank.DAI_UY,
                               service_number=f"QN-{i:03d}") for i in range(8)]
    factories.grant(rows=[RecipientRow(person=p, title=title) for p in people], authority_=authority,
                    number="12/QĐ-QLCN", title=title)
    factories.user(username="canbo", role=roles.OFFICER, scope=office)
    factories.user(username="khac", role=roles.OFFICER, scope=office)
    return dict(office=office, authority=authority, title=title, people=people)


def test_an_export_runs_as_a_job_with_a_moving_bar_survives_a_reload_and_is_its_askers_only(
        page, browser, registry, monkeypatch):
    paused = Paused(monkeypatch, at=3)
    page.sign_in("canbo")
    page.goto(page.base_url + "/honours/?q=dang+thi+anh")
    page.click("#export-xlsx")
    # A long list asks first; the button (a POST) puts the work in the queue.
    page.click("#export-start")
    page.wait_for_url("**/jobs/*/")
    job_url = page.url
    assert "0 / 8 dòng" in page.inner_text("#job-count")
    worker = paused.start_worker()
    assert paused.reached.wait(30)
    # The bar moves while the worker writes (the page asks every second).
    expect(page.locator("#job-progress")).to_have_attribute("value", "3")
    expect(page.locator("#job-count")).to_contain_text("3 / 8 dòng")
    # A reload in the middle: the same job, where it was.
    page.reload()
    assert page.url == job_url and "3 / 8 dòng" in page.inner_text("#job-count")
    assert page.get_attribute("#job-progress", "value") == "3"
    paused.go_on.set()
    worker.join(30)
    page.wait_for_selector("#job-file:not(.d-none)")
    with page.expect_download() as download:
        page.click("#job-file")
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()), read_only=True).active
    names = sorted(row[5] for row in sheet.iter_rows(min_row=3, values_only=True))
    assert names == sorted(p.full_name for p in registry["people"])

    # Someone else, signed in: neither the job nor its file exist for them.
    other = browser.new_context(locale="vi-VN")
    theirs = other.new_page()
    theirs.base_url = page.base_url
    from tests.e2e.conftest import sign_in

    sign_in(theirs, "khac")
    response = theirs.goto(job_url)
    assert response.status == 404 and "Không tìm thấy" in theirs.content()
    assert theirs.request.get(job_url + "file/").status == 404
    other.close()


def test_an_import_confirmed_as_a_job_shows_its_progress_and_leads_to_the_decision(
        page, registry, monkeypatch, tmp_path):
    paused = Paused(monkeypatch, at=2)
    rows = [[str(i + 1), p.full_name, "Đại úy", "", "PKH", p.service_number] for i, p in enumerate(registry["people"][:5])]
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(xlsx(rows))
    page.sign_in("canbo")
    page.goto(page.base_url + "/decisions/import/")
    page.fill("#id_number", "40/QĐ-QLCN")
    page.fill("#id_date", "2023-01-14")
    page.fill("#id_achievement_year", "2022")
    page.select_option("#id_authority", str(registry["authority"].pk))
    page.select_option("#id_title", str(registry["title"].pk))
    page.fill("#id_signer_title", "Cục trưởng")
    page.fill("#id_signer_name", "Vũ Thanh Bình")
    page.set_input_files("#id_spreadsheet", str(path))
    page.click("#preview-button")
    page.click("#confirm-import")
    page.wait_for_url("**/jobs/*/")
    assert not Decision.objects.filter(number="40/QĐ-QLCN").exists()
    worker = paused.start_worker()
    assert paused.reached.wait(30)
    expect(page.locator("#job-progress")).to_have_attribute("value", "2")
    expect(page.locator("#job-count")).to_contain_text("Đang kiểm tra các dòng: 2 / 5 dòng")
    paused.go_on.set()
    worker.join(30)
    page.wait_for_selector("#job-result:not(.d-none)")
    assert "Đã ghi quyết định 40/QĐ-QLCN" in page.inner_text("#job-message")
    page.click("#job-result")
    page.wait_for_selector("text=40/QĐ-QLCN")
    assert Decision.objects.get(number="40/QĐ-QLCN").awards.count() == 5
    assert Job.objects.get(kind="import_recipients").state == "done"
