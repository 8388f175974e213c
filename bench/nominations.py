"""A receiving office's inbox and a decision from a long approved list, on a large registry.

Builds a Cục with --units Phòngs, --dossiers dossiers addressed to the Cục trưởng (states spread
as a year has them: sent, received, returned, settled; five years; deadlines set, some late) holding
--nominees nominees, each a person of the proposing Phòng with a rating the honour's rule reads.
Then, through Django's test client (no network, DEBUG off) as the Cục's officer:
  - the inbox, first page, a deep page, by state, by year, overdue only: median and p95 of --repeat
    requests each, and the queries each page makes (the same on every page: constant);
  - the decision from 1,000 approved nominees (services.nominees_decide: register numbers, the
    rule check, awards, nominee states, history, audit), timed once per --decide-runs on fresh lists.
Usage: python bench/nominations.py [--engine sqlite|postgresql] [--dossiers 2000] [--nominees 100000]
The baseline, measured in the same run, is the decisions list page (inbox / baseline is printed).
The last line printed is one JSON object: dossiers, nominees, inbox_median_ms, decide_1000_s, ….
"""

import argparse
import datetime
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import close_registry, machine, open_registry, percentile  # noqa: E402

YEARS = (2021, 2022, 2023, 2024, 2025)
DECIDE = 1000


