"""Printing onto pre-printed blanks (phôi): each variable field in its box, in millimetres from
the paper's top-left corner, moved by the printer's offset; and the alignment sheet that shows
the boxes and a millimetre ruler on plain paper. Pure geometry and drawing; no queries here."""

from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

LEADING = 1.2        # line height as a multiple of the font size
MIN_SIZE = 4.0       # a field that shrinks to fit stops here (pt)
GUIDE = Color(0.35, 0.45, 0.75)
GREY = Color(0.45, 0.45, 0.45)
RED = Color(0.69, 0.07, 0.11)
INK = Color(0.08, 0.08, 0.1)


@dataclass(frozen=True)
class FieldBox:
    """One field's box on the blank: x, y from the paper's top-left corner, all in millimetres."""

    field: str
    label: str
    x: float
    y: float
    width: float
    height: float
    size: float = 14.0
    style: str = "regular"    # "regular", "bold", "italic"
    align: str = "centre"     # "left", "centre", "right"
    shrink: bool = True
    colour: str = "black"     # "black", "red"


# Where the full drawing puts each field on A4 landscape (297 × 210 mm): a new layout starts
# from these, scaled to its paper, and is then moved to match the blank in hand.
_A4_DEFAULTS = [
    # field, x, y, width, height, size, style, align
    ("heading", 30, 36, 237, 14, 17, "bold", "centre", "red"),
    ("title", 30, 56, 237, 17, 36, "bold", "centre", "red"),
    ("recipient", 20, 86, 257, 11, 24, "bold", "centre", "black"),
    ("detail", 20, 99, 257, 8, 15, "italic", "centre", "black"),
    ("achievement", 25, 109, 247, 17, 15, "italic", "centre", "black"),
    ("place_date", 163, 134, 117, 7, 12, "italic", "centre", "black"),
    ("signer_office", 163, 142, 117, 11, 12, "bold", "centre", "black"),
    ("signer_name", 163, 187, 117, 7, 13, "bold", "centre", "black"),
    ("decision", 17, 166, 112, 10, 11, "italic", "left", "black"),
    ("register", 17, 178, 112, 6, 11, "italic", "left", "black"),
    ("qr", 137.5, 172, 22, 22, 8, "regular", "centre", "black"),
]


def default_boxes(width_mm, height_mm, labels=None):
    """The starting boxes for a blank of this size, as dicts of LayoutField values."""
    sx, sy = width_mm / 297.0, height_mm / 210.0
    size_scale = min(sx, sy)
    boxes = []
    for field, x, y, w, h, size, style, align, colour in _A4_DEFAULTS:
        if field == "qr":
            side = round(w * size_scale, 1)
            boxes.append({"field": field, "x_mm": round(width_mm / 2 - side / 2, 1), "y_mm": round(y * sy, 1),
                          "width_mm": side, "height_mm": side, "font_size": size, "style": style,
                          "align": align, "shrink": False, "colour": colour})
            continue
        boxes.append({"field": field, "x_mm": round(x * sx, 1), "y_mm": round(y * sy, 1),
                      "width_mm": round(w * sx, 1), "height_mm": round(h * sy, 1),
                      "font_size": round(size * size_scale * 2) / 2, "style": style, "align": align,
                      "shrink": True, "colour": colour})
    return boxes


# What the layout pages show in each box: a certificate as offices write one.
SAMPLE_TEXTS = {
    "heading": "CỤC TRƯỞNG CỤC QUẢN LÝ CÔNG NGHỆ",
    "title": "GIẤY KHEN",
    "recipient": "Đại tá Nguyễn Văn Thành",
    "detail": "Trưởng phòng Khoa học quân sự, Cục Quản lý công nghệ",
    "achievement": "Đã có thành tích hoàn thành xuất sắc nhiệm vụ năm 2021",
    "decision": "Quyết định số 45/QĐ-QLCN ngày 10 tháng 01 năm 2022",
    "register": "Số sổ vàng: 0123",
    "place_date": "Hà Nội, ngày 10 tháng 01 năm 2022",
    "signer_office": "KT. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG",
    "signer_name": "Đại tá Vũ Thanh Bình",
    "qr": "QR",
}


def field_texts(data):
    """Each field's text for one certificate (CertificateData), lines split by "\\n"."""
    office = "\n".join(x for x in (data.signer_prefix_line, data.signer_title) if x)
    return {
        "heading": data.authority, "title": data.form_name, "recipient": data.recipient,
        "detail": data.recipient_detail, "achievement": data.achievement, "decision": data.decision_line,
        "register": data.register_line, "place_date": data.place_date, "signer_office": office,
        "signer_name": data.signer_name, "qr": data.verify_url,
    }


def _font(fonts, style):
    return {"bold": fonts.bold, "italic": fonts.italic}.get(style, fonts.regular)


def _descent(font, size):
    """The font's descent at size, in points (negative): what a PDF reader puts under the baseline."""
    return getFont(font).face.descent / 1000.0 * size


