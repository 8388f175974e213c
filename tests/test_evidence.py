"""The evidence the rules read, through the pages an officer clicks: ratings, initiatives and
discipline entered, corrected (with the version lock), removed, imported from a spreadsheet
(preview, then all or nothing); the length of service; who sees it."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards import roles, rules, services
from awards.choices import TaskRating
from awards.models import AuditEntry, Discipline, Initiative, Person, Rating
from tests import factories
from tests.importfiles import xlsx

pytestmark = pytest.mark.django_db

HEADERS = ["STT", "Họ và tên", "Đơn vị", "Số hiệu quân nhân", "Năm", "Xếp loại", "Sáng kiến / đề tài",
           "Cấp công nhận", "Kỷ luật", "Quyết định kỷ luật", "Ngày kỷ luật"]


@pytest.fixture
def office():
    top = factories.unit(full_name="Cục Thử nghiệm")
    unit = factories.unit(parent=top, full_name="Phòng Kỹ thuật", short_name="Phòng KT")
    other = factories.unit(parent=top, full_name="Phòng Kế hoạch", short_name="Phòng KH")
    officer = factories.user(role=roles.OFFICER, scope=unit)
    return {"unit": unit, "other": other, "officer": officer,
            "an": factories.person(full_name="Trần Văn An", unit_=unit, service_number="QN-11"),
            "binh": factories.person(full_name="Lê Thị Bình", unit_=unit, rank=None),
            "xa": factories.person(full_name="Phạm Văn Xa", unit_=other)}


def test_an_officer_enters_corrects_and_removes_a_rating_on_the_persons_page(client, office):
    client.force_login(office["officer"])
    an = office["an"]
    page = client.get(an.get_absolute_url()).content.decode()
    assert 'id="evidence"' in page and reverse("awards:person-evidence-new", args=[an.pk, "rating"]) in page
    response = client.post(reverse("awards:person-evidence-new", args=[an.pk, "rating"]),
                           {"year": "2021", "rating": TaskRating.EXCELLENT, "note": ""})
    assert response.status_code == 302 and response.url.endswith("#evidence")
    rating = Rating.objects.get(person=an)
    assert "Hoàn thành xuất sắc nhiệm vụ" in client.get(an.get_absolute_url()).content.decode()
    # The same year twice is refused with the reason, nothing written.
    again = client.post(reverse("awards:person-evidence-new", args=[an.pk, "rating"]),
                        {"year": "2021", "rating": TaskRating.GOOD, "note": ""})
    assert again.status_code == 200 and "đã có xếp loại của năm đó" in again.content.decode()
    assert Rating.objects.count() == 1
    # A correction with a stale version is refused and shows what the other person saved.
    edit = reverse("awards:evidence-edit", args=["rating", rating.pk])
    services.evidence_save(instance=Rating(pk=rating.pk, person=an, year=2021, rating=TaskRating.GOOD,
                                           version=rating.version), by=None, expected_version=rating.version)
    stale = client.post(edit, {"year": "2021", "rating": TaskRating.COMPLETED, "note": "", "version": rating.version})
    assert stale.status_code == 200 and stale.context["stale"]
    assert Rating.objects.get().rating == TaskRating.GOOD
    fresh = client.post(edit, {"year": "2021", "rating": TaskRating.COMPLETED, "note": "", "version": 2})
    assert fresh.status_code == 302 and Rating.objects.get().rating == TaskRating.COMPLETED
    # Removal needs its confirmation, and the audit trail keeps what the entry said.
    delete = reverse("awards:evidence-delete", args=["rating", rating.pk])
    assert client.post(delete).status_code == 400 and Rating.objects.exists()
    assert client.post(delete, {"confirm": "yes"}).status_code == 302 and not Rating.objects.exists()
    actions = list(AuditEntry.objects.filter(object_id=str(rating.pk), content_type__model="rating")
                   .values_list("action", flat=True).order_by("pk"))
    assert actions == ["create", "update", "update", "delete"]


def test_initiatives_and_discipline_feed_the_rules_as_soon_as_they_are_entered(client, office):
    cstt = factories.title(name="Chiến sĩ tiên tiến", code="cstt", recipient_for="individual")
    cstdcs = factories.title(name="Chiến sĩ thi đua cơ sở", code="cstdcs", recipient_for="individual")
    rules.seed_domain_rules()
    an = office["an"]
    factories.grant(rows=[services.RecipientRow(person=an, title=cstt)], year=2021, justification="đã xét tại đơn vị")
    client.force_login(office["officer"])
    assert an.pk not in _candidates(office["unit"], cstdcs)
    client.post(reverse("awards:person-evidence-new", args=[an.pk, "initiative"]),
                {"year": "2021", "kind": "initiative", "name": "Cải tiến bệ thử", "level": "1", "decision": "5/QĐ"})
    assert Initiative.objects.filter(person=an).exists()
    assert an.pk in _candidates(office["unit"], cstdcs)
    response = client.post(reverse("awards:person-evidence-new", args=[an.pk, "discipline"]),
                           {"form": "reprimand", "decision": "7/QĐ-KL", "decided_on": "2021-04-02", "ends_on": "",
                            "reason": "Vi phạm giờ giấc"})
    assert response.status_code == 302
    assert Discipline.objects.get().year_from == Discipline.objects.get().year_to == 2021
    assert an.pk not in _candidates(office["unit"], cstdcs)
    assert "Không xét khen thưởng năm 2021–2021" in client.get(an.get_absolute_url()).content.decode()


def _candidates(unit, title):
    return {c.recipient.pk for t, found in rules.candidates(unit=unit, year=2021).items() if t.title == title
            for c in found}


def test_evidence_is_seen_by_the_units_officers_and_the_person_only(client, office):
    an = office["an"]
    services.evidence_save(instance=Discipline(person=an, form="warning", decision="9/QĐ-KL",
                                               decided_on=datetime.date(2021, 5, 1)), by=None)
    other_officer = factories.user(role=roles.OFFICER, scope=office["other"])
    staff = factories.user(role=roles.STAFF)
    own = factories.user(role=roles.STAFF)
    an.user = own
    an.save()
    for user, sees in ((office["officer"], True), (other_officer, False), (staff, False), (own, True)):
        client.force_login(user)
        assert ("9/QĐ-KL" in client.get(an.get_absolute_url()).content.decode()) is sees
    client.force_login(own)
    assert "9/QĐ-KL" in client.get(reverse("awards:my-honours")).content.decode()
    # Officers of another unit cannot add to, or change, this person's record.
    client.force_login(other_officer)
    assert client.get(reverse("awards:person-evidence-new", args=[an.pk, "rating"])).status_code == 403


def test_length_of_service_is_kept_on_its_page(client, office):
    an = office["an"]
    client.force_login(office["officer"])
    url = reverse("awards:person-service", args=[an.pk])
    assert client.post(url, {"action": "enlisted", "enlisted_on": "2008-09-01"}).status_code == 302
    assert client.post(url, {"action": "break", "start": "2013-01-01", "end": "2014-12-31", "note": "Xuất ngũ"}
                       ).status_code == 302
    an.refresh_from_db()
    assert an.service_from == datetime.date(2010, 9, 1) and an.service_years(2021) == 11
    # An overlapping break is refused with its reason; a break that ends before it starts too.
    overlap = client.post(url, {"action": "break", "start": "2014-06-01", "end": "2015-01-31", "note": ""})
    assert overlap.status_code == 400 and "trùng" in overlap.content.decode()
    backwards = client.post(url, {"action": "break", "start": "2015-06-01", "end": "2015-01-31", "note": ""})
    assert backwards.status_code == 400
    this_year = datetime.date.today().year
    assert f"{this_year - 2010} năm công tác tính đến hết năm {this_year}" in client.get(url).content.decode()
    gap = an.service_breaks.get()
    client.post(reverse("awards:service-break-delete", args=[gap.pk]), {"confirm": "yes"})
    an.refresh_from_db()
    assert an.service_from == datetime.date(2008, 9, 1)


def test_a_ratings_file_is_previewed_then_written_all_or_nothing(client, office):
    client.force_login(office["officer"])
    url = reverse("awards:evidence-import")
    rows = [[1, "Trần Văn An", "Phòng Kỹ thuật", "QN-11", 2021, "Hoàn thành xuất sắc nhiệm vụ", "Cải tiến bệ thử",
             "Cơ sở", "", "", ""],
            [2, "Lê Thị Bình", "Phòng KT", "", "2021", "HTTNV", "", "", "Khiển trách", "3/QĐ-KL", "12/05/2021"],
            [3, "Phạm Văn Xa", "Phòng Kế hoạch", "", 2021, "Tốt", "", "", "", "", ""],
            [4, "Trần Văn An", "Phòng Kỹ thuật", "", 2021, "Giỏi", "", "", "", "", ""],
            [5, "Người Lạ", "Phòng Kỹ thuật", "", 21, "Hoàn thành", "", "", "", "", ""]]
    response = client.post(url, {"spreadsheet": SimpleUploadedFile("xl.xlsx", xlsx(rows, headers=HEADERS))})
    assert response.status_code == 400
    problems = {row.number: [(column, message) for column, message, is_error in row.problems if is_error]
                for row in response.context["preview"].rows}
    assert problems[2] == [] and problems[3] == []
    assert problems[4][0][0] == "Họ và tên" and "ngoài" in problems[4][0][1]  # outside the officer's units
    assert problems[5][0][0] == "Xếp loại" and "Giỏi" in problems[5][0][1]
    assert ("Năm", "“21” không phải là năm (ví dụ 2021).") in problems[6]
    assert not Rating.objects.exists() and not Discipline.objects.exists()
    # The good rows alone: previewed, confirmed, written; the same file again changes nothing.
    data = xlsx(rows[:2], headers=HEADERS)
    token = client.post(url, {"spreadsheet": SimpleUploadedFile("xl.xlsx", data)}).context["token"]
    assert client.post(url, {"token": token, "action": "confirm"}).status_code == 302
    assert {(r.person.full_name, r.rating) for r in Rating.objects.all()} == {
        ("Trần Văn An", TaskRating.EXCELLENT), ("Lê Thị Bình", TaskRating.GOOD)}
    assert Initiative.objects.get().level == 1 and Discipline.objects.get().decided_on == datetime.date(2021, 5, 12)
    notes = AuditEntry.objects.filter(content_type__model__in=["rating", "initiative", "discipline"]).values_list(
        "action", "note")
    assert len(notes) == 4 and {action for action, _n in notes} == {"create"} and all(note for _a, note in notes)
    again = client.post(url, {"spreadsheet": SimpleUploadedFile("xl.xlsx", data)})
    assert again.context["preview"].nothing_new
    # A changed rating is shown before it is written.
    changed = xlsx([[1, "Trần Văn An", "Phòng Kỹ thuật", "QN-11", 2021, "Hoàn thành tốt nhiệm vụ"]],
                   headers=HEADERS[:6])
    preview = client.post(url, {"spreadsheet": SimpleUploadedFile("xl.xlsx", changed)}).context["preview"]
    assert "Hoàn thành xuất sắc nhiệm vụ → Hoàn thành tốt nhiệm vụ" in preview.rows[0].problems[0][1]
    assert Person.objects.count() == 3
