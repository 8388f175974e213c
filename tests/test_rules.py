"""Eligibility rules on hand-made histories, and the set-based candidates agreeing with them."""

import itertools
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from awards import rules, services
from awards.choices import RuleKind, TitleCategory, TitleFor
from awards.models import EligibilityRule
from awards.services import RecipientRow
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def titles():
    def title(name, rank):
        return factories.title(name=name, category=TitleCategory.EMULATION_TITLE, recipient_for=TitleFor.INDIVIDUAL,
                               rank_order=rank)
    return {"cstt": title("Chiến sĩ tiên tiến", 20), "cstdcs": title("Chiến sĩ thi đua cơ sở", 40),
            "tq": title("Chiến sĩ thi đua toàn quân", 70), "bk": factories.title(name="Bằng khen", rank_order=60)}


def give(person, title, year, authority):
    """History as it stands, recorded whatever the rules say (the reason is noted)."""
    return factories.grant(rows=[RecipientRow(person=person, title=title)], authority_=authority, year=year,
                           justification="dữ liệu kiểm thử")[0]


def explain_for(person, title, year, authority_id=None):
    loaded = rules.load_rules()
    record = rules.records([person])[("p", person.pk)]
    return [why for _rule, why in rules.unmet(title=title, authority_id=authority_id, year=year, record=record,
                                              rules=loaded)]


def rule(title, kind, required, **kw):
    authorities = kw.pop("authorities", [])
    required_authorities = kw.pop("required_authorities", [])
    made = EligibilityRule.objects.create(title=title, kind=kind, required_title=required, **kw)
    made.authorities.set(authorities)
    made.required_authorities.set(required_authorities)
    return made


def test_same_year(titles):
    rule(titles["cstdcs"], RuleKind.SAME_YEAR, titles["cstt"], citation="Luật TĐKT 2022, Điều 23")
    authority = factories.authority()
    p = factories.person()
    assert explain_for(p, titles["cstdcs"], 2021) == ["cần có “Chiến sĩ tiên tiến” cùng năm 2021; chưa có"]
    give(p, titles["cstt"], 2020, authority)  # the wrong year does not count
    assert explain_for(p, titles["cstdcs"], 2021)
    give(p, titles["cstt"], 2021, authority)
    assert explain_for(p, titles["cstdcs"], 2021) == []


def test_consecutive_years_with_a_gap_revocation_and_the_year_boundary(titles):
    rule(titles["tq"], RuleKind.CONSECUTIVE, titles["cstdcs"], years=3)
    authority = factories.authority()
    p = factories.person()
    for year in (2019, 2021):
        give(p, titles["cstdcs"], year, authority)
    why = explain_for(p, titles["tq"], 2021)
    assert why == ["cần 3 năm liên tục “Chiến sĩ thi đua cơ sở” (2019–2021); có 2019, 2021, thiếu 2020"]
    middle = give(p, titles["cstdcs"], 2020, authority)
    assert explain_for(p, titles["tq"], 2021) == []
    # The run ends in the year asked about: for 2022 the same three years are not enough.
    assert explain_for(p, titles["tq"], 2022)
    # A revoked award does not count.
    services.award_revoke(award=middle, by=None, number="9/QĐ", date=middle.decision.date, reason="Sai")
    assert explain_for(p, titles["tq"], 2021)


def test_consecutive_years_ending_last_year(titles):
    rule(titles["tq"], RuleKind.CONSECUTIVE, titles["cstdcs"], years=2, ending_last_year=True)
    authority = factories.authority()
    p = factories.person()
    give(p, titles["cstdcs"], 2020, authority)
    give(p, titles["cstdcs"], 2021, authority)
    assert explain_for(p, titles["tq"], 2022) == []
    assert explain_for(p, titles["tq"], 2021)


def test_within_the_last_years_and_only_from_the_named_authority(titles):
    ministry, other = factories.authority(name="Bộ trưởng Bộ Quốc phòng"), factories.authority(name="Cục trưởng")
    rule(titles["bk"], RuleKind.WITHIN, titles["bk"], years=5, required_authorities=[ministry])
    p = factories.person()
    give(p, titles["bk"], 2018, other)  # from another authority: does not count
    assert explain_for(p, titles["bk"], 2021)
    give(p, titles["bk"], 2016, ministry)  # too long ago: 2017–2021 is the window
    assert explain_for(p, titles["bk"], 2021)
    give(p, titles["bk"], 2017, ministry)
    assert explain_for(p, titles["bk"], 2021) == []


