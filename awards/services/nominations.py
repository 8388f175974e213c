"""Writes on the road to a decision: a unit's dossier and its nominees and documents, its moves
(workflow.py's table), forwarding up the chain and the decision made from the approved list.

Every move is atomic, audited, written to the dossier's history with its note, and refused if
the dossier or nominee moved on since the page that asked for it was opened.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors, text, workflow
from ..choices import PER_NOMINEE_ATTACHMENTS, AuditAction, DossierAction, DossierState, NomineeState
from ..models import Attachment, AuditEntry, Dossier, DossierEvent, NominationDeadline, Nominee, Person, Title, Unit
from .base import (
    RegistryError,
    audit_entry,
    audited_values,
    clean_or_refuse,
    dossier_event,
    locked_row,
    need_side,
)
from .registry import RecipientRow, decision_grant


@dataclass
class NomineeRow:
    """A nominee to add: a person or a unit, the honour proposed, the summary of achievement."""

    person: Person | None = None
    unit: Unit | None = None
    title: Title | None = None
    summary: str = ""


def _need_editable(dossier):
    if dossier.state not in workflow.EDITABLE:
        raise RegistryError(_("The dossier is %(state)s: it is changed only as a draft or when returned for "
                              "correction.") % {"state": dossier.get_state_display().lower()})


def _bump(dossier):
    Dossier.objects.filter(pk=dossier.pk).update(version=F("version") + 1, updated_at=timezone.now())
    dossier.version += 1


def nominee_problems(row, dossier):
    problems = []
    if (row.person is None) == (row.unit is None):
        return [_("Choose exactly one recipient: a person or a collective.")]
    recipient = row.person or row.unit
    if row.title is None:
        problems.append(_("Choose the honour proposed."))
    elif not row.title.accepts("individual" if row.person else "collective"):
        problems.append(_("“%(title)s” is not awarded to %(recipient)s's kind of recipient.")
                        % {"title": row.title, "recipient": recipient})
    unit = row.person.unit if row.person else row.unit
    if not unit.path.startswith(dossier.unit.path):
        problems.append(_("%(recipient)s is not in %(unit)s.") % {"recipient": recipient, "unit": dossier.unit.short_name})
    return problems


def _add_nominees(dossier, rows, *, by, sources=None):
    """Check every row, then write them all, or nothing: refused with each row's problems."""
    row_errors = {}
    existing = set(dossier.nominees.values_list("person_id", "unit_id", "title_id"))
    seen = {}
    for index, row in enumerate(rows):
        problems = nominee_problems(row, dossier)
        if not problems:
            key = (row.person.pk if row.person else None, row.unit.pk if row.unit else None, row.title.pk)
            if key in existing:
                problems.append(_("%(recipient)s is already proposed for “%(title)s” in this dossier.")
                                % {"recipient": row.person or row.unit, "title": row.title})
            elif key in seen:
                problems.append(_("Same recipient and honour as row %(row)s.") % {"row": seen[key] + 1})
            seen.setdefault(key, index)
        if problems:
            row_errors[index] = problems
    if row_errors:
        raise RegistryError(_("%(count)s of %(total)s nominees have problems; nothing was saved.")
                            % {"count": len(row_errors), "total": len(rows)}, row_errors=row_errors)
    start = (dossier.nominees.aggregate(m=Max("seq"))["m"] or 0) + 1
    nominees = [Nominee(dossier=dossier, seq=start + i, person=r.person, unit=r.unit, title=r.title,
                        summary=text.normalize(r.summary), source=(sources or {}).get(i)) for i, r in enumerate(rows)]
    for nominee in nominees:
        nominee.normalize()
    try:
        with transaction.atomic():
            Nominee.objects.bulk_create(nominees)
    except IntegrityError:
        raise RegistryError(_("Someone else added the same nominee a moment ago; nothing was saved. Look at the "
                              "dossier again."))
    if not all(n.pk for n in nominees):
        nominees = list(dossier.nominees.filter(seq__gte=start).order_by("seq"))
    DossierEvent.objects.bulk_create([dossier_event(dossier, DossierAction.ADD, by=by, nominee=n, state=n.state,
                                             note=f"{n.recipient} – {n.title}") for n in nominees])
    AuditEntry.objects.bulk_create([audit_entry(by=by, action=AuditAction.CREATE, instance=n) for n in nominees])
    return nominees


