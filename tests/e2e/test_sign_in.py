import pytest

from awards import roles
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_signs_in_and_sees_the_registry_in_vietnamese(page):
    award = factories.award()
    factories.user(username="thu", role=roles.STAFF)
    page.goto(page.base_url + "/")
    assert "Đăng nhập" in page.content()
    page.fill("#id_username", "thu")
    page.fill("#id_password", "pw-Test-12345")
    page.click("button[type=submit]")
    page.wait_for_selector("text=Quyết định gần đây")
    assert award.decision.number in page.content()
    # Static files come from the app itself: the stylesheet loaded.
    assert page.evaluate("getComputedStyle(document.querySelector('nav')).backgroundColor") != "rgba(0, 0, 0, 0)"
