"""The year report drawn: an SVG chart for the page, XLSX and PDF files. Ready data in, bytes out."""

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from .payments import money

IND_COLOUR, COL_COLOUR, PREV_COLOUR = "#b02a37", "#d4a72c", "#6c757d"


def _labels(report):
    return [f"{row.title} – {row.authority}" for row in report.rows]


def _headers():
    return [_("No."), _("Authority"), _("Title or form"), _("Individuals"), _("Collectives"), _("Total"),
            _("Previous period"), _("Change"), _("Prize money (đồng)")]


def table_rows(report):
    """The report as rows of plain values, the total last: what every format prints."""
    rows = [[i, r.authority, r.title, r.individuals, r.collectives, r.total, r.previous, r.change, r.money]
            for i, r in enumerate(report.rows, start=1)]
    t = report.total
    rows.append(["", _("Total"), "", t.individuals, t.collectives, t.total, t.previous, t.change, t.money])
    return rows


def chart_svg(report, *, width=900):
    """Horizontal stacked bars (individuals, collectives) with the previous period's total marked."""
    if not report.rows:
        return ""
    bar, gap, label_w, top = 18, 10, 330, 30
    longest = max(max(r.total, r.previous) for r in report.rows) or 1
    scale = (width - label_w - 60) / longest
    height = top + len(report.rows) * (bar + gap) + 20
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(_("Honours by title and authority"))}" class="report-chart" font-size="12">']
    legend = [(IND_COLOUR, _("Individuals")), (COL_COLOUR, _("Collectives")), (PREV_COLOUR, _("Previous period"))]
    x = label_w
    for colour, name in legend:
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{x + 16}" y="16">{escape(str(name))}</text>')
        x += 150
    for i, (row, label) in enumerate(zip(report.rows, _labels(report))):
        y = top + i * (bar + gap)
        short = label if len(label) <= 44 else label[:42] + "…"
        parts.append(f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end"><title>{escape(label)}</title>{escape(short)}</text>')
        w1, w2 = row.individuals * scale, row.collectives * scale
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w1:.1f}" height="{bar}" fill="{IND_COLOUR}"/>')
        parts.append(f'<rect x="{label_w + w1:.1f}" y="{y}" width="{w2:.1f}" height="{bar}" fill="{COL_COLOUR}"/>')
        if row.previous:
            px = label_w + row.previous * scale
            parts.append(f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{y - 2}" y2="{y + bar + 2}" stroke="{PREV_COLOUR}" stroke-width="3"/>')
        parts.append(f'<text x="{label_w + w1 + w2 + 6:.1f}" y="{y + 13}">{row.total}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _as_text(sheet):
    """Names (of units, authorities, titles) that begin like a formula stay text, as in the other
    exports: openpyxl would store "=…" as a formula; here it is a string with Excel's quote prefix."""
    from .exports import FORMULA_STARTS

    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
                cell.quotePrefix = True


def report_xlsx(report):
    """A workbook with the table, its total row and a bar chart; returns the file's bytes."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Report")[:31]
    sheet.append([_("Summary report on honours")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Unit"), report.unit_name or _("Whole registry")])
    sheet.append([_("Period"), report.period, _("Previous period"), report.previous_period])
    sheet.append([])
    sheet.append(_headers())
    for cell in sheet[5]:
        cell.font = Font(bold=True)
    for row in table_rows(report):
        sheet.append(row)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    _as_text(sheet)
    for column, width in zip("ABCDEFGH", (6, 40, 34, 12, 12, 10, 14, 10)):
        sheet.column_dimensions[column].width = width
    if report.rows:
        first, last = 6, 5 + len(report.rows)
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
        chart.title = _("Honours by title and authority")
        chart.add_data(Reference(sheet, min_col=4, max_col=5, min_row=5, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=3, min_row=first, max_row=last))
        chart.height, chart.width = 4 + len(report.rows) * 0.8, 22
        sheet.add_chart(chart, f"A{last + 4}")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def report_pdf(report):
    """A4 landscape: heading, the table with its total row, then the same chart."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from .certificates.fonts import certificate_fonts

    fonts = certificate_fonts()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=_("Summary report on honours"))
    heading = ParagraphStyle("h", fontName=fonts.bold, fontSize=15, leading=19, alignment=1)
    plain = ParagraphStyle("p", fontName=fonts.regular, fontSize=10.5, leading=13, alignment=1)
    cell = ParagraphStyle("c", fontName=fonts.regular, fontSize=9.5, leading=11.5)
    story = [
        Paragraph(escape(_("Summary report on honours").upper()), heading),
        Paragraph(escape(f"{report.unit_name or _('Whole registry')} — {report.period} "
                         f"({_('compared with')} {report.previous_period})"), plain),
        Spacer(1, 6 * mm),
    ]
    data = [_headers()]
    for row in table_rows(report):
        data.append([row[0], Paragraph(escape(str(row[1])), cell), Paragraph(escape(str(row[2])), cell), *row[3:-1],
                     money(row[-1])])
    table = Table(data, colWidths=[10 * mm, 68 * mm, 60 * mm, 20 * mm, 20 * mm, 16 * mm, 22 * mm, 18 * mm, 30 * mm],
                  repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), fonts.regular, 9.5),
        ("FONT", (0, 0), (-1, 0), fonts.bold, 9.5),
        ("FONT", (0, -1), (-1, -1), fonts.bold, 9.5),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1e4e4")),
        ("ALIGN", (3, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story += [table, Spacer(1, 8 * mm)]
    if report.rows:
        width, bar, gap, label_w = 260 * mm, 12, 6, 95 * mm
        longest = max(max(r.total, r.previous) for r in report.rows) or 1
        scale = (width - label_w - 20 * mm) / longest
        height = len(report.rows) * (bar + gap) + 24
        drawing = Drawing(width, height)
        for i, (row, label) in enumerate(zip(report.rows, _labels(report))):
            y = height - 24 - (i + 1) * (bar + gap) + gap
            short = label if len(label) <= 60 else label[:58] + "…"
            drawing.add(String(label_w - 6, y + 3, short, fontName=fonts.regular, fontSize=8, textAnchor="end"))
            w1, w2 = row.individuals * scale, row.collectives * scale
            drawing.add(Rect(label_w, y, w1, bar, fillColor=colors.HexColor(IND_COLOUR), strokeColor=None))
            drawing.add(Rect(label_w + w1, y, w2, bar, fillColor=colors.HexColor(COL_COLOUR), strokeColor=None))
            if row.previous:
                px = label_w + row.previous * scale
                drawing.add(Line(px, y - 2, px, y + bar + 2, strokeColor=colors.HexColor(PREV_COLOUR), strokeWidth=2))
            drawing.add(String(label_w + w1 + w2 + 4, y + 3, str(row.total), fontName=fonts.regular, fontSize=8))
        x = label_w
        for colour, name in ((IND_COLOUR, _("Individuals")), (COL_COLOUR, _("Collectives")),
                             (PREV_COLOUR, _("Previous period"))):
            drawing.add(Rect(x, height - 12, 9, 9, fillColor=colors.HexColor(colour), strokeColor=None))
            drawing.add(String(x + 12, height - 11, str(name), fontName=fonts.regular, fontSize=8))
            x += 120
        story.append(drawing)
    doc.build(story)
    return out.getvalue()
