"""A member of staff looks up their record, downloads a certificate, reports a mistake;
an officer of their unit answers it."""

import io

import pytest
from pypdf import PdfReader

from awards import roles
from awards.choices import CorrectionStatus, Rank, TitleFor
from awards.models import CorrectionRequest
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_out(page):
    page.click("#user-menu")
    page.click("form[action='/sign-out/'] button")
    page.wait_for_selector("#id_username")


def test_staff_reports_a_mistake_and_an_officer_corrects_it(page, tmp_path):
    office = factories.unit(full_name="Phòng Công nghệ sản xuất")
    me = factories.person(full_name="Trần Thị Minh Thư", rank=Rank.THIEU_TA, unit_=office)
    me.user = factories.user(username="minhthu", role=roles.STAFF)
    me.save()
    title = factories.title(name="Chiến sĩ tiên tiến", recipient_for=TitleFor.INDIVIDUAL)
    signed = {"signer_name": "Vũ Thanh Bình", "signer_title": "CỤC TRƯỞNG"}
    award = factories.award(person_=me, title_=title, year=2021, **signed)
    factories.award(person_=me, title_=title, year=2020, **signed)
    factories.user(username="canbo", role=roles.OFFICER, scope=office)

    page.sign_in("minhthu")
    page.click("nav >> text=Hồ sơ của tôi")
    page.wait_for_selector("h2:text('Năm 2021')")
    assert page.locator(".my-award").count() == 2
    with page.expect_download() as download:
        page.locator(".download-certificate").first.click()
    path = tmp_path / "giay-khen.pdf"
    download.value.save_as(path)
    assert "Trần Thị Minh Thư" in PdfReader(io.BytesIO(path.read_bytes())).pages[0].extract_text()

    page.locator(".my-award a:text('Báo sai sót')").first.click()
    page.select_option("#id_kind", "rank")
    page.fill("#id_message", "Cấp bậc đúng là Trung tá")
    page.click("button:text('Gửi cán bộ phụ trách')")
    page.wait_for_selector("text=Đề nghị của anh/chị đã được gửi")
    request = CorrectionRequest.objects.get()
    assert request.award == award

    sign_out(page)
    page.sign_in("canbo")
    page.click("#dash-requests a")
    page.select_option("#id_award-rank", str(Rank.TRUNG_TA))
    page.check(f"input[name=status][value={CorrectionStatus.RESOLVED}]")
    page.fill("#id_note", "Đã sửa cấp bậc theo hồ sơ gốc")
    page.click("button:text('Gửi trả lời')")
    page.wait_for_selector("text=Đã gửi trả lời cho người đề nghị")
    award.refresh_from_db()
    assert award.rank == Rank.TRUNG_TA

    sign_out(page)
    page.sign_in("minhthu")
    page.goto(page.base_url + "/me/")
    outcome = page.locator("#my-requests").inner_text()
    assert "Đã đính chính" in outcome and "Đã sửa cấp bậc theo hồ sơ gốc" in outcome
