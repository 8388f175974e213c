"""Long work as jobs: an export of many rows, an import's confirmation, a batch of certificates.

The request that asks records a Job and enqueues `run_job` (Django's tasks framework, the
django-tasks backport with its database backend: no broker, SQLite and PostgreSQL alike); the
worker (`manage.py db_worker`, started by `start_demo`) runs it and writes the file into the
data folder. The job's page shows a progress bar read from a small progress file, which the
worker writes as it goes: a file rather than a row, so an import writing inside one long
transaction still tells how far it is, and SQLite's single writer is never asked for it.

The file is the asking user's only (the views look the job up by its user), and it is removed
REGISTRY_JOB_KEEP_HOURS after it is ready (`purge`, at every new job and by `manage.py purge_jobs`).
"""

import json
import logging
import os
import time
from pathlib import Path

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .choices import JobKind, JobState
from .models import Job

try:  # Django 6 has the framework itself; 5.2 takes the backport
    from django.tasks import task
except ImportError:
    from django_tasks import task

logger = logging.getLogger(__name__)
_EVERY_SECONDS = 0.25  # the progress file is written at most this often


def folder():
    path = Path(settings.DATA_DIR) / "jobs"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def file_path(job):
    return folder() / f"{job.pk}.out"


def _progress_path(job_id):
    return folder() / f"{job_id}.progress"


class TooManyJobs(Exception):
    """The user has REGISTRY_JOB_MAX_WAITING jobs waiting or running already."""

    def __init__(self, waiting):
        super().__init__(waiting)
        self.message = _("You have %(count)s jobs waiting or running; start another when one of them is "
                               "done.") % {"count": waiting}


def start(*, user, kind, label, total, params, unit_label="rows"):
    """Record the job and put it in the worker's queue; returns the Job. Refused (TooManyJobs)
    while the user has REGISTRY_JOB_MAX_WAITING jobs not yet done: one person cannot fill the
    worker's queue for everyone."""
    purge()
    waiting = Job.objects.filter(user=user, state__in=(JobState.QUEUED, JobState.RUNNING)).count()
    if waiting >= settings.REGISTRY_JOB_MAX_WAITING:
        raise TooManyJobs(waiting)
    job = Job.objects.create(user=user, kind=kind, label=label[:300], total=total, params=params,
                             unit_label=unit_label)
    run_job.enqueue(str(job.pk))
    return job


def progress(job):
    """(done, total, phase) as the worker last wrote them."""
    try:
        data = json.loads(_progress_path(job.pk).read_text())
    except (FileNotFoundError, ValueError):
        return (job.total if job.state == JobState.DONE else 0), job.total, ""
    return data["done"], data["total"], data.get("phase", "")


class Progress:
    """What the running job reports: step() after each row or page, phase() when its stage changes."""

    def __init__(self, job):
        self.job_id, self.total, self.done, self.stage, self._written = job.pk, job.total, 0, "", 0.0

    def phase(self, name, *, total=None):
        self.stage, self.done = name, 0
        if total is not None:
            self.total = total
        self.write()

    def step(self, count=1):
        self.done += count
        if time.monotonic() - self._written >= _EVERY_SECONDS:
            self.write()

    def write(self):
        path = _progress_path(self.job_id)
        spare = path.with_name(path.name + ".new")
        spare.write_text(json.dumps({"done": min(self.done, self.total), "total": self.total, "phase": self.stage}))
        os.replace(spare, path)  # a reader sees the old figures or the new, never half of them
        self._written = time.monotonic()

    def counted(self, items):
        """The items, one step each as they are taken."""
        for item in items:
            yield item
            self.step()


