"""The whole road to a decision, in the browser: a Phòng's dossier from the candidates page, made
public in the unit and voted on by the council, sent early with a reason, returned
by the Cục, corrected and sent again, reviewed, one nominee forwarded to the Tổng cục with another
unit's, the Cục's decision from its approved list, the Tổng cục's on the forwarded ones; and each
nominee's page telling where they stand at every step."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awards import roles, services
from awards.choices import AuthorityLevel, DossierAction, NomineeState, RuleKind, TaskRating, TitleFor
from awards.models import Award, Council, Decision, Dossier, EligibilityRule, Nominee, Rating
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

YEAR = 2025


def _pdf(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(factories.scan_pdf())
    return str(path)


def _state_on_person_page(page, person):
    """The state the person's page shows for their (only) nomination."""
    page.goto(f"{page.base_url}/people/{person.pk}/")
    return page.locator("tr.my-nomination").first.get_attribute("data-state")


def _attach(page, tmp_path, kind, name):
    page.select_option("#attach-form select[name=kind]", kind)
    page.set_input_files("#attach-form input[type=file]", _pdf(tmp_path, name))
    page.click("#attach-form button[type=submit]")
    page.wait_for_selector("text=Đã đính kèm tài liệu")


def _save_decision(page, number, date, signer_title, signer_name):
    """Fill the decision made from the approved list and save it."""
    page.fill("#id_number", number)
    page.fill("#id_date", date)
    page.fill("#id_signer_title", signer_title)
    page.fill("#id_signer_name", signer_name)
    page.click("#save-decision")
    page.wait_for_selector(f"text=Đã ghi quyết định {number}")


def _sign_out_and_in(page, username):
    page.context.clear_cookies()
    page.sign_in(username)


