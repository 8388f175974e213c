"""Spreadsheet import speed and memory: a N-row XLSX of a decision's recipients, from upload
to commit, through the registry's own page (upload and preview, then confirm; a confirm of more
than REGISTRY_JOB_IMPORT_ROWS rows is a job, run here by the worker as `manage.py db_worker` would).

Usage: python bench/import.py [--rows 10000] [--profile FILE]
Runs on a fresh SQLite database in a temporary folder. In the same run, a bare read of the same
file with openpyxl in read-only mode (every cell's value, nothing else): ratio_vs_read is the
whole import over that read, a figure a busy machine changes far less than a time. Prints a
table, then one JSON line with rows, seconds, ratio_vs_read, rows_per_s, peak_mb (and the
preview and confirm steps apart). --profile writes cProfile's statistics of the import to FILE.
"""

import argparse
import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Quang", "Minh", "Hữu", "Ngọc", "Thanh", "Đức"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Huy", "Hưng", "Lan", "Thư", "Ước", "Yến", "Thành", "Phương"]


def bare_read(data):
    """Seconds to read every cell of the workbook with openpyxl in read-only mode, the best of three."""
    from openpyxl import load_workbook

    best = None
    for _ in range(3):
        start = time.perf_counter()
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for _row in workbook.worksheets[0].iter_rows(values_only=True):
            pass
        workbook.close()
        seconds = time.perf_counter() - start
        best = seconds if best is None else min(best, seconds)
    return best


def child(rows, profile=None):
    data_dir = tempfile.mkdtemp(prefix="bench-import-")
    os.environ["REGISTRY_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "registry.settings"
    os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment
    from openpyxl import Workbook

    from awards.choices import AuthorityLevel, Rank, TitleCategory, TitleFor
    from awards.models import Authority, Award, Person, Title, Unit

    setup_test_environment()
    call_command("migrate", verbosity=0)
    top = Unit.objects.create(short_name="TC", full_name="Tổng cục Công nghiệp quốc phòng")
    units = [Unit.objects.create(parent=top, short_name=f"P{i}", full_name=f"Phòng số {i} Cục Quản lý công nghệ")
             for i in range(40)]
    people = []
    for i in range(rows):
        name = f"{FAMILY[i % 10]} {MIDDLE[(i // 10) % 8]} {GIVEN[(i // 80) % 12]} {i // 960 or ''}".strip()
        person = Person(full_name=name, rank=Rank.DAI_UY, unit=units[i % 40], service_number=f"QN-{i:07d}")
        person.normalize()
        people.append(person)
    Person.objects.bulk_create(people, batch_size=2000)
    authority = Authority.objects.create(name="Cục trưởng Cục Quản lý công nghệ", level=AuthorityLevel.DEPARTMENT)
    title = Title.objects.create(name="Chiến sĩ tiên tiến", code="cstt", category=TitleCategory.EMULATION_TITLE,
                                 recipient_for=TitleFor.INDIVIDUAL, certificate_name="CHIẾN SĨ TIÊN TIẾN")
    admin = get_user_model().objects.create_superuser("bench", password="x")

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(["DANH SÁCH ĐỀ NGHỊ TẶNG DANH HIỆU CHIẾN SĨ TIÊN TIẾN NĂM 2021"])
    sheet.append(["STT", "Họ và tên", "Cấp bậc", "Chức vụ", "Đơn vị", "Số hiệu quân nhân", "Danh hiệu / Hình thức",
                  "Thành tích"])
    for i, p in enumerate(people, start=1):
        sheet.append([i, p.full_name, "Đại úy", "Trợ lý", units[(i - 1) % 40].full_name, p.service_number,
                      "Chiến sĩ tiên tiến", "Hoàn thành xuất sắc nhiệm vụ năm 2021"])
    out = io.BytesIO()
    workbook.save(out)
    data = out.getvalue()

    client = Client()
    client.force_login(admin)
    form = {"number": "45/QĐ-QLCN", "date": "2022-01-14", "authority": authority.pk, "kind": "annual",
            "achievement_year": "2021", "title": title.pk, "subject": "Về việc tặng danh hiệu Chiến sĩ tiên tiến",
            "reason": "", "signer_prefix": "", "signer_on_behalf_of": "", "signer_title": "CỤC TRƯỞNG",
            "signer_rank": "", "signer_name": "Vũ Thanh Bình"}
    read_seconds = bare_read(data)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    with override_settings(DEBUG=False):
        start = time.perf_counter()
        preview = client.post("/decisions/import/", {**form, "action": "preview",
                                                     "spreadsheet": SimpleUploadedFile("ds.xlsx", data)})
        middle = time.perf_counter()
        assert preview.status_code == 200, preview.status_code
        token = preview.context["token"]
        done = client.post("/decisions/import/", {**form, "action": "confirm", "token": token})
        assert done.status_code == 302, done.status_code
        if done["Location"].startswith("/jobs/"):  # the worker's turn
            call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
        end = time.perf_counter()
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    assert Award.objects.count() == rows, Award.objects.count()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": round(end - start, 2), "read_seconds": round(read_seconds, 3),
                      "ratio_vs_read": round((end - start) / read_seconds, 2), "preview_seconds": round(middle - start, 2),
                      "confirm_seconds": round(end - middle, 2), "peak_mb": round(peak, 1),
                      "baseline_mb": round(rss_before, 1), "xlsx_kb": len(data) // 1024}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--profile", help="write cProfile statistics of the import to this file")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.rows, args.profile)
    run = subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--child"]
                         + (["--profile", args.profile] if args.profile else []), capture_output=True, text=True)
    if run.returncode:
        sys.stderr.write(run.stderr)
        raise SystemExit(run.returncode)
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    figures["rows_per_s"] = round(figures["rows"] / figures["seconds"], 1)
    figures["machine"] = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    print(f"Import of a {figures['rows']}-row XLSX ({figures['xlsx_kb']} KB), upload to commit — {figures['machine']}")
    for label, value in [
        ("upload + preview (read, match, check)", f"{figures['preview_seconds']:.2f} s"),
        ("confirm (check again, write; a job)", f"{figures['confirm_seconds']:.2f} s"),
        ("total (target < 10 s)", f"{figures['seconds']:.2f} s"),
        ("bare read with openpyxl, read-only", f"{figures['read_seconds']:.2f} s"),
        ("ratio: import / bare read (target < 3)", f"{figures['ratio_vs_read']:.2f}"),
        ("rows per second", f"{figures['rows_per_s']:.0f}"),
        ("peak memory of the process (target < 300 MB)", f"{figures['peak_mb']:.0f} MB (before: {figures['baseline_mb']:.0f} MB)"),
    ]:
        print(f"  {label:<48} {value}")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
