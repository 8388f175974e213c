"""A dossier's nominees from a spreadsheet (the unit's danh sách đề nghị): each row matched to a
person or collective of the proposing unit and an honour, previewed, then added all or nothing."""

from django.utils.translation import gettext as _

from .. import text
from ..services.nominations import NomineeRow, nominee_problems, nominees_add
from ..services.base import RegistryError
from .core import ERROR, UNCHANGED, ImportRefused, begin_preview, check_name, refuse_if_wrong

NOMINEE_COLUMNS = ["seq", "name", "rank", "position", "unit", "service_number", "title", "achievement"]


def preview_nominees(table, *, dossier, by=None):
    """Every row matched and checked as adding it to the dossier would check it; people not in
    the registry are refused (import the roster first): a nominee is someone the unit has."""
    preview, rows, _scope, registry = begin_preview(table, "nominees", NOMINEE_COLUMNS, by=by)
    if rows is None:
        return preview
    existing = set(dossier.nominees.values_list("person_id", "unit_id", "title_id"))
    seen = {}
    for row in rows:
        if not check_name(row):
            continue
        unit = registry.unit(row)
        if unit is not None and not row.values.get("service_number") and text.fold(row.values["name"]) in {
                text.fold(unit.full_name), text.fold(unit.short_name)}:
            row.unit = unit
        else:
            row.person = registry.person(row, unit)
            if row.person is None and row.status != ERROR:
                row.error("name", _("%(name)s is not in the registry's people of %(unit)s; import the roster first.")
                          % {"name": row.values["name"], "unit": unit.short_name if unit else "—"})
        row.title = registry.title(row, None)
        if row.status == ERROR:
            continue
        nominee = NomineeRow(person=row.person, unit=row.unit, title=row.title, summary=row.values.get("achievement", ""))
        for problem in nominee_problems(nominee, dossier):
            row.error("name", problem)
        key = (row.person.pk if row.person else None, row.unit.pk if row.unit else None, row.title.pk)
        if row.status == ERROR:
            continue
        if key in existing:
            row.status = UNCHANGED
            row.problems.append(("", _("Already in the dossier."), False))
        elif key in seen:
            row.error("name", _("Same recipient and honour as row %(row)s.") % {"row": seen[key]})
        else:
            seen[key] = row.number
    return preview


def commit_nominees(preview, *, by, dossier):
    """Add the preview's rows to the dossier, all or nothing."""
    refuse_if_wrong(preview)
    rows = preview.to_write
    if not rows:
        return []
    try:
        return nominees_add(dossier=dossier, by=by, rows=[
            NomineeRow(person=r.person, unit=r.unit, title=r.title, summary=r.values.get("achievement", ""))
            for r in rows])
    except RegistryError as error:
        for index, problems in error.row_errors.items():
            for problem in problems:
                rows[index].error("name", problem)
        raise ImportRefused(error.message, preview=preview)