def test_a_rule_for_one_authority_only_applies_to_honours_it_grants(titles):
    pm, dept = factories.authority(name="Thủ tướng Chính phủ"), factories.authority(name="Cục trưởng")
    rule(titles["bk"], RuleKind.SAME_YEAR, titles["cstdcs"], authorities=[pm])
    p = factories.person()
    assert explain_for(p, titles["bk"], 2021, authority_id=pm.pk)
    assert explain_for(p, titles["bk"], 2021, authority_id=dept.pk) == []


def test_quota_within_a_unit_and_year(titles):
    rule(titles["cstdcs"], RuleKind.QUOTA, titles["cstt"], percent=Decimal("15"))
    top = factories.unit()
    sub = factories.unit(parent=top)
    people = [factories.person(unit_=sub) for _ in range(10)]
    factories.grant(rows=[RecipientRow(person=p, title=titles["cstt"]) for p in people], year=2021)
    factories.grant(rows=[RecipientRow(person=people[0], title=titles["cstdcs"])], year=2021)
    [check] = rules.quota_checks(unit=top, year=2021)
    assert (check.count, check.base, check.limit, check.over) == (1, 10, 1, False)
    [check] = rules.quota_checks(unit=top, year=2021, adding={titles["cstdcs"].pk: 1})
    assert check.over and "15" in check.message


def test_entry_warns_and_records_the_justification(titles):
    from awards.models import AuditEntry
    from awards.services import RuleWarning

    rule(titles["cstdcs"], RuleKind.SAME_YEAR, titles["cstt"])
    p = factories.person()
    before = AuditEntry.objects.count()
    with pytest.raises(RuleWarning) as warned:
        factories.grant(rows=[RecipientRow(person=p, title=titles["cstdcs"])], year=2021)
    assert list(warned.value.row_warnings) == [0] and AuditEntry.objects.count() == before
    [award] = factories.grant(rows=[RecipientRow(person=p, title=titles["cstdcs"])], year=2021,
                              justification="Có sáng kiến cấp Cục, đủ điều kiện theo văn bản 12/CV")
    note = AuditEntry.objects.get(object_id=str(award.pk), content_type__model="award").note
    assert "Chiến sĩ tiên tiến" in note and "12/CV" in note


def test_candidates_for_a_unit_with_evidence(titles):
    rule(titles["tq"], RuleKind.CONSECUTIVE, titles["cstdcs"], years=3)
    top = factories.unit()
    inside, outside = factories.unit(parent=top), factories.unit()
    authority = factories.authority()
    ready, short, holder, elsewhere = (factories.person(unit_=u) for u in (inside, inside, inside, outside))
    for p in (ready, holder, elsewhere):
        for year in (2019, 2020, 2021):
            give(p, titles["cstdcs"], year, authority)
    give(short, titles["cstdcs"], 2021, authority)
    give(holder, titles["tq"], 2021, authority)
    found = rules.candidates(unit=top, year=2021)
    [(target, listed)] = found.items()
    assert target.title == titles["tq"] and [c.recipient for c in listed] == [ready]
    assert [y for _t, y, _n in listed[0].evidence] == [2019, 2020, 2021]


# ---- property: the set-based list agrees with the one-by-one evaluation ------------------------

_names = itertools.count()
history = st.lists(st.tuples(st.integers(0, 5), st.sampled_from(["cstt", "cstdcs", "tq"]), st.integers(2016, 2022),
                             st.booleans(), st.booleans()), max_size=30)
