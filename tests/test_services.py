import datetime
import threading

import pytest
from django.db import connection, connections

from awards import roles, services
from awards.choices import AuditAction, AwardStatus, Rank, TitleFor
from awards.models import Award, AuditEntry, Decision, RegisterCounter
from awards.services import RecipientRow, RegistryError, StaleEditError
from tests import factories

pytestmark = pytest.mark.django_db


def state():
    return (
        Decision.objects.count(), Award.objects.count(), AuditEntry.objects.count(),
        list(RegisterCounter.objects.values_list("last_number", flat=True)),
    )


def test_grant_numbers_the_register_without_gaps_and_snapshots_the_person():
    office = factories.unit(full_name="Phòng Công nghệ sản xuất")
    people = [factories.person(unit_=office, rank=Rank.THIEU_TA, position="Trợ lý") for _ in range(3)]
    gk = factories.title(recipient_for=TitleFor.BOTH)
    awards = factories.grant(rows=[RecipientRow(person=p, title=gk) for p in people], year=2021)
    assert [a.register_number for a in awards] == [1, 2, 3]
    assert [a.seq for a in awards] == [1, 2, 3]
    first = awards[0]
    assert (first.rank, first.position, first.unit_name) == (Rank.THIEU_TA, "Trợ lý", "Phòng Công nghệ sản xuất")
    assert first.achievement == first.decision.reason
    more = factories.grant(rows=[RecipientRow(person=factories.person(), title=gk)],
                           authority_=first.authority, year=2021)
    assert more[0].register_number == 4


def test_snapshot_does_not_follow_a_promotion():
    award = factories.award(person_=factories.person(rank=Rank.DAI_UY, position="Trợ lý"))
    person = award.person
    person.rank, person.position = Rank.THIEU_TA, "Phó trưởng phòng"
    services.record_save(instance=person, by=None)
    award.refresh_from_db()
    assert (award.rank, award.position) == (Rank.DAI_UY, "Trợ lý")


def test_verification_codes_are_long_and_distinct():
    awards = factories.grant(rows=[RecipientRow(person=factories.person(), title=factories.title()) for _ in range(5)])
    codes = {a.verification_code for a in awards}
    assert len(codes) == 5
    assert all(len(c) == 26 for c in codes)  # 16 random bytes in base 32


def test_a_bad_row_saves_nothing():
    collective_only = factories.title(recipient_for=TitleFor.COLLECTIVE)
    ok_title = factories.title()
    before = state()
    rows = [
        RecipientRow(person=factories.person(), title=ok_title),
        RecipientRow(person=factories.person(), title=collective_only),
        RecipientRow(person=factories.person(), title=ok_title),
    ]
    with pytest.raises(RegistryError) as caught:
        factories.grant(rows=rows)
    assert set(caught.value.row_errors) == {1}
    assert "chỉ tặng cho tập thể" in caught.value.row_errors[1][0]
    assert state() == before


def test_row_with_two_or_no_recipients_is_refused():
    rows = [RecipientRow(person=factories.person(), unit=factories.unit(), title=factories.title()),
            RecipientRow(title=factories.title())]
    with pytest.raises(RegistryError) as caught:
        factories.grant(rows=rows)
    assert set(caught.value.row_errors) == {0, 1}


def test_duplicate_honour_is_refused_with_the_earlier_decision():
    first = factories.award()
    before = state()
    with pytest.raises(RegistryError) as caught:
        factories.grant(rows=[RecipientRow(person=first.person, title=first.title)],
                        authority_=first.authority, year=first.year)
    assert first.decision.number in caught.value.row_errors[0][0]
    assert state() == before


def test_same_honour_from_another_authority_or_year_is_fine():
    first = factories.award(year=2021)
    factories.grant(rows=[RecipientRow(person=first.person, title=first.title)], year=2021)
    factories.grant(rows=[RecipientRow(person=first.person, title=first.title)], authority_=first.authority, year=2020)
    assert Award.objects.filter(person=first.person).count() == 3


def test_duplicate_within_the_same_list_is_refused():
    p, t = factories.person(), factories.title()
    with pytest.raises(RegistryError) as caught:
        factories.grant(rows=[RecipientRow(person=p, title=t), RecipientRow(person=p, title=t)])
    assert list(caught.value.row_errors) == [1]
    assert "dòng 1" in caught.value.row_errors[1][0]


def test_officer_cannot_grant_outside_own_units():
    cuc = factories.unit(full_name="Cục A")
    office = factories.unit(parent=cuc, full_name="Phòng A1")
    elsewhere = factories.unit(full_name="Cục B")
    officer = factories.user(role=roles.OFFICER, scope=cuc)
    t = factories.title()
    before = state()
    with pytest.raises(RegistryError) as caught:
        factories.grant(by=officer, rows=[RecipientRow(person=factories.person(unit_=office), title=t),
                                          RecipientRow(person=factories.person(unit_=elsewhere), title=t)])
    assert set(caught.value.row_errors) == {1}
    assert state() == before
    factories.grant(by=officer, rows=[RecipientRow(person=factories.person(unit_=office), title=t)])