@transaction.atomic
def dossier_create(*, by, dossier, rows=()):
    """A new draft dossier of a unit, with its first nominees (from the candidates page, by hand or
    a spreadsheet): only by an officer of that unit, every nominee within it."""
    dossier.normalize()
    dossier.state = DossierState.DRAFT
    dossier.created_by = by if by and by.pk else None
    clean_or_refuse(dossier)
    if by is not None and not selectors.in_scope(by, dossier.unit):
        raise RegistryError(_("%(unit)s is outside your units.") % {"unit": dossier.unit})
    dossier.save()
    audit_entry(by=by, action=AuditAction.CREATE, instance=dossier).save()
    dossier_event(dossier, DossierAction.CREATE, by=by, state=dossier.state).save()
    if rows:
        _add_nominees(dossier, list(rows), by=by)
    return dossier


DOSSIER_EDITABLE = ("authority", "year", "kind", "campaign", "reference", "note")


@transaction.atomic
def dossier_update(*, dossier, by, expected_version, **changes):
    """Correct a draft's or a returned dossier's details."""
    current = locked_row(Dossier, dossier.pk, expected_version, _("dossier"))
    need_side(by, current, workflow.SENDER)
    _need_editable(current)
    unknown = set(changes) - set(DOSSIER_EDITABLE)
    if unknown:
        raise RegistryError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    before = audited_values(current)
    for name, value in changes.items():
        setattr(current, name, value)
    current.normalize()
    clean_or_refuse(current)
    current.version += 1
    current.save()
    audit_entry(by=by, action=AuditAction.UPDATE, instance=current, before=before).save()
    dossier_event(current, DossierAction.EDIT, by=by, state=current.state).save()
    return current


@transaction.atomic
def nominees_add(*, dossier, by, rows):
    """Add nominees to a draft or returned dossier, all or none."""
    current = locked_row(Dossier, dossier.pk, None, _("dossier"))
    need_side(by, current, workflow.SENDER)
    _need_editable(current)
    nominees = _add_nominees(current, list(rows), by=by)
    _bump(current)
    return nominees


@transaction.atomic
def nominee_update(*, nominee, by, expected_version, title, summary):
    """Change the honour proposed or the summary, while the dossier is the unit's to change."""
    current = locked_row(Nominee, nominee.pk, expected_version, _("nominee"))
    dossier = Dossier.objects.select_for_update().get(pk=current.dossier_id)
    need_side(by, dossier, workflow.SENDER)
    _need_editable(dossier)
    row = NomineeRow(person=current.person, unit=current.unit, title=title, summary=summary)
    problems = nominee_problems(row, dossier)
    if problems:
        raise RegistryError("; ".join(problems))
    before = audited_values(current)
    current.title, current.summary = title, summary
    current.normalize()
    current.version += 1
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError:
        raise RegistryError(_("%(recipient)s is already proposed for “%(title)s” in this dossier.")
                            % {"recipient": current.recipient, "title": title})
    audit_entry(by=by, action=AuditAction.UPDATE, instance=current, before=before).save()
    dossier_event(dossier, DossierAction.CHANGE, by=by, nominee=current, state=current.state,
           note=f"{current.recipient} – {current.title}").save()
    _bump(dossier)
    return current


