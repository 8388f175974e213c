"""An office's ledger of past honours (sổ theo dõi khen thưởng kept in spreadsheets): one row per
honour, each naming its decision (number, date, authority), title, year and recipient, as twenty
years of files wrote them. The rows are grouped into decisions, matched and checked, previewed
(the decisions to create or extend, the people to add, every problem by row and column, the
authorities and titles the registry does not know, to map or create once), then written all or
nothing by services.ledger_record."""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from .. import text
from ..selectors import creatable_references, import_office
from ..choices import AliasKind, DecisionKind
from ..models import Authority, Decision, ImportAlias, Person, Title
from ..services.ledger import LedgerDecision, ledger_problems, ledger_record
from ..services.base import RegistryError
from ..services.registry import RecipientRow, revocation_problems
from .core import (
    ERROR,
    READY,
    UNCHANGED,
    ImportRefused,
    Preview,
    begin_preview,
    check_name,
    create_people,
    refuse_if_wrong,
    read_register_number,
    without_gc_pauses,
)
from .reader import parse_date

LEDGER_COLUMNS = ["seq", "decision_number", "decision_date", "authority", "title", "achievement_year", "name", "rank",
                  "position", "unit", "service_number", "achievement", "register_number", "status",
                  "revocation_number", "revocation_date", "revocation_reason"]
LEDGER_REQUIRED = ("decision_number", "decision_date", "authority", "title", "achievement_year", "name", "unit")
_REVOKED = {"thu hoi", "da thu hoi", "bi thu hoi", "huy bo", "da huy bo", "bi huy bo", "huy", "revoked"}
_IN_FORCE = {"", "con hieu luc", "hieu luc", "dang hieu luc", "active", "binh thuong"}


@dataclass
class Unknown:
    """A name the ledger writes for an authority or a title that the registry does not know."""

    kind: str
    name: str                  # as first written
    key: str                   # folded
    rows: list = field(default_factory=list)

    @property
    def field_name(self):
        """The preview form's field that maps it."""
        return f"map-{self.kind}-{self.key.replace(' ', '_')}"


@dataclass
class LedgerGroup:
    """The rows of one decision: (authority, year of signing, number)."""

    number: str
    date: datetime.date
    authority: Authority
    year: int
    first_row: int
    rows: list = field(default_factory=list)     # RowResult
    existing: Decision | None = None

    @property
    def to_write(self):
        return [r for r in self.rows if r.status not in (ERROR, UNCHANGED)]

    @property
    def unchanged(self):
        return sum(1 for r in self.rows if r.status == UNCHANGED)


@dataclass
class LedgerPreview(Preview):
    groups: list = field(default_factory=list)
    unknown: list = field(default_factory=list)
    new_people: list = field(default_factory=list)
    mapped: list = field(default_factory=list)      # (kind, name as written, target) mapped in this preview

    @staticmethod
    def simply_ready(row):
        # A ledger's register numbers are its books': written as they are, not a thing to check.
        return row.status == READY and not row.problems

    @property
    def decisions_new(self):
        return [g for g in self.groups if g.existing is None and g.to_write]

    @property
    def decisions_extended(self):
        return [g for g in self.groups if g.existing is not None and g.to_write]


class Names:
    """Authorities and titles by the names a ledger writes: each one's own name (a title's code
    too) and the names officers mapped before (ImportAlias), accent- and case-insensitively, and
    the ones mapped in this preview (mappings: {(kind, folded name): authority or title, saved or
    to create}). Never a guess: an unknown name is an error on its rows, listed once."""

    def __init__(self, mappings=None, *, office=None, creates=None):
        self.creates = creates or {}   # by kind: whether the reader may create what is unknown, or only map it
        self.known = {AliasKind.AUTHORITY: defaultdict(list), AliasKind.TITLE: defaultdict(list)}
        for authority in Authority.objects.all():
            self._add(AliasKind.AUTHORITY, authority, authority.name)
        for title in Title.objects.all():
            self._add(AliasKind.TITLE, title, title.name, title.code)
        # The office's own mappings over the registry-wide ones; another office's are not read.
        aliases = ImportAlias.objects.select_related("authority", "title").filter(
            Q(office__isnull=True) | Q(office=office) if office is not None else Q(office__isnull=True))
        self.aliases = {}
        for alias in sorted(aliases, key=lambda a: a.office_id is not None):
            self.aliases[(alias.kind, alias.key)] = alias.authority or alias.title
        self.mappings = mappings or {}
        self.unknown = {}
        self.mapped = {}     # (kind, key) -> (name as written, target): mapped in this preview

    def _add(self, kind, target, *names):
        for name in {text.fold(n) for n in names if n}:
            self.known[kind][name].append(target)

    def find(self, kind, row, column):
        value = row.values.get(column, "")
        if not value:
            row.error(column, _("This column is empty."))
            return None
        key = text.fold(value)
        found = self.known[kind].get(key, [])
        if len(found) > 1:
            row.error(column, _("“%(name)s” names %(count)s records; write the full name.")
                      % {"name": value, "count": len(found)})
            return None
        target = found[0] if found else self.aliases.get((kind, key))
        if target is None and (kind, key) in self.mappings:
            target = self.mappings[(kind, key)]
            self.mapped.setdefault((kind, key), (value, target))
        if target is None:
            unknown = self.unknown.setdefault((kind, key), Unknown(kind=kind, name=value, key=key))
            unknown.rows.append(row.number)
            row.error(column, _UNKNOWN[(kind, bool(self.creates.get(kind)))]() % {"name": value})
        return target



