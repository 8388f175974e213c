"""The council's review and the public listing: thresholds, quorum, results fed to the nominees,
objections and their answers, sending inside the listing period, the ballot sheet."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from awards import roles, selectors, services
from awards.choices import DossierAction, DossierState, NomineeState
from awards.models import Council, CouncilVote
from tests import factories
from tests.test_nominations import act, attach_all, make_dossier, received_dossier, send_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("members, threshold, agree, passed", [
    (10, 70, 7, True), (10, 70, 6, False),          # exactly 70% passes, one vote fewer does not
    (9, 90, 9, True), (9, 90, 8, False),            # 8/9 = 88.9% < 90%
    (20, 90, 18, True), (20, 90, 17, False),
    (3, "66.67", 2, False), (300, "66.67", 201, True),  # no rounding: 2/3 is 66.666…%
])
def test_a_nominee_passes_at_or_above_the_threshold_and_not_below(members, threshold, agree, passed):
    assert services.passes(agree, members, threshold) is passed


def make_council(road, unit="cuc", members=9):
    return Council.objects.create(unit=road["units"][unit], members=members, chair="Đại tá Vũ Văn Chủ",
                                  secretary="Thiếu tá Lê Thư Ký")


def make_meeting(road, dossier, by, present):
    return services.meeting_create(by=road["users"][by], dossier=dossier, held_on=datetime.date(2025, 12, 10),
                                   place="Hội trường Cục", members_present=present, chair="", secretary="")


def test_a_meeting_without_quorum_cannot_record_results(road):
    make_council(road, members=9)
    dossier = make_dossier(road, people=road["people"][:2])
    meeting = make_meeting(road, dossier, "pa", present=5)  # 2/3 of 9 is 6
    assert not meeting.has_quorum and meeting.quorum_needed == 6
    nominees = list(dossier.nominees.all())
    with pytest.raises(services.RegistryError, match="no results can be recorded|No results can be recorded"):
        services.meeting_record(meeting=meeting, by=road["users"]["pa"], expected_version=meeting.version,
                                votes=[(n, 5, 0, n.title) for n in nominees])
    assert not CouncilVote.objects.exists()
    quorate = make_meeting(road, dossier, "pa", present=6)
    services.meeting_record(meeting=quorate, by=road["users"]["pa"], expected_version=quorate.version,
                            votes=[(n, 6, 0, n.title) for n in nominees])
    assert CouncilVote.objects.filter(meeting=quorate).count() == 2


def test_the_receiving_councils_results_are_the_nominees_answers(road):
    make_council(road, members=10)
    dossier = received_dossier(road, people=road["people"][:3], title="bk")
    meeting = make_meeting(road, dossier, "cuc", present=9)
    first, second, third = dossier.nominees.order_by("seq")
    services.meeting_record(meeting=meeting, by=road["users"]["cuc"], expected_version=meeting.version, votes=[
        (first, 7, 2, first.title),                    # 70%: passed
        (second, 8, 1, road["titles"]["gk"]),          # carried to a lower honour, passed
        (third, 6, 3, third.title),                    # 60%: not passed
    ])
    for nominee in (first, second, third):
        nominee.refresh_from_db()
    assert first.state == NomineeState.APPROVED
    assert (second.state, second.approved_title) == (NomineeState.LOWERED, road["titles"]["gk"])
    assert third.state == NomineeState.REJECTED
    assert "council" in third.reason and "6/10" not in third.reason  # the nominee reads the reason
    history = " ".join(dossier.events.values_list("note", flat=True))
    assert "6/10 agree (60%, needs 70%) — not passed" in history and "7/10 agree (70%, needs 70%) — passed" in history
    # the council may not raise an honour; the refused count changes nothing
    higher = factories.title(name="Huân chương Bảo vệ Tổ quốc hạng Ba", rank_order=95)
    with pytest.raises(services.RegistryError, match="nothing was saved") as refused:
        services.meeting_record(meeting=meeting, by=road["users"]["cuc"], expected_version=meeting.version + 1,
                                votes=[(third, 9, 0, higher)])
    assert "lower honour" in refused.value.row_errors[0][0]
    assert CouncilVote.objects.filter(meeting=meeting).count() == 3


def test_a_nominee_the_council_did_not_pass_is_not_sent(road):
    make_council(road, members=9)
    dossier = make_dossier(road, people=road["people"][:2])
    pa = road["users"]["pa"]
    attach_all(dossier, pa)
    meeting = make_meeting(road, dossier, "pa", present=9)
    first, second = dossier.nominees.order_by("seq")
    services.meeting_record(meeting=meeting, by=pa, expected_version=meeting.version,
                            votes=[(first, 9, 0, first.title), (second, 4, 5, second.title)])
    with pytest.raises(services.RegistryError, match="did not pass"):
        send_dossier(dossier, pa)
    services.nominee_remove(nominee=second, by=pa, expected_version=second.version)
    send_dossier(dossier, pa)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SENT


def test_a_dossier_is_not_sent_inside_its_listing_period_without_a_reason(road):
    dossier = make_dossier(road, people=road["people"][:1])
    pa = road["users"]["pa"]
    attach_all(dossier, pa)
    listing = services.listing_publish(by=pa, dossier=dossier, starts_on=timezone.localdate(), days=5)
    assert listing.ends_on == timezone.localdate() + datetime.timedelta(days=4)
    with pytest.raises(services.RegistryError, match="public until"):
        send_dossier(dossier, pa)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DRAFT
    act(dossier, DossierAction.SEND, pa, note="Cấp trên yêu cầu nộp sớm")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SENT
    assert dossier.events.get(action=DossierAction.SEND).note == "Cấp trên yêu cầu nộp sớm"


def test_after_the_listing_ends_it_is_sent_without_a_reason(road):
    dossier = make_dossier(road, people=road["people"][:1])
    pa = road["users"]["pa"]
    attach_all(dossier, pa)
    services.listing_publish(by=pa, dossier=dossier, starts_on=timezone.localdate() - datetime.timedelta(days=10),
                             days=5)
    send_dossier(dossier, pa)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SENT


def test_an_objection_reaches_the_units_officers_and_its_answer_reaches_the_person(road, client):
    dossier = make_dossier(road, people=road["people"][:2])
    pa = road["users"]["pa"]
    services.listing_publish(by=pa, dossier=dossier, starts_on=timezone.localdate(), days=5)
    member = factories.user(role=roles.STAFF)
    colleague = factories.person(full_name="Đỗ Thị Lan", unit_=road["units"]["pa"])
    colleague.user = member
    colleague.save()
    outsider = factories.user(role=roles.STAFF)
    far = factories.person(full_name="Hồ Văn Xa", unit_=road["units"]["cuc2"])
    far.user = outsider
    far.save()
    nominee = dossier.nominees.order_by("seq").first()
    # the member sees the list and objects
    client.force_login(member)
    page = client.get(reverse("awards:public-list")).content.decode()
    assert "Nguyễn Văn An" in page and "listed-nominee" in page
    client.post(reverse("awards:nominee-objection", args=[nominee.pk]), {"message": "Đồng chí An chưa đủ 12 tháng"})
    objection = selectors.dossier_objections(dossier).get()
    assert objection.author == member and objection.nominee == nominee
    # someone of another unit neither sees the list nor can object
    client.force_login(outsider)
    assert "Nguyễn Văn An" not in client.get(reverse("awards:public-list")).content.decode()
    assert client.post(reverse("awards:nominee-objection", args=[nominee.pk]), {"message": "x"}).status_code == 404
    # the unit's officer sees it on the dossier and answers; the member reads the answer
    client.force_login(pa)
    assert "Đồng chí An chưa đủ 12 tháng" in client.get(dossier.get_absolute_url()).content.decode()
    client.post(reverse("awards:objection-answer", args=[objection.pk]),
                {"answer": "Đã kiểm tra: đủ 12 tháng tính đến 31/12", "version": objection.version})
    client.force_login(member)
    page = client.get(reverse("awards:public-list")).content.decode()
    assert "Đã kiểm tra: đủ 12 tháng tính đến 31/12" in page
    assert dossier.events.filter(note__contains="Đồng chí An chưa đủ 12 tháng").exists()


def test_staff_see_they_were_nominated_the_listing_and_the_outcome_never_the_votes(road, client):
    make_council(road, members=10)
    pa = road["users"]["pa"]
    dossier = make_dossier(road, people=road["people"][:2], title="gk")
    started = timezone.localdate() - datetime.timedelta(days=20)
    services.listing_publish(by=pa, dossier=dossier, starts_on=started, days=5)
    attach_all(dossier, pa)
    send_dossier(dossier, pa)
    act(dossier, DossierAction.RECEIVE, road["users"]["cuc"])
    person = road["people"][1]
    account = factories.user(role=roles.STAFF)
    person.user = account
    person.save()
    meeting = make_meeting(road, dossier, "cuc", present=10)
    first, second = dossier.nominees.order_by("seq")
    services.meeting_record(meeting=meeting, by=road["users"]["cuc"], expected_version=meeting.version,
                            votes=[(first, 9, 1, first.title), (second, 6, 4, second.title)])
    client.force_login(account)
    page = client.get(reverse("awards:my-honours")).content.decode()
    assert 'data-state="rejected"' in page  # the outcome
    assert started.strftime("%d/%m/%Y") in page  # the listing period
    assert "6/10" not in page and "60" not in page.split("my-nominations")[1].split("</table>")[0]
    assert client.get(meeting.get_absolute_url()).status_code == 403


def test_the_ballot_sheet_lists_the_nominees_by_honour(road, client):
    from pdfminer.high_level import extract_text

    make_council(road, members=9)
    dossier = make_dossier(road, people=road["people"][:3])
    meeting = make_meeting(road, dossier, "pa", present=8)
    client.force_login(road["users"]["pa"])
    response = client.get(reverse("awards:meeting-ballot", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = extract_text(io.BytesIO(b"".join(response.streaming_content)))
    for expected in ("PHIẾU BẦU", "Giấy khen", "Đại úy Nguyễn Văn An", "Đại úy Nguyễn Văn Bình", "Nguyễn Văn Cường",
                     "Đồng ý", "Không đồng ý", "10/12/2025", "HỘI ĐỒNG THI ĐUA"):
        assert expected in text, expected


def test_a_person_is_never_carried_to_a_collectives_honour(road, client):
    from awards.choices import TitleFor

    unit_title = factories.title(name="Đơn vị tiên tiến", recipient_for=TitleFor.COLLECTIVE, rank_order=30)
    make_council(road, members=9)
    dossier = received_dossier(road, people=road["people"][:1], title="bk")
    nominee = dossier.nominees.get()
    meeting = make_meeting(road, dossier, "cuc", present=9)
    with pytest.raises(services.RegistryError, match="nothing was saved") as refused:
        services.meeting_record(meeting=meeting, by=road["users"]["cuc"], expected_version=meeting.version,
                                votes=[(nominee, 9, 0, unit_title)])
    assert "kind of recipient" in refused.value.row_errors[0][0]
    assert not CouncilVote.objects.exists()
    # nor offered as the lower honour on the dossier's page or at the meeting
    client.force_login(road["users"]["cuc"])
    for url in (dossier.get_absolute_url(), meeting.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Giấy khen" in page and f'value="{unit_title.pk}"' not in page, url
