"""The XLSX writer (awards.exports.xlsx_file): XlsxWriter's layout around rows written as XML."""

import datetime
import io

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from awards import exports


def test_the_rows_read_back_as_written_in_excel_and_calamine_with_the_layout_kept():
    header = ["STT", "Họ và tên", "Ngày ký", "Ghi chú", "Số"]
    rows = [
        [1, "Nguyễn Văn Ánh", datetime.date(2022, 1, 14), "=SUM(A1:A2)", 12],
        [2, "Trần <Thị> & \"Bình\"", datetime.datetime(2021, 12, 31, 0, 0), " có khoảng trắng ", 3.5],
        [3, "Lê\x07Hoa", None, "", 0],
    ]
    handle = exports.xlsx_file(header, iter(rows), sheet_title="Danh sách", caption="Sổ khen thưởng: năm 2021")
    data = handle.read()
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Danh sách" and sheet["A1"].value == "Sổ khen thưởng: năm 2021" and sheet["A1"].font.b
    assert [c.value for c in sheet[2]] == header and sheet["B2"].font.b
    assert [c.value for c in sheet[3]] == [1, "Nguyễn Văn Ánh", datetime.datetime(2022, 1, 14), "=SUM(A1:A2)", 12]
    assert sheet["C3"].number_format == "dd/mm/yyyy" and sheet["D3"].quotePrefix and sheet["D3"].data_type == "s"
    assert [c.value for c in sheet[4]] == [2, "Trần <Thị> & \"Bình\"", datetime.datetime(2021, 12, 31),
                                           " có khoảng trắng ", 3.5]
    assert sheet["B5"].value == "Lê_x0007_Hoa"  # Excel's own escape of a character XML cannot hold
    assert sheet["C5"].value is None and sheet["D5"].value is None and sheet["E5"].value == 0
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:E5"
    assert sheet.column_dimensions["B"].width >= len("Trần <Thị> & \"Bình\"")
    assert sheet.dimensions == "A1:E5"
    values = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Danh sách").to_python()
    assert values[2][:3] == [1.0, "Nguyễn Văn Ánh", datetime.date(2022, 1, 14)] and values[3][3] == " có khoảng trắng "


def test_an_empty_export_still_has_its_caption_header_and_filter():
    sheet = load_workbook(exports.xlsx_file(["A", "B"], iter([]), sheet_title="x", caption="c")).active
    assert [c.value for c in sheet[2]] == ["A", "B"] and sheet.max_row == 2 and sheet.auto_filter.ref == "A2:B2"