def test_grant_is_audited():
    officer = factories.user(role=roles.ADMINISTRATOR)
    award = factories.award(by=officer)
    entries = AuditEntry.objects.filter(object_id=str(award.pk), content_type__model="award")
    assert [(e.action, e.username) for e in entries] == [(AuditAction.CREATE, officer.username)]
    assert entries[0].changes["recipient_name"] == [None, award.recipient_name]


def test_correct_records_before_and_after():
    award = factories.award()
    officer = factories.user(role=roles.ADMINISTRATOR)
    services.award_correct(award=award, by=officer, expected_version=award.version, position="Trưởng phòng")
    award.refresh_from_db()
    assert award.position == "Trưởng phòng" and award.version == 2
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(award.pk)).get()
    assert entry.changes == {"position": ["Trợ lý", "Trưởng phòng"]}


def test_stale_edit_is_refused_and_loses_nothing():
    award = factories.award()
    opened_at = award.version
    services.award_correct(award=award, by=None, expected_version=opened_at, position="Trưởng phòng")
    with pytest.raises(StaleEditError) as caught:
        services.award_correct(award=award, by=None, expected_version=opened_at, position="Kỹ sư")
    assert caught.value.conflicts == {"position": ("Trưởng phòng", "Kỹ sư")}
    award.refresh_from_db()
    assert award.position == "Trưởng phòng"


def test_correcting_title_to_one_already_held_is_refused():
    p = factories.person()
    a = factories.award(person_=p)
    other_title = factories.title()
    b = factories.grant(rows=[RecipientRow(person=p, title=other_title)], authority_=a.authority, year=a.year)[0]
    with pytest.raises(RegistryError):
        services.award_correct(award=b, by=None, expected_version=b.version, title=a.title)
    b.refresh_from_db()
    assert b.title == other_title


def test_revocation_keeps_the_row_marked():
    award = factories.award()
    count = Award.objects.count()
    services.award_revoke(award=award, by=None, number="3/QĐ-TEST", date=datetime.date(2023, 5, 1),
                          reason="Hồ sơ không trung thực")
    award.refresh_from_db()
    assert Award.objects.count() == count
    assert award.status == AwardStatus.REVOKED
    assert (award.revocation_number, award.revocation_reason) == ("03/QĐ-TEST", "Hồ sơ không trung thực")
    assert award.register_number == 1
    assert AuditEntry.objects.filter(action=AuditAction.REVOKE, object_id=str(award.pk)).exists()
    with pytest.raises(RegistryError):
        services.award_revoke(award=award, by=None, number="4/QĐ", date=datetime.date(2023, 5, 2), reason="x")


def test_revocation_needs_number_date_and_reason():
    award = factories.award()
    with pytest.raises(RegistryError) as caught:
        services.award_revoke(award=award, by=None, number="", date=None, reason=" ")
    assert set(caught.value.field_errors) == {"revocation_number", "revocation_date", "revocation_reason"}
    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE


def test_decision_with_awards_keeps_its_authority_and_year():
    award = factories.award(year=2021)
    d = award.decision
    with pytest.raises(RegistryError):
        services.decision_update(decision=d, by=None, expected_version=d.version, achievement_year=2020)
    services.decision_update(decision=d, by=None, expected_version=d.version, subject="Về việc tặng Giấy khen")
    d.refresh_from_db()
    assert (d.achievement_year, d.subject, d.version) == (2021, "Về việc tặng Giấy khen", 2)


def test_officer_cannot_correct_a_decision_with_recipients_outside_their_units():
    cuc = factories.unit(full_name="Cục A")
    office = factories.unit(parent=cuc, full_name="Phòng A1")
    t = factories.title()
    d = factories.grant(rows=[RecipientRow(person=factories.person(unit_=office), title=t),
                              RecipientRow(person=factories.person(unit_=cuc), title=t)])[0].decision
    below = factories.user(role=roles.OFFICER, scope=office)
    with pytest.raises(RegistryError):
        services.decision_update(decision=d, by=below, expected_version=d.version, signer_name="Lê Văn A")
    above = factories.user(role=roles.OFFICER, scope=cuc)
    services.decision_update(decision=d, by=above, expected_version=d.version, signer_name="Lê Văn A")
    d.refresh_from_db()
    assert d.signer_name == "Lê Văn A"


def test_decision_number_takes_a_leading_zero():
    assert Decision.normalize_number("5/QĐ-BQP") == "05/QĐ-BQP"
    assert Decision.normalize_number("129A/QĐ-BQP") == "129A/QĐ-BQP"
    assert Decision.normalize_number("45/QĐ-TCCNQP") == "45/QĐ-TCCNQP"


@pytest.mark.django_db(transaction=True)
def test_concurrent_grants_never_collide_or_leave_gaps():
    authority = factories.authority()
    t = factories.title()
    people = [factories.person() for _ in range(12)]
    threads_n, per_thread = 4, 3
    barrier = threading.Barrier(threads_n)
    errors = []

    def officer(index):
        try:
            barrier.wait()
            for k in range(per_thread):
                p = people[index * per_thread + k]
                factories.grant(rows=[RecipientRow(person=p, title=t)], authority_=authority, year=2021)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=officer, args=(i,)) for i in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Award.objects.filter(authority=authority).values_list("register_number", flat=True))
    assert numbers == list(range(1, threads_n * per_thread + 1)), connection.vendor
