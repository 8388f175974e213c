"""Printing onto pre-printed blanks, in the browser: the back office's layout editor redraws its
preview as the administrator types; the organiser reads the layout page, saves a printer offset
and prints a Giấy khen onto a blank and on plain paper (issue 15)."""

import io
import subprocess

import pytest
from pdfminer.high_level import extract_text

from awards import roles
from awards.choices import TitleFor
from awards.models import Profile
from tests import factories
from tests.e2e.test_daily_use import shots
from tests.test_blanks import make_blank_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _world():
    world = make_blank_world()
    return world["award"], world["layout"]


def _png(pdf, path):
    """The PDF's first page as a PNG to look at (poppler's pdftoppm, where it is installed)."""
    pdf_path = path.with_suffix(".pdf")
    pdf_path.write_bytes(pdf)
    try:
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf_path), str(path.with_suffix(""))],
                       check=True, capture_output=True)
    except (FileNotFoundError, subprocess.CalledProcessError):
        pass


def test_the_layout_editor_redraws_as_the_administrator_types(page, tmp_path):
    _award, layout = _world()
    factories.user(username="quantri", role=roles.ADMINISTRATOR, is_staff=True)
    page.sign_in("quantri")
    page.goto(page.base_url + f"/admin/awards/certificatelayout/{layout.pk}/change/")
    box = page.locator("#layout-preview g[data-field='recipient'] rect").first
    page.wait_for_function("document.querySelectorAll('#layout-preview g.layout-box').length === 11")
    before = float(box.get_attribute("y"))
    row = layout.fields.order_by("y_mm", "x_mm").values_list("field", flat=True)
    index = list(row).index("recipient")
    page.fill(f"input[name='fields-{index}-y_mm']", "70")
    page.wait_for_function("document.querySelector(\"#layout-preview g[data-field='recipient'] rect\")"
                           ".getAttribute('y') === '70'")
    assert before != 70.0
    page.screenshot(path=str(shots(tmp_path) / "layout-editor.png"), full_page=True)
    # Saved, the new place is the layout's.
    page.click("input[name='_continue']")
    page.wait_for_selector(".messagelist .success, ul.messagelist li")
    assert float(layout.fields.get(field="recipient").y_mm) == 70.0


def test_the_organiser_sets_the_offset_and_prints_onto_a_blank_and_on_plain_paper(page, tmp_path):
    award, layout = _world()
    factories.user(username="tochuc", role=roles.ORGANISER)
    folder = shots(tmp_path)
    page.sign_in("tochuc")
    page.goto(page.base_url + layout.get_absolute_url())
    page.wait_for_function("document.querySelectorAll('#layout-preview g.layout-box').length === 11")
    page.screenshot(path=str(folder / "layout-page.png"), full_page=True)
    page.fill("#id_x_mm", "1.5")
    page.fill("#id_y_mm", "-0.5")
    page.click("#offset-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    profile = Profile.objects.get(user__username="tochuc")
    assert (float(profile.print_offset_x_mm), float(profile.print_offset_y_mm)) == (1.5, -0.5)
    with page.expect_download() as sheet:
        page.click("#alignment-sheet")
    _png(open(sheet.value.path(), "rb").read(), folder / "alignment-sheet.png")
    # The award: onto the blank (the default here: its title has a layout), then in full.
    page.goto(page.base_url + award.get_absolute_url())
    assert page.locator("select[name=mode]").input_value() == "blank"
    with page.expect_download() as blank:
        page.click("#print-certificate")
    assert blank.value.suggested_filename.endswith("-phoi.pdf")
    blank_pdf = open(blank.value.path(), "rb").read()
    assert "Nguyễn Văn Thành" in extract_text(io.BytesIO(blank_pdf))
    assert "CỘNG HÒA" not in extract_text(io.BytesIO(blank_pdf))
    _png(blank_pdf, folder / "giay-khen-onto-blank.png")
    page.select_option("select[name=mode]", "full")
    with page.expect_download() as full:
        page.click("#print-certificate")
    full_pdf = open(full.value.path(), "rb").read()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in extract_text(io.BytesIO(full_pdf))
    _png(full_pdf, folder / "giay-khen-plain-paper.png")


def test_the_register_number_field_shows_only_for_an_authority_above(page):
    from awards.choices import AuthorityLevel

    top = factories.unit(full_name="Cục Quản lý công nghệ", short_name="Cục QLCN")
    factories.person(full_name="Nguyễn Văn Thành", unit_=top)
    here = factories.authority(name="Cục trưởng Cục Quản lý công nghệ", unit=top)
    pm = factories.authority(name="Thủ tướng Chính phủ", level=AuthorityLevel.GOVERNMENT, keeps_book=False)
    factories.title(name="Bằng khen", certificate_name="BẰNG KHEN", recipient_for=TitleFor.BOTH)
    factories.user(username="canbo", role=roles.OFFICER, scope=top)
    page.sign_in("canbo")
    page.goto(page.base_url + "/decisions/new/")
    page.fill("#recipient-search", "nguyen van thanh")
    page.click(".recipient-option >> nth=0")
    number = page.locator("#rows input[name$='-register_number']")
    page.select_option("#id_authority", str(here.pk))
    assert not number.is_visible()
    page.select_option("#id_authority", str(pm.pk))
    assert number.is_visible()