rule_sets = st.lists(st.tuples(st.sampled_from(["same", "consecutive", "within"]), st.sampled_from(["cstt", "cstdcs"]),
                               st.integers(1, 3), st.booleans(), st.booleans()), min_size=1, max_size=3)


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(history=history, rule_set=rule_sets, year=st.integers(2018, 2022))
def test_candidates_always_agree_with_evaluating_each_person(titles, history, rule_set, year):
    kinds = {"same": RuleKind.SAME_YEAR, "consecutive": RuleKind.CONSECUTIVE, "within": RuleKind.WITHIN}
    with transaction.atomic():
        other = factories.authority(name=f"Khác {next(_names)}")
        main = factories.authority(name=f"Chính {next(_names)}")
        unit = factories.unit()
        people = [factories.person(unit_=unit) for _ in range(6)]
        for kind, required, years, last_year, only_main in rule_set:
            rule(titles["tq"], kinds[kind], titles[required], years=years, ending_last_year=last_year,
                 required_authorities=[main] if only_main else [])
        given_awards = set()
        for who, title, y, from_main, revoked in history:
            key = (who, title, y, from_main)
            if key in given_awards:
                continue
            given_awards.add(key)
            award = give(people[who], titles[title], y, main if from_main else other)
            if revoked:
                services.award_revoke(award=award, by=None, number="1/QĐ", date=award.decision.date, reason="x")
        listed = {c.recipient.pk for c in rules.candidates(unit=unit, year=year, evidence=False)
                  [rules.Target(titles["tq"], None)]}
        loaded = rules.load_rules()
        found = rules.records(people)
        expected = set()
        for p in people:
            record = found[("p", p.pk)]
            holds = bool(record.held.get((year, titles["tq"].pk)))
            if not holds and not rules.unmet(title=titles["tq"], authority_id=None, year=year, record=record,
                                             rules=loaded):
                expected.add(p.pk)
        assert listed == expected
        transaction.set_rollback(True)


# ---- the pages ----------------------------------------------------------------------------------

def test_decision_page_warns_on_rows_and_records_with_a_reason(client, titles):
    from django.urls import reverse

    from awards import roles
    from awards.models import AuditEntry, Award

    rule(titles["cstdcs"], RuleKind.SAME_YEAR, titles["cstt"])
    unit = factories.unit()
    p = factories.person(full_name="Đinh Văn Thiếu", unit_=unit)
    authority = factories.authority()
    client.force_login(factories.user(role=roles.OFFICER, scope=unit))
    data = {"number": "5/QĐ", "date": "2022-01-10", "authority": authority.pk, "kind": "annual",
            "achievement_year": "2021", "title": titles["cstdcs"].pk, "subject": "Về việc tặng danh hiệu",
            "reason": "", "signer_prefix": "", "signer_on_behalf_of": "", "signer_title": "CỤC TRƯỞNG",
            "signer_rank": "", "signer_name": "Vũ Thanh Bình", "rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "0", "rows-MIN_NUM_FORMS": "0",
            "rows-MAX_NUM_FORMS": "3000", "rows-0-recipient": f"p:{p.pk}", "rows-0-title": "", "rows-0-achievement": ""}
    warned = client.post(reverse("awards:decision-create"), data)
    assert warned.status_code == 400 and not Award.objects.exists()
    html = warned.content.decode()
    assert "rule-warning" in html and "cần có “Chiến sĩ tiên tiến” cùng năm 2021" in html
    saved = client.post(reverse("awards:decision-create"), {**data, "justification": "Lập thành tích đột xuất"})
    assert saved.status_code == 302
    award = Award.objects.get()
    assert "Lập thành tích đột xuất" in AuditEntry.objects.get(object_id=str(award.pk), content_type__model="award").note


def test_candidates_page_exports_and_starts_a_draft_decision(client, titles):
    from io import BytesIO

    from django.urls import reverse
    from openpyxl import load_workbook

    from awards import roles

    rule(titles["tq"], RuleKind.CONSECUTIVE, titles["cstdcs"], years=2)
    unit = factories.unit(full_name="Phòng Ứng viên")
    ready = factories.person(full_name="Hà Văn Đủ", unit_=unit)
    authority = factories.authority()
    for year in (2020, 2021):
        give(ready, titles["cstdcs"], year, authority)
    client.force_login(factories.user(role=roles.OFFICER, scope=unit))
    page = client.get(reverse("awards:candidates"), {"year": 2021, "unit": unit.pk})
    html = page.content.decode()
    assert "Hà Văn Đủ" in html and "Chiến sĩ thi đua cơ sở 2020" in html
    sheet = load_workbook(BytesIO(b"".join(client.get(reverse("awards:candidates-export"),
                                                      {"year": 2021, "unit": unit.pk}).streaming_content))).active
    assert sheet["A1"].value == "Đề xuất khen thưởng cao hơn, năm 2021: Phòng Ứng viên"
    assert [c.value for c in sheet[3]][1:3] == ["Chiến sĩ thi đua toàn quân", "Đại úy Hà Văn Đủ"]
    draft = client.get(reverse("awards:decision-create"), {"rows": [f"p:{ready.pk}"], "title": titles["tq"].pk})
    assert draft.context["formset"].forms[0].recipient_label == "Đại úy Hà Văn Đủ"
    person_page = client.get(ready.get_absolute_url()).content.decode()
    assert "2 trên 2 năm liên tục" in person_page


