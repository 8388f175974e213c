"""Prize money: coefficients and base salaries by date, each award's amount, a decision's payment
list (XLSX, PDF) and the year report's money column (issue 16)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pdfminer.high_level import extract_text

from awards import money, roles, selectors
from awards.choices import AuthorityLevel, RecipientKind, Rank, TitleCategory, TitleFor
from awards.models import BaseSalary, PrizeCoefficient, Title
from awards.services import RecipientRow
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced():
    top = factories.unit(full_name="Cục Quản lý công nghệ")
    office = factories.unit(parent=top, full_name="Phòng Kế hoạch")
    here = factories.authority(name="Cục trưởng Cục Quản lý công nghệ", unit=top, level=AuthorityLevel.DEPARTMENT)
    gk = factories.title(name="Giấy khen", certificate_name="GIẤY KHEN", recipient_for=TitleFor.BOTH)
    cstt = factories.title(name="Chiến sĩ tiên tiến", category=TitleCategory.EMULATION_TITLE,
                           recipient_for=TitleFor.INDIVIDUAL, certificate_name="CHIẾN SĨ TIÊN TIẾN")
    money.seed(BaseSalary, PrizeCoefficient, Title)
    people = [factories.person(full_name=f"Nguyễn Văn {n}", rank=Rank.DAI_UY, unit_=office) for n in ("An", "Bình")]
    signed = {"signer_name": "Vũ Thanh Bình", "signer_title": "CỤC TRƯỞNG"}
    # Decided on 10 January 2025: base salary 2,340,000 (Decree 73/2024), Decree 98/2023 rounds up.
    awards = factories.grant(authority_=here, number="5/QĐ-QLCN", date=datetime.date(2025, 1, 10), year=2024,
                             rows=[RecipientRow(person=people[0], title=gk), RecipientRow(person=people[1], title=gk),
                                   RecipientRow(unit=office, title=gk)], **signed)
    return {"here": here, "gk": gk, "cstt": cstt, "people": people, "office": office, "awards": awards,
            "signed": signed}


def test_each_award_is_priced_on_its_decisions_date_by_recipient_kind(priced):
    table = selectors.prize_table()
    individual, _second, collective = priced["awards"]
    prize = table.prize(individual)
    # 0.3 × 2,340,000 = 702,000 (Giấy khen: Decree 91/2017 Art. 73; no later row for it).
    assert (prize.coefficient, prize.base_salary, prize.amount) == (Decimal("0.3"), 2_340_000, 702_000)
    assert table.prize(collective).amount == 1_404_000
    # A Chiến sĩ tiên tiến under Decree 98/2023 is rounded up to the ten thousand: 702,000 → 710,000.
    cstt = factories.grant(authority_=priced["here"], number="6/QĐ-QLCN", date=datetime.date(2025, 1, 10), year=2024,
                           rows=[RecipientRow(person=priced["people"][0], title=priced["cstt"])], **priced["signed"])[0]
    assert table.prize(cstt).amount == 710_000
    # Decided in 2022, under Decree 91/2017 and a base salary of 1,490,000: 447,000, not rounded.
    old = factories.grant(authority_=priced["here"], number="7/QĐ-QLCN", date=datetime.date(2022, 1, 10), year=2021,
                          rows=[RecipientRow(person=priced["people"][0], title=priced["cstt"])], **priced["signed"])[0]
    assert table.prize(old).amount == 447_000


def test_a_coefficient_dated_next_year_leaves_this_years_amounts_unchanged(priced):
    before = [selectors.award_prize(a).amount for a in priced["awards"]]
    PrizeCoefficient.objects.create(title=priced["gk"], recipient_kind=RecipientKind.INDIVIDUAL, coefficient=Decimal("0.5"),
                                    effective_from=datetime.date(2026, 1, 1), round_up_to=10_000,
                                    citation="Nghị định giả định, Điều 1")
    BaseSalary.objects.create(amount=3_000_000, effective_from=datetime.date(2026, 7, 1), citation="Nghị định giả định")
    assert [selectors.award_prize(a).amount for a in priced["awards"]] == before
    later = factories.grant(authority_=priced["here"], number="8/QĐ-QLCN", date=datetime.date(2026, 8, 1), year=2026,
                            rows=[RecipientRow(person=priced["people"][0], title=priced["gk"])], **priced["signed"])[0]
    assert selectors.award_prize(later).amount == 1_500_000


def test_a_bang_khen_is_priced_by_the_level_that_grants_it(priced):
    bk = factories.title(name="Bằng khen", certificate_name="BẰNG KHEN", recipient_for=TitleFor.BOTH)
    money.seed(BaseSalary, PrizeCoefficient, Title)
    pm = factories.authority(name="Thủ tướng Chính phủ", level=AuthorityLevel.GOVERNMENT, keeps_book=False)
    award = factories.grant(authority_=pm, number="9/QĐ-TTg", date=datetime.date(2022, 1, 10), year=2021,
                            signer_name="Nguyễn Minh Tâm", signer_title="THỦ TƯỚNG",
                            rows=[RecipientRow(person=priced["people"][0], title=bk)])[0]
    assert selectors.award_prize(award).amount == 5_215_000  # 3.5 × 1,490,000
    # A Bằng khen of the department's own head has no coefficient in the decrees seeded here.
    own = factories.grant(authority_=priced["here"], number="10/QĐ-QLCN", date=datetime.date(2022, 1, 10), year=2021,
                          rows=[RecipientRow(person=priced["people"][0], title=bk)], **priced["signed"])[0]
    assert selectors.award_prize(own) is None


def test_the_payment_list_totals_its_awards_in_figures_and_words(client, priced):
    decision = priced["awards"][0].decision
    payments = selectors.payment_list(decision)
    assert [r.amount for r in payments.rows] == [702_000, 702_000, 1_404_000]
    assert payments.total == sum(selectors.award_prize(a).amount for a in priced["awards"]) == 2_808_000
    assert payments.total_words == "Hai triệu tám trăm linh tám nghìn đồng"
    officer = factories.user(role=roles.OFFICER, scope=priced["office"].parent)
    client.force_login(officer)
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "2.808.000 đồng" in page[page.index('id="prize-total"'):][:200]
    xlsx = client.get(reverse("awards:decision-payments", args=[decision.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    amounts = [row[6] for row in values[2:5]]
    assert amounts == [702_000, 702_000, 1_404_000] and values[5][6] == 2_808_000
    assert "Hai triệu tám trăm linh tám nghìn đồng" in values[6][1]
    pdf = client.get(reverse("awards:decision-payments", args=[decision.pk, "pdf"]))
    text = extract_text(io.BytesIO(b"".join(pdf.streaming_content)))
    assert "DANH SÁCH CHI THƯỞNG" in text and "2.808.000" in text and "Hai triệu tám trăm linh tám nghìn đồng" in text
    # A revoked award is not paid.
    from awards import services

    services.award_revoke(award=priced["awards"][2], by=None, number="11/QĐ-QLCN", date=datetime.date(2025, 2, 1),
                          reason="Sai đối tượng")
    assert selectors.payment_list(decision).total == 1_404_000
    # Staff do not open payment lists.
    client.force_login(factories.user(role=roles.STAFF))
    assert client.get(reverse("awards:decision-payments", args=[decision.pk, "pdf"])).status_code == 403


def test_the_award_page_and_the_year_report_show_the_money(client, priced):
    officer = factories.user(role=roles.OFFICER, scope=priced["office"].parent)
    client.force_login(officer)
    page = client.get(priced["awards"][0].get_absolute_url()).content.decode()
    assert "702.000 đồng" in page[page.index('id="prize"'):][:300]
    report = selectors.year_report(unit=None, first=2024, last=2024)
    assert report.total.money == 2_808_000
    page = client.get(reverse("awards:year-report"), {"first": 2024, "last": 2024}).content.decode()
    assert "2.808.000" in page[page.index('id="report-money"'):][:100]
