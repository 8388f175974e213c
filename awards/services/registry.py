"""Every write to the registry: validated, atomic and recorded in the audit trail."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import BooleanField, CharField, F, Field, IntegerField, ProtectedError, Q, TextField
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import text
from ..choices import AuditAction, AwardStatus, RecipientKind
from ..models import Award, AuditEntry, Decision, Person, RegisterCounter, Unit
from ..selectors import user_scope
from .base import (
    RegistryError,
    RuleWarning,
    audit_entry,
    audited_values,
    clean_or_refuse,
    locked_for_edit,
    validation_messages,
)

@dataclass
class RecipientRow:
    """One line of a decision: a person or a unit, the title, the achievement."""

    person: Person | None = None
    unit: Unit | None = None
    title: object = None
    achievement: str = ""
    register_number: int | None = None   # typed only for an authority above (its certificate's number)
    # A past decision's line, as an office's ledger writes it (services.ledger_record): the rank,
    # position and unit the honour found the person in, and a revocation since
    # ({"number", "date", "reason"}).
    snapshot: dict | None = None
    revocation: dict | None = None


def _open_book(*, authority_id, year):
    """The book's counter row for the year, made at 0 if there is none yet (whoever comes first)."""
    RegisterCounter.objects.bulk_create(
        [RegisterCounter(authority_id=authority_id, year=year, last_number=0)], ignore_conflicts=True,
    )


def _counter_past(*, authority_id, year, number):
    """The book's counter moved past a number written in it (never back)."""
    _open_book(authority_id=authority_id, year=year)
    RegisterCounter.objects.filter(authority_id=authority_id, year=year, last_number__lt=number).update(
        last_number=number)


def _allocate_register_numbers(*, authority_id, year, count):
    """Gapless, collision-free register numbers: the book's counter row is locked until commit."""
    _open_book(authority_id=authority_id, year=year)
    counter = RegisterCounter.objects.select_for_update().get(authority_id=authority_id, year=year)
    first = counter.last_number + 1
    RegisterCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + count)
    return range(first, first + count)


def recipient_snapshot(person):
    """The person as the decision finds them: name, rank, position and unit, frozen."""
    return {
        "recipient_name": person.full_name,
        "rank": person.rank,
        "position": person.position,
        "unit_name": person.unit.full_name,
        "within_unit": person.unit,
    }


def row_problems(row, *, scope):
    if (row.person is None) == (row.unit is None):
        return [_("Choose exactly one recipient: a person or a collective.")]
    problems = []
    kind = RecipientKind.INDIVIDUAL if row.person else RecipientKind.COLLECTIVE
    if row.title is None:
        problems.append(_("Choose a title or form of commendation."))
    elif not row.title.accepts(kind):
        if kind == RecipientKind.INDIVIDUAL:
            problems.append(_("“%(title)s” is awarded to collectives only, not to a person.") % {"title": row.title})
        else:
            problems.append(_("“%(title)s” is awarded to individuals only, not to a collective.") % {"title": row.title})
    if scope is not None:
        unit = row.person.unit if row.person else row.unit
        if not unit.path.startswith(scope.path):
            problems.append(
                _("%(recipient)s is outside your units (%(scope)s).")
                % {"recipient": row.person or row.unit, "scope": scope.short_name}
            )
    return problems


def missing_signer(*, signer_title, signer_name, titles):
    """A decision whose honours are printed here needs its signer: the certificate prints the
    signer's office and name. Returns {field: message} for what is missing (empty if nothing
    is, or nothing prints). titles: the titles its rows grant (the default one included)."""
    printed = ", ".join(sorted({t.name for t in titles if t is not None and t.prints}))
    if not printed:
        return {}
    messages = {"signer_title": _("The signer's office is printed on the %(what)s; write it."),
                "signer_name": _("The signer's name is printed on the %(what)s; write it.")}
    given = {"signer_title": signer_title, "signer_name": signer_name}
    return {field: message % {"what": printed} for field, message in messages.items()
            if not (given[field] or "").strip()}


def _numbered_here(authority):
    """The refusal of a typed register number for a book kept here."""
    return (_("%(authority)s keeps its register book here: the number is given by the book, not typed.")
            % {"authority": authority})


