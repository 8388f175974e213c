"""Candidates for higher honours over a large registry: set-based queries, timed.

Builds a synthetic registry (a unit tree, --persons people, --awards honours over 20 years:
Chiến sĩ tiên tiến, Chiến sĩ thi đua cơ sở, some Chiến sĩ thi đua toàn quân), with the
evidence the rules read (a rating for every person and unit in each of the last five years,
initiatives, some discipline, enlistment dates) and every rule seed_rules makes (all-of / any-of
groups, consumed cycles, "after X, N following years", ratings, initiatives, discipline, members'
shares and counts, length of service), then computes every candidate for the top unit, evidence
included: the annual list, and the length-of-service list.

Usage: python bench/candidates.py [--persons 200000] [--awards 1000000] [--engine sqlite|postgresql]
PostgreSQL uses a scratch database "bench_registry" on 127.0.0.1:5432 (dropped afterwards);
SQLite a fresh registry in a temporary folder.
The last line printed is one JSON object: persons, awards, engine, candidates_seconds, ….
"""

import argparse
import datetime
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import close_registry, machine, open_registry  # noqa: E402

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Quang", "Minh", "Hữu", "Ngọc", "Thanh", "Đức"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Huy", "Hưng", "Lan", "Thư", "Ước", "Yến", "Thành", "Phương"]


