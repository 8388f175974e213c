"""Shared reads: the scoped querysets behind lists, pages, exports and reports."""

import os
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import text
from ..choices import (
    PARTY_PREFIXES,
    AliasKind,
    AuthorityKind,
    BlankField,
    CorrectionStatus,
    HandsOver,
    PrintMode,
    RecipientKind,
    TitleCategory,
)
from ..models import (
    AuditEntry,
    Authority,
    Award,
    CertificateLayout,
    Ceremony,
    Decision,
    Person,
    Profile,
    Title,
    Unit,
    rank_label_vi,
)
from ..roles import ADMINISTRATOR

# A scope that contains nothing: real paths start with a digit.
_NO_UNIT = Unit(path="-", short_name=_("no unit assigned"), full_name=_("no unit assigned"))


def user_scope(user):
    """The unit whose subtree this user records for; None means the whole registry."""
    if user is None or isinstance(user, AnonymousUser):
        return _NO_UNIT
    if user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists():
        return None
    profile = getattr(user, "profile", None)
    if profile is not None and profile.scope_unit_id:
        return profile.scope_unit
    person = getattr(user, "person", None)
    if person is not None:
        return person.unit
    return _NO_UNIT


def unit_subtree(unit):
    """The unit and every unit below it, in one query."""
    return Unit.objects.subtree(unit)


