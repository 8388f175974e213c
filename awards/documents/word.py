"""Word documents of a dossier (tờ trình, biên bản họp hội đồng, dự thảo quyết định) from DOCX
templates: the registry's defaults, built from documents/forms.py in the layout of Decree 30/2020
(a Party body's heading where the issuer is one), or the template an administrator uploaded in their
place. Renderers take prepared data (selectors.document_context) and return bytes."""

import io
import zipfile

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .forms import DATE_LINE, DECISION, FORMS, KINDS, MINUTES, MOTTO, SIGN_NOTE, SUBMISSION

__all__ = ["DECISION", "KINDS", "MINUTES", "SPECIMEN", "SUBMISSION", "TemplateProblem", "check_template",
           "default_template", "render"]

FONT = "Times New Roman"  # the typeface Decree 30/2020 prescribes for administrative documents
_ALIGN = {"centre": WD_ALIGN_PARAGRAPH.CENTER, "bold": WD_ALIGN_PARAGRAPH.CENTER,
          "italic": WD_ALIGN_PARAGRAPH.JUSTIFY, "body": WD_ALIGN_PARAGRAPH.JUSTIFY}


# What a template package may hold: a Word document's parts, no macros, no embedded programs, and
# no more than a real template's size once unpacked (a zip bomb is refused before it is opened).
MAX_UNPACKED = 30 * 1024 * 1024
MAX_PARTS = 500
MAX_RATIO = 200  # unpacked size of a part over its packed size; text XML compresses about 10:1
_FORBIDDEN_PARTS = ("vbaproject", "vbadata", "activex", "/embeddings/", ".bin")
_MACRO_TYPES = ("macroenabled", "vbaproject", "activex", "oleobject")


class TemplateProblem(ValueError):
    """A template the registry does not fill: what is wrong with it, in words for its uploader."""


def _environment(undefined=Undefined):
    """Jinja's sandbox with nothing in it but the document's own values: no globals (range,
    cycler, joiner, lipsum, namespace …), no attribute that starts with an underscore, no
    method that changes a value."""
    environment = ImmutableSandboxedEnvironment(autoescape=True, undefined=undefined)
    environment.globals.clear()
    return environment


def check_package(data):
    """Problems of a DOCX package read without unpacking it: not a Word file, macros or embedded
    programs, or sizes that only a zip bomb has."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        return [_("The file is not a Word document (DOCX).")]
    with archive:
        parts = archive.infolist()
        names = {part.filename.lower() for part in parts}
        if "word/document.xml" not in names or "[content_types].xml" not in names:
            return [_("The file is not a Word document (DOCX).")]
        if len(parts) > MAX_PARTS:
            return [_("The file holds %(count)s parts; a template holds at most %(limit)s.")
                    % {"count": len(parts), "limit": MAX_PARTS}]
        unpacked = sum(part.file_size for part in parts)
        if unpacked > MAX_UNPACKED:
            return [_("The file unpacks to %(size)s MB; a template unpacks to at most %(limit)s MB.")
                    % {"size": unpacked // (1024 * 1024), "limit": MAX_UNPACKED // (1024 * 1024)}]
        if any(part.file_size > 1024 * 1024 and part.file_size > MAX_RATIO * max(part.compress_size, 1)
               for part in parts):
            return [_("The file is packed more tightly than any Word document (a zip bomb); it is refused.")]
        types = archive.read("[Content_Types].xml").decode("utf-8", "replace").lower()
        if (any(marker in name for name in names for marker in _FORBIDDEN_PARTS)
                or any(marker in types for marker in _MACRO_TYPES)):
            return [_("The file carries macros or embedded programs; save it as a plain Word document (.docx), "
                      "not .docm.")]
    return []


def check_template(data):
    """Problems of an uploaded template: its package (check_package), then a fill with the
    specimen of every value a document has, where any other name, attribute or call is an error."""
    problems = check_package(data)
    if problems:
        return problems
    try:
        _fill(data, SPECIMEN, _environment(StrictUndefined))
    except TemplateError as error:
        return [_("The template uses something the registry does not give it: %(error)s. It may use only the "
                  "fields of the template in use.") % {"error": (error.message or type(error).__name__).rstrip(".")}]
    except Exception as error:  # docxtpl and python-docx raise many kinds of error on a damaged file
        return [_("The template cannot be read: %(error)s") % {"error": error}]
    return []


def _fill(template, context, environment):
    document = DocxTemplate(io.BytesIO(template))
    document.render(context, jinja_env=environment, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render(template, context):
    """The document: the template (bytes of a DOCX with Jinja tags) filled with the context, in
    Jinja's sandbox with the context as all it can reach."""
    problems = check_package(template)
    if problems:
        raise TemplateProblem(" ".join(problems))
    try:
        return _fill(template, context, _environment())
    except TemplateError as error:
        raise TemplateProblem(_("The template could not be filled: %(error)s") % {
            "error": (error.message or type(error).__name__).rstrip(".")}) from error


_ROW = {"index": 1, "name": "Nguyễn Văn A", "rank_position": "Đại úy, Trợ lý", "unit": "Phòng A", "honour": "Bằng khen",
        "summary": "Hoàn thành xuất sắc nhiệm vụ"}
_VOTE = {"index": 1, "name": "Nguyễn Văn A", "honour": "Bằng khen", "agree": 5, "disagree": 0, "share": "100",
         "threshold": "50", "result": "Đạt"}
# One value for every name a document's context has (selectors.document_context), whatever the
# kind: a template is checked against these, so it reaches only what the registry gives.
SPECIMEN = {
    "unit": "Phòng A", "unit_upper": "PHÒNG A", "unit_above": "CỤC B", "authority": "Cục trưởng Cục B",
    "reference": "……/TTr", "year": 2025, "campaign": "", "kind": "hoàn thành xuất sắc nhiệm vụ", "place": "Hà Nội",
    "day": "01", "month": "01", "year_now": 2026, "party": False,
    "meeting": {"date": "01/12/2025", "place": "Hội trường", "chair": "A", "secretary": "B", "present": 5,
                "total": 5, "needed": 4},
    "votes": [_VOTE], "passed_count": 1,
    "authority_upper": "CỤC B", "authority_above": "TỔNG CỤC C", "number": "……/QĐ", "subject": "Về việc tặng Bằng khen",
    "honours": "Bằng khen", "proposers": "Phòng A", "reason": "Đã có thành tích", "signer_title": "CỤC TRƯỞNG",
    "signer_name": "Lê Văn B", "nominees": [_ROW], "by_honour": [{"title": "Bằng khen", "count": 1}], "count": 1,
}


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
