"""What every write module of the services shares: the refusals, the audit trail, validation,
version-checked locking, and the dossier's history and sides."""

import datetime
import functools
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from .. import selectors, text, workflow
from ..choices import AuditAction
from ..models import AuditEntry, DossierEvent

_AUDIT_SKIP = {"created_at", "updated_at", "search_key", "sort_key", "path", "depth", "version"}


class RegistryError(Exception):
    """A refused change. The message says what is wrong; nothing was written."""

    def __init__(self, message, *, row_errors=None, field_errors=None):
        super().__init__(message)
        self.message = message
        self.row_errors = row_errors or {}
        self.field_errors = field_errors or {}


class StaleEditError(RegistryError):
    """Someone else saved the same record since this edit began."""

    def __init__(self, message, *, current, conflicts):
        super().__init__(message)
        self.current = current
        # field -> (value now in the registry, value this edit wanted to save)
        self.conflicts = conflicts


class RuleWarning(RegistryError):
    """Rows whose honour's rules are not met: recorded only with a justification."""

    def __init__(self, message, *, row_warnings, quota):
        super().__init__(message)
        self.row_warnings = row_warnings
        self.quota = quota


_AS_IS = frozenset({str, int, bool, type(None)})


def _plain(value):
    if type(value) in _AS_IS:
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


@functools.cache
def _audited_fields(model):
    return [f.attname for f in model._meta.concrete_fields if f.name not in _AUDIT_SKIP]


def audited_values(instance):
    return {name: _plain(getattr(instance, name)) for name in _audited_fields(type(instance))}


def audit_entry(*, by, action, instance, before=None, note="", content_type=None):
    """The audit entry of one change (not saved); content_type may be passed by a caller that
    writes many rows of one model, so it is looked up once."""
    after = audited_values(instance) if action != AuditAction.DELETE else {}
    if before:
        keys = list(dict.fromkeys([*before, *after]))
        changes = {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}
    else:  # a new record: each value it holds
        changes = {k: [None, v] for k, v in after.items() if v is not None}
    return AuditEntry(
        user=by if by and by.pk else None,
        username=by.get_username() if by else "",
        action=action,
        content_type=content_type or ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes,
        note=note,
    )


def validation_messages(error):
    if hasattr(error, "message_dict"):
        return [f"{field}: {m}" if field != "__all__" else m for field, ms in error.message_dict.items() for m in ms]
    return list(error.messages)


def clean_or_refuse(instance, exclude=None):
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise RegistryError("; ".join(validation_messages(error)), field_errors=getattr(error, "message_dict", {}))


def locked_for_edit(instance, *, expected_version, changes, allowed=None, label):
    """The row as it is now, locked until commit; refused if saved since the edit began.

    expected_version is the version the editor started from (None: no check, for
    system callers). The refusal names each field whose value now differs from the one
    this edit wanted to save.
    """
    unknown = set(changes) - set(allowed or ())
    if allowed is not None and unknown:
        raise RegistryError(_("These fields cannot be corrected: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    current = type(instance).objects.select_for_update().get(pk=instance.pk)
    if expected_version is not None and current.version != expected_version:
        conflicts = {
            field: (getattr(current, field), value)
            for field, value in changes.items()
            if getattr(current, field) != value
        }
        raise StaleEditError(
            _("Someone else saved this %(what)s after you opened it; your changes were not saved. "
              "Review the current values and enter your correction again.") % {"what": label},
            current=current, conflicts=conflicts,
        )
    return current


def update_locked(current, changes, *, by):
    """Write the changes onto the locked row, checked, its version moved on, audited."""
    before = audited_values(current)
    for name, value in changes.items():
        setattr(current, name, value)
    clean_or_refuse(current)
    current.version += 1
    current.save()
    audit_entry(by=by, action=AuditAction.UPDATE, instance=current, before=before).save()
    return current


def dossier_event(dossier, action, *, by, nominee=None, state="", note=""):
    return DossierEvent(dossier=dossier, nominee=nominee, action=action, state=state, note=text.normalize(note),
                        user=by if by and by.pk else None, username=by.get_username() if by else "")


def locked_row(model, pk, expected_version, what):
    """The row as it is now, locked until commit; refused if it moved on since the page was opened."""
    current = model.objects.select_for_update().get(pk=pk)
    if expected_version is not None and current.version != expected_version:
        if hasattr(current, "get_state_display"):
            message = _("Someone else acted on this %(what)s after you opened it (it is now: %(state)s); nothing was "
                        "changed. Look at it again before you act.") % {"what": what,
                                                                         "state": current.get_state_display()}
        else:
            message = _("Someone else saved this %(what)s after you opened it; nothing was changed. It is shown "
                        "as it is now: look at it again before you act.") % {"what": what}
        raise StaleEditError(message, current=current, conflicts={})
    return current


def need_side(by, dossier, side):
    if by is not None and side not in selectors.dossier_sides(by, dossier):
        if side == workflow.SENDER:
            raise RegistryError(_("Only the officers of %(unit)s act on this dossier.") % {"unit": dossier.unit})
        raise RegistryError(_("Only the office that receives for %(authority)s acts on this dossier.")
                            % {"authority": dossier.authority})
