"""The rules as the law words them (DOMAIN.md), seeded by seed_rules, on hand-made histories.

The first tests are the cases the rules seeded before issue 16 got wrong; each fails on those
rules (one chain of AND'ed titles) and passes on the seeded ones now.
"""

import datetime

import pytest

from awards import rules, services
from awards.choices import (
    AuthorityLevel,
    DecisionKind,
    DisciplineForm,
    QuotaBase,
    Rank,
    RecognitionLevel,
    RuleKind,
    RuleRecipients,
    TaskRating,
    TitleCategory,
    TitleFor,
)
from awards.models import Discipline, EligibilityRule, Initiative, Person, Rating, ServiceBreak
from awards.services import RecipientRow
from tests import factories

pytestmark = pytest.mark.django_db

XS, GOOD, DONE = TaskRating.EXCELLENT, TaskRating.GOOD, TaskRating.COMPLETED
BASE, MINISTRY, NATIONAL = RecognitionLevel.GRASSROOTS, RecognitionLevel.MINISTRY, RecognitionLevel.NATIONAL
EMULATION, COMMENDATION = TitleCategory.EMULATION_TITLE, TitleCategory.COMMENDATION
LAW_TITLES = [
    ("cstt", "Chiến sĩ tiên tiến", EMULATION, TitleFor.INDIVIDUAL, 20),
    ("ldtt", "Lao động tiên tiến", EMULATION, TitleFor.INDIVIDUAL, 20),
    ("cstdcs", "Chiến sĩ thi đua cơ sở", EMULATION, TitleFor.INDIVIDUAL, 40),
    ("tq", "Chiến sĩ thi đua toàn quân", EMULATION, TitleFor.INDIVIDUAL, 70),
    ("tqg", "Chiến sĩ thi đua toàn quốc", EMULATION, TitleFor.INDIVIDUAL, 90),
    ("dvqt", "Đơn vị quyết thắng", EMULATION, TitleFor.COLLECTIVE, 50),
    ("bk", "Bằng khen", COMMENDATION, TitleFor.BOTH, 60),
    ("gk", "Giấy khen", COMMENDATION, TitleFor.BOTH, 25),
    ("cvv3", "Huy chương Chiến sĩ vẻ vang hạng Ba", COMMENDATION, TitleFor.INDIVIDUAL, 80),
    ("cvv2", "Huy chương Chiến sĩ vẻ vang hạng Nhì", COMMENDATION, TitleFor.INDIVIDUAL, 81),
]


@pytest.fixture
def law():
    """The titles and authorities DOMAIN.md names, with the rules seed_rules makes for them."""
    made = {code: factories.title(name=name, code=code, category=category, recipient_for=for_, rank_order=order)
            for code, name, category, for_, order in LAW_TITLES}
    made["minister"] = factories.authority(name="Bộ trưởng Bộ Quốc phòng", level=AuthorityLevel.MINISTRY)
    made["pm"] = factories.authority(name="Thủ tướng Chính phủ", level=AuthorityLevel.GOVERNMENT)
    made["head"] = factories.authority(name="Cục trưởng Cục Thử nghiệm")
    assert rules.seed_domain_rules() > 20
    return made


def give(recipient, title, year, authority, kind=DecisionKind.ANNUAL):
    """History as it stands, recorded whatever the rules say."""
    row = RecipientRow(person=recipient, title=title) if isinstance(recipient, Person) else \
        RecipientRow(unit=recipient, title=title)
    return factories.grant(rows=[row], authority_=authority, year=year, kind=kind, justification="dữ liệu kiểm thử")[0]


def rate(recipient, years, rating):
    for year in years:
        key = {"person": recipient} if isinstance(recipient, Person) else {"unit": recipient}
        services.evidence_save(instance=Rating(year=year, rating=rating, **key), by=None)


def initiative(person, year, level, name="Sáng kiến cải tiến quy trình kiểm định"):
    services.evidence_save(instance=Initiative(person=person, year=year, level=level, name=name), by=None)


def discipline(person, day, until=None):
    services.evidence_save(instance=Discipline(person=person, form=DisciplineForm.REPRIMAND, decision="3/QĐ-KL",
                                               decided_on=day, ends_on=until), by=None)


