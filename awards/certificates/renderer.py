"""Certificates drawn with reportlab: prepared data in, PDF bytes out; no queries here."""

import functools
import unicodedata
from dataclasses import dataclass, field, replace

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from . import blanks
from .fonts import certificate_fonts
from .qr import qr_runs

NATIONAL_HEADING = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PARTY_HEADING = "ĐẢNG CỘNG SẢN VIỆT NAM"  # a Party body's documents (Hướng dẫn 36-HD/VPTW): no motto

RED = Color(0.69, 0.07, 0.11)
GOLD = Color(0.78, 0.62, 0.22)
NAVY = Color(0.12, 0.22, 0.45)
INK = Color(0.08, 0.08, 0.1)

# Base page: A4 landscape in points; every length below scales with the page.
BASE_WIDTH, BASE_HEIGHT = 842.0, 595.0
BORDER_INSET = 14.0   # the outer printed border, from the paper's edge
TEXT_INSET = 48.0     # text stays this far inside the paper's edge (inside every border line)
SIGNATURE_GAP = 35 * mm
EMBLEM_BAND = 44.0    # with an emblem, the national heading and everything below move down this much


@dataclass(frozen=True)
class CertificateData:
    """Everything one certificate prints, already worded; the renderer only lays it out."""

    page_width: float
    page_height: float
    style: str                 # "bang_khen", "giay_khen" or "title"
    authority: str             # "CỤC TRƯỞNG CỤC QUẢN LÝ CÔNG NGHỆ"
    verb: str                  # "TẶNG" or "TẶNG DANH HIỆU"
    form_name: str             # "BẰNG KHEN", "CHIẾN SĨ THI ĐUA CƠ SỞ"
    recipient: str             # "Đại tá Nguyễn Văn Thành" or the collective's full name
    recipient_detail: str      # "Trưởng phòng, Phòng Kế hoạch" ("" for a collective)
    collective: bool
    achievement: str
    decision_line: str         # "Quyết định số 45/QĐ-TCCNQP ngày 10 tháng 01 năm 2022"
    register_line: str         # "Số sổ vàng: 0123"
    place_date: str            # "Hà Nội, ngày 10 tháng 01 năm 2022"
    signer_prefix_line: str    # "KT. CỤC TRƯỞNG" or ""
    signer_title: str          # "PHÓ CỤC TRƯỞNG"
    signer_name: str           # "Đại tá Vũ Thanh Bình"
    verify_url: str
    verify_code: str           # printed under the QR code
    watermark: str = ""        # e.g. "BẢN XEM TRƯỚC" on a preview
    extra: dict = field(default_factory=dict, compare=False)
    blank: tuple = ()          # FieldBoxes: print only the variable text, onto a pre-printed blank
    offset_mm: tuple = (0.0, 0.0)  # the printer's offset (right, down) for a blank

    def normalized(self):
        """Every text in NFC: NFD input keeps its diacritics as precomposed letters."""
        changes = {
            name: unicodedata.normalize("NFC", value)
            for name, value in self.__dict__.items() if isinstance(value, str)
        }
        return replace(self, **changes)


@dataclass(frozen=True)
class _Line:
    text: str
    font: str
    size: float


