"""Past decisions as an office's ledger holds them (the books of honours kept one line per
honour, each naming its decision): recorded all or nothing through the checks a decision recorded
today passes, less the rules of eligibility and quotas — a ledger says what was decided, not
what should have been."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ..choices import AliasKind
from ..models import Award, Decision, ImportAlias
from ..selectors import decision_editable, import_office, in_scope, user_scope
from .base import RegistryError, clean_or_refuse
from .registry import duplicate_keys, record_save, revocation_problems, row_key, row_problems, write_awards


@dataclass
class LedgerDecision:
    """One decision of the ledger: new (unsaved) or one the registry holds, and the lines to add."""

    decision: Decision
    rows: list = field(default_factory=list)   # services.RecipientRow, with snapshot/revocation as written


@transaction.atomic
def ledger_record(*, by, decisions, created=(), aliases=(), labels=None, progress=None):
    """Record a ledger's decisions: a new one with its lines, one the registry holds with the
    lines it lacks. created: authorities and titles the officer made in the preview (unsaved),
    written first; aliases: (kind, name as written, authority or title) the officer mapped,
    remembered for every later import; labels: how messages name the lines (the file's rows);
    progress (awards.jobs.Progress): counts the lines written.
    Returns the decisions written.

    Refuses, naming each line by its position among all the decisions' lines in order
    (RegistryError.row_errors): a recipient outside the officer's units or of the wrong kind
    for the title, an honour already held in force (in the registry, or twice in the ledger), a
    register number already in its book, a revocation without its decision, date or reason."""
    for instance in created:
        # Authorities and titles are the registry's reference data: an administrator's to create.
        permission = f"{instance._meta.app_label}.add_{instance._meta.model_name}"
        if by is not None and not by.has_perm(permission):
            raise RegistryError(_("Only an administrator creates %(what)s (“%(name)s”): map the name to one the "
                                  "registry has, or ask an administrator to add it.")
                                % {"what": instance._meta.verbose_name, "name": instance})
        record_save(instance=instance, by=by)
    office = import_office(by)
    for kind, name, target in aliases:
        record_save(instance=ImportAlias(kind=kind, name=name, created_by=by if by and by.pk else None, office=office,
                                         **{"authority" if kind == AliasKind.AUTHORITY else "title": target}), by=by)
    for entry in decisions:  # an authority made above has its key now
        entry.decision.authority = entry.decision.authority
    lines = [(entry, row) for entry in decisions for row in entry.rows]
    row_errors = ledger_problems(lines, by=by, labels=labels)
    if row_errors:
        raise RegistryError(
            _("%(count)s of %(total)s rows have problems; nothing was saved.")
            % {"count": len(row_errors), "total": len(lines)}, row_errors=row_errors)
    start = 0
    for entry in decisions:
        decision = entry.decision
        try:
            if decision.pk is None:
                decision.created_by = by if by and by.pk else None
                clean_or_refuse(decision)
                decision.save()
                first_seq = 1
            else:
                Decision.objects.select_for_update().filter(pk=decision.pk).first()
                first_seq = (decision.awards.aggregate(last=Max("seq"))["last"] or 0) + 1
            write_awards(decision=decision, rows=entry.rows, by=by, notes={}, first_seq=first_seq, as_written=True)
        except RegistryError as error:
            found = {start + index: problems for index, problems in error.row_errors.items()} or {start: [error.message]}
            raise RegistryError(_("Decision %(number)s: %(problem)s") % {"number": decision.number,
                                                                        "problem": error.message}, row_errors=found)
        start += len(entry.rows)
        if progress:
            progress.step(len(entry.rows))
    return [entry.decision for entry in decisions]


def _ident(instance):
    """A record's key, or who it is while it waits to be written (a person, an authority or a
    title the same ledger brings in): lines naming the same new record hold the same object."""
    return instance.pk if instance.pk is not None else ("new", id(instance))


def _recipient(row):
    return ("p", _ident(row.person)) if row.person else ("u", _ident(row.unit))


def ledger_problems(lines, *, by, labels=None):
    """{line index: [problem]} of a ledger's (decision entry, line) pairs, all checked before
    anything is written; the import's preview asks the same. labels: how to name each line in a
    message (the file's row numbers); 1, 2, 3 … by default. The scope and rights are the decision
    page's: recipients within the officer's units, a decision the registry holds extended only by
    those who may correct it, and a register number written only into a book the officer's own
    office keeps."""
    label = (lambda i: labels[i]) if labels else (lambda i: i + 1)
    scope = user_scope(by) if by is not None else None
    errors = defaultdict(list)
    editable = {}
    for index, (entry, row) in enumerate(lines):
        errors[index] += row_problems(row, scope=scope)
        decision = entry.decision
        if decision.pk is not None and by is not None:
            if decision.pk not in editable:
                editable[decision.pk] = decision_editable(by, decision)
            if not editable[decision.pk]:
                errors[index].append(_("Decision %(number)s is in the registry with recipients outside your units: "
                                       "only an office that may correct it adds lines to it.")
                                     % {"number": decision.number})
        authority = decision.authority
        if (row.register_number and by is not None and authority.keeps_book and authority.unit_id
                and not in_scope(by, authority.unit)):
            errors[index].append(_("Register number %(number)s belongs to the book of %(authority)s, which %(unit)s "
                                   "keeps: only its officers write in it. Leave the number empty.")
                                 % {"number": row.register_number, "authority": authority, "unit": authority.unit})
        if row.revocation:
            found = revocation_problems(number=row.revocation.get("number"), date=row.revocation.get("date"),
                                        reason=row.revocation.get("reason"), decided_on=entry.decision.date)
            errors[index] += [m for messages in found.values() for m in messages]
    # An honour in force is held once per recipient, title, authority and year: in the registry
    # and across the ledger (a revoked line holds nothing). A register number once in its book.
    books = defaultdict(list)
    for index, (entry, row) in enumerate(lines):
        if not errors[index]:
            books[(_ident(entry.decision.authority), entry.decision.achievement_year)].append(index)
    for (_authority, year), indexes in books.items():
        authority = lines[indexes[0]][0].decision.authority
        active = [i for i in indexes if not lines[i][1].revocation]
        held = duplicate_keys([lines[i][1] for i in active if (lines[i][1].person or lines[i][1].unit).pk],
                               authority_id=authority.pk, year=year) if authority.pk else {}
        seen = {}
        for i in active:
            row = lines[i][1]
            key = (row_key(row) if (row.person or row.unit).pk else _recipient(row)) + (_ident(row.title),)
            if key in held:
                errors[i].append(_("%(recipient)s already holds “%(title)s” for %(year)s (decision %(number)s).")
                                 % {"recipient": row.person or row.unit, "title": row.title, "year": year,
                                    "number": held[key].decision.number})
            elif key in seen:
                errors[i].append(_("Same recipient and title for %(year)s as row %(row)s.")
                                 % {"year": year, "row": label(seen[key])})
            else:
                seen[key] = i
        typed = {lines[i][1].register_number for i in indexes} - {None}
        taken = set(Award.objects.filter(authority_id=authority.pk, year=year, register_number__in=typed)
                    .values_list("register_number", flat=True)) if typed and authority.pk else set()
        numbered = {}
        for i in indexes:
            number = lines[i][1].register_number
            if not number:
                continue
            if number in taken:
                errors[i].append(_("Register number %(number)s of %(authority)s for %(year)s is already recorded.")
                                 % {"number": number, "authority": authority, "year": year})
            elif number in numbered:
                errors[i].append(_("Same register number as row %(row)s.") % {"row": label(numbered[number])})
            else:
                numbered[number] = i
    return {index: problems for index, problems in errors.items() if problems}
