"""Long work the worker does (awards.jobs): its page with the progress bar, its figures for the
bar, its file; each only for the user who asked (anyone else is told it does not exist)."""

from django.conf import settings
from django.http import FileResponse, Http404, JsonResponse
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from .. import jobs
from ..choices import JobState
from ..models import Job
from .base import SignedInView

_PHASES = {"reading": lambda: _("Reading the file"), "checking": lambda: _("Checking the rows"),
           "writing": lambda: _("Writing"),
           "drawing": lambda: _("Drawing the certificates")}


def job_figures(job):
    """What the page and its bar show: state, done of total, percent, the stage, the way on."""
    done, total, phase = jobs.progress(job)
    return {
        "state": job.state, "state_label": str(job.get_state_display()), "done": done, "total": total,
        "percent": 100 if job.state == JobState.DONE else (int(done * 100 / total) if total else 0),
        "phase": str(_PHASES[phase]()) if phase in _PHASES and not job.finished else "",
        "finished": job.finished, "message": job.message,
        "file_url": job.get_absolute_url() + "file/" if job.state == JobState.DONE and job.filename else "",
        "result_url": job.result_url,
    }


class MyJobsMixin(SignedInView):
    def get_queryset(self):
        return Job.objects.filter(user=self.request.user)


class JobListView(MyJobsMixin, ListView):
    """The user's jobs, newest first (the last fifty)."""

    template_name = "awards/jobs/job_list.html"

    def get_queryset(self):
        return super().get_queryset()[:50]

    def get_context_data(self, **kwargs):
        return super().get_context_data(keep_hours=f"{settings.REGISTRY_JOB_KEEP_HOURS:g}", **kwargs)


class JobDetailView(MyJobsMixin, DetailView):
    template_name = "awards/jobs/job_detail.html"

    def get_object(self, queryset=None):
        return jobs.as_it_stands(super().get_object(queryset))

    def get_context_data(self, **kwargs):
        return super().get_context_data(figures=job_figures(self.object), **kwargs)


class JobStatusView(MyJobsMixin, View):
    """The bar's figures as JSON, asked every second by the page while the job runs."""

    def get(self, request, pk):
        # Never cached, as nothing behind sign-in is (registry.middleware.NoStoreWhenSignedInMiddleware).
        return JsonResponse(job_figures(get_object_or_404(self.get_queryset(), pk=pk)))


def queued(request, make, back):
    """A job started from a POST: its page, or back with why it was refused."""
    try:
        return redirect(make())
    except jobs.TooManyJobs as refusal:
        messages.error(request, refusal.message)
        return redirect(back)


class JobFileView(MyJobsMixin, View):
    def get(self, request, pk):
        job = jobs.as_it_stands(get_object_or_404(self.get_queryset(), pk=pk,
                                                  state__in=(JobState.DONE, JobState.EXPIRED)))
        if job.state == JobState.EXPIRED:
            messages.error(request, _("The file of this job was kept for %(hours)s hours and has been removed; make "
                                      "it again.") % {"hours": f"{settings.REGISTRY_JOB_KEEP_HOURS:g}"})
            return redirect(job)
        path = jobs.file_path(job)
        if not job.filename or not path.is_file():
            raise Http404
        return FileResponse(path.open("rb"), as_attachment=True, filename=job.filename, content_type=job.content_type)