def check_typed_numbers(rows, *, decision, row_errors, row_labels=None):
    """A register number is typed only for an authority above, as printed on the certificate
    that arrived, and is unique in that authority's book for the year (when given). row_labels:
    how to name each row in a message (a file's row numbers); 1, 2, 3 … by default."""
    authority = decision.authority
    seen = {}
    typed = {r.register_number for r in rows if r.register_number}
    taken = set(Award.objects.filter(authority=authority, year=decision.achievement_year,
                                     register_number__in=typed).values_list("register_number", flat=True))
    for index, row in enumerate(rows):
        number = row.register_number
        if not number:
            continue
        if authority.keeps_book:
            problem = _numbered_here(authority)
        elif number in taken:
            problem = (_("Register number %(number)s of %(authority)s for %(year)s is already recorded.")
                       % {"number": number, "authority": authority, "year": decision.achievement_year})
        elif number in seen:
            problem = _("Same register number as row %(row)s.") % {
                "row": row_labels[seen[number]] if row_labels else seen[number] + 1}
        else:
            seen[number] = index
            continue
        row_errors.setdefault(index, []).append(problem)


def duplicate_keys(rows, *, authority_id, year, exclude_award=None):
    """Keys (kind, recipient id, title id) of rows that already hold that honour, active."""
    person_ids = {r.person.pk for r in rows if r.person}
    unit_ids = {r.unit.pk for r in rows if r.unit}
    existing = Award.objects.active().filter(authority_id=authority_id, year=year).filter(
        Q(person_id__in=person_ids) | Q(unit_id__in=unit_ids)
    )
    if exclude_award is not None:
        existing = existing.exclude(pk=exclude_award.pk)
    found = {}
    for award in existing.select_related("decision"):
        key = ("p", award.person_id) if award.person_id else ("u", award.unit_id)
        found[key + (award.title_id,)] = award
    return found


def row_key(row):
    return ("p", row.person.pk) if row.person else ("u", row.unit.pk)


@transaction.atomic
def decision_grant(*, by, decision, rows, justification=""):
    """Record a decision and all its recipients, or nothing if any row is wrong.

    Refuses a row whose recipient kind does not fit the title, a recipient outside the
    officer's units, and an honour the recipient already holds (same title, authority
    and year, in force), in the registry or twice in the same list.
    """
    decision.created_by = by if by and by.pk else None
    clean_or_refuse(decision)
    if not rows:
        raise RegistryError(_("A decision needs at least one recipient."))
    scope = user_scope(by) if by is not None else None
    row_errors = {}
    for index, row in enumerate(rows):
        row.title = row.title or decision.title
        problems = row_problems(row, scope=scope)
        if problems:
            row_errors[index] = problems
    check_typed_numbers(rows, decision=decision, row_errors=row_errors)
    held = duplicate_keys(
        [r for i, r in enumerate(rows) if i not in row_errors],
        authority_id=decision.authority_id, year=decision.achievement_year,
    )
    seen = {}
    for index, row in enumerate(rows):
        if index in row_errors:
            continue
        key = row_key(row) + (row.title.pk,)
        if key in held:
            row_errors[index] = [
                _("%(recipient)s already holds “%(title)s” for %(year)s (decision %(number)s).")
                % {"recipient": row.person or row.unit, "title": row.title, "year": decision.achievement_year,
                   "number": held[key].decision.number}
            ]
        elif key in seen:
            row_errors[index] = [_("Same recipient and title as row %(row)s.") % {"row": seen[key] + 1}]
        else:
            seen[key] = index
    if row_errors:
        raise RegistryError(
            _("%(count)s of %(total)s rows have problems; nothing was saved.")
            % {"count": len(row_errors), "total": len(rows)},
            row_errors=row_errors,
        )

    notes = _rule_notes(rows, decision=decision, justification=justification)
    decision.save()
    try:
        write_awards(decision=decision, rows=rows, by=by, notes=notes)
    except BaseException:
        # The rows roll back with the transaction; the stored scan would not.
        if decision.scan:
            decision.scan.storage.delete(decision.scan.name)
        raise
    return decision


_AWARD_RELATIONS = ["decision", "title", "person", "unit", "authority", "within_unit", "created_by", "revoked_by"]


