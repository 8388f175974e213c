"""Printing certificates and arranging ceremonies: each change atomic and recorded."""

import uuid
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ..certificates import CertificateRenderer
from ..choices import AuditAction, PrintKind, PrintMode
from ..models import Ceremony, CeremonyItem, PrintLog
from ..selectors import (
    blank_boxes,
    ceremony_default_order,
    certificate_data,
    default_layouts,
    outside_print_scope,
    print_problems,
    printer_offset,
)
from .base import RegistryError, audit_entry, audited_values, clean_or_refuse, locked_for_edit, update_locked


def _refuse_outside(outside):
    raise RegistryError(_("Nothing was printed: %(count)s certificates are of units outside yours: %(list)s")
                        % {"count": len(outside),
                           "list": "; ".join(f"{a.recipient_name} ({a.unit_name})" for a in outside[:10])})


def within_print_scope(*, by, awards, kind):
    """An officer prints (and logs) their own units' certificates only: a batch (a decision's, a
    ceremony's) keeps those and leaves the others out; one certificate of another unit, or a batch
    of nothing else, is refused. Returns (the awards to print, how many were left out)."""
    awards = list(awards)
    outside = outside_print_scope(by, awards)
    if outside and (kind == PrintKind.SINGLE or len(outside) == len(awards)):
        _refuse_outside(outside)
    left_out = {a.pk for a in outside}
    return [a for a in awards if a.pk not in left_out], len(left_out)


def certificates_print(*, by, awards, kind, base_url, out, ceremony=None, mode=PrintMode.FULL, offset=None,
                       progress=None):
    """Render the certificates of awards, in order, into out, and log each one as printed.

    Revoked awards are left out: they are never printed. If any other award's certificate
    would be incomplete (no signer), nothing is printed and the refusal names each one.
    mode: the full drawing on plain paper, or only the variable text onto pre-printed blanks,
    each title by its layout, moved by the printer's offset (the user's own if not given).
    progress (awards.jobs.Progress), when a job prints, counts the certificates drawn.
    Returns (pages printed, awards left out).
    """
    awards = list(awards)
    outside = outside_print_scope(by, awards)
    if outside:
        _refuse_outside(outside)
    # Revoked awards are never printed; nor are titles whose decision is the recognition, nor
    # honours from above (their certificate arrives printed).
    printable = [a for a in awards if not a.is_revoked and a.printed_here]
    incomplete = [(a, print_problems(a)) for a in printable]
    incomplete = [(a, problems) for a, problems in incomplete if problems]
    if incomplete:
        raise RegistryError(
            _("Nothing was printed: %(count)s certificates would be incomplete: %(list)s")
            % {"count": len(incomplete),
               "list": "; ".join(f"{a.recipient_name} ({', '.join(problems)})" for a, problems in incomplete)}
        )
    if not printable:
        reasons = sorted({str(a.not_printed_reason) for a in awards if not a.is_revoked and not a.printed_here})
        if reasons:
            raise RegistryError(_("Nothing to print here: %(reasons)s.") % {"reasons": "; ".join(reasons)})
        raise RegistryError(_("Nothing to print: every award here has been revoked."))
    layouts, boxes = {}, {}
    if mode == PrintMode.BLANK:
        on_blanks = [a for a in printable if a.title.prints_on_blank]
        layouts = default_layouts({a.title_id for a in on_blanks})
        missing = sorted({a.title.name for a in on_blanks if a.title_id not in layouts})
        if missing:
            raise RegistryError(_("Nothing was printed: there is no layout on a blank for %(titles)s. Print the full "
                                  "drawing on plain paper, or ask an administrator to set the layout.")
                                % {"titles": ", ".join(missing)})
        boxes = {pk: blank_boxes(layout) for pk, layout in layouts.items()}
        offset = printer_offset(by) if offset is None else offset
    # Drawn before the log is written, so a long batch never holds the database's write lock.
    chains = {}
    if progress:
        progress.phase("drawing", total=len(printable))
    pages = CertificateRenderer().render((
        certificate_data(a, base_url=base_url, chains=chains, layout=layouts.get(a.title_id),
                         boxes=boxes.get(a.title_id), offset=offset or (0.0, 0.0))
        for a in (progress.counted(printable) if progress else printable)), out)
    with transaction.atomic():
        printed_before = set(
            PrintLog.objects.filter(award__in=printable).values_list("award_id", flat=True).distinct()
        )
        batch = uuid.uuid4()
        PrintLog.objects.bulk_create([
            PrintLog(user=by if by and by.pk else None, username=by.get_username() if by else "", award=a,
                     kind=kind, ceremony=ceremony, batch=batch, reprint=a.pk in printed_before)
            for a in printable
        ])
    return pages, len(awards) - len(printable)


@transaction.atomic
def printer_offset_save(*, user, x_mm, y_mm):
    """The user's printer offset (right, down, in mm), measured on the alignment sheet; audited."""
    from ..models import Profile

    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    before = audited_values(profile)
    profile.print_offset_x_mm, profile.print_offset_y_mm = x_mm, y_mm
    clean_or_refuse(profile)
    profile.save()
    audit_entry(by=user, action=AuditAction.UPDATE, instance=profile, before=before,
           note=_("printer offset")).save()
    return profile


