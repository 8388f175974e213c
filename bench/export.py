"""Export of the honours list to CSV and XLSX: time and peak memory for --rows filtered rows.

Usage: python bench/export.py [--rows 100000] [--data-dir DIR]      (SQLite; PostgreSQL to come)
Each format runs in its own process so its peak memory is its own. The registry is built
with --rows awards plus a tenth more that the filter leaves out (or, with --data-dir, a
registry filled by `manage.py seed_bench`, filtered to its first --rows awards by year).
The last line is one JSON object: rows, csv_seconds, csv_peak_mb, xlsx_seconds, xlsx_peak_mb.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def child(fmt, rows, data_dir):
    os.environ["REGISTRY_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "registry.settings"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings

    from awards.models import Award

    if not Award.objects.exists():
        from awards.benchdata import build

        build(persons=max(1, rows // 5), awards=rows + rows // 10)
    # The newest years until at least `rows` awards: the filter the export applies.
    year, count = 2021, 0
    while count < rows and year > 1990:
        count = Award.objects.filter(year__gte=year).count()
        year -= 1
    params = {"year_min": year + 1}
    admin = get_user_model().objects.filter(username="bench-export").first() or \
        get_user_model().objects.create_superuser("bench-export", password="x")
    client = Client()
    client.force_login(admin)
    base_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        start = time.perf_counter()
        response = client.get(f"/honours/export/{fmt}/", params)
        size = sum(len(chunk) for chunk in response.streaming_content)
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": count, "seconds": round(seconds, 2), "peak_mb": round(peak, 1),
                      "before_mb": round(base_mb, 1), "bytes": size}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--data-dir")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.rows, args.data_dir)
    import tempfile

    data_dir = args.data_dir or tempfile.mkdtemp(prefix="bench-export-")
    results = {}
    for fmt in ("csv", "xlsx"):  # the first run builds the registry when the folder is empty
        command = [sys.executable, __file__, "--child", fmt, "--rows", str(args.rows), "--data-dir", data_dir]
        run = subprocess.run(command, capture_output=True, text=True)
        if run.returncode:
            sys.stderr.write(run.stderr)
            raise SystemExit(run.returncode)
        results[fmt] = json.loads(run.stdout.strip().splitlines()[-1])
    figures = {
        "engine": "sqlite", "rows": results["csv"]["rows"],
        "csv_seconds": results["csv"]["seconds"], "csv_peak_mb": results["csv"]["peak_mb"],
        "xlsx_seconds": results["xlsx"]["seconds"], "xlsx_peak_mb": results["xlsx"]["peak_mb"],
        "csv_mb": round(results["csv"]["bytes"] / 1e6, 1), "xlsx_mb": round(results["xlsx"]["bytes"] / 1e6, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }
    print(f"Export of {figures['rows']} filtered rows — sqlite ({figures['machine']})")
    print(f"  CSV   {figures['csv_seconds']:>6.2f} s  peak {figures['csv_peak_mb']:>5.0f} MB  ({figures['csv_mb']} MB file)")
    print(f"  XLSX  {figures['xlsx_seconds']:>6.2f} s  peak {figures['xlsx_peak_mb']:>5.0f} MB  ({figures['xlsx_mb']} MB file)")
    print("  target: peak under 200 MB")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
