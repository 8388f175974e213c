"""The personnel officer's day: record a decision, find a recipient, revoke an award."""

import pytest

from awards import roles
from awards.choices import TitleFor
from awards.models import Award, Decision
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_officer_records_a_decision_finds_a_recipient_and_revokes(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    office = factories.unit(full_name="Cục Quản lý công nghệ", short_name="Cục QLCN")
    team = factories.unit(parent=office, full_name="Phòng Kế hoạch", short_name="PKH")
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Quang Cường"):
        factories.person(full_name=name, unit_=team)
    authority = factories.authority(name="Cục trưởng Cục Quản lý công nghệ")
    title = factories.title(name="Giấy khen của Cục trưởng", recipient_for=TitleFor.BOTH)
    factories.user(username="canbo", role=roles.OFFICER, scope=office)

    page.sign_in("canbo")
    page.click("#decisions-menu")
    page.click("text=Ghi quyết định")

    page.fill("#id_number", "15/QĐ-QLCN")
    page.fill("#id_date", "2022-01-14")
    page.fill("#id_achievement_year", "2021")
    page.select_option("#id_authority", str(authority.pk))
    page.select_option("#id_title", str(title.pk))
    page.fill("#id_reason", "Đã có thành tích hoàn thành xuất sắc nhiệm vụ năm 2021")
    page.fill("#id_signer_title", "Cục trưởng")
    page.fill("#id_signer_name", "Phạm Văn Tư")
    for typed, shown in (("nguyen van an", "Nguyễn Văn An"), ("tran thi binh", "Trần Thị Bình"),
                         ("phong ke hoach", "Phòng Kế hoạch")):
        page.fill("#recipient-search", typed)
        page.locator(".recipient-option", has_text=shown).first.click()
        page.wait_for_selector(f"#rows .recipient-label:has-text('{shown}')")
    assert page.locator("#rows tr.recipient-row:not(.d-none)").count() == 3
    page.click("#save-decision")

    page.wait_for_selector("text=Đã ghi quyết định 15/QĐ-QLCN")
    decision = Decision.objects.get(number="15/QĐ-QLCN")
    assert decision.awards.count() == 3

    page.click("nav a.nav-link[href='/honours/']")
    page.fill("#id_q", "tran thi binh")
    page.press("#id_q", "Enter")
    page.wait_for_selector("#result-count:text('1 khen thưởng')")
    page.locator("td.recipient", has_text="Trần Thị Bình").wait_for()
    page.click("a:text('Giấy khen của Cục trưởng')")

    page.fill("#id_number", "20/QĐ-QLCN")
    page.fill("#id_date", "2022-05-20")
    page.fill("#id_reason", "Vi phạm kỷ luật sau khi được khen")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#revoke-form button[type=submit]")
    page.wait_for_selector("#revocation")
    assert page.locator("#status").inner_text() == "Đã thu hồi"

    page.click("nav a.nav-link[href='/honours/']")
    revoked_row = page.locator("tr.revoked-row")
    assert revoked_row.count() == 1 and "Trần Thị Bình" in revoked_row.inner_text()
    assert "Đã thu hồi" in revoked_row.inner_text()
    award = Award.objects.get(recipient_name="Trần Thị Bình")
    assert award.is_revoked and award.revocation_number == "20/QĐ-QLCN"
    page.screenshot(path=str(tmp_path / "list.png"), full_page=True)
