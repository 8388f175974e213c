"""Printing onto pre-printed blanks (phôi): each field at its place after the printer's offset,
the alignment sheet, the layout pages, the choice of mode, the specimens' paper sizes, the emblem."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LAParams, LTTextLine
from pypdf import PdfReader
from reportlab.lib.units import mm

from awards import roles, services
from awards.choices import PaperSize, PrintKind, PrintMode, Rank, TitleFor
from awards.models import CertificateLayout, Ceremony, LayoutField, PrintLog, Profile
from awards.services import RecipientRow, RegistryError
from tests import factories

pytestmark = pytest.mark.django_db

TOLERANCE = 0.5 * mm


def text_lines(pdf):
    """Every text line of the first page: (text, x0, y0, x1, y1) in points, and the page height."""
    page = next(extract_pages(io.BytesIO(pdf), laparams=LAParams(char_margin=1.0, line_margin=0.2)))
    found = []

    def walk(item):
        if isinstance(item, LTTextLine):
            found.append((item.get_text().strip(), item.x0, item.y0, item.x1, item.y1))
        for child in getattr(item, "_objs", []):
            walk(child)

    walk(page)
    return found, page.height


@pytest.fixture
def blank_world():
    return make_blank_world()


def make_blank_world():
    """A Giấy khen to a head of office, its title laid out on an A4 blank, and an organiser."""
    top = factories.unit(full_name="Cục Quản lý công nghệ")
    office = factories.unit(parent=top, full_name="Phòng Khoa học quân sự", short_name="PKHQS")
    here = factories.authority(name="Cục trưởng Cục Quản lý công nghệ", unit=top)
    gk = factories.title(name="Giấy khen", certificate_name="GIẤY KHEN", recipient_for=TitleFor.BOTH)
    head = factories.person(full_name="Nguyễn Văn Thành", rank=Rank.DAI_TA, position="Trưởng phòng", unit_=office)
    award = factories.grant(authority_=here, number="45/QĐ-QLCN", date=datetime.date(2022, 1, 10), year=2021,
                            signer_name="Vũ Thanh Bình", signer_rank=Rank.DAI_TA, signer_title="PHÓ CỤC TRƯỞNG",
                            signer_prefix="KT.", signer_on_behalf_of="CỤC TRƯỞNG",
                            rows=[RecipientRow(person=head, title=gk)])[0]
    layout = services.record_save(instance=CertificateLayout(title=gk, name="Phôi Giấy khen A4"), by=None)
    services.layout_fill_defaults(layout=layout, by=None)
    organiser = factories.user(role=roles.ORGANISER)
    return {"top": top, "office": office, "here": here, "gk": gk, "award": award, "layout": layout,
            "organiser": organiser}


def test_each_field_lands_at_its_configured_position_after_the_printer_offset(blank_world):
    w = blank_world
    # One field of each alignment; and the printer shifts 2.5 mm right and 1.5 mm up.
    LayoutField.objects.filter(layout=w["layout"], field="decision").update(align="left")
    LayoutField.objects.filter(layout=w["layout"], field="place_date").update(align="right", x_mm=150)
    services.printer_offset_save(user=w["organiser"], x_mm=2.5, y_mm=-1.5)
    out = io.BytesIO()
    services.certificates_print(by=w["organiser"], awards=[w["award"]], kind=PrintKind.SINGLE, base_url="http://x",
                                out=out, mode=PrintMode.BLANK)
    pdf = out.getvalue()
    lines, page_height = text_lines(pdf)
    assert abs(page_height - 210 * mm) < 1
    expected = {
        "heading": "CỤC TRƯỞNG CỤC QUẢN LÝ CÔNG NGHỆ", "title": "GIẤY KHEN", "recipient": "Đại tá Nguyễn Văn Thành",
        "detail": "Trưởng phòng Khoa học quân sự, Cục Quản lý công nghệ",
        "achievement": "Đã có thành tích hoàn thành xuất sắc nhiệm vụ năm 2021",
        "decision": "Quyết định số 45/QĐ-QLCN ngày 10 tháng 01 năm 2022", "register": "Số sổ vàng: 0001",
        "place_date": "Hà Nội, ngày 10 tháng 01 năm 2022", "signer_office": "KT. CỤC TRƯỞNG",
        "signer_name": "Đại tá Vũ Thanh Bình",
    }
    dx, dy = 2.5, -1.5
    for field in LayoutField.objects.filter(layout=w["layout"]).exclude(field="qr"):
        matches = [line for line in lines if line[0] == expected[field.field]]
        assert len(matches) == 1, (field.field, lines)
        _text, x0, _y0, x1, y1 = matches[0]
        left = (float(field.x_mm) + dx) * mm
        right = left + float(field.width_mm) * mm
        top = page_height - (float(field.y_mm) + dy) * mm
        assert abs(y1 - top) <= TOLERANCE, (field.field, y1, top)
        if field.align == "left":
            assert abs(x0 - left) <= TOLERANCE, (field.field, x0, left)
        elif field.align == "right":
            assert abs(x1 - right) <= TOLERANCE, (field.field, x1, right)
        else:
            assert abs((x0 + x1) / 2 - (left + right) / 2) <= TOLERANCE, (field.field, x0, x1, left, right)
    # Only the variable text: the blank already carries the national heading and the border.
    text = extract_text(io.BytesIO(pdf))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text and "PHÓ CỤC TRƯỞNG" in text


def test_a_field_that_shrinks_to_fit_stays_in_its_box_and_one_that_does_not_keeps_its_size(blank_world):
    w = blank_world
    LayoutField.objects.filter(layout=w["layout"], field="recipient").update(width_mm=40, font_size=24, shrink=True)
    out = io.BytesIO()
    services.certificates_print(by=w["organiser"], awards=[w["award"]], kind=PrintKind.SINGLE, base_url="http://x",
                                out=out, mode=PrintMode.BLANK, offset=(0, 0))
    lines, _h = text_lines(out.getvalue())
    name = [line for line in lines if "Thành" in line[0]]
    assert name and all(x1 - x0 <= 40 * mm + TOLERANCE for _t, x0, _y0, x1, _y1 in name)


def test_the_alignment_sheet_prints_each_box_named_and_a_millimetre_ruler_with_the_offset(client, blank_world):
    w = blank_world
    services.printer_offset_save(user=w["organiser"], x_mm=3, y_mm=2)
    client.force_login(w["organiser"])
    response = client.get(reverse("awards:layout-alignment", args=[w["layout"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert abs(float(page.mediabox.width) - 297 * mm) < 1 and abs(float(page.mediabox.height) - 210 * mm) < 1
    text = extract_text(io.BytesIO(pdf))
    for label in ("Cơ quan, người có thẩm quyền", "Người / Tập thể được khen", "Chức vụ và đơn vị", "Ngày tháng, địa danh"):
        assert label in text, label
    assert all(str(n) in text for n in (10, 50, 100, 200, 290))
    assert "+3.0 mm" in text and "+2.0 mm" in text
    # Each box's label sits 1 mm inside its box's top-left corner, moved by the offset.
    heading = LayoutField.objects.get(layout=w["layout"], field="heading")
    lines, _h = text_lines(pdf)
    label = next(line for line in lines if line[0].startswith("Cơ quan, người có thẩm quyền"))
    assert abs(label[1] - (float(heading.x_mm) + 3 + 1) * mm) <= TOLERANCE


def test_the_layout_page_shows_the_preview_the_fields_and_saves_the_printer_offset(client, blank_world):
    w = blank_world
    client.force_login(w["organiser"])
    url = w["layout"].get_absolute_url()
    page = client.get(url).content.decode()
    assert 'id="layout-preview"' in page and "data-layout=" in page and "layout_preview.js" in page
    assert page.count("<tr>") >= 11  # the header and ten text fields and the QR code
    assert reverse("awards:layout-alignment", args=[w["layout"].pk]) in page
    sample = client.get(reverse("awards:layout-sample", args=[w["layout"].pk]))
    assert "Nguyễn Văn Thành" in extract_text(io.BytesIO(b"".join(sample.streaming_content)))
    refused = client.post(reverse("awards:printer-offset", args=[w["layout"].pk]), {"x_mm": "45", "y_mm": "0"})
    assert refused.status_code == 400 and not Profile.objects.filter(user=w["organiser"]).exists()
    saved = client.post(reverse("awards:printer-offset", args=[w["layout"].pk]), {"x_mm": "1.5", "y_mm": "-0.5"})
    assert saved.status_code == 302
    profile = Profile.objects.get(user=w["organiser"])
    assert (float(profile.print_offset_x_mm), float(profile.print_offset_y_mm)) == (1.5, -0.5)
    listing = client.get(reverse("awards:layout-list")).content.decode()
    assert "Phôi Giấy khen A4" in listing
    staff = factories.user(role=roles.STAFF)
    client.force_login(staff)
    assert client.get(url).status_code == 403


def test_the_back_office_editor_shows_a_live_preview_and_a_new_layout_starts_filled(client, blank_world):
    w = blank_world
    admin = factories.user(role=roles.ADMINISTRATOR, is_staff=True)
    client.force_login(admin)
    page = client.get(reverse("admin:awards_certificatelayout_change", args=[w["layout"].pk])).content.decode()
    assert 'id="layout-editor"' in page and 'id="layout-preview"' in page and "data-labels=" in page
    assert "fields-0-x_mm" in page
    bk = factories.title(name="Bằng khen", certificate_name="BẰNG KHEN", paper=PaperSize.SPECIMEN_400)
    add = client.post(reverse("admin:awards_certificatelayout_add"), {
        "title": bk.pk, "name": "Phôi Bằng khen 400", "paper": PaperSize.SPECIMEN_400, "is_default": "on",
        "fields-TOTAL_FORMS": 0, "fields-INITIAL_FORMS": 0, "fields-MIN_NUM_FORMS": 0, "fields-MAX_NUM_FORMS": 1000,
    })
    assert add.status_code == 302, add.content.decode()[:3000]
    made = CertificateLayout.objects.get(name="Phôi Bằng khen 400")
    assert made.fields.count() == 11
    recipient = made.fields.get(field="recipient")
    assert float(recipient.x_mm) + float(recipient.width_mm) <= 400 and float(recipient.y_mm) > 86


def test_printing_a_ceremony_onto_blanks_or_in_full_as_chosen(client, blank_world):
    w = blank_world
    ceremony = services.ceremony_create(by=w["organiser"], ceremony=Ceremony(name="Lễ", date=datetime.date(2022, 1, 20)))
    services.ceremony_add_awards(ceremony=ceremony, by=w["organiser"], awards=[w["award"]])
    client.force_login(w["organiser"])
    page = client.get(ceremony.get_absolute_url()).content.decode()
    assert '<option value="blank" selected>' in page  # every title here has a layout
    url = reverse("awards:ceremony-print", args=[ceremony.pk])
    blank = client.post(url, {"mode": "blank"})
    assert blank.status_code == 200 and "-phoi.pdf" in blank["Content-Disposition"]
    assert "CỘNG HÒA" not in extract_text(io.BytesIO(b"".join(blank.streaming_content)))
    full = client.post(url, {"mode": "full"})
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in extract_text(io.BytesIO(b"".join(full.streaming_content)))
    assert PrintLog.objects.count() == 2
    # A title with no layout cannot go onto blanks: refused, named, nothing logged.
    other = factories.title(name="Bằng khen", certificate_name="BẰNG KHEN")
    person = factories.person(unit_=w["office"])
    extra = factories.grant(authority_=w["here"], signer_name="Vũ Thanh Bình", signer_title="CỤC TRƯỞNG",
                            rows=[RecipientRow(person=person, title=other)])[0]
    services.ceremony_add_awards(ceremony=ceremony, by=w["organiser"], awards=[extra])
    assert '<option value="full" selected>' in client.get(ceremony.get_absolute_url()).content.decode()
    refused = client.post(url, {"mode": "blank"}, follow=True)
    assert "Bằng khen" in refused.content.decode() and "phôi" in refused.content.decode()
    assert PrintLog.objects.count() == 2
    with pytest.raises(RegistryError):
        services.certificates_print(by=w["organiser"], awards=[extra], kind=PrintKind.SINGLE, base_url="http://x",
                                    out=io.BytesIO(), mode=PrintMode.BLANK)


@pytest.mark.parametrize("paper, size", [(PaperSize.SPECIMEN_400, (400, 300)), (PaperSize.SPECIMEN_450, (450, 350))])
def test_the_full_drawing_on_the_specimens_paper_sizes(blank_world, paper, size):
    w = blank_world
    w["gk"].paper = paper
    w["gk"].save()
    out = io.BytesIO()
    services.certificates_print(by=None, awards=[w["award"]], kind=PrintKind.SINGLE, base_url="http://x", out=out)
    page = PdfReader(io.BytesIO(out.getvalue())).pages[0]
    assert (round(float(page.mediabox.width) / mm), round(float(page.mediabox.height) / mm)) == size


def test_an_uploaded_emblem_is_drawn_on_the_full_certificate(client, blank_world, settings, tmp_path):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    image = io.BytesIO()
    Image.new("RGB", (60, 60), (200, 30, 30)).save(image, "PNG")
    admin = factories.user(role=roles.ADMINISTRATOR, is_staff=True)
    client.force_login(admin)
    gk = w_title = blank_world["gk"]
    change = reverse("admin:awards_title_change", args=[gk.pk])
    form = client.get(change)
    assert 'name="emblem"' in form.content.decode()
    fields = {k: v for k, v in form.context["adminform"].form.initial.items() if v is not None}
    fields.update({"emblem": SimpleUploadedFile("quoc-huy.png", image.getvalue(), "image/png")})
    saved = client.post(change, fields)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    w_title.refresh_from_db()
    assert w_title.emblem
    out = io.BytesIO()
    services.certificates_print(by=None, awards=[blank_world["award"]], kind=PrintKind.SINGLE, base_url="http://x",
                                out=out)
    assert b"/Subtype /Image" in out.getvalue()
    # A file that is not an image is refused by the form.
    refused = client.post(change, {**fields, "emblem": SimpleUploadedFile("x.png", b"not an image", "image/png")})
    assert refused.status_code == 200 and "emblem" in refused.context["adminform"].form.errors
