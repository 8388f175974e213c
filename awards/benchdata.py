"""A large synthetic registry for benchmarks: a unit tree, people with Vietnamese names,
twenty years of decisions and honours, written with bulk inserts (minutes, not hours).

Every row is one the services could have written: paths and keys normalised, register numbers
gapless per authority and year, one honour per person, title, authority and year.
"""

import datetime
import random

from . import text
from .choices import AuthorityLevel, RuleKind, TitleCategory, TitleFor
from .demo import FAMILY, FAMILY_WEIGHTS, GIVEN_FEMALE, GIVEN_MALE, MIDDLE_FEMALE, MIDDLE_MALE, OFFICER_RANKS, \
    POSITIONS, QNCN_RANKS
from .models import Authority, Award, Decision, EligibilityRule, Person, RegisterCounter, Title, Unit, \
    new_verification_code

YEARS = list(range(2002, 2022))


def _units(departments, offices, teams):
    """A tree: the general department, its departments, their offices, their teams."""
    root = Unit.objects.create(short_name="TCCNQP", full_name="Tổng cục Công nghiệp quốc phòng")
    levels, parents = [[root]], [root]
    for count, label in ((departments, "Cục"), (offices, "Phòng"), (teams, "Ban")):
        level = []
        for parent in parents:
            for i in range(1, count + 1):
                name = f"{label} {i} – {parent.full_name}" if label != "Cục" else f"Cục số {i}"
                level.append(Unit(parent=parent, short_name=f"{parent.short_name[:40]}.{i}",
                                  full_name=name[:255]))
        Unit.objects.bulk_create(level, batch_size=2000)
        for unit in level:
            unit.path = unit.parent.path + f"{unit.pk:07d}."
            unit.depth = unit.path.count(".") - 1
            unit.search_key = text.fold(f"{unit.full_name} {unit.short_name}")[:300]
        Unit.objects.bulk_update(level, ["path", "depth", "search_key"], batch_size=2000)
        levels.append(level)
        parents = level
    return levels


def _title(code, name, category, recipient_for, rank, verb="TẶNG DANH HIỆU"):
    return Title.objects.get_or_create(code=code, defaults={
        "name": name, "category": category, "recipient_for": recipient_for, "rank_order": rank,
        "certificate_verb": verb, "certificate_name": name.upper()})[0]