def fit_box(text, font, box, wrap):
    """(size, lines) for text in the box: at the box's size, wrapped to its width; a box that
    shrinks to fit goes down until every line fits its width and the lines its height."""
    width, height = box.width * mm, box.height * mm
    size = float(box.size)
    while True:
        lines = []
        for part in text.split("\n"):
            lines += wrap(part, font, size, width) if part.strip() else []
        tall = size + (len(lines) - 1) * size * LEADING
        wide = max((stringWidth(line, font, size) for line in lines), default=0)
        if not box.shrink or (tall <= height + 0.01 and wide <= width + 0.01) or size <= MIN_SIZE:
            return size, lines
        size -= 0.25


def place_lines(data, boxes, fonts, offset, page_height, wrap):
    """Every line to print on the blank: (text, font, size, x, y, align, colour) in points, each
    first line's em box touching its box's top, moved by the printer's offset (right, down)."""
    texts = field_texts(data)
    dx, dy = offset
    placed = []
    for box in boxes:
        if box.field == "qr":
            continue
        text = texts.get(box.field, "")
        if not text:
            continue
        font = _font(fonts, box.style)
        size, lines = fit_box(text, font, box, wrap)
        top = page_height - (box.y + dy) * mm
        left, right = (box.x + dx) * mm, (box.x + dx + box.width) * mm
        x = {"left": left, "right": right}.get(box.align, (left + right) / 2)
        colour = RED if box.colour == "red" else INK
        for index, line in enumerate(lines):
            baseline = top - size - _descent(font, size) - index * size * LEADING
            placed.append((line, font, size, x, baseline, box.align, colour))
    return placed


def qr_place(boxes, offset, page_height):
    """(x, y, side) in points of the QR code on the blank, or None if the layout has none."""
    for box in boxes:
        if box.field == "qr":
            side = min(box.width, box.height) * mm
            return (box.x + offset[0]) * mm, page_height - (box.y + offset[1]) * mm - side, side
    return None


def draw_ruler(canvas, width_mm, height_mm, font, offset):
    """Millimetre rulers along the top and left edges (a tick each mm, longer each 5, numbered
    each 10), moved by the printer's offset so that a calibrated printer lands them true."""
    dx, dy = offset
    height = height_mm * mm
    canvas.saveState()
    canvas.setStrokeColor(INK)
    canvas.setFillColor(INK)
    canvas.setLineWidth(0.25)
    canvas.setFont(font, 6)
    for step in range(0, int(width_mm) + 1):
        length = 6 if step % 10 == 0 else 4 if step % 5 == 0 else 2
        x = (step + dx) * mm
        canvas.line(x, height - dy * mm, x, height - (dy + length) * mm)
        if step % 10 == 0 and step:
            canvas.drawCentredString(x, height - (dy + 9) * mm, str(step))
    for step in range(0, int(height_mm) + 1):
        length = 6 if step % 10 == 0 else 4 if step % 5 == 0 else 2
        y = height - (step + dy) * mm
        canvas.line(dx * mm, y, (dx + length) * mm, y)
        if step % 10 == 0 and step:
            canvas.drawString((dx + 7) * mm, y - 2, str(step))
    canvas.restoreState()


def draw_alignment_sheet(canvas, *, boxes, width_mm, height_mm, offset, fonts, heading):
    """One plain page at the blank's size: every field's box, named, with a cross at its
    top-left corner, and the rulers; to hold against a blank (or print on one) and compare."""
    width, height = width_mm * mm, height_mm * mm
    canvas.setPageSize((width, height))
    dx, dy = offset
    canvas.setFillColor(INK)
    canvas.setFont(fonts.bold, 11)
    canvas.drawCentredString(width / 2, height - 16 * mm, heading)
    canvas.setFont(fonts.italic, 8)
    canvas.drawCentredString(width / 2, height - 21 * mm,
                             f"Độ lệch máy in đang dùng: {dx:+.1f} mm sang phải, {dy:+.1f} mm xuống dưới. "
                             "Đặt lên phôi, soi đèn: mỗi khung phải trùng chỗ in trên phôi.")
    draw_ruler(canvas, width_mm, height_mm, fonts.regular, offset)
    for box in boxes:
        x, top = (box.x + dx) * mm, height - (box.y + dy) * mm
        w, h = box.width * mm, box.height * mm
        canvas.saveState()
        canvas.setStrokeColor(GUIDE)
        canvas.setLineWidth(0.5)
        canvas.setDash(2, 1.5)
        canvas.rect(x, top - h, w, h)
        canvas.setDash()
        canvas.line(x - 2 * mm, top, x + 2 * mm, top)
        canvas.line(x, top - 2 * mm, x, top + 2 * mm)
        canvas.setFillColor(GUIDE)
        canvas.setFont(fonts.regular, 6.5)
        canvas.drawString(x + 1 * mm, top - 3 * mm, f"{box.label} ({box.x:g}; {box.y:g}) {box.width:g}×{box.height:g} mm")
        canvas.restoreState()
