"""Certificate rendering speed and memory, measured in one run.

  (a) certificates per second for a batch through the registry's renderer, QR code included;
  (b) the peer: the same pages drawn the naive way on a bare reportlab canvas, same strings and
      font, border drawn on every page, QR code through reportlab's QrCodeWidget;
  (c) the ceiling: the same strings on a bare canvas, no border, no QR code;
  the ratios a/b and a/c; the median time of one certificate through its web view (POST, with
  the print log written); peak memory of a process printing a 5,000-certificate batch.
  Each figure in both modes: the full drawing on plain paper, and onto pre-printed blanks (only
  the variable text, each field in its box of the default layout, with a printer offset).

Usage: python bench/certificates.py [--batch 1000] [--memory-batch 5000] [--single 30]
The last line printed is one JSON object of the figures.
"""

import argparse
import base64
import json
import os
import platform
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(data_dir):
    os.environ["REGISTRY_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Quang", "Minh", "Hữu", "Ngọc", "Thanh", "Đức"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Huy", "Hưng", "Lan", "Thư", "Ước", "Yến", "Thành", "Phương"]
RANKS = ["Thiếu úy", "Trung úy", "Thượng úy", "Đại úy", "Thiếu tá", "Trung tá", "Thượng tá", "Đại tá"]


def blank_layout():
    """The default layout of an A4 blank, as the renderer's boxes."""
    from awards.certificates.blanks import FieldBox, default_boxes

    return tuple(FieldBox(field=b["field"], label=b["field"], x=b["x_mm"], y=b["y_mm"], width=b["width_mm"],
                          height=b["height_mm"], size=b["font_size"], style=b["style"], align=b["align"],
                          shrink=b["shrink"], colour=b["colour"]) for b in default_boxes(297, 210))


def certificates(n, blank=()):
    """n certificates' data, each with its own name, register number and verification code;
    onto a blank with those boxes if given."""
    from awards.certificates import CertificateData

    for i in range(n):
        code = base64.b32encode(secrets.token_bytes(16)).decode("ascii").rstrip("=")
        name = f"{RANKS[i % 8]} {FAMILY[i % 10]} {MIDDLE[(i // 10) % 8]} {GIVEN[(i // 80) % 12]}"
        yield CertificateData(
            page_width=842, page_height=595, style=("giay_khen", "bang_khen", "title")[i % 3],
            authority="CỤC TRƯỞNG CỤC QUẢN LÝ CÔNG NGHỆ", verb="TẶNG", form_name="GIẤY KHEN",
            recipient=name, recipient_detail="Trợ lý, Phòng Kế hoạch – Cục Quản lý công nghệ", collective=False,
            achievement="Đã có thành tích hoàn thành xuất sắc nhiệm vụ năm 2021",
            decision_line="Quyết định số 45/QĐ-QLCN ngày 10 tháng 01 năm 2022", register_line=f"Số sổ vàng: {i:04d}",
            place_date="Hà Nội, ngày 10 tháng 01 năm 2022", signer_prefix_line="KT. CỤC TRƯỞNG",
            signer_title="PHÓ CỤC TRƯỞNG", signer_name="Đại tá Vũ Thanh Bình",
            verify_url=f"https://khenthuong.example/verify/{code}/", verify_code=f"Mã xác thực: {code[:5]}-{code[5:10]}",
            blank=blank, offset_mm=(1.5, -0.5) if blank else (0.0, 0.0),
        )


def strings_of(data):
    return [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", data.authority, data.verb,
        data.form_name, data.recipient, data.recipient_detail, data.achievement, data.decision_line,
        data.register_line, data.place_date, data.signer_prefix_line, data.signer_title, data.signer_name,
        data.verify_code,
    ]


def run_registry(items, out):
    from awards.certificates import CertificateRenderer

    start = time.perf_counter()
    CertificateRenderer().render(iter(items), out)
    return time.perf_counter() - start


def run_bare(items, out, *, with_qr):
    """A bare canvas: each string at a fixed place; the peer adds a border and a QrCodeWidget."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.pdfgen.canvas import Canvas

    from awards.certificates.fonts import certificate_fonts

    fonts = certificate_fonts()
    start = time.perf_counter()
    canvas = Canvas(out, pageCompression=1, initialFontName=fonts.regular)
    for data in items:
        canvas.setPageSize((data.page_width, data.page_height))
        if with_qr:
            canvas.setLineWidth(3)
            canvas.rect(14, 14, data.page_width - 28, data.page_height - 28)
            canvas.setLineWidth(1)
            canvas.rect(22, 22, data.page_width - 44, data.page_height - 44)
        y = data.page_height - 60
        for i, text in enumerate(strings_of(data)):
            canvas.setFont(fonts.bold if i % 2 else fonts.regular, 14)
            canvas.drawCentredString(data.page_width / 2, y, text)
            y -= 30
        if with_qr:
            widget = QrCodeWidget(data.verify_url)
            x0, y0, x1, y1 = widget.getBounds()
            side = 62.0
            drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
            drawing.add(widget)
            renderPDF.draw(drawing, canvas, data.page_width / 2 - side / 2, 40)
        canvas.showPage()
    canvas.save()
    return time.perf_counter() - start


def single_web_setup():
    """A registry with one Giấy khen award (its title laid out on an A4 blank) and an organiser
    signed in: (client, the award's print URL)."""
    import datetime

    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from awards import roles
    from awards.choices import AuthorityLevel, Rank, TitleCategory, TitleFor
    from awards.models import Authority, CertificateLayout, Decision, Person, Title, Unit
    from awards.services import RecipientRow, decision_grant, layout_fill_defaults

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    unit = Unit.objects.create(short_name="PKH", full_name="Phòng Kế hoạch")
    person = Person.objects.create(full_name="Nguyễn Văn Thành", rank=Rank.DAI_TA, position="Trưởng phòng", unit=unit)
    authority = Authority.objects.create(name="Cục trưởng Cục Quản lý công nghệ", level=AuthorityLevel.DEPARTMENT)
    title = Title.objects.create(name="Giấy khen", code="gk", category=TitleCategory.COMMENDATION,
                                 recipient_for=TitleFor.BOTH, certificate_name="GIẤY KHEN")
    decision = decision_grant(by=None, decision=Decision(
        number="45/QĐ-QLCN", date=datetime.date(2022, 1, 10), authority=authority, achievement_year=2021,
        signer_name="Vũ Thanh Bình", signer_rank=Rank.DAI_TA, signer_title="CỤC TRƯỞNG",
        reason="Đã có thành tích hoàn thành xuất sắc nhiệm vụ năm 2021"), rows=[RecipientRow(person=person, title=title)])
    award = decision.awards.get()
    layout_fill_defaults(layout=CertificateLayout.objects.create(title=title, name="Phôi Giấy khen A4"), by=None)
    roles.ensure_roles()
    user = get_user_model().objects.create_user("bench", password="x")
    user.groups.add(Group.objects.get(name=roles.ORGANISER))
    client = Client()
    client.force_login(user)
    return client, f"/honours/{award.pk}/certificate/"


def single_web_ms(client, url, repeat, mode):
    """Median time of POST /honours/<id>/certificate/ through Django (print log included)."""
    times = []
    for _ in range(repeat + 2):
        start = time.perf_counter()
        response = client.post(url, {"mode": mode})
        body = b"".join(response.streaming_content)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200 and body.startswith(b"%PDF"), response.status_code
    return statistics.median(times[2:])


def memory_child(n, blank):
    """Run in a fresh process: print a batch of n to a file; report the peak resident size."""
    data_dir = tempfile.mkdtemp(prefix="bench-cert-")
    setup_django(data_dir)
    with tempfile.TemporaryFile() as out:
        seconds = run_registry(certificates(n, blank_layout() if blank else ()), out)
        size = out.tell()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_mb": round(peak_mb, 1), "seconds": round(seconds, 2), "pdf_mb": round(size / 1e6, 1)}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--memory-batch", type=int, default=5000)
    parser.add_argument("--single", type=int, default=30)
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--blank", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        return memory_child(args.memory_child, args.blank)

    data_dir = Path(tempfile.mkdtemp(prefix="bench-cert-"))
    setup_django(data_dir)
    items = list(certificates(args.batch))
    on_blanks = list(certificates(args.batch, blank_layout()))
    run_registry(items[:20], tempfile.TemporaryFile())  # fonts registered, caches warm
    run_registry(on_blanks[:20], tempfile.TemporaryFile())
    with tempfile.TemporaryFile() as out:
        registry_s = run_registry(items, out)
    with tempfile.TemporaryFile() as out:
        blank_s = run_registry(on_blanks, out)
    with tempfile.TemporaryFile() as out:
        naive_s = run_bare(items, out, with_qr=True)
    with tempfile.TemporaryFile() as out:
        ceiling_s = run_bare(items, out, with_qr=False)
    client, url = single_web_setup()
    single_ms = single_web_ms(client, url, args.single, "full")
    single_blank_ms = single_web_ms(client, url, args.single, "blank")
    memory = {}
    for mode, flags in (("full", []), ("blank", ["--blank"])):
        child = subprocess.run([sys.executable, __file__, "--memory-child", str(args.memory_batch), *flags],
                               capture_output=True, text=True, check=True)
        memory[mode] = json.loads(child.stdout.strip().splitlines()[-1])

    figures = {
        "batch": args.batch,
        "certs_per_s": round(args.batch / registry_s, 1),
        "blank_certs_per_s": round(args.batch / blank_s, 1),
        "naive_per_s": round(args.batch / naive_s, 1),
        "ceiling_per_s": round(args.batch / ceiling_s, 1),
        "ratio_vs_naive": round(naive_s / registry_s, 2),
        "ratio_vs_ceiling": round(ceiling_s / registry_s, 3),
        "blank_ratio_vs_naive": round(naive_s / blank_s, 2),
        "blank_ratio_vs_ceiling": round(ceiling_s / blank_s, 3),
        "single_ms_median": round(single_ms, 1),
        "blank_single_ms_median": round(single_blank_ms, 1),
        "memory_batch": args.memory_batch,
        "peak_mb_5000": memory["full"]["peak_mb"],
        "memory_batch_seconds": memory["full"]["seconds"],
        "memory_batch_pdf_mb": memory["full"]["pdf_mb"],
        "blank_peak_mb_5000": memory["blank"]["peak_mb"],
        "blank_memory_batch_seconds": memory["blank"]["seconds"],
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }
    rows = [
        ("(a) registry renderer, full drawing, QR included", f"{figures['certs_per_s']:.0f} certificates/s"),
        ("(a') registry renderer, onto blanks, QR included", f"{figures['blank_certs_per_s']:.0f} certificates/s"),
        ("(b) naive: bare canvas + QrCodeWidget", f"{figures['naive_per_s']:.0f} certificates/s"),
        ("(c) ceiling: same strings, no QR", f"{figures['ceiling_per_s']:.0f} certificates/s"),
        ("a/b, a'/b (target ≥ 10)", f"{figures['ratio_vs_naive']:.1f}, {figures['blank_ratio_vs_naive']:.1f}"),
        ("a/c, a'/c (target ≥ 0.2)", f"{figures['ratio_vs_ceiling']:.2f}, {figures['blank_ratio_vs_ceiling']:.2f}"),
        ("one certificate via its web view, median, full / blank (target < 100 ms)",
         f"{figures['single_ms_median']:.1f} ms / {figures['blank_single_ms_median']:.1f} ms"),
        (f"peak memory, {args.memory_batch} certificates, full (target < 300 MB)",
         f"{figures['peak_mb_5000']:.0f} MB ({memory['full']['seconds']:.1f} s, {memory['full']['pdf_mb']:.1f} MB PDF)"),
        (f"peak memory, {args.memory_batch} certificates, onto blanks (target < 300 MB)",
         f"{figures['blank_peak_mb_5000']:.0f} MB ({memory['blank']['seconds']:.1f} s, {memory['blank']['pdf_mb']:.1f} MB PDF)"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"Certificates, batch of {args.batch} — {figures['machine']}")
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