def _rule_notes(rows, *, decision, justification):
    """Unmet eligibility rules and quotas: refused without a justification, else noted per row."""
    from collections import Counter

    from .. import rules

    warnings = rules.row_warnings(rows, authority_id=decision.authority_id, year=decision.achievement_year,
                                  kind=decision.kind)
    quota = []
    if decision.authority.unit_id:
        adding = Counter(r.title.pk for r in rows)
        quota = [q.message for q in rules.quota_checks(unit=decision.authority.unit, year=decision.achievement_year,
                                                        adding=adding) if q.over and q.rule.title_id in adding]
    justification = text.normalize(justification)
    if (warnings or quota) and not justification:
        raise RuleWarning(
            _("%(count)s rows do not meet the rules for their honour%(quota)s. Remove them, or give the reason "
              "to record them anyway; the reason is kept in the history.")
            % {"count": len(warnings), "quota": (_("; over a quota") if quota else "")},
            row_warnings=warnings, quota=quota,
        )
    notes = {}
    for index, found in warnings.items():
        notes[index] = _("Rules not met: %(rules)s. Reason given: %(reason)s") % {
            "rules": "; ".join(found), "reason": justification}
    if quota:
        for index in range(len(rows)):
            notes.setdefault(index, _("Quota: %(quota)s. Reason given: %(reason)s") % {
                "quota": "; ".join(quota), "reason": justification})
    return notes


