"""The ceremony page on the demo registry: the page itself, and its preview image drawn the
first time and served again (issue 14: under 300 ms; the preview drawn once per change).

Usage: python bench/ceremony.py [--engine sqlite|postgresql] [--repeat 9]
Loads the demo data set into a fresh registry, signs in as the demo organiser, and times
through Django's test client (server time, no network, DEBUG off): the ceremony page, the
preview after its data changed (drawn), and the preview again (from the cache). Median and
95th percentile; the last line is one JSON object.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import add_registry_options, close_registry, machine, open_registry, percentile  # noqa: E402


def timed(call, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_registry_options(parser)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    scratch = open_registry(args.engine, data_dir=args.data_dir, pg_database=args.pg_database)
    try:
        from django.core.cache import cache
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import override_settings

        from awards.demo import CEREMONY_NAME
        from awards.models import Ceremony

        with override_settings(DEBUG=True):
            call_command("seed_demo", verbosity=0)
        ceremony = Ceremony.objects.get(name=CEREMONY_NAME)
        served = override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"])
        served.enable()
        client = Client()
        client.post("/sign-in/", {"username": "organiser", "password": "demo-organiser-2021"})
        page, preview = ceremony.get_absolute_url(), f"{ceremony.get_absolute_url()}preview.png"
        client.get(page)  # warm: templates, content types
        rows = {"ceremony page": timed(lambda: client.get(page), args.repeat)}

        def drawn():
            cache.clear()  # as after a change to what the preview shows
            return client.get(preview)

        rows["preview, drawn"] = timed(drawn, max(3, args.repeat // 3))
        client.get(preview)
        rows["preview, unchanged"] = timed(lambda: client.get(preview), args.repeat)
        served.disable()
    finally:
        close_registry(args.engine, scratch)
    figures = {"engine": args.engine, "items": ceremony.items.count(), "machine": machine()}
    print(f"Ceremony page on the demo — {args.engine}, {figures['items']} awards ({figures['machine']})")
    print(f"  {'request':<22} {'median':>9} {'p95':>9}")
    for name, times in rows.items():
        key = name.replace(", ", "_").replace(" ", "_")
        figures[f"{key}_median_ms"] = round(statistics.median(times), 1)
        figures[f"{key}_p95_ms"] = round(percentile(times, 95), 1)
        print(f"  {name:<22} {figures[f'{key}_median_ms']:>7.1f}ms {figures[f'{key}_p95_ms']:>7.1f}ms")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