def person_search(query, *, queryset=None):
    """People whose name matches, ignoring accents and case; exact-accent matches first."""
    qs = (queryset if queryset is not None else Person.objects.all()).search(query)
    exact = text.normalize(query)
    return qs.annotate(
        exact=Case(When(full_name__contains=exact, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("exact", "sort_key")


def registry_counts():
    """The headline figures of the home page."""
    return {
        "decisions": Decision.objects.count(),
        "active": Award.objects.active().count(),
        "revoked": Award.objects.revoked().count(),
        "people": Person.objects.count(),
    }


def decision_recent(*, limit=10):
    """The latest decisions, with how many awards each granted."""
    # Explicit order: Meta.ordering does not apply to an aggregating query.
    return (
        Decision.objects.select_related("authority").annotate(award_count=Count("awards"))
        .order_by("-date", "-pk")[:limit]
    )


def award_queryset():
    """Every honour, with what a row of the list, its export or a page shows, joined once."""
    return Award.objects.select_related("decision", "authority", "title")


_EXPORT_FIELDS = (
    "year", "title__name", "person_id", "rank", "recipient_name", "position", "unit_name", "decision__number",
    "decision__date", "authority__name", "register_number", "status", "revocation_number", "revocation_date",
    "revocation_reason", "achievement",
)


def award_export_values(awards, *, user):
    """The columns an export writes, of the honours list's rows in its order, read as plain
    values in chunks: building five model instances a row was most of a large export's time.
    The service number only of the people this user may see it for (can_see_personal_data)."""
    fields = _EXPORT_FIELDS
    if can_see_personal_data(user):
        scope = user_scope(user)
        number = F("person__service_number") if scope is None else Case(
            When(person__unit__path__startswith=scope.path, then=F("person__service_number")),
            default=Value(None), output_field=models.CharField())
        awards, fields = awards.annotate(service_number_shown=number), fields + ("service_number_shown",)
    return awards.values_list(*fields, named=True).iterator(chunk_size=2000)


def can_see_personal_data(user, person=None):
    """Service numbers and citizen IDs are for administrators, and for officers about the people
    of their own units; officers of other units see the honours, not the identifiers. Without a
    person: whether this user may see any at all."""
    if not user.has_perm("awards.view_personal_data"):
        return False
    return person is None or in_scope(user, person.unit)


def can_see_evidence(user, person):
    """A person's ratings, initiatives and discipline: for the officers of their units (and
    administrators), and for the person themself."""
    own = user.is_authenticated and person.user_id is not None and person.user_id == user.pk
    return own or (user.has_perm("awards.view_rating") and in_scope(user, person.unit))


def can_edit_evidence(user, unit):
    return user.has_perm("awards.add_rating") and in_scope(user, unit)


def person_evidence(person, *, year=None):
    """What the rules read of a person, for their page: ratings, initiatives, discipline, service."""
    return {
        "ratings": list(person.ratings.all()),
        "initiatives": list(person.initiatives.all()),
        "disciplines": list(person.disciplines.all()),
        **person_service(person, year=year),
    }


def person_service(person, *, year=None):
    """The enlistment date, the breaks in service and the whole years served by the end of the year."""
    year = year or timezone.localdate().year
    return {"enlisted_on": person.enlisted_on, "breaks": list(person.service_breaks.all()),
            "service_years": person.service_years(year), "service_year": year}


def unit_ratings(unit):
    return list(unit.ratings.all())


def in_scope(user, unit):
    """Whether this user records honours for this unit (their unit or one under it)."""
    scope = user_scope(user)
    return scope is None or unit.path.startswith(scope.path)


def award_editable(user, award):
    return user.has_perm("awards.change_award") and in_scope(user, award.within_unit)


def award_revocable(user, award):
    return user.has_perm("awards.revoke_award") and not award.is_revoked and in_scope(user, award.within_unit)


def import_office(user):
    """The office whose name mappings (ImportAlias) a user's imports read and write: their unit;
    None (the registry-wide mappings) for administrators and for accounts with no unit."""
    scope = user_scope(user) if user is not None else None
    return scope if scope is not None and scope.pk else None


def creatable_references(user):
    """Which reference records (by AliasKind) this user may create from an import's preview:
    authorities and titles are an administrator's."""
    return {AliasKind.AUTHORITY: user is None or user.has_perm("awards.add_authority"),
            AliasKind.TITLE: user is None or user.has_perm("awards.add_title")}


def print_scope(user):
    """The unit whose certificates this user prints: an officer's own units; None (every unit)
    for administrators and for ceremony organisers, whose ceremonies gather the whole registry."""
    if user is None or not user.has_perm("awards.change_award"):
        return None
    return user_scope(user)


def outside_print_scope(user, awards):
    """The awards among these whose certificates this user may not print."""
    scope = print_scope(user)
    if scope is None:
        return []
    inside = set(Award.objects.filter(pk__in=[a.pk for a in awards], within_unit__path__startswith=scope.path)
                 .values_list("pk", flat=True))
    return [a for a in awards if a.pk not in inside]


def decision_editable(user, decision):
    """An officer corrects a decision only if every recipient is within their units."""
    if not user.has_perm("awards.change_decision"):
        return False
    scope = user_scope(user)
    if scope is None:
        return True
    return not decision.awards.exclude(within_unit__path__startswith=scope.path).exists()


def decision_awards(decision):
    return decision.awards.select_related("title", "decision", "authority").order_by("seq")


def person_awards(person):
    """A person's honours, newest first."""
    return award_queryset().filter(person=person).order_by("-year", "-decision__date", "-pk")


def person_title_counts(person):
    """How many honours in force the person holds of each title."""
    return (
        Award.objects.active().filter(person=person).values("title__name")
        .annotate(count=Count("pk")).order_by("-count", "title__name")
    )


def unit_collective_awards(unit):
    return award_queryset().filter(unit=unit).order_by("-year", "-decision__date", "-pk")


def unit_member_awards(unit):
    """Honours of individuals counted under this unit or any unit below it."""
    return award_queryset().within(unit).filter(person__isnull=False).order_by("-year", "sort_key", "pk")


def unit_ancestors(unit):
    ids = [int(segment) for segment in unit.path.split(".") if segment]
    return Unit.objects.filter(pk__in=ids[:-1]).order_by("depth")


def unit_tree():
    """Every unit in tree order, with its counts of members and collective honours."""
    return Unit.objects.annotate(
        member_count=Count("members", distinct=True),
    ).order_by("path")


def recipient_search(query, *, user, limit=15):
    """People and units matching a few letters, accents ignored, for picking recipients."""
    folded = text.fold(query)
    if len(folded) < 2:
        return []
    scope = user_scope(user)
    results = []
    for person in person_search(query).select_related("unit")[:limit]:
        results.append({
            "id": f"p:{person.pk}", "label": person.display_name, "kind": "person",
            "detail": ", ".join(x for x in (person.position, person.unit.full_name) if x),
            "in_scope": scope is None or person.unit.path.startswith(scope.path),
        })
    units = Unit.objects.search(folded).filter(is_active=True).select_related("parent")
    for unit in units.order_by("depth", "path")[:limit]:
        results.append({
            "id": f"u:{unit.pk}", "label": unit.full_name, "kind": "unit",
            "detail": unit.parent.full_name if unit.parent_id else "",
            "in_scope": scope is None or unit.path.startswith(scope.path),
        })
    return results


def decision_queryset():
    """Decisions newest first, with how many awards each granted."""
    return Decision.objects.select_related("authority").annotate(award_count=Count("awards")).order_by("-date", "-pk")


def display_value(field, value, related=None):
    if value is None or value == "":
        return "—"
    if field is None:
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if field.is_relation:
        return (related or {}).get((field.related_model, value), f"#{value}")
    if isinstance(value, FieldFile):
        return value.name.rsplit("/", 1)[-1]
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.get_internal_type() == "DateField":
        year, month, day = str(value).split("-")
        return f"{day}/{month}/{year}"
    return str(value)


# Bookkeeping that means nothing to a reader of the history.
# Not shown in a history: keys, and what is derived from a field shown (the year from the date).
_HISTORY_HIDDEN = {"id", "verification_code", "created_by_id", "revoked_at", "issued_year"}


def audit_trail(instance):
    """Who created, corrected or revoked this record, when, and each field before and after."""
    model = type(instance)
    entries = list(
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id=str(instance.pk))
        .order_by("-at", "-pk")
    )
    fields = {f.attname: f for f in model._meta.concrete_fields}
    wanted = {}
    for entry in entries:
        for attname, values in entry.changes.items():
            field = fields.get(attname)
            if field is not None and field.is_relation:
                wanted.setdefault(field.related_model, set()).update(v for v in values if v is not None)
    related = {}
    for related_model, pks in wanted.items():
        for obj in related_model._default_manager.filter(pk__in=pks):
            related[(related_model, obj.pk)] = str(obj)
    for entry in entries:
        entry.rows = []
        for attname, (before, after) in entry.changes.items():
            if attname in _HISTORY_HIDDEN:
                continue
            field = fields.get(attname)
            label = field.verbose_name if field is not None else attname
            entry.rows.append((label, display_value(field, before, related), display_value(field, after, related)))
    return entries


# ---- certificates ------------------------------------------------------------------------------

def certificate_style(title):
    if title.category == TitleCategory.EMULATION_TITLE:
        return "title"
    return "giay_khen" if "GIẤY KHEN" in title.certificate_name.upper() else "bang_khen"


def page_size(title):
    """Landscape page size in points for the title's paper (or a layout's)."""
    from reportlab.lib.units import mm

    width, height = title.paper_mm
    return width * mm, height * mm


def blank_boxes(layout):
    """A layout's fields as the renderer's boxes, in reading order."""
    from ..certificates.blanks import FieldBox

    order = {value: index for index, value in enumerate(BlankField.values)}
    fields = sorted(layout.fields.all(), key=lambda f: order.get(f.field, 99))
    return tuple(FieldBox(field=f.field, label=f.get_field_display(), x=float(f.x_mm), y=float(f.y_mm),
                          width=float(f.width_mm), height=float(f.height_mm), size=float(f.font_size),
                          style=f.style, align=f.align, shrink=f.shrink, colour=f.colour) for f in fields)


def printer_offset(user):
    """The user's printer offset (right, down) in millimetres, as saved from the alignment sheet."""
    profile = Profile.objects.filter(user_id=getattr(user, "pk", None)).first()
    if profile is None:
        return 0.0, 0.0
    return float(profile.print_offset_x_mm), float(profile.print_offset_y_mm)


def layout_list():
    """Every layout on a blank, with its title and fields."""
    return CertificateLayout.objects.select_related("title").prefetch_related("fields")


def titles_without_layout():
    """Titles in use that print a certificate here but have no layout on a blank."""
    laid_out = CertificateLayout.objects.filter(is_default=True).values("title_id")
    return Title.objects.filter(is_active=True, hands_over=HandsOver.CERTIFICATE).exclude(pk__in=laid_out)


def decision_titles(decision):
    """The titles a decision's awards grant."""
    return Title.objects.filter(awards__decision=decision).distinct()


def outside_authority_ids():
    """The authorities above, whose certificates arrive numbered and printed."""
    return list(Authority.objects.filter(keeps_book=False).values_list("pk", flat=True))


def blank_print_mode(titles):
    """The print form's first choice: onto blanks when every title here that prints a certificate
    has a layout on a blank, else the full drawing."""
    wanted = {t.pk for t in titles if t.prints_on_blank}
    if not wanted:
        return PrintMode.FULL
    have = set(CertificateLayout.objects.filter(title__in=wanted, is_default=True).values_list("title_id", flat=True))
    return PrintMode.BLANK if wanted <= have else PrintMode.FULL


def sample_certificate(layout, *, offset=(0.0, 0.0), watermark=""):
    """A specimen certificate on the layout's blank, worded as offices write one (the layout
    pages' test print): no award behind it."""
    from reportlab.lib.units import mm

    from ..certificates import CertificateData
    from ..certificates.blanks import SAMPLE_TEXTS

    width, height = layout.paper_mm
    prefix, _sep, office = SAMPLE_TEXTS["signer_office"].partition("\n")
    return CertificateData(
        page_width=width * mm, page_height=height * mm, style="giay_khen", authority=SAMPLE_TEXTS["heading"],
        verb="TẶNG", form_name=layout.title.certificate_name or SAMPLE_TEXTS["title"],
        recipient=SAMPLE_TEXTS["recipient"], recipient_detail=SAMPLE_TEXTS["detail"], collective=False,
        achievement=SAMPLE_TEXTS["achievement"], decision_line=SAMPLE_TEXTS["decision"],
        register_line=SAMPLE_TEXTS["register"], place_date=SAMPLE_TEXTS["place_date"],
        signer_prefix_line=prefix, signer_title=office, signer_name=SAMPLE_TEXTS["signer_name"],
        verify_url="https://example.invalid/verify/MAU", verify_code="", watermark=watermark,
        blank=blank_boxes(layout), offset_mm=tuple(offset),
    )


def default_layouts(titles):
    """{title id: its layout used for printing onto blanks, fields loaded}."""
    layouts = CertificateLayout.objects.filter(title__in=titles, is_default=True).prefetch_related("fields")
    return {layout.title_id: layout for layout in layouts}


def _emblem_path(title):
    """The uploaded emblem's file, if there is one and it is still there."""
    if not title.emblem:
        return ""
    try:
        path = title.emblem.path
    except (NotImplementedError, ValueError):
        return ""
    return path if os.path.exists(path) else ""


def verify_url(code, *, base_url):
    return f"{base_url.rstrip('/')}{reverse('awards:verify', args=[code])}"


def _units_above(unit_id, stop_id, chains):
    """The full names of the units above the award's unit, up to the granting authority's own
    unit (included), else up to the top of the tree (not included: the whole organisation is
    the heading's). chains caches them per (unit, authority unit) for a batch."""
    key = (unit_id, stop_id)
    if key not in chains:
        unit = Unit.objects.filter(pk=unit_id).only("path").first()
        ids = [int(segment) for segment in unit.path.split(".") if segment][:-1] if unit else []
        names = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "full_name"))
        chain = []
        for pk in reversed(ids):
            if pk == ids[0] and stop_id not in ids:
                break  # the root: named by the heading
            chain.append(names[pk])
            if pk == stop_id:
                break
        chains[key] = chain
    return chains[key]