def unmet(recipient, title, year, authority=None, kind=DecisionKind.ANNUAL):
    key = ("p", recipient.pk) if isinstance(recipient, Person) else ("u", recipient.pk)
    record = rules.records([recipient])[key]
    loaded = rules.load_rules(kind=kind)
    return [why for _r, why in rules.unmet(title=title, authority_id=authority.pk if authority else None, year=year,
                                           record=record, rules=loaded)]


def candidates(unit, year, title, authority=None, kind=DecisionKind.ANNUAL):
    found = rules.candidates(unit=unit, year=year, kind=kind)
    for target, listed in found.items():
        if target.title == title and target.authority_id == (authority.pk if authority else None):
            return {c.recipient.pk: c for c in listed}
    return {}


# ---- the cases of issue 16's first paragraph ------------------------------------------------------

def test_a_civilians_lao_dong_tien_tien_counts_toward_chien_si_thi_dua_co_so(law):
    unit = factories.unit()
    civilian = factories.person(unit_=unit, rank=None, full_name="Lê Thị Công Nhân")
    give(civilian, law["ldtt"], 2021, law["head"])
    rate(civilian, [2021], XS)
    assert unmet(civilian, law["cstdcs"], 2021) == []
    assert civilian.pk in candidates(unit, 2021, law["cstdcs"])


def test_the_years_behind_a_chien_si_thi_dua_toan_quan_do_not_count_again(law):
    unit = factories.unit()
    p = factories.person(unit_=unit)
    for year in range(2019, 2025):
        give(p, law["cstdcs"], year, law["head"])
    initiative(p, 2021, MINISTRY)
    initiative(p, 2022, MINISTRY)
    initiative(p, 2024, MINISTRY)
    give(p, law["tq"], 2021, law["minister"])
    assert unmet(p, law["tq"], 2022) == [
        "các năm trước 2022 đã được tính cho lần tặng năm 2021"]
    assert p.pk not in candidates(unit, 2022, law["tq"])
    assert p.pk not in candidates(unit, 2023, law["tq"])
    assert unmet(p, law["tq"], 2024) == []  # 2022–2024: a new cycle
    assert p.pk in candidates(unit, 2024, law["tq"])


def test_chien_si_thi_dua_toan_quoc_is_considered_the_year_after_the_second_toan_quan_cycle(law):
    unit = factories.unit()
    p = factories.person(unit_=unit)
    for year in range(2016, 2023):
        give(p, law["cstdcs"], year, law["head"])
    give(p, law["tq"], 2018, law["minister"])
    give(p, law["tq"], 2021, law["minister"])
    initiative(p, 2020, NATIONAL)
    assert unmet(p, law["tqg"], 2022) == []
    assert p.pk in candidates(unit, 2022, law["tqg"])
    # Not after the first cycle and four more years, nor in the second cycle's own year.
    assert unmet(p, law["tqg"], 2021) and p.pk not in candidates(unit, 2021, law["tqg"])
    assert unmet(p, law["tqg"], 2019) and p.pk not in candidates(unit, 2019, law["tqg"])


def test_a_sudden_deed_bang_khen_of_the_minister_is_not_flagged(law):
    p = factories.person()
    sudden = rules.row_warnings([RecipientRow(person=p, title=law["bk"])], authority_id=law["minister"].pk,
                                year=2021, kind=DecisionKind.SUDDEN)
    annual = rules.row_warnings([RecipientRow(person=p, title=law["bk"])], authority_id=law["minister"].pk,
                                year=2021, kind=DecisionKind.ANNUAL)
    assert sudden == {}
    assert annual and "chưa đạt phương án nào" in annual[0][0]
    # And it is recorded without a reason being asked for.
    factories.grant(rows=[RecipientRow(person=p, title=law["bk"])], authority_=law["minister"], year=2021,
                    kind=DecisionKind.SUDDEN)


def test_the_thematic_bang_khen_of_the_prime_minister_to_a_collective_is_not_flagged(law):
    """The seed article's: to the department, for 12 years of implementing an ordinance."""
    department = factories.unit(full_name="Cục Quản lý công nghệ")
    for kind in (DecisionKind.CAMPAIGN, DecisionKind.ANNUAL):
        assert rules.row_warnings([RecipientRow(unit=department, title=law["bk"])], authority_id=law["pm"].pk,
                                  year=2021, kind=kind) == {}
    factories.grant(rows=[RecipientRow(unit=department, title=law["bk"])], authority_=law["pm"], year=2021,
                    kind=DecisionKind.CAMPAIGN)