def test_the_road_from_a_phong_to_the_tong_cuc(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    tc = factories.unit(full_name="Tổng cục Công nghiệp quốc phòng", short_name="TCCNQP")
    cuc = factories.unit(parent=tc, full_name="Cục Quản lý công nghệ", short_name="Cục QLCN")
    phong = factories.unit(parent=cuc, full_name="Phòng Công nghệ sản xuất", short_name="Phòng CN")
    other = factories.unit(parent=cuc, full_name="Phòng Khoa học quân sự", short_name="Phòng KHQS")
    a_cuc = factories.authority(name="Cục trưởng Cục Quản lý công nghệ", unit=cuc, symbol="QĐ-QLCN")
    a_tc = factories.authority(name="Chủ nhiệm Tổng cục Công nghiệp quốc phòng", unit=tc, symbol="QĐ-TCCNQP",
                               level=AuthorityLevel.GENERAL_DEPARTMENT)
    cstdcs = factories.title(name="Chiến sĩ thi đua cơ sở", recipient_for=TitleFor.INDIVIDUAL, rank_order=40,
                             required_attachments=["submission", "minutes"])
    cstt = factories.title(name="Chiến sĩ tiên tiến", recipient_for=TitleFor.INDIVIDUAL, rank_order=20,
                           required_attachments=[])
    bk = factories.title(name="Bằng khen", rank_order=60, required_attachments=["submission", "minutes"])
    EligibilityRule.objects.create(title=cstdcs, kind=RuleKind.RATING, min_rating=TaskRating.EXCELLENT, years=1)
    Council.objects.create(unit=cuc, members=9, chair="Đại tá Vũ Thanh Bình", secretary="Thiếu tá Lê Thu Hà")
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Quang Cường", "Phạm Đức Dũng", "Võ Thị Giang"]
    people = [factories.person(full_name=name, unit_=phong) for name in names]
    for person in people:
        Rating.objects.create(person=person, year=YEAR, rating=TaskRating.EXCELLENT)
    officers = {"phong": factories.user(username="canbo-phong", role=roles.OFFICER, scope=phong),
                "cuc": factories.user(username="canbo-cuc", role=roles.OFFICER, scope=cuc),
                "tc": factories.user(username="canbo-tc", role=roles.OFFICER, scope=tc)}
    # Another Phòng's nominee, already approved by the Cục for a Bằng khen of the Tổng cục.
    khai = factories.person(full_name="Hoàng Văn Khải", unit_=other)
    theirs = services.dossier_create(by=officers["cuc"], dossier=Dossier(unit=other, authority=a_cuc, year=YEAR),
                                     rows=[services.NomineeRow(person=khai, title=bk, summary="Sáng kiến cấp Bộ")])
    for kind in ("submission", "minutes"):
        services.attachment_add(dossier=theirs, by=officers["cuc"], kind=kind,
                                file=SimpleUploadedFile(f"khai-{kind}.pdf", factories.scan_pdf()))
    for action in (DossierAction.SEND, DossierAction.RECEIVE):
        services.dossier_act(dossier=theirs, action=action, by=officers["cuc"], expected_version=None)
    services.nominee_review(nominee=theirs.nominees.get(), action=DossierAction.APPROVE, by=officers["cuc"],
                            expected_version=None)

    # 1. The Phòng's officer builds the dossier of 5 from the candidates page.
    page.sign_in("canbo-phong")
    page.goto(f"{page.base_url}/candidates/?year={YEAR}&unit={phong.pk}&kind=annual")
    card = page.locator(".card", has=page.locator("h2.candidate-honour", has_text="Chiến sĩ thi đua cơ sở"))
    assert card.locator("tbody input[type=checkbox]:checked").count() == 5
    card.locator("button.start-dossier").click()
    page.wait_for_selector("#dossier-form")
    assert page.locator("ul.picked li").count() == 5
    page.select_option("#id_authority", str(a_cuc.pk))
    page.fill("#id_reference", "15/TTr-CN")
    page.click("#dossier-form button[type=submit]")
    page.wait_for_selector("#dossier-state")
    dossier = Dossier.objects.get(unit=phong)
    assert dossier.nominees.count() == 5
    # The required documents are named until attached; then it is sent.
    assert page.locator("#missing-documents li").count() == 2
    _attach(page, tmp_path, "submission", "to-trinh.pdf")
    _attach(page, tmp_path, "minutes", "bien-ban.pdf")
    assert page.locator("#missing-documents").count() == 0
    # The list is made public in the Phòng for three days, and the council meets on it.
    page.fill("#listing-form input[name=days]", "3")
    page.click("#listing-form button[type=submit]")
    page.wait_for_selector(".listing-period")
    page.click("#new-meeting")
    page.fill("#id_held_on", "2025-12-10")
    page.fill("#id_members_present", "8")
    page.fill("#id_place", "Hội trường Cục")
    page.click("#meeting-form button[type=submit]")
    page.wait_for_selector("#votes-form")
    for index, nominee in enumerate(dossier.nominees.order_by("seq")):
        page.fill(f"input[name=agree-{nominee.pk}]", str(8 - index % 2))
        page.fill(f"input[name=disagree-{nominee.pk}]", str(index % 2))
    page.click("#record-votes")
    page.wait_for_selector("text=Đã ghi kết quả họp hội đồng")
    assert page.locator(".vote-row[data-passed=yes]").count() == 5
    # Sending inside the listing period takes a written reason.
    page.goto(f"{page.base_url}/dossiers/{dossier.pk}/")
    page.click("#move-send")
    page.wait_for_selector("text=chỉ gửi trước hạn khi ghi rõ lý do")
    page.click("details.send-early summary")
    page.fill("#reason-send", "Cục yêu cầu nộp trước ngày 12/12")
    page.click("#move-send-early")
    page.wait_for_selector("#dossier-state:text('Đã gửi')")
    assert _state_on_person_page(page, people[0]) == NomineeState.PROPOSED

    # 2. The Cục's officer returns it with a reason.
    _sign_out_and_in(page, "canbo-cuc")
    page.goto(f"{page.base_url}/dossiers/inbox/")
    page.click(f"a[href='/dossiers/{dossier.pk}/']")
    page.click("details.move-with-reason summary")
    page.fill("#reason-return", "Đề nghị bổ sung thành tích của đồng chí Giang: đề xuất Bằng khen")
    page.click("#move-return")
    page.wait_for_selector("#dossier-state:text('Trả lại để bổ sung')")

    # 3. The Phòng corrects it (Giang proposed for a Bằng khen) and sends it again.
    _sign_out_and_in(page, "canbo-phong")
    page.goto(f"{page.base_url}/dossiers/{dossier.pk}/")
    assert "Đề nghị bổ sung thành tích" in page.locator(".dossier-history").inner_text()
    giang = dossier.nominees.get(person=people[4])
    page.click(f"#nominee-{giang.pk} a:text('Sửa')")
    page.select_option("#id_title", str(bk.pk))
    page.fill("#id_summary", "Chủ trì sáng kiến được công nhận cấp Bộ")
    page.click("button:text('Lưu')")
    page.wait_for_selector("text=Đã lưu người được đề nghị")
    page.click("details.send-early summary")  # still inside the listing period
    page.fill("#reason-send", "Đã bổ sung theo yêu cầu của Cục")
    page.click("#move-send-early")
    page.wait_for_selector("#dossier-state:text('Đã gửi')")

    # 4. The Cục receives it: approves 3 (one at a lower honour), rejects 1, approves Giang's to go up.
    _sign_out_and_in(page, "canbo-cuc")
    page.goto(f"{page.base_url}/dossiers/{dossier.pk}/")
    page.click("#move-receive")
    page.wait_for_selector("#dossier-state:text('Đã tiếp nhận')")
    n = {p.full_name: dossier.nominees.get(person=p) for p in people}

    def row(name):
        return page.locator(f"#nominee-{n[name].pk}")

    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Võ Thị Giang"):
        row(name).locator("button.review-approve").click()
        page.wait_for_selector(f"#nominee-{n[name].pk}[data-state=approved]")
    row("Lê Quang Cường").locator("details.review-lower summary").click()
    row("Lê Quang Cường").locator("select[name=title]").select_option(str(cstt.pk))
    row("Lê Quang Cường").locator("details.review-lower input[name=note]").fill("Sáng kiến chưa được công nhận")
    row("Lê Quang Cường").locator("details.review-lower button[type=submit]").click()
    page.wait_for_selector(f"#nominee-{n['Lê Quang Cường'].pk}[data-state=lowered]")
    row("Phạm Đức Dũng").locator("details.review-reject summary").click()
    row("Phạm Đức Dũng").locator("details.review-reject input[name=note]").fill("Chưa đạt tỷ lệ phiếu tín nhiệm")
    row("Phạm Đức Dũng").locator("details.review-reject button[type=submit]").click()
    page.wait_for_selector(f"#nominee-{n['Phạm Đức Dũng'].pk}[data-state=rejected]")
    assert _state_on_person_page(page, people[2]) == NomineeState.LOWERED
    assert _state_on_person_page(page, people[3]) == NomineeState.REJECTED

    # 5. Giang goes up to the Tổng cục with the other Phòng's nominee, in a dossier of the Cục.
    page.goto(f"{page.base_url}/dossiers/{dossier.pk}/")
    page.click("#forward-up")
    page.wait_for_selector("#forward-form")
    for nominee in Nominee.objects.filter(state__in=("approved", "lowered")):
        box = page.locator(f"#fw-{nominee.pk}")
        if nominee.person in (people[4], khai):
            box.check()
        else:
            box.uncheck()
    page.select_option("#id_authority", str(a_tc.pk))
    page.click("#forward-submit")
    page.wait_for_selector("#dossier-state:text('Dự thảo')")
    upper = Dossier.objects.get(authority=a_tc)
    assert {x.person for x in upper.nominees.all()} == {people[4], khai}
    _attach(page, tmp_path, "submission", "to-trinh-cuc.pdf")
    _attach(page, tmp_path, "minutes", "bien-ban-cuc.pdf")
    page.click("#move-send")
    page.wait_for_selector("#dossier-state:text('Đã gửi')")
    assert _state_on_person_page(page, people[4]) == NomineeState.PROPOSED  # now with the Tổng cục

    # 6. The Cục makes its decision from the approved list.
    page.goto(f"{page.base_url}/dossiers/{dossier.pk}/")
    page.click("#make-decision")
    page.wait_for_selector("#decide-form")
    assert page.locator("tr.decide-row").count() == 3
    _save_decision(page, "20/QĐ-QLCN", "2026-01-12", "CỤC TRƯỞNG", "Vũ Thanh Bình")
    decision = Decision.objects.get(number="20/QĐ-QLCN")
    assert {(a.person.full_name, a.title.name) for a in decision.awards.select_related("person", "title")} == {
        ("Nguyễn Văn An", "Chiến sĩ thi đua cơ sở"), ("Trần Thị Bình", "Chiến sĩ thi đua cơ sở"),
        ("Lê Quang Cường", "Chiến sĩ tiên tiến")}
    assert _state_on_person_page(page, people[0]) == NomineeState.DECIDED
    assert _state_on_person_page(page, people[2]) == NomineeState.DECIDED

    # 7. The Tổng cục receives the forwarded dossier, approves both and decides.
    _sign_out_and_in(page, "canbo-tc")
    page.goto(f"{page.base_url}/dossiers/inbox/?state=sent")
    page.click(f"a[href='/dossiers/{upper.pk}/']")
    page.click("#move-receive")
    page.wait_for_selector("#dossier-state:text('Đã tiếp nhận')")
    for nominee in upper.nominees.all():
        page.locator(f"#nominee-{nominee.pk} button.review-approve").click()
        page.wait_for_selector(f"#nominee-{nominee.pk}[data-state=approved]")
    assert "Phòng CN" in page.locator(f"#nominee-{upper.nominees.get(person=people[4]).pk} .trail").inner_text()
    page.click("#make-decision")
    _save_decision(page, "45/QĐ-TCCNQP", "2026-01-20", "CHỦ NHIỆM", "Lê Hoàng Sơn")
    assert set(Award.objects.filter(decision__number="45/QĐ-TCCNQP").values_list("person__full_name", flat=True)) == {
        "Võ Thị Giang", "Hoàng Văn Khải"}
    assert _state_on_person_page(page, people[4]) == NomineeState.DECIDED
    assert _state_on_person_page(page, people[3]) == NomineeState.REJECTED
    dossier.refresh_from_db()
    assert dossier.state == "settled"
