"""The registry's data: units, people, authorities, titles, decisions, awards, audit."""

import base64
import datetime
import functools
import re
import secrets
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from . import text
from .validators import validate_attachment, validate_document_template, validate_emblem, validate_scan
from .choices import (
    PAPER_MM,
    AliasKind,
    Align,
    AuditAction,
    BlankField,
    FontStyle,
    InkColour,
    JobKind,
    JobState,
    AttachmentKind,
    AuthorityKind,
    AuthorityLevel,
    AwardStatus,
    CorrectionKind,
    CorrectionStatus,
    DecisionKind,
    DisciplineForm,
    DossierAction,
    DossierState,
    HandsOver,
    InitiativeKind,
    NomineeState,
    PaperSize,
    PrintKind,
    Rank,
    QuotaBase,
    RecipientKind,
    RecognitionLevel,
    RuleRecipients,
    TaskRating,
    RuleKind,
    SigningPrefix,
    TitleCategory,
    TitleFor,
    UnitKind,
)

KEY_LENGTH = 300
_PATH_SEGMENT = "{:07d}."
_DECISION_NUMBER = re.compile(r"^\s*(\d+)(.*)$")
_PARTY_NUMBER = re.compile(r"^\d+[a-zA-Z]?-[^/\s]+/\S+$")

year_validators = [MinValueValidator(1945), MaxValueValidator(2100)]


def rank_label_vi(rank):
    """The rank as printed on Vietnamese documents, whatever the interface language."""
    if rank is None:
        return ""
    return _rank_labels_vi()[rank]


@functools.cache
def _rank_labels_vi():
    # Switching the language for every row of a list costs more than the row itself.
    with translation.override("vi"):
        return {value: str(label) for value, label in Rank.choices}


def person_display_name(rank, full_name):
    """"Đại úy Nguyễn Văn An": the rank as Vietnamese writes it, then the name."""
    label = rank_label_vi(rank)
    return f"{label} {full_name}" if label else full_name


def years_of_service(service_from, year):
    """Whole years of service at 31 December of the year, breaks left out (None: no enlistment date)."""
    return None if service_from is None else max(year - service_from.year, 0)


def new_verification_code():
    """128 random bits, in base 32 so a person can read it off paper and type it."""
    return base64.b32encode(secrets.token_bytes(16)).decode("ascii").rstrip("=")


class NormalizedModel(models.Model):
    """A model whose text is normalised (NFC, derived keys) on clean() and on save()."""

    class Meta:
        abstract = True

    def normalize(self):
        raise NotImplementedError

    def clean(self):
        self.normalize()

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)


class SearchQuerySet(models.QuerySet):
    """Rows whose search key holds the query anywhere, accents and case ignored, read from a
    trigram index on both engines: PostgreSQL's GIN index (0009), SQLite's FTS5 index beside the
    table (awards.dbtriggers); each finds the rows that hold the query's trigrams and the LIKE is
    checked on those. Shorter queries are a LIKE.

    On SQLite the index is asked once, here, when the query names at most SEARCH_LIST_LIMIT rows
    (a name, as people search): a page's count and its rows then read those ids instead of
    asking the index twice; a query matching more (a family name alone) stays a subquery.
    PostgreSQL plans a list of ids worse than its own index (it walks the sort order filtering
    by the list), so it keeps the LIKE; a page of a search reads its count with its rows
    (tables.CountedPagePaginator)."""

    SEARCH_LIST_LIMIT = 5000

    def search(self, query):
        from django.db import connections
        from django.db.models import BooleanField
        from django.db.models.expressions import RawSQL

        from .dbtriggers import search_index

        folded = text.fold(query)
        if len(folded) < 3:  # fewer letters than a trigram: a LIKE over the keys
            return self.filter(search_key__contains=folded) if folded else self
        table = self.model._meta.db_table
        # A few trigrams that cover the query side by side: the index is asked for rows holding
        # them (a third of the query's trigrams: the trigrams of a family name are long lists,
        # and an index reads every list it is given), then the key itself is checked, exactly.
        side_by_side = [folded[i:i + 3] for i in range(0, len(folded) - 2, 3)]
        grams = side_by_side + ([folded[-3:]] if folded[-3:] not in side_by_side else [])  # and the end
        exact = f"%{_like_escaped(folded)}%"
        if _has_search_index(self.db, table):
            index = search_index(table)
            sql = (f"SELECT t.id FROM {index} JOIN {table} t ON t.id = {index}.rowid "
                   f"WHERE {index} MATCH %s AND t.search_key LIKE %s ESCAPE '\\'")
            params = [" AND ".join('"' + gram.replace('"', '""') + '"' for gram in grams), exact]
            with connections[self.db].cursor() as cursor:
                cursor.execute(f"{sql} LIMIT %s", [*params, self.SEARCH_LIST_LIMIT + 1])
                ids = [row[0] for row in cursor.fetchall()]
            if len(ids) <= self.SEARCH_LIST_LIMIT:
                return self.filter(pk__in=ids)
            return self.filter(pk__in=RawSQL(sql, params))
        if connections[self.db].vendor == "postgresql":
            # The GIN index serves the first LIKE (the trigrams side by side, in order: the end's,
            # which may overlap the one before, is left out of a pattern); the second, on an
            # expression no index holds, checks the rows it found.
            key = f'"{table}"."search_key"'
            cover = "%" + "%".join(_like_escaped(gram) for gram in side_by_side) + "%"
            return self.filter(RawSQL(f"{key} LIKE %s AND ({key} || '') LIKE %s", [cover, exact],
                                      output_field=BooleanField()))
        return self.filter(search_key__contains=folded)