# ---- each kind of condition ------------------------------------------------------------------------

def test_chien_si_thi_dua_co_so_needs_one_of_two_alternatives_and_says_so_in_one_sentence(law):
    unit = factories.unit()
    by_rating, by_initiative, neither = (factories.person(unit_=unit) for _ in range(3))
    for p in (by_rating, by_initiative, neither):
        give(p, law["cstt"], 2021, law["head"])
    rate(by_rating, [2021], XS)
    rate(by_initiative, [2021], GOOD)
    initiative(by_initiative, 2021, BASE)
    rate(neither, [2021], GOOD)
    assert unmet(by_rating, law["cstdcs"], 2021) == unmet(by_initiative, law["cstdcs"], 2021) == []
    [why] = unmet(neither, law["cstdcs"], 2021)
    assert why == ("chưa đạt phương án nào: (1) cần xếp loại “Hoàn thành xuất sắc nhiệm vụ” trở lên năm 2021; chưa "
                   "đạt năm 2021 — hoặc — (2) cần 1 sáng kiến, đề tài được công nhận từ cấp cơ sở trở lên trong năm "
                   "2021; mới có 0")
    assert set(candidates(unit, 2021, law["cstdcs"])) == {by_rating.pk, by_initiative.pk}


def test_an_initiative_counts_only_at_its_level_or_above(law):
    p = factories.person()
    for year in (2019, 2020, 2021):
        give(p, law["cstdcs"], year, law["head"])
    initiative(p, 2020, BASE)
    assert unmet(p, law["tq"], 2021) == [
        "cần 1 sáng kiến, đề tài được công nhận từ cấp bộ / toàn quân trở lên trong năm 2019–2021; mới có 0"]
    initiative(p, 2021, NATIONAL)  # above the level asked: it counts
    assert unmet(p, law["tq"], 2021) == []


def test_a_discipline_bars_the_years_it_runs_over_and_no_other(law):
    unit = factories.unit()
    p = factories.person(unit_=unit)
    give(p, law["cstt"], 2021, law["head"])
    give(p, law["cstt"], 2022, law["head"])
    rate(p, [2021, 2022], XS)
    discipline(p, datetime.date(2020, 11, 2), until=datetime.date(2021, 3, 1))
    assert unmet(p, law["cstdcs"], 2021) == ["bị kỷ luật năm 2021 nên không được xét"]
    assert p.pk not in candidates(unit, 2021, law["cstdcs"])
    assert unmet(p, law["cstdcs"], 2022) == []
    assert p.pk in candidates(unit, 2022, law["cstdcs"])


def test_the_prime_ministers_bang_khen_follows_the_ministers_with_five_years_of_excellence(law):
    unit = factories.unit()
    ready, gap, other_authority, revoked = (factories.person(unit_=unit) for _ in range(4))
    for p in (ready, gap, revoked):
        give(p, law["bk"], 2016, law["minister"])
    give(other_authority, law["bk"], 2016, law["head"])  # a Bằng khen, but not a ministry's
    for p in (ready, other_authority, revoked):
        rate(p, range(2017, 2022), XS)
    rate(gap, [2017, 2018, 2020, 2021], XS)
    rate(gap, [2019], GOOD)
    award = revoked.awards.get()
    services.award_revoke(award=award, by=None, number="9/QĐ", date=datetime.date(2019, 1, 1), reason="sai hồ sơ")
    assert unmet(ready, law["bk"], 2021, authority=law["pm"]) == []
    assert unmet(gap, law["bk"], 2021, authority=law["pm"]) == [
        "cần 5 năm liên tục đạt xếp loại “Hoàn thành xuất sắc nhiệm vụ” trở lên sau “Bằng khen” năm 2016; "
        "chưa đạt: 2019"]
    assert unmet(other_authority, law["bk"], 2021, authority=law["pm"])
    assert unmet(revoked, law["bk"], 2021, authority=law["pm"])
    assert set(candidates(unit, 2021, law["bk"], authority=law["pm"])) == {ready.pk}
    # Granted in 2021, the same Bằng khen of 2016 does not lead to another one.
    give(ready, law["bk"], 2021, law["pm"])
    rate(ready, [2022], XS)
    assert unmet(ready, law["bk"], 2022, authority=law["pm"])
    assert ready.pk not in candidates(unit, 2022, law["bk"], authority=law["pm"])