def certificate_data(award, *, base_url, watermark="", chains=None, layout=None, offset=(0.0, 0.0), boxes=None):
    """What an award's certificate prints, worded as DOMAIN.md describes; no drawing here.
    chains: a dict shared by a batch, so each unit's chain is read once. layout: print onto
    that blank (only the variable text, moved by the printer's offset); boxes: its fields, if
    already read (a batch reads them once)."""
    from reportlab.lib.units import mm

    from ..certificates import CertificateData

    decision, title, authority = award.decision, award.title, award.authority
    width, height = page_size(title)
    blank = ()
    if layout is not None and title.prints_on_blank:
        blank = boxes if boxes is not None else blank_boxes(layout)
        width, height = (v * mm for v in layout.paper_mm)
    if title.hands_over == HandsOver.FLAG:
        # The flag itself is embroidered by a maker: what is printed here is its inscription,
        # on a plain A4 sheet, with the flag's size.
        width, height = 595.2756, 841.8898
    above = _units_above(award.within_unit_id, authority.unit_id, chains if chains is not None else {})
    if award.person_id:
        recipient = award.recipient_display
        detail = text.position_in_unit(award.position, [award.unit_name, *above])
    else:
        recipient, detail = ", ".join([award.recipient_name, *above]), ""
    party = authority.kind == AuthorityKind.PARTY
    # A Party body writes its prefixes "T/M", "K/T" (Hướng dẫn 36-HD/VPTW), the state "TM.", "KT.".
    said = PARTY_PREFIXES.get(decision.signer_prefix, decision.signer_prefix) if party else decision.signer_prefix
    prefix = f"{said} {decision.signer_on_behalf_of}".strip() if decision.signer_prefix else ""
    signer_rank = rank_label_vi(decision.signer_rank)
    return CertificateData(
        page_width=width, page_height=height,
        style="flag" if title.hands_over == HandsOver.FLAG else certificate_style(title),
        authority=authority.heading, verb=title.certificate_verb, form_name=title.certificate_name,
        recipient=recipient, recipient_detail=detail, collective=not award.person_id,
        achievement=award.achievement,
        decision_line=f"Quyết định số {decision.number} {text.date_words(decision.date)}",
        register_line=f"Số sổ vàng: {award.register_label}" if award.register_number else "",
        place_date=f"{authority.place}, {text.date_words(decision.date)}",
        signer_prefix_line=prefix, signer_title=decision.signer_title,
        signer_name=f"{signer_rank} {decision.signer_name}".strip(),
        verify_url=verify_url(award.verification_code, base_url=base_url),
        verify_code=f"Mã xác thực: {text.short_code(award.verification_code)}",
        watermark=watermark,
        blank=blank, offset_mm=tuple(offset),
        extra={"flag_size": f"{title.flag_width_mm} × {title.flag_height_mm} mm", "year": str(award.year),
               "party": party, "emblem": _emblem_path(title),
               "flag_ratio": title.flag_height_mm / (title.flag_width_mm or 1)},
    )