def _like_escaped(value):
    """value, matched literally in a LIKE pattern (backslash the escape, as Django's lookups use)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _has_search_index(alias, table):
    """Whether this SQLite database has the table's trigram index (asked once a connection)."""
    from django.db import connections

    connection = connections[alias]
    if connection.vendor != "sqlite":
        return False
    known = connection.__dict__.setdefault("registry_search_indexes", {})
    if table not in known:
        from .dbtriggers import search_index_exists

        known[table] = search_index_exists(connection, table)
    return known[table]


class UnitQuerySet(SearchQuerySet):
    def subtree(self, unit):
        """The unit and everything under it, as one query on the materialised path."""
        return self.filter(path__startswith=unit.path)


class Unit(models.Model):
    """A unit in the organisation's tree, or a body attached to one (Party, unions)."""

    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind, default=UnitKind.UNIT)
    short_name = models.CharField(_("short name"), max_length=100)
    full_name = models.CharField(pgettext_lazy("unit", "full name"), max_length=255)
    is_active = models.BooleanField(_("active"), default=True)
    # "0000001.0000012." : the ids from the root down, so a subtree is a prefix match.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    search_key = models.CharField(max_length=KEY_LENGTH, editable=False, db_index=True, default="")

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="unit_not_own_parent",
                violation_error_message=_("A unit cannot be its own parent."),
            ),
            models.UniqueConstraint(
                fields=["parent", "full_name"], name="unit_unique_name_in_parent",
                violation_error_message=_("This parent already has a unit of that name."),
            ),
        ]

    def get_absolute_url(self):
        return reverse("awards:unit-detail", args=[self.pk])

    def __str__(self):
        return self.full_name

    def clean(self):
        self.short_name = text.normalize(self.short_name)
        self.full_name = text.normalize(self.full_name)
        if self.parent_id and self.pk and self.path:
            parent = self.parent
            if parent.path.startswith(self.path):
                raise ValidationError({"parent": _("A unit cannot be placed under itself or one of its own sub-units.")})

    def save(self, *args, **kwargs):
        self.short_name = text.normalize(self.short_name)
        self.full_name = text.normalize(self.full_name)
        self.search_key = text.fold(f"{self.full_name} {self.short_name}")[:KEY_LENGTH]
        old_path = self.path
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else ""
        new_path = parent_path + _PATH_SEGMENT.format(self.pk)
        if new_path != old_path:
            depth = new_path.count(".") - 1
            if old_path:
                # Moving a unit moves its whole subtree: one UPDATE rewrites the prefix.
                Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(models.Value(new_path), Substr("path", len(old_path) + 1)),
                    depth=F("depth") + (depth - self.depth),
                )
            Unit.objects.filter(pk=self.pk).update(path=new_path, depth=depth)
            self.path, self.depth = new_path, depth


