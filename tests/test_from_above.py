"""Honours from above: an authority that keeps its register book elsewhere (Prime Minister,
Minister, a higher general department). Its certificates arrive numbered and printed: the
officer types the number they carry, nothing is numbered or printed here."""

import datetime

import pytest
from django.urls import reverse

from awards import roles, services
from awards.choices import AuthorityLevel, TitleFor
from awards.models import Award, Ceremony, PrintLog, RegisterCounter
from awards.services import RecipientRow, RegistryError
from tests import factories

pytestmark = pytest.mark.django_db

SIGNED = {"signer_name": "Nguyễn Minh Tâm", "signer_title": "THỦ TƯỚNG", "date": datetime.date(2021, 11, 25)}


@pytest.fixture
def above():
    top = factories.unit(full_name="Cục Quản lý công nghệ")
    office = factories.unit(parent=top, full_name="Phòng Kế hoạch")
    pm = factories.authority(name="Thủ tướng Chính phủ", level=AuthorityLevel.GOVERNMENT, keeps_book=False)
    here = factories.authority(name="Cục trưởng Cục Quản lý công nghệ", unit=top)
    bk = factories.title(name="Bằng khen", certificate_name="BẰNG KHEN", recipient_for=TitleFor.BOTH)
    people = [factories.person(full_name=f"Nguyễn Văn {name}", unit_=office) for name in ("An", "Bình", "Cường")]
    return {"top": top, "office": office, "pm": pm, "here": here, "bk": bk, "people": people}


def test_an_award_from_above_keeps_the_typed_number_and_takes_none_from_a_book_here(above):
    a = above
    awards = factories.grant(authority_=a["pm"], number="1956/QĐ-TTg", year=2021, **SIGNED, rows=[
        RecipientRow(unit=a["top"], title=a["bk"], register_number=1245),
        RecipientRow(person=a["people"][0], title=a["bk"]),  # its number not known yet
    ])
    assert [w.register_number for w in awards] == [1245, None]
    assert not RegisterCounter.objects.filter(authority=a["pm"]).exists()
    # The same number twice in that authority's book for the year is refused, nothing written.
    before = Award.objects.count()
    with pytest.raises(RegistryError) as refused:
        factories.grant(authority_=a["pm"], number="1957/QĐ-TTg", year=2021, **SIGNED,
                        rows=[RecipientRow(person=a["people"][1], title=a["bk"], register_number=1245)])
    assert "1245" in refused.value.row_errors[0][0] and Award.objects.count() == before
    # Another year's book may use it again.
    again = factories.grant(authority_=a["pm"], number="12/QĐ-TTg", year=2022, **SIGNED,
                            rows=[RecipientRow(person=a["people"][1], title=a["bk"], register_number=1245)])
    assert again[0].register_number == 1245


def test_a_book_kept_here_refuses_a_typed_number_and_numbers_itself(above):
    a = above
    with pytest.raises(RegistryError) as refused:
        factories.grant(authority_=a["here"], year=2021, **SIGNED,
                        rows=[RecipientRow(person=a["people"][0], title=a["bk"], register_number=77)])
    assert "sổ" in refused.value.row_errors[0][0] and not Award.objects.exists()
    local = factories.grant(authority_=a["here"], year=2021, **SIGNED,
                            rows=[RecipientRow(person=a["people"][0], title=a["bk"])])[0]
    assert local.register_number == 1
    with pytest.raises(RegistryError):
        services.award_correct(award=local, by=None, expected_version=local.version, register_number=77)
    local.refresh_from_db()
    assert local.register_number == 1


