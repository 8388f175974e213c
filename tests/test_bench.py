"""The load test's own checks: they must notice a lost write, or the benchmark proves nothing."""

import sys
from pathlib import Path

import pytest

from awards.models import Award
from awards.services import RecipientRow, award_correct
from tests import factories

pytestmark = pytest.mark.django_db
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
load = pytest.importorskip("load")


def test_form_parser_submits_what_a_browser_would():
    page = """<form method="get"><input name="q" value="x"></form>
    <form method="post" action="/a/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="version" value="3"><input type="checkbox" name="off"><input type="checkbox" name="on" checked>
      <select name="rank"><option value="">—</option><option value="dai_uy" selected>Đại úy</option></select>
      <select name="title"><option value="7">Giấy khen</option><option value="8">Bằng khen</option></select>
      <textarea name="achievement">Hoàn thành &amp; xuất sắc</textarea><input type="submit" name="go"></form>"""
    assert load.form_with(page, "version") == {
        "csrfmiddlewaretoken": "t", "version": "3", "on": "on", "rank": "dai_uy", "title": "7",
        "achievement": "Hoàn thành & xuất sắc"}


def test_verify_finds_acknowledged_writes_and_notices_lost_ones():
    authority = factories.authority(name="Thủ trưởng Tổng cục")
    title = factories.title(name="Giấy khen")
    unit = factories.unit(full_name="Phòng Kế hoạch")
    people = [factories.person(full_name=f"Nguyễn Văn Thử {i}", unit_=unit) for i in range(3)]
    plan = {"authority": authority.pk}
    written = factories.grant(rows=[RecipientRow(person=p, title=title) for p in people[:2]],
                              authority_=authority, year=load.WRITE_YEAR, number="T00-00002/QĐ-TẢI")
    award = Award.objects.get(pk=written[0].pk)
    award_correct(award=award, by=None, expected_version=award.version, achievement="Thử tải 00-a")

    tally = load.Tally()
    tally.decisions["T00-00002/QĐ-TẢI"] = sorted(p.pk for p in people[:2])
    tally.corrections.append((award.pk, "Thử tải 00-a"))
    found, register_ok, problems = load.verify(plan, tally)
    assert (found, register_ok, problems) == (2, True, [])

    lost = load.Tally()  # acknowledged, never written: a decision, a correction
    lost.decisions.update(tally.decisions)
    lost.decisions["T01-00001/QĐ-TẢI"] = [people[2].pk]
    lost.corrections.extend(tally.corrections + [(award.pk, "Thử tải 01-b")])
    found, register_ok, problems = load.verify(plan, lost)
    assert found == 2 and not register_ok and len(problems) == 3
