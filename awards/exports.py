"""Spreadsheet exports of the honours list, streamed so that size costs neither time nor memory."""

import csv
import datetime
import re
import tempfile

from django.utils.translation import gettext as _

from .models import rank_label_vi

# A cell that begins with one of these is taken for a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def award_header(*, personal):
    header = [
        _("No."), _("Year"), _("Title or form"), _("Individual or collective"), _("Rank"), _("Recipient"),
        _("Position"), _("Unit"), _("Decision"), _("Date signed"), _("Authority"), _("Register no."),
        _("Status"), _("Revoking decision"), _("Revocation date"), _("Reason for revocation"), _("Achievement"),
    ]
    if personal:
        header.insert(6, _("Service number"))
    return header


def award_rows(awards, *, personal):
    """One list of plain values per award row (from `selectors.award_export_values`), in its
    order; dates as dates (CSV writes them dd/mm/yyyy, XLSX as real dates), every label looked up once."""
    from .choices import AwardStatus, RecipientKind

    statuses = {value: str(label) for value, label in AwardStatus.choices}
    kinds = {True: str(RecipientKind.INDIVIDUAL.label), False: str(RecipientKind.COLLECTIVE.label)}
    ranks = {}
    for number, award in enumerate(awards, start=1):
        if award.rank not in ranks:
            ranks[award.rank] = rank_label_vi(award.rank)
        row = [
            number, award.year, award.title__name, kinds[award.person_id is not None], ranks[award.rank],
            award.recipient_name, award.position, award.unit_name, award.decision__number,
            award.decision__date, award.authority__name, award.register_number,
            statuses[award.status], award.revocation_number, award.revocation_date or "",
            award.revocation_reason, award.achievement,
        ]
        if personal:
            row.insert(6, award.service_number_shown or "")
        yield row


def neutralize(value):
    """Text that a spreadsheet would run as a formula, made plain text (OWASP's leading quote)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def _csv_value(value):
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return neutralize(value)


def csv_stream(header, rows):
    """UTF-8 CSV with a byte-order mark (so Excel shows diacritics), one row at a time."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode("utf-8")
    yield writer.writerow([neutralize(v) for v in header]).encode("utf-8")
    for row in rows:
        yield writer.writerow([_csv_value(v) for v in row]).encode("utf-8")


