"""The council's review and the public listing: councils, meetings, votes, listings, objections."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .nominations import Dossier, Nominee
from .people import Unit
from .registry import Title


class Council(models.Model):
    """A unit's emulation and commendation council (Hội đồng thi đua – khen thưởng)."""

    unit = models.OneToOneField(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="council")
    members = models.PositiveSmallIntegerField(_("members"), validators=[MinValueValidator(1)])
    # A meeting decides only with this share of the members present (two thirds by default).
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum: present at least (numerator)"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(
        _("quorum: of the members (denominator)"), default=3, validators=[MinValueValidator(1)])
    chair = models.CharField(_("chair"), max_length=200, blank=True)
    secretary = models.CharField(_("secretary"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    def __str__(self):
        return gettext("Emulation and commendation council of %(unit)s") % {"unit": self.unit.full_name}

    def clean(self):
        super().clean()
        if self.quorum_denominator and self.quorum_numerator > self.quorum_denominator:
            raise ValidationError(_("The quorum cannot be more than all the members."))


class CouncilMeeting(models.Model):
    """A meeting of a council that reviews a dossier's nominees by secret ballot."""

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="meetings")
    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    members_total = models.PositiveSmallIntegerField(_("members of the council"), validators=[MinValueValidator(1)])
    members_present = models.PositiveSmallIntegerField(_("members present"))
    chair = models.CharField(_("chair"), max_length=200)
    secretary = models.CharField(_("secretary"), max_length=200)
    quorum_numerator = models.PositiveSmallIntegerField(default=2, editable=False)
    quorum_denominator = models.PositiveSmallIntegerField(default=3, editable=False)
    results_at = models.DateTimeField(_("results recorded"), null=True, blank=True, editable=False)
    # When the meeting was entered: a move of its dossier after this makes its results final.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        ordering = ["-held_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(members_present__lte=F("members_total")),
                                              name="meeting_present_within_members",
                                              violation_error_message=_("More members present than the council has."))]

    def __str__(self):
        return gettext("Council meeting of %(date)s") % {"date": self.held_on.strftime("%d/%m/%Y")}

    def get_absolute_url(self):
        return reverse("awards:meeting-detail", args=[self.pk])

    @property
    def has_quorum(self):
        """At least the quorum's share of all the members present (exact: no rounding)."""
        return self.members_present * self.quorum_denominator >= self.members_total * self.quorum_numerator

    @property
    def quorum_needed(self):
        """The fewest members present that make the quorum."""
        return -(-self.members_total * self.quorum_numerator // self.quorum_denominator)


class CouncilVote(models.Model):
    """One nominee's ballot count at a meeting, on the honour the council considered."""

    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.CASCADE, related_name="votes")
    # A nominee taken out of the dossier afterwards leaves the count in the meeting's record.
    nominee = models.ForeignKey(Nominee, null=True, on_delete=models.SET_NULL, related_name="votes")
    recipient_name = models.CharField(_("nominee"), max_length=255, editable=False, default="")
    title = models.ForeignKey(Title, verbose_name=_("honour voted on"), on_delete=models.PROTECT, related_name="+")
    agree = models.PositiveSmallIntegerField(_("agree"))
    disagree = models.PositiveSmallIntegerField(_("disagree"), default=0)
    threshold = models.DecimalField(_("threshold (%)"), max_digits=5, decimal_places=2, editable=False)
    passed = models.BooleanField(_("passed"), editable=False)

    class Meta:
        verbose_name = _("council vote")
        verbose_name_plural = _("council votes")
        ordering = ["meeting", "nominee__seq"]
        constraints = [models.UniqueConstraint(fields=["meeting", "nominee"], name="vote_once_per_meeting")]

    def __str__(self):
        return f"{self.recipient_name}: {self.agree}/{self.meeting.members_total}"

    @property
    def share(self):
        """Agreeing votes as a share of all the council's members, in %."""
        from decimal import Decimal

        return (Decimal(self.agree) * 100 / self.meeting.members_total).quantize(Decimal("0.1"))


class Listing(models.Model):
    """The dossier's list made public inside the unit (công khai) for a number of days."""

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="listings")
    starts_on = models.DateField(_("from"))
    days = models.PositiveSmallIntegerField(_("days"), validators=[MinValueValidator(1), MaxValueValidator(60)])
    ends_on = models.DateField(_("until"), editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+",
    )
    published_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        verbose_name = _("public listing")
        verbose_name_plural = _("public listings")
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return gettext("Listed %(start)s – %(end)s") % {"start": self.starts_on.strftime("%d/%m/%Y"),
                                                       "end": self.ends_on.strftime("%d/%m/%Y")}

    def save(self, *args, **kwargs):
        self.ends_on = self.starts_on + datetime.timedelta(days=self.days - 1)
        super().save(*args, **kwargs)


class Objection(models.Model):
    """An objection or comment on a nominee, sent by a member of the unit during the listing."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="objections")
    nominee = models.ForeignKey(Nominee, verbose_name=_("nominee"), on_delete=models.PROTECT, related_name="objections")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(_("objection or comment"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["sent_at", "pk"]

    def __str__(self):
        return f"{self.nominee}: {self.message[:60]}"
