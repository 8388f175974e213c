"""Spreadsheet import speed and memory: a N-row XLSX of a decision's recipients, from upload
to commit, through the registry's own page (upload and preview, then confirm; a confirm of more
than REGISTRY_JOB_IMPORT_ROWS rows is a job, run here by the worker as `manage.py db_worker` would).

Usage: python bench/import.py [--rows 10000] [--profile FILE]
       python bench/import.py --ledger [--rows 50000] [--engine sqlite|postgresql] [--profile FILE]
Runs on a fresh SQLite database in a temporary folder. In the same run, a bare read of the same
file with openpyxl in read-only mode (every cell's value, nothing else): ratio_vs_read is the
whole import over that read, a figure a busy machine changes far less than a time. Prints a
table, then one JSON line with rows, seconds, ratio_vs_read, rows_per_s, peak_mb (and the
preview and confirm steps apart). --profile writes cProfile's statistics of the import to FILE.

--ledger imports instead a ledger of past honours (one row each naming its decision) over
rows/25 decisions, through the ledger's page and the worker, on a fresh SQLite database or a
scratch PostgreSQL one (--engine); its last line has rows, decisions, seconds, peak_mb and engine.
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


def make_people(count, units):
    """`count` people with names as offices have them (many alike), each with a service number."""
    from awards.choices import Rank
    from awards.models import Person

    people = []
    for i in range(count):
        name = f"{FAMILY[i % 10]} {MIDDLE[(i // 10) % 8]} {GIVEN[(i // 80) % 12]} {i // 960 or ''}".strip()
        person = Person(full_name=name, rank=Rank.DAI_UY, unit=units[i % 40], service_number=f"QN-{i:07d}")
        person.normalize()
        people.append(person)
    Person.objects.bulk_create(people, batch_size=2000)
    return people


def profiled(profile):
    """A running cProfile profiler when a file was asked for, else None."""
    if not profile:
        return None
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    return profiler


def confirmed(done):
    """The confirm's answer: a redirect, to a job the worker then runs as `manage.py db_worker` would."""
    from django.core.management import call_command

    assert done.status_code == 302, done.status_code
    if done["Location"].startswith("/jobs/"):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)


def finished(profiler, profile, rows):
    """The profile written (if asked), and every row in the registry."""
    from awards.models import Award

    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    assert Award.objects.count() == rows, Award.objects.count()


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

    from awards.choices import AuthorityLevel, TitleCategory, TitleFor
    from awards.models import Authority, Title, Unit

    setup_test_environment()
    call_command("migrate", verbosity=0)
    top = Unit.objects.create(short_name="TC", full_name="Tổng cục Công nghiệp quốc phòng")
    units = [Unit.objects.create(parent=top, short_name=f"P{i}", full_name=f"Phòng số {i} Cục Quản lý công nghệ")
             for i in range(40)]
    people = make_people(rows, units)
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
    profiler = profiled(profile)
    with override_settings(DEBUG=False):
        start = time.perf_counter()
        preview = client.post("/decisions/import/", {**form, "action": "preview",
                                                     "spreadsheet": SimpleUploadedFile("ds.xlsx", data)})
        middle = time.perf_counter()
        assert preview.status_code == 200, preview.status_code
        token = preview.context["token"]
        confirmed(client.post("/decisions/import/", {**form, "action": "confirm", "token": token}))
        end = time.perf_counter()
    finished(profiler, profile, rows)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": round(end - start, 2), "read_seconds": round(read_seconds, 3),
                      "ratio_vs_read": round((end - start) / read_seconds, 2), "preview_seconds": round(middle - start, 2),
                      "confirm_seconds": round(end - middle, 2), "peak_mb": round(peak, 1),
                      "baseline_mb": round(rss_before, 1), "xlsx_kb": len(data) // 1024}))


def ledger_child(rows, engine, profile=None):
    """A ledger of `rows` past honours over rows/25 decisions (20 years, four authorities — two
    keeping their book here, two above — three titles, dates in the three shapes offices left,
    one honour in a hundred since revoked), imported from upload to commit."""
    sys.path.insert(0, str(ROOT / "bench"))
    from common import close_registry, open_registry

    scratch = open_registry(engine)
    try:
        return _ledger_import(rows, engine, profile)
    finally:
        close_registry(engine, scratch)