@transaction.atomic
def nominee_remove(*, nominee, by, expected_version):
    """Take a nominee out of a draft or returned dossier (kept in the history and the audit). One
    carried up from a lower level goes back there, approved, ready to forward again."""
    current = locked_row(Nominee, nominee.pk, expected_version, _("nominee"))
    dossier = Dossier.objects.select_for_update().get(pk=current.dossier_id)
    need_side(by, dossier, workflow.SENDER)
    _need_editable(dossier)
    entry = audit_entry(by=by, action=AuditAction.DELETE, instance=current, before=audited_values(current))
    dossier_event(dossier, DossierAction.REMOVE, by=by, note=f"{current.recipient} – {current.title}").save()
    source = current.source
    Attachment.objects.filter(nominee=current, removed_at__isnull=True).update(removed_at=timezone.now())
    current.delete()
    entry.save()
    if source is not None:
        back = NomineeState.APPROVED if source.approved_title_id in (None, source.title_id) else NomineeState.LOWERED
        Nominee.objects.filter(pk=source.pk).update(state=back, version=F("version") + 1)
        dossier_event(source.dossier, DossierAction.RECONSIDER, by=by, nominee=source, state=back,
               note=_("Taken out of dossier %(pk)s, to forward again.") % {"pk": dossier.pk}).save()
        _settle(source.dossier, by=by)
    _bump(dossier)


@transaction.atomic
def attachment_add(*, dossier, by, kind, file, nominee=None):
    """Attach a document, checked by its content; an achievement report belongs to one nominee."""
    current = locked_row(Dossier, dossier.pk, None, _("dossier"))
    need_side(by, current, workflow.SENDER)
    _need_editable(current)
    if kind in PER_NOMINEE_ATTACHMENTS and nominee is None:
        raise RegistryError(_("Say which nominee this achievement report is for."), field_errors={"nominee": [
            _("Say which nominee this achievement report is for.")]})
    if nominee is not None and nominee.dossier_id != current.pk:
        raise RegistryError(_("That nominee is not in this dossier."))
    attachment = Attachment(dossier=current, nominee=nominee if kind in PER_NOMINEE_ATTACHMENTS else None, kind=kind,
                            file=file, name=(getattr(file, "name", "") or "")[:255],
                            uploaded_by=by if by and by.pk else None)
    clean_or_refuse(attachment)
    attachment.save()
    try:
        audit_entry(by=by, action=AuditAction.CREATE, instance=attachment).save()
        dossier_event(current, DossierAction.ATTACH, by=by, nominee=attachment.nominee, note=str(attachment)).save()
        _bump(current)
    except BaseException:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment, by):
    """Take a document off a draft or returned dossier: it stays stored and in the history."""
    current = Attachment.objects.select_for_update().get(pk=attachment.pk)
    dossier = Dossier.objects.select_for_update().get(pk=current.dossier_id)
    need_side(by, dossier, workflow.SENDER)
    _need_editable(dossier)
    if current.removed_at is None:
        before = audited_values(current)
        current.removed_at = timezone.now()
        current.save(update_fields=["removed_at"])
        audit_entry(by=by, action=AuditAction.UPDATE, instance=current, before=before).save()
        dossier_event(dossier, DossierAction.DETACH, by=by, nominee=current.nominee, note=str(current)).save()
        _bump(dossier)
    return current


@transaction.atomic
def dossier_act(*, dossier, action, by, expected_version, note=""):
    """Move the dossier as the table allows: send (with every required document), receive, return
    (with the reason; the nominees' reviews start again when it comes back)."""
    move = workflow.dossier_move(action)
    current = locked_row(Dossier, dossier.pk, expected_version, _("dossier"))
    if current.state not in move.sources:
        raise RegistryError(_("A dossier that is %(state)s cannot be %(action)s.")
                            % {"state": current.get_state_display().lower(), "action": move.label.lower()})
    need_side(by, current, move.side)
    note = text.normalize(note)
    if move.needs_reason and not note:
        raise RegistryError(_("Say why: the reason is sent with the dossier and kept in its history."),
                            field_errors={"note": [_("Say why.")]})
    nominees = list(current.nominees.select_related("title", "person", "unit"))
    if action == DossierAction.SEND:
        if not nominees:
            raise RegistryError(_("The dossier has no nominees yet."))
        missing = selectors.missing_attachments(current, nominees)
        if missing:
            raise RegistryError(_("The dossier cannot be sent without: %(missing)s.") % {"missing": "; ".join(missing)})
        from .councils import send_checks

        send_checks(current, note)
        current.sent_at = timezone.now()
    if action == DossierAction.RETURN:
        final = [n for n in nominees if n.state in (NomineeState.FORWARDED, NomineeState.DECIDED)]
        if final:
            raise RegistryError(_("%(count)s nominees of this dossier are already decided or forwarded; a dossier is "
                                  "returned before that.") % {"count": len(final)})
        reviewed = [n for n in nominees if n.state != NomineeState.PROPOSED]
        for nominee in reviewed:
            nominee.state, nominee.approved_title, nominee.reason = NomineeState.PROPOSED, None, ""
            nominee.version += 1
        Nominee.objects.bulk_update(reviewed, ["state", "approved_title", "reason", "version"])
    before = audited_values(current)
    current.state = move.target
    current.version += 1
    current.save()
    audit_entry(by=by, action=AuditAction.UPDATE, instance=current, before=before, note=note).save()
    dossier_event(current, action, by=by, state=current.state, note=note).save()
    return current