def print_problems(award):
    """What stops this award's certificate from being printed, in plain words."""
    problems = []
    if award.is_revoked:
        problems.append(_("revoked by decision %(number)s: never printed") % {"number": award.revocation_number})
    if not award.decision.signer_name:
        problems.append(_("decision %(number)s has no signer's name") % {"number": award.decision.number})
    if not award.decision.signer_title:
        problems.append(_("decision %(number)s has no signer's title") % {"number": award.decision.number})
    if award.authority.keeps_book and not award.register_number:
        problems.append(_("no register number"))
    return problems


def award_verify(code):
    """The award a printed code names: the full code, or its first ten characters as printed."""
    code = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(code) < 10:
        return None
    if len(code) >= 26:
        return Award.objects.select_related("decision", "authority", "title").filter(verification_code=code).first()
    # A range on the unique index, so a prefix lookup stays one index seek on any database.
    matches = list(
        Award.objects.select_related("decision", "authority", "title")
        .filter(verification_code__gte=code[:10], verification_code__lt=code[:10] + "~")[:2]
    )
    return matches[0] if len(matches) == 1 else None


def ceremony_items(ceremony):
    return ceremony.items.select_related(
        "award", "award__decision", "award__title", "award__authority", "award__within_unit",
    ).order_by("position", "pk")


