"""Word documents of a dossier (tờ trình, biên bản họp hội đồng, dự thảo quyết định) from DOCX
templates: the registry's defaults in the layout of Decree 30/2020 (a Party body's heading where the
issuer is one), or the template an administrator uploaded in their place. Renderers take prepared
data (selectors.document_context) and return bytes."""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate

SUBMISSION, MINUTES, DECISION = "submission", "minutes", "decision"
KINDS = (SUBMISSION, MINUTES, DECISION)
FONT = "Times New Roman"  # the typeface Decree 30/2020 prescribes for administrative documents


def render(template, context):
    """The document: the template (bytes of a DOCX with Jinja tags) filled with the context."""
    document = DocxTemplate(io.BytesIO(template))
    document.render(context, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _document():
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    return document


def _line(container, text, *, bold=False, italic=False, size=13, align=WD_ALIGN_PARAGRAPH.CENTER):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(2)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size, run.font.name = bold, italic, Pt(size), FONT
    return paragraph


def _heading(document, *, issuer_above, issuer, number):
    """The two-column heading: the issuing body and the number on the left, the nation's (or the
    Party's) motto on the right, then the place and date."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.paragraphs[0].text = ""
    _line(left, issuer_above, size=12)
    _line(left, issuer, bold=True, size=12)
    _line(left, number, size=12)
    right.paragraphs[0].text = ""
    _line(right, "{% if party %}ĐẢNG CỘNG SẢN VIỆT NAM{% else %}CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM{% endif %}",
          bold=True, size=12)
    _line(right, "{% if not party %}Độc lập – Tự do – Hạnh phúc{% endif %}", bold=True, size=13)
    _line(right, "{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year_now }}", italic=True, size=13)


def _table(document, headers, cells, loop):
    """A table whose middle row repeats for each item of `loop` (docxtpl's {%tr %} rows)."""
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers):
        cell.text = ""
        run = cell.paragraphs[0].add_run(header)
        run.bold, run.font.name, run.font.size = True, FONT, Pt(12)
    table.rows[1].cells[0].text = "{%tr for n in " + loop + " %}"
    for cell, value in zip(table.rows[2].cells, cells):
        cell.text = value
    table.rows[3].cells[0].text = "{%tr endfor %}"
    return table


def _signature(document, title, name):
    paragraph = _line(document, title, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph.paragraph_format.space_before = Pt(12)
    _line(document, "(Ký, ghi rõ họ tên)", italic=True, size=12, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _line(document, name, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.space_before = Pt(40)


def default_template(kind):
    """The registry's own template for a kind of document, as DOCX bytes with Jinja tags."""
    document = _document()
    body = WD_ALIGN_PARAGRAPH.JUSTIFY
    if kind == SUBMISSION:
        _heading(document, issuer_above="{{ unit_above }}", issuer="{{ unit_upper }}", number="Số: {{ reference }}")
        _line(document, "TỜ TRÌNH", bold=True, size=14).paragraph_format.space_before = Pt(12)
        _line(document, "Về việc đề nghị khen thưởng năm {{ year }}{% if campaign %} ({{ campaign }}){% endif %}",
              bold=True)
        _line(document, "Kính gửi: {{ authority }}")
        _line(document, "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 và các văn bản hướng dẫn thi hành; căn cứ "
                        "kết quả bình xét của Hội đồng Thi đua – Khen thưởng{% if meeting %} ngày {{ meeting.date }}"
                        "{% endif %}, {{ unit }} kính đề nghị {{ authority }} xét, khen thưởng cho {{ count }} cá "
                        "nhân, tập thể có thành tích {{ kind }} năm {{ year }}:", align=body)
        for line in ("{% for h in by_honour %}", "– {{ h.title }}: {{ h.count }};", "{% endfor %}"):
            _line(document, line, align=body)
        _line(document, "(Danh sách kèm theo)", italic=True, align=body)
        _table(document, ["STT", "Họ và tên", "Cấp bậc, chức vụ", "Đơn vị", "Hình thức đề nghị", "Tóm tắt thành tích"],
               ["{{ n.index }}", "{{ n.name }}", "{{ n.rank_position }}", "{{ n.unit }}", "{{ n.honour }}",
                "{{ n.summary }}"], "nominees")
        _line(document, "{{ unit }} kính trình {{ authority }} xem xét, quyết định.", align=body)
        _signature(document, "THỦ TRƯỞNG ĐƠN VỊ", "")
    elif kind == MINUTES:
        _heading(document, issuer_above="{{ unit_upper }}", issuer="HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
                 number="")
        _line(document, "BIÊN BẢN", bold=True, size=14).paragraph_format.space_before = Pt(12)
        _line(document, "Họp Hội đồng Thi đua – Khen thưởng xét đề nghị khen thưởng năm {{ year }}", bold=True)
        _line(document, "Thời gian: ngày {{ meeting.date }}. Địa điểm: {{ meeting.place }}.", align=body)
        _line(document, "Chủ trì: {{ meeting.chair }}. Thư ký: {{ meeting.secretary }}.", align=body)
        _line(document, "Thành viên có mặt: {{ meeting.present }}/{{ meeting.total }} (đủ số thành viên theo quy "
                        "định: ít nhất {{ meeting.needed }}).", align=body)
        _line(document, "Hội đồng bỏ phiếu kín; kết quả tính trên tổng số {{ meeting.total }} thành viên Hội đồng:",
              align=body)
        _table(document, ["STT", "Họ và tên", "Hình thức", "Đồng ý", "Không đồng ý", "Tỷ lệ", "Kết quả"],
               ["{{ n.index }}", "{{ n.name }}", "{{ n.honour }}", "{{ n.agree }}", "{{ n.disagree }}",
                "{{ n.share }}% (cần {{ n.threshold }}%)", "{{ n.result }}"], "votes")
        _line(document, "Hội đồng thống nhất đề nghị {{ passed_count }} cá nhân, tập thể đạt tỷ lệ phiếu theo quy định.",
              align=body)
        table = document.add_table(rows=1, cols=2)
        for cell, title, name in zip(table.rows[0].cells, ("THƯ KÝ", "CHỦ TỊCH HỘI ĐỒNG"),
                                     ("{{ meeting.secretary }}", "{{ meeting.chair }}")):
            cell.paragraphs[0].text = ""
            _line(cell, title, bold=True)
            _line(cell, name, bold=True).paragraph_format.space_before = Pt(40)
    elif kind == DECISION:
        _heading(document, issuer_above="{{ authority_above }}", issuer="{{ authority_upper }}",
                 number="Số: {{ number }}")
        _line(document, "QUYẾT ĐỊNH", bold=True, size=14).paragraph_format.space_before = Pt(12)
        _line(document, "{{ subject }}", bold=True)
        _line(document, "{{ authority_upper }}", bold=True)
        _line(document, "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15; căn cứ Nghị định số 152/2025/NĐ-CP của "
                        "Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;", align=body)
        _line(document, "Xét đề nghị của {{ proposers }},", align=body)
        _line(document, "QUYẾT ĐỊNH:", bold=True)
        _line(document, "Điều 1. Tặng {{ honours }} cho {{ count }} cá nhân, tập thể có tên trong danh sách kèm theo "
                        "(“{{ reason }}”).", align=body)
        _line(document, "Điều 2. Các cơ quan, đơn vị và cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định "
                        "này.", align=body)
        _signature(document, "{{ signer_title }}", "{{ signer_name }}")
        _line(document, "DANH SÁCH KHEN THƯỞNG", bold=True).paragraph_format.space_before = Pt(18)
        _line(document, "(Kèm theo Quyết định số {{ number }})", italic=True, size=12)
        _table(document, ["STT", "Họ và tên", "Cấp bậc, chức vụ", "Đơn vị", "Hình thức"],
               ["{{ n.index }}", "{{ n.name }}", "{{ n.rank_position }}", "{{ n.unit }}", "{{ n.honour }}"], "nominees")
    else:
        raise ValueError(kind)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
