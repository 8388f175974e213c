"""Correction requests from staff, and officers' answers; accounts for people in bulk."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .. import roles, text
from ..choices import AuditAction, CorrectionKind, CorrectionStatus
from ..models import CorrectionRequest
from ..selectors import user_scope
from .base import RegistryError, audit_entry, audited_values
from .registry import award_correct


@transaction.atomic
def correction_request_file(*, by, kind, message, award=None):
    """A member of staff flags a mistake in one of their own honours (or a missing one)."""
    person = getattr(by, "person", None)
    if person is None:
        raise RegistryError(_("Your account is not linked to a person in the registry; ask an administrator."))
    if award is not None and award.person_id != person.pk:
        raise RegistryError(_("You can only ask about your own honours."))
    if award is None and kind != CorrectionKind.MISSING:
        raise RegistryError(_("Choose the honour that is wrong, or say that one is missing."))
    message = text.normalize(message)
    if not message:
        raise RegistryError(_("Say what is wrong and what it should be."), field_errors={"message": ["required"]})
    request = CorrectionRequest.objects.create(
        requester=by, person=person, award=award, kind=kind, message=message,
        unit=award.within_unit if award is not None else person.unit,
    )
    audit_entry(by=by, action=AuditAction.CREATE, instance=request).save()
    return request


@transaction.atomic
def correction_request_answer(*, request, by, status, note, changes=None, expected_version=None):
    """Answer a request: corrected (through the award's correction, version-checked) or not.

    Only an officer whose units hold the request's unit answers it; the note is what the
    requester reads.
    """
    current = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
    if current.status != CorrectionStatus.OPEN:
        raise RegistryError(_("This request was already answered."))
    scope = user_scope(by)
    if scope is not None and not current.unit.path.startswith(scope.path):
        raise RegistryError(_("This request is outside your units."))
    note = text.normalize(note)
    if not note:
        raise RegistryError(_("Write the answer the requester will read."), field_errors={"note": ["required"]})
    if status not in (CorrectionStatus.RESOLVED, CorrectionStatus.REJECTED):
        raise RegistryError(_("Choose whether the record was corrected."))
    if changes and current.award is not None:
        award_correct(award=current.award, by=by, expected_version=expected_version,
                      note=_("Correction request #%(id)s: %(note)s") % {"id": current.pk, "note": note}, **changes)
    before = audited_values(current)
    current.status, current.resolution = status, note
    current.resolved_by, current.resolved_at = by, timezone.now()
    current.save()
    audit_entry(by=by, action=AuditAction.UPDATE, instance=current, before=before).save()
    return current


@transaction.atomic
def correction_answer_seen(*, request, by):
    """The requester has read the answer: their home page stops announcing it."""
    current = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
    if current.requester_id != by.pk and getattr(current.person, "user_id", None) != by.pk:
        raise RegistryError(_("This is not your request."))
    if current.status == CorrectionStatus.OPEN or current.answer_seen_at is not None:
        return current
    current.answer_seen_at = timezone.now()
    current.save(update_fields=["answer_seen_at"])
    return current


def _username_for(person, taken):
    base = slugify(text.fold(person.service_number or person.full_name)).replace("-", ".")[:120] or "user"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    return name


@transaction.atomic
def accounts_create(*, by, people):
    """Sign-in accounts (role Staff) for people who have none: [(person, user name, password)].

    Each password is random and shown once to the administrator, who hands it over; the
    person changes it on their account page.
    """
    User = get_user_model()
    taken = set(User.objects.values_list("username", flat=True))
    staff = Group.objects.get(name=roles.STAFF)
    created = []
    for person in people:
        if person.user_id:
            continue
        password = secrets.token_urlsafe(9)
        user = User.objects.create_user(username=_username_for(person, taken), password=password,
                                        first_name=person.given_name, last_name=f"{person.family_name} {person.middle_name}".strip())
        user.groups.add(staff)
        before = audited_values(person)
        person.user = user
        person.save(update_fields=["user"])
        audit_entry(by=by, action=AuditAction.UPDATE, instance=person, before=before,
               note=_("sign-in account created")).save()
        created.append((person, user.username, password))
    return created
