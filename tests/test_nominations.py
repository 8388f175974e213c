"""The road to a decision: dossiers, their moves, documents, forwarding, the decision from the list."""

import datetime
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import translation

from awards import roles, selectors, services, workflow
from awards.choices import DossierAction, DossierState, NomineeState
from awards.models import Attachment, Award, Decision, Dossier, DossierEvent, Nominee
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The services' refusals are matched by their English wording here."""
    with translation.override("en"):
        yield


def _pdf(name="to-trinh.pdf"):
    return SimpleUploadedFile(name, factories.scan_pdf(), content_type="application/pdf")


def make_dossier(road, *, unit="pa", by="pa", authority="cuc", title="gk", people=None):
    rows = [services.NomineeRow(person=p, title=road["titles"][title], summary=f"Hoàn thành xuất sắc — {p.full_name}")
            for p in (people if people is not None else road["people"])]
    return services.dossier_create(by=road["users"][by], rows=rows, dossier=Dossier(
        unit=road["units"][unit], authority=road["authorities"][authority], year=2025))


def attach_all(dossier, by):
    services.attachment_add(dossier=dossier, by=by, kind="submission", file=_pdf())
    services.attachment_add(dossier=dossier, by=by, kind="minutes", file=_pdf("bien-ban.pdf"))


def send_dossier(dossier, by):
    dossier.refresh_from_db()
    return services.dossier_act(dossier=dossier, action=DossierAction.SEND, by=by, expected_version=dossier.version)


def act(dossier, action, by, note=""):
    dossier.refresh_from_db()
    return services.dossier_act(dossier=dossier, action=action, by=by, expected_version=dossier.version, note=note)


def review_nominee(nominee, action, by, note="", title=None):
    nominee.refresh_from_db()
    return services.nominee_review(nominee=nominee, action=action, by=by, expected_version=nominee.version,
                                   note=note, title=title)


def received_dossier(road, **kw):
    dossier = make_dossier(road, **kw)
    by = road["users"][kw.get("by", "pa")]
    attach_all(dossier, by)
    send_dossier(dossier, by)
    act(dossier, DossierAction.RECEIVE, road["users"]["cuc"])
    dossier.refresh_from_db()
    return dossier


# ---- the table of moves ------------------------------------------------------------------------

def test_every_state_is_reached_by_a_move_and_every_move_starts_somewhere_real():
    targets = {m.target for m in workflow.DOSSIER_MOVES} | {DossierState.DRAFT, DossierState.SETTLED}
    assert targets == set(DossierState.values)
    assert {m.target for m in workflow.NOMINEE_MOVES} | {NomineeState.PROPOSED} == set(NomineeState.values)
    for move in workflow.DOSSIER_MOVES:
        assert set(move.sources) <= set(DossierState.values)


def test_a_move_not_in_the_table_is_refused(road):
    dossier = make_dossier(road)
    with pytest.raises(services.RegistryError, match="cannot be"):
        act(dossier, DossierAction.RECEIVE, road["users"]["cuc"])  # a draft is not received
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DRAFT


# ---- making and sending a dossier --------------------------------------------------------------

def test_a_dossier_cannot_be_sent_without_its_required_documents_and_the_page_says_which(road, client):
    dossier = make_dossier(road, title="cstdcs", people=road["people"][:2])
    by = road["users"]["pa"]
    missing = selectors.missing_attachments(dossier)
    assert len(missing) == 4  # tờ trình, minutes, and a report for each of the two nominees
    with pytest.raises(services.RegistryError, match="cannot be sent without") as refused:
        send_dossier(dossier, by)
    assert "Nguyễn Văn An" in refused.value.message and "Nguyễn Văn Bình" in refused.value.message
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DRAFT and dossier.sent_at is None

    attach_all(dossier, by)
    first, second = dossier.nominees.order_by("seq")
    services.attachment_add(dossier=dossier, by=by, kind="report", file=_pdf("bctt.pdf"), nominee=first)
    assert [m for m in selectors.missing_attachments(dossier)] == [
        selectors.nominations._missing_for("Achievement report (báo cáo thành tích)", second)]
    client.force_login(by)
    page = client.get(reverse("awards:dossier-detail", args=[dossier.pk])).content.decode()
    assert "missing-documents" in page and "Trần" not in page
    services.attachment_add(dossier=dossier, by=by, kind="report", file=_pdf("bctt2.pdf"), nominee=second)
    assert selectors.missing_attachments(dossier) == []
    send_dossier(dossier, by)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SENT and dossier.sent_at is not None