def _date(row, column, *, required):
    value = row.values.get(column, "")
    if value in ("", None):
        if required:
            row.error(column, _("This column is empty."))
        return None
    try:
        return parse_date(value)
    except (ValueError, OverflowError):
        row.error(column, _("“%(value)s” is not a date (write 14/01/2022).") % {"value": value})
        return None


_YEAR = re.compile(r"^\d{4}(\.0+)?$")


def _year(row):
    value = str(row.values.get("achievement_year", "")).strip()
    if not _YEAR.match(value) or not 1945 <= int(float(value)) <= 2100:
        row.error("achievement_year", _("“%(value)s” is not a year (write 2021).") % {"value": value}
                  if value else _("This column is empty."))
        return None
    return int(float(value))


def _revocation(row, decided_on):
    """None for an honour in force; the revocation as written for one since revoked."""
    status = text.fold(row.values.get("status", ""))
    if status in _IN_FORCE:
        if row.values.get("revocation_number"):
            row.error("status", _("A revoking decision is written but the status is not “thu hồi”."))
        return None
    if status not in _REVOKED:
        row.error("status", _("“%(value)s” is not a status: leave it empty for an honour in force, write “thu hồi” "
                              "for one revoked.") % {"value": row.values["status"]})
        return None
    written = len(row.problems)
    revocation = {"number": Decision.normalize_number(row.values.get("revocation_number", "")),
                  "date": _date(row, "revocation_date", required=False),
                  "reason": row.values.get("revocation_reason", "")}
    found = revocation_problems(decided_on=decided_on, **revocation)
    if len(row.problems) > written:  # the date is there but unreadable: said already
        found.pop("revocation_date", None)
    for column, messages in found.items():  # the services' fields are the ledger's columns
        for message in messages:
            row.error(column, message)
    return revocation


# What a row says of a name the registry does not know, by (kind, whether the reader may create it).
_UNKNOWN = {
    (AliasKind.AUTHORITY, True): lambda: _("“%(name)s” is not an authority of the registry: map it to one, or "
                                           "create it, in the list of names above."),
    (AliasKind.TITLE, True): lambda: _("“%(name)s” is not a title or form of the registry: map it to one, or create "
                                       "it, in the list of names above."),
    (AliasKind.AUTHORITY, False): lambda: _("“%(name)s” is not an authority of the registry: map it to one in the "
                                            "list of names above (an administrator adds one it lacks)."),
    (AliasKind.TITLE, False): lambda: _("“%(name)s” is not a title or form of the registry: map it to one in the list "
                                        "of names above (an administrator adds one it lacks)."),
}