def _wrap(text, font, size, width):
    """Words into lines no wider than width; a word too long for a line is cut."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if stringWidth(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while stringWidth(word, font, size) > width:
            cut = len(word)
            while cut > 1 and stringWidth(word[:cut], font, size) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


@functools.lru_cache(maxsize=4096)
def fit(text, font, size, width, *, min_size, max_lines=1):
    """The largest size ≤ size at which text fits width in at most max_lines lines.

    One line is tried first from size down to min_size; then wrapping at each size;
    below min_size the text keeps shrinking rather than ever leaving the border.
    """
    if not text:
        return ()
    s = size
    while s >= min_size:
        if stringWidth(text, font, s) <= width:
            return (_Line(text, font, s),)
        s -= 0.5
    s = size
    while s > 1:
        lines = _wrap(text, font, s, width)
        if len(lines) <= max_lines and (s <= min_size or len(lines) > 1):
            return tuple(_Line(line, font, s) for line in lines)
        s -= 0.5
    return tuple(_Line(line, font, 1) for line in _wrap(text, font, 1, width))


class CertificateRenderer:
    """Lays certificates out on a canvas; the border and the national heading are drawn once
    per page size and style as a reusable form, and each QR code is one path."""

    def __init__(self, fonts=None):
        self.fonts = fonts or certificate_fonts()

    # -- public -------------------------------------------------------------------------------
    def render(self, certificates, out):
        """Write every certificate as one page of one PDF to the binary file out; return pages."""
        canvas = Canvas(out, pageCompression=1, initialFontName=self.fonts.regular)
        canvas.setTitle("Giấy chứng nhận khen thưởng")
        canvas.setCreator("Sổ thi đua – khen thưởng")
        forms = {}
        pages = 0
        for data in certificates:
            self.draw(canvas, data.normalized(), forms)
            canvas.showPage()
            pages += 1
        if not pages:
            canvas.showPage()
        canvas.save()
        return pages

    def draw(self, canvas, data, forms):
        w, h = data.page_width, data.page_height
        canvas.setPageSize((w, h))
        if data.style == "flag":
            self.draw_flag_sheet(canvas, data)
            return
        if data.blank:
            self.draw_on_blank(canvas, data)
            return
        party = bool(data.extra.get("party"))
        emblem = data.extra.get("emblem") or ""
        key = (w, h, data.style, party, emblem)
        if key not in forms:
            forms[key] = f"art{len(forms)}"
            canvas.beginForm(forms[key], lowerx=0, lowery=0, upperx=w, uppery=h)
            self.draw_artwork(canvas, w, h, data.style, party=party, emblem=emblem)
            canvas.endForm()
        canvas.doForm(forms[key])
        self.draw_text(canvas, data)
        self.draw_qr(canvas, data)
        if data.watermark:
            self.draw_watermark(canvas, data)

    # -- the parts ----------------------------------------------------------------------------
    @staticmethod
    def scale(w, h):
        return min(w / BASE_WIDTH, h / BASE_HEIGHT)

    def draw_artwork(self, canvas, w, h, style, *, party=False, emblem=""):
        s = self.scale(w, h)
        f = self.fonts
        inset = BORDER_INSET * s
        band = EMBLEM_BAND * s if emblem else 0.0
        if style == "giay_khen":
            canvas.setStrokeColor(NAVY)
            canvas.setLineWidth(2.2 * s)
            canvas.rect(inset, inset, w - 2 * inset, h - 2 * inset)
            canvas.setLineWidth(0.6 * s)
            canvas.rect(inset + 6 * s, inset + 6 * s, w - 2 * inset - 12 * s, h - 2 * inset - 12 * s)
        else:
            outer, inner = (RED, GOLD) if style == "bang_khen" else (GOLD, RED)
            canvas.setStrokeColor(outer)
            canvas.setLineWidth(4 * s)
            canvas.rect(inset, inset, w - 2 * inset, h - 2 * inset)
            canvas.setStrokeColor(inner)
            canvas.setLineWidth(1.4 * s)
            canvas.rect(inset + 8 * s, inset + 8 * s, w - 2 * inset - 16 * s, h - 2 * inset - 16 * s)
            canvas.setFillColor(inner)
            for x, y in ((inset + 8 * s, inset + 8 * s), (w - inset - 8 * s, inset + 8 * s),
                         (inset + 8 * s, h - inset - 8 * s), (w - inset - 8 * s, h - inset - 8 * s)):
                self._diamond(canvas, x, y, 7 * s)
        if emblem:
            # The uploaded emblem, centred above the heading, its proportions kept.
            canvas.drawImage(emblem, w / 2 - 30 * s, h - (26 + EMBLEM_BAND) * s, 60 * s, (EMBLEM_BAND - 2) * s,
                             preserveAspectRatio=True, anchor="c", mask="auto")
        top = h - band
        canvas.setFillColor(INK)
        canvas.setFont(f.bold, 14 * s)
        if party:
            canvas.drawCentredString(w / 2, top - 62 * s, PARTY_HEADING)
            heading = stringWidth(PARTY_HEADING, f.bold, 14 * s)
            canvas.setStrokeColor(INK)
            canvas.setLineWidth(0.8 * s)
            canvas.line(w / 2 - heading / 2, top - 67 * s, w / 2 + heading / 2, top - 67 * s)
            return
        canvas.drawCentredString(w / 2, top - 62 * s, NATIONAL_HEADING)
        canvas.setFont(f.bold, 13.5 * s)
        canvas.drawCentredString(w / 2, top - 81 * s, MOTTO)
        motto = stringWidth(MOTTO, f.bold, 13.5 * s)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.8 * s)
        canvas.line(w / 2 - motto / 2, top - 85 * s, w / 2 + motto / 2, top - 85 * s)

    @staticmethod
    def _diamond(canvas, x, y, r):
        path = canvas.beginPath()
        path.moveTo(x, y + r)
        path.lineTo(x + r, y)
        path.lineTo(x, y - r)
        path.lineTo(x - r, y)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)

    def layout(self, data):
        """Every line to print: (text, font, size, x, y, align, colour). Pure geometry."""
        w, h = data.page_width, data.page_height
        s = self.scale(w, h)
        f = self.fonts
        left, right = TEXT_INSET * s, w - TEXT_INSET * s
        width = right - left
        placed = []

        def put(lines, y, *, x=w / 2, align="centre", colour=INK, leading=1.22, zone=0):
            for line in lines:
                placed.append((zone, len(placed), (line.text, line.font, line.size, x, y, align, colour)))
                y -= line.size * leading
            return y

        # Top: the authority, the verb, the form or title (below the emblem, if there is one).
        y = h - (122 + (EMBLEM_BAND if data.extra.get("emblem") else 0)) * s
        y = put(fit(data.authority, f.bold, 17 * s, width * 0.9, min_size=11 * s, max_lines=2), y, colour=RED)
        y -= 12 * s
        y = put((_Line(data.verb, f.bold, 17 * s),), y)
        form_size = (40 if data.style == "bang_khen" else 36 if data.style == "giay_khen" else 34) * s
        form = fit(data.form_name, f.bold, form_size, width * 0.92, min_size=18 * s, max_lines=2)
        y -= form[0].size * 0.95
        y = put(form, y, colour=RED, leading=1.1)
        top_of_middle = y - 8 * s

        # Bottom: signer block on the right, decision and register on the left, QR between.
        bottom_name_y = 44 * s
        right_x0, right_x1 = w / 2 + 48 * s, right
        right_w, right_c = right_x1 - right_x0, (right_x0 + right_x1) / 2
        signer = fit(data.signer_name, f.bold, 14 * s, right_w, min_size=9 * s)
        title = fit(data.signer_title, f.bold, 13 * s, right_w, min_size=8 * s, max_lines=2)
        prefix = fit(data.signer_prefix_line, f.bold, 13 * s, right_w, min_size=8 * s, max_lines=2)
        place = fit(data.place_date, f.italic, 13 * s, right_w, min_size=8 * s)
        put(signer, bottom_name_y, x=right_c, zone=4)
        # The last title line sits a signature-and-seal gap above the name.
        block = prefix + title
        y_first = bottom_name_y + SIGNATURE_GAP * s + sum(line.size * 1.2 for line in block[:-1])
        put(block, y_first, x=right_c, leading=1.2, zone=3)
        place_y = y_first + (place[0].size * 1.6 if place else 0)
        put(place, place_y, x=right_c, zone=3)
        top_right = place_y + (place[0].size if place else 0) + 10 * s
        left_w = w / 2 - 48 * s - left
        decision = fit(data.decision_line, f.italic, 12 * s, left_w, min_size=7 * s, max_lines=2)
        register = fit(data.register_line, f.italic, 12 * s, left_w, min_size=7 * s)
        y_left = bottom_name_y + 40 * s + sum(line.size * 1.2 for line in decision[:-1])
        y_left = put(decision, y_left, x=left, align="left", leading=1.2, zone=2)
        put(register, y_left, x=left, align="left", zone=2)
        bottom_of_middle = max(top_right, bottom_name_y + 40 * s + 30 * s)

        # Middle: the recipient, position and unit, the achievement; shrunk together to fit.
        for shrink in [1.0, 0.92, 0.85, 0.78, 0.7, 0.62, 0.55, 0.48, 0.4, 0.3]:
            middle = []
            if data.collective:
                middle.append(fit(data.recipient, f.bold, 24 * s * shrink, width, min_size=14 * s * shrink, max_lines=3))
            else:
                middle.append(fit(data.recipient, f.bold, 26 * s * shrink, width, min_size=15 * s * shrink, max_lines=2))
                middle.append(fit(data.recipient_detail, f.italic, 16 * s * shrink, width, min_size=10 * s * shrink, max_lines=2))
            middle.append(fit(data.achievement, f.italic, 16 * s * shrink, width * 0.92, min_size=10 * s * shrink, max_lines=3))
            needed = sum(line.size * 1.3 for block in middle for line in block) + 10 * s * shrink * len(middle)
            if top_of_middle - needed >= bottom_of_middle:
                break
        # Centred in the band between the title and the signature block.
        spare = max(0.0, top_of_middle - needed - bottom_of_middle)
        y = top_of_middle - spare / 2 - (middle[0][0].size if middle[0] else 0)
        for block in middle:
            if block:
                y = put(block, y, leading=1.3, zone=1) - 10 * s * shrink + block[0].size * 0.3
        # In reading order (top, middle, bottom left, the signer's block), so that text
        # copied or extracted from the PDF reads as the certificate does.
        return [line for _zone, _n, line in sorted(placed, key=lambda p: (p[0], p[1] if p[0] != 3 else -p[2][4]))]

    def draw_text(self, canvas, data):
        self._draw_lines(canvas, self.layout(data))

    @staticmethod
    def _draw_lines(canvas, lines):
        for text, font, size, x, y, align, colour in lines:
            canvas.setFillColor(colour)
            canvas.setFont(font, size)
            if align == "left":
                canvas.drawString(x, y, text)
            elif align == "right":
                canvas.drawRightString(x, y, text)
            else:
                canvas.drawCentredString(x, y, text)

    def blank_layout(self, data):
        """The lines printed onto a blank: (text, font, size, x, y, align, colour). Pure geometry."""
        return blanks.place_lines(data, data.blank, self.fonts, data.offset_mm, data.page_height, _wrap)

    def draw_on_blank(self, canvas, data):
        """Only the variable text (and the QR code if the layout places one), each field in its
        box: the blank already carries the emblem, border and fixed words."""
        self._draw_lines(canvas, self.blank_layout(data))
        place = blanks.qr_place(data.blank, data.offset_mm, data.page_height)
        if place:
            self._draw_qr_at(canvas, data.verify_url, *place)
        if data.watermark:
            self.draw_watermark(canvas, data)

    def render_alignment_sheet(self, out, *, title, **kw):
        """The alignment sheet of a layout (see blanks.draw_alignment_sheet) as a one-page PDF."""
        canvas = Canvas(out, pageCompression=1, initialFontName=self.fonts.regular)
        canvas.setTitle(title)
        canvas.setCreator("Sổ thi đua – khen thưởng")
        blanks.draw_alignment_sheet(canvas, fonts=self.fonts, heading=title, **kw)
        canvas.showPage()
        canvas.save()

    def qr_box(self, data):
        s = self.scale(data.page_width, data.page_height)
        side = 22 * mm * s
        return data.page_width / 2 - side / 2, 40 * s, side

    def draw_qr(self, canvas, data):
        x0, y0, side = self.qr_box(data)
        self._draw_qr_at(canvas, data.verify_url, x0, y0, side)
        s = self.scale(data.page_width, data.page_height)
        canvas.setFont(self.fonts.regular, 8 * s)
        canvas.drawCentredString(data.page_width / 2, y0 - 10 * s, data.verify_code)

    @staticmethod
    def _draw_qr_at(canvas, url, x0, y0, side):
        modules, runs = qr_runs(url)
        # In module units with y running down the code: every run is "col row length 1 re",
        # all of them one path, filled once (PDF operators written straight into the page).
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.transform(side / modules, 0, 0, -side / modules, x0, y0 + side)
        canvas.addLiteral("".join([f"{col} {row} {length} 1 re\n" for row, col, length in runs]) + "f")
        canvas.restoreState()

    def draw_flag_sheet(self, canvas, data):
        """A Cờ thi đua's inscription for the maker who embroiders it: the flag's size, then its
        lines as they go on the flag, then what grants it (a plain sheet, not a certificate)."""
        w, h = data.page_width, data.page_height
        f = self.fonts
        y = h - 25 * mm
        canvas.setFillColor(INK)
        canvas.setFont(f.bold, 15)
        canvas.drawCentredString(w / 2, y, "NỘI DUNG CỜ THI ĐUA")
        canvas.setFont(f.italic, 11)
        canvas.drawCentredString(w / 2, y - 7 * mm, "(gửi nơi may, thêu cờ)")
        canvas.setFont(f.regular, 12)
        canvas.drawCentredString(w / 2, y - 17 * mm, f"Kích thước cờ: {data.extra.get('flag_size', '')}")
        # The flag's face, drawn to scale inside the sheet, with its lines.
        flag_w = w - 50 * mm
        flag_h = min(flag_w * data.extra.get("flag_ratio", 650 / 850), h - 110 * mm)
        x0, y0 = 25 * mm, y - 25 * mm - flag_h
        canvas.setStrokeColor(RED)
        canvas.setLineWidth(1.2)
        canvas.rect(x0, y0, flag_w, flag_h)
        lines = [(f.bold, 13, RED, data.authority), (f.bold, 12, INK, data.verb),
                 (f.bold, 20, RED, data.form_name), (f.bold, 14, INK, data.recipient),
                 (f.regular, 12, INK, data.achievement), (f.bold, 13, INK, f"NĂM {data.extra.get('year', '')}")]
        step = flag_h / (len(lines) + 1)
        for index, (font, size, colour, line) in enumerate(lines, start=1):
            size = fit(line, font, size, flag_w - 12 * mm, min_size=7)[0].size if line else size
            canvas.setFillColor(colour)
            canvas.setFont(font, size)
            canvas.drawCentredString(w / 2, y0 + flag_h - index * step, line)
        canvas.setFillColor(INK)
        canvas.setFont(f.regular, 11)
        canvas.drawString(25 * mm, y0 - 12 * mm, data.decision_line)
        canvas.drawString(25 * mm, y0 - 19 * mm, data.register_line)

    def draw_watermark(self, canvas, data):
        s = self.scale(data.page_width, data.page_height)
        canvas.saveState()
        canvas.setFillColor(Color(0.8, 0.1, 0.1, alpha=0.18))
        canvas.setFont(self.fonts.bold, 90 * s)
        canvas.translate(data.page_width / 2, data.page_height / 2)
        canvas.rotate(20)
        canvas.drawCentredString(0, 0, data.watermark)
        canvas.restoreState()


def render_pdf(certificates, *, renderer=None):
    """All certificates as one PDF, in the order given, as bytes."""
    import io

    out = io.BytesIO()
    (renderer or CertificateRenderer()).render(certificates, out)
    return out.getvalue()
