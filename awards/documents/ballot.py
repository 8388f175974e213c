"""The council's ballot sheet (phiếu bầu): the nominees under review, by honour, with agree and
disagree boxes, as offices print it for a secret ballot."""

import io

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..certificates.fonts import certificate_fonts

BOX = ""  # the table's own cell is the box to mark (the font has no ballot-box glyph)


def ballot_pdf(data):
    """One ballot sheet for the meeting (data: selectors.ballot_data)."""
    fonts = certificate_fonts()
    regular, bold = fonts.regular, fonts.bold
    style = ParagraphStyle("b", fontName=regular, fontSize=11, leading=14)
    centre = ParagraphStyle("c", parent=style, alignment=TA_CENTER)
    heading = ParagraphStyle("h", parent=centre, fontName=bold, fontSize=15, leading=20)
    cell = ParagraphStyle("t", parent=style, fontSize=10.5, leading=13)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title="Phiếu bầu", author=data["council"])
    story = [Paragraph(data["unit"], centre), Paragraph(data["council"].upper(), centre), Spacer(1, 6 * mm),
             Paragraph("PHIẾU BẦU", heading),
             Paragraph(f"Xét đề nghị khen thưởng năm {data['year']} — họp ngày {data['date']:%d/%m/%Y}"
                       + (f", tại {data['place']}" if data["place"] else ""), centre), Spacer(1, 5 * mm),
             Paragraph("Đánh dấu X vào một ô cho mỗi người, mỗi tập thể: “Đồng ý” hoặc “Không đồng ý”.", style),
             Spacer(1, 4 * mm)]
    for title, rows in data["groups"]:
        table = [[Paragraph("<b>STT</b>", cell), Paragraph(f"<b>{title}</b>", cell), Paragraph("<b>Đơn vị</b>", cell),
                  Paragraph("<b>Đồng ý</b>", cell), Paragraph("<b>Không đồng ý</b>", cell)]]
        for index, (name, unit) in enumerate(rows, start=1):
            table.append([str(index), Paragraph(name, cell), Paragraph(unit, cell), BOX, BOX])
        grid = Table(table, colWidths=[12 * mm, 68 * mm, 45 * mm, 22 * mm, 28 * mm], repeatRows=1)
        grid.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), regular, 10.5), ("ROWBACKGROUNDS", (3, 1), (4, -1), [colors.white]),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (3, 0), (4, -1), "CENTER"), ("ALIGN", (0, 0), (0, -1), "CENTER"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ]))
        story += [grid, Spacer(1, 6 * mm)]
    doc.build(story)
    return out.getvalue()