def test_the_award_page_says_where_the_certificate_comes_from_and_prints_nothing(client, above):
    a = above
    award = factories.grant(authority_=a["pm"], number="1956/QĐ-TTg", **SIGNED,
                            rows=[RecipientRow(unit=a["top"], title=a["bk"], register_number=1245)])[0]
    organiser = factories.user(role=roles.ORGANISER)
    client.force_login(organiser)
    page = client.get(award.get_absolute_url()).content.decode()
    assert 'id="print-certificate"' not in page
    note = page[page.index('id="not-printed-here"'):]
    assert "Thủ tướng Chính phủ" in note[:400] and "Bằng khen" in note[:400]
    assert "1245" in page[page.index('id="register-number"'):][:200]
    refused = client.post(reverse("awards:award-certificate", args=[award.pk]), follow=True)
    assert "Thủ tướng Chính phủ" in refused.content.decode() and not PrintLog.objects.exists()
    # In a ceremony it is listed, not printed, with the reason.
    local = factories.grant(authority_=a["here"], **SIGNED,
                            rows=[RecipientRow(person=a["people"][0], title=a["bk"])])[0]
    ceremony = services.ceremony_create(by=organiser, ceremony=Ceremony(name="Lễ", date=datetime.date(2022, 1, 20)))
    services.ceremony_add_awards(ceremony=ceremony, by=organiser, awards=[award, local])
    detail = client.get(ceremony.get_absolute_url()).content.decode()
    listed = detail[detail.index('id="not-printed"'):][:600]
    assert "Cục Quản lý công nghệ" in listed and "Thủ tướng Chính phủ" in listed
    printed = client.post(reverse("awards:ceremony-print", args=[ceremony.pk]))
    assert printed.status_code == 200
    assert list(PrintLog.objects.values_list("award_id", flat=True)) == [local.pk]


def test_the_officer_records_the_number_that_arrived_on_the_correction_page(client, above):
    a = above
    award = factories.grant(authority_=a["pm"], number="1956/QĐ-TTg", **SIGNED,
                            rows=[RecipientRow(person=a["people"][0], title=a["bk"]),
                                  RecipientRow(person=a["people"][1], title=a["bk"], register_number=1300)])[0]
    officer = factories.user(role=roles.OFFICER, scope=a["top"])
    client.force_login(officer)
    url = reverse("awards:award-correct", args=[award.pk])
    form = client.get(url).content.decode()
    assert 'name="register_number"' in form
    data = {"title": a["bk"].pk, "recipient_name": award.recipient_name, "rank": award.rank or "",
            "position": award.position, "unit_name": award.unit_name, "achievement": award.achievement,
            "version": award.version, "note": "Theo bằng khen nhận về"}
    taken = client.post(url, {**data, "register_number": 1300})
    assert "Số sổ vàng này đã được dùng" in taken.content.decode()
    assert Award.objects.get(pk=award.pk).register_number is None
    saved = client.post(url, {**data, "register_number": 1301})
    assert saved.status_code == 302
    assert Award.objects.get(pk=award.pk).register_number == 1301
    # A book kept here offers no such field: its numbers are the book's.
    local = factories.grant(authority_=a["here"], **SIGNED, rows=[RecipientRow(person=a["people"][2], title=a["bk"])])[0]
    assert 'name="register_number"' not in client.get(reverse("awards:award-correct", args=[local.pk])).content.decode()


def test_the_decision_page_takes_the_number_for_an_authority_above(client, above):
    a = above
    officer = factories.user(role=roles.OFFICER, scope=a["top"])
    client.force_login(officer)
    page = client.get(reverse("awards:decision-create")).content.decode()
    assert f'data-outside-authorities="{a["pm"].pk}"' in page
    data = {"number": "1956/QĐ-TTg", "date": "2021-11-25", "achievement_year": 2021, "authority": a["pm"].pk,
            "kind": "annual", "title": a["bk"].pk, "subject": "Về việc tặng Bằng khen", "reason": "Thành tích",
            "signer_title": "THỦ TƯỚNG", "signer_name": "Nguyễn Minh Tâm", "signer_prefix": "",
            "rows-TOTAL_FORMS": 1, "rows-INITIAL_FORMS": 0, "rows-0-recipient": f"p:{a['people'][0].pk}",
            "rows-0-title": "", "rows-0-achievement": "", "rows-0-register_number": "88"}
    assert client.post(reverse("awards:decision-create"), data).status_code == 302
    assert Award.objects.get().register_number == 88
    refused = client.post(reverse("awards:decision-create"), {
        **data, "number": "5/QĐ-QLCN", "authority": a["here"].pk, "signer_title": "CỤC TRƯỞNG",
        "rows-0-recipient": f"p:{a['people'][1].pk}"})
    assert refused.status_code == 400 and Award.objects.count() == 1
    assert "sổ" in refused.content.decode()