@without_gc_pauses()
def preview_ledger(table, *, by=None, mappings=None, progress=None):
    """Every row of a ledger matched and checked as recording it would: grouped into decisions
    by authority, number and year of signing (one the registry holds is extended), its people
    found or to be added, its authority and title known or listed to map. progress
    (awards.jobs.Progress), when a job runs it, counts the rows matched."""
    preview, rows, scope, registry = begin_preview(table, "ledger", LEDGER_COLUMNS, by=by, required=LEDGER_REQUIRED,
                                            preview_class=LedgerPreview)
    if rows is None:
        return preview
    names = Names(mappings, office=import_office(by), creates=creatable_references(by))
    groups, new_people = {}, {}
    for row in progress.counted(rows) if progress else rows:
        if not check_name(row):
            continue
        authority = names.find(AliasKind.AUTHORITY, row, "authority")
        row.title = names.find(AliasKind.TITLE, row, "title")
        number = Decision.normalize_number(row.values.get("decision_number", ""))
        if not number:
            row.error("decision_number", _("This column is empty."))
        date = _date(row, "decision_date", required=True)
        year = _year(row)
        unit = registry.unit(row)
        rank = registry.rank(row)
        if unit is not None and not row.values.get("rank") and not row.values.get("service_number") \
                and text.fold(row.values["name"]) in {text.fold(unit.full_name), text.fold(unit.short_name)}:
            row.unit = unit
        else:
            row.person = registry.person(row, unit)
            if row.person is None and unit is not None and row.status != ERROR:
                # One new person for every row that names them (the same name, unit and number).
                ident = (text.fold(row.values["name"]), unit.pk, row.values.get("service_number") or "")
                row.new_person = True
                row.person = new_people.get(ident)
                if row.person is None:
                    row.person = new_people[ident] = Person(
                        full_name=row.values["name"], rank=rank, position=row.values.get("position", ""), unit=unit,
                        service_number=row.values.get("service_number") or None)
                    row.person.normalize()
                    row.warn("name", _("Not in the registry: will be added as a new person in %(unit)s.")
                             % {"unit": unit.short_name})
            if row.person is not None and unit is not None:
                # The honour keeps the rank, position and unit the ledger writes for its time;
                # what it leaves empty stays empty (today's rank is not that year's).
                row.changes = {"rank": rank, "position": row.values.get("position", ""), "unit_name": unit.full_name,
                               "within_unit": unit}
        row.register_number = read_register_number(row, None)
        row.revocation = _revocation(row, date)
        if row.status == ERROR:
            continue
        key = (authority.pk or id(authority), date.year, number)
        group = groups.get(key)
        if group is None:
            groups[key] = LedgerGroup(number=number, date=date, authority=authority, year=year, first_row=row.number,
                                      rows=[row])
            continue
        if group.date != date:
            row.error("decision_date", _("Decision %(number)s of %(authority)s is dated %(date)s in row %(row)s; one "
                                         "decision has one date.") % {"number": number, "authority": authority,
                                                                      "date": group.date.strftime("%d/%m/%Y"),
                                                                      "row": group.first_row})
            group.rows[0].error("decision_date", _("Row %(row)s dates the same decision %(date)s.")
                                % {"row": row.number, "date": date.strftime("%d/%m/%Y")})
        elif group.year != year:
            row.error("achievement_year", _("Decision %(number)s is for %(year)s in row %(row)s; one decision has one "
                                            "year of achievement.") % {"number": number, "year": group.year,
                                                                       "row": group.first_row})
            group.rows[0].error("achievement_year", _("Row %(row)s gives the same decision the year %(year)s.")
                                % {"row": row.number, "year": year})
        else:
            group.rows.append(row)
    _against_the_registry(list(groups.values()))
    entries = {id(group): _entry(group) for group in groups.values()}
    lines = [(entries[id(group)], row) for group in groups.values() for row in group.to_write]
    found = ledger_problems([(entry, _line(row)) for entry, row in lines], by=by,
                            labels=[row.number for _entry_, row in lines])
    for index, problems in found.items():
        for problem in problems:
            lines[index][1].error("name", problem)
    preview.groups = sorted(groups.values(), key=lambda g: g.first_row)
    preview.unknown = sorted(names.unknown.values(), key=lambda u: (u.kind, u.rows[0]))
    preview.new_people = [p for p in new_people.values() if any(r.person is p and r.status != ERROR for r in rows)]
    preview.mapped = [(kind, name, target) for (kind, _key), (name, target) in names.mapped.items()]
    return preview


def _against_the_registry(groups):
    """Decisions the registry holds already: their date and year must agree, and the rows they
    already hold are unchanged (so the same file again adds nothing)."""
    numbers = {g.number for g in groups}
    held = {}
    for decision in Decision.objects.filter(number__in=numbers).select_related("authority"):
        held[(decision.authority_id, decision.issued_year, decision.number)] = decision
    for group in groups:
        existing = held.get((group.authority.pk, group.date.year, group.number)) if group.authority.pk else None
        if existing is None:
            continue
        if existing.date != group.date or existing.achievement_year != group.year:
            for row in group.rows:
                row.error("decision_date", _("The registry holds decision %(number)s of %(authority)s dated %(date)s "
                                             "for %(year)s; the file says %(file_date)s for %(file_year)s.")
                          % {"number": existing.number, "authority": existing.authority,
                             "date": existing.date.strftime("%d/%m/%Y"), "year": existing.achievement_year,
                             "file_date": group.date.strftime("%d/%m/%Y"), "file_year": group.year})
            continue
        group.existing = existing
        recorded = {(a.person_id, a.unit_id, a.title_id) for a in existing.awards.all()}
        for row in group.rows:
            if row.status != ERROR and not row.new_person and (
                    row.person.pk if row.person else None, row.unit.pk if row.unit else None, row.title.pk) in recorded:
                row.status = UNCHANGED
                row.problems.append(("", _("Already recorded in decision %(number)s.") % {"number": existing.number},
                                     False))


