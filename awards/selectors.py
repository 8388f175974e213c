"""Shared reads: the scoped querysets behind lists, pages, exports and reports."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models import Case, Count, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from . import text
from .models import AuditEntry, Award, Decision, Person, Unit
from .roles import ADMINISTRATOR

# A scope that contains nothing: real paths start with a digit.
_NO_UNIT = Unit(path="-", short_name=_("no unit assigned"), full_name=_("no unit assigned"))


def user_scope(user):
    """The unit whose subtree this user records for; None means the whole registry."""
    if user is None or isinstance(user, AnonymousUser):
        return _NO_UNIT
    if user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists():
        return None
    profile = getattr(user, "profile", None)
    if profile is not None and profile.scope_unit_id:
        return profile.scope_unit
    person = getattr(user, "person", None)
    if person is not None:
        return person.unit
    return _NO_UNIT


def unit_subtree(unit):
    """The unit and every unit below it, in one query."""
    return Unit.objects.subtree(unit)


def person_search(query, *, queryset=None):
    """People whose name matches, ignoring accents and case; exact-accent matches first."""
    qs = (queryset if queryset is not None else Person.objects.all()).filter(search_key__contains=text.fold(query))
    exact = text.normalize(query)
    return qs.annotate(
        exact=Case(When(full_name__contains=exact, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("exact", "sort_key")


def registry_counts():
    """The headline figures of the home page."""
    return {
        "decisions": Decision.objects.count(),
        "active": Award.objects.active().count(),
        "revoked": Award.objects.revoked().count(),
        "people": Person.objects.count(),
    }


def decision_recent(*, limit=10):
    """The latest decisions, with how many awards each granted."""
    # Explicit order: Meta.ordering does not apply to an aggregating query.
    return (
        Decision.objects.select_related("authority").annotate(award_count=Count("awards"))
        .order_by("-date", "-pk")[:limit]
    )


def award_queryset():
    """Every honour, with what a row of the list, its export or a page shows, joined once."""
    return Award.objects.select_related("decision", "authority", "title")


def award_list(*, user, filters=None, order_by=None):
    """The honours list and its export: the same filters, the same rows, the same order.

    Every signed-in person reads every honour (honours are announced in public); what
    differs by role is which columns are shown, not which rows.
    """
    from .filters import AwardFilter
    from .tables import AwardTable

    filterset = AwardFilter(filters, queryset=award_queryset())
    # As the list page does (django-filter's strict mode): a filter it cannot read shows nothing.
    qs = filterset.qs if not filterset.is_bound or filterset.is_valid() else filterset.queryset.none()
    if order_by:
        qs = AwardTable(qs, order_by=order_by).data.data
    return qs


def can_see_personal_data(user):
    return user.has_perm("awards.view_personal_data")


def in_scope(user, unit):
    """Whether this user records honours for this unit (their unit or one under it)."""
    scope = user_scope(user)
    return scope is None or unit.path.startswith(scope.path)


def award_editable(user, award):
    return user.has_perm("awards.change_award") and in_scope(user, award.within_unit)


def award_revocable(user, award):
    return user.has_perm("awards.revoke_award") and not award.is_revoked and in_scope(user, award.within_unit)


def decision_editable(user, decision):
    """An officer corrects a decision only if every recipient is within their units."""
    if not user.has_perm("awards.change_decision"):
        return False
    scope = user_scope(user)
    if scope is None:
        return True
    return not decision.awards.exclude(within_unit__path__startswith=scope.path).exists()


def decision_awards(decision):
    return decision.awards.select_related("title", "decision", "authority").order_by("seq")


def person_awards(person):
    """A person's honours, newest first."""
    return award_queryset().filter(person=person).order_by("-year", "-decision__date", "-pk")


def person_title_counts(person):
    """How many honours in force the person holds of each title."""
    return (
        Award.objects.active().filter(person=person).values("title__name")
        .annotate(count=Count("pk")).order_by("-count", "title__name")
    )


def unit_collective_awards(unit):
    return award_queryset().filter(unit=unit).order_by("-year", "-decision__date", "-pk")


def unit_member_awards(unit):
    """Honours of individuals counted under this unit or any unit below it."""
    return award_queryset().within(unit).filter(person__isnull=False).order_by("-year", "sort_key", "pk")


def unit_ancestors(unit):
    ids = [int(segment) for segment in unit.path.split(".") if segment]
    return Unit.objects.filter(pk__in=ids[:-1]).order_by("depth")


def unit_tree():
    """Every unit in tree order, with its counts of members and collective honours."""
    return Unit.objects.annotate(
        member_count=Count("members", distinct=True),
    ).order_by("path")


def recipient_search(query, *, user, limit=15):
    """People and units matching a few letters, accents ignored, for picking recipients."""
    folded = text.fold(query)
    if len(folded) < 2:
        return []
    scope = user_scope(user)
    results = []
    for person in person_search(query).select_related("unit")[:limit]:
        results.append({
            "id": f"p:{person.pk}", "label": person.display_name, "kind": "person",
            "detail": ", ".join(x for x in (person.position, person.unit.full_name) if x),
            "in_scope": scope is None or person.unit.path.startswith(scope.path),
        })
    units = Unit.objects.filter(search_key__contains=folded, is_active=True).select_related("parent")
    for unit in units.order_by("depth", "path")[:limit]:
        results.append({
            "id": f"u:{unit.pk}", "label": unit.full_name, "kind": "unit",
            "detail": unit.parent.full_name if unit.parent_id else "",
            "in_scope": scope is None or unit.path.startswith(scope.path),
        })
    return results


def decision_queryset():
    """Decisions newest first, with how many awards each granted."""
    return Decision.objects.select_related("authority").annotate(award_count=Count("awards")).order_by("-date", "-pk")


def display_value(field, value, related=None):
    if value is None or value == "":
        return "—"
    if field is None:
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if field.is_relation:
        return (related or {}).get((field.related_model, value), f"#{value}")
    if isinstance(value, FieldFile):
        return value.name.rsplit("/", 1)[-1]
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.get_internal_type() == "DateField":
        year, month, day = str(value).split("-")
        return f"{day}/{month}/{year}"
    return str(value)


# Bookkeeping that means nothing to a reader of the history.
_HISTORY_HIDDEN = {"id", "verification_code", "created_by_id", "revoked_at"}


def audit_trail(instance):
    """Who created, corrected or revoked this record, when, and each field before and after."""
    model = type(instance)
    entries = list(
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id=str(instance.pk))
        .order_by("-at", "-pk")
    )
    fields = {f.attname: f for f in model._meta.concrete_fields}
    wanted = {}
    for entry in entries:
        for attname, values in entry.changes.items():
            field = fields.get(attname)
            if field is not None and field.is_relation:
                wanted.setdefault(field.related_model, set()).update(v for v in values if v is not None)
    related = {}
    for related_model, pks in wanted.items():
        for obj in related_model._default_manager.filter(pk__in=pks):
            related[(related_model, obj.pk)] = str(obj)
    for entry in entries:
        entry.rows = []
        for attname, (before, after) in entry.changes.items():
            if attname in _HISTORY_HIDDEN:
                continue
            field = fields.get(attname)
            label = field.verbose_name if field is not None else attname
            entry.rows.append((label, display_value(field, before, related), display_value(field, after, related)))
    return entries