@transaction.atomic
def nominee_review(*, nominee, action, by, expected_version, note="", title=None):
    """The receiving office's answer for one nominee: approve, approve at a lower honour (named,
    with the reason), do not approve (with the reason), or reopen the review."""
    move = workflow.nominee_move(action)
    if action in (DossierAction.FORWARD, DossierAction.DECIDE):
        raise RegistryError(_("Forward or decide from the approved list."))
    current = locked_row(Nominee, nominee.pk, expected_version, _("nominee"))
    dossier = (Dossier.objects.select_for_update(of=("self",)).select_related("authority", "unit")
               .get(pk=current.dossier_id))
    need_side(by, dossier, move.side)
    if dossier.state not in workflow.REVIEW_STATES:
        raise RegistryError(_("The dossier is %(state)s: its nominees are reviewed once it is received.")
                            % {"state": dossier.get_state_display().lower()})
    if current.state not in move.sources:
        raise RegistryError(_("%(recipient)s is %(state)s: that cannot be changed here.")
                            % {"recipient": current.recipient, "state": current.get_state_display().lower()})
    note = text.normalize(note)
    if move.needs_reason and not note:
        raise RegistryError(_("Say why: the reason is kept in the history and shown to the proposing unit."),
                            field_errors={"note": [_("Say why.")]})
    before = audited_values(current)
    if action == DossierAction.LOWER:
        if title is None or not title.is_below(current.title):
            raise RegistryError(_("Choose an honour lower than “%(title)s”.") % {"title": current.title},
                                field_errors={"title": [_("Choose a lower honour.")]})
        if not title.accepts(current.recipient_kind):
            raise RegistryError(_("“%(title)s” is not awarded to this kind of recipient.") % {"title": title})
        current.approved_title = title
    elif action == DossierAction.APPROVE:
        current.approved_title = current.title
    else:
        current.approved_title = None
    current.state = move.target
    current.reason = note if move.needs_reason else ""
    current.version += 1
    current.save()
    audit_entry(by=by, action=AuditAction.UPDATE, instance=current, before=before, note=note).save()
    detail = f"{current.recipient} – {current.honour}" + (f": {note}" if note else "")
    dossier_event(dossier, action, by=by, nominee=current, state=current.state, note=detail).save()
    _settle(dossier, by=by)
    return current


def _settle(dossier, *, by):
    """A received dossier whose nominees have all left this level is settled (and back if one returns)."""
    dossier = Dossier.objects.get(pk=dossier.pk)
    if dossier.state not in workflow.REVIEW_STATES:
        return
    state = workflow.settled_state(dossier.nominees.values_list("state", flat=True))
    if state != dossier.state:
        Dossier.objects.filter(pk=dossier.pk).update(state=state, version=F("version") + 1)
        action = DossierAction.SETTLE if state == DossierState.SETTLED else DossierAction.RECONSIDER
        dossier_event(dossier, action, by=by, state=state).save()


