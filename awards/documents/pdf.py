"""The same documents as PDF (tờ trình, biên bản, dự thảo quyết định), drawn from documents/forms.py
with the fields filled: for reading and printing where Word is not at hand."""

import io
from xml.sax.saxutils import escape

from jinja2.sandbox import ImmutableSandboxedEnvironment
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..certificates.fonts import certificate_fonts
from .forms import DATE_LINE, FORMS, MOTTO, SIGN_NOTE

# The registry's own wording only, yet sandboxed all the same: values from the data are never code.
_JINJA = ImmutableSandboxedEnvironment(autoescape=False, keep_trailing_newline=False)


def _fill(text, context, **extra):
    return _JINJA.from_string(text).render(**context, **extra).strip()


def document_pdf(kind, context):
    """The document of this kind as PDF bytes (context: selectors.document_context)."""
    fonts = certificate_fonts()
    base = ParagraphStyle("body", fontName=fonts.regular, fontSize=12, leading=16, alignment=TA_JUSTIFY,
                          spaceAfter=3)
    styles = {
        "body": base, "centre": ParagraphStyle("c", parent=base, alignment=TA_CENTER),
        "bold": ParagraphStyle("b", parent=base, alignment=TA_CENTER, fontName=fonts.bold),
        "italic": ParagraphStyle("i", parent=base, fontName=fonts.italic),
        "title": ParagraphStyle("t", parent=base, alignment=TA_CENTER, fontName=fonts.bold, fontSize=14, leading=20,
                                spaceBefore=10),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10.5, leading=13, alignment=0, spaceAfter=0),
        "head": ParagraphStyle("head", parent=base, fontSize=10.5, leading=13, fontName=fonts.bold, spaceAfter=0,
                               alignment=0),
    }

    def p(text, style="body"):
        return Paragraph(escape(text), styles[style])

    width = A4[0] - 45 * mm
    story = []
    for block in FORMS[kind]:
        kind_ = block[0]
        if kind_ == "heading":
            _k, above, issuer, number = block
            left = [p(_fill(above, context), "centre"), p(_fill(issuer, context), "bold"), p(_fill(number, context), "centre")]
            right = [p(_fill(MOTTO[0], context), "bold"), p(_fill(MOTTO[1], context), "bold"),
                     p(_fill(DATE_LINE, context), "italic")]
            heading = Table([[left, right]], colWidths=[width * 0.45, width * 0.55])
            heading.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(heading)
        elif kind_ == "title":
            story.append(p(_fill(block[1], context), "title"))
        elif kind_ == "line":
            story.append(p(_fill(block[1], context), block[2]))
        elif kind_ == "each":
            _k, loop, text = block
            story += [p(_fill(text, context, h=item)) for item in context.get(loop, [])]
        elif kind_ == "table":
            _k, loop, columns = block
            rows = [[p(header, "head") for header, _v in columns]]
            rows += [[p(_fill(value, context, n=item), "cell") for _h, value in columns] for item in context.get(loop, [])]
            # The number column narrow, the achievement wide, the rest alike.
            weights = [0.45 if header == "STT" else 2 if header.startswith("Tóm tắt") else 1 for header, _v in columns]
            table = Table(rows, repeatRows=1, colWidths=[width * w / sum(weights) for w in weights])
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                       ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))
            story += [Spacer(1, 2 * mm), table, Spacer(1, 3 * mm)]
        elif kind_ == "sign":
            signers = block[1]
            cells = [[p(_fill(title, context), "bold"), p(SIGN_NOTE, "centre"), Spacer(1, 18 * mm),
                      p(_fill(name, context), "bold")] for title, name in signers]
            if len(cells) == 1:
                cells = [[], cells[0]]
            story += [Spacer(1, 4 * mm), Table([cells], colWidths=[width / 2, width / 2])]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=30 * mm, rightMargin=15 * mm, topMargin=20 * mm,
                      bottomMargin=20 * mm, title=context.get("title", kind)).build(story)
    return out.getvalue()
