"""Export of the honours list to CSV and XLSX: time and peak memory for --rows filtered rows.

Usage: python bench/export.py [--engine sqlite|postgresql] [--rows 100000]
                              [--data-dir DIR | --pg-database NAME]
Each format runs in its own process, so its peak memory (resident set) is its own. A fresh
registry is built with --rows awards plus a tenth more that the filter leaves out; or, with
--data-dir / --pg-database, a registry filled by `manage.py seed_bench` is used, filtered
by year to its newest --rows awards or more. The export goes through the page's view (the
test client, no network), every byte of the streamed answer read. The last line is one JSON
object: engine, rows, csv_seconds, csv_peak_mb, xlsx_seconds, xlsx_peak_mb, and the XLSX writer of
before issue 19 measured in the same run (xlsx_before_seconds, xlsx_ratio_vs_before).
"""

import argparse
import datetime
import json
import resource
import subprocess
import tempfile
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import add_registry_options, close_registry, machine, registry_environment  # noqa: E402


# ---- the XLSX writer as it was, cell by cell through XlsxWriter (awards/exports.py before 19) ----

_WIDEST = 60
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def xlsx_before(header, rows, *, sheet_title, caption=""):
    """Today's writer before issue 19, kept to be measured beside the new one: an XLSX workbook
    written row by row into a temporary file (XlsxWriter's constant-memory
    mode: each row goes to disk as it is written, so a large export costs no more memory than
    a small one), laid out to be read: the caption (what produced it) on the first line, the
    header frozen below it with an auto-filter, dates as real dates, columns as wide as their
    content (up to _WIDEST characters).

    Text is stored as text, never as a formula: a cell that begins like a formula gets
    Excel's own quote-prefix mark, as if the user had typed an apostrophe before it.
    """
    import xlsxwriter

    handle = tempfile.TemporaryFile()
    workbook = xlsxwriter.Workbook(handle, {"constant_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    sheet = workbook.add_worksheet(sheet_title[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#F1E4E4", "border": 1})
    quoted = workbook.add_format({"quote_prefix": True})
    dated = workbook.add_format({"num_format": "dd/mm/yyyy"})
    widths = [len(str(h)) + 2 for h in header]

    def write(row_number, values, style=None):
        for column, value in enumerate(values):
            if isinstance(value, str):
                sheet.write_string(row_number, column, value, quoted if value.startswith(FORMULA_STARTS) else style)
                width = len(value)
            elif value is None:
                sheet.write_blank(row_number, column, None, style)
                width = 0
            elif isinstance(value, datetime.date):
                moment = value if isinstance(value, datetime.datetime) else datetime.datetime.combine(value, datetime.time())
                sheet.write_datetime(row_number, column, moment, dated)
                width = 10
            else:
                sheet.write_number(row_number, column, value, style)
                width = len(str(value))
            if column < len(widths) and width + 2 > widths[column]:
                widths[column] = min(width + 2, _WIDEST)

    first = 0
    if caption:
        sheet.write_string(0, 0, caption, workbook.add_format({"bold": True, "font_size": 12}))
        first = 1
    write(first, header, bold)
    last = first
    for last, row in enumerate(rows, start=first + 1):
        write(last, row)
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(first + 1, 0)
    sheet.autofilter(first, 0, last, len(header) - 1)
    workbook.close()
    handle.seek(0)
    return handle


def child(fmt, rows):
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings

    from awards.models import Award

    if fmt == "build":  # in a process of its own, so that building costs the exports no memory
        if not Award.objects.exists():
            from common import fill

            fill(persons=max(1, rows // 5), awards=rows + rows // 10, units=500)
        return
    # The newest years until at least `rows` awards: the filter the export applies.
    year, count = 2021, 0
    while count < rows and year > 1990:
        count = Award.objects.filter(year__gte=year).count()
        year -= 1
    params = {"year_min": year + 1}
    if fmt == "xlsx_before":
        from awards import exports

        exports.xlsx_file = xlsx_before
    admin = get_user_model().objects.filter(username="bench-export").first() or \
        get_user_model().objects.create_superuser("bench-export", password="x")
    client = Client()
    client.force_login(admin)
    base_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # At once, through the page (as a job, the same writer runs in the worker).
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"], REGISTRY_JOB_EXPORT_ROWS=10 ** 9):
        start = time.perf_counter()
        response = client.get(f"/honours/export/{fmt.replace('_before', '')}/", params)
        size = sum(len(chunk) for chunk in response.streaming_content)
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": count, "seconds": round(seconds, 2), "peak_mb": round(peak, 1),
                      "before_mb": round(base_mb, 1), "bytes": size}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_registry_options(parser)
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.rows)
    env, scratch = registry_environment(args.engine, data_dir=args.data_dir, pg_database=args.pg_database)
    results = {}
    try:
        for fmt in ("build", "csv", "xlsx", "xlsx_before"):  # build fills the registry when it is empty
            command = [sys.executable, __file__, "--child", fmt, "--rows", str(args.rows)]
            run = subprocess.run(command, capture_output=True, text=True, env=env)
            if run.returncode:
                sys.stderr.write(run.stderr)
                raise SystemExit(run.returncode)
            if fmt != "build":
                results[fmt] = json.loads(run.stdout.strip().splitlines()[-1])
    finally:
        close_registry(args.engine, scratch)
    figures = {
        "engine": args.engine, "rows": results["csv"]["rows"],
        "csv_seconds": results["csv"]["seconds"], "csv_peak_mb": results["csv"]["peak_mb"],
        "xlsx_seconds": results["xlsx"]["seconds"], "xlsx_peak_mb": results["xlsx"]["peak_mb"],
        "xlsx_before_seconds": results["xlsx_before"]["seconds"],
        "xlsx_ratio_vs_before": round(results["xlsx"]["seconds"] / results["xlsx_before"]["seconds"], 2),
        "csv_mb": round(results["csv"]["bytes"] / 1e6, 1), "xlsx_mb": round(results["xlsx"]["bytes"] / 1e6, 1),
        "machine": machine(),
    }
    print(f"Export of {figures['rows']} filtered rows — {args.engine} ({figures['machine']})")
    print(f"  CSV   {figures['csv_seconds']:>6.2f} s  peak {figures['csv_peak_mb']:>5.0f} MB  ({figures['csv_mb']} MB file)")
    print(f"  XLSX  {figures['xlsx_seconds']:>6.2f} s  peak {figures['xlsx_peak_mb']:>5.0f} MB  ({figures['xlsx_mb']} MB file)")
    print(f"  XLSX as before (cell by cell through XlsxWriter)  {figures['xlsx_before_seconds']:>6.2f} s")
    print(f"  XLSX ratio new / before: {figures['xlsx_ratio_vs_before']} (target at most 0.5)")
    print("  target: peak under 200 MB")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
