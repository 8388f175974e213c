"""Certificates read back from the PDF: every line, the QR code, the border, the font."""

import datetime
import io
import unicodedata

import pytest
from django.core.exceptions import ImproperlyConfigured
from pypdf import PdfReader

from awards import selectors
from awards.certificates import CertificateRenderer, render_pdf
from awards.certificates import fonts as cert_fonts
from awards.certificates.renderer import BORDER_INSET
from awards.choices import PaperSize, Rank, SigningPrefix, TitleCategory, TitleFor
from awards.services import RecipientRow
from tests import factories

pytestmark = pytest.mark.django_db
BASE = "https://khenthuong.example"


@pytest.fixture
def cuc():
    top = factories.unit(full_name="Tổng cục Công nghiệp quốc phòng", short_name="TCCNQP")
    cuc = factories.unit(parent=top, full_name="Cục Quản lý công nghệ", short_name="Cục QLCN")
    return {
        "top": top, "cuc": cuc,
        "plan": factories.unit(parent=cuc, full_name="Phòng Kế hoạch", short_name="PKH"),
        "authority": factories.authority(name="Cục trưởng Cục Quản lý công nghệ", place="Hà Nội"),
        "general": factories.authority(
            name="Thủ trưởng Tổng cục Công nghiệp quốc phòng", heading="THỦ TRƯỞNG TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG",
        ),
    }


def giay_khen():
    return factories.title(name="Giấy khen của Cục trưởng", certificate_name="GIẤY KHEN", recipient_for=TitleFor.BOTH)


def bang_khen():
    return factories.title(name="Bằng khen của Thủ trưởng Tổng cục", certificate_name="BẰNG KHEN", recipient_for=TitleFor.BOTH)


def one(row, *, authority, number="45/QĐ-QLCN", **decision):
    decision.setdefault("date", datetime.date(2022, 1, 10))
    decision.setdefault("signer_name", "Vũ Thanh Bình")
    decision.setdefault("signer_rank", Rank.DAI_TA)
    decision.setdefault("signer_title", "PHÓ CỤC TRƯỞNG")
    decision.setdefault("signer_prefix", SigningPrefix.KT)
    decision.setdefault("signer_on_behalf_of", "CỤC TRƯỞNG")
    decision.setdefault("reason", "Đã có thành tích hoàn thành xuất sắc nhiệm vụ năm 2021")
    return factories.grant(rows=[row], authority_=authority, number=number, year=2021, **decision)[0]


def printed_lines(award):
    pdf = render_pdf([selectors.certificate_data(award, base_url=BASE)])
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    return [line.strip() for line in text.splitlines() if line.strip()]


def code_of(award):
    return f"Mã xác thực: {award.verification_code[:5]}-{award.verification_code[5:10]}"


def test_individual_giay_khen_prints_every_line(cuc):
    person = factories.person(full_name="Nguyễn Văn Thành", rank=Rank.DAI_TA, position="Trưởng phòng", unit_=cuc["plan"])
    award = one(RecipientRow(person=person, title=giay_khen()), authority=cuc["authority"])
    assert printed_lines(award) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "CỤC TRƯỞNG CỤC QUẢN LÝ CÔNG NGHỆ",
        "TẶNG",
        "GIẤY KHEN",
        "Đại tá Nguyễn Văn Thành",
        "Trưởng phòng Kế hoạch, Cục Quản lý công nghệ",
        "Đã có thành tích hoàn thành xuất sắc nhiệm vụ năm 2021",
        "Quyết định số 45/QĐ-QLCN ngày 10 tháng 01 năm 2022",
        f"Số sổ vàng: {award.register_number:04d}",
        "Hà Nội, ngày 10 tháng 01 năm 2022",
        "KT. CỤC TRƯỞNG",
        "PHÓ CỤC TRƯỞNG",
        "Đại tá Vũ Thanh Bình",
        code_of(award),
    ]


