"""Prize money (tiền thưởng): a coefficient set by the decree in force times the base salary in
force on the decision's date, rounded as that decree says. The decrees' tables, to seed from."""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from .choices import AuthorityLevel, RecipientKind
from .text import fold

I, C = RecipientKind.INDIVIDUAL, RecipientKind.COLLECTIVE

# The base salary (lương cơ sở), from each date, with the decree that set it.
BASE_SALARIES = [
    (datetime.date(2018, 7, 1), 1_390_000, "Nghị định 72/2018/NĐ-CP"),
    (datetime.date(2019, 7, 1), 1_490_000, "Nghị định 38/2019/NĐ-CP"),
    (datetime.date(2023, 7, 1), 1_800_000, "Nghị định 24/2023/NĐ-CP"),
    (datetime.date(2024, 7, 1), 2_340_000, "Nghị định 73/2024/NĐ-CP"),
]

D91 = datetime.date(2017, 10, 1)   # Nghị định 91/2017/NĐ-CP: no rounding
D98 = datetime.date(2024, 1, 1)    # Nghị định 98/2023/NĐ-CP: rounded up to the ten thousand đồng
D152 = datetime.date(2025, 7, 1)   # Nghị định 152/2025/NĐ-CP
N91, N98, N152 = "Nghị định 91/2017/NĐ-CP", "Nghị định 98/2023/NĐ-CP", "Nghị định 152/2025/NĐ-CP"

# (titles by accent-folded name, granted at level or None for any, recipient, coefficient,
#  in force from, rounded up to, legal basis). Only what the decrees' texts confirm.
COEFFICIENTS = [
    # Emulation titles: the same coefficients in all three decrees.
    (("chien si thi dua toan quoc",), None, I, "4.5", D91, 1, f"{N91}, Điều 69"),
    (("chien si thi dua toan quan", "chien si thi dua cap bo"), None, I, "3.0", D91, 1, f"{N91}, Điều 69"),
    (("chien si thi dua co so",), None, I, "1.0", D91, 1, f"{N91}, Điều 69"),
    (("chien si tien tien", "lao dong tien tien"), None, I, "0.3", D91, 1, f"{N91}, Điều 69"),
    (("don vi quyet thang", "tap the lao dong xuat sac"), None, C, "1.5", D91, 1, f"{N91}, Điều 69"),
    (("don vi tien tien", "tap the lao dong tien tien"), None, C, "0.8", D91, 1, f"{N91}, Điều 69"),
    (("chien si thi dua toan quoc",), None, I, "4.5", D98, 10_000, f"{N98}, Điều 54"),
    (("chien si thi dua toan quan", "chien si thi dua cap bo"), None, I, "3.0", D98, 10_000, f"{N98}, Điều 54"),
    (("chien si thi dua co so",), None, I, "1.0", D98, 10_000, f"{N98}, Điều 54"),
    (("chien si tien tien", "lao dong tien tien"), None, I, "0.3", D98, 10_000, f"{N98}, Điều 54"),
    (("don vi quyet thang", "tap the lao dong xuat sac"), None, C, "1.5", D98, 10_000, f"{N98}, Điều 54"),
    (("don vi tien tien", "tap the lao dong tien tien"), None, C, "0.8", D98, 10_000, f"{N98}, Điều 54"),
    # Flags, by the level that awards them.
    (("co thi dua",), AuthorityLevel.GOVERNMENT, C, "12.0", D91, 1, f"{N91}, Điều 69"),
    (("co thi dua",), AuthorityLevel.MINISTRY, C, "8.0", D91, 1, f"{N91}, Điều 69"),
    (("co thi dua",), AuthorityLevel.GOVERNMENT, C, "12.0", D98, 10_000, f"{N98}, Điều 54"),
    (("co thi dua",), AuthorityLevel.MINISTRY, C, "8.0", D98, 10_000, f"{N98}, Điều 54"),
    (("co thi dua",), AuthorityLevel.GENERAL_DEPARTMENT, C, "6.0", D98, 10_000, f"{N98}, Điều 54"),
    # Forms of commendation: a collective twice an individual (Điều 73).
    (("bang khen",), AuthorityLevel.GOVERNMENT, I, "3.5", D91, 1, f"{N91}, Điều 73"),
    (("bang khen",), AuthorityLevel.GOVERNMENT, C, "7.0", D91, 1, f"{N91}, Điều 73"),
    (("bang khen",), AuthorityLevel.MINISTRY, I, "1.0", D91, 1, f"{N91}, Điều 73"),
    (("bang khen",), AuthorityLevel.MINISTRY, C, "2.0", D91, 1, f"{N91}, Điều 73"),
    (("giay khen",), None, I, "0.3", D91, 1, f"{N91}, Điều 73"),
    (("giay khen",), None, C, "0.6", D91, 1, f"{N91}, Điều 73"),
    (("bang khen",), AuthorityLevel.GOVERNMENT, I, "3.5", D152, 10_000, f"{N152}, Điều 54"),
    (("bang khen",), AuthorityLevel.MINISTRY, I, "1.5", D152, 10_000, f"{N152}, Điều 54"),
]


