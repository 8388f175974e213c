"""Spreadsheets as offices keep them, read into rows of text: XLSX or CSV, any header row,
legacy encodings, three forms of date. Every refusal says what is wrong with the file."""

import contextlib
import csv
import datetime
import gc
import io
import itertools
import re
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from zlib import error as zlib_error

from django.conf import settings
from django.utils.translation import gettext as _

from .. import text
from ..certificates.fonts import VIETNAMESE_LETTERS

_VIETNAMESE = set(VIETNAMESE_LETTERS) | set("ĂÂĐÊÔƠƯăâđêôơư")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted XLSX and old .xls both start so
_ZIP = b"PK\x03\x04"
HEADER_SCAN_ROWS = 20
# Columns read from a sheet, whatever width it declares: the template has eight, office files a
# few more; only the columns up to the last header found are kept.
MAX_COLUMNS = 64
# An element that opens a shared string, a cell, or a DTD (which no spreadsheet needs), with
# or without a namespace prefix; counted on the raw XML before anything is parsed.
_XML_COUNTED = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(si|c)[\s>/]|<!(DOCTYPE|ENTITY)", re.I)


@contextlib.contextmanager
def without_gc_pauses():
    """A whole file checked or written with Python's cycle collector held off. A list of thousands
    makes hundreds of thousands of short-lived objects (rows, model instances, their values), and
    the collector would walk every one still alive again and again — a third of a 10,000-row
    import's time — for cycles these objects do not form. It runs again as usual after."""
    if not gc.isenabled():  # nested, or held off by the caller
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class FileRefused(Exception):
    """The whole file cannot be read; the message says why, in words an officer understands."""


@dataclass
class Table:
    headers: list                 # (column index, header text) as found
    rows: list                    # (row number in the file, [cell values])
    sheet: str = ""
    sheets: list = field(default_factory=list)   # visible sheets, for the officer to choose
    header_row: int = 0


def _limit_bytes():
    return int(settings.REGISTRY_IMPORT_MAX_MB * 1024 * 1024)


def read_table(data, filename, *, known_headers, sheet=None):
    """The first visible sheet (or the named one) of an XLSX, or a CSV, as a Table.

    known_headers: a function that says how many cells of a row are headers it knows; the
    header row is the first of the top rows with the most (at least two), so title rows
    and merged cells above the table are skipped.
    """
    if not data:
        raise FileRefused(_("The file is empty."))
    if len(data) > _limit_bytes():
        raise FileRefused(_("The file is %(size).1f MB; the limit is %(cap)s MB.")
                          % {"size": len(data) / 1024 / 1024, "cap": settings.REGISTRY_IMPORT_MAX_MB})
    name = filename.lower()
    if data.startswith(_OLE):
        raise FileRefused(_("The file is password-protected or in the old .xls format; "
                            "save it from Excel as .xlsx without a password, or as CSV."))
    if data.startswith(_ZIP):
        if not name.endswith((".xlsx", ".xlsm")):
            raise FileRefused(_("The file is a ZIP archive, not a spreadsheet (.xlsx or .csv)."))
        return _read_xlsx(data, known_headers, sheet)
    if name.endswith((".xlsx", ".xlsm")):
        raise FileRefused(_("The file is named .xlsx but is not an Excel workbook (it may be damaged)."))
    if not name.endswith((".csv", ".txt")):
        raise FileRefused(_("Only .xlsx and .csv files can be imported."))
    if b"\x00" in data[:4096]:
        raise FileRefused(_("The file is not a text (CSV) file."))
    return _read_csv(data, known_headers)


def _limit_cells():
    return int(settings.REGISTRY_IMPORT_MAX_CELLS)


