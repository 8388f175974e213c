"""Word documents of a dossier (tờ trình, biên bản họp hội đồng, dự thảo quyết định) from DOCX
templates: the registry's defaults, built from documents/forms.py in the layout of Decree 30/2020
(a Party body's heading where the issuer is one), or the template an administrator uploaded in their
place. Renderers take prepared data (selectors.document_context) and return bytes."""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate

from .forms import DATE_LINE, DECISION, FORMS, KINDS, MINUTES, MOTTO, SIGN_NOTE, SUBMISSION

__all__ = ["DECISION", "KINDS", "MINUTES", "SUBMISSION", "default_template", "render"]

FONT = "Times New Roman"  # the typeface Decree 30/2020 prescribes for administrative documents
_ALIGN = {"centre": WD_ALIGN_PARAGRAPH.CENTER, "bold": WD_ALIGN_PARAGRAPH.CENTER,
          "italic": WD_ALIGN_PARAGRAPH.JUSTIFY, "body": WD_ALIGN_PARAGRAPH.JUSTIFY}


def render(template, context):
    """The document: the template (bytes of a DOCX with Jinja tags) filled with the context."""
    document = DocxTemplate(io.BytesIO(template))
    document.render(context, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _line(container, text, *, bold=False, italic=False, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, before=0):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(2)
    paragraph.paragraph_format.space_before = Pt(before)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size, run.font.name = bold, italic, Pt(size), FONT
    return paragraph


def _cells(document, count):
    table = document.add_table(rows=1, cols=count)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell in table.rows[0].cells:
        cell.paragraphs[0].text = ""
    return table.rows[0].cells


def _block(document, block):
    kind = block[0]
    if kind == "heading":
        _kind, above, issuer, number = block
        left, right = _cells(document, 2)
        _line(left, above, size=12)
        _line(left, issuer, bold=True, size=12)
        _line(left, number, size=12)
        _line(right, MOTTO[0], bold=True, size=12)
        _line(right, MOTTO[1], bold=True)
        _line(right, DATE_LINE, italic=True)
    elif kind == "title":
        _line(document, block[1], bold=True, size=14, before=12)
    elif kind == "line":
        _kind, text, style = block
        _line(document, text, bold=style == "bold", italic=style == "italic", align=_ALIGN[style])
    elif kind == "each":
        _kind, loop, text = block
        for line in ("{%p for h in " + loop + " %}", text, "{%p endfor %}"):
            _line(document, line, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    elif kind == "table":
        _kind, loop, columns = block
        table = document.add_table(rows=4, cols=len(columns))
        table.style = "Table Grid"
        for cell, (header, _value) in zip(table.rows[0].cells, columns):
            cell.text = ""
            run = cell.paragraphs[0].add_run(header)
            run.bold, run.font.name, run.font.size = True, FONT, Pt(12)
        table.rows[1].cells[0].text = "{%tr for n in " + loop + " %}"
        for cell, (_header, value) in zip(table.rows[2].cells, columns):
            cell.text = value
        table.rows[3].cells[0].text = "{%tr endfor %}"
    elif kind == "sign":
        signers = block[1]
        cells = _cells(document, 2)[-len(signers):] if len(signers) < 2 else _cells(document, len(signers))
        for cell, (title, name) in zip(cells, signers):
            _line(cell, title, bold=True, before=12)
            _line(cell, SIGN_NOTE, italic=True, size=12)
            _line(cell, name, bold=True, before=40)


def default_template(kind):
    """The registry's own template for a kind of document, as DOCX bytes with Jinja tags."""
    if kind not in FORMS:
        raise ValueError(kind)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    for block in FORMS[kind]:
        _block(document, block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
