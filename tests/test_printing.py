"""Printing certificates, ceremonies and their order, the print log, public verification."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from awards import roles, services
from awards.choices import PrintKind, Rank, TitleFor
from awards.models import Ceremony, PrintLog
from awards.services import RecipientRow, RegistryError
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ceremony_world():
    top = factories.unit(full_name="Cục Quản lý công nghệ")
    first = factories.unit(parent=top, full_name="Phòng Kế hoạch")
    second = factories.unit(parent=top, full_name="Phòng Tài chính")
    title = factories.title(name="Giấy khen", recipient_for=TitleFor.BOTH)
    people = {
        "an": factories.person(full_name="Nguyễn Văn An", rank=Rank.DAI_UY, unit_=second),
        "binh": factories.person(full_name="Trần Thị Bình", rank=Rank.THUONG_TA, unit_=first),
        "cuong": factories.person(full_name="Lê Văn Cường", rank=Rank.THUONG_TA, unit_=first),
        "dung": factories.person(full_name="Phạm Văn Dũng", rank=None, unit_=first),
    }
    signed = {"signer_name": "Vũ Thanh Bình", "signer_title": "CỤC TRƯỞNG", "date": datetime.date(2022, 1, 10)}
    awards = factories.grant(rows=[RecipientRow(person=p, title=title) for p in people.values()]
                             + [RecipientRow(unit=second, title=title)], number="10/QĐ-QLCN", **signed)
    organiser = factories.user(role=roles.ORGANISER)
    ceremony = services.ceremony_create(by=organiser, ceremony=Ceremony(name="Lễ tổng kết năm 2021",
                                                                     date=datetime.date(2022, 1, 20)))
    return {"people": people, "awards": awards, "organiser": organiser, "ceremony": ceremony,
            "first": first, "second": second}


def names(ceremony):
    return [i.award.recipient_name for i in ceremony.items.select_related("award").order_by("position")]


def test_default_order_is_collectives_then_unit_rank_and_name(ceremony_world):
    w = ceremony_world
    services.ceremony_add_awards(ceremony=w["ceremony"], by=w["organiser"], awards=w["awards"])
    # Phòng Kế hoạch was created before Phòng Tài chính, so it comes first in the tree.
    assert names(w["ceremony"]) == ["Phòng Tài chính", "Trần Thị Bình", "Lê Văn Cường", "Phạm Văn Dũng", "Nguyễn Văn An"]


def test_organiser_reorders_and_new_awards_go_last_until_default_is_restored(ceremony_world):
    w = ceremony_world
    c, by = w["ceremony"], w["organiser"]
    services.ceremony_add_awards(ceremony=c, by=by, awards=w["awards"][:2])
    last = c.items.order_by("position").last()
    services.ceremony_move(ceremony=c, by=by, item_id=last.pk, position=1)
    assert names(c) == ["Nguyễn Văn An", "Trần Thị Bình"]
    services.ceremony_add_awards(ceremony=c, by=by, awards=w["awards"])
    # The hand-made order stays; the three new ones follow in the default order.
    assert names(c) == ["Nguyễn Văn An", "Trần Thị Bình", "Phòng Tài chính", "Lê Văn Cường", "Phạm Văn Dũng"]
    services.ceremony_reset_order(ceremony=c, by=by)
    assert names(c) == ["Phòng Tài chính", "Trần Thị Bình", "Lê Văn Cường", "Phạm Văn Dũng", "Nguyễn Văn An"]
    item = c.items.get(award__recipient_name="Lê Văn Cường")
    services.ceremony_remove(ceremony=c, by=by, item_id=item.pk)
    assert names(c) == ["Phòng Tài chính", "Trần Thị Bình", "Phạm Văn Dũng", "Nguyễn Văn An"]
    assert [i.position for i in c.items.order_by("position")] == [1, 2, 3, 4]


def test_revoked_awards_are_never_printed_and_printing_is_logged(ceremony_world):
    w = ceremony_world
    c, by = w["ceremony"], w["organiser"]
    services.ceremony_add_awards(ceremony=c, by=by, awards=w["awards"])
    revoked = w["awards"][0]
    services.award_revoke(award=revoked, by=None, number="11/QĐ", date=datetime.date(2022, 2, 1), reason="Sai hồ sơ")
    awards = [i.award for i in c.items.select_related("award__decision", "award__title", "award__authority")]
    out = io.BytesIO()
    pages, skipped = services.certificates_print(by=by, awards=awards, kind=PrintKind.CEREMONY,
                                                 base_url="http://x", out=out, ceremony=c)
    assert (pages, skipped) == (4, 1)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(out.getvalue())).pages)
    assert revoked.recipient_name not in text and "Trần Thị Bình" in text
    assert PrintLog.objects.count() == 4 and not PrintLog.objects.filter(award=revoked).exists()
    assert set(PrintLog.objects.values_list("reprint", flat=True)) == {False}
    services.certificates_print(by=by, awards=awards[1:2], kind=PrintKind.SINGLE, base_url="http://x", out=io.BytesIO())
    again = PrintLog.objects.order_by("-pk").first()
    assert again.reprint and again.award == awards[1] and again.username == by.username


def test_an_incomplete_certificate_stops_the_batch_and_says_why(ceremony_world):
    w = ceremony_world
    unsigned = factories.grant(rows=[RecipientRow(person=w["people"]["an"], title=factories.title())],
                               number="12/QĐ", signer_name="", signer_title="")[0]
    out = io.BytesIO()
    with pytest.raises(RegistryError) as refused:
        services.certificates_print(by=w["organiser"], awards=[w["awards"][1], unsigned], kind=PrintKind.DECISION,
                                    base_url="http://x", out=out)
    assert "Nguyễn Văn An" in refused.value.message and "12/QĐ" in refused.value.message
    assert PrintLog.objects.count() == 0


def test_ceremony_page_prints_one_pdf_in_order_with_the_check(client, ceremony_world):
    w = ceremony_world
    c = w["ceremony"]
    client.force_login(w["organiser"])
    client.post(reverse("awards:ceremony-add", args=[c.pk]), {"decision": w["awards"][0].decision_id})
    services.award_revoke(award=w["awards"][3], by=None, number="13/QĐ", date=datetime.date(2022, 2, 1), reason="Sai")
    page = client.get(c.get_absolute_url())
    html = page.content.decode()
    assert page.context["printable"] == 4 and "revoked-row" in html and 'id="preview"' in html
    preview = client.get(reverse("awards:ceremony-preview", args=[c.pk]))
    assert preview["Content-Type"] == "image/png" and preview.content.startswith(b"\x89PNG")
    assert PrintLog.objects.count() == 0, "a preview is not a print"
    response = client.post(reverse("awards:ceremony-print", args=[c.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert len(reader.pages) == 4
    # The recipient is the sixth printed line of each page.
    recipients = [[ln.strip() for ln in p.extract_text().splitlines() if ln.strip()][5] for p in reader.pages]
    expected = [n for n in names(c) if n != "Phạm Văn Dũng"]
    assert len(recipients) == 4 and all(line.endswith(name) for line, name in zip(recipients, expected)), recipients
    assert set(PrintLog.objects.values_list("ceremony", flat=True)) == {c.pk}


def test_printing_from_the_award_and_decision_pages(client, ceremony_world):
    w = ceremony_world
    client.force_login(factories.user(role=roles.OFFICER, scope=w["first"]))
    award = w["awards"][1]
    one = client.post(reverse("awards:award-certificate", args=[award.pk]))
    assert len(PdfReader(io.BytesIO(b"".join(one.streaming_content))).pages) == 1
    services.award_revoke(award=award, by=None, number="14/QĐ", date=datetime.date(2022, 2, 1), reason="Sai")
    refused = client.post(reverse("awards:award-certificate", args=[award.pk]))
    assert refused.status_code == 302 and refused.url == award.get_absolute_url()
    # The decision's certificates of the officer's own unit (the other Phòng's two are left out).
    batch = client.post(reverse("awards:decision-certificates", args=[award.decision_id]))
    assert len(PdfReader(io.BytesIO(b"".join(batch.streaming_content))).pages) == 2
    client.force_login(w["organiser"])
    batch = client.post(reverse("awards:decision-certificates", args=[award.decision_id]))
    assert len(PdfReader(io.BytesIO(b"".join(batch.streaming_content))).pages) == 4
    client.force_login(factories.user(role=roles.OFFICER, scope=w["first"]))
    log = client.get(w["awards"][2].get_absolute_url()).content.decode()
    assert 'id="print-log"' in log


def test_ceremony_edits_cannot_overwrite_each_other(ceremony_world):
    from awards.services import StaleEditError

    c = ceremony_world["ceremony"]
    services.ceremony_update(ceremony=c, by=None, expected_version=1, place="Hội trường A")
    with pytest.raises(StaleEditError):
        services.ceremony_update(ceremony=c, by=None, expected_version=1, place="Hội trường B")
    c.refresh_from_db()
    assert c.place == "Hội trường A"


# ---- public verification ---------------------------------------------------------------------

@pytest.fixture
def verified(settings):
    from django.core.cache import cache

    cache.clear()
    person = factories.person(full_name="Đỗ Thị Hồng", position="Trợ lý bí mật", service_number="QN-555",
                              unit_=factories.unit(full_name="Phòng Bảo mật"))
    return factories.award(person_=person, date=datetime.date(2022, 1, 10))


def test_verification_shows_only_what_the_certificate_shows(client, verified):
    response = client.get(reverse("awards:verify", args=[verified.verification_code]))
    html = response.content.decode()
    assert response.status_code == 200 and "Đỗ Thị Hồng" in html and verified.decision.number in html
    assert "còn hiệu lực" in html
    for private in ("Trợ lý bí mật", "QN-555", "Phòng Bảo mật", "Đại úy"):
        assert private not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert client.get("/robots.txt").content == b"User-agent: *\nDisallow: /\n"


def test_verification_accepts_the_short_printed_code_in_any_case(client, verified):
    short = f"{verified.verification_code[:5]}-{verified.verification_code[5:10]}".lower()
    assert client.get(reverse("awards:verify-lookup"), {"code": short}).status_code == 200
    assert client.get(reverse("awards:verify", args=["AAAAA-AAAAA"])).status_code == 404


def test_verification_is_rate_limited_per_client(client, verified, settings):
    settings.REGISTRY_VERIFY_RATE = "3/m"
    url = reverse("awards:verify", args=[verified.verification_code])
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    other = client.get(url, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200


def test_each_change_to_a_ceremony_list_is_one_history_entry(ceremony_world):
    from awards.models import AuditEntry

    w = ceremony_world
    c = w["ceremony"]
    services.ceremony_add_awards(ceremony=c, by=w["organiser"], awards=w["awards"])
    item = c.items.order_by("position").last()
    services.ceremony_move(ceremony=c, by=w["organiser"], item_id=item.pk, position=1)
    entries = list(AuditEntry.objects.filter(content_type__model="ceremony", object_id=str(c.pk)).order_by("pk"))
    assert [e.action for e in entries] == ["create", "update", "update"]
    assert entries[1].note == "đã thêm 5 khen thưởng" and entries[1].changes == {}
    assert entries[2].note.endswith("chuyển tới vị trí 1") and entries[2].changes == {"custom_order": [False, True]}


def test_the_ceremony_page_moves_an_award_to_any_place_keeps_its_place_and_asks_before_removing(client, ceremony_world):
    import re

    w = ceremony_world
    c = w["ceremony"]
    services.ceremony_add_awards(ceremony=c, by=w["organiser"], awards=w["awards"])
    client.force_login(w["organiser"])
    items = list(c.items.order_by("position"))
    last = items[-1]
    moved = client.post(reverse("awards:ceremony-move", args=[c.pk]), {"item": last.pk, "position": 2})
    assert moved.status_code == 302 and moved["Location"].endswith(f"#item-{last.pk}")
    assert [i.pk for i in c.items.order_by("position")] == [items[0].pk, last.pk, *[i.pk for i in items[1:-1]]]
    page = client.get(c.get_absolute_url()).content.decode()
    assert f'id="item-{last.pk}"' in page
    assert len(re.findall(r'<input[^>]*name="position"[^>]*type="number"|<input[^>]*type="number"[^>]*name="position"', page)) == len(items)
    removes = re.findall(r'<form[^>]*ceremony-remove[^>]*>|<form[^>]*/remove/"[^>]*>', page)
    assert removes and all("data-confirm=" in f for f in removes)
    select_id = re.search(r'<select name="decision"[^>]*id="([^"]+)"', page).group(1)
    assert f'<label class="form-label small mb-1" for="{select_id}">' in page


def test_the_ceremony_preview_is_drawn_once_per_change(client, ceremony_world, monkeypatch):
    from django.core.cache import cache

    from awards.views import ceremonies as views

    w = ceremony_world
    c = w["ceremony"]
    services.ceremony_add_awards(ceremony=c, by=w["organiser"], awards=w["awards"])
    cache.clear()
    drawn = []
    real = views.certificate_png
    monkeypatch.setattr(views, "certificate_png", lambda data, **kw: drawn.append(data) or real(data, **kw))
    client.force_login(w["organiser"])
    url = reverse("awards:ceremony-preview", args=[c.pk])
    first = client.get(url)
    assert first.status_code == 200 and first.content.startswith(b"\x89PNG")
    assert client.get(url).content == first.content
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert len(drawn) == 1
    # A change to what the first certificate shows draws it again.
    head = c.items.order_by("position").first().award
    services.award_correct(award=head, by=None, expected_version=head.version, achievement="Đã có thành tích mới")
    assert client.get(url).status_code == 200 and len(drawn) == 2


# ---- what each title hands over -------------------------------------------------------------------

def _pdf_text(content):
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_each_title_hands_over_what_the_law_says_seeded_by_name():
    from awards.choices import HandsOver, default_hands_over

    assert default_hands_over("Chiến sĩ tiên tiến") == HandsOver.NOTHING
    assert default_hands_over("Lao động tiên tiến") == HandsOver.NOTHING
    assert default_hands_over("Đơn vị tiên tiến") == HandsOver.NOTHING
    assert default_hands_over("Cờ thi đua của Tổng cục") == HandsOver.FLAG
    for name in ("Chiến sĩ thi đua cơ sở", "Chiến sĩ thi đua toàn quân", "Đơn vị quyết thắng", "Bằng khen", "Giấy khen"):
        assert default_hands_over(name) == HandsOver.CERTIFICATE, name


def test_titles_that_hand_over_nothing_offer_no_print_and_stay_out_of_ceremony_batches(client, ceremony_world):
    from awards.choices import HandsOver, TitleCategory

    w = ceremony_world
    advanced = factories.title(name="Chiến sĩ tiên tiến", category=TitleCategory.EMULATION_TITLE,
                               recipient_for=TitleFor.INDIVIDUAL, hands_over=HandsOver.NOTHING)
    plain = factories.grant(rows=[RecipientRow(person=w["people"]["an"], title=advanced)], number="11/QĐ-QLCN",
                            signer_name="Vũ Thanh Bình", signer_title="CỤC TRƯỞNG", date=datetime.date(2022, 1, 10))[0]
    client.force_login(w["organiser"])
    page = client.get(plain.get_absolute_url()).content.decode()
    assert 'id="print-certificate"' not in page
    refused = client.post(reverse("awards:award-certificate", args=[plain.pk]))
    assert refused.status_code == 302 and not PrintLog.objects.exists()
    c = w["ceremony"]
    services.ceremony_add_awards(ceremony=c, by=w["organiser"], awards=[*w["awards"], plain])
    detail = client.get(c.get_absolute_url()).content.decode()
    assert 'id="not-printed"' in detail and "Chiến sĩ tiên tiến" in detail[detail.index('id="not-printed"'):]
    assert "In 5 bản (PDF)" in detail  # the title that hands over nothing is not counted
    batch = client.post(reverse("awards:ceremony-print", args=[c.pk]))
    assert batch.status_code == 200
    assert len(PdfReader(io.BytesIO(b"".join(batch.streaming_content))).pages) == 5
    assert not PrintLog.objects.filter(award=plain).exists()


def test_a_flag_prints_its_inscription_sheet_and_each_honour_is_called_by_its_own_word(client, ceremony_world):
    from awards.choices import HandsOver, TitleCategory

    w = ceremony_world
    flag = factories.title(name="Cờ thi đua của Tổng cục", category=TitleCategory.EMULATION_TITLE,
                           recipient_for=TitleFor.COLLECTIVE, hands_over=HandsOver.FLAG, certificate_name="CỜ THI ĐUA",
                           flag_width_mm=900, flag_height_mm=600)
    signed = {"signer_name": "Vũ Thanh Bình", "signer_title": "CHỦ NHIỆM", "date": datetime.date(2022, 1, 10)}
    banner = factories.grant(rows=[RecipientRow(unit=w["first"], title=flag)], number="12/QĐ-TC", **signed)[0]
    client.force_login(w["organiser"])
    assert "In nội dung cờ" in client.get(banner.get_absolute_url()).content.decode()
    printed = client.post(reverse("awards:award-certificate", args=[banner.pk]))
    assert printed.status_code == 200 and 'filename="co-' in printed["Content-Disposition"]
    text = _pdf_text(b"".join(printed.streaming_content))
    assert "NỘI DUNG CỜ THI ĐUA" in text and "900 × 600 mm" in text and "Phòng Kế hoạch" in text
    commendation = factories.title(name="Bằng khen", certificate_name="BẰNG KHEN")
    emulation = factories.title(name="Chiến sĩ thi đua cơ sở", category=TitleCategory.EMULATION_TITLE,
                                recipient_for=TitleFor.INDIVIDUAL, certificate_name="CHIẾN SĨ THI ĐUA CƠ SỞ")
    bk = factories.grant(rows=[RecipientRow(person=w["people"]["binh"], title=commendation)], number="13/QĐ", **signed)[0]
    cs = factories.grant(rows=[RecipientRow(person=w["people"]["binh"], title=emulation)], number="14/QĐ", **signed)[0]
    assert "In Bằng khen" in client.get(bk.get_absolute_url()).content.decode()
    assert "In giấy chứng nhận" in client.get(cs.get_absolute_url()).content.decode()
    response = client.post(reverse("awards:award-certificate", args=[bk.pk]))
    assert 'filename="bang-khen-' in response["Content-Disposition"]
    response = client.post(reverse("awards:award-certificate", args=[cs.pk]))
    assert 'filename="giay-chung-nhan-' in response["Content-Disposition"]
