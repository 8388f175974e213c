"""The book of honours: authorities, titles, decisions, awards, register books, the audit trail,
names old files write, correction requests, prize money."""

import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import text
from ..choices import (
    AliasKind,
    AuditAction,
    AuthorityKind,
    AuthorityLevel,
    AwardStatus,
    CorrectionKind,
    CorrectionStatus,
    DecisionKind,
    HandsOver,
    PaperSize,
    Rank,
    RecipientKind,
    SigningPrefix,
    TitleCategory,
    TitleFor,
)
from ..validators import validate_emblem, validate_scan
from .base import KEY_LENGTH, NormalizedModel, SearchQuerySet, new_verification_code, paper_mm, rank_label_vi, year_validators
from .people import Person, Unit


_DECISION_NUMBER = re.compile(r"^\s*(\d+)(.*)$")


_PARTY_NUMBER = re.compile(r"^\d+[a-zA-Z]?-[^/\s]+/\S+$")


class Authority(NormalizedModel):
    """A granting body or office; its heading is what a certificate prints at the top."""

    name = models.CharField(
        _("name"), max_length=200, unique=True,
        help_text=_("As a certificate names it: the head's office and the body, e.g. “Cục trưởng Cục Quản lý "
                    "công nghệ”, “Chủ nhiệm Tổng cục Công nghiệp quốc phòng”, “Thủ tướng Chính phủ”."),
    )
    heading = models.CharField(
        _("certificate heading"), max_length=255, blank=True,
        help_text=_("Printed in capitals at the top of a certificate; defaults to the name in capitals."),
    )
    place = models.CharField(_("place name for the date line"), max_length=100, default="Hà Nội")
    level = models.PositiveSmallIntegerField(_("level"), choices=AuthorityLevel)
    kind = models.CharField(_("kind"), max_length=16, choices=AuthorityKind, default=AuthorityKind.COMMAND)
    symbol = models.CharField(_("document symbol"), max_length=50, blank=True, help_text=_("e.g. QĐ-TCCNQP"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit it heads"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="authorities",
    )
    keeps_book = models.BooleanField(
        _("keeps its register book here"), default=True,
        help_text=_("Yes for this office's own head and Party committee: their awards are numbered and their "
                    "certificates printed here. No for an authority above (Prime Minister, Minister, President, a "
                    "higher general department): its certificates arrive already numbered and printed."),
    )

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["-level", "name"]

    def __str__(self):
        return self.name

    def normalize(self):
        self.name = text.normalize(self.name)
        self.heading = text.normalize(self.heading) or self.name.upper()
        self.place = text.normalize(self.place)


class Title(NormalizedModel):
    """An emulation title or a form of commendation, and what its certificate prints."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.SlugField(_("code"), max_length=32, unique=True)
    category = models.CharField(_("category"), max_length=16, choices=TitleCategory)
    recipient_for = models.CharField(_("awarded to"), max_length=16, choices=TitleFor)
    rank_order = models.PositiveSmallIntegerField(
        _("rank order"), default=0, help_text=_("Higher is more prestigious."),
    )
    certificate_verb = models.CharField(_("certificate verb"), max_length=50, default="TẶNG")
    certificate_name = models.CharField(_("certificate wording"), max_length=200)
    paper = models.CharField(_("paper"), max_length=8, choices=PaperSize, default=PaperSize.A4)
    paper_width_mm = models.PositiveSmallIntegerField(_("paper width (mm)"), null=True, blank=True)
    paper_height_mm = models.PositiveSmallIntegerField(_("paper height (mm)"), null=True, blank=True)
    emblem = models.ImageField(
        _("emblem"), upload_to="emblems/", blank=True, validators=[validate_emblem],
        help_text=_("Optional: an image (PNG or JPEG) drawn at the top of the full certificate on plain paper."),
    )
    hands_over = models.CharField(_("hands over"), max_length=16, choices=HandsOver, default=HandsOver.CERTIFICATE)
    flag_width_mm = models.PositiveSmallIntegerField(_("flag width (mm)"), default=850)
    flag_height_mm = models.PositiveSmallIntegerField(_("flag height (mm)"), default=650)
    is_active = models.BooleanField(_("in use"), default=True)
    vote_threshold = models.DecimalField(
        _("council votes needed (% of its members)"), max_digits=5, decimal_places=2, default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The share of the council's members (all of them, not only those present) who must agree for "
                    "a nominee to pass: e.g. 90 for Chiến sĩ thi đua toàn quân and toàn quốc."),
    )
    required_attachments = models.JSONField(
        _("documents a dossier must carry"), default=list, blank=True,
        help_text=_("The kinds of document a dossier proposing this honour cannot be sent without; an "
                    "achievement report is needed for each nominee."),
    )

    class Meta:
        verbose_name = _("title or form")
        verbose_name_plural = _("titles and forms")
        ordering = ["-rank_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(paper=PaperSize.CUSTOM)
                | Q(paper_width_mm__gte=50, paper_height_mm__gte=50),
                name="title_custom_paper_has_size",
                violation_error_message=_("A custom paper size needs a width and a height of at least 50 mm."),
            ),
        ]

    def __str__(self):
        return self.name

    def is_below(self, other):
        """Whether this is a lower honour than `other` (a council or reviewer may carry a nominee down)."""
        return self.rank_order < other.rank_order

    def accepts(self, recipient_kind):
        return self.recipient_for in (TitleFor.BOTH, recipient_kind)

    @property
    def paper_mm(self):
        """(width, height) of its paper in millimetres, landscape."""
        return paper_mm(self.paper, self.paper_width_mm, self.paper_height_mm)

    @property
    def prints(self):
        """Whether anything is printed for it here: a certificate, or a flag's inscription."""
        return self.hands_over != HandsOver.NOTHING

    @property
    def prints_on_blank(self):
        """Whether it prints a certificate, the thing a layout on a pre-printed blank is for
        (a flag's inscription sheet is always printed whole)."""
        return self.hands_over == HandsOver.CERTIFICATE

    @property
    def print_word(self):
        """What it hands over, in the honour's own word: "Bằng khen", "Giấy khen", "giấy chứng
        nhận" (an emulation title's certificate), "cờ"; empty when nothing is handed over."""
        if self.hands_over == HandsOver.FLAG:
            return "cờ"
        if self.hands_over == HandsOver.NOTHING:
            return ""
        if self.category == TitleCategory.EMULATION_TITLE:
            return "giấy chứng nhận"
        return self.certificate_name.capitalize()

    @property
    def print_slug(self):
        """The word in a file name: "bang-khen", "giay-chung-nhan", "co"."""
        return slugify(text.fold(self.print_word)) or "khen-thuong"

    @property
    def decision_subject(self):
        """A decision's subject line (trích yếu) for this honour, as offices write it."""
        if self.category == TitleCategory.EMULATION_TITLE:
            return f"Về việc tặng danh hiệu “{self.name}”"
        return f"Về việc tặng {self.name}"

    def normalize(self):
        self.name = text.normalize(self.name)
        self.certificate_verb = text.normalize(self.certificate_verb)
        self.certificate_name = text.normalize(self.certificate_name)


class Decision(NormalizedModel):
    """A commendation decision: who decided, when, why; it grants one or many awards."""

    number = models.CharField(_("number and symbol"), max_length=64, help_text=_("e.g. 45/QĐ-TCCNQP"))
    date = models.DateField(_("date signed"))
    issued_year = models.PositiveSmallIntegerField(editable=False)
    authority = models.ForeignKey(Authority, verbose_name=_("authority"), on_delete=models.PROTECT, related_name="decisions")
    signer_name = models.CharField(_("signer's name"), max_length=200, blank=True)
    signer_rank = models.PositiveSmallIntegerField(_("signer's rank"), choices=Rank, null=True, blank=True)
    signer_prefix = models.CharField(_("signing prefix"), max_length=8, choices=SigningPrefix, blank=True, default="")
    signer_on_behalf_of = models.CharField(
        _("signing on behalf of"), max_length=200, blank=True,
        help_text=_("The office after the prefix, e.g. CỤC TRƯỞNG in “KT. CỤC TRƯỞNG”."),
    )
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True, help_text=_("e.g. PHÓ CỤC TRƯỞNG"))
    subject = models.CharField(_("subject"), max_length=255, default="Về việc tặng Bằng khen")
    reason = models.TextField(_("reason"), blank=True)
    kind = models.CharField(_("kind of commendation"), max_length=16, choices=DecisionKind, default=DecisionKind.ANNUAL)
    achievement_year = models.PositiveSmallIntegerField(_("year of achievement"), validators=year_validators)
    title = models.ForeignKey(
        Title, verbose_name=_("default title"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    scan = models.FileField(
        _("scanned copy"), upload_to="decisions/%Y/", blank=True, validators=[validate_scan],
        help_text=_("PDF, JPEG or PNG."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "issued_year", "number"], name="decision_unique_number",
                violation_error_message=_("This authority already has a decision with this number in that year."),
            ),
            models.CheckConstraint(
                condition=Q(achievement_year__gte=1945, achievement_year__lte=2100),
                name="decision_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(signer_prefix="") | ~Q(signer_on_behalf_of=""),
                name="decision_prefix_names_office",
                violation_error_message=_("A signing prefix needs the office signed on behalf of."),
            ),
        ]

    def get_absolute_url(self):
        return reverse("awards:decision-detail", args=[self.pk])

    def __str__(self):
        return self.number

    @staticmethod
    def normalize_number(number):
        """'5/QĐ-BQP' -> '05/QĐ-BQP': numbers below 10 take a leading zero."""
        number = text.normalize(number).replace(" ", "")
        match = _DECISION_NUMBER.match(number)
        if match and len(match.group(1)) == 1:
            number = "0" + number
        return number

    def clean(self):
        super().clean()
        # A Party body numbers its decisions "128-QĐ/ĐU" (Hướng dẫn 36-HD/VPTW); the state "45/QĐ-BQP".
        if self.authority_id and self.number:
            party = self.authority.kind == AuthorityKind.PARTY
            if party and not _PARTY_NUMBER.match(self.number):
                raise ValidationError({"number": _("A Party committee numbers its decisions as “128-QĐ/ĐU”: the "
                                                   "number, a hyphen, the kind, a slash, the committee.")})
            if not party and _PARTY_NUMBER.match(self.number):
                raise ValidationError({"number": _("“%(number)s” is written the Party's way; a state or command "
                                                   "authority writes “45/QĐ-TCCNQP”.") % {"number": self.number}})

    def normalize(self):
        self.number = self.normalize_number(self.number)
        for field in ("signer_name", "signer_on_behalf_of", "signer_title", "subject", "reason"):
            setattr(self, field, text.normalize(getattr(self, field)))
        self.signer_on_behalf_of = self.signer_on_behalf_of.upper()
        self.signer_title = self.signer_title.upper()
        if self.date:
            self.issued_year = self.date.year


class AwardQuerySet(SearchQuerySet):
    def active(self):
        return self.filter(status=AwardStatus.ACTIVE)

    def revoked(self):
        return self.filter(status=AwardStatus.REVOKED)

    def granted_in(self, first, last=None):
        return self.filter(year__gte=first, year__lte=last if last is not None else first)

    def within(self, unit):
        """Awards counted under this unit or any unit below it."""
        if unit.parent_id is None and not Unit.objects.filter(parent=None).exclude(pk=unit.pk).exists():
            return self.all()  # the root of the only tree: everything, without a join to test it
        return self.filter(within_unit__path__startswith=unit.path)


class Award(NormalizedModel):
    """One recipient's honour under one decision, with what it printed and its state."""

    decision = models.ForeignKey(Decision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="awards")
    seq = models.PositiveIntegerField(_("order in decision"), default=1)
    title = models.ForeignKey(Title, verbose_name=_("title or form"), on_delete=models.PROTECT, related_name="awards")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="awards",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("collective"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="collective_awards",
    )
    # Copies of the decision's authority and year of achievement, so that the database
    # itself can refuse a second active award of the same honour (see the triggers).
    authority = models.ForeignKey(
        Authority, verbose_name=_("authority"), on_delete=models.PROTECT, related_name="awards", editable=False,
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    # The recipient as they were on the decision date: promotions and moves later on
    # must not change the record or the certificate.
    recipient_name = models.CharField(_("recipient"), max_length=255)
    rank = models.PositiveSmallIntegerField(_("rank"), choices=Rank, null=True, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    unit_name = models.CharField(_("unit"), max_length=255, blank=True)
    within_unit = models.ForeignKey(
        Unit, verbose_name=_("counted under unit"), on_delete=models.PROTECT, related_name="awards_within",
    )
    achievement = models.TextField(_("achievement"), blank=True)
    # Numbered here from the authority's book; for an authority above, the number printed on the
    # certificate that arrived, typed by the officer (empty until it is known).
    register_number = models.PositiveIntegerField(_("register number"), null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=AwardStatus, default=AwardStatus.ACTIVE)
    revocation_number = models.CharField(_("revoking decision number"), max_length=64, blank=True)
    revocation_date = models.DateField(_("revoking decision date"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )
    verification_code = models.CharField(max_length=32, unique=True, default=new_verification_code, editable=False)
    search_key = models.CharField(max_length=KEY_LENGTH, editable=False, db_index=True, default="")
    sort_key = models.CharField(max_length=KEY_LENGTH, editable=False, db_index=True, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "decision_id", "seq"]
        permissions = [
            ("revoke_award", _("Can revoke awards")),
            ("print_certificate", _("Can print certificates")),
            ("view_personal_data", _("Can see service numbers and personal identifiers")),
            ("view_report", _("Can see the year report")),
        ]
        indexes = [
            models.Index(fields=["year", "status"], name="award_year_status"),
            models.Index(fields=["within_unit", "year"], name="award_unit_year"),
            # The register's default order, so page 1 of the whole list needs no sort.
            # With the id (SQLite's indexes carry it anyway; PostgreSQL's need it), so a page's keys are read from
            # the index alone (tables.KeysFirstPaginator).
            models.Index(fields=["-year", "decision", "seq", "id"], name="award_register_order"),
            # A unit's page lists its members' honours by year, then name.
            models.Index(fields=["-year", "sort_key", "id"], name="award_year_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, unit__isnull=True)
                | Q(person__isnull=True, unit__isnull=False),
                name="award_exactly_one_recipient",
                violation_error_message=_("An award goes to exactly one person or one collective."),
            ),
            models.UniqueConstraint(
                fields=["person", "title", "authority", "year"],
                condition=Q(status=AwardStatus.ACTIVE, person__isnull=False),
                name="award_unique_active_person_honour",
                violation_error_message=_(
                    "This person already holds this title from this authority for this year."
                ),
            ),
            models.UniqueConstraint(
                fields=["unit", "title", "authority", "year"],
                condition=Q(status=AwardStatus.ACTIVE, unit__isnull=False),
                name="award_unique_active_unit_honour",
                violation_error_message=_(
                    "This collective already holds this title from this authority for this year."
                ),
            ),
            models.UniqueConstraint(
                fields=["authority", "year", "register_number"], name="award_unique_register_number",
                violation_error_message=_("This register number is already used in this register book."),
            ),
            models.UniqueConstraint(fields=["decision", "seq"], name="award_unique_seq"),
            models.CheckConstraint(
                condition=Q(status=AwardStatus.ACTIVE, revoked_at__isnull=True, revocation_reason="")
                | Q(status=AwardStatus.REVOKED, revoked_at__isnull=False)
                & ~Q(revocation_reason="") & ~Q(revocation_number=""),
                name="award_revocation_recorded",
                violation_error_message=_("A revoked award needs the revoking decision and a reason."),
            ),
        ]

    def get_absolute_url(self):
        return reverse("awards:award-detail", args=[self.pk])

    def __str__(self):
        return f"{self.title} – {self.recipient_name} ({self.year})"

    @property
    def recipient_kind(self):
        return RecipientKind.INDIVIDUAL if self.person_id else RecipientKind.COLLECTIVE

    @property
    def is_revoked(self):
        return self.status == AwardStatus.REVOKED

    @property
    def printed_here(self):
        """Whether its certificate (or flag sheet) is printed here: the title hands one over and
        the authority keeps its register book here (one from above arrives already printed)."""
        return self.title.prints and self.authority.keeps_book

    @property
    def not_printed_reason(self):
        """Why nothing is printed here for it, in a phrase ("" when it is printed here): "the
        decision itself is the recognition", "the Bằng khen comes from Thủ tướng Chính phủ …"."""
        if not self.title.prints:
            return gettext("the decision itself is the recognition")
        if not self.authority.keeps_book:
            return (gettext("the %(word)s comes from %(authority)s, numbered and printed there")
                    % {"word": self.title.print_word, "authority": self.authority})
        return ""

    @property
    def register_label(self):
        """The register number as books write it ("0123"), or "" when none is known yet."""
        return f"{self.register_number:04d}" if self.register_number else ""

    @property
    def recipient_display(self):
        rank = rank_label_vi(self.rank)
        return f"{rank} {self.recipient_name}" if rank else self.recipient_name

    def normalize(self):
        for field in ("recipient_name", "position", "unit_name", "achievement", "revocation_reason"):
            setattr(self, field, text.normalize(getattr(self, field)))
        self.search_key = text.fold(f"{self.recipient_name} | {self.unit_name}")[:KEY_LENGTH]
        if self.person_id:
            family, middle, given = text.split_name(self.recipient_name)
            if self.person and self.person.full_name == self.recipient_name:
                family, middle, given = self.person.family_name, self.person.middle_name, self.person.given_name
            self.sort_key = text.name_sort_key(family, middle, given)[:KEY_LENGTH]
        else:
            self.sort_key = text.collation_key(self.recipient_name)[:KEY_LENGTH]

    def clean(self):
        super().clean()
        if self.title_id and (self.person_id or self.unit_id) and not self.title.accepts(self.recipient_kind):
            if self.recipient_kind == RecipientKind.INDIVIDUAL:
                msg = _("“%(title)s” is awarded to collectives only, not to a person.")
            else:
                msg = _("“%(title)s” is awarded to individuals only, not to a collective.")
            raise ValidationError({"title": msg % {"title": self.title.name}})


class RegisterCounter(models.Model):
    """The last register number ("số sổ vàng") handed out in one authority's book for a year."""

    authority = models.ForeignKey(Authority, verbose_name=_("authority"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("register book")
        verbose_name_plural = _("register books")
        constraints = [models.UniqueConstraint(fields=["authority", "year"], name="register_counter_unique")]

    def __str__(self):
        return f"{self.authority} – {self.year}"


class AuditEntry(models.Model):
    """Who changed what and when, with the values before and after."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict, help_text=_("field: [before, after]"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"


class ImportAlias(models.Model):
    """A name an office's old files write for an authority or a title ("TT TCCNQP", "CSTT"),
    mapped once by an officer in an import's preview and used by that office's later imports (an
    office's mapping never steers another's); one without an office, set by an administrator, is
    for every office that has not mapped the name itself. Matched accent- and case-insensitively,
    never guessed."""

    kind = models.CharField(_("kind"), max_length=16, choices=AliasKind)
    name = models.CharField(_("as the files write it"), max_length=255)
    key = models.CharField(max_length=255, editable=False)
    authority = models.ForeignKey(Authority, verbose_name=_("authority"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="aliases")
    title = models.ForeignKey(Title, verbose_name=_("title or form"), null=True, blank=True,
                              on_delete=models.CASCADE, related_name="aliases")
    office = models.ForeignKey("Unit", verbose_name=_("office"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", help_text=_("Empty: for every office that has not mapped the name "
                                                             "itself."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("name in imported files")
        verbose_name_plural = _("names in imported files")
        ordering = ["kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "office"], name="import_alias_unique_per_office",
                                    violation_error_message=_("This name is already mapped.")),
            models.UniqueConstraint(fields=["kind", "key"], condition=Q(office__isnull=True),
                                    name="import_alias_unique_everywhere",
                                    violation_error_message=_("This name is already mapped.")),
            models.CheckConstraint(
                condition=Q(kind="authority", authority__isnull=False, title__isnull=True)
                | Q(kind="title", title__isnull=False, authority__isnull=True),
                name="import_alias_one_target",
            ),
        ]

    def __str__(self):
        return f"{self.name} → {self.authority or self.title}"

    def clean(self):
        self.name = text.normalize(self.name)
        self.key = text.fold(self.name)

    def save(self, *args, **kwargs):
        self.clean()
        super().save(*args, **kwargs)


class CorrectionRequest(models.Model):
    """A member of staff's report of a mistake in their own record, and how an officer answered."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="+",
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="correction_requests")
    award = models.ForeignKey(
        Award, verbose_name=_("award"), null=True, blank=True, on_delete=models.PROTECT, related_name="correction_requests",
        help_text=_("Empty when an honour is missing from the record."),
    )
    # The unit whose officers answer: the award's, else the person's, when the request was made.
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("what is wrong"), max_length=16, choices=CorrectionKind)
    message = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=16, choices=CorrectionStatus, default=CorrectionStatus.OPEN)
    resolution = models.TextField(_("answer"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    resolved_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # When the requester marked the answer read; until then their home page shows it.
    answer_seen_at = models.DateTimeField(_("answer read at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "unit"], name="correction_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=CorrectionStatus.OPEN, resolved_at__isnull=True)
                | Q(resolved_at__isnull=False) & ~Q(status=CorrectionStatus.OPEN) & ~Q(resolution=""),
                name="correction_answered_with_a_note",
                violation_error_message=_("An answered request needs its answer."),
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_kind_display()} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("awards:correction-detail", args=[self.pk])


class BaseSalary(models.Model):
    """The base salary (lương cơ sở) from a date: prize money is a coefficient times it."""

    amount = models.PositiveIntegerField(_("amount (đồng a month)"))
    effective_from = models.DateField(_("in force from"), unique=True)
    citation = models.CharField(_("legal basis"), max_length=200, help_text=_("e.g. “Nghị định 73/2024/NĐ-CP”"))

    class Meta:
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.amount:,} ({self.effective_from:%d/%m/%Y})".replace(",", ".")


class PrizeCoefficient(models.Model):
    """How many base salaries a title brings, for a kind of recipient (and, for a form such as
    the Bằng khen, the level of the authority granting it), from a date, as a decree sets it."""

    title = models.ForeignKey(Title, verbose_name=_("title or form"), on_delete=models.CASCADE,
                              related_name="coefficients")
    authority_level = models.PositiveSmallIntegerField(
        _("granted at level"), choices=AuthorityLevel, null=True, blank=True,
        help_text=_("Only for awards granted at this level (a Bằng khen of the Prime Minister, of a ministry …); "
                    "empty: at any level."),
    )
    recipient_kind = models.CharField(_("recipient"), max_length=16, choices=RecipientKind)
    coefficient = models.DecimalField(_("times the base salary"), max_digits=6, decimal_places=2,
                                      validators=[MinValueValidator(0)])
    effective_from = models.DateField(_("in force from"))
    round_up_to = models.PositiveIntegerField(
        _("rounded up to (đồng)"), default=1,
        help_text=_("Decree 98/2023 rounds each prize up to the ten thousand đồng: 10000. No rounding: 1."),
    )
    citation = models.CharField(_("legal basis"), max_length=200, help_text=_("e.g. “Nghị định 98/2023/NĐ-CP, Điều 54”"))

    class Meta:
        verbose_name = _("prize coefficient")
        verbose_name_plural = _("prize coefficients")
        ordering = ["title__name", "recipient_kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["title", "authority_level", "recipient_kind", "effective_from"],
                                    name="prize_coefficient_once",
                                    violation_error_message=_("This coefficient is already set from that date.")),
            models.CheckConstraint(condition=Q(round_up_to__gte=1), name="prize_round_positive"),
        ]

    def __str__(self):
        return f"{self.title} – {self.get_recipient_kind_display()} – {self.coefficient} ({self.effective_from:%d/%m/%Y})"