def _approved_for(by, nominees, *, allow_outside_proposed=False):
    """The nominees, locked, each approved and in a dossier this user receives for; refused otherwise."""
    ids = [n.pk for n in nominees]
    if not ids:
        raise RegistryError(_("Choose at least one approved nominee."))
    locked = list(Nominee.objects.select_for_update(of=("self",)).filter(pk__in=ids)
                  .select_related("person__unit", "unit__parent", "title", "approved_title",
                                  "dossier__authority", "dossier__unit").order_by("dossier_id", "seq", "pk"))
    if len(locked) != len(set(ids)):
        raise RegistryError(_("Some of the chosen nominees no longer exist; look at the list again."))
    sides = {}
    problems = []
    for nominee in locked:
        dossier = nominee.dossier
        if dossier.pk not in sides:
            sides[dossier.pk] = selectors.dossier_sides(by, dossier) if by is not None else {workflow.RECEIVER}
        outside = selectors.receiving_office(dossier.authority) is None
        allowed = workflow.APPROVED + ((NomineeState.PROPOSED,) if allow_outside_proposed and outside else ())
        if workflow.RECEIVER not in sides[dossier.pk]:
            problems.append(_("%(recipient)s: dossier %(pk)s is not addressed to your office.")
                            % {"recipient": nominee.recipient, "pk": dossier.pk})
        elif nominee.state not in allowed or dossier.state not in workflow.REVIEW_STATES + (DossierState.SENT,):
            problems.append(_("%(recipient)s is %(state)s, not approved (someone may have acted on it meanwhile).")
                            % {"recipient": nominee.recipient, "state": nominee.get_state_display().lower()})
    if problems:
        raise RegistryError(_("Nothing was done: %(problems)s") % {"problems": "; ".join(problems)})
    return locked


@transaction.atomic
def nominees_forward(*, by, nominees, authority, reference="", note=""):
    """Gather approved nominees (from one or several units' dossiers) into a new draft dossier of this
    level addressed to a higher authority; each keeps its trail back to the unit that proposed it."""
    locked = _approved_for(by, nominees)
    lower = {n.dossier.authority for n in locked}
    if len({(a.pk) for a in lower}) != 1:
        raise RegistryError(_("Forward the nominees of one authority at a time."))
    here = lower.pop()
    if authority.level <= here.level:
        raise RegistryError(_("%(authority)s is not above %(here)s.") % {"authority": authority, "here": here})
    office = selectors.receiving_office(here)
    if office is None:
        # An authority outside the registry passed them up: the unit that sent them there carries
        # them on (the Tổng cục records that the Ministry forwards to the Prime Minister).
        senders = {n.dossier.unit for n in locked}
        if len(senders) != 1:
            raise RegistryError(_("Forward the nominees of one unit's dossiers to %(here)s at a time.") % {"here": here})
        office = senders.pop()
    years = {n.dossier.year for n in locked}
    kinds = {(n.dossier.kind, n.dossier.campaign) for n in locked}
    if len(years) != 1 or len(kinds) != 1:
        raise RegistryError(_("Forward the nominees of one year and kind of commendation at a time."))
    kind, campaign = kinds.pop()
    dossier = Dossier(unit=office, authority=authority, year=years.pop(), kind=kind, campaign=campaign,
                      reference=reference, note=note, state=DossierState.DRAFT,
                      created_by=by if by and by.pk else None)
    dossier.normalize()
    clean_or_refuse(dossier)
    dossier.save()
    audit_entry(by=by, action=AuditAction.CREATE, instance=dossier).save()
    dossier_event(dossier, DossierAction.CREATE, by=by, state=dossier.state,
           note=_("Gathered from dossiers %(pks)s.") % {"pks": ", ".join(sorted({str(n.dossier_id) for n in locked}))}
           ).save()
    rows = [NomineeRow(person=n.person, unit=n.unit, title=n.honour, summary=n.summary) for n in locked]
    _add_nominees(dossier, rows, by=by, sources=dict(enumerate(locked)))
    for nominee in locked:
        nominee.state = NomineeState.FORWARDED
        nominee.version += 1
    Nominee.objects.bulk_update(locked, ["state", "version"])
    DossierEvent.objects.bulk_create([
        dossier_event(n.dossier, DossierAction.FORWARD, by=by, nominee=n, state=n.state,
               note=_("%(recipient)s – %(title)s, in dossier %(pk)s to %(authority)s")
               % {"recipient": n.recipient, "title": n.honour, "pk": dossier.pk, "authority": authority})
        for n in locked])
    for source in {n.dossier_id: n.dossier for n in locked}.values():
        _settle(source, by=by)
    return dossier


