"""Spreadsheet exports of the honours list, streamed so that size costs neither time nor memory."""

import csv
import tempfile

from django.utils.translation import gettext as _

from .models import rank_label_vi

# A cell that begins with one of these is taken for a formula by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
    """One list of plain values per award, in the list's order; dates as dd/mm/yyyy text."""
    for number, award in enumerate(awards, start=1):
        row = [
            number, award.year, award.title.name, str(award.recipient_kind.label), rank_label_vi(award.rank),
            award.recipient_name, award.position, award.unit_name, award.decision.number,
            award.decision.date.strftime("%d/%m/%Y"), award.authority.name, award.register_number,
            award.get_status_display(), award.revocation_number,
            award.revocation_date.strftime("%d/%m/%Y") if award.revocation_date else "",
            award.revocation_reason, award.achievement,
        ]
        if personal:
            row.insert(6, (award.person.service_number or "") if award.person_id else "")
        yield row


def neutralize(value):
    """Text that a spreadsheet would run as a formula, made plain text (OWASP's leading quote)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_stream(header, rows):
    """UTF-8 CSV with a byte-order mark (so Excel shows diacritics), one row at a time."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode("utf-8")
    yield writer.writerow([neutralize(v) for v in header]).encode("utf-8")
    for row in rows:
        yield writer.writerow([neutralize(v) for v in row]).encode("utf-8")


def xlsx_file(header, rows, *, sheet_title):
    """An XLSX workbook written row by row (openpyxl's write-only mode) into a temporary file.

    Text is stored as text, never as a formula: a cell that begins like a formula gets
    Excel's own quote-prefix mark, as if the user had typed an apostrophe before it.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    bold = Font(bold=True)

    def cell(value, **style):
        item = WriteOnlyCell(sheet)
        if isinstance(value, str):
            item.value = value
            item.data_type = "s"
            if value.startswith(_FORMULA_STARTS):
                item.quotePrefix = True
        else:
            item.value = value
        for name, setting in style.items():
            setattr(item, name, setting)
        return item

    sheet.append([cell(v, font=bold) for v in header])
    for row in rows:
        sheet.append([cell(v) for v in row])
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
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
            yield [number, str(target.title), name, unit,
                   "; ".join(f"{title} {year} ({decision})" for title, year, decision in candidate.evidence)]
