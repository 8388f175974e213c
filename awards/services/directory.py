"""Accounts the organisation's directory signs in: their roles and unit read from its groups at
each sign-in, through the mapping kept in the back office (DirectoryGroup)."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import roles
from ..choices import AuditAction
from ..models import DirectoryGroup, Profile
from .base import audit_entry

# The roles from the most rights to the fewest: the unit of the strongest mapped role is the scope.
_ORDER = [roles.ADMINISTRATOR, roles.OFFICER, roles.ORGANISER, roles.STAFF]


def _state(user):
    profile = Profile.objects.filter(user=user).first()
    return {"roles": sorted(user.groups.filter(name__in=_ORDER).values_list("name", flat=True)),
            "unit": profile.scope_unit_id if profile else None, "is_active": user.is_active, "is_staff": user.is_staff}


@transaction.atomic
def directory_sync(*, user, dn, group_dns):
    """Give a directory account exactly the roles its groups map to, and the unit of its strongest
    role: a role whose group the person has left is gone at this sign-in. An account in no mapped
    group is not a user of the registry (inactive: the sign-in is refused). Audited when it changes."""
    keys = {DirectoryGroup.key_of(dn_) for dn_ in group_dns}
    mapped = [m for m in DirectoryGroup.objects.select_related("unit") if m.key in keys]
    held = {m.role for m in mapped}
    before = _state(user)
    if Group.objects.filter(name__in=_ORDER).count() < len(_ORDER):
        roles.ensure_roles()
    others = list(user.groups.exclude(name__in=_ORDER))
    user.groups.set(others + list(Group.objects.filter(name__in=held)))
    strongest = next((role for role in _ORDER if role in held), None)
    units = sorted((m.unit for m in mapped if m.role == strongest and m.unit_id), key=lambda u: u.depth)
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.scope_unit = units[0] if units else None
    profile.directory_dn = dn[:500]
    profile.directory_synced_at = timezone.now()
    profile.save()
    user.is_active = bool(held)
    user.is_staff = roles.ADMINISTRATOR in held   # the back office is an administrator's
    user.is_superuser = False
    user.set_unusable_password()                  # the directory's password, never a local one
    user.save()
    after = _state(user)
    if after != before:
        entry = audit_entry(by=user, action=AuditAction.UPDATE, instance=user, note=_("Roles read from the directory"))
        entry.changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        entry.save()
    return user


@transaction.atomic
def directory_disable(*, user, note):
    """An account the directory no longer has, or has disabled: it signs in no more."""
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    entry = audit_entry(by=None, action=AuditAction.UPDATE, instance=user, note=note)
    entry.changes = {"is_active": [True, False]}
    entry.save()
    return user