def build(*, persons, awards, units=2000, seed=2021, out=None):
    """Create the registry; returns a dict of what was made."""
    rng = random.Random(seed)
    # Three levels under the root with the same fan-out b: 1 + b + b² + b³ ≈ units.
    b = max(2, int(round(units ** (1 / 3), 6)))
    while 1 + b + b * b + b ** 3 > units * 1.1 and b > 2:
        b -= 1
    levels = _units(b, b, b)
    root, cucs, leaves = levels[0][0], levels[1], levels[-1]
    if out:
        out(f"{sum(len(level) for level in levels)} units")

    people = []
    for i in range(persons):
        female = rng.random() < 0.3
        family = rng.choices(FAMILY, FAMILY_WEIGHTS)[0]
        middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
        given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
        person = Person(full_name=f"{family} {middle} {given}", rank=rng.choice(OFFICER_RANKS + QNCN_RANKS + [None]),
                        position=rng.choice(POSITIONS), unit=rng.choice(leaves), service_number=f"QN-{i + 1:08d}")
        person.normalize()
        people.append(person)
    Person.objects.bulk_create(people, batch_size=5000)
    if out:
        out(f"{len(people)} people")

    cuc_authorities = {cuc.pk: Authority.objects.create(name=f"Cục trưởng {cuc.full_name}", unit=cuc,
                                                        level=AuthorityLevel.DEPARTMENT) for cuc in cucs}
    general = Authority.objects.create(name="Chủ nhiệm Tổng cục Công nghiệp quốc phòng", unit=root,
                                       level=AuthorityLevel.GENERAL_DEPARTMENT)
    cstt = _title("cstt", "Chiến sĩ tiên tiến", TitleCategory.EMULATION_TITLE, TitleFor.INDIVIDUAL, 20)
    cstdcs = _title("cstdcs", "Chiến sĩ thi đua cơ sở", TitleCategory.EMULATION_TITLE, TitleFor.INDIVIDUAL, 40)
    tq = _title("cstdtqd", "Chiến sĩ thi đua toàn quân", TitleCategory.EMULATION_TITLE, TitleFor.INDIVIDUAL, 70)
    gk = _title("gk", "Giấy khen", TitleCategory.COMMENDATION, TitleFor.BOTH, 25, "TẶNG")
    bk = _title("bk", "Bằng khen", TitleCategory.COMMENDATION, TitleFor.BOTH, 60, "TẶNG")
    EligibilityRule.objects.get_or_create(title=cstdcs, kind=RuleKind.SAME_YEAR, required_title=cstt)
    EligibilityRule.objects.get_or_create(title=tq, kind=RuleKind.CONSECUTIVE, required_title=cstdcs,
                                          defaults={"years": 3})
    EligibilityRule.objects.get_or_create(title=cstdcs, kind=RuleKind.QUOTA, required_title=cstt,
                                          defaults={"percent": 15})

    decisions, numbers = {}, {}

    def decision(authority, title, year):
        key = (authority.pk, title.pk, year)
        if key not in decisions:
            numbers[(authority.pk, year)] = numbers.get((authority.pk, year), 0) + 1
            decisions[key] = Decision(
                number=f"{numbers[(authority.pk, year)]:02d}/QĐ-{title.code.upper()}", authority=authority,
                date=datetime.date(year + 1, 1, 10), achievement_year=year, title=title,
                subject=f"Về việc tặng {title.name} năm {year}", reason=f"Đã có thành tích năm {year}",
                signer_name="Vũ Thanh Bình", signer_title="CỤC TRƯỞNG")
            decisions[key].normalize()
        return decisions[key]

    cuc_of = {}
    for leaf in leaves:
        cuc_of[leaf.pk] = next(c for c in cucs if leaf.path.startswith(c.path))
    plan, made = [], 0
    per_person = max(1, awards // max(1, persons))
    for person in people:
        if made >= awards:
            break
        cuc = cuc_of[person.unit_id]
        start = rng.randrange(0, max(1, len(YEARS) - per_person + 1))
        for year in YEARS[start:start + per_person + (1 if rng.random() < 0.3 else 0)]:
            if made >= awards:
                break
            roll = rng.random()
            if roll < 0.15:
                plan.append((person, cstdcs, cuc_authorities[cuc.pk], year))
            elif roll < 0.9:
                plan.append((person, cstt, cuc_authorities[cuc.pk], year))
            elif roll < 0.97:
                plan.append((person, gk, cuc_authorities[cuc.pk], year))
            else:
                plan.append((person, bk, general, year))
            made += 1
    for year in YEARS:  # collective honours: a Giấy khen to a tenth of the offices each year
        for office in rng.sample(levels[2], max(1, len(levels[2]) // 10)):
            cuc = next(c for c in cucs if office.path.startswith(c.path))
            plan.append((office, gk, cuc_authorities[cuc.pk], year))
    for authority, title, year in {(a, t, y) for _r, t, a, y in plan}:
        decision(authority, title, year)
    Decision.objects.bulk_create(list(decisions.values()), batch_size=2000)
    if out:
        out(f"{len(decisions)} decisions")

    counters, seqs, batch, total = {}, {}, [], 0
    for recipient, title, authority, year in plan:
        d = decisions[(authority.pk, title.pk, year)]
        counters[(authority.pk, year)] = counters.get((authority.pk, year), 0) + 1
        seqs[d.pk] = seqs.get(d.pk, 0) + 1
        is_person = isinstance(recipient, Person)
        batch.append(Award(
            decision=d, seq=seqs[d.pk], title=title, authority=authority, year=year,
            person=recipient if is_person else None, unit=None if is_person else recipient,
            recipient_name=recipient.full_name, rank=recipient.rank if is_person else None,
            position=recipient.position if is_person else "", unit_name="",
            within_unit_id=recipient.unit_id if is_person else recipient.pk,
            achievement=d.reason, register_number=counters[(authority.pk, year)],
            verification_code=new_verification_code(),
            search_key=recipient.search_key if is_person else text.fold(recipient.full_name)[:300],
            sort_key=recipient.sort_key if is_person else text.collation_key(recipient.full_name)[:300]))
        if len(batch) >= 20000:
            Award.objects.bulk_create(batch, batch_size=5000)
            total += len(batch)
            batch.clear()
            if out:
                out(f"{total} awards…")
    Award.objects.bulk_create(batch, batch_size=5000)
    total += len(batch)
    # The register books where the numbers stopped, so the services number on from there.
    RegisterCounter.objects.bulk_create(
        [RegisterCounter(authority_id=a, year=y, last_number=n) for (a, y), n in counters.items()], batch_size=2000)
    return {"units": sum(len(level) for level in levels), "persons": len(people), "decisions": len(decisions),
            "awards": total, "root": root}


def analyze():
    """Statistics for the query planner after a bulk load; on PostgreSQL also the visibility
    map (VACUUM), as autovacuum would soon write it, so counts read the small indexes."""
    from django.db import connection

    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block  # VACUUM needs autocommit
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