def _entry(group):
    """The decision a group is written into: the registry's, or a new one as the ledger gives it."""
    if group.existing is not None:
        return LedgerDecision(decision=group.existing)
    titles = {id(r.title): r.title for r in group.to_write}
    title = next(iter(titles.values())) if len(titles) == 1 else None
    return LedgerDecision(decision=Decision(
        number=group.number, date=group.date, authority=group.authority, achievement_year=group.year, title=title,
        kind=DecisionKind.ANNUAL, subject=f"Về việc tặng {title.name}" if title else "Về việc khen thưởng", reason=""))


def _line(row):
    return RecipientRow(person=row.person, unit=row.unit, title=row.title, achievement=row.values.get("achievement", ""),
                        register_number=row.register_number, snapshot=row.changes or None,
                        revocation=row.revocation)


@without_gc_pauses()
def commit_ledger(preview, *, by, progress=None):
    """Write the preview's decisions (new, or extended with the rows they lack), its new people,
    and the authorities, titles and names mapped in it; all or nothing. Returns the decisions."""
    refuse_if_wrong(preview)
    groups = [g for g in preview.groups if g.to_write]
    if not groups:
        return []
    create_people(preview.new_people, by=by)
    created = list({id(target): target for _kind, _name, target in preview.mapped if target.pk is None}.values())
    entries, labels, rows = [], [], []
    for group in groups:
        entry = _entry(group)
        entry.rows = [_line(r) for r in group.to_write]
        entries.append(entry)
        rows += group.to_write
        labels += [r.number for r in group.to_write]
    try:
        return ledger_record(by=by, decisions=entries, created=created, aliases=preview.mapped, labels=labels,
                             progress=progress)
    except RegistryError as error:
        for index, problems in error.row_errors.items():
            for problem in problems:
                rows[index].error("name", problem)
        raise ImportRefused(error.message, preview=preview)


def summary(preview):
    """What the preview page shows, as plain data (a job saves it for the page): the counts, the
    decisions to create or extend, the people to add, the unknown and mapped names, and the rows
    the page lists (LedgerPreview.shown: every one with something to say, the first ready ones)."""
    def row_data(row):
        return {"number": row.number, "status": row.status, "name": row.values.get("name", ""),
                "decision": row.values.get("decision_number", ""), "unit": row.values.get("unit", ""),
                "problems": [list(p) for p in row.problems]}

    return {
        "rows": len(preview.rows), "to_write": len(preview.to_write), "unchanged": preview.unchanged,
        "skipped": preview.skipped, "errors": preview.errors, "nothing_new": preview.nothing_new,
        "sheet": preview.sheet, "sheets": preview.sheets, "file_problems": [str(p) for p in preview.file_problems],
        "decisions": [{"number": g.number, "date": g.date.strftime("%d/%m/%Y"), "authority": str(g.authority),
                       "year": g.year, "first_row": g.first_row, "to_write": len(g.to_write), "unchanged": g.unchanged,
                       "url": g.existing.get_absolute_url() if g.existing else ""}
                      for g in preview.groups if g.to_write],
        "decisions_new": len(preview.decisions_new), "decisions_extended": len(preview.decisions_extended),
        "new_people": [{"name": p.full_name, "unit": p.unit.short_name}
                       for p in preview.new_people[:preview.READY_SHOWN]],
        "new_people_count": len(preview.new_people),
        "names": [{"kind": u.kind, "name": u.name, "rows": u.rows[:30], "count": len(u.rows), "target": ""}
                  for u in preview.unknown]
        + [{"kind": kind, "name": name, "rows": [], "count": 0, "target": str(target.pk) if target.pk else "new",
            "new_name": "" if target.pk else target.name, "level": getattr(target, "level", "") if not target.pk else "",
            "keeps_book": bool(getattr(target, "keeps_book", False)) if not target.pk else False,
            "category": getattr(target, "category", "") if not target.pk else "",
            "recipient_for": getattr(target, "recipient_for", "") if not target.pk else ""}
           for kind, name, target in preview.mapped],
        "shown": [row_data(row) for row in preview.shown], "not_shown": preview.not_shown,
    }