def ceremony_print_check(ceremony, *, user):
    """The check before a ceremony prints: its items (each with what stops its certificate), how
    many print, those whose title hands over nothing, those blocked, and what blocks them once per
    decision (its signer is missing for all its awards at once) with whether this user may fix it."""
    items = list(ceremony_items(ceremony))
    for item in items:
        item.problems = print_problems(item.award) if item.award.printed_here else []
    live = [i for i in items if not i.award.is_revoked]
    blocked = [i for i in live if i.problems]
    fixes = {}
    for item in blocked:
        entry = fixes.setdefault(item.award.decision_id, {"decision": item.award.decision, "problems": [], "count": 0})
        entry["count"] += 1
        entry["problems"] += [p for p in item.problems if p not in entry["problems"]]
    for entry in fixes.values():
        entry["can_edit"] = decision_editable(user, entry["decision"])
    return {"print_mode": blank_print_mode({i.award.title for i in live if i.award.printed_here}),
            "items": items, "printable": sum(1 for i in live if i.award.printed_here),
            "not_printed": _by_reason([i for i in live if not i.award.printed_here]),
            "revoked": len(items) - len(live), "blocked": blocked,
            "fixes": list(fixes.values())}


def _by_reason(items):
    """Items not printed here, grouped by why: [(reason, [items])], in the list's order."""
    groups = {}
    for item in items:
        groups.setdefault(item.award.not_printed_reason, []).append(item)
    return list(groups.items())


