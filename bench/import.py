"""Spreadsheet import speed and memory: a N-row XLSX of a decision's recipients, from upload
to commit, through the registry's own page (upload and preview, then confirm).

Usage: python bench/import.py [--rows 10000]
Runs on a fresh SQLite database in a temporary folder. Prints a table, then one JSON line
with rows, seconds, rows_per_s, peak_mb (and the preview and confirm steps apart).
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


def child(rows):
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
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with override_settings(DEBUG=False):
        start = time.perf_counter()
        preview = client.post("/decisions/import/", {**form, "action": "preview",
                                                     "spreadsheet": SimpleUploadedFile("ds.xlsx", data)})
        middle = time.perf_counter()
        assert preview.status_code == 200, preview.status_code
        token = preview.context["token"]
        done = client.post("/decisions/import/", {**form, "action": "confirm", "token": token})
        end = time.perf_counter()
    assert done.status_code == 302, done.status_code
    assert Award.objects.count() == rows, Award.objects.count()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": round(end - start, 2), "preview_seconds": round(middle - start, 2),
                      "confirm_seconds": round(end - middle, 2), "peak_mb": round(peak, 1),
                      "baseline_mb": round(rss_before, 1), "xlsx_kb": len(data) // 1024}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.rows)
    run = subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--child"],
                         capture_output=True, text=True)
    if run.returncode:
        sys.stderr.write(run.stderr)
        raise SystemExit(run.returncode)
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    figures["rows_per_s"] = round(figures["rows"] / figures["seconds"], 1)
    figures["machine"] = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    print(f"Import of a {figures['rows']}-row XLSX ({figures['xlsx_kb']} KB), upload to commit — {figures['machine']}")
    for label, value in [
        ("upload + preview (read, match, check)", f"{figures['preview_seconds']:.2f} s"),
        ("confirm (read again, check again, write)", f"{figures['confirm_seconds']:.2f} s"),
        ("total (target < 20 s)", f"{figures['seconds']:.2f} s"),
        ("rows per second", f"{figures['rows_per_s']:.0f}"),
        ("peak memory of the process (target < 300 MB)", f"{figures['peak_mb']:.0f} MB (before: {figures['baseline_mb']:.0f} MB)"),
    ]:
        print(f"  {label:<48} {value}")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
