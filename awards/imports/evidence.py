"""Importing the evidence the rules read: annual ratings, with an initiative or a discipline on the
same row when there is one. Preview first, then all or nothing, like the other imports."""

import re

from django.db import transaction
from django.utils.translation import gettext as _

from .. import text
from ..choices import AuditAction, DisciplineForm, RecognitionLevel, TaskRating
from ..models import AuditEntry, Discipline, Initiative, Rating
from ..services.base import audit_entry, audited_values
from .core import (
    ERROR,
    EVIDENCE_COLUMNS,
    UNCHANGED,
    begin_preview,
    check_name,
    check_roster_scope,
    date_cell,
    refuse_if_wrong,
)

# How offices write each rating, level and form (compared accent-folded, "nhiệm vụ" left out).
RATINGS = {
    "hoan thanh xuat sac": TaskRating.EXCELLENT, "xuat sac": TaskRating.EXCELLENT, "htxs": TaskRating.EXCELLENT,
    "htxsnv": TaskRating.EXCELLENT, "hoan thanh tot": TaskRating.GOOD, "tot": TaskRating.GOOD,
    "htt": TaskRating.GOOD, "httnv": TaskRating.GOOD, "hoan thanh": TaskRating.COMPLETED, "ht": TaskRating.COMPLETED,
    "htnv": TaskRating.COMPLETED, "khong hoan thanh": TaskRating.NOT_COMPLETED, "kht": TaskRating.NOT_COMPLETED,
    "khtnv": TaskRating.NOT_COMPLETED,
}
LEVELS = {
    "co so": RecognitionLevel.GRASSROOTS, "cap co so": RecognitionLevel.GRASSROOTS, "don vi": RecognitionLevel.GRASSROOTS,
    "bo": RecognitionLevel.MINISTRY, "cap bo": RecognitionLevel.MINISTRY, "toan quan": RecognitionLevel.MINISTRY,
    "cap bo toan quan": RecognitionLevel.MINISTRY, "bo toan quan": RecognitionLevel.MINISTRY,
    "nganh": RecognitionLevel.MINISTRY, "toan quoc": RecognitionLevel.NATIONAL, "quoc gia": RecognitionLevel.NATIONAL,
    "cap nha nuoc": RecognitionLevel.NATIONAL,
}
FORMS = {
    "khien trach": DisciplineForm.REPRIMAND, "canh cao": DisciplineForm.WARNING,
    "ha bac luong": DisciplineForm.DEMOTION, "giang chuc": DisciplineForm.DEMOTION,
    "cach chuc": DisciplineForm.DISMISSAL, "giang cap bac quan ham": DisciplineForm.RANK_DEMOTION,
    "giang cap bac": DisciplineForm.RANK_DEMOTION, "tuoc danh hieu quan nhan": DisciplineForm.STRIPPED,
}
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _key(value):
    folded = _NOT_WORD.sub(" ", text.fold(value)).strip()
    return re.sub(r"\s*\bnhiem vu\b", "", folded).strip()


def _choice(row, column, table, example):
    value = row.values.get(column, "")
    if not value:
        return None
    found = table.get(_key(value))
    if found is None:
        row.error(column, _("“%(value)s” is not understood here (e.g. %(example)s).") % {"value": value,
                                                                                          "example": example})
    return found


def _year(row):
    value = row.values.get("year", "")
    if not re.fullmatch(r"\d{4}(\.0+)?", value or ""):
        row.error("year", _("“%(value)s” is not a year (e.g. 2021).") % {"value": value} if value
                  else _("The year is empty."))
        return None
    year = int(float(value))
    if not 1945 <= year <= 2100:
        row.error("year", _("%(year)s is not a year the registry keeps (1945–2100).") % {"year": year})
        return None
    return year


def preview_evidence(table, *, by=None):
    """Every row matched to a person of the registry (the officer's units only) and checked."""
    preview, rows, scope, registry = begin_preview(table, "evidence", EVIDENCE_COLUMNS, by=by)
    if rows is None:
        return preview
    people = []
    for row in rows:
        if not check_name(row):
            continue
        unit = registry.unit(row)
        person = registry.person(row, unit) if unit is not None or row.values.get("service_number") else None
        if person is None and row.status != ERROR:
            row.error("name", _("Not in the registry: import the roster first."))
        elif person is not None:
            check_roster_scope(row, scope, unit=None, person=person)
        row.person = person
        row.evidence = _read_evidence(row)
        if row.status != ERROR:
            people.append(person)
    _compare(rows, people)
    return preview


