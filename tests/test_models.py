"""The invariants the database itself enforces, each tried by going around the services."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from awards.choices import AwardStatus, TitleFor
from awards.models import Award, Person, Unit
from tests import factories

pytestmark = pytest.mark.django_db


def raw_award(**overrides):
    """An Award saved straight to the database, no service, no validation."""
    base = factories.award()
    fields = {
        "decision": base.decision, "seq": 99, "title": base.title, "person": base.person, "unit": None,
        "authority": base.authority, "year": base.year, "recipient_name": "X", "within_unit": base.within_unit,
        "register_number": 999, "status": AwardStatus.REVOKED, "revocation_number": "1/QĐ",
        "revocation_reason": "test", "revoked_at": datetime.datetime(2022, 1, 1, tzinfo=datetime.UTC),
    }
    fields.update(overrides)
    if "decision" in overrides:
        fields["authority"] = overrides.get("authority", overrides["decision"].authority)
        fields["year"] = overrides.get("year", overrides["decision"].achievement_year)
    award = Award(**fields)
    with transaction.atomic():
        award.save()
    return award


def test_raw_award_helper_itself_saves():
    assert raw_award().pk


def test_award_needs_a_recipient():
    with pytest.raises(IntegrityError, match="(?i)award_exactly_one_recipient"):
        raw_award(person=None, unit=None)


def test_award_cannot_have_both_person_and_unit():
    with pytest.raises(IntegrityError, match="(?i)award_exactly_one_recipient"):
        raw_award(unit=factories.unit())


def test_same_honour_twice_in_force_is_refused():
    first = factories.award()
    with pytest.raises(IntegrityError, match="(?i)unique"):
        raw_award(decision=first.decision, title=first.title, person=first.person,
                  status=AwardStatus.ACTIVE, revocation_number="", revocation_reason="", revoked_at=None)


def test_same_honour_allowed_again_once_revoked():
    first = factories.award()
    Award.objects.filter(pk=first.pk).update(
        status=AwardStatus.REVOKED, revocation_number="2/QĐ", revocation_reason="sai",
        revoked_at=datetime.datetime(2022, 2, 1, tzinfo=datetime.UTC),
    )
    again = raw_award(decision=first.decision, title=first.title, person=first.person,
                      status=AwardStatus.ACTIVE, revocation_number="", revocation_reason="", revoked_at=None)
    assert again.pk


def test_individual_title_refused_for_a_unit():
    individual_only = factories.title(recipient_for=TitleFor.INDIVIDUAL)
    with pytest.raises(IntegrityError, match="award_title_fits_recipient"):
        raw_award(person=None, unit=factories.unit(), title=individual_only)


def test_collective_title_refused_for_a_person():
    collective_only = factories.title(recipient_for=TitleFor.COLLECTIVE)
    with pytest.raises(IntegrityError, match="award_title_fits_recipient"):
        raw_award(title=collective_only)


def test_title_cannot_turn_against_its_awards():
    award = factories.award(title_=factories.title(recipient_for=TitleFor.BOTH))
    award.title.recipient_for = TitleFor.COLLECTIVE
    with pytest.raises(IntegrityError, match="title_recipient_for"), transaction.atomic():
        award.title.save()


def test_award_carries_its_decisions_authority_and_year():
    with pytest.raises(IntegrityError, match="award_matches_decision"):
        raw_award(authority=factories.authority())
    with pytest.raises(IntegrityError, match="award_matches_decision"):
        raw_award(year=1999)


def test_decision_with_awards_keeps_authority_and_year():
    decision = factories.award().decision
    decision.achievement_year = 2019
    with pytest.raises(IntegrityError, match="decision_key"), transaction.atomic():
        decision.save()


def test_register_number_unique_per_authority_and_year():
    first = factories.award()
    with pytest.raises(IntegrityError, match="(?i)unique"):
        raw_award(decision=first.decision, register_number=first.register_number)


def test_register_number_may_repeat_in_another_book():
    a = factories.award(year=2020)
    b = factories.award(year=2021, authority_=a.authority)
    assert a.register_number == b.register_number == 1


def test_revoked_award_must_say_why():
    with pytest.raises(IntegrityError, match="(?i)award_revocation_recorded"):
        raw_award(revocation_reason="")


def test_service_number_unique_when_present():
    factories.person(service_number="QN-1")
    factories.person(service_number=None)
    factories.person(service_number="")  # blank means unknown and is stored as NULL
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.person(service_number="QN-1")
    assert Person.objects.filter(service_number__isnull=True).count() == 2


def test_unit_cannot_be_its_own_parent():
    u = factories.unit()
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=u.pk).update(parent=u)


def test_subtree_is_one_query(django_assert_num_queries):
    root = factories.unit(full_name="Tổng cục")
    cuc = factories.unit(parent=root, full_name="Cục")
    phong = factories.unit(parent=cuc, full_name="Phòng")
    other = factories.unit(full_name="Khác")
    with django_assert_num_queries(1):
        assert set(Unit.objects.subtree(root)) == {root, cuc, phong}
    assert set(Unit.objects.subtree(cuc)) == {cuc, phong}
    assert other not in Unit.objects.subtree(root)


def test_moving_a_unit_moves_its_subtree():
    a, b = factories.unit(full_name="A"), factories.unit(full_name="B")
    child = factories.unit(parent=a, full_name="Con")
    grandchild = factories.unit(parent=child, full_name="Cháu")
    child.parent = b
    child.save()
    grandchild.refresh_from_db()
    assert grandchild.path.startswith(b.path) and grandchild.depth == 2
    assert set(Unit.objects.subtree(b)) == {b, child, grandchild}
    assert set(Unit.objects.subtree(a)) == {a}


def test_awards_within_a_unit_roll_up_in_one_query(django_assert_num_queries):
    root = factories.unit(full_name="Cục")
    office = factories.unit(parent=root, full_name="Phòng")
    inside = factories.award(person_=factories.person(unit_=office))
    outside = factories.award()
    with django_assert_num_queries(1):
        found = list(Award.objects.within(office))
    assert found == [inside] and outside not in found
    # A root asks first whether it is the only tree (then everything is within it, no join).
    with django_assert_num_queries(2):
        found = list(Award.objects.within(root))
    assert found == [inside] and outside not in found


def test_triggers_are_installed():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
            assert cursor.fetchone()[0] == 6
        else:
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")
            assert cursor.fetchone()[0] == 3