_WIDEST = 60  # characters: a long achievement wraps in Excel rather than making a column of it
_EPOCH = datetime.date(1899, 12, 30)  # Excel's day 0 (it counts a 29 February 1900 that never was)
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Characters XML 1.0 cannot hold, written as Excel writes them (_xHHHH_).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _column_letters(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_rows(rows, out, *, first, widths, quoted_xf, dated_xf):
    """The data rows as the sheet's XML (inline strings, numbers, dates as Excel's day numbers),
    into out; returns the last row's number (1-based). Empty cells are left out."""
    columns = [_column_letters(i) for i in range(len(widths))]
    number = first
    chunk = []
    for number, values in enumerate(rows, start=first + 1):
        cells = [f'<row r="{number}">']
        for column, value in enumerate(values):
            if value is None or value == "":
                continue
            ref = f"{columns[column]}{number}"
            if isinstance(value, str):
                text = value.translate(_XML_ESCAPES)
                if _CONTROL.search(text):
                    text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
                space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
                style = f' s="{quoted_xf}"' if value.startswith(FORMULA_STARTS) else ""
                cells.append(f'<c r="{ref}" t="inlineStr"{style}><is><t{space}>{text}</t></is></c>')
                width = len(value)
            elif isinstance(value, datetime.date):
                day = value.date() if isinstance(value, datetime.datetime) else value
                cells.append(f'<c r="{ref}" s="{dated_xf}"><v>{(day - _EPOCH).days}</v></c>')
                width = 10
            else:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
                width = len(str(value))
            if column < len(widths) and width + 2 > widths[column]:
                widths[column] = min(width + 2, _WIDEST)
        cells.append("</row>")
        chunk.append("".join(cells))
        if len(chunk) >= 500:
            out.write("".join(chunk).encode())
            chunk.clear()
    out.write("".join(chunk).encode())
    return number


def xlsx_file(header, rows, *, sheet_title, caption=""):
    """An XLSX workbook in a temporary file, laid out to be read: the caption (what produced it)
    on the first line, the header frozen below it with an auto-filter, dates as real dates,
    columns as wide as their content (up to _WIDEST characters).

    Text is stored as text, never as a formula: a cell that begins like a formula gets
    Excel's own quote-prefix mark, as if the user had typed an apostrophe before it.

    The workbook around the rows (styles, the caption and header, frozen panes, filter, widths)
    is XlsxWriter's; the rows, which are nearly all of the time, are written as the sheet's XML
    directly, one string a row, into a temporary file as they come (so a large export costs no
    more memory than a small one), then set into the sheet XlsxWriter made. XlsxWriter spends
    some ten microseconds a cell; this, about a tenth of that (bench/export.py measures both).
    """
    import io
    import zipfile

    import xlsxwriter

    layout = io.BytesIO()
    workbook = xlsxwriter.Workbook(layout, {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False})
    sheet = workbook.add_worksheet(sheet_title[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#F1E4E4", "border": 1})
    quoted = workbook.add_format({"quote_prefix": True})
    dated = workbook.add_format({"num_format": "dd/mm/yyyy"})
    first = 0
    if caption:
        sheet.write_string(0, 0, caption, workbook.add_format({"bold": True, "font_size": 12}))
        first = 1
    for column, value in enumerate(header):
        sheet.write_string(first, column, str(value), bold)
    widths = [len(str(h)) + 2 for h in header]
    data = tempfile.TemporaryFile()
    # The formats' places in the styles part, which the rows name (XlsxWriter numbers a format
    # when a cell first uses it; these are asked for here, before any cell of the rows is written).
    last = _sheet_rows(rows, data, first=first + 1, widths=widths,
                       quoted_xf=quoted._get_xf_index(), dated_xf=dated._get_xf_index())
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(first + 1, 0)
    sheet.autofilter(first, 0, max(last - 1, first), len(header) - 1)
    workbook.close()

    handle = tempfile.TemporaryFile()
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(layout) as source, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for member in source.infolist():
            if member.filename != part:
                out.writestr(member, source.read(member))
                continue
            xml = source.read(member).decode()
            head, tail = xml.split("</sheetData>", 1)
            head = re.sub(r'<dimension ref="[^"]*"/>',
                          f'<dimension ref="A1:{_column_letters(len(header) - 1)}{max(last, first + 1)}"/>', head, 1)
            with out.open(part, "w", force_zip64=True) as sheet_xml:
                sheet_xml.write(head.encode())
                data.seek(0)
                while block := data.read(1 << 20):
                    sheet_xml.write(block)
                sheet_xml.write(("</sheetData>" + tail).encode())
    data.close()
    handle.seek(0)
    return handle


def template_xlsx(headers):
    """An empty import sheet: bold headers, wide columns, frozen header row."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(12, len(str(cell.value)) + 6)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def candidate_header():
    return [_("No."), _("Proposed honour"), _("Recipient"), _("Unit"), _("Evidence")]


def candidate_rows(found):
    """The candidates page as rows: {target: [Candidate]} from awards.rules.candidates."""
    number = 0
    for target, listed in found.items():
        for candidate in listed:
            number += 1
            recipient = candidate.recipient
            if hasattr(recipient, "display_name"):  # a person
                name, unit = recipient.display_name, recipient.unit.full_name
            else:  # a collective
                name, unit = recipient.full_name, recipient.parent.full_name if recipient.parent_id else ""
            evidence = [f"{title} {year} ({decision})" for title, year, decision in candidate.evidence]
            if candidate.service_years is not None:
                evidence.insert(0, _("%(years)s years of service") % {"years": candidate.service_years})
            yield [number, str(target), name, unit, "; ".join(evidence)]