def test_a_document_is_checked_by_its_content(road):
    dossier = make_dossier(road)
    fake = SimpleUploadedFile("to-trinh.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(services.RegistryError, match="not a readable PDF"):
        services.attachment_add(dossier=dossier, by=road["users"]["pa"], kind="submission", file=fake)
    assert not Attachment.objects.exists()


def test_a_report_must_name_its_nominee(road):
    dossier = make_dossier(road)
    with pytest.raises(services.RegistryError, match="which nominee"):
        services.attachment_add(dossier=dossier, by=road["users"]["pa"], kind="report", file=_pdf())


def test_nominees_outside_the_unit_are_refused_and_nothing_is_written(road):
    with pytest.raises(services.RegistryError) as refused:
        make_dossier(road, people=[road["people"][0], road["other"]])
    assert 1 in refused.value.row_errors and "not in" in refused.value.row_errors[1][0]
    assert not Dossier.objects.exists() and not Nominee.objects.exists()


def test_a_returned_dossier_keeps_its_history_and_comes_back(road):
    dossier = received_dossier(road)
    cuc, pa = road["users"]["cuc"], road["users"]["pa"]
    first = dossier.nominees.order_by("seq").first()
    review_nominee(first, DossierAction.APPROVE, cuc)
    with pytest.raises(services.RegistryError, match="Say why"):
        act(dossier, DossierAction.RETURN, cuc)
    act(dossier, DossierAction.RETURN, cuc, note="Thiếu chữ ký trên tờ trình")
    dossier.refresh_from_db()
    first.refresh_from_db()
    assert dossier.state == DossierState.RETURNED
    assert first.state == NomineeState.PROPOSED  # reviewed again when it comes back
    services.nominee_update(nominee=first, by=pa, expected_version=first.version, title=first.title,
                            summary="Đã bổ sung thành tích")
    send_dossier(dossier, pa)
    actions = list(dossier.events.values_list("action", flat=True))
    assert actions[:1] == [DossierAction.CREATE]
    assert actions.count(DossierAction.SEND) == 2 and DossierAction.RETURN in actions
    assert actions.index(DossierAction.RETURN) < actions.index(DossierAction.CHANGE) < len(actions) - 1
    returned = dossier.events.get(action=DossierAction.RETURN)
    assert returned.note == "Thiếu chữ ký trên tờ trình" and returned.username == cuc.username
    assert dossier.events.filter(action=DossierAction.APPROVE, nominee=first).exists()


def test_two_officers_acting_on_the_same_dossier_cannot_overwrite_each_other(road):
    dossier = make_dossier(road)
    pa = road["users"]["pa"]
    attach_all(dossier, pa)
    send_dossier(dossier, pa)
    dossier.refresh_from_db()
    seen = dossier.version  # both officers of the Cục open the page at this version
    cuc, other = road["users"]["cuc"], factories.user(role=roles.OFFICER, scope=road["units"]["cuc"])
    services.dossier_act(dossier=dossier, action=DossierAction.RETURN, by=cuc, expected_version=seen,
                         note="Sai năm thành tích")
    with pytest.raises(services.StaleEditError, match="after you opened it"):
        services.dossier_act(dossier=dossier, action=DossierAction.RECEIVE, by=other, expected_version=seen)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RETURNED
    # And on one nominee: the second answer, from the same page, is refused, the first stands.
    send_dossier(dossier, pa)
    act(dossier, DossierAction.RECEIVE, cuc)
    nominee = dossier.nominees.order_by("seq").first()
    nominee.refresh_from_db()
    version = nominee.version
    services.nominee_review(nominee=nominee, action=DossierAction.APPROVE, by=cuc, expected_version=version)
    with pytest.raises(services.StaleEditError):
        services.nominee_review(nominee=nominee, action=DossierAction.REJECT, by=other, expected_version=version,
                                note="Không đủ tiêu chuẩn")
    nominee.refresh_from_db()
    assert nominee.state == NomineeState.APPROVED and nominee.reason == ""


@pytest.mark.django_db(transaction=True)
def test_two_decisions_from_the_same_approved_list_at_once_decide_each_nominee_once(road):
    """Two officers press "Make the decision" on the same list at the same moment: one decision
    is recorded, the other is refused, and no nominee is decided twice."""
    dossier = received_dossier(road, people=road["people"][:3])
    cuc = road["users"]["cuc"]
    for nominee in dossier.nominees.all():
        review_nominee(nominee, DossierAction.APPROVE, cuc)
    nominees = list(dossier.nominees.all())
    outcomes, barrier = [], threading.Barrier(2)

    def decide(number):
        try:
            barrier.wait(timeout=10)
            services.nominees_decide(by=cuc, nominees=nominees, decision=factories.decision(
                authority_=road["authorities"]["cuc"], number=number, year=2025, title=road["titles"]["gk"]))
            outcomes.append("ok")
        except services.RegistryError:
            outcomes.append("refused")
        except Exception as error:  # SQLite's lock, waited out and lost: also a refusal
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(f"{n}/QĐ-CTN",)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1
    assert Decision.objects.count() == 1 and Award.objects.count() == 3
    assert set(Nominee.objects.values_list("state", flat=True)) == {NomineeState.DECIDED}


# ---- review, the decision from the list, forwarding up ------------------------------------------

def test_the_decision_from_the_list_has_exactly_the_approved_nominees_at_their_approved_honours(road):
    dossier = received_dossier(road, title="bk")
    cuc = road["users"]["cuc"]
    a, b, c, d, e = dossier.nominees.order_by("seq")
    review_nominee(a, DossierAction.APPROVE, cuc)
    review_nominee(b, DossierAction.LOWER, cuc, note="Chưa đủ 2 năm", title=road["titles"]["gk"])
    review_nominee(c, DossierAction.REJECT, cuc, note="Bị kỷ luật")
    review_nominee(d, DossierAction.APPROVE, cuc)
    # e stays proposed: not on the list
    listed = list(selectors.approved_nominees(cuc, authority=road["authorities"]["cuc"], year=2025))
    assert listed == [a, b, d]
    decision = services.nominees_decide(by=cuc, nominees=listed, decision=factories.decision(
        authority_=road["authorities"]["cuc"], year=2025, title=road["titles"]["bk"]))
    got = {(aw.person_id, aw.title_id) for aw in decision.awards.all()}
    assert got == {(a.person_id, road["titles"]["bk"].pk), (b.person_id, road["titles"]["gk"].pk),
                   (d.person_id, road["titles"]["bk"].pk)}
    for nominee in (a, b, d):
        nominee.refresh_from_db()
        assert nominee.state == NomineeState.DECIDED and nominee.award.decision == decision
        assert nominee.award.person_id == nominee.person_id
    c.refresh_from_db()
    e.refresh_from_db()
    assert (c.state, c.reason, e.state) == (NomineeState.REJECTED, "Bị kỷ luật", NomineeState.PROPOSED)
    # nothing typed twice: the award's achievement is the nominee's summary
    assert a.award.achievement == a.summary
    # and deciding the same nominee again is refused, nothing written
    with pytest.raises(services.RegistryError, match="not approved"):
        services.nominees_decide(by=cuc, nominees=[a], decision=factories.decision(
            authority_=road["authorities"]["cuc"], year=2025))
    assert Decision.objects.count() == 1


def test_lowering_needs_a_lower_honour_and_a_reason(road):
    dossier = received_dossier(road, title="gk")
    nominee = dossier.nominees.first()
    cuc = road["users"]["cuc"]
    with pytest.raises(services.RegistryError, match="lower than"):
        review_nominee(nominee, DossierAction.LOWER, cuc, note="x", title=road["titles"]["bk"])
    with pytest.raises(services.RegistryError, match="Say why"):
        review_nominee(nominee, DossierAction.REJECT, cuc)
    nominee.refresh_from_db()
    assert nominee.state == NomineeState.PROPOSED


def test_forwarding_gathers_several_units_into_a_dossier_of_this_level_that_keeps_the_trail(road):
    cuc, tc = road["users"]["cuc"], road["users"]["tc"]
    mine = received_dossier(road, title="bk")
    theirs = received_dossier(road, unit="pb", by="pb", title="bk", people=[road["other"]])
    up_a = mine.nominees.order_by("seq").first()
    up_b = theirs.nominees.get()
    review_nominee(up_a, DossierAction.APPROVE, cuc)
    review_nominee(up_b, DossierAction.APPROVE, cuc)
    upper = services.nominees_forward(by=cuc, nominees=[up_a, up_b], authority=road["authorities"]["tc"])
    assert (upper.unit, upper.authority, upper.state, upper.year) == (
        road["units"]["cuc"], road["authorities"]["tc"], DossierState.DRAFT, 2025)
    carried = list(upper.nominees.order_by("seq"))
    assert [n.source for n in carried] == [up_a, up_b]
    up_a.refresh_from_db()
    assert up_a.state == NomineeState.FORWARDED
    theirs.refresh_from_db()
    assert theirs.state == DossierState.SETTLED  # its only nominee left this level
    # the Cục sends it; the Tổng cục receives, approves and decides
    services.attachment_add(dossier=upper, by=cuc, kind="submission", file=_pdf())
    send_dossier(upper, cuc)
    act(upper, DossierAction.RECEIVE, tc)
    for nominee in carried:
        review_nominee(nominee, DossierAction.APPROVE, tc)
    services.nominees_decide(by=tc, nominees=carried, decision=factories.decision(
        authority_=road["authorities"]["tc"], year=2025, title=road["titles"]["bk"]))
    # the person proposed by Phòng A sees it decided by the Tổng cục
    ((first, latest),) = selectors.person_nominations(up_a.person)
    assert first == up_a and latest.dossier == upper and latest.state == NomineeState.DECIDED
    assert latest.award.authority == road["authorities"]["tc"]
    assert selectors.nominee_trail(latest) == [up_a]


def test_forwarding_only_up_and_only_approved(road):
    cuc = road["users"]["cuc"]
    dossier = received_dossier(road)
    nominee = dossier.nominees.first()
    with pytest.raises(services.RegistryError, match="not approved"):
        services.nominees_forward(by=cuc, nominees=[nominee], authority=road["authorities"]["tc"])
    review_nominee(nominee, DossierAction.APPROVE, cuc)
    with pytest.raises(services.RegistryError, match="is not above"):
        services.nominees_forward(by=cuc, nominees=[nominee], authority=road["authorities"]["cuc"])
    assert Dossier.objects.count() == 1


def test_a_decision_from_an_authority_outside_is_recorded_by_the_unit_that_sent_it(road):
    tc = road["users"]["tc"]
    dossier = make_dossier(road, unit="tc", by="tc", authority="bqp", title="bk", people=road["people"][:3])
    services.attachment_add(dossier=dossier, by=tc, kind="submission", file=_pdf())
    send_dossier(dossier, tc)
    dossier.refresh_from_db()
    assert workflow.RECEIVER in selectors.dossier_sides(tc, dossier)
    assert workflow.RECEIVER not in selectors.dossier_sides(road["users"]["cuc"], dossier)
    named = list(dossier.nominees.order_by("seq"))[:2]
    decision = services.nominees_decide(by=tc, nominees=named, register_numbers={named[0].pk: 8123},
                                        decision=factories.decision(authority_=road["authorities"]["bqp"], year=2025,
                                                                    title=road["titles"]["bk"]))
    assert decision.awards.count() == 2
    assert decision.awards.get(person=named[0].person).register_number == 8123
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RECEIVED  # the third is still to be answered
    third = dossier.nominees.get(state=NomineeState.PROPOSED)
    review_nominee(third, DossierAction.REJECT, tc, note="Không có tên trong quyết định")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SETTLED


# ---- who sees what ---------------------------------------------------------------------------

def test_officers_outside_the_units_see_nothing_of_a_dossier(road, client):
    dossier = received_dossier(road)
    nominee = dossier.nominees.first()
    document = dossier.attachments.first()
    outsider = road["users"]["cuc2"]
    assert selectors.dossier_get(outsider, dossier.pk) is None
    assert not selectors.dossier_list(outsider).exists()
    assert not selectors.dossier_list(outsider, inbox=True).exists()
    client.force_login(outsider)
    for url in (reverse("awards:dossier-detail", args=[dossier.pk]),
                reverse("awards:nominee-edit", args=[nominee.pk]),
                reverse("awards:attachment-download", args=[document.pk])):
        assert client.get(url).status_code == 404, url
    for url in (reverse("awards:nominee-review", args=[nominee.pk]), reverse("awards:dossier-move", args=[dossier.pk])):
        assert client.post(url, {"action": "approve", "version": 1}).status_code == 404, url
    assert "Nguyễn Văn An" not in client.get(reverse("awards:dossier-list")).content.decode()
    # the other Phòng's officer neither
    assert selectors.dossier_get(road["users"]["pb"], dossier.pk) is None
    # while the proposing unit and the receiving office do
    assert selectors.dossier_get(road["users"]["pa"], dossier.pk) == dossier
    assert selectors.dossier_get(road["users"]["cuc"], dossier.pk) == dossier


def test_the_receiving_office_does_not_see_drafts_of_units_outside_it(road):
    # A Cục KH officer's own dossier to the Tổng cục: the Tổng cục sees it once sent, not before.
    people = [factories.person(full_name="Lê Văn Khánh", unit_=road["units"]["cuc2"])]
    dossier = make_dossier(road, unit="cuc2", by="cuc2", authority="tc", people=people)
    assert selectors.dossier_get(road["users"]["cuc"], dossier.pk) is None
    assert dossier not in selectors.dossier_list(road["users"]["tc"], inbox=True)


def test_a_nominee_sees_where_their_nomination_stands_but_never_the_votes(road, client):
    dossier = received_dossier(road, title="gk")
    person = road["people"][2]
    account = factories.user(role=roles.STAFF)
    person.user = account
    person.save()
    nominee = dossier.nominees.get(person=person)
    review_nominee(nominee, DossierAction.REJECT, road["users"]["cuc"], note="Chưa đủ tiêu chuẩn")
    client.force_login(account)
    page = client.get(reverse("awards:my-honours")).content.decode()
    assert "my-nomination" in page and "Chưa đủ tiêu chuẩn" in page
    assert 'data-state="rejected"' in page
    # the dossier itself, its other nominees and its history are not theirs to open
    assert client.get(reverse("awards:dossier-detail", args=[dossier.pk])).status_code == 403
    assert "Nguyễn Văn An" not in page
    assert "phiếu" not in page.lower() and "vote" not in page.lower()


def test_the_dashboard_counts_what_waits(road, client):
    received_dossier(road)
    dossier = make_dossier(road, people=road["people"][:1])
    attach_all(dossier, road["users"]["pa"])
    send_dossier(dossier, road["users"]["pa"])
    waiting = selectors.nomination_waiting(road["users"]["cuc"])
    assert (waiting["to_receive"], waiting["in_review"]) == (1, 1)
    client.force_login(road["users"]["cuc"])
    page = client.get(reverse("awards:home")).content.decode()
    assert 'class="wait-to-receive">1<' in page and 'class="wait-in-review">1<' in page


def test_the_inbox_counts_states_filters_and_marks_overdue(road, client):
    cuc = road["users"]["cuc"]
    late = received_dossier(road, people=road["people"][:1])
    on_time = make_dossier(road, people=road["people"][1:2])
    attach_all(on_time, road["users"]["pa"])
    send_dossier(on_time, road["users"]["pa"])
    services.deadline_save(by=cuc, authority=road["authorities"]["cuc"], year=2025, kind="annual", campaign="",
                           due_on=datetime.date.today() - datetime.timedelta(days=1))
    Dossier.objects.filter(pk=on_time.pk).update(sent_at=late.sent_at - datetime.timedelta(days=3))
    found = {d.pk: d for d in selectors.dossier_list(cuc, inbox=True)}
    assert found[late.pk].overdue and not found[on_time.pk].overdue
    assert list(selectors.dossier_list(cuc, inbox=True, filters={"overdue": "1"})) == [found[late.pk]]
    client.force_login(cuc)
    page = client.get(reverse("awards:dossier-inbox")).content.decode()
    assert page.count('class="badge text-bg-warning overdue"') == 1
    assert 'data-state="sent">' in page
    with translation.override("en"), pytest.raises(services.RegistryError, match="Only the office"):
        services.deadline_save(by=road["users"]["pa"], authority=road["authorities"]["cuc"], year=2025,
                               kind="annual", campaign="", due_on=datetime.date.today())


def test_removing_a_carried_nominee_sends_it_back_to_be_forwarded_again(road):
    cuc = road["users"]["cuc"]
    dossier = received_dossier(road, people=road["people"][:1], title="bk")
    nominee = dossier.nominees.get()
    review_nominee(nominee, DossierAction.APPROVE, cuc)
    upper = services.nominees_forward(by=cuc, nominees=[nominee], authority=road["authorities"]["tc"])
    carried = upper.nominees.get()
    services.nominee_remove(nominee=carried, by=cuc, expected_version=carried.version)
    nominee.refresh_from_db()
    dossier.refresh_from_db()
    assert nominee.state == NomineeState.APPROVED and dossier.state == DossierState.RECEIVED
    assert DossierEvent.objects.filter(dossier=upper, action=DossierAction.REMOVE).exists()


# ---- the pages: each form posts what the service needs ------------------------------------------

def test_the_pages_create_forward_and_decide(road, client):
    pa, cuc = road["users"]["pa"], road["users"]["cuc"]
    client.force_login(pa)
    rows = [f"p:{p.pk}" for p in road["people"][:3]]
    response = client.post(reverse("awards:dossier-create"), {
        "unit": road["units"]["pa"].pk, "authority": road["authorities"]["cuc"].pk, "year": 2025, "kind": "annual",
        "rows": rows, "title": road["titles"]["bk"].pk})
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response.url == dossier.get_absolute_url()
    assert [n.person for n in dossier.nominees.order_by("seq")] == road["people"][:3]
    attach_all(dossier, pa)
    send_dossier(dossier, pa)
    act(dossier, DossierAction.RECEIVE, cuc)
    client.force_login(cuc)
    first, second, third = dossier.nominees.order_by("seq")
    for nominee in (first, second, third):
        nominee.refresh_from_db()
        assert client.post(reverse("awards:nominee-review", args=[nominee.pk]),
                           {"action": "approve", "version": nominee.version}).status_code == 302
    response = client.post(reverse("awards:nominations-forward"), {
        "from": road["authorities"]["cuc"].pk, "year": 2025, "nominees": [third.pk],
        "authority": road["authorities"]["tc"].pk, "reference": "7/TTr"})
    upper = Dossier.objects.get(authority=road["authorities"]["tc"])
    assert response.status_code == 302 and response.url == upper.get_absolute_url()
    assert [n.source for n in upper.nominees.all()] == [third]
    response = client.post(reverse("awards:nominations-decide"), {
        "dossier": dossier.pk, "nominees": [first.pk, second.pk], "number": "19/QĐ-CTN", "date": "2026-01-10",
        "title": road["titles"]["bk"].pk, "subject": "Về việc tặng Bằng khen", "signer_title": "CỤC TRƯỞNG",
        "signer_name": "Vũ Văn Ký"})
    decision = Decision.objects.get(number="19/QĐ-CTN")
    assert response.status_code == 302 and response.url == decision.get_absolute_url()
    assert (decision.authority, decision.achievement_year) == (road["authorities"]["cuc"], 2025)
    assert set(decision.awards.values_list("person_id", flat=True)) == {first.person_id, second.person_id}


def test_the_decide_page_refuses_a_list_it_was_not_given(road, client):
    """The authority and year are the list's: a forged authority in the form is ignored."""
    dossier = received_dossier(road, people=road["people"][:1])
    cuc = road["users"]["cuc"]
    nominee = dossier.nominees.get()
    review_nominee(nominee, DossierAction.APPROVE, cuc)
    client.force_login(cuc)
    client.post(reverse("awards:nominations-decide"), {
        "dossier": dossier.pk, "authority": road["authorities"]["tc"].pk, "achievement_year": 2020,
        "nominees": [nominee.pk], "number": "10/QĐ-CTN", "date": "2026-01-10", "title": road["titles"]["gk"].pk,
        "subject": "Về việc tặng Giấy khen", "signer_title": "CỤC TRƯỞNG", "signer_name": "Vũ Văn Ký"})
    decision = Decision.objects.get(number="10/QĐ-CTN")
    assert (decision.authority, decision.achievement_year) == (road["authorities"]["cuc"], 2025)


# ---- the list of nominees from a spreadsheet ----------------------------------------------------

def _table(rows):
    from awards import imports
    from tests.importfiles import xlsx

    headers = ["STT", "Họ và tên", "Đơn vị", "Hình thức đề nghị", "Tóm tắt thành tích"]
    return imports.read_table(xlsx(rows, headers=headers), "danh-sach.xlsx", known_headers=imports.count_known_headers)


def test_nominees_from_a_spreadsheet_are_previewed_then_added_all_or_nothing(road):
    from awards import imports

    dossier = make_dossier(road, people=[])
    pa = road["users"]["pa"]
    good = [[1, "Nguyễn Văn An", "Phòng A", "Giấy khen", "Hoàn thành xuất sắc"],
            [2, "nguyen van binh", "Phòng A", "Bằng khen", "Sáng kiến cấp Bộ"],
            [3, "Phòng A", "Phòng A", "Giấy khen", ""]]
    preview = imports.preview_nominees(_table(good), dossier=dossier, by=pa)
    assert preview.errors == 0 and len(preview.to_write) == 3
    bad = good + [[4, "Trần Thị Hoa", "Phòng B", "Giấy khen", ""],      # outside the unit
                  [5, "Người Không Có", "Phòng A", "Giấy khen", ""],     # not in the registry
                  [6, "Nguyễn Văn An", "Phòng A", "Huân chương X", ""],  # no such honour
                  [7, "Nguyễn Văn An", "Phòng A", "Giấy khen", ""]]      # row 2 again
    refused = imports.preview_nominees(_table(bad), dossier=dossier, by=pa)
    by_row = {r.number: r for r in refused.rows}
    # file rows (the header is row 1): each refusal names its row and column
    assert [n for n, r in by_row.items() if r.status == "error"] == [5, 6, 7, 8]
    assert by_row[5].problems[0][0] in ("Họ và tên", "Đơn vị")
    assert any("import the roster first" in m for _c, m, _e in by_row[6].problems)
    assert by_row[7].problems[0][0] == "Danh hiệu / Hình thức"
    assert any("row 2" in m for _c, m, _e in by_row[8].problems)
    with pytest.raises(imports.ImportRefused):
        imports.commit_nominees(refused, by=pa, dossier=dossier)
    assert not dossier.nominees.exists()
    added = imports.commit_nominees(preview, by=pa, dossier=dossier)
    assert [(n.person or n.unit, n.title.name, n.summary) for n in added] == [
        (road["people"][0], "Giấy khen", "Hoàn thành xuất sắc"), (road["people"][1], "Bằng khen", "Sáng kiến cấp Bộ"),
        (road["units"]["pa"], "Giấy khen", "")]
    # the same file again adds nothing
    again = imports.preview_nominees(_table(good), dossier=dossier, by=pa)
    assert again.nothing_new and again.unchanged == 3


def test_the_import_page_adds_nominees_to_the_dossier(road, client):
    from tests.importfiles import xlsx

    dossier = make_dossier(road, people=[])
    client.force_login(road["users"]["pa"])
    url = reverse("awards:dossier-import", args=[dossier.pk])
    data = xlsx([[1, "Nguyễn Văn An", "Phòng A", "Giấy khen", "Hoàn thành xuất sắc"]],
                headers=["STT", "Họ và tên", "Đơn vị", "Hình thức đề nghị", "Tóm tắt thành tích"])
    response = client.post(url, {"spreadsheet": SimpleUploadedFile("ds.xlsx", data), "action": "preview"})
    assert response.status_code == 200 and not dossier.nominees.exists()
    token = response.context["token"]
    response = client.post(url, {"token": token, "action": "confirm"})
    assert response.status_code == 302 and response.url == dossier.get_absolute_url()
    assert dossier.nominees.get().person == road["people"][0]
    # another Phòng's officer cannot reach it
    client.force_login(road["users"]["pb"])
    assert client.get(url).status_code == 404


def test_the_chain_walks_past_an_authority_outside_the_registry(road):
    """Tổng cục → Bộ Quốc phòng (outside) → Thủ tướng: the Tổng cục records that the Ministry
    approved and passes it up; the trail reaches back to the Phòng."""
    cuc, tc = road["users"]["cuc"], road["users"]["tc"]
    dossier = received_dossier(road, people=road["people"][:1], title="bk")
    first = dossier.nominees.get()
    review_nominee(first, DossierAction.APPROVE, cuc)
    upper = services.nominees_forward(by=cuc, nominees=[first], authority=road["authorities"]["tc"])
    services.attachment_add(dossier=upper, by=cuc, kind="submission", file=_pdf())
    send_dossier(upper, cuc)
    act(upper, DossierAction.RECEIVE, tc)
    review_nominee(upper.nominees.get(), DossierAction.APPROVE, tc)
    ministry = services.nominees_forward(by=tc, nominees=list(upper.nominees.all()), authority=road["authorities"]["bqp"])
    services.attachment_add(dossier=ministry, by=tc, kind="submission", file=_pdf())
    send_dossier(ministry, tc)
    act(ministry, DossierAction.RECEIVE, tc)  # the Tổng cục records the Ministry's receipt
    review_nominee(ministry.nominees.get(), DossierAction.APPROVE, tc)
    government = services.nominees_forward(by=tc, nominees=list(ministry.nominees.all()),
                                           authority=road["authorities"]["ttg"])
    assert (government.unit, government.authority) == (road["units"]["tc"], road["authorities"]["ttg"])
    top = government.nominees.get()
    assert [n.dossier for n in selectors.nominee_trail(top)] == [ministry, upper, dossier]
    # the Cục cannot forward what the Ministry approved: that is the Tổng cục's to carry
    assert workflow.RECEIVER not in selectors.dossier_sides(cuc, ministry)


def test_an_administrator_ticks_the_documents_a_title_requires(road, client):
    admin = factories.user(role=roles.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(admin)
    title = road["titles"]["gk"]
    url = reverse("admin:awards_title_change", args=[title.pk])
    page = client.get(url).content.decode()
    assert 'value="report"' in page and 'type="checkbox"' in page
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update({"required_attachments": ["submission", "report"], "category": title.category,
                 "recipient_for": title.recipient_for, "paper": title.paper, "hands_over": title.hands_over,
                 "is_active": "on", "emblem": ""})
    data = {k: v for k, v in data.items() if v is not None and k != "emblem"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    title.refresh_from_db()
    assert title.required_attachments == ["submission", "report"]