@transaction.atomic
def layout_fill_defaults(*, layout, by):
    """Place every field of a new layout where the full drawing puts it, scaled to its paper;
    each placed field audited. The administrator then moves them to match the blank."""
    from ..certificates.blanks import default_boxes
    from ..models import LayoutField

    width, height = layout.paper_mm
    placed = []
    for values in default_boxes(width, height):
        values = {k: Decimal(f"{v:.1f}") if isinstance(v, (int, float)) and not isinstance(v, bool) else v
                  for k, v in values.items()}
        field = LayoutField(layout=layout, **values)
        clean_or_refuse(field)
        field.save()
        audit_entry(by=by, action=AuditAction.CREATE, instance=field).save()
        placed.append(field)
    return placed


@transaction.atomic
def ceremony_create(*, by, ceremony):
    """A new ceremony, audited."""
    ceremony.created_by = by if by and by.pk else None
    clean_or_refuse(ceremony)
    ceremony.save()
    audit_entry(by=by, action=AuditAction.CREATE, instance=ceremony).save()
    return ceremony


@transaction.atomic
def ceremony_update(*, ceremony, by, expected_version, **changes):
    """Correct a ceremony's name, date, place or notes; refused if someone saved it meanwhile."""
    current = locked_for_edit(ceremony, expected_version=expected_version, changes=changes,
                               allowed=("name", "date", "place", "notes"), label=_("ceremony"))
    return update_locked(current, changes, by=by)


def _renumber(items):
    for position, item in enumerate(items, start=1):
        item.position = position
    CeremonyItem.objects.bulk_update(items, ["position"])


def _touch(ceremony, *, custom_order=None):
    """The ceremony locked until commit, its version moved on: (it now, its values before)."""
    current = Ceremony.objects.select_for_update().get(pk=ceremony.pk)
    before = audited_values(current)
    if custom_order is not None:
        current.custom_order = custom_order
    current.version += 1
    current.save(update_fields=["custom_order", "version"])
    return current, before


def _list_changed(ceremony, *, by, before, note):
    audit_entry(by=by, action=AuditAction.UPDATE, instance=ceremony, before=before, note=note).save()


@transaction.atomic
def ceremony_add_awards(*, ceremony, by, awards):
    """Add awards in force that are not in the ceremony yet; returns how many were added.

    Until the organiser has moved an award by hand, the whole list keeps the default order
    (collectives first, then unit, rank high to low, name); after that, new ones go last.
    """
    from ..models import Award

    ceremony, before = _touch(ceremony)
    present = set(ceremony.items.values_list("award_id", flat=True))
    new = ceremony_default_order(
        Award.objects.active().filter(pk__in=[a.pk for a in awards]).exclude(pk__in=present)
    )
    last = ceremony.items.aggregate(last=Max("position"))["last"] or 0
    added = CeremonyItem.objects.bulk_create(
        [CeremonyItem(ceremony=ceremony, award=a, position=last + i) for i, a in enumerate(new, start=1)]
    )
    if not ceremony.custom_order:
        _sort_default(ceremony)
    _list_changed(ceremony, by=by, before=before, note=_("%(count)s awards added") % {"count": len(added)})
    return len(added)


def _sort_default(ceremony):
    from ..models import Award

    order = list(ceremony_default_order(Award.objects.filter(ceremonies=ceremony)).values_list("pk", flat=True))
    by_award = {item.award_id: item for item in ceremony.items.all()}
    _renumber([by_award[pk] for pk in order])


@transaction.atomic
def ceremony_reset_order(*, ceremony, by):
    """Back to the default order; awards added later take it too."""
    ceremony, before = _touch(ceremony, custom_order=False)
    _sort_default(ceremony)
    _list_changed(ceremony, by=by, before=before, note=_("default order restored"))
    return ceremony


@transaction.atomic
def ceremony_move(*, ceremony, by, item_id, position):
    """Move one award to a place in the list (1 = first); the others close up around it."""
    ceremony, before = _touch(ceremony, custom_order=True)
    items = list(ceremony.items.order_by("position", "pk"))
    moving = next((i for i in items if i.pk == item_id), None)
    if moving is None:
        raise RegistryError(_("This award is not in the ceremony."))
    items.remove(moving)
    items.insert(min(max(position, 1), len(items) + 1) - 1, moving)
    _renumber(items)
    _list_changed(ceremony, by=by, before=before, note=_("%(award)s moved to place %(position)s")
                  % {"award": moving.award, "position": items.index(moving) + 1})
    return ceremony


@transaction.atomic
def ceremony_remove(*, ceremony, by, item_id):
    """Take an award off the ceremony's list (the award itself is untouched)."""
    ceremony, before = _touch(ceremony)
    item = ceremony.items.filter(pk=item_id).select_related("award").first()
    if item is None:
        raise RegistryError(_("This award is not in the ceremony."))
    item.delete()
    _renumber(list(ceremony.items.order_by("position", "pk")))
    _list_changed(ceremony, by=by, before=before, note=_("%(award)s taken off the list") % {"award": item.award})
    return ceremony