def seed(base_salary_model, coefficient_model, title_model):
    """Create the rows above that are missing, for the titles this registry has (by name);
    returns how many were new. Takes the models, so a migration can pass its own."""
    created = 0
    for since, amount, citation in BASE_SALARIES:
        _row, new = base_salary_model.objects.get_or_create(
            effective_from=since, defaults={"amount": amount, "citation": citation})
        created += new
    titles = {}
    for title in title_model.objects.all():
        titles.setdefault(fold(title.name), title)
    for names, level, kind, coefficient, since, round_to, citation in COEFFICIENTS:
        for name in names:
            title = titles.get(name)
            if title is None:
                continue
            _row, new = coefficient_model.objects.get_or_create(
                title=title, authority_level=level, recipient_kind=kind, effective_from=since,
                defaults={"coefficient": Decimal(coefficient), "round_up_to": round_to, "citation": citation})
            created += new
    return created


@dataclass(frozen=True)
class Prize:
    """One award's prize: the coefficient and base salary in force on its decision's date."""

    coefficient: Decimal
    base_salary: int
    amount: int
    citation: str


class PrizeTable:
    """Every base salary and coefficient, read once; amounts computed without further queries."""

    def __init__(self, salaries, coefficients):
        self.salaries = sorted(salaries, key=lambda s: s.effective_from, reverse=True)
        self.coefficients = sorted(coefficients, key=lambda c: c.effective_from, reverse=True)

    def base_salary(self, on):
        return next((s for s in self.salaries if s.effective_from <= on), None)

    def coefficient(self, *, title_id, level, kind, on):
        """The row in force on that date: one for the granting level first, else one for any level."""
        rows = [c for c in self.coefficients if c.title_id == title_id and c.recipient_kind == kind
                and c.effective_from <= on and c.authority_level in (level, None)]
        return next((c for c in rows if c.authority_level == level), None) or next(iter(rows), None)

    def prize(self, award):
        """The award's Prize, or None when no coefficient or base salary was in force then."""
        return self.price(title_id=award.title_id, level=award.authority.level, kind=award.recipient_kind,
                          on=award.decision.date)

    def price(self, *, title_id, level, kind, on):
        """The Prize of such an award decided on that date, or None."""
        row = self.coefficient(title_id=title_id, level=level, kind=kind, on=on)
        salary = self.base_salary(on)
        if row is None or salary is None:
            return None
        exact = row.coefficient * salary.amount
        amount = int(math.ceil(exact / row.round_up_to)) * row.round_up_to
        return Prize(coefficient=row.coefficient, base_salary=salary.amount, amount=amount,
                     citation=f"{row.citation}; {salary.citation}")