def build(*, units, dossiers, nominees, decide_runs):
    """The Cục, its Phòngs and people, the dossiers and nominees; returns (officer, lists to decide)."""
    from django.utils import timezone

    from awards import roles
    from awards.choices import AuthorityLevel, DossierState, NomineeState, RuleKind, TaskRating, TitleCategory, TitleFor
    from awards.models import (
        Authority,
        Dossier,
        DossierEvent,
        EligibilityRule,
        NominationDeadline,
        Nominee,
        Person,
        Profile,
        Rating,
        Title,
        Unit,
    )
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    top = Unit.objects.create(short_name="TC", full_name="Tổng cục Công nghiệp quốc phòng")
    cuc = Unit.objects.create(parent=top, short_name="Cục QLCN", full_name="Cục Quản lý công nghệ")
    phongs = [Unit.objects.create(parent=cuc, short_name=f"P{i}", full_name=f"Phòng số {i}") for i in range(units)]
    authority = Authority.objects.create(name="Cục trưởng Cục Quản lý công nghệ", level=AuthorityLevel.DEPARTMENT,
                                         unit=cuc, symbol="QĐ-QLCN")
    gk = Title.objects.create(name="Giấy khen", code="gk", category=TitleCategory.COMMENDATION,
                              recipient_for=TitleFor.BOTH, rank_order=25, certificate_name="GIẤY KHEN",
                              required_attachments=["submission", "minutes"])
    EligibilityRule.objects.create(title=gk, kind=RuleKind.RATING, min_rating=TaskRating.GOOD, years=1)
    officer = get_user_model().objects.create_user("bench-cuc", password="x")
    officer.groups.add(Group.objects.get(name=roles.OFFICER))
    Profile.objects.create(user=officer, scope_unit=cuc)

    per_dossier = max(1, nominees // dossiers)
    people = []
    for i in range(dossiers * per_dossier):
        unit = phongs[(i // per_dossier) % units]
        person = Person(full_name=f"Nguyễn Văn Người {i}", rank=27, unit=unit)
        person.normalize()
        people.append(person)
    Person.objects.bulk_create(people, batch_size=5000)
    people = list(Person.objects.order_by("pk").values_list("pk", "unit_id"))
    now = timezone.now()
    # The decision lists: the first decide_runs × 20 dossiers of 2025, received, every nominee approved.
    states = [DossierState.SENT, DossierState.RECEIVED, DossierState.RECEIVED, DossierState.RETURNED,
              DossierState.SETTLED]
    rows = []
    for d in range(dossiers):
        deciding = d < decide_runs * (DECIDE // per_dossier)
        state = DossierState.RECEIVED if deciding else states[d % len(states)]
        year = 2025 if deciding else YEARS[d % len(YEARS)]
        rows.append(Dossier(unit_id=people[d * per_dossier][1], authority=authority, year=year, state=state,
                            reference=f"{d}/TTr", sent_at=now - datetime.timedelta(days=d % 400)))
    Dossier.objects.bulk_create(rows, batch_size=2000)
    made = list(Dossier.objects.order_by("pk").values_list("pk", "state"))
    nominee_rows, ratings, events = [], [], []
    for d, (dossier_id, state) in enumerate(made):
        deciding = d < decide_runs * (DECIDE // per_dossier)
        for k in range(per_dossier):
            pid = people[d * per_dossier + k][0]
            if deciding or state == DossierState.SETTLED:
                nstate = NomineeState.APPROVED if deciding else (NomineeState.REJECTED if k % 3 else NomineeState.FORWARDED)
            else:
                nstate = NomineeState.PROPOSED
            nominee_rows.append(Nominee(dossier_id=dossier_id, seq=k + 1, person_id=pid, title=gk,
                                        approved_title=gk if nstate == NomineeState.APPROVED else None,
                                        summary="Hoàn thành xuất sắc nhiệm vụ", state=nstate))
            ratings.append(Rating(person_id=pid, year=YEARS[d % len(YEARS)] if not deciding else 2025,
                                  rating=TaskRating.EXCELLENT))
        events += [DossierEvent(dossier_id=dossier_id, action=a, state=s)
                   for a, s in (("create", "draft"), ("send", "sent"), ("receive", "received"))]
        if len(nominee_rows) >= 20000:
            Nominee.objects.bulk_create(nominee_rows, batch_size=5000)
            nominee_rows = []
    Nominee.objects.bulk_create(nominee_rows, batch_size=5000)
    Rating.objects.bulk_create(ratings, batch_size=5000, ignore_conflicts=True)
    DossierEvent.objects.bulk_create(events, batch_size=5000)
    for year in YEARS:
        NominationDeadline.objects.create(authority=authority, year=year, kind="annual",
                                          due_on=(now - datetime.timedelta(days=200)).date())
    lists = []
    ordered = [pk for pk, _state in made]
    per_list = DECIDE // per_dossier
    for run in range(decide_runs):
        ids = ordered[run * per_list:(run + 1) * per_list]
        lists.append(list(Nominee.objects.filter(dossier_id__in=ids)))
    return officer, authority, gk, lists


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--dossiers", type=int, default=2000)
    parser.add_argument("--nominees", type=int, default=100000)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--decide-runs", type=int, default=3)
    args = parser.parse_args()
    scratch = open_registry(args.engine)
    try:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext, override_settings

        from awards import services
        from awards.models import Decision, Dossier, Nominee

        start = time.perf_counter()
        officer, authority, title, lists = build(units=args.units, dossiers=args.dossiers, nominees=args.nominees,
                                                 decide_runs=args.decide_runs)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        build_s = time.perf_counter() - start
        client = Client()
        client.force_login(officer)
        pages = max(1, Dossier.objects.exclude(state="draft").count() // 50)
        cases = {"page 1": {}, f"page {min(30, pages)}": {"page": min(30, pages)}, "state: received": {"state": "received"},
                 "year 2023": {"year": 2023}, "overdue only": {"overdue": "1"}, "last page": {"page": pages}}
        timings, queries = {}, {}
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
            for name, params in cases.items():
                client.get("/dossiers/inbox/", params)
                times = []
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    response = client.get("/dossiers/inbox/", params)
                    times.append((time.perf_counter() - t) * 1000)
                    assert response.status_code == 200, response.status_code
                timings[name] = times
                with CaptureQueriesContext(connection) as captured:
                    client.get("/dossiers/inbox/", params)
                queries[name] = len(captured)
            # The same run's baseline: the decisions list, a page of the registry every role opens.
            client.get("/decisions/")
            baseline = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                client.get("/decisions/")
                baseline.append((time.perf_counter() - t) * 1000)
        decide = []
        for run, nominees in enumerate(lists):
            decision = Decision(number=f"{100 + run}/QĐ-QLCN", date=datetime.date(2026, 1, 10), authority=authority,
                                achievement_year=2025, title=title, subject="Về việc tặng Giấy khen",
                                signer_title="CỤC TRƯỞNG", signer_name="Vũ Thanh Bình")
            t = time.perf_counter()
            services.nominees_decide(by=officer, nominees=nominees, decision=decision)
            decide.append(time.perf_counter() - t)
            assert decision.awards.count() == len(nominees) == DECIDE
            assert Nominee.objects.filter(award__decision=decision, state="decided").count() == DECIDE
        figures = {
            "engine": args.engine, "dossiers": Dossier.objects.count(), "nominees": Nominee.objects.count(),
            "inbox_median_ms": round(statistics.median([t for ts in timings.values() for t in ts]), 1),
            "inbox_p95_ms": round(percentile([t for ts in timings.values() for t in ts], 95), 1),
            "inbox_cases": {name: {"median_ms": round(statistics.median(ts), 1), "queries": queries[name]}
                            for name, ts in timings.items()},
            "queries_per_page": sorted(set(queries.values())),
            "baseline_decisions_list_ms": round(statistics.median(baseline), 1),
            "inbox_vs_baseline": round(statistics.median([t for ts in timings.values() for t in ts])
                                       / statistics.median(baseline), 2),
            "decide_1000_s": round(statistics.median(decide), 2), "decide_1000_s_all": [round(x, 2) for x in decide],
            "build_seconds": round(build_s, 1), "machine": machine(),
        }
    finally:
        close_registry(args.engine, scratch)
    print(f"Nominations — {args.engine}: {figures['dossiers']} dossiers, {figures['nominees']} nominees "
          f"({figures['machine']}); built in {figures['build_seconds']} s")
    print(f"  {'inbox case':<22} {'median':>9} {'queries':>8}")
    for name, row in figures["inbox_cases"].items():
        print(f"  {name:<22} {row['median_ms']:>7.1f}ms {row['queries']:>8}")
    print(f"  inbox, all cases: median {figures['inbox_median_ms']} ms (target < 150 ms), p95 {figures['inbox_p95_ms']} ms, "
          f"queries per page {figures['queries_per_page']}")
    print(f"  baseline (decisions list, same run): median {figures['baseline_decisions_list_ms']} ms; "
          f"inbox / baseline {figures['inbox_vs_baseline']}")
    print(f"  decision from {DECIDE} approved nominees: median {figures['decide_1000_s']} s of "
          f"{figures['decide_1000_s_all']} (target < 5 s)")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
