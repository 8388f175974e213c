"""The evidence the rules read: eligibility rules, ratings, initiatives, discipline, breaks in service."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..choices import (
    DecisionKind,
    DisciplineForm,
    InitiativeKind,
    QuotaBase,
    RecognitionLevel,
    RuleKind,
    RuleRecipients,
    TaskRating,
)
from .base import year_validators
from .people import Person, Unit
from .registry import Authority, Title


class EligibilityRule(models.Model):
    """A condition an honour needs, edited by administrators: evaluated by awards.rules.

    The conditions of one honour combine as the law words them: each condition without a group
    must hold; of the conditions sharing an any-of group, one option must hold, an option being
    the conditions of that group that share its option label (all of them)."""

    title = models.ForeignKey(Title, verbose_name=_("title or form"), on_delete=models.CASCADE, related_name="rules")
    authorities = models.ManyToManyField(
        Authority, verbose_name=_("only when granted by"), blank=True, related_name="+",
        help_text=_("Empty: whoever grants it."),
    )
    decision_kind = models.CharField(
        _("only for commendations of kind"), max_length=16, choices=DecisionKind, blank=True,
        help_text=_("Empty: every kind (annual, campaign, sudden deed …)."),
    )
    recipients = models.CharField(_("only for"), max_length=16, choices=RuleRecipients, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=RuleKind)
    required_title = models.ForeignKey(
        Title, verbose_name=_("required title"), on_delete=models.PROTECT, related_name="+", null=True, blank=True,
    )
    also_titles = models.ManyToManyField(
        Title, verbose_name=_("or one of these titles"), blank=True, related_name="+",
        help_text=_("e.g. Lao động tiên tiến beside Chiến sĩ tiên tiến; a quota's base counts them all."),
    )
    required_authorities = models.ManyToManyField(
        Authority, verbose_name=_("required title granted by"), blank=True, related_name="+",
        help_text=_("Empty: from any authority."),
    )
    then_title = models.ForeignKey(
        Title, verbose_name=_("then the title"), on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        help_text=_("For “after holding a title”: the title of the following years, when not a rating."),
    )
    min_rating = models.PositiveSmallIntegerField(_("rating at least"), choices=TaskRating, null=True, blank=True)
    min_level = models.PositiveSmallIntegerField(
        _("recognised at least at level"), choices=RecognitionLevel, null=True, blank=True)
    years = models.PositiveSmallIntegerField(_("years (N)"), default=1)
    count = models.PositiveSmallIntegerField(_("at least (times)"), default=1)
    ending_last_year = models.BooleanField(
        _("ending last year"), default=False, help_text=_("The years end the year before the year of achievement."),
    )
    consumes = models.BooleanField(
        _("years are used up"), default=False,
        help_text=_("Years counted for one grant of this honour do not count toward the next."),
    )
    percent = models.DecimalField(_("percentage (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    quota_base = models.CharField(_("quota counted against"), max_length=16, choices=QuotaBase,
                                  default=QuotaBase.TITLES)
    any_of = models.CharField(
        _("any-of group"), max_length=20, blank=True,
        help_text=_("Conditions sharing a group: one of its options is enough. Empty: this condition must hold."),
    )
    option = models.CharField(
        _("option"), max_length=20, blank=True,
        help_text=_("Within a group, the conditions of one option must all hold."),
    )
    citation = models.CharField(_("citation"), max_length=200, blank=True, help_text=_("e.g. Luật TĐKT 2022, Điều 22"))
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ["title", "any_of", "option", "kind", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(years__gte=1), name="rule_years_positive"),
            models.CheckConstraint(condition=Q(count__gte=1), name="rule_count_positive"),
            models.CheckConstraint(
                condition=~Q(kind__in=["quota", "members_share"]) | Q(percent__isnull=False),
                name="rule_quota_has_percent",
                violation_error_message=_("A quota or a share needs its percentage."),
            ),
        ]

    NEEDS_TITLE = {"same_year", "consecutive", "within", "after", "members_count", "quota"}

    def clean(self):
        if self.kind in self.NEEDS_TITLE and self.required_title_id is None:
            raise ValidationError({"required_title": _("This kind of condition needs the required title.")})
        if self.kind == "rating" and self.min_rating is None:
            raise ValidationError({"min_rating": _("This kind of condition needs the rating.")})
        if self.kind == "after" and self.min_rating is None and self.then_title_id is None:
            raise ValidationError({"then_title": _("Say what the following years need: a rating or a title.")})
        if self.kind == "members_share" and self.required_title_id is None and self.min_rating is None:
            raise ValidationError({"required_title": _("Say what the share of members needs: a title or a rating.")})

    def required_ids(self):
        """The required title and its alternatives (loaded rules carry them as a set)."""
        if hasattr(self, "required_title_ids"):
            return self.required_title_ids
        ids = {t.pk for t in self.also_titles.all()}
        return ids | {self.required_title_id} if self.required_title_id else ids

    def __str__(self):
        required = f" ({self.required_title})" if self.required_title_id else ""
        return f"{self.title}: {self.get_kind_display()}{required}"


class Rating(models.Model):
    """A person's or unit's annual rating (xếp loại mức độ hoàn thành nhiệm vụ), entered by the unit."""

    person = models.ForeignKey(Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="ratings")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="ratings")
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    rating = models.PositiveSmallIntegerField(_("rating"), choices=TaskRating)
    note = models.CharField(_("note"), max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("annual rating")
        verbose_name_plural = _("annual ratings")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(person__isnull=True) ^ Q(unit__isnull=True), name="rating_one_recipient"),
            models.UniqueConstraint(fields=["person", "year"], name="rating_once_a_year_person",
                                    violation_error_message=_("This person already has a rating for that year.")),
            models.UniqueConstraint(fields=["unit", "year"], name="rating_once_a_year_unit",
                                    violation_error_message=_("This unit already has a rating for that year.")),
        ]
        indexes = [models.Index(fields=["year", "rating"])]

    def get_absolute_url(self):
        owner = getattr(self, "person", None) or self.unit
        return owner.get_absolute_url() + "#evidence"

    def __str__(self):
        return f"{self.person or self.unit} — {self.year}: {self.get_rating_display()}"


class Initiative(models.Model):
    """A recognised initiative or research result (sáng kiến, đề tài), with the level that recognised it."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="initiatives")
    year = models.PositiveSmallIntegerField(_("year recognised"), validators=year_validators)
    kind = models.CharField(_("kind"), max_length=16, choices=InitiativeKind, default=InitiativeKind.INITIATIVE)
    name = models.CharField(_("name"), max_length=300)
    level = models.PositiveSmallIntegerField(_("recognised at level"), choices=RecognitionLevel)
    decision = models.CharField(_("recognising decision"), max_length=100, blank=True,
                                help_text=_("Number and date, e.g. 15/QĐ-KHCN ngày 20/11/2021"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("initiative or research result")
        verbose_name_plural = _("initiatives and research results")
        ordering = ["-year", "name"]
        indexes = [models.Index(fields=["year", "level"])]

    def get_absolute_url(self):
        owner = getattr(self, "person", None) or self.unit
        return owner.get_absolute_url() + "#evidence"

    def __str__(self):
        return f"{self.name} ({self.year})"


class Discipline(models.Model):
    """A disciplinary measure (kỷ luật): it bars honours for the years it runs over."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="disciplines")
    form = models.CharField(_("form"), max_length=16, choices=DisciplineForm)
    decision = models.CharField(_("decision"), max_length=100, help_text=_("e.g. 12/QĐ-KL"))
    decided_on = models.DateField(_("decided on"))
    ends_on = models.DateField(_("in effect until"), null=True, blank=True, help_text=_("Empty: the day it was decided."))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # The years it bars, derived from the dates: the rules ask by year.
    year_from = models.PositiveSmallIntegerField(editable=False, default=0)
    year_to = models.PositiveSmallIntegerField(editable=False, default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        ordering = ["-decided_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("decided_on")),
                                   name="discipline_ends_after_start",
                                   violation_error_message=_("It cannot end before it was decided.")),
        ]

    def set_years(self):
        """The years it bars, from its dates (bulk writes call it too: they skip save())."""
        self.year_from = self.decided_on.year
        self.year_to = (self.ends_on or self.decided_on).year

    def save(self, *args, **kwargs):
        self.set_years()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        owner = getattr(self, "person", None) or self.unit
        return owner.get_absolute_url() + "#evidence"

    def __str__(self):
        return f"{self.get_form_display()} — {self.decision}"


class ServiceBreak(models.Model):
    """A time out of service (e.g. discharged, then re-enlisted): it does not count toward length of service."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="service_breaks")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("break in service")
        verbose_name_plural = _("breaks in service")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="service_break_ends_after_start",
                                   violation_error_message=_("A break cannot end before it starts.")),
        ]

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def __str__(self):
        return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"