def test_collective_bang_khen_prints_every_line(cuc):
    award = one(RecipientRow(unit=cuc["plan"], title=bang_khen(), achievement="Đã có thành tích xuất sắc trong phong trào thi đua quyết thắng năm 2021"),
                authority=cuc["general"], number="129/QĐ-TCCNQP", signer_prefix="", signer_on_behalf_of="",
                signer_title="CHỦ NHIỆM TỔNG CỤC", signer_rank=Rank.TRUNG_TUONG, signer_name="Lê Văn Hùng")
    assert printed_lines(award) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "THỦ TRƯỞNG TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG",
        "TẶNG",
        "BẰNG KHEN",
        "Phòng Kế hoạch, Cục Quản lý công nghệ",
        "Đã có thành tích xuất sắc trong phong trào thi đua quyết thắng năm 2021",
        "Quyết định số 129/QĐ-TCCNQP ngày 10 tháng 01 năm 2022",
        f"Số sổ vàng: {award.register_number:04d}",
        "Hà Nội, ngày 10 tháng 01 năm 2022",
        "CHỦ NHIỆM TỔNG CỤC",
        "Trung tướng Lê Văn Hùng",
        code_of(award),
    ]


def test_emulation_title_certificate_and_a_name_given_in_nfd(cuc):
    title = factories.title(name="Chiến sĩ thi đua cơ sở", category=TitleCategory.EMULATION_TITLE,
                            certificate_verb="TẶNG DANH HIỆU", certificate_name="CHIẾN SĨ THI ĐUA CƠ SỞ",
                            recipient_for=TitleFor.INDIVIDUAL)
    nfd = unicodedata.normalize("NFD", "Trần Thị Thu Hường")
    person = factories.person(full_name=nfd, rank=Rank.THIEU_TA_QNCN, position="Trợ lý", unit_=cuc["plan"])
    award = one(RecipientRow(person=person, title=title), authority=cuc["authority"], number="7/QĐ-QLCN")
    lines = printed_lines(award)
    assert lines[3:7] == ["TẶNG DANH HIỆU", "CHIẾN SĨ THI ĐUA CƠ SỞ", "Thiếu tá QNCN Trần Thị Thu Hường",
                          "Trợ lý, Phòng Kế hoạch, Cục Quản lý công nghệ"]
    assert lines[8] == "Quyết định số 07/QĐ-QLCN ngày 10 tháng 01 năm 2022"
    # NFD handed straight to the renderer (not through the model) prints the same letters.
    data = selectors.certificate_data(award, base_url=BASE)
    from dataclasses import replace

    raw = replace(data, recipient=unicodedata.normalize("NFD", data.recipient))
    text = PdfReader(io.BytesIO(render_pdf([raw]))).pages[0].extract_text()
    assert "Thiếu tá QNCN Trần Thị Thu Hường" in text


def test_qr_code_decodes_to_the_verification_url_and_revocation_shows(cuc, client):
    import pypdfium2
    import zxingcpp

    person = factories.person(full_name="Phạm Minh Đức", unit_=cuc["plan"])
    award = one(RecipientRow(person=person, title=giay_khen()), authority=cuc["authority"])
    pdf = render_pdf([selectors.certificate_data(award, base_url="http://testserver")])
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=2).to_pil()
    found = zxingcpp.read_barcodes(image)
    assert [b.text for b in found] == [f"http://testserver/verify/{award.verification_code}/"]
    path = found[0].text.removeprefix("http://testserver")
    assert "Thật: giấy chứng nhận này có trong sổ và còn hiệu lực." in client.get(path).content.decode()
    from awards import services

    services.award_revoke(award=award, by=None, number="9/QĐ-QLCN", date=datetime.date(2022, 5, 1),
                          reason="Vi phạm kỷ luật")
    html = client.get(path).content.decode()
    assert "Giấy chứng nhận này đã bị thu hồi." in html and "09/QĐ-QLCN" in html
    assert "còn hiệu lực" not in html


def _text_boxes(pdf):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    page = next(extract_pages(io.BytesIO(pdf)))
    lines = []
    for element in page:
        if isinstance(element, LTTextContainer):
            for line in element:
                if isinstance(line, LTTextLine):
                    chars = [c for c in line if isinstance(c, LTChar)]
                    lines.append((line.get_text().strip(), min(c.x0 for c in chars), min(c.y0 for c in chars),
                                  max(c.x1 for c in chars), max(c.y1 for c in chars)))
    return page.width, page.height, lines


