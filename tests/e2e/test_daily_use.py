"""What people trip over in daily use, tried in the browser (issue 14)."""

import os
from pathlib import Path

import pytest

from awards import roles
from awards.choices import TitleCategory, TitleFor
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def shots(tmp_path):
    """Where screenshots go: REGISTRY_SCREENSHOTS (to look at them), else the test's own folder."""
    folder = Path(os.environ.get("REGISTRY_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_subject_line_follows_the_default_title_until_edited_by_hand(page):
    office = factories.unit(full_name="Cục Quản lý công nghệ", short_name="Cục QLCN")
    commendation = factories.title(name="Giấy khen", recipient_for=TitleFor.BOTH)
    emulation = factories.title(name="Chiến sĩ thi đua cơ sở", recipient_for=TitleFor.INDIVIDUAL,
                                category=TitleCategory.EMULATION_TITLE)
    factories.user(username="canbo", role=roles.OFFICER, scope=office)
    page.sign_in("canbo")
    page.click("#dash-actions >> text=Ghi quyết định")
    subject = page.locator("#id_subject")
    page.select_option("#id_title", str(emulation.pk))
    assert subject.input_value() == "Về việc tặng danh hiệu “Chiến sĩ thi đua cơ sở”"
    page.select_option("#id_title", str(commendation.pk))
    assert subject.input_value() == "Về việc tặng Giấy khen"
    subject.fill("Về việc khen thưởng đột xuất")
    page.select_option("#id_title", str(emulation.pk))
    assert subject.input_value() == "Về việc khen thưởng đột xuất"


def test_an_organiser_moves_the_last_award_to_second_place_in_one_action(page, tmp_path):
    import datetime

    from awards import services
    from awards.choices import Rank
    from awards.models import Ceremony
    from awards.services import RecipientRow

    unit = factories.unit(full_name="Phòng Kế hoạch", short_name="PKH")
    people = [factories.person(full_name=name, rank=Rank.DAI_UY, unit_=unit)
              for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Văn Dũng", "Vũ Thị Em")]
    title = factories.title(name="Giấy khen", recipient_for=TitleFor.BOTH)
    awards = factories.grant(rows=[RecipientRow(person=p, title=title) for p in people],
                             signer_name="Vũ Thanh Bình", signer_title="CỤC TRƯỞNG")
    organiser = factories.user(username="tochuc", role=roles.ORGANISER)
    ceremony = services.ceremony_create(by=organiser, ceremony=Ceremony(name="Lễ tổng kết năm 2021",
                                                                     date=datetime.date(2022, 1, 20)))
    services.ceremony_add_awards(ceremony=ceremony, by=organiser, awards=awards)
    last = ceremony.items.order_by("position").last()
    moving = last.award.recipient_name
    page.sign_in("tochuc")
    page.goto(page.base_url + ceremony.get_absolute_url())
    page.fill(f"#position-{last.pk}", "2")
    page.press(f"#position-{last.pk}", "Enter")  # the keyboard path: type the place, press Enter
    page.wait_for_url(f"**#item-{last.pk}")
    order = page.locator("#ceremony-items tbody td.recipient a").all_inner_texts()
    assert moving in order[1]
    page.screenshot(path=str(shots(tmp_path) / "ceremony-moved.png"), full_page=True)
    # Removal asks first; dismissing keeps the award in the list.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click(f"#item-{last.pk} .remove-item")
    assert page.locator("#ceremony-items tbody tr").count() == 5


def test_lists_are_readable_on_a_390_px_phone(browser, live_server, tmp_path):
    import datetime

    from awards import services
    from awards.choices import Rank
    from awards.models import Ceremony
    from awards.services import RecipientRow

    unit = factories.unit(full_name="Phòng Kế hoạch và Tổng hợp Cục Quản lý công nghệ", short_name="PKH")
    people = [factories.person(full_name=f"Nguyễn Thị Phương Thảo {i}", rank=Rank.THUONG_TA, unit_=unit)
              for i in range(4)]
    title = factories.title(name="Bằng khen của Chủ nhiệm Tổng cục Công nghiệp quốc phòng", recipient_for=TitleFor.BOTH)
    awards = factories.grant(rows=[RecipientRow(person=p, title=title) for p in people] + [RecipientRow(unit=unit, title=title)],
                             year=2021, signer_name="Vũ Thanh Bình", signer_title="CỤC TRƯỞNG",
                             authority_=factories.authority(name="Chủ nhiệm Tổng cục Công nghiệp quốc phòng"))
    organiser = factories.user(username="quantri", role=roles.ADMINISTRATOR)
    ceremony = services.ceremony_create(by=organiser, ceremony=Ceremony(
        name="Hội nghị tổng kết công tác thi đua, khen thưởng năm 2021", date=datetime.date(2022, 1, 20),
        place="Hội trường lớn Cục Quản lý công nghệ"))
    services.ceremony_add_awards(ceremony=ceremony, by=organiser, awards=awards)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    phone.base_url = live_server.url
    from tests.e2e.conftest import sign_in

    sign_in(phone, "quantri")
    for name, path in (("honours", "/honours/"), ("year-report", "/reports/year/?year_from=2021&year_to=2021"),
                       ("ceremonies", "/ceremonies/")):
        phone.goto(live_server.url + path)
        cells = phone.eval_on_selector_all(
            "main table td", "els => els.filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect().right)")
        assert cells, path
        assert max(cells) <= 390.5, (path, max(cells))  # nothing cut off or hidden in a sideways scroll
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
        phone.screenshot(path=str(shots(tmp_path) / f"phone-{name}.png"), full_page=True)
    context.close()


def test_an_officer_answers_a_correction_with_a_real_choice_and_error_pages_are_the_registrys(page, tmp_path):
    from awards import services
    from awards.choices import Rank

    unit = factories.unit(full_name="Phòng Kế hoạch", short_name="PKH")
    me = factories.person(full_name="Trần Thị Minh Thư", rank=Rank.THIEU_TA, unit_=unit)
    me.user = factories.user(username="thu", role=roles.STAFF)
    me.save()
    award = factories.award(person_=me, title_=factories.title(name="Giấy khen", recipient_for=TitleFor.BOTH))
    request = services.correction_request_file(by=me.user, kind="rank", message="Cấp bậc đúng là Trung tá",
                                               award=award)
    factories.user(username="canbo", role=roles.OFFICER, scope=unit)
    page.sign_in("canbo")
    page.goto(page.base_url + request.get_absolute_url())
    page.check("#id_status_1")  # "Not changed"
    assert page.is_checked("#id_status_1") and not page.is_checked("#id_status_0")
    assert page.locator("#id_status_1").is_visible()
    page.screenshot(path=str(shots(tmp_path) / "correction-answer.png"), full_page=True)
    page.click("#answer-form button[type=submit]")  # no answer written: the form's own message
    assert page.is_checked("#id_status_1")
    assert "bắt buộc" in page.inner_text("#answer-form")
    missing = page.goto(page.base_url + "/honours/999999/")
    assert missing.status == 404 and "Lỗi 404" in page.inner_text("main")
    page.screenshot(path=str(shots(tmp_path) / "error-404.png"), full_page=True)
    page.context.clear_cookies()
    page.sign_in("thu")
    refused = page.goto(page.base_url + "/decisions/new/")
    assert refused.status == 403 and "cán bộ thi đua – khen thưởng" in page.inner_text("#error-reason")
    page.screenshot(path=str(shots(tmp_path) / "error-403.png"), full_page=True)