def test_a_collective_title_counts_over_the_units_members(law):
    unit = factories.unit()
    team = factories.unit(parent=unit)
    people = [factories.person(unit_=team if i % 2 else unit) for i in range(10)]
    rate(unit, [2021], XS)
    for p in people:
        rate(p, [2021], GOOD)
    for p in people[:7]:
        give(p, law["cstt"], 2021, law["head"])
    give(people[0], law["cstdcs"], 2021, law["head"])
    assert unmet(unit, law["dvqt"], 2021) == []
    assert unit.pk in candidates(None, 2021, law["dvqt"])
    # 7 of the unit's 10, but 3 of the team's 5 (the team's own rating is missing too).
    assert any("cần 70% quân số" in w and "3/5" in w for w in unmet(team, law["dvqt"], 2021))
    discipline(people[9], datetime.date(2021, 6, 1))
    assert unmet(unit, law["dvqt"], 2021) == ["có 1 người trong đơn vị bị kỷ luật năm 2021"]
    assert unit.pk not in candidates(None, 2021, law["dvqt"])


def test_a_quota_can_count_against_the_headcount(law):
    unit = factories.unit()
    people = [factories.person(unit_=unit) for _ in range(20)]
    rule = EligibilityRule.objects.get(title=law["cstdcs"], kind=RuleKind.QUOTA)
    for p in people[:4]:
        give(p, law["cstt"], 2021, law["head"])
    give(people[0], law["cstdcs"], 2021, law["head"])
    [check] = rules.quota_checks(unit=unit, year=2021)
    assert (check.base, check.limit, check.over) == (4, 0, True)  # 15% of the 4 advanced
    rule.quota_base = QuotaBase.HEADCOUNT
    rule.save()
    [check] = rules.quota_checks(unit=unit, year=2021)
    assert (check.base, check.limit, check.over) == (20, 3, False)
    assert "quân số 20" in check.message


def test_length_of_service_counts_from_enlistment_less_the_breaks_and_is_granted_once(law):
    unit = factories.unit()
    straight = factories.person(unit_=unit, enlisted_on=datetime.date(2011, 9, 1))
    broken = factories.person(unit_=unit, enlisted_on=datetime.date(2010, 3, 1))
    holder = factories.person(unit_=unit, enlisted_on=datetime.date(2000, 9, 1))
    civilian = factories.person(unit_=unit, rank=None)
    services.service_break_save(instance=ServiceBreak(person=broken, start=datetime.date(2015, 1, 1),
                                                      end=datetime.date(2016, 12, 31)), by=None)
    give(holder, law["cvv3"], 2012, law["minister"], kind=DecisionKind.SERVICE)
    broken.refresh_from_db()
    assert (straight.service_years(2021), broken.service_years(2021), holder.service_years(2021)) == (10, 9, 21)
    found = candidates(unit, 2021, law["cvv3"], kind=DecisionKind.SERVICE)
    assert set(found) == {straight.pk}
    assert found[straight.pk].service_years == 10
    assert unmet(broken, law["cvv3"], 2021, kind=DecisionKind.SERVICE) == [
        "cần đủ 10 năm công tác tính đến hết năm 2021; mới có 9 năm"]
    assert unmet(holder, law["cvv3"], 2021, kind=DecisionKind.SERVICE) == [
        "đã được tặng năm 2012; hình thức này chỉ tặng một lần"]
    assert unmet(civilian, law["cvv3"], 2021, kind=DecisionKind.SERVICE) == [
        "cần đủ 10 năm công tác; chưa ghi ngày nhập ngũ",
        "chỉ dành cho quân nhân (có cấp bậc); người này không phải"]
    assert set(candidates(unit, 2021, law["cvv2"], kind=DecisionKind.SERVICE)) == {holder.pk}
    # The annual list does not offer medals of length of service.
    assert not candidates(unit, 2021, law["cvv3"])


