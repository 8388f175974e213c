"""The invariants the database itself enforces, each tried by going around the services."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from awards.choices import AwardStatus, TitleFor
from awards import text
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
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name NOT LIKE '%_fts_%'")
            assert cursor.fetchone()[0] == 6
            # and the search indexes' three each (insert, delete, update of the key)
            cursor.execute("SELECT tbl_name, count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_fts_%' "
                           "GROUP BY tbl_name ORDER BY tbl_name")
            assert cursor.fetchall() == [("awards_award", 3), ("awards_person", 3), ("awards_unit", 3)]
        else:
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")
            assert cursor.fetchone()[0] == 3


@pytest.mark.django_db(transaction=True)
def test_the_search_index_follows_every_write_of_a_key_and_a_refused_write_leaves_it_as_it_was():
    """Whatever writes a search key (a save, a bulk insert, a queryset update, a delete), the
    search sees the change at once; a transaction rolled back takes its index changes with it."""
    from django.db import transaction

    from awards.models import Award, Person, Unit

    office = factories.unit(full_name="Phòng Kỹ thuật", short_name="PKT")
    an = factories.person(full_name="Nguyễn Văn An", unit_=office)
    assert list(Person.objects.search("nguyen van an")) == [an]
    an.full_name = "Nguyễn Văn Bình"
    an.save()
    assert not Person.objects.search("van an").exists() and list(Person.objects.search("VĂN BÍNH")) == [an]
    many = [Person(full_name=f"Trần Thị Huyền {i}", unit=office) for i in range(3)]
    for person in many:
        person.normalize()
    Person.objects.bulk_create(many)
    assert Person.objects.search("tran thi huyen").count() == 3
    Person.objects.filter(full_name__startswith="Trần").update(search_key="le thi hoa")
    assert Person.objects.search("tran thi").count() == 0 and Person.objects.search("le thi hoa").count() == 3
    with pytest.raises(RuntimeError), transaction.atomic():
        Person.objects.filter(search_key="le thi hoa").update(search_key="pham van dong")
        assert Person.objects.search("pham van dong").count() == 3
        raise RuntimeError
    assert Person.objects.search("pham van dong").count() == 0 and Person.objects.search("le thi hoa").count() == 3
    Person.objects.filter(search_key="le thi hoa").delete()
    assert Person.objects.search("le thi").count() == 0
    award = factories.award(person_=an)
    assert list(Award.objects.search("văn bình")) == [award] and list(Unit.objects.search("ky thuat")) == [office]


def test_a_search_anywhere_in_a_name_is_read_from_an_index_on_either_engine(monkeypatch):
    """SQLite answers from the FTS5 trigram index (PostgreSQL's GIN index is tested with the
    pages): asked once for the ids of a few matches, or as a subquery for many; a query of fewer
    than three letters, which trigrams cannot serve, is a LIKE; each finds exactly what a LIKE
    over the key finds."""
    from django.test.utils import CaptureQueriesContext

    from awards.models import Award, Person, SearchQuerySet

    office = factories.unit(full_name="Phòng Kỹ thuật")
    names = ["Nguyễn Văn An", "Nguyễn Văn Anh", "Đoàn Thị Ánh", "Lê An", "Trần Quốc \"Tuấn\" Anh", "Hà Thu",
             "Tổ 50% A_B", "Tổ 50 AxB"]
    for name in names:
        factories.award(person_=factories.person(full_name=name, unit_=office))
    queries = ["an", "van an", "anh", "doan thi anh", "\"tuan\"", "ha", "thu", "xyz", "le an", "n v", "50%", "a_b",
               "0 a"]
    for limit in (5000, 1):  # ids read once; the subquery when more match than the limit
        monkeypatch.setattr(SearchQuerySet, "SEARCH_LIST_LIMIT", limit)
        for query in queries:
            folded = text.fold(query)
            expected = set(Person.objects.filter(search_key__contains=folded).values_list("pk", flat=True))
            assert set(Person.objects.search(query).values_list("pk", flat=True)) == expected, (query, limit)
            assert Award.objects.search(query).count() == Award.objects.filter(
                search_key__contains=folded).count(), (query, limit)
    if connection.vendor == "sqlite":
        monkeypatch.setattr(SearchQuerySet, "SEARCH_LIST_LIMIT", 5000)
        with CaptureQueriesContext(connection) as captured:
            assert Award.objects.search("nguyen van a").count() == 2
        assert "awards_award_fts MATCH" in captured[0]["sql"] and "LIKE" not in captured[-1]["sql"]
        monkeypatch.setattr(SearchQuerySet, "SEARCH_LIST_LIMIT", 1)
        sql, params = Award.objects.search("nguyen van a").query.sql_with_params()  # 2 > the limit of 1
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "awards_award_fts VIRTUAL TABLE INDEX" in plan, plan