class Person(NormalizedModel):
    """An individual who can be honoured: a soldier, officer or civilian employee."""

    full_name = models.CharField(pgettext_lazy("person", "full name"), max_length=200)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    middle_name = models.CharField(_("middle name"), max_length=100, blank=True)
    given_name = models.CharField(
        _("given name"), max_length=100, blank=True,
        help_text=_("Derived from the full name; set it only for a given name of two words."),
    )
    rank = models.PositiveSmallIntegerField(_("rank"), choices=Rank, null=True, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="members")
    service_number = models.CharField(_("service number"), max_length=32, null=True, blank=True)
    citizen_id = models.CharField(_("citizen ID"), max_length=20, null=True, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    enlisted_on = models.DateField(
        _("enlisted on"), null=True, blank=True,
        help_text=_("The day service began; years of service count from it, less the breaks in service."),
    )
    # The enlistment day moved on by the days of every break: service years are whole years since.
    service_from = models.DateField(editable=False, null=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="person",
    )
    search_key = models.CharField(max_length=KEY_LENGTH, editable=False, db_index=True, default="")
    sort_key = models.CharField(max_length=KEY_LENGTH, editable=False, db_index=True, default="")

    objects = SearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_number"], condition=Q(service_number__isnull=False),
                name="person_unique_service_number",
                violation_error_message=_("Another person already has this service number."),
            ),
            models.UniqueConstraint(
                fields=["citizen_id"], condition=Q(citizen_id__isnull=False),
                name="person_unique_citizen_id",
                violation_error_message=_("Another person already has this citizen ID."),
            ),
            models.CheckConstraint(condition=~Q(full_name=""), name="person_has_name"),
        ]

    def get_absolute_url(self):
        return reverse("awards:person-detail", args=[self.pk])

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return person_display_name(self.rank, self.full_name)

    def normalize(self):
        self.full_name = text.normalize(self.full_name)
        # Identifiers: blank means "not known", which must not collide with other blanks.
        self.service_number = text.normalize(self.service_number) or None
        self.citizen_id = text.normalize(self.citizen_id) or None
        self.position = text.normalize(self.position)
        given = text.normalize(self.given_name)
        family, middle, last = text.split_name(self.full_name)
        if given and self.full_name.endswith(" " + given) and given != last:
            # A given name of several words, stated explicitly.
            head = self.full_name[: -len(given) - 1].split(" ")
            family, middle = head[0], " ".join(head[1:])
        else:
            given = last
        self.family_name, self.middle_name, self.given_name = family, middle, given
        self.search_key = text.fold(self.full_name)[:KEY_LENGTH]
        self.sort_key = text.name_sort_key(family, middle, given)[:KEY_LENGTH]
        self.service_from = self.service_start()

    def service_start(self):
        """The enlistment day moved on by the days spent out of service."""
        if self.enlisted_on is None:
            return None
        breaks = self.service_breaks.all() if self.pk else []
        return self.enlisted_on + datetime.timedelta(days=sum(b.days for b in breaks))

    def service_years(self, year):
        return years_of_service(self.service_from, year)


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


def paper_mm(paper, width=None, height=None):
    """(width, height) in millimetres of a named paper size, or the custom one given."""
    if paper == PaperSize.CUSTOM and width and height:
        return float(width), float(height)
    return tuple(float(v) for v in PAPER_MM.get(paper, PAPER_MM["A4"]))


def _mm(label, **kw):
    return models.DecimalField(label, max_digits=5, decimal_places=1, **kw)