@task()
def run_job(job_id):
    """The worker's entry: run the job once, record how it ended."""
    updated = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(state=JobState.RUNNING,
                                                                          started_at=timezone.now())
    if not updated:  # run already, or gone
        return
    job = Job.objects.get(pk=job_id)
    tracker = Progress(job)
    tracker.phase("")
    from .imports import FileRefused, ImportRefused
    from .services import RegistryError

    with override(job.params.get("language") or settings.LANGUAGE_CODE):
        try:
            outcome = RUNNERS[job.kind](job, tracker) or {}
        except (RegistryError, ImportRefused, FileRefused) as error:
            _finish(job, JobState.FAILED, message=getattr(error, "message", None) or str(error))
        except Exception:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            _finish(job, JobState.FAILED, message=_("The work stopped on an error; the administrators "
                                                    "have been told. Try again later."))
        except BaseException:  # the worker stopped in the middle: the job says so, not "running" forever
            _finish(job, JobState.FAILED, message=_("The work was interrupted (the worker stopped); ask for it again."))
            raise
        else:
            tracker.done = tracker.total
            tracker.write()
            _finish(job, JobState.DONE, **outcome)


def _finish(job, state, **fields):
    file_path(job).with_suffix(".part").unlink(missing_ok=True)
    Job.objects.filter(pk=job.pk).update(state=state, finished_at=timezone.now(), **fields)


