"""The documents a dossier's steps produce, read back: the tờ trình, the list, the council's minutes,
the draft decision; an administrator's own template used in place of the registry's."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import load_workbook

from awards import roles, services
from awards.choices import AuthorityKind, DossierAction, UnitKind
from awards.models import Attachment, Council, DocumentTemplate, Dossier
from tests import factories
from tests.test_nominations import act, make_dossier, received_dossier, review_nominee, send_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The services' refusals are matched by their English wording here."""
    from django.utils import translation

    with translation.override("en"):
        yield


def docx_text(data):
    """Every paragraph and table cell of a DOCX, in order, as one text."""
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def generate_document(dossier, by, kind):
    attachment = services.document_generate(by=by, dossier=dossier, kind=kind)
    with attachment.file.open("rb") as handle:
        return attachment, handle.read()


def _pdf_text(dossier, kind):
    """The PDF made beside the DOCX, as text (pdfminer)."""
    from pdfminer.high_level import extract_text

    made = Attachment.objects.get(dossier=dossier, generated=True, removed_at__isnull=True,
                                  name__endswith=".pdf", name__contains=kind)
    with made.file.open("rb") as handle:
        return " ".join(extract_text(io.BytesIO(handle.read())).split())


def test_the_to_trinh_lists_the_nominees_as_recorded(road):
    dossier = make_dossier(road, people=road["people"][:2], title="cstdcs")
    dossier.reference = "15/TTr-PA"
    dossier.save()
    attachment, data = generate_document(dossier, road["users"]["pa"], "submission")
    text = docx_text(data)
    today = datetime.date.today()
    for expected in ("TỜ TRÌNH", "Về việc đề nghị khen thưởng năm 2025", "Kính gửi: Cục trưởng Cục Thử nghiệm",
                     "PHÒNG A", "Số: 15/TTr-PA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Nguyễn Văn An",
                     "Nguyễn Văn Bình", "Đại úy, Trợ lý", "Chiến sĩ thi đua cơ sở: 2",
                     "Hoàn thành xuất sắc — Nguyễn Văn An", f"ngày {today.day:02d} tháng {today.month:02d} năm {today.year}"):
        assert expected in text, expected
    assert attachment.kind == "submission" and attachment.generated and attachment.name.endswith(".docx")
    pdf = _pdf_text(dossier, "to-trinh")
    for expected in ("TỜ TRÌNH", "Kính gửi: Cục trưởng Cục Thử nghiệm", "Số: 15/TTr-PA", "Nguyễn Văn An",
                     "Nguyễn Văn Bình", "Chiến sĩ thi đua cơ sở: 2", f"tháng {today.month:02d} năm {today.year}"):
        assert expected in pdf, expected