def test_a_condition_for_soldiers_binds_soldiers_and_lets_civilians_pass(law):
    unit = factories.unit()
    soldier = factories.person(unit_=unit)
    civilian = factories.person(unit_=unit, rank=None)
    gk = law["gk"]
    rule = EligibilityRule.objects.create(title=gk, kind=RuleKind.RATING, min_rating=XS,
                                          recipients=RuleRecipients.SOLDIER)
    assert rule.recipients == RuleRecipients.SOLDIER
    assert unmet(soldier, gk, 2021) and unmet(civilian, gk, 2021) == []
    assert set(candidates(unit, 2021, gk)) == {civilian.pk}


# ---- property: the set-based lists agree with the one-by-one evaluation, every kind of condition ----

from decimal import Decimal  # noqa: E402

from django.db import transaction  # noqa: E402
from hypothesis import HealthCheck, event, given, settings as hsettings, strategies as st  # noqa: E402

POOL = ["cstt", "ldtt", "cstdcs", "tq"]
PERSON_KINDS = [RuleKind.SAME_YEAR, RuleKind.CONSECUTIVE, RuleKind.WITHIN, RuleKind.AFTER, RuleKind.RATING,
                RuleKind.INITIATIVE, RuleKind.CLEAN, RuleKind.FIRST_TIME, RuleKind.SERVICE, RuleKind.SOLDIER,
                RuleKind.CIVILIAN]
UNIT_KINDS = [RuleKind.SAME_YEAR, RuleKind.CONSECUTIVE, RuleKind.WITHIN, RuleKind.AFTER, RuleKind.RATING,
              RuleKind.CLEAN, RuleKind.FIRST_TIME, RuleKind.MEMBERS_SHARE, RuleKind.MEMBERS_COUNT,
              RuleKind.MEMBERS_CLEAN]
YEARS = st.integers(2015, 2022)


def conditions(kinds, titles):
    return st.lists(st.tuples(
        st.sampled_from(kinds), st.sampled_from(titles), st.integers(1, 2), st.integers(1, 2), st.booleans(),
        st.booleans(), st.sampled_from(["", "", "g1", "g2"]), st.sampled_from(["", "a", "b"]),
        st.sampled_from([None, DONE, GOOD, XS]), st.sampled_from([None, BASE, MINISTRY]), st.booleans(),
        st.sampled_from([30, 50, 100]), st.booleans(), st.sampled_from(["", "", "", "individual", "collective",
                                                                         "soldier", "civilian"])),
        min_size=1, max_size=3)


YEAR_SETS = st.one_of(st.just(set(range(2016, 2023))), st.sets(st.integers(2016, 2022), min_size=3, max_size=7),
                      st.sets(st.integers(2016, 2022), max_size=3))
FEW_YEARS = st.sets(st.integers(2016, 2022), max_size=2)
histories = st.fixed_dictionaries({
    # Per person: the years of each title, whether they came from the main authority, one revoked.
    "awards": st.lists(st.tuples(st.fixed_dictionaries({"cstt": YEAR_SETS, "ldtt": YEAR_SETS, "cstdcs": YEAR_SETS,
                                                        "tq": FEW_YEARS}), st.booleans(),
                                 st.sampled_from([None, *POOL])), min_size=6, max_size=6),
    "unit_awards": st.lists(st.tuples(FEW_YEARS, YEAR_SETS), min_size=2, max_size=2),
    "ratings": st.lists(st.lists(st.sampled_from([None, DONE, GOOD, XS, XS, XS]), min_size=7, max_size=7),
                        min_size=8, max_size=8),
    "initiatives": st.lists(st.tuples(st.integers(0, 5), YEARS, st.sampled_from(list(RecognitionLevel))),
                            max_size=8),
    "disciplines": st.lists(st.tuples(st.integers(0, 5), YEARS, st.integers(0, 1)), max_size=2),
    "enlisted": st.lists(st.one_of(st.none(), st.integers(1995, 2015)), min_size=6, max_size=6),
    "civilian": st.lists(st.booleans(), min_size=6, max_size=6),
})


