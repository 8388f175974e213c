"""What people trip over in daily use, tried in the browser (issue 14)."""

import pytest

from awards import roles
from awards.choices import TitleCategory, TitleFor
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


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