def test_the_domain_rules_are_seeded_once_for_the_titles_present(titles):
    from django.core.management import call_command

    ministry = factories.authority(name="Bộ trưởng Bộ Quốc phòng")
    pm = factories.authority(name="Thủ tướng Chính phủ")
    call_command("seed_rules", stdout=open("/dev/null", "w"))
    made = EligibilityRule.objects.count()
    call_command("seed_rules", stdout=open("/dev/null", "w"))
    # Chiến sĩ tiên tiến 3, cơ sở 4 and its quota, toàn quân 3, the Minister's Bằng khen 4, the Prime
    # Minister's 2; no "toàn quốc", "Lao động tiên tiến" or collective title here.
    assert EligibilityRule.objects.count() == made == 17
    pm_rule = EligibilityRule.objects.get(title=titles["bk"], authorities=pm, kind=RuleKind.AFTER)
    assert list(pm_rule.required_authorities.all()) == [ministry] and pm_rule.citation == "Luật TĐKT 2022, Điều 73"
    fighter = EligibilityRule.objects.get(title=titles["cstdcs"], kind=RuleKind.SAME_YEAR)
    assert fighter.required_title == titles["cstt"]


def test_candidate_cards_name_the_authority_and_a_holder_of_the_form_that_year_is_no_candidate(client, titles):
    from django.urls import reverse

    from awards import roles

    minister = factories.authority(name="Bộ trưởng Bộ Quốc phòng")
    department = factories.authority(name="Chủ nhiệm Tổng cục Công nghiệp quốc phòng")
    rule(titles["bk"], RuleKind.CONSECUTIVE, titles["cstdcs"], years=2, authorities=[minister])
    unit = factories.unit(full_name="Phòng Kỹ thuật")
    ready, holder = factories.person(full_name="Hà Văn Đủ", unit_=unit), factories.person(full_name="Lê Văn Giữ", unit_=unit)
    for person in (ready, holder):
        for year in (2020, 2021):
            give(person, titles["cstdcs"], year, department)
    give(holder, titles["bk"], 2021, department)  # already holds a Bằng khen for 2021, of another authority
    [(target, listed)] = rules.candidates(unit=unit, year=2021).items()
    assert str(target) == "Bằng khen của Bộ trưởng Bộ Quốc phòng"
    assert [c.recipient for c in listed] == [ready]
    client.force_login(factories.user(role=roles.OFFICER, scope=unit))
    page = client.get(reverse("awards:candidates"), {"year": 2021, "unit": unit.pk}).content.decode()
    card = page[page.index('class="h5 candidate-honour"'):]
    assert card.split("<span", 1)[0].endswith("Bằng khen của Bộ trưởng Bộ Quốc phòng ")
    assert "Lê Văn Giữ" not in page


def test_under_a_quota_only_the_places_left_are_ticked_best_ranked_first(client, titles):
    import re

    from django.urls import reverse

    from awards import roles
    from awards.choices import Rank

    rule(titles["cstdcs"], RuleKind.SAME_YEAR, titles["cstt"], years=1)
    rule(titles["cstdcs"], RuleKind.QUOTA, titles["cstt"], years=1, percent=Decimal("15"))
    authority = factories.authority()
    unit = factories.unit(full_name="Phòng Tổng hợp")
    people = [factories.person(full_name=f"Người Thứ {i:02d}", unit_=unit, rank=Rank.THIEU_UY) for i in range(20)]
    people[7].rank, people[12].rank = Rank.THUONG_TA, Rank.DAI_UY
    for p in (people[7], people[12]):
        p.save()
    for p in people:
        give(p, titles["cstt"], 2021, authority)
    give(people[0], titles["cstdcs"], 2021, authority)  # 20 × 15% = 3 places; one taken
    listed = rules.preselect(rules.candidates(unit=unit, year=2021), rules.quota_checks(unit=unit, year=2021))
    [(target, candidates, left)] = listed
    assert left == 2 and len(candidates) == 19
    assert [c.recipient for c in candidates if c.chosen] == [people[7], people[12]]  # higher ranks first
    client.force_login(factories.user(role=roles.OFFICER, scope=unit))
    page = client.get(reverse("awards:candidates"), {"year": 2021, "unit": unit.pk}).content.decode()
    ticked = re.findall(r'<input type="checkbox" class="form-check-input" name="rows" value="p:(\d+)" checked', page)
    assert ticked == [str(people[7].pk), str(people[12].pk)]
    assert "còn 2 chỗ" in page
