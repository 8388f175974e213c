"""Spreadsheets made in the tests, in the shapes offices send them."""

import csv
import io

from openpyxl import Workbook

HEADERS = ["STT", "Họ và tên", "Cấp bậc", "Chức vụ", "Đơn vị", "Số hiệu quân nhân", "Danh hiệu / Hình thức", "Thành tích"]


def xlsx(rows, *, headers=HEADERS, title_rows=(), hidden_first=False, sheet_title="Danh sách"):
    workbook = Workbook()
    sheet = workbook.active
    if hidden_first:
        sheet.title = "Ẩn"
        sheet.append(["Họ và tên", "Đơn vị"])
        sheet.append(["Người Ẩn", "Không có"])
        sheet.sheet_state = "hidden"
        sheet = workbook.create_sheet()
    sheet.title = sheet_title
    for row in title_rows:
        sheet.append(row)
    if title_rows:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows, *, headers=HEADERS, encoding="utf-8", delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(value):
    """Text as Windows-1258 writes Vietnamese: letters precomposed, tones as combining marks."""
    import unicodedata

    out = []
    for ch in value:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(p for p in parts if p in _TONES)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def rewrite(data, parts):
    """An XLSX with some of its parts replaced or added: {name inside the archive: bytes}."""
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name not in parts:
                target.writestr(name, source.read(name))
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def shared_strings_xlsx(rows, *, headers=HEADERS, extra_strings=0, seed=1):
    """A workbook whose cells are shared strings, as Excel writes them, with `extra_strings` more
    tiny random texts in its table (and a count that says there is one)."""
    import random
    from xml.sax.saxutils import escape

    from openpyxl.utils import get_column_letter

    strings, sheet_rows = [], []
    for r, values in enumerate([headers, *rows], start=1):
        cells = []
        for c, value in enumerate(values, start=1):
            strings.append(str(value))
            cells.append(f'<c r="{get_column_letter(c)}{r}" t="s"><v>{len(strings) - 1}</v></c>')
        sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    rng = random.Random(seed)
    texts = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    texts += "".join(f"<si><t>{rng.getrandbits(24):06x}</t></si>" for _ in range(extra_strings))
    base = xlsx([], headers=["x"])
    types = __import__("zipfile").ZipFile(io.BytesIO(base)).read("[Content_Types].xml").decode()
    types = types.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                          'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    return rewrite(base, {
        "[Content_Types].xml": types.encode(),
        "xl/sharedStrings.xml": f'<sst {_MAIN} count="1" uniqueCount="1">{texts}</sst>'.encode(),
        "xl/worksheets/sheet1.xml": f'<worksheet {_MAIN}><sheetData>{"".join(sheet_rows)}</sheetData></worksheet>'.encode(),
    })


def office_xlsx(rows, *, headers=HEADERS, footer=True):
    """A list as an office sends it: title rows above, numbering by formula, and below the data a
    total line, the signature blocks with the names under them, and a note."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "DS"
    sheet.append(["BỘ QUỐC PHÒNG", "", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    sheet.append(["CỤC QUẢN LÝ CÔNG NGHỆ", "", "", "", "Độc lập - Tự do - Hạnh phúc"])
    sheet.append([])
    sheet.append(["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2021"])
    sheet.append(headers)
    first = sheet.max_row + 1
    for i, row in enumerate(rows):
        sheet.append(["=ROW()-5" if i == 0 else f"=A{first + i - 1}+1", *row[1:]])
    if footer:
        sheet.append([])
        sheet.append(["", f"Tổng cộng: {len(rows)} người"])
        sheet.append([])
        sheet.append(["", "NGƯỜI LẬP BIỂU", "", "", "", "Hà Nội, ngày 10 tháng 01 năm 2022"])
        sheet.append(["", "", "", "", "", "THỦ TRƯỞNG ĐƠN VỊ"])
        sheet.append(["", "(Ký, ghi rõ họ tên)", "", "", "", "(Ký, ghi rõ họ tên, đóng dấu)"])
        sheet.append([])
        sheet.append(["", "Nguyễn Văn Lập", "", "", "", "Đại tá Trần Văn Trưởng"])
        sheet.append(["Ghi chú: danh sách đã được Hội đồng Thi đua – Khen thưởng thông qua ngày 05/01/2022."])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
