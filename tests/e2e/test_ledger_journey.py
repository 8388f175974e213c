"""An officer brings an old ledger in: the preview names an abbreviation the registry does not
know, the officer maps it in the page, checks again, writes, and the same file adds nothing."""

import pytest

from awards.models import Decision, ImportAlias
from tests.importfiles import xlsx
from tests.test_ledger import HEADERS, ledger_rows, office  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_upload_map_a_name_check_again_write_then_nothing_new(page, office, tmp_path, settings):  # noqa: F811
    settings.DATA_DIR = tmp_path
    ledger = tmp_path / "so-khen-thuong.xlsx"
    ledger.write_bytes(xlsx(ledger_rows(), headers=HEADERS))

    page.sign_in(office["officer"].username)
    page.click("#decisions-menu")
    page.click("text=Nhập sổ khen thưởng cũ")
    page.set_input_files("#id_spreadsheet", str(ledger))
    page.click("#preview-button")
    page.wait_for_selector("#ledger-names")
    assert "“TT TCCNQP”" in page.inner_text("#ledger-names") and "9, 10, 11" in page.inner_text("#ledger-names")
    assert page.locator("#preview-rows tr.preview-error").count() == 3
    assert page.locator("#confirm-import").count() == 0

    page.select_option("select[name='names-0-target']", label=office["above"].name)
    page.click("#check-names")
    page.wait_for_selector("#confirm-import")
    assert page.locator("#preview-rows tr.preview-error").count() == 0
    assert page.locator("#ledger-decisions tbody tr").count() == 3
    assert not Decision.objects.filter(number="12/QĐ-QLCN").exists()
    page.click("#confirm-import")
    page.wait_for_selector("text=Đã ghi hoặc bổ sung 3 quyết định")
    assert Decision.objects.get(number="150/QĐ-TCCNQP").awards.count() == 3
    assert ImportAlias.objects.get().authority == office["above"]

    page.goto(page.base_url + "/decisions/ledger/")
    page.set_input_files("#id_spreadsheet", str(ledger))
    page.click("#preview-button")
    page.wait_for_selector("#nothing-new")
    assert page.locator("#ledger-names").count() == 0