class CertificateLayout(models.Model):
    """Where each variable field is printed on a pre-printed blank (phôi) of one title: the
    blank carries the emblem, border and fixed words; printing adds only the variable text."""

    title = models.ForeignKey(Title, verbose_name=_("title or form"), on_delete=models.PROTECT, related_name="layouts")
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. “Phôi Giấy khen A4, lô mua năm 2024”"))
    paper = models.CharField(_("paper"), max_length=8, choices=PaperSize, default=PaperSize.A4)
    paper_width_mm = models.PositiveSmallIntegerField(_("paper width (mm)"), null=True, blank=True)
    paper_height_mm = models.PositiveSmallIntegerField(_("paper height (mm)"), null=True, blank=True)
    is_default = models.BooleanField(
        _("used for printing"), default=True,
        help_text=_("The layout used when this title is printed onto blanks (one per title)."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("layout on a blank")
        verbose_name_plural = _("layouts on blanks")
        ordering = ["title__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["title"], condition=Q(is_default=True), name="layout_one_default_per_title",
                                    violation_error_message=_("This title already has a layout used for printing.")),
            models.CheckConstraint(
                condition=~Q(paper=PaperSize.CUSTOM) | Q(paper_width_mm__gte=50, paper_height_mm__gte=50),
                name="layout_custom_paper_has_size",
                violation_error_message=_("A custom paper size needs a width and a height of at least 50 mm."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("awards:layout-detail", args=[self.pk])

    @property
    def paper_mm(self):
        return paper_mm(self.paper, self.paper_width_mm, self.paper_height_mm)


class LayoutField(models.Model):
    """One variable field's box on a blank: from the paper's top-left corner, in millimetres."""

    layout = models.ForeignKey(CertificateLayout, on_delete=models.CASCADE, related_name="fields")
    field = models.CharField(_("field"), max_length=16, choices=BlankField)
    x_mm = _mm(_("from the left (mm)"), validators=[MinValueValidator(0)])
    y_mm = _mm(_("from the top (mm)"), validators=[MinValueValidator(0)])
    width_mm = _mm(_("width (mm)"), validators=[MinValueValidator(5)])
    height_mm = _mm(_("height (mm)"), validators=[MinValueValidator(3)])
    font_size = models.DecimalField(_("font size (pt)"), max_digits=4, decimal_places=1, default=14,
                                    validators=[MinValueValidator(5), MaxValueValidator(96)])
    style = models.CharField(_("style"), max_length=8, choices=FontStyle, default=FontStyle.REGULAR)
    align = models.CharField(_("alignment"), max_length=8, choices=Align, default=Align.CENTRE)
    shrink = models.BooleanField(_("shrinks to fit"), default=True)
    colour = models.CharField(_("ink"), max_length=8, choices=InkColour, default=InkColour.BLACK)

    class Meta:
        verbose_name = _("field on the blank")
        verbose_name_plural = _("fields on the blank")
        ordering = ["layout", "y_mm", "x_mm"]
        constraints = [models.UniqueConstraint(fields=["layout", "field"], name="layout_field_once",
                                               violation_error_message=_("Each field is placed once."))]

    def __str__(self):
        return self.get_field_display()

    def clean(self):
        super().clean()
        if self.layout_id and None not in (self.x_mm, self.y_mm, self.width_mm, self.height_mm):
            width, height = self.layout.paper_mm
            right = float(self.x_mm) + float(self.width_mm)
            bottom = float(self.y_mm) + float(self.height_mm)
            if right > width + 0.01 or bottom > height + 0.01:
                raise ValidationError(_("The box runs off the %(w)g × %(h)g mm paper.") % {"w": width, "h": height})


class Profile(models.Model):
    """What a user account may act on: an officer's unit, whose subtree they record for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    scope_unit = models.ForeignKey(
        Unit, verbose_name=_("unit managed"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("An officer records honours for this unit and everything under it."),
    )
    # The printer's shift, measured on the alignment sheet: added to every field on a blank.
    print_offset_x_mm = _mm(_("printer offset to the right (mm)"), default=0,
                            validators=[MinValueValidator(-30), MaxValueValidator(30)])
    print_offset_y_mm = _mm(_("printer offset downwards (mm)"), default=0,
                            validators=[MinValueValidator(-30), MaxValueValidator(30)])
    # Set for an account the directory signs in: its entry there, and when it last signed in by it.
    directory_dn = models.CharField(_("directory entry"), max_length=500, blank=True, editable=False)
    directory_synced_at = models.DateTimeField(_("roles read from the directory"), null=True, blank=True,
                                               editable=False)

    class Meta:
        verbose_name = _("account profile")
        verbose_name_plural = _("account profiles")

    def __str__(self):
        return str(self.user)


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


class DirectoryGroup(models.Model):
    """A group of the organisation's directory and what its members are here: a role, and the unit
    whose honours they record (officers) or belong to. Read at each directory sign-in."""

    ROLES = [("Staff", _("staff member")), ("Officer", _("awards officer")), ("Organiser", _("ceremony organiser")),
             ("Administrator", _("administrator"))]
    dn = models.CharField(_("group (distinguished name)"), max_length=500,
                          help_text=_("As the directory writes it, e.g. CN=TDKT-CanBo-PKH,OU=Groups,DC=example,DC=vn"))
    key = models.CharField(max_length=500, unique=True, editable=False)
    role = models.CharField(_("role"), max_length=16, choices=ROLES)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", help_text=_("For officers: the unit whose honours they record."))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("directory group")
        verbose_name_plural = _("directory groups")
        ordering = ["key"]

    def __str__(self):
        return f"{self.dn} → {self.get_role_display()}"

    @staticmethod
    def key_of(dn):
        """A DN compared as directories compare it: case and the spaces around separators ignored."""
        return ",".join("=".join(side.strip() for side in part.split("=", 1)) for part in dn.split(",")).lower()

    def clean(self):
        self.dn = self.dn.strip()
        self.key = self.key_of(self.dn)
        if DirectoryGroup.objects.filter(key=self.key).exclude(pk=self.pk).exists():
            raise ValidationError({"dn": _("This group is mapped already.")})

    def save(self, *args, **kwargs):
        self.dn = self.dn.strip()
        self.key = self.key_of(self.dn)
        super().save(*args, **kwargs)


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


class Ceremony(models.Model):
    """A presentation event: its awards, in the order they are called up and printed."""

    name = models.CharField(_("name"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    awards = models.ManyToManyField(Award, through="CeremonyItem", related_name="ceremonies")
    # False until the organiser moves an award by hand: until then new awards take the default order.
    custom_order = models.BooleanField(_("order set by hand"), default=False, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("ceremony")
        verbose_name_plural = _("ceremonies")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.date:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("awards:ceremony-detail", args=[self.pk])


class CeremonyItem(models.Model):
    ceremony = models.ForeignKey(Ceremony, on_delete=models.CASCADE, related_name="items")
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("order"))

    class Meta:
        verbose_name = _("award in a ceremony")
        verbose_name_plural = _("awards in a ceremony")
        ordering = ["ceremony", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["ceremony", "award"], name="ceremony_award_once")]

    def __str__(self):
        return f"{self.ceremony} #{self.position}: {self.award}"


class PrintLog(models.Model):
    """One certificate printed: by whom, when, in which batch, and whether it was a reprint."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    award = models.ForeignKey(Award, verbose_name=_("award"), on_delete=models.PROTECT, related_name="prints")
    kind = models.CharField(_("printed as"), max_length=16, choices=PrintKind)
    ceremony = models.ForeignKey(
        Ceremony, verbose_name=_("ceremony"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    batch = models.UUIDField(_("batch"), db_index=True)
    reprint = models.BooleanField(_("reprint"), default=False)

    class Meta:
        verbose_name = _("certificate printed")
        verbose_name_plural = _("print log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.award}"


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


# ---- the road to a decision: dossiers, their nominees, documents and history ------------------

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


class DocumentTemplate(models.Model):
    """An administrator's own DOCX template for a kind of document, used instead of the registry's."""

    KINDS = [("submission", _("Covering submission (tờ trình)")), ("minutes", _("Council minutes (biên bản họp hội đồng)")),
             ("decision", _("Draft decision (dự thảo quyết định)"))]
    kind = models.CharField(_("document"), max_length=16, choices=KINDS, unique=True)
    file = models.FileField(_("template (DOCX)"), upload_to="templates/", validators=[validate_attachment,
                                                                                      validate_document_template],
                            help_text=_("A Word file with the registry's fields in {{ … }}. Start from the one in "
                                        "use: /documents/templates/submission.docx (or minutes.docx, decision.docx)."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")

    def __str__(self):
        return self.get_kind_display()

    def clean(self):
        super().clean()
        if self.file and not self.file.name.lower().endswith(".docx"):
            raise ValidationError({"file": _("A template is a Word file (DOCX).")})


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