def _ledger_import(rows, engine, profile):
    import datetime

    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment
    from openpyxl import Workbook

    from awards.choices import AuthorityLevel, TitleCategory, TitleFor
    from awards.models import Authority, Decision, Title, Unit

    setup_test_environment()
    top = Unit.objects.create(short_name="TC", full_name="Tổng cục Công nghiệp quốc phòng")
    units = [Unit.objects.create(parent=top, short_name=f"P{i}", full_name=f"Phòng số {i} Cục Quản lý công nghệ")
             for i in range(40)]
    count = max(rows // 5, 1)
    people = make_people(count, units)
    authorities = [
        Authority.objects.create(name="Cục trưởng Cục Quản lý công nghệ", level=AuthorityLevel.DEPARTMENT),
        Authority.objects.create(name="Đảng ủy Cục Quản lý công nghệ", level=AuthorityLevel.DEPARTMENT, kind="party"),
        Authority.objects.create(name="Chủ nhiệm Tổng cục Công nghiệp quốc phòng", keeps_book=False,
                                 level=AuthorityLevel.GENERAL_DEPARTMENT),
        Authority.objects.create(name="Bộ trưởng Bộ Quốc phòng", keeps_book=False, level=AuthorityLevel.MINISTRY),
    ]
    titles = [
        Title.objects.create(name="Chiến sĩ tiên tiến", code="cstt", category=TitleCategory.EMULATION_TITLE,
                             recipient_for=TitleFor.INDIVIDUAL, certificate_name="CHIẾN SĨ TIÊN TIẾN"),
        Title.objects.create(name="Giấy khen", code="gk", category=TitleCategory.COMMENDATION,
                             recipient_for=TitleFor.BOTH, certificate_name="GIẤY KHEN"),
        Title.objects.create(name="Bằng khen", code="bk", category=TitleCategory.COMMENDATION,
                             recipient_for=TitleFor.BOTH, certificate_name="BẰNG KHEN"),
    ]
    admin = get_user_model().objects.create_superuser("bench", password="x")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sổ khen thưởng")
    sheet.append(["STT", "Số quyết định", "Ngày quyết định", "Cấp quyết định", "Danh hiệu / Hình thức",
                  "Năm thành tích", "Họ và tên", "Cấp bậc", "Chức vụ", "Đơn vị", "Số hiệu quân nhân", "Số sổ vàng",
                  "Tình trạng", "Số quyết định thu hồi", "Ngày thu hồi", "Lý do thu hồi"])
    per_decision, decisions = 25, max(rows // 25, 1)
    per_year = max(decisions // 20, 1)
    numbered = {}
    for i in range(rows):
        d = i // per_decision
        year = 2004 + d // per_year
        authority = authorities[d % 4]
        number = (f"{d + 1}-QĐ/ĐU" if authority.kind == "party" else
                  f"{d + 1}/QĐ-QLCN" if authority.keeps_book else f"{d + 1}/QĐ-TCCNQP")
        signed = datetime.date(year + 1, 1 + d % 12, 1 + d % 28)
        when = [signed, signed.strftime("%d/%m/%Y"), (signed - datetime.date(1899, 12, 30)).days][d % 3]
        person = people[((d // per_year) * per_year * per_decision + i % (per_year * per_decision)) % count]
        key = (authority.pk, year)
        numbered[key] = numbered.get(key, 0) + 1
        revoked = i % 100 == 99
        sheet.append([i + 1, number, when, authority.name, titles[(d // 4) % 3].name, year, person.full_name,
                      "Đại úy", "Trợ lý", person.unit.full_name, person.service_number, numbered[key],
                      "Thu hồi" if revoked else "", f"{i + 1}/QĐ-TH" if revoked else "",
                      datetime.date(year + 2, 6, 1) if revoked else "", "Kê khai không đúng" if revoked else ""])
    out = io.BytesIO()
    workbook.save(out)
    data = out.getvalue()
    client = Client()
    client.force_login(admin)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    profiler = profiled(profile)
    with override_settings(DEBUG=False):
        start = time.perf_counter()
        response = client.post("/decisions/ledger/", {"action": "preview",
                                                      "spreadsheet": SimpleUploadedFile("so-khen-thuong.xlsx", data)})
        if response.status_code == 302 and response["Location"].startswith("/jobs/"):  # read and checked by the worker
            call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
            response = client.get(response["Location"])
            response = client.get(response.context["job"].result_url)
        middle = time.perf_counter()
        assert response.status_code == 200, response.status_code
        preview = response.context["preview"]
        assert not preview["errors"], [r["problems"] for r in preview["shown"] if r["status"] == "error"][:3]
        confirmed(client.post("/decisions/ledger/", {"action": "confirm", "token": response.context["token"]}))
        end = time.perf_counter()
    finished(profiler, profile, rows)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "decisions": Decision.objects.count(), "seconds": round(end - start, 2),
                      "preview_seconds": round(middle - start, 2), "confirm_seconds": round(end - middle, 2),
                      "peak_mb": round(peak, 1), "baseline_mb": round(rss_before, 1), "xlsx_kb": len(data) // 1024,
                      "engine": engine}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None, help="10,000 (a decision's recipients) or 50,000 (--ledger)")
    parser.add_argument("--ledger", action="store_true",
                        help="a ledger of past honours over rows/25 decisions instead of one decision's recipients")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite",
                        help="with --ledger: the database (PostgreSQL: a scratch database on 127.0.0.1:5432)")
    parser.add_argument("--profile", help="write cProfile statistics of the import to this file")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    rows = args.rows or (50000 if args.ledger else 10000)
    if args.child:
        return ledger_child(rows, args.engine, args.profile) if args.ledger else child(rows, args.profile)
    run = subprocess.run([sys.executable, __file__, "--rows", str(rows), "--child", "--engine", args.engine]
                         + (["--ledger"] if args.ledger else []) + (["--profile", args.profile] if args.profile else []),
                         capture_output=True, text=True)
    if run.returncode:
        sys.stderr.write(run.stderr)
        raise SystemExit(run.returncode)
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    if args.ledger:
        return report_ledger(figures)
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


def report_ledger(figures):
    figures["rows_per_s"] = round(figures["rows"] / figures["seconds"], 1)
    figures["machine"] = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    print(f"Import of a ledger of {figures['rows']} past honours over {figures['decisions']} decisions "
          f"({figures['xlsx_kb']} KB), upload to commit — {figures['engine']}, {figures['machine']}")
    for label, value in [
        ("upload + preview (read, group, match, check)", f"{figures['preview_seconds']:.2f} s"),
        ("confirm (check again, write)", f"{figures['confirm_seconds']:.2f} s"),
        ("total (target < 60 s)", f"{figures['seconds']:.2f} s"),
        ("rows per second", f"{figures['rows_per_s']:.0f}"),
        ("peak memory of the process (target < 400 MB)", f"{figures['peak_mb']:.0f} MB (before: {figures['baseline_mb']:.0f} MB)"),
    ]:
        print(f"  {label:<48} {value}")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