def build(persons, awards, rng):
    from awards.choices import AuthorityLevel, Rank, TitleCategory, TitleFor
    from awards.models import Authority, Award, Decision, EligibilityRule, Person, Title, Unit, new_verification_code

    top = Unit.objects.create(short_name="TC", full_name="Tổng cục Công nghiệp quốc phòng")
    departments = [Unit.objects.create(parent=top, short_name=f"C{i}", full_name=f"Cục số {i}") for i in range(20)]
    units = [Unit.objects.create(parent=d, short_name=f"{d.short_name}-P{j}", full_name=f"Phòng {j} {d.full_name}")
             for d in departments for j in range(10)]
    people = []
    for i in range(persons):
        soldier = i % 7 != 0
        # An enlistment date for everyone with a rank (1990–2015), for the length-of-service medals.
        enlisted = datetime.date(1990 + i % 26, 9, 1) if soldier else None
        p = Person(full_name=f"{FAMILY[i % 10]} {MIDDLE[(i // 10) % 8]} {GIVEN[(i // 80) % 12]}",
                   rank=Rank.DAI_UY if soldier else None, unit=units[i % len(units)], enlisted_on=enlisted)
        p.normalize()
        people.append(p)
    Person.objects.bulk_create(people, batch_size=5000)
    authority = Authority.objects.create(name="Tổng cục trưởng", level=AuthorityLevel.GENERAL_DEPARTMENT)

    def title(code, name, rank):
        return Title.objects.create(name=name, code=code, category=TitleCategory.EMULATION_TITLE,
                                    recipient_for=TitleFor.INDIVIDUAL, rank_order=rank, certificate_name=name.upper())
    cstt, cstdcs, tq = title("cstt", "Chiến sĩ tiên tiến", 20), title("cstdcs", "Chiến sĩ thi đua cơ sở", 40), \
        title("tq", "Chiến sĩ thi đua toàn quân", 70)
    for code, name, for_, rank in (("ldtt", "Lao động tiên tiến", TitleFor.INDIVIDUAL, 20),
                                   ("tqg", "Chiến sĩ thi đua toàn quốc", TitleFor.INDIVIDUAL, 90),
                                   ("dvqt", "Đơn vị quyết thắng", TitleFor.COLLECTIVE, 50),
                                   ("bk", "Bằng khen", TitleFor.BOTH, 60),
                                   ("hccsvv3", "Huy chương Chiến sĩ vẻ vang hạng Ba", TitleFor.INDIVIDUAL, 85),
                                   ("hcqkqt", "Huy chương Quân kỳ quyết thắng", TitleFor.INDIVIDUAL, 88)):
        Title.objects.create(name=name, code=code, category=TitleCategory.COMMENDATION, recipient_for=for_,
                             rank_order=rank, certificate_name=name.upper())
    Authority.objects.create(name="Bộ trưởng Bộ Quốc phòng", level=AuthorityLevel.MINISTRY)
    Authority.objects.create(name="Thủ tướng Chính phủ", level=AuthorityLevel.GOVERNMENT)
    from awards.rules import seed_domain_rules

    seed_domain_rules()
    assert EligibilityRule.objects.values("kind").distinct().count() >= 12
    years = list(range(2002, 2022))
    decisions = {(y, t.pk): Decision.objects.create(number=f"{t.code}/{y}", date=datetime.date(y + 1, 1, 10),
                                                   authority=authority, achievement_year=y, title=t)
                 for y in years for t in (cstt, cstdcs, tq)}
    counters, seqs, batch, made = {}, {}, [], 0
    per_person = max(1, awards // persons)

    def add(person, t, y):
        nonlocal made
        d = decisions[(y, t.pk)]
        counters[y] = counters.get(y, 0) + 1
        seqs[d.pk] = seqs.get(d.pk, 0) + 1
        batch.append(Award(decision=d, seq=seqs[d.pk], title=t, person=person, authority=authority, year=y,
                           recipient_name=person.full_name, rank=person.rank, unit_name="", within_unit_id=person.unit_id,
                           achievement="", register_number=counters[y], verification_code=new_verification_code(),
                           search_key=person.search_key, sort_key=person.sort_key))
        made += 1

    for person in people:
        if made >= awards:
            break
        start = rng.randrange(0, len(years) - per_person + 1)
        run = years[start:start + per_person]
        fighter = rng.random() < 0.3
        for y in run:
            if made >= awards:
                break
            if fighter and rng.random() < 0.5:
                add(person, cstdcs, y)
            else:
                add(person, cstt, y)
        if len(batch) >= 20000:
            Award.objects.bulk_create(batch, batch_size=5000)
            batch.clear()
    while made < awards:  # top up with earlier years for the last people
        person = people[made % len(people)]
        y = 2001 - (made // len(people))
        decisions.setdefault((y, cstt.pk), Decision.objects.create(
            number=f"cstt/{y}", date=datetime.date(y + 1, 1, 10), authority=authority, achievement_year=y, title=cstt))
        add(person, cstt, y)
        if len(batch) >= 20000:
            Award.objects.bulk_create(batch, batch_size=5000)
            batch.clear()
    Award.objects.bulk_create(batch, batch_size=5000)
    _evidence(people, units + departments + [top], rng)
    return top


def _evidence(people, units, rng):
    """A rating for every person and unit in 2017–2021, initiatives for one in ten, discipline
    for one in a hundred."""
    from awards.choices import RecognitionLevel, TaskRating
    from awards.models import Discipline, Initiative, Rating

    ratings, initiatives, disciplines = [], [], []
    weights = [1, 10, 50, 39]  # not completed, completed, good, excellent
    for person in people:
        for year in range(2017, 2022):
            ratings.append(Rating(person_id=person.pk, year=year, rating=rng.choices(list(TaskRating), weights)[0]))
            if rng.random() < 0.1:
                initiatives.append(Initiative(person_id=person.pk, year=year, name="Sáng kiến cải tiến",
                                              level=rng.choice(list(RecognitionLevel))))
        if rng.random() < 0.01:
            year = rng.randrange(2017, 2022)
            disciplines.append(Discipline(person_id=person.pk, form="reprimand", decision=f"{year}/QĐ-KL",
                                          decided_on=datetime.date(year, 5, 1), year_from=year, year_to=year))
        if len(ratings) >= 50000:
            Rating.objects.bulk_create(ratings, batch_size=5000)
            ratings.clear()
    ratings += [Rating(unit_id=u.pk, year=y, rating=TaskRating.EXCELLENT) for u in units for y in range(2017, 2022)]
    Rating.objects.bulk_create(ratings, batch_size=5000)
    Initiative.objects.bulk_create(initiatives, batch_size=5000)
    Discipline.objects.bulk_create(disciplines, batch_size=5000)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=200000)
    parser.add_argument("--awards", type=int, default=1000000)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    scratch = open_registry(args.engine)
    try:
        from django.db import connection

        from awards import rules
        from awards.models import Award, EligibilityRule, Rating

        start = time.perf_counter()
        top = build(args.persons, args.awards, random.Random(2021))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        build_s = time.perf_counter() - start
        awards = Award.objects.count()
        times, found = [], None
        for _ in range(args.repeat):
            t = time.perf_counter()
            found = rules.candidates(unit=top, year=2021)
            times.append(time.perf_counter() - t)
        counts = {str(target): len(listed) for target, listed in found.items()}
        service_times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            service = rules.candidates(unit=top, year=2021, kind="service")
            service_times.append(time.perf_counter() - t)
        counts.update({str(target): len(listed) for target, listed in service.items()})
        t = time.perf_counter()
        quotas = rules.quota_checks(unit=top, year=2021)
        quota_s = time.perf_counter() - t
        figures = {
            "persons": args.persons, "awards": awards, "engine": args.engine,
            "candidates_seconds": round(min(times), 2), "candidates_seconds_all": [round(x, 2) for x in times],
            "service_candidates_seconds": round(min(service_times), 2),
            "rules": EligibilityRule.objects.count(), "rule_kinds": EligibilityRule.objects.values("kind").distinct().count(),
            "ratings": Rating.objects.count(),
            "candidates": counts, "quota_seconds": round(quota_s, 2), "quota_over": [q.over for q in quotas],
            "build_seconds": round(build_s, 1),
            "machine": machine(),
        }
    finally:
        close_registry(args.engine, scratch)
    print(f"Candidates for the top unit, year 2021 — {args.engine}, {figures['persons']} people, "
          f"{figures['awards']} awards ({figures['machine']})")
    print(f"  build the registry            {figures['build_seconds']} s")
    print(f"  {figures['rules']} rule conditions of {figures['rule_kinds']} kinds, {figures['ratings']} ratings")
    print(f"  candidates, evidence included {figures['candidates_seconds']} s (best of {args.repeat}; target < 10 s)")
    print(f"  length-of-service candidates  {figures['service_candidates_seconds']} s (best of {args.repeat})")
    for name, n in counts.items():
        print(f"    {name:<32} {n} candidates")
    print(f"  quota checks                  {figures['quota_seconds']} s")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
