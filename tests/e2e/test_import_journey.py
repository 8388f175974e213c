"""An officer imports a decision's recipients: a file with a mistake, the preview, the fixed file."""

import pytest

from awards import roles
from awards.choices import Rank, TitleFor
from awards.models import Decision, Person
from tests import factories
from tests.importfiles import xlsx

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_upload_preview_with_an_error_fix_upload_confirm(page, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    office = factories.unit(full_name="Phòng Kế hoạch", short_name="PKH")
    factories.person(full_name="Nguyễn Văn An", rank=Rank.DAI_UY, unit_=office, service_number="QN-001")
    authority = factories.authority(name="Cục trưởng Cục Quản lý công nghệ")
    title = factories.title(name="Giấy khen", recipient_for=TitleFor.BOTH)
    factories.user(username="canbo", role=roles.OFFICER, scope=office)
    rows = [["1", "Nguyễn Văn An", "Đại úy", "Trợ lý", "PKH", "QN-001", "", "Hoàn thành xuất sắc"],
            ["2", "Trần Văn Mới", "Trung úy", "Trợ lý", "Phòng Kế hoạc", "", "", ""]]
    bad, good = tmp_path / "danh-sach.xlsx", tmp_path / "danh-sach-sua.xlsx"
    bad.write_bytes(xlsx(rows, title_rows=[["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"]]))
    rows[1][4] = "Phòng Kế hoạch"
    good.write_bytes(xlsx(rows, title_rows=[["DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"]]))

    page.sign_in("canbo")
    page.click("#decisions-menu")
    page.click("text=Nhập danh sách khen thưởng từ tệp")
    page.fill("#id_number", "40/QĐ-QLCN")
    page.fill("#id_date", "2022-01-14")
    page.fill("#id_achievement_year", "2021")
    page.select_option("#id_authority", str(authority.pk))
    page.select_option("#id_title", str(title.pk))
    page.fill("#id_signer_title", "Cục trưởng")
    page.fill("#id_signer_name", "Vũ Thanh Bình")
    page.set_input_files("#id_spreadsheet", str(bad))
    page.click("#preview-button")

    error_row = page.locator("#preview-rows tr.preview-error")
    error_row.wait_for()
    assert error_row.count() == 1
    text = error_row.inner_text()
    # The title row is row 1, the headers row 2: the second person is row 4 of the file.
    assert text.startswith("4") and "cột “Đơn vị”" in text and "Phòng Kế hoạc" in text
    assert page.locator("#confirm-import").count() == 0
    assert not Decision.objects.exists()

    page.set_input_files("#id_spreadsheet", str(good))
    page.click("#preview-button")
    page.wait_for_selector("#confirm-import")
    assert page.locator("#preview-rows tr.preview-error").count() == 0
    page.click("#confirm-import")
    page.wait_for_selector("text=Đã ghi quyết định 40/QĐ-QLCN")
    decision = Decision.objects.get(number="40/QĐ-QLCN")
    assert [a.recipient_name for a in decision.awards.order_by("seq")] == ["Nguyễn Văn An", "Trần Văn Mới"]
    assert Person.objects.filter(full_name="Trần Văn Mới", unit=office).exists()
