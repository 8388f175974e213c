"""The honours list ("Sổ khen thưởng") against the Django admin's changelist, on the same data;
a person's page and the year report for the top unit.

Usage: python bench/list.py [--engine sqlite|postgresql] [--persons 200000] [--awards 1000000]
                            [--data-dir DIR | --pg-database NAME] [--repeat 9]
With --data-dir (SQLite) or --pg-database (PostgreSQL on 127.0.0.1:5432) naming a registry
already filled by `manage.py seed_bench`, that one is used; otherwise a fresh one is built
(and a scratch PostgreSQL database dropped afterwards). Times are server time through
Django's test client (no network), DEBUG off, median and 95th percentile per view; the
last line is one JSON object.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import add_registry_options, close_registry, fill, machine, open_registry, percentile  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_registry_options(parser)
    parser.add_argument("--persons", type=int, default=200000)
    parser.add_argument("--awards", type=int, default=1000000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    scratch = open_registry(args.engine, data_dir=args.data_dir, pg_database=args.pg_database)
    try:
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        # No setup_test_environment(): it instruments every template render, which is not
        # what a server does.
        from django.test.utils import CaptureQueriesContext, override_settings

        from django.db.models import Count

        from awards.models import Award, Unit

        if not Award.objects.exists():
            fill(args.persons, args.awards)
        awards = Award.objects.count()
        admin = get_user_model().objects.filter(username="bench-admin").first() or \
            get_user_model().objects.create_superuser("bench-admin", password="x")
        client = Client()
        client.force_login(admin)
        unit = Unit.objects.filter(depth=1).order_by("path").first()
        deep = min(500, max(1, awards // 50))  # page 500, or the last page of a small registry
        cases = {
            "page 1": {}, "page 500": {"page": deep},
            "unit subtree + year": {"unit": unit.pk, "year_min": 2019, "year_max": 2021},
            "unaccented name search": {"q": "nguyen van an"},
            "sorted by name": {"sort": "recipient"},
        }
        admin_cases = {
            "page 1": {}, "page 500": {"p": min(499, max(0, awards // 100 - 1))},
            "unit subtree + year": {"year": 2021},
            "unaccented name search": {"q": "nguyen van an"},
            "sorted by name": {"o": "1"},
        }
        def timed(url, params):
            """Milliseconds of each of --repeat requests, after one to warm up."""
            client.get(url, params)
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                response = client.get(url, params)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            return times

        queries = {}
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
            results = {name: timed("/honours/", params) for name, params in cases.items()}
            for name, params in cases.items():
                with CaptureQueriesContext(connection) as captured:
                    client.get("/honours/", params)
                queries[name] = len(captured)
            admin_results = {name: timed("/admin/awards/award/", params) for name, params in admin_cases.items()}
            # The person with the most honours, and the year report for the whole tree.
            person = Award.objects.filter(person__isnull=False).values("person").annotate(
                n=Count("pk")).order_by("-n").first()["person"]
            top = Unit.objects.get(parent=None)
            year = Award.objects.order_by("-year").values_list("year", flat=True).first()
            pages = {"person page": timed(f"/people/{person}/", {}),
                     "year report, top unit": timed("/reports/year/", {"unit": top.pk, "year_from": year,
                                                                       "year_to": year})}
    finally:
        close_registry(args.engine, scratch)
    every = [t for times in results.values() for t in times]
    every_admin = [t for times in admin_results.values() for t in times]
    figures = {
        "engine": args.engine, "awards": awards,
        "median_ms": round(statistics.median(every), 1), "p95_ms": round(percentile(every, 95), 1),
        "admin_median_ms": round(statistics.median(every_admin), 1),
        "ratio_vs_admin": round(statistics.median(every) / statistics.median(every_admin), 2),
        "queries_per_page": max(queries.values()),
        "cases": {name: {"median_ms": round(statistics.median(t), 1), "p95_ms": round(percentile(t, 95), 1),
                         "admin_median_ms": round(statistics.median(admin_results[name]), 1)}
                  for name, t in results.items()},
        "pages": {name: {"median_ms": round(statistics.median(t), 1), "p95_ms": round(percentile(t, 95), 1)}
                  for name, t in pages.items()},
        "machine": machine(),
    }
    print(f"Honours list vs admin changelist — {args.engine}, {awards} awards ({figures['machine']})")
    print(f"  {'case':<26} {'median':>9} {'p95':>9} {'admin median':>13}")
    for name, row in figures["cases"].items():
        print(f"  {name:<26} {row['median_ms']:>7.1f}ms {row['p95_ms']:>7.1f}ms {row['admin_median_ms']:>11.1f}ms")
    print(f"  all: median {figures['median_ms']} ms, p95 {figures['p95_ms']} ms, admin median "
          f"{figures['admin_median_ms']} ms, ratio {figures['ratio_vs_admin']}, queries/page {figures['queries_per_page']}")
    for name, row in figures["pages"].items():
        print(f"  {name:<26} {row['median_ms']:>7.1f}ms {row['p95_ms']:>7.1f}ms")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
