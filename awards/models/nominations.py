"""The road to a decision: dossiers, nominees, their documents, their history, deadlines."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import text
from ..choices import AttachmentKind, DecisionKind, DossierAction, DossierState, NomineeState, RecipientKind
from ..validators import validate_attachment
from .base import year_validators
from .people import Person, Unit
from .registry import Authority, Award, Title


class Dossier(models.Model):
    """A dossier (hồ sơ đề nghị): a unit proposes its people and collectives to an authority."""

    unit = models.ForeignKey(Unit, verbose_name=_("proposing unit"), on_delete=models.PROTECT, related_name="dossiers")
    authority = models.ForeignKey(
        Authority, verbose_name=_("addressed to"), on_delete=models.PROTECT, related_name="dossiers",
    )
    year = models.PositiveSmallIntegerField(_("year of achievement"), validators=year_validators)
    kind = models.CharField(_("kind of commendation"), max_length=16, choices=DecisionKind, default=DecisionKind.ANNUAL)
    campaign = models.CharField(
        _("campaign"), max_length=200, blank=True, help_text=_("For a campaign or thematic commendation: its name."),
    )
    reference = models.CharField(
        _("submission number"), max_length=64, blank=True, help_text=_("The covering submission's number, e.g. 15/TTr-QLCN"),
    )
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=DossierState, default=DossierState.DRAFT)
    # Set by the unit's first send, moved on by each send again; the inbox's order and its
    # overdue mark read it.
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-pk"]
        permissions = [("review_dossier", "Check, return, approve and forward dossiers addressed to its authorities")]
        indexes = [models.Index(fields=["authority", "state", "sent_at"]), models.Index(fields=["unit", "state"])]

    def __str__(self):
        return gettext("Dossier %(pk)s: %(unit)s to %(authority)s, %(year)s") % {
            "pk": self.pk, "unit": self.unit.short_name, "authority": self.authority.name, "year": self.year}

    def get_absolute_url(self):
        return reverse("awards:dossier-detail", args=[self.pk])

    def normalize(self):
        self.campaign = text.normalize(self.campaign)
        self.reference = text.normalize(self.reference)
        self.note = text.normalize(self.note)

    def clean(self):
        super().clean()
        if self.kind == DecisionKind.CAMPAIGN and not self.campaign:
            raise ValidationError({"campaign": _("Name the campaign.")})


class Nominee(models.Model):
    """One person or collective in a dossier, with the honour proposed and the reviewer's answer."""

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="nominees")
    seq = models.PositiveIntegerField(_("order"), default=1)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="nominations",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("collective"), null=True, blank=True, on_delete=models.PROTECT, related_name="nominations",
    )
    title = models.ForeignKey(Title, verbose_name=_("honour proposed"), on_delete=models.PROTECT, related_name="+")
    approved_title = models.ForeignKey(
        Title, verbose_name=_("honour approved"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    summary = models.TextField(_("summary of achievement"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=NomineeState, default=NomineeState.PROPOSED)
    reason = models.TextField(_("reason"), blank=True)
    award = models.ForeignKey(
        Award, verbose_name=_("award"), null=True, blank=True, editable=False, on_delete=models.PROTECT,
        related_name="nominations",
    )
    # The nominee of the lower dossier this one carries up (forwarding keeps the trail).
    source = models.ForeignKey(
        "self", verbose_name=_("proposed first in"), null=True, blank=True, editable=False,
        on_delete=models.PROTECT, related_name="forwarded_as",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nominee")
        verbose_name_plural = _("nominees")
        ordering = ["dossier", "seq", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, unit__isnull=True) | Q(person__isnull=True, unit__isnull=False),
                name="nominee_one_recipient",
                violation_error_message=_("Choose exactly one recipient: a person or a collective."),
            ),
            models.UniqueConstraint(
                fields=["dossier", "person", "title"], condition=Q(person__isnull=False),
                name="nominee_person_once", violation_error_message=_("Already proposed for this honour in this dossier."),
            ),
            models.UniqueConstraint(
                fields=["dossier", "unit", "title"], condition=Q(unit__isnull=False),
                name="nominee_unit_once", violation_error_message=_("Already proposed for this honour in this dossier."),
            ),
        ]
        indexes = [models.Index(fields=["dossier", "state"])]

    def __str__(self):
        return f"{self.recipient} – {self.title}"

    @property
    def recipient(self):
        return self.person if self.person_id else self.unit

    @property
    def recipient_kind(self):
        return RecipientKind.INDIVIDUAL if self.person_id else RecipientKind.COLLECTIVE

    @property
    def honour(self):
        """The honour as it now stands: the one approved, else the one proposed."""
        return self.approved_title or self.title

    def normalize(self):
        self.summary = text.normalize(self.summary)
        self.reason = text.normalize(self.reason)


class Attachment(models.Model):
    """A document of a dossier (tờ trình, minutes, an achievement report …), checked by its content."""

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="attachments")
    nominee = models.ForeignKey(
        Nominee, verbose_name=_("nominee"), null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments",
    )
    kind = models.CharField(_("kind of document"), max_length=16, choices=AttachmentKind)
    file = models.FileField(_("file"), upload_to="dossiers/%Y/", validators=[validate_attachment],
                            help_text=_("PDF, Word (DOCX), JPEG or PNG."))
    name = models.CharField(_("file name"), max_length=255, editable=False)
    uploaded_at = models.DateTimeField(_("added"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+",
    )
    # A removed document stays stored and in the history; it no longer counts for the dossier.
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True, editable=False)
    # Made by the registry from its data (a newer one of the same kind replaces it in the list).
    generated = models.BooleanField(_("generated"), default=False, editable=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["kind", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"


class DossierEvent(models.Model):
    """One step of a dossier or of one of its nominees: what, when, by whom, and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    nominee = models.ForeignKey(Nominee, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    action = models.CharField(_("step"), max_length=16, choices=DossierAction)
    state = models.CharField(_("state after"), max_length=16, blank=True)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("dossier step")
        verbose_name_plural = _("dossier steps")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["dossier", "at"])]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%d/%m/%Y %H:%M})"


class NominationDeadline(models.Model):
    """The date by which units send their dossiers to an authority, for a year and kind (or campaign)."""

    authority = models.ForeignKey(Authority, verbose_name=_("authority"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year of achievement"), validators=year_validators)
    kind = models.CharField(_("kind of commendation"), max_length=16, choices=DecisionKind, default=DecisionKind.ANNUAL)
    campaign = models.CharField(_("campaign"), max_length=200, blank=True)
    due_on = models.DateField(_("dossiers due by"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("deadline for dossiers")
        verbose_name_plural = _("deadlines for dossiers")
        ordering = ["-year", "authority", "kind", "campaign"]
        constraints = [models.UniqueConstraint(fields=["authority", "year", "kind", "campaign"],
                                               name="deadline_once",
                                               violation_error_message=_("A deadline is already set for this."))]

    def __str__(self):
        return f"{self.authority} {self.year} {self.get_kind_display()} {self.campaign}: {self.due_on:%d/%m/%Y}"