def _check_zip(data):
    """Refuse a damaged archive, a decompression bomb, a DTD, or more shared strings or cells
    than a sheet of the allowed size holds, before any XML is parsed; returns the cells counted
    in each part, so the sheet chosen later is checked too. Whatever the file declares about
    itself (dimension, counts) is not believed: the XML is counted as it streams."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise FileRefused(_("The Excel file is damaged and cannot be opened."))
    total = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries) or 1
    if total > settings.REGISTRY_IMPORT_MAX_UNPACKED_MB * 1024 * 1024 or total / packed > 200:
        raise FileRefused(_("The Excel file unpacks to far more data than a spreadsheet of this size "
                            "should (%(mb)s MB); it is refused as unsafe.") % {"mb": total // (1024 * 1024)})
    names = {e.filename for e in entries}
    if "xl/workbook.xml" not in names:
        raise FileRefused(_("The file is a ZIP archive, not an Excel workbook."))
    cells = {}
    for entry in entries:
        if entry.filename.lower().endswith((".xml", ".rels")):
            strings, cells[entry.filename] = _count_xml(archive, entry)
            if strings > _limit_cells():
                raise FileRefused(_("The Excel file holds %(count)s texts, more than a sheet of %(rows)s rows "
                                    "can use; it is refused as unsafe.")
                                  % {"count": strings, "rows": settings.REGISTRY_IMPORT_MAX_ROWS})
    return cells


def _count_xml(archive, entry):
    """Shared strings and cells in one part, counted while it streams; a DTD refuses the file."""
    counts = {"si": 0, "c": 0}
    carry = b""
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(1 << 20):
                chunk = carry + chunk
                # A tag cut by the chunk's end is counted with the next chunk, whole.
                cut = max(len(chunk) - 32, 0)
                _tally(chunk, cut, counts)
                carry = chunk[cut:]
    except (zipfile.BadZipFile, OSError, EOFError, zlib_error):
        raise FileRefused(_("The Excel file is damaged and cannot be opened."))
    _tally(carry, len(carry), counts)
    return counts["si"], counts["c"]


def _tally(chunk, end, counts):
    """Count the tags that start in chunk[:end]."""
    for match in _XML_COUNTED.finditer(chunk):
        if match.start() >= end:
            break
        if match.group(2):
            raise FileRefused(_("The Excel file contains XML entity definitions, which no "
                                "spreadsheet needs; it is refused as unsafe."))
        counts[match.group(1).lower().decode()] += 1


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date() if (value.hour, value.minute, value.second) == (0, 0, 0) else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return text.normalize(value)
    return value


def _read_xlsx(data, known_headers, sheet):
    """The workbook read with python-calamine (Rust: a 10,000-row list in a tenth of openpyxl's
    time), after the archive's own checks (_check_zip)."""
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    cells = _check_zip(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        visible = [m.name for m in workbook.sheets_metadata if m.visible == SheetVisibleEnum.Visible]
    except Exception:  # calamine raises its own errors on a malformed workbook
        raise FileRefused(_("The Excel file is damaged and cannot be opened."))
    try:
        if not visible:
            raise FileRefused(_("The workbook has no visible sheet."))
        chosen = sheet if sheet in visible else visible[0]
        if sheet and sheet not in visible:
            raise FileRefused(_("The workbook has no visible sheet named “%(sheet)s”.") % {"sheet": sheet})
        part = _sheet_part(data, workbook.sheet_names.index(chosen))
        if cells.get(part, 0) > _limit_cells():
            raise FileRefused(_("The sheet “%(sheet)s” has more cells than %(rows)s rows of a list can fill; "
                                "it is refused as unsafe.") % {"sheet": chosen, "rows": settings.REGISTRY_IMPORT_MAX_ROWS})
        values = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except FileRefused:
        raise
    except Exception:
        raise FileRefused(_("The sheet in the Excel file is damaged (its data cannot be read to the end); "
                            "open it in Excel and save it again."))
    finally:
        workbook.close()
    # Rows are as long as their cells (a sheet's declared dimension is not believed), and no row
    # is read past MAX_COLUMNS.
    rows = ((n, [_cell_text(v) for v in row[:MAX_COLUMNS]] if any(v not in ("", None) for v in row) else [])
            for n, row in enumerate(values, start=1))
    return _table(_guarded(rows), known_headers, sheet=chosen, sheets=visible)


def _sheet_part(data, index):
    """The archive member of the workbook's index-th sheet, as its relationships name it."""
    from defusedxml import ElementTree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    sheets = book.findall("m:sheets/m:sheet", ns)
    target = {r.get("Id"): r.get("Target") for r in rels}.get(sheets[index].get(rel), "") if index < len(sheets) else ""
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _guarded(rows):
    """The sheet's rows, with any error of a malformed sheet (truncated XML, a forbidden entity)
    turned into a refusal, and parsing stopped when it takes longer than any real list would."""
    deadline = time.monotonic() + settings.REGISTRY_IMPORT_MAX_SECONDS
    try:
        for row in rows:
            if time.monotonic() > deadline:
                raise FileRefused(_("Reading the file took longer than %(seconds)s seconds; it is refused. "
                                    "Split it into smaller files.") % {"seconds": settings.REGISTRY_IMPORT_MAX_SECONDS})
            yield row
    except FileRefused:
        raise
    except Exception:  # expat's ParseError, defusedxml's refusals, openpyxl's own errors
        raise FileRefused(_("The sheet in the Excel file is damaged (its data cannot be read to the end); "
                            "open it in Excel and save it again."))


def decode_csv(data):
    """UTF-8 (with or without a byte-order mark), else a legacy Windows code page.

    Windows-1258 writes Vietnamese tones as combining marks after the letter; text that is
    really 1258 composes into Vietnamese letters with nothing left over, while Western
    Windows-1252 text read as 1258 composes into letters Vietnamese does not have (Ĺ, Ś …)
    or not at all. So: 1258 when tones compose cleanly, else 1252.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        raw = data.decode("cp1258")
    except UnicodeDecodeError:
        raw = None
    if raw is not None:
        composed = unicodedata.normalize("NFC", raw)
        leftover = any(unicodedata.category(ch) == "Mn" for ch in composed)
        foreign = any(ch.isalpha() and ord(ch) > 127 and ch not in _VIETNAMESE for ch in composed)
        if len(composed) < len(raw) and not leftover and not foreign:
            return composed
    try:
        return unicodedata.normalize("NFC", data.decode("cp1252"))
    except UnicodeDecodeError:
        raise FileRefused(_("The file's text encoding is not recognised; save it as “CSV UTF-8”."))


def _read_csv(data, known_headers):
    content = decode_csv(data)
    try:
        dialect = csv.Sniffer().sniff(content[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(content), dialect)
    try:
        rows = [(n, [_cell_text(v) for v in values[:MAX_COLUMNS]]) for n, values in enumerate(reader, start=1)]
    except csv.Error as error:
        raise FileRefused(_("The CSV file cannot be read: %(error)s") % {"error": error})
    return _table(iter(rows), known_headers, sheet="", sheets=[])


def _table(rows, known_headers, *, sheet, sheets):
    top, header_row, best = [], None, 1
    for number, values in rows:
        top.append((number, values))
        found = known_headers(values)
        if found > best:
            header_row, best = number, found
        if len(top) >= HEADER_SCAN_ROWS:
            break
    if header_row is None:
        raise FileRefused(_("No header row found in the first %(n)s rows: the columns need headers such as "
                          "“Họ và tên” and “Đơn vị” (download the template).") % {"n": HEADER_SCAN_ROWS})
    headers_values = dict(top)[header_row]
    headers = [(i, str(v)) for i, v in enumerate(headers_values) if str(v).strip()]
    # Only the columns that have headers are kept (up to the last of them).
    width = max(i for i, _v in headers) + 1
    cap = settings.REGISTRY_IMPORT_MAX_ROWS
    body = []
    for number, values in itertools.chain((r for r in top if r[0] > header_row), rows):
        values = values[:width]
        # Empty rows, anywhere, carry nothing; every other row counts toward the limit.
        if not any(str(x).strip() for x in values if x is not None):
            continue
        body.append((number, values))
        if len(body) > cap:
            raise FileRefused(_("The file has more than %(cap)s rows; split it into several files.") % {"cap": cap})
    return Table(headers=headers, rows=body, sheet=sheet, sheets=sheets, header_row=header_row)


def parse_date(value):
    """A date from a real date cell, text like 14/01/2022 or 2022-01-14, or an Excel serial number."""
    if value in ("", None):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and 1 <= value < 2958466:
        # Excel's day 1 is 1900-01-01, and it counts a 29 February 1900 that never was.
        return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))
    raw = str(value).strip()
    if raw.isdigit() and len(raw) <= 6:
        return parse_date(int(raw))
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return datetime.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(raw)