def _history(people, units, law, history, main, other):
    """The awards of the drawn history, one decision per authority, title and year (with a reason)."""
    grouped = {}
    for person, (years, from_main, _revoked) in zip(people, history["awards"]):
        for code, held in years.items():
            title = law[code]
            for y in held:
                grouped.setdefault((main if from_main else other, title, y), []).append(
                    RecipientRow(person=person, title=title))
    for unit, held in zip(units, history["unit_awards"]):
        for code, years in zip(("dvqt", "gk"), held):
            for y in years:
                grouped.setdefault((main, law[code], y), []).append(RecipientRow(unit=unit, title=law[code]))
    for (authority, _title, y), rows in grouped.items():
        factories.grant(rows=rows, authority_=authority, year=y, justification="dữ liệu kiểm thử")
    for person, (_years, _main, revoked) in zip(people, history["awards"]):
        award = person.awards.filter(title=law[revoked]).first() if revoked else None
        if award is not None:
            services.award_revoke(award=award, by=None, number="1/QĐ", date=award.decision.date, reason="x")
    Rating.objects.bulk_create([
        Rating(year=2016 + i, rating=r, **({"person": who} if isinstance(who, Person) else {"unit": who}))
        for who, row in zip([*people, *units], history["ratings"]) for i, r in enumerate(row) if r])


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(history=histories, person_rules=conditions(PERSON_KINDS, POOL), unit_rules=conditions(UNIT_KINDS, ["gk", "cstt", "dvqt"]),
       year=st.integers(2018, 2022))
def test_candidates_agree_with_each_recipients_evaluation_for_every_kind_of_condition(law, history, person_rules,
                                                                                    unit_rules, year):
    with transaction.atomic():
        main, other = law["minister"], law["head"]
        top = factories.unit()
        units = [top, factories.unit(parent=top)]
        people = [factories.person(unit_=units[i % 2], rank=None if history["civilian"][i] else Rank.DAI_UY,
                                   enlisted_on=datetime.date(history["enlisted"][i], 5, 1)
                                   if history["enlisted"][i] else None) for i in range(6)]
        targets = {"person": law["tq"], "unit": law["dvqt"]}
        EligibilityRule.objects.filter(title__in=targets.values()).delete()  # only the drawn conditions
        _history(people, units, law, history, main, other)
        for who, y, level in history["initiatives"]:
            initiative(people[who], y, level)
        for who, y, span in history["disciplines"]:
            discipline(people[who], datetime.date(y, 3, 1), until=datetime.date(y + span, 3, 1))
        for title, rule_set in ((targets["person"], person_rules), (targets["unit"], unit_rules)):
            for (kind, req, years, count, last_year, consumes, group, option, rating, level, only_main, percent,
                 then_title, recipients) in rule_set:
                made = EligibilityRule(
                    title=title, kind=kind, required_title=law[req], years=years, count=count,
                    ending_last_year=last_year, consumes=consumes, any_of=group, option=option,
                    min_rating=rating or (XS if kind == RuleKind.RATING or (kind == RuleKind.AFTER and not then_title)
                                          else None),
                    min_level=level, percent=Decimal(percent), recipients=recipients,
                    then_title=law["cstt"] if then_title else None)
                if kind == RuleKind.MEMBERS_SHARE and rating:
                    made.required_title = None
                made.save()
                made.also_titles.set([law["ldtt"]] if req == "cstt" and then_title else [])
                made.required_authorities.set([main] if only_main else [])
        loaded = rules.load_rules(kind=DecisionKind.ANNUAL)
        found = rules.candidates(unit=top, year=year, evidence=False)
        records = rules.records([*people, *units])
        for field_name, recipients_ in (("person", people), ("unit", units)):
            title = targets[field_name]
            listed = {c.recipient.pk for c in found.get(rules.Target(title, None), [])}
            expected = set()
            for r in recipients_:
                record = records[("p" if field_name == "person" else "u", r.pk)]
                holds = bool(record.held.get((year, title.pk)))
                if not holds and not rules.unmet(title=title, authority_id=None, year=year, record=record,
                                                 rules=loaded):
                    expected.add(r.pk)
            if rules.Target(title, None) not in found:
                event(f"{field_name}: no condition binds")
                # No condition binds this kind of recipient: no list, and nobody is held back either.
                assert all(not rules.unmet(title=title, authority_id=None, year=year,
                                           record=records[("p" if field_name == "person" else "u", r.pk)],
                                           rules=loaded) for r in recipients_)
                continue
            event(f"{field_name}: {'some' if expected else 'no'} candidates, {len(recipients_) - len(expected)} held back")
            assert listed == expected, (field_name, listed, expected)
        transaction.set_rollback(True)