@transaction.atomic
def nominees_decide(*, by, nominees, decision, justification="", register_numbers=None):
    """The decision made from the approved list, through the decision service (register numbers,
    rules, audit): exactly these nominees at their approved honours, each marked decided with its
    award. For an authority outside the registry, the nominees its returned decision names."""
    locked = _approved_for(by, nominees, allow_outside_proposed=True)
    problems = []
    for nominee in locked:
        if nominee.dossier.authority_id != decision.authority_id:
            problems.append(_("%(recipient)s was proposed to %(authority)s.")
                            % {"recipient": nominee.recipient, "authority": nominee.dossier.authority})
        elif nominee.dossier.year != decision.achievement_year:
            problems.append(_("%(recipient)s was proposed for %(year)s.")
                            % {"recipient": nominee.recipient, "year": nominee.dossier.year})
    if problems:
        raise RegistryError(_("Nothing was done: %(problems)s") % {"problems": "; ".join(problems)})
    numbers = register_numbers or {}
    rows = [RecipientRow(person=n.person, unit=n.unit, title=n.honour, achievement=n.summary,
                         register_number=numbers.get(n.pk)) for n in locked]
    decision_grant(by=by, decision=decision, rows=rows, justification=justification)
    awards = list(decision.awards.order_by("seq").only("pk", "seq"))
    events = []
    for nominee, award in zip(locked, awards):
        if nominee.state == NomineeState.PROPOSED:  # named by an outside authority's decision
            nominee.approved_title = nominee.title
            events.append(dossier_event(nominee.dossier, DossierAction.APPROVE, by=by, nominee=nominee,
                                 state=NomineeState.APPROVED, note=_("Named in decision %(number)s")
                                 % {"number": decision.number}))
        nominee.state, nominee.award_id = NomineeState.DECIDED, award.pk
        nominee.version += 1
        events.append(dossier_event(nominee.dossier, DossierAction.DECIDE, by=by, nominee=nominee, state=nominee.state,
                             note=_("%(recipient)s – %(title)s, decision %(number)s")
                             % {"recipient": nominee.recipient, "title": nominee.honour, "number": decision.number}))
    Nominee.objects.bulk_update(locked, ["state", "award", "approved_title", "version"], batch_size=500)
    DossierEvent.objects.bulk_create(events, batch_size=500)
    for dossier in {n.dossier_id: n.dossier for n in locked}.values():
        if dossier.state == DossierState.SENT:
            Dossier.objects.filter(pk=dossier.pk).update(state=DossierState.RECEIVED, version=F("version") + 1)
        _settle(dossier, by=by)
    return decision


@transaction.atomic
def deadline_save(*, by, authority, year, kind, campaign, due_on):
    """Set (or move) the date by which dossiers for an authority, year and kind are due: only by
    the office that receives for it."""
    if by is not None and authority not in selectors.received_authorities(by):
        raise RegistryError(_("Only the office that receives for %(authority)s sets its deadlines.")
                            % {"authority": authority})
    campaign = text.normalize(campaign)
    current = NominationDeadline.objects.select_for_update().filter(
        authority=authority, year=year, kind=kind, campaign=campaign).first()
    before = audited_values(current) if current else None
    deadline = current or NominationDeadline(authority=authority, year=year, kind=kind, campaign=campaign)
    deadline.due_on, deadline.set_by = due_on, by if by and by.pk else None
    if current:
        deadline.version += 1
    clean_or_refuse(deadline)
    deadline.save()
    audit_entry(by=by, action=AuditAction.UPDATE if before else AuditAction.CREATE, instance=deadline, before=before).save()
    return deadline