def write_awards(*, decision, rows, by, notes, first_seq=1, as_written=False):
    """The decision's awards (and the decision's own audit entry when first_seq is 1). as_written
    (a ledger of past decisions): the register numbers are the books', in any book, none made up
    for a line without one, and the book's counter moves past the highest."""
    if as_written:
        numbers = [row.register_number or None for row in rows]
        if decision.authority.keeps_book and any(numbers):
            _counter_past(authority_id=decision.authority_id, year=decision.achievement_year, number=max(filter(None, numbers)))
    elif decision.authority.keeps_book:
        numbers = _allocate_register_numbers(
            authority_id=decision.authority_id, year=decision.achievement_year, count=len(rows),
        )
    else:
        # Numbered in the book of the authority above: the number its certificate carries, if known.
        numbers = [row.register_number or None for row in rows]
    awards = []
    now = timezone.now()
    for seq, (row, number) in enumerate(zip(rows, numbers), start=first_seq):
        if row.person:
            snapshot = recipient_snapshot(row.person)
        else:
            snapshot = {"recipient_name": row.unit.full_name, "rank": None, "position": "",
                        "unit_name": row.unit.parent.full_name if row.unit.parent_id else "",
                        "within_unit": row.unit}
        snapshot.update(row.snapshot or {})
        revoked = {}
        if row.revocation:
            revoked = {"status": AwardStatus.REVOKED, "revocation_number": row.revocation["number"],
                       "revocation_date": row.revocation.get("date"), "revocation_reason": row.revocation["reason"],
                       "revoked_at": now, "revoked_by": by if by and by.pk else None}
        award = Award(
            decision=decision, seq=seq, title=row.title, person=row.person, unit=row.unit,
            authority_id=decision.authority_id, year=decision.achievement_year,
            achievement=text.normalize(row.achievement) or decision.reason,
            register_number=number, created_by=decision.created_by, **snapshot, **revoked,
        )
        try:
            # Normalised by clean(). The database holds the unique rules and the foreign keys (the
            # related rows were just read); asking it again row by row would cost several queries
            # per award.
            award.full_clean(exclude=_AWARD_RELATIONS, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise RegistryError(
                _("Row %(row)s: %(problem)s") % {"row": seq - first_seq + 1,
                                                 "problem": "; ".join(validation_messages(error))},
                row_errors={seq - first_seq: validation_messages(error)},
            )
        awards.append(award)
    try:
        _insert_rows(Award, awards)
    except IntegrityError as error:
        # Another officer recorded the same honour a moment ago, between our check and our write.
        raise RegistryError(_("The registry refused the awards: %(error)s") % {"error": error})
    keys = dict(Award.objects.filter(decision=decision, seq__gte=first_seq).values_list("seq", "pk"))
    for award in awards:
        award.pk = keys[award.seq]
        award._state.adding, award._state.db = False, Award.objects.db
    entries = [audit_entry(by=by, action=AuditAction.CREATE, instance=decision)] if first_seq == 1 else []
    award_type = ContentType.objects.get_for_model(Award)
    entries += [audit_entry(by=by, action=AuditAction.CREATE, instance=a, note=notes.get(i, ""), content_type=award_type)
                for i, a in enumerate(awards)]
    _insert_rows(AuditEntry, entries)


def _insert_rows(model, objects):
    """New rows of one model written by one statement run over them all (executemany), each value
    prepared as the ORM prepares it (pre_save, get_db_prep_save). bulk_create writes the SQL of
    every row anew, which was most of a 10,000-row import's time; this writes it once. The rows'
    keys are not read back: the caller finds them if it needs them."""
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.local_concrete_fields if not (f.primary_key and f.auto_created)]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    plan = [(f, f.attname, _stored_as_is(f, connection), type(f).pre_save is not Field.pre_save) for f in fields]
    rows = [[value if type(value) in as_is else f.get_db_prep_save(value, connection=connection)
             for f, name, as_is, computed in plan
             for value in (f.pre_save(obj, True) if computed else getattr(obj, name),)]
            for obj in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _stored_as_is(field, connection):
    """The Python types a field writes unchanged (text as str, booleans as bool, whole numbers and
    keys as int where the engine takes them so, NULL as None): preparing them is a no-op the rows
    can skip. Any field that prepares its values otherwise has none."""
    target = field.target_field if field.is_relation else field
    kind = type(target)
    if isinstance(target, (CharField, TextField)) and kind.get_prep_value in (
            CharField.get_prep_value, TextField.get_prep_value) and kind.get_db_prep_value is Field.get_db_prep_value:
        return frozenset({str, type(None)})
    if isinstance(target, BooleanField) and kind.get_prep_value is BooleanField.get_prep_value \
            and kind.get_db_prep_value is Field.get_db_prep_value:
        return frozenset({bool, type(None)})
    # PostgreSQL wraps each whole number in its column's type; SQLite takes it as it is.
    if isinstance(target, IntegerField) and kind.get_prep_value is IntegerField.get_prep_value \
            and kind.get_db_prep_value in (IntegerField.get_db_prep_value, AutoFieldMixin.get_db_prep_value) \
            and type(connection.ops).adapt_integerfield_value is BaseDatabaseOperations.adapt_integerfield_value \
            and type(connection.ops).validate_autopk_value is BaseDatabaseOperations.validate_autopk_value:
        return frozenset({int, type(None)})
    return frozenset()


AWARD_CORRECTABLE = ("title", "recipient_name", "rank", "position", "unit_name", "achievement", "register_number")


@transaction.atomic
def award_correct(*, award, by, expected_version, note="", **changes):
    """Correct an award's wording or snapshot; refused if someone saved it meanwhile."""
    current = locked_for_edit(award, expected_version=expected_version, changes=changes,
                               allowed=AWARD_CORRECTABLE, label=_("award"))
    if current.is_revoked:
        raise RegistryError(_("A revoked award cannot be corrected."))
    if "register_number" in changes and current.authority.keeps_book \
            and changes["register_number"] != current.register_number:
        message = _numbered_here(current.authority)
        raise RegistryError(message, field_errors={"register_number": [message]})
    before = audited_values(current)
    for field, value in changes.items():
        setattr(current, field, value)
    current.normalize()
    scope = user_scope(by) if by is not None else None
    if scope is not None and not current.within_unit.path.startswith(scope.path):
        raise RegistryError(_("This award is outside your units."))
    clean_or_refuse(current)
    if "title" in changes:
        key = row_key(RecipientRow(person=current.person, unit=current.unit)) + (current.title_id,)
        held = duplicate_keys([RecipientRow(person=current.person, unit=current.unit)],
                               authority_id=current.authority_id, year=current.year, exclude_award=current)
        if key in held:
            raise RegistryError(
                _("%(recipient)s already holds “%(title)s” for %(year)s (decision %(number)s).")
                % {"recipient": current.recipient_name, "title": current.title, "year": current.year,
                   "number": held[key].decision.number}
            )
    current.version += 1
    current.save()
    audit_entry(by=by, action=AuditAction.UPDATE, instance=current, before=before, note=note).save()
    return current


@transaction.atomic
def award_revoke(*, award, by, number, date, reason, expected_version=None):
    """Mark an award revoked by a later decision; the award and its number stay in the record."""
    current = locked_for_edit(award, expected_version=expected_version,
                               changes={"status": AwardStatus.REVOKED}, label=_("award"))
    if current.is_revoked:
        raise RegistryError(_("This award was already revoked by decision %(number)s.") % {"number": current.revocation_number})
    scope = user_scope(by) if by is not None else None
    if scope is not None and not current.within_unit.path.startswith(scope.path):
        raise RegistryError(_("This award is outside your units."))
    number = Decision.normalize_number(number or "")
    reason = text.normalize(reason)
    errors = revocation_problems(number=number, date=date, reason=reason, decided_on=current.decision.date)
    if errors:
        raise RegistryError("; ".join(m for ms in errors.values() for m in ms), field_errors=errors)
    before = audited_values(current)
    current.status = AwardStatus.REVOKED
    current.revocation_number, current.revocation_date, current.revocation_reason = number, date, reason
    current.revoked_at = timezone.now()
    current.revoked_by = by if by and by.pk else None
    current.version += 1
    current.save()
    audit_entry(by=by, action=AuditAction.REVOKE, instance=current, before=before, note=reason).save()
    return current


def revocation_problems(*, number, date, reason, decided_on):
    """{field: [message]} of what a revocation lacks: the revoking decision's number and date
    (not before the decision it revokes) and the reason."""
    errors = {}
    if not number:
        errors["revocation_number"] = [_("Enter the number of the revoking decision.")]
    if not date:
        errors["revocation_date"] = [_("Enter the date of the revoking decision.")]
    elif decided_on and date < decided_on:
        errors["revocation_date"] = [_("The revoking decision cannot be older than the decision it revokes.")]
    if not reason:
        errors["revocation_reason"] = [_("Give the reason for revocation.")]
    return errors


DECISION_CORRECTABLE = (
    "number", "date", "authority", "signer_name", "signer_rank", "signer_prefix", "signer_on_behalf_of",
    "signer_title", "subject", "reason", "kind", "achievement_year", "title", "scan",
)


@transaction.atomic
def decision_update(*, decision, by, expected_version, **changes):
    """Correct a decision's details; its authority and year stay once it has awards."""
    current = locked_for_edit(decision, expected_version=expected_version, changes=changes,
                               allowed=DECISION_CORRECTABLE, label=_("decision"))
    scope = user_scope(by) if by is not None else None
    if scope is not None and current.awards.exclude(within_unit__path__startswith=scope.path).exists():
        raise RegistryError(_("This decision has recipients outside your units; an officer of a unit above yours "
                              "or an administrator corrects it."))
    before = audited_values(current)
    for field, value in changes.items():
        setattr(current, field, value)
    has_awards = current.awards.exists()
    if has_awards and (
        current.authority_id != before["authority_id"] or current.achievement_year != before["achievement_year"]
    ):
        raise RegistryError(
            _("The authority and the year of achievement cannot change once a decision has awards: "
              "their register numbers belong to that authority's book for that year. "
              "Revoke the awards and record the decision again.")
        )
    clean_or_refuse(current)
    current.version += 1
    old_scan = before.get("scan") or ""
    try:
        current.save()
        audit_entry(by=by, action=AuditAction.UPDATE, instance=current, before=before).save()
    except BaseException:
        # The row rolls back with the transaction; a scan stored by this save would not.
        if current.scan and current.scan.name != old_scan:
            current.scan.storage.delete(current.scan.name)
        raise
    if old_scan and old_scan != (current.scan.name or ""):
        # The replaced scan goes once its replacement is in the registry, not before: a
        # correction that rolls back keeps the decision's scan where it was.
        storage = current.scan.storage
        transaction.on_commit(lambda: storage.delete(old_scan))
    return current


@transaction.atomic
def record_save(*, instance, by):
    """Create or correct reference data (units, people, authorities, titles), audited."""
    before = audited_values(type(instance).objects.get(pk=instance.pk)) if instance.pk else None
    clean_or_refuse(instance)
    instance.save()
    action = AuditAction.UPDATE if before is not None else AuditAction.CREATE
    audit_entry(by=by, action=action, instance=instance, before=before).save()
    return instance


@transaction.atomic
def record_delete(*, instance, by):
    """Delete reference data nothing refers to; anything with awards is refused."""
    before = audited_values(instance)
    entry = audit_entry(by=by, action=AuditAction.DELETE, instance=instance, before=before)
    try:
        with transaction.atomic():
            instance.delete()
    except ProtectedError:
        raise RegistryError(_("“%(object)s” is still referred to by other records and cannot be deleted.") % {"object": instance})
    entry.save()
