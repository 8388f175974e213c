"""Long work done by the worker outside the request."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices import JobKind, JobState


class Job(models.Model):
    """Long work done by the worker outside the request (awards.jobs): an export, an import's
    confirmation, a print batch. Its page shows the progress and offers the file, to the user
    who asked only; the file is removed REGISTRY_JOB_KEEP_HOURS after it is ready."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("job"), max_length=24, choices=JobKind)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs", editable=False)
    label = models.CharField(_("description"), max_length=300)
    params = models.JSONField(default=dict, editable=False)
    state = models.CharField(_("state"), max_length=12, choices=JobState, default=JobState.QUEUED)
    total = models.PositiveIntegerField(_("to do"), default=0)
    unit_label = models.CharField(max_length=40, default="rows")  # rows or certificates: the progress's unit
    filename = models.CharField(_("file"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    result_url = models.CharField(max_length=300, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="job_user_recent")]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("awards:job-detail", args=[self.pk])

    @property
    def finished(self):
        return self.state in (JobState.DONE, JobState.FAILED, JobState.EXPIRED)