def test_the_list_is_a_spreadsheet_of_the_nominees(road):
    dossier = make_dossier(road, people=road["people"][:3], title="gk")
    _attachment, data = generate_document(dossier, road["users"]["pa"], "list")
    sheet = load_workbook(io.BytesIO(data)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2025" in values[0][0]
    assert values[1][:5] == ["STT", "Họ và tên", "Cấp bậc, chức vụ", "Đơn vị", "Hình thức đề nghị"]
    assert [row[1] for row in values[2:5]] == ["Nguyễn Văn An", "Nguyễn Văn Bình", "Nguyễn Văn Cường"]
    assert {row[4] for row in values[2:5]} == {"Giấy khen"}


def test_the_minutes_carry_the_vote_table_as_counted(road):
    Council.objects.create(unit=road["units"]["cuc"], members=10, chair="Đại tá Vũ Văn Chủ",
                           secretary="Thiếu tá Lê Thư Ký")
    dossier = make_dossier(road, people=road["people"][:2])
    pa = road["users"]["pa"]
    meeting = services.meeting_create(by=pa, dossier=dossier, held_on=datetime.date(2025, 12, 10),
                                      place="Hội trường Cục", members_present=9, chair="", secretary="")
    first, second = dossier.nominees.order_by("seq")
    services.meeting_record(meeting=meeting, by=pa, expected_version=meeting.version,
                            votes=[(first, 7, 2, first.title), (second, 6, 3, second.title)])
    _attachment, data = generate_document(dossier, pa, "minutes")
    text = docx_text(data)
    for expected in ("BIÊN BẢN", "ngày 10/12/2025", "Hội trường Cục", "Chủ trì: Đại tá Vũ Văn Chủ",
                     "Thư ký: Thiếu tá Lê Thư Ký", "9/10", "CỤC THỬ NGHIỆM", "Đại úy Nguyễn Văn An", "Đạt",
                     "Không đạt", "70% (cần 70%)", "60% (cần 70%)", "Hội đồng thống nhất đề nghị 1 "):
        assert expected in text, expected
    pdf = _pdf_text(dossier, "bien-ban")
    for expected in ("BIÊN BẢN", "ngày 10/12/2025", "Chủ trì: Đại tá Vũ Văn Chủ", "9/10", "Đại úy Nguyễn Văn An",
                     "Không đạt", "70% (cần 70%)", "60% (cần 70%)", "THƯ KÝ", "CHỦ TỊCH HỘI ĐỒNG"):
        assert expected in pdf, expected


def test_the_draft_decision_lists_the_approved_at_their_approved_honours(road):
    dossier = received_dossier(road, people=road["people"][:3], title="bk")
    cuc = road["users"]["cuc"]
    first, second, third = dossier.nominees.order_by("seq")
    review_nominee(first, DossierAction.APPROVE, cuc)
    review_nominee(second, DossierAction.LOWER, cuc, note="Chưa đủ", title=road["titles"]["gk"])
    review_nominee(third, DossierAction.REJECT, cuc, note="Không đủ")
    _attachment, data = generate_document(dossier, cuc, "decision")
    text = docx_text(data)
    assert "QUYẾT ĐỊNH" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Nguyễn Văn An" in text and "Nguyễn Văn Bình" in text and "Nguyễn Văn Cường" not in text
    assert "Về việc tặng Bằng khen, Giấy khen" in text
    pdf = _pdf_text(dossier, "du-thao")
    assert "QUYẾT ĐỊNH" in pdf and "Nguyễn Văn Bình" in pdf and "Nguyễn Văn Cường" not in pdf
    assert "DANH SÁCH KHEN THƯỞNG" in pdf and "Giấy khen" in pdf
    # the Phòng cannot make the receiving office's draft
    with pytest.raises(services.RegistryError):
        services.document_generate(by=road["users"]["pa"], dossier=dossier, kind="decision")


def test_a_party_body_gets_the_partys_heading(road):
    party = factories.unit(parent=road["units"]["cuc"], full_name="Đảng bộ Cục Thử nghiệm", short_name="ĐB",
                           kind=UnitKind.PARTY)
    committee = factories.authority(name="Đảng ủy Cục Thử nghiệm", unit=party, kind=AuthorityKind.PARTY,
                                    symbol="QĐ/ĐU")
    member = factories.person(full_name="Phan Văn Đảng", unit_=party)
    officer = factories.user(role=roles.OFFICER, scope=party)
    dossier = services.dossier_create(by=officer, dossier=Dossier(unit=party, authority=committee, year=2025),
                                      rows=[services.NomineeRow(person=member, title=road["titles"]["gk"])])
    _attachment, data = generate_document(dossier, officer, "submission")
    text = docx_text(data)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "CỘNG HÒA XÃ HỘI" not in text


def test_an_administrators_own_template_is_used(road, settings):
    from docx import Document as NewDocument

    own = NewDocument()
    own.add_paragraph("MẪU RIÊNG CỦA CỤC: {{ unit }} đề nghị {{ count }} người")
    out = io.BytesIO()
    own.save(out)
    DocumentTemplate.objects.create(kind="submission", file=SimpleUploadedFile("mau.docx", out.getvalue()))
    dossier = make_dossier(road, people=road["people"][:2])
    _attachment, data = generate_document(dossier, road["users"]["pa"], "submission")
    assert "MẪU RIÊNG CỦA CỤC: Phòng A đề nghị 2 người" in docx_text(data)


def test_the_version_that_was_sent_is_kept_when_it_is_made_again(road):
    dossier = make_dossier(road, people=road["people"][:1])
    pa = road["users"]["pa"]
    sent, _data = generate_document(dossier, pa, "submission")
    services.attachment_add(dossier=dossier, by=pa, kind="minutes", file=SimpleUploadedFile(
        "bb.pdf", factories.scan_pdf()))
    send_dossier(dossier, pa)
    act(dossier, DossierAction.RETURN, road["users"]["cuc"], note="Sửa tờ trình")
    again, _data = generate_document(dossier, pa, "submission")
    sent.refresh_from_db()
    assert sent.removed_at is not None and sent.file.storage.exists(sent.file.name)
    assert {a.name for a in Attachment.objects.filter(dossier=dossier, kind="submission", removed_at__isnull=True)} == {
        again.name, again.name.replace(".docx", ".pdf")}


def test_no_minutes_without_a_meeting(road):
    dossier = make_dossier(road, people=road["people"][:1])
    with pytest.raises(services.RegistryError, match="No council meeting"):
        services.document_generate(by=road["users"]["pa"], dossier=dossier, kind="minutes")




def test_the_dossier_page_makes_and_attaches_a_document(road, client):
    from django.urls import reverse

    dossier = make_dossier(road, people=road["people"][:2])
    client.force_login(road["users"]["pa"])
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'id="generate-submission"' in page and 'id="generate-decision"' not in page
    response = client.post(reverse("awards:dossier-generate", args=[dossier.pk, "list"]))
    assert response.status_code == 302
    made = Attachment.objects.get(dossier=dossier, generated=True)
    assert made.name == f"danh-sach-de-nghi-{dossier.pk}.xlsx"
    assert made.name in client.get(dossier.get_absolute_url()).content.decode()


def test_a_template_must_be_a_word_file(road):
    from django.core.exceptions import ValidationError

    template = DocumentTemplate(kind="minutes", file=SimpleUploadedFile("mau.pdf", factories.scan_pdf()))
    with pytest.raises(ValidationError, match="DOCX"):
        template.full_clean()
