"""Shared reads: the scoped querysets behind lists, pages, exports and reports."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from . import text
from .models import Award, Decision, Person, Unit
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