def _write_file(job, chunks):
    """The job's file, from bytes chunks or a file handle; complete or not there at all."""
    target = file_path(job)
    partial = target.with_suffix(".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        if hasattr(chunks, "read"):
            while block := chunks.read(1 << 20):
                out.write(block)
        else:
            for chunk in chunks:
                out.write(chunk)
    os.replace(partial, target)


def _kept_since(hours=None):
    """Jobs finished before this have outlived their keeping time."""
    return timezone.now() - timezone.timedelta(hours=settings.REGISTRY_JOB_KEEP_HOURS if hours is None else hours)


def as_it_stands(job):
    """The job, its file removed first if it has outlived its keeping time (never served after,
    whether or not another job has purged since)."""
    if job.state == JobState.DONE and job.finished_at is not None and job.finished_at < _kept_since():
        purge()
        job.refresh_from_db()
    return job


def purge(*, older_than_hours=None):
    """Remove the files of jobs finished longer ago than the keeping time; returns how many."""
    limit = _kept_since(older_than_hours)
    old = list(Job.objects.filter(finished_at__lt=limit).exclude(state=JobState.EXPIRED).values_list("pk", flat=True))
    for pk in old:
        for path in (folder() / f"{pk}.out", _progress_path(pk)):
            path.unlink(missing_ok=True)
    Job.objects.filter(pk__in=old).update(state=JobState.EXPIRED)
    return len(old)


# ---- the kinds of work ----------------------------------------------------------------------

def filtered_awards(params):
    """The honours list's rows for these filters, in the list's order (its sort column)."""
    from . import selectors
    from .filters import AwardFilter
    from .tables import AwardTable

    filterset = AwardFilter(params, queryset=selectors.award_queryset())
    # As the list page does (django-filter's strict mode): a filter it cannot read shows nothing.
    qs = filterset.qs if not filterset.is_bound or filterset.is_valid() else filterset.queryset.none()
    if params.get("sort"):
        qs = AwardTable(qs, order_by=params["sort"]).data.data
    return qs


def award_export(params, *, user):
    """(header, rows, caption) of an export of the honours list: the page's export and the job's."""
    from . import exports, selectors
    from .filters import AwardFilter

    personal = selectors.can_see_personal_data(user)
    awards = filtered_awards(params)
    rows = exports.award_rows(selectors.award_export_values(awards, user=user), personal=personal)
    used = AwardFilter(params, queryset=selectors.award_queryset()).describe()
    caption = _("Honours register, %(when)s: %(filters)s") % {
        "when": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
        "filters": "; ".join(used) if used else _("no filter (the whole register)")}
    return exports.award_header(personal=personal), rows, caption


def export_job(*, user, params, fmt, count, language):
    """An export of the honours list, for the filters in params (a QueryDict)."""
    from . import selectors
    from .filters import AwardFilter

    kind = JobKind.EXPORT_CSV if fmt == "csv" else JobKind.EXPORT_XLSX
    used = AwardFilter(params, queryset=selectors.award_queryset()).describe()
    label = f"{kind.label}: {'; '.join(used)}" if used else str(kind.label)
    return start(user=user, kind=kind, label=label, total=count,
                 params={"query": params.urlencode(), "fmt": fmt, "language": language})


def _run_export(job, tracker):
    from . import exports

    fmt = job.params["fmt"]
    header, rows, caption = award_export(QueryDict(job.params["query"]), user=job.user)
    tracker.phase("writing")
    rows = tracker.counted(rows)
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        _write_file(job, exports.csv_stream(header, rows))
        content_type = "text/csv; charset=utf-8"
    else:
        with exports.xlsx_file(header, rows, sheet_title=_("Honours"), caption=caption) as handle:
            _write_file(job, handle)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return {"filename": f"so-khen-thuong-{stamp}.{fmt}", "content_type": content_type}


def import_job(*, user, kind, post, token, rows, language):
    """An import's confirmation: the file already read and previewed, written by the worker."""
    from django.urls import reverse

    job_kind = JobKind.IMPORT_RECIPIENTS if kind == "recipients" else JobKind.IMPORT_ROSTER
    back = reverse("awards:decision-import" if kind == "recipients" else "awards:roster-import")
    return start(user=user, kind=job_kind, label=str(job_kind.label), total=rows,
                 params={"post": post, "token": token, "import": kind, "language": language, "back": back})


def _run_import(job, tracker):
    from .imports import importing

    result_url, message = importing.confirm(job.params["import"], post=job.params["post"], token=job.params["token"],
                                            user=job.user, progress=tracker)
    return {"result_url": result_url, "message": message}


def ledger_job(*, user, post, token, write, rows, language):
    """A ledger's preview (write false) or its recording, by the worker; rows: how many the
    file holds, if read already (0: the worker reads it)."""
    from django.urls import reverse

    kind = JobKind.IMPORT_LEDGER if write else JobKind.CHECK_LEDGER
    back = f"{reverse('awards:ledger-import')}?token={token}"
    return start(user=user, kind=kind, label=str(kind.label), total=rows,
                 params={"post": post, "token": token, "write": write, "language": language, "back": back})


def _run_ledger(job, tracker):
    from .imports import importing

    params = job.params
    _preview, written = importing.ledger(user=job.user, post=params["post"], token=params["token"],
                                         write=params["write"], progress=tracker)
    if not params["write"]:
        return {"result_url": params["back"], "message": _("The ledger is checked: open its preview.")}
    result_url, message = importing.ledger_done(written)
    return {"result_url": result_url, "message": message}


def print_job(*, user, award_ids, kind, filename, base_url, mode, ceremony_id, back, language):
    """A batch of certificates drawn into one PDF by the worker."""
    return start(user=user, kind=JobKind.PRINT, label=str(JobKind.PRINT.label), total=len(award_ids),
                 unit_label="certificates",
                 params={"awards": award_ids, "kind": kind, "filename": filename, "base_url": base_url, "mode": mode,
                         "ceremony": ceremony_id, "back": back, "language": language})


def _run_print(job, tracker):
    import tempfile

    from . import services
    from .models import Ceremony
    from .selectors import award_queryset

    params = job.params
    order = {pk: i for i, pk in enumerate(params["awards"])}
    awards = sorted(award_queryset().select_related("within_unit").filter(pk__in=order), key=lambda a: order[a.pk])
    ceremony = Ceremony.objects.filter(pk=params["ceremony"]).first() if params["ceremony"] else None
    tracker.phase("drawing", total=len(awards))
    with tempfile.TemporaryFile() as handle:
        pages, _left_out = services.certificates_print(
            by=job.user, awards=awards, kind=params["kind"], base_url=params["base_url"], out=handle,
            ceremony=ceremony, mode=params["mode"], progress=tracker)
        handle.seek(0)
        _write_file(job, handle)
    return {"filename": params["filename"], "content_type": "application/pdf",
            "message": _("%(count)s certificates printed.") % {"count": pages}}


RUNNERS = {
    JobKind.EXPORT_CSV: _run_export,
    JobKind.EXPORT_XLSX: _run_export,
    JobKind.IMPORT_RECIPIENTS: _run_import,
    JobKind.IMPORT_ROSTER: _run_import,
    JobKind.PRINT: _run_print,
    JobKind.CHECK_LEDGER: _run_ledger,
    JobKind.IMPORT_LEDGER: _run_ledger,
}
