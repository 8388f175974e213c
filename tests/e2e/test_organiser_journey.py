"""The ceremony organiser's day: open the ceremony, check it, print it as one PDF."""

import datetime
import io

import pytest
from pypdf import PdfReader

from awards import roles, services
from awards.choices import TitleFor
from awards.models import Ceremony
from awards.services import RecipientRow
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_organiser_opens_a_ceremony_and_prints_it(page, tmp_path):
    unit = factories.unit(full_name="Phòng Kỹ thuật")
    title = factories.title(name="Giấy khen", recipient_for=TitleFor.BOTH)
    signed = {"signer_name": "Vũ Thanh Bình", "signer_title": "CỤC TRƯỞNG"}
    first = factories.grant(rows=[RecipientRow(person=factories.person(unit_=unit), title=title) for _ in range(3)],
                            number="20/QĐ", **signed)
    second = factories.grant(rows=[RecipientRow(unit=unit, title=title),
                                   RecipientRow(person=factories.person(unit_=unit), title=title)], number="21/QĐ", **signed)
    organiser = factories.user(username="tochuc", role=roles.ORGANISER)
    ceremony = services.ceremony_create(by=organiser, ceremony=Ceremony(name="Lễ tổng kết", date=datetime.date(2022, 1, 20)))
    services.ceremony_add_awards(ceremony=ceremony, by=organiser, awards=first + second)
    services.award_revoke(award=first[1], by=None, number="22/QĐ", date=datetime.date(2022, 3, 1), reason="Sai hồ sơ")
    active = sum(1 for a in first + second if a.pk != first[1].pk)

    page.sign_in("tochuc")
    page.click("nav >> text=Lễ trao tặng")
    page.click("text=Lễ tổng kết")
    page.wait_for_selector("#print-check:has-text('sẵn sàng để in')")
    assert page.locator("#ceremony-items tr.revoked-row").count() == 1
    # (wait_for_function would evaluate a string in the page, which the CSP rightly forbids)
    page.locator("#preview").wait_for()
    for _ in range(50):
        if page.locator("#preview").evaluate("img => img.complete && img.naturalWidth"):
            break
        page.wait_for_timeout(100)
    assert page.locator("#preview").evaluate("img => img.naturalWidth") > 0
    with page.expect_download() as download:
        page.click("#print-ceremony")
    path = tmp_path / "ceremony.pdf"
    download.value.save_as(path)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    assert len(reader.pages) == active == 4
