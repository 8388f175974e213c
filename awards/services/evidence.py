"""Writes of the evidence the rules decide on: annual ratings, initiatives, discipline, service breaks."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..choices import AuditAction
from ..models import Person, ServiceBreak
from .base import RegistryError, audit_entry, audited_values, clean_or_refuse, locked_for_edit, update_locked
from .registry import record_save

EDITABLE = {
    "rating": ("person", "unit", "year", "rating", "note"),
    "initiative": ("person", "year", "kind", "name", "level", "decision"),
    "discipline": ("person", "form", "decision", "decided_on", "ends_on", "reason"),
}


@transaction.atomic
def evidence_save(*, instance, by, expected_version=None):
    """Enter or correct a rating, an initiative or a discipline, audited; a correction is refused
    if someone saved the entry after the editor opened it."""
    if instance.pk is None:
        return record_save(instance=instance, by=by)
    fields = EDITABLE[instance._meta.model_name]
    changes = {name: getattr(instance, name) for name in fields}
    current = locked_for_edit(instance, expected_version=expected_version, changes=changes,
                               label=instance._meta.verbose_name)
    return update_locked(current, changes, by=by)


@transaction.atomic
def evidence_delete(*, instance, by):
    """Remove an entry made in error; the audit trail keeps what it said."""
    entry = audit_entry(by=by, action=AuditAction.DELETE, instance=instance, before=audited_values(instance))
    instance.delete()
    entry.save()


@transaction.atomic
def service_break_save(*, instance, by):
    """Record a break in service; the person's years of service are counted again without it."""
    clean_or_refuse(instance)
    overlapping = ServiceBreak.objects.filter(person=instance.person, start__lte=instance.end,
                                              end__gte=instance.start).exclude(pk=instance.pk)
    if overlapping.exists():
        raise RegistryError(_("This break overlaps another break already recorded for this person."))
    action = AuditAction.UPDATE if instance.pk else AuditAction.CREATE
    instance.save()
    audit_entry(by=by, action=action, instance=instance).save()
    _refresh_service(instance.person_id)
    return instance


@transaction.atomic
def service_break_delete(*, instance, by):
    """Remove a break recorded in error."""
    entry = audit_entry(by=by, action=AuditAction.DELETE, instance=instance, before=audited_values(instance))
    person_id = instance.person_id
    instance.delete()
    entry.save()
    _refresh_service(person_id)


def _refresh_service(person_id):
    person = Person.objects.select_for_update().get(pk=person_id)
    Person.objects.filter(pk=person_id).update(service_from=person.service_start())