@pytest.mark.parametrize("paper", [PaperSize.A4, PaperSize.A3])
def test_long_names_stay_inside_the_border(cuc, paper):
    long_unit = factories.unit(parent=cuc["cuc"], full_name=("Trung tâm Nghiên cứu, Phát triển và Ứng dụng Công nghệ "
                               "Vật liệu mới phục vụ Công nghiệp Quốc phòng, Cơ khí Chính xác và Tự động hóa "
                               "Sản xuất Vũ khí Trang bị Kỹ thuật thuộc Tổng cục Công nghiệp quốc phòng Bộ Quốc phòng")[:200])
    assert len(long_unit.full_name) == 200
    name = "Tôn Nữ Hoàng Phương Thảo Nguyễn Thị Ngọc Ánh Dương Quỳnh Như Ý"
    assert len(name) >= 60
    person = factories.person(full_name=name, rank=Rank.THUONG_TA_QNCN,
                              position="Phó Giám đốc phụ trách kỹ thuật kiêm Trưởng phòng Thiết kế", unit_=long_unit)
    title = factories.title(name="Bằng khen dài", certificate_name="BẰNG KHEN", paper=paper)
    individual = one(RecipientRow(person=person, title=title), authority=cuc["general"])
    collective = one(RecipientRow(unit=long_unit, title=title), authority=cuc["general"], number="46/QĐ-QLCN")
    for award in (individual, collective):
        pdf = render_pdf([selectors.certificate_data(award, base_url=BASE)])
        width, height, lines = _text_boxes(pdf)
        scale = min(width / 842, height / 595)
        inner = (BORDER_INSET + 8) * scale  # the inner border line
        for text, x0, y0, x1, y1 in lines:
            assert inner < x0 and x1 < width - inner and inner < y0 and y1 < height - inner, text
        # and no two lines overlap each other
        boxes = [(x0, y0, x1, y1) for _t, x0, y0, x1, y1 in lines]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                overlap = min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1]) + 0.5
                assert not overlap, (lines[boxes.index(a)][0], lines[boxes.index(b)][0])
        printed = " ".join(t for t, *_ in lines)
        assert all(word in printed for word in long_unit.full_name.split()[-6:])


def test_paper_sizes_follow_the_title(cuc):
    person = factories.person(unit_=cuc["plan"])
    sizes = {}
    for paper, extra in ((PaperSize.A4, {}), (PaperSize.A3, {}),
                         (PaperSize.CUSTOM, {"paper_width_mm": 400, "paper_height_mm": 300})):
        title = factories.title(paper=paper, **extra)
        award = one(RecipientRow(person=person, title=title), authority=cuc["authority"], number=f"{len(sizes) + 50}/QĐ")
        box = PdfReader(io.BytesIO(render_pdf([selectors.certificate_data(award, base_url=BASE)]))).pages[0].mediabox
        sizes[paper] = (round(float(box.width)), round(float(box.height)))
    assert sizes == {PaperSize.A4: (842, 595), PaperSize.A3: (1191, 842), PaperSize.CUSTOM: (1134, 850)}


def test_the_font_is_embedded_as_a_subset_and_can_be_changed(cuc, settings):
    import rendercv_fonts

    person = factories.person(unit_=cuc["plan"])
    award = one(RecipientRow(person=person, title=giay_khen()), authority=cuc["authority"])
    data = selectors.certificate_data(award, base_url=BASE)

    def font_names(pdf):
        page = PdfReader(io.BytesIO(pdf)).pages[0]
        names = set()
        for xobj in [page] + [page["/Resources"]["/XObject"][k].get_object() for k in page["/Resources"].get("/XObject", {})]:
            for font in xobj["/Resources"].get("/Font", {}).values():
                font = font.get_object()
                names.add(str(font["/BaseFont"]))
                assert "/FontFile2" in font["/FontDescriptor"].get_object(), "the TrueType font is embedded"
        return names

    default = font_names(render_pdf([data]))
    assert any("GentiumBookPlus" in n for n in default)
    # Subsets are named with a six-letter tag, e.g. "AAAAAA+…", per the PDF specification.
    assert all("+" in n for n in default)
    folder = rendercv_fonts.path_of["EB Garamond"]
    settings.CERTIFICATE_FONT = {"regular": str(folder / "EBGaramond-Regular.ttf"),
                                 "bold": str(folder / "EBGaramond-Bold.ttf"),
                                 "italic": str(folder / "EBGaramond-Italic.ttf"), "bold_italic": ""}
    other = font_names(render_pdf([data], renderer=CertificateRenderer()))
    assert any("EBGaramond" in n for n in other) and not any("Gentium" in n for n in other)