def _read_evidence(row):
    found = {"year": _year(row),
             "rating": _choice(row, "rating", RATINGS, "Hoàn thành xuất sắc nhiệm vụ"),
             "level": _choice(row, "initiative_level", LEVELS, "Cơ sở, Toàn quân, Toàn quốc"),
             "form": _choice(row, "discipline", FORMS, "Khiển trách, Cảnh cáo")}
    values = row.values
    if values.get("initiative") and not values.get("initiative_level"):
        row.error("initiative_level", _("An initiative needs the level that recognised it."))
    if values.get("initiative_level") and not values.get("initiative"):
        row.error("initiative", _("The level is given but not the initiative's name."))
    found["discipline_date"] = date_cell(row, "discipline_date")
    if values.get("discipline"):
        for column in ("discipline_decision", "discipline_date"):
            if not values.get(column):
                row.error(column, _("A discipline needs its decision and its date."))
    if not (values.get("rating") or values.get("initiative") or values.get("discipline")):
        row.error("rating", _("Nothing to record: give the rating, an initiative or a discipline."))
    return found


def _compare(rows, people):
    """Against the file's other rows and the registry: a repeat is an error, a change is shown."""
    ids = [p.pk for p in people]
    ratings = {(r.person_id, r.year): r for r in Rating.objects.filter(person_id__in=ids)}
    initiatives = set(Initiative.objects.filter(person_id__in=ids).values_list("person_id", "year", "name"))
    disciplines = set(Discipline.objects.filter(person_id__in=ids).values_list("person_id", "decision"))
    seen = {}
    for row in rows:
        if row.status == ERROR:
            continue
        evidence, person = row.evidence, row.person
        row.writes = []
        if evidence["rating"]:
            key = (person.pk, evidence["year"])
            if key in seen:
                row.error("rating", _("This person's rating for %(year)s is also on row %(row)s.")
                          % {"year": evidence["year"], "row": seen[key]})
                continue
            seen[key] = row.number
            current = ratings.get(key)
            if current is None:
                row.writes.append("rating")
            elif current.rating != evidence["rating"]:
                row.writes.append("rating")
                row.warn("rating", _("Will change the rating for %(year)s: %(old)s → %(new)s.") % {
                    "year": evidence["year"], "old": current.get_rating_display(),
                    "new": TaskRating(evidence["rating"]).label})
                row.existing_rating = current
        if row.values.get("initiative") and (person.pk, evidence["year"], row.values["initiative"]) not in initiatives:
            row.writes.append("initiative")
        if row.values.get("discipline") and (person.pk, row.values["discipline_decision"]) not in disciplines:
            row.writes.append("discipline")
        if not row.writes:
            row.status = UNCHANGED
            row.problems.append(("", _("Already up to date."), False))


@transaction.atomic
def commit_evidence(preview, *, by):
    """Write every row's rating, initiative and discipline, audited; all or nothing."""
    refuse_if_wrong(preview)
    created, changed, entries = [], [], []
    for row in preview.to_write:
        evidence, person = row.evidence, row.person
        if "rating" in row.writes:
            current = getattr(row, "existing_rating", None)
            if current is not None:
                before = audited_values(current)
                current.rating, current.version = evidence["rating"], current.version + 1
                changed.append(current)
                entries.append(audit_entry(by=by, action=AuditAction.UPDATE, instance=current, before=before,
                                      note=_("imported")))
            else:
                created.append(Rating(person=person, year=evidence["year"], rating=evidence["rating"]))
        if "initiative" in row.writes:
            created.append(Initiative(person=person, year=evidence["year"], name=row.values["initiative"],
                                      level=evidence["level"], decision=row.values.get("initiative_decision", "")))
        if "discipline" in row.writes:
            discipline = Discipline(person=person, form=evidence["form"], decision=row.values["discipline_decision"],
                                    decided_on=evidence["discipline_date"])
            discipline.set_years()
            created.append(discipline)
    for model in (Rating, Initiative, Discipline):
        made = model.objects.bulk_create([c for c in created if isinstance(c, model)], batch_size=1000)
        entries += [audit_entry(by=by, action=AuditAction.CREATE, instance=m, note=_("imported")) for m in made]
    Rating.objects.bulk_update(changed, ["rating", "version"], batch_size=1000)
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return {"created": len(created), "updated": len(changed)}