def ceremony_default_order(awards_qs):
    """Collectives first, then by unit (tree order), rank high to low, and name."""
    return awards_qs.annotate(
        individual=Case(When(person__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()),
    ).order_by("individual", "within_unit__path", F("rank").desc(nulls_last=True), "sort_key", "pk")


def print_history(award):
    return award.prints.select_related("ceremony").order_by("-at", "-pk")[:20]


def ceremony_list():
    return Ceremony.objects.annotate(award_count=Count("items")).order_by("-date", "-pk")


# ---- the year report -------------------------------------------------------------------------

@dataclass
class ReportRow:
    authority: str
    title: str
    individuals: int = 0
    collectives: int = 0
    previous: int = 0
    money: int = 0        # prize money of the period's honours, in đồng (those with a coefficient)

    @property
    def total(self):
        return self.individuals + self.collectives

    @property
    def change(self):
        return self.total - self.previous


@dataclass
class YearReport:
    unit_name: str
    first: int
    last: int
    rows: list
    total: ReportRow

    @property
    def period(self):
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"

    @property
    def previous_period(self):
        span = self.last - self.first + 1
        first, last = self.first - span, self.last - span
        return str(first) if first == last else f"{first}–{last}"


def _report_awards(unit, first, last):
    """The honours in force a year report counts: granted in the period, under the unit."""
    qs = Award.objects.active().granted_in(first, last)
    return qs.within(unit) if unit is not None else qs


def _report_counts(unit, first, last):
    """Counts by authority and title. Grouped by their ids, without joining their names in:
    with the joins, SQLite chose to walk every authority and title and look their honours up,
    four times slower on a large registry than reading the year's honours once."""
    qs = _report_awards(unit, first, last)
    counts = list(
        qs.order_by().values("authority_id", "title_id")
        .annotate(individuals=Count("pk", filter=Q(person__isnull=False)),
                  collectives=Count("pk", filter=Q(unit__isnull=False)))
    )
    authorities = Authority.objects.in_bulk({r["authority_id"] for r in counts})
    titles = Title.objects.in_bulk({r["title_id"] for r in counts})
    merged = {}  # by name, as the report shows them
    for r in counts:
        authority, title = authorities[r["authority_id"]], titles[r["title_id"]]
        key = (authority.name, authority.level, title.name, title.rank_order)
        row = merged.setdefault(key, {"authority__name": authority.name, "authority__level": authority.level,
                                      "title__name": title.name, "title__rank_order": title.rank_order,
                                      "individuals": 0, "collectives": 0})
        row["individuals"] += r["individuals"]
        row["collectives"] += r["collectives"]
    return list(merged.values())


def _report_money(unit, first, last):
    """Prize money by (authority name, title name): counted by authority, title and decision
    (no join: the decisions' dates are read once), each group priced on its decision's date."""
    qs = _report_awards(unit, first, last)
    groups = list(qs.order_by().values("authority_id", "title_id", "decision_id")
                  .annotate(individuals=Count("pk", filter=Q(person__isnull=False)),
                            collectives=Count("pk", filter=Q(unit__isnull=False))))
    if not groups:
        return {}
    dates = dict(Decision.objects.filter(pk__in={g["decision_id"] for g in groups}).values_list("pk", "date"))
    authorities = Authority.objects.in_bulk({g["authority_id"] for g in groups})
    titles = dict(Title.objects.filter(pk__in={g["title_id"] for g in groups}).values_list("pk", "name"))
    table = prize_table()
    money = {}
    for g in groups:
        authority = authorities[g["authority_id"]]
        key = (authority.name, titles[g["title_id"]])
        for kind, count in ((RecipientKind.INDIVIDUAL, g["individuals"]), (RecipientKind.COLLECTIVE, g["collectives"])):
            prize = table.price(title_id=g["title_id"], level=authority.level, kind=kind, on=dates[g["decision_id"]]) \
                if count else None
            money[key] = money.get(key, 0) + (prize.amount * count if prize else 0)
    return money


def year_report(*, unit, first, last):
    """Honours in force for a year or a range, under a unit and everything below it, by
    authority and title, individuals and collectives apart, with the same span before."""
    span = last - first + 1
    rows, order = {}, {}
    for r in _report_counts(unit, first, last):
        key = (r["authority__name"], r["title__name"])
        rows[key] = ReportRow(r["authority__name"], r["title__name"], r["individuals"], r["collectives"])
        order[key] = (-r["authority__level"], r["authority__name"], -r["title__rank_order"], r["title__name"])
    for r in _report_counts(unit, first - span, last - span):
        key = (r["authority__name"], r["title__name"])
        if key not in rows:
            rows[key] = ReportRow(*key)
            order[key] = (-r["authority__level"], r["authority__name"], -r["title__rank_order"], r["title__name"])
        rows[key].previous = r["individuals"] + r["collectives"]
    for key, amount in _report_money(unit, first, last).items():
        if key in rows:
            rows[key].money = amount
    ordered = [rows[k] for k in sorted(rows, key=order.get)]
    total = ReportRow(
        "", "", sum(r.individuals for r in ordered), sum(r.collectives for r in ordered), sum(r.previous for r in ordered),
        sum(r.money for r in ordered),
    )
    return YearReport(unit.full_name if unit is not None else "", first, last, ordered, total)


# ---- a person's own record ----------------------------------------------------------------------

def my_person(user):
    return Person.objects.select_related("unit").filter(user=user).first() if user.is_authenticated else None


def my_unread_answers(person):
    """The person's correction requests answered since they last marked an answer read."""
    return (person.correction_requests.exclude(status=CorrectionStatus.OPEN).filter(answer_seen_at__isnull=True)
            .select_related("award__title").order_by("-resolved_at"))


def my_award(user, pk):
    """One of the user's own honours, in force, or None: the same answer whether the id
    belongs to someone else or to nothing, so an id in a URL reveals nothing."""
    person = my_person(user)
    if person is None:
        return None
    return award_queryset().filter(pk=pk, person=person).active().first()


def my_awards_by_year(person):
    """The person's honours, newest first, as [(year, [awards])]."""
    groups = {}
    for award in person_awards(person):
        groups.setdefault(award.year, []).append(award)
    return list(groups.items())


def correction_queue(user):
    """Open requests from people in this officer's units, oldest first."""
    from ..models import CorrectionRequest

    qs = CorrectionRequest.objects.select_related("person", "award__title", "award__decision", "requester", "unit")
    scope = user_scope(user)
    if scope is not None:
        qs = qs.filter(unit__path__startswith=scope.path)
    return qs


def upcoming_ceremonies(*, today, limit=5):
    return Ceremony.objects.filter(date__gte=today).annotate(award_count=Count("items")).order_by("date", "pk")[:limit]


def latest_year(*, today):
    """The latest year of achievement with honours, not after this year (this year if none)."""
    found = Award.objects.filter(year__lte=today.year).aggregate(latest=models.Max("year"))["latest"]
    return found or today.year


# ---- prize money -------------------------------------------------------------------------------

def prize_table():
    """Every base salary and prize coefficient, read once (two queries) for a page or a list."""
    from ..models import BaseSalary, PrizeCoefficient
    from ..money import PrizeTable

    return PrizeTable(list(BaseSalary.objects.all()), list(PrizeCoefficient.objects.all()))


def award_prize(award, table=None):
    """The award's prize money on its decision's date (money.Prize), or None if none is set."""
    return (table or prize_table()).prize(award)


def payment_list(decision):
    """A decision's payment list: its awards in force, in the decision's order, each priced."""
    from ..payments import PaymentList, PaymentRow

    table = prize_table()
    payments = PaymentList(number=decision.number, date=decision.date, authority=decision.authority.name)
    awards = decision.awards.active().select_related("title", "authority", "decision").order_by("seq")
    for award in awards:
        prize = table.prize(award)
        payments.rows.append(PaymentRow(
            seq=award.seq, recipient=award.recipient_display, unit=award.unit_name, title=award.title.name,
            coefficient=prize.coefficient if prize else None, base_salary=prize.base_salary if prize else None,
            amount=prize.amount if prize else None))
    return payments
