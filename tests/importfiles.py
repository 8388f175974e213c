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