def test_a_font_without_vietnamese_letters_is_refused(settings):
    import reportlab

    from pathlib import Path

    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    settings.CERTIFICATE_FONT = {"regular": str(vera)}
    with pytest.raises(ImproperlyConfigured, match="lacks Vietnamese letters"):
        cert_fonts.certificate_fonts()


def test_the_default_font_covers_every_vietnamese_letter():
    from reportlab.pdfbase.ttfonts import TTFont

    for path in cert_fonts.default_files().values():
        face = TTFont("probe", str(path)).face
        assert all(ord(ch) in face.charToGlyph for ch in cert_fonts.VIETNAMESE_LETTERS)


def test_a_printed_line_names_the_unit_up_to_the_authority_and_a_head_absorbs_the_unit(cuc):
    from pdfminer.high_level import extract_text

    from awards.text import position_in_unit

    assert position_in_unit("Trưởng phòng", ["Phòng Khoa học quân sự", "Cục Quản lý công nghệ"]) == \
        "Trưởng phòng Khoa học quân sự, Cục Quản lý công nghệ"
    assert position_in_unit("Phó Trưởng ban", ["Ban Chính trị"]) == "Phó Trưởng ban Chính trị"
    assert position_in_unit("Giám đốc", ["Trung tâm Đo lường", "Cục Quản lý công nghệ"]) == \
        "Giám đốc, Trung tâm Đo lường, Cục Quản lý công nghệ"
    assert position_in_unit("Giám đốc Trung tâm", ["Trung tâm Đo lường"]) == "Giám đốc Trung tâm Đo lường"
    assert position_in_unit("Trợ lý", ["Phòng Kế hoạch", "Cục Quản lý công nghệ"]) == \
        "Trợ lý, Phòng Kế hoạch, Cục Quản lý công nghệ"
    science = factories.unit(parent=cuc["plan"], full_name="Ban Khoa học quân sự", short_name="BKHQS")
    cuc["authority"].unit = cuc["cuc"]
    cuc["authority"].save()
    person = factories.person(full_name="Nguyễn Văn Thành", rank=Rank.DAI_TA, position="Trưởng ban", unit_=science)
    award = one(RecipientRow(person=person, title=giay_khen()), authority=cuc["authority"])
    text = extract_text(io.BytesIO(render_pdf([selectors.certificate_data(award, base_url=BASE)])))
    assert "Trưởng ban Khoa học quân sự, Phòng Kế hoạch, Cục Quản lý công nghệ" in " ".join(text.split())
    assert "Tổng cục" not in text.split("TẶNG", 1)[1]  # the chain stops at the authority's own unit


def test_a_party_committees_decision_and_certificate_are_in_the_partys_format(cuc):
    from awards.choices import AuthorityKind
    from awards.services import RegistryError

    committee = factories.authority(name="Đảng ủy Cục Quản lý công nghệ", kind=AuthorityKind.PARTY,
                                    heading="ĐẢNG ỦY CỤC QUẢN LÝ CÔNG NGHỆ")
    person = factories.person(full_name="Nguyễn Văn Thành", rank=Rank.DAI_TA, position="Trợ lý", unit_=cuc["plan"])
    row = RecipientRow(person=person, title=giay_khen())
    with pytest.raises(RegistryError) as refused:
        one(row, authority=committee, number="128/QĐ-ĐU", signer_prefix=SigningPrefix.TM,
            signer_on_behalf_of="ĐẢNG ỦY", signer_title="BÍ THƯ")
    assert "128-QĐ/ĐU" in str(refused.value.field_errors or refused.value.message)
    award = one(row, authority=committee, number="128-QĐ/ĐU", signer_prefix=SigningPrefix.TM,
                signer_on_behalf_of="ĐẢNG ỦY", signer_title="BÍ THƯ")
    lines = printed_lines(award)
    assert lines[0] == "ĐẢNG CỘNG SẢN VIỆT NAM" and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in lines
    assert "Độc lập - Tự do - Hạnh phúc" not in lines
    assert "Quyết định số 128-QĐ/ĐU ngày 10 tháng 01 năm 2022" in lines
    assert "T/M ĐẢNG ỦY" in lines and "TM. ĐẢNG ỦY" not in lines
    # The state's own format stays the state's, and is not accepted the Party's way.
    with pytest.raises(RegistryError):
        one(row, authority=cuc["authority"], number="46-QĐ/QLCN")
