"""A decision's payment list (danh sách chi thưởng): each award in force with its prize, the
total in figures and in words, as XLSX and PDF. Built from prepared rows; no queries here."""

import io
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from . import exports
from .text import amount_words, date_words


@dataclass
class PaymentRow:
    seq: int
    recipient: str
    unit: str
    title: str
    coefficient: Decimal | None
    base_salary: int | None
    amount: int | None        # None: no coefficient in force for it on the decision's date


@dataclass
class PaymentList:
    number: str
    date: object
    authority: str
    rows: list = field(default_factory=list)

    @property
    def total(self):
        return sum(r.amount for r in self.rows if r.amount is not None)

    @property
    def unpriced(self):
        return [r for r in self.rows if r.amount is None]

    @property
    def total_words(self):
        return amount_words(self.total)

    @property
    def caption(self):
        return (f"Danh sách chi thưởng kèm theo Quyết định số {self.number} {date_words(self.date)} "
                f"của {self.authority}")


def money(value):
    """Đồng written with dots between thousands: 2.340.000."""
    return f"{value:,}".replace(",", ".") if value is not None else ""


def coefficient_text(value):
    """A coefficient as Vietnamese writes it: 0,3; 3,5; 12 ("—" when there is none)."""
    return format(value.normalize(), "f").replace(".", ",") if value is not None else "—"


def _header():
    return [_("No."), _("Recipient"), _("Unit"), _("Title or form"), _("Coefficient"), _("Base salary"),
            _("Amount (đồng)"), _("Signature")]


def payment_xlsx(payments):
    """The list as an XLSX file (an open temporary file): amounts as numbers, then the total and
    the total in words."""
    rows = [[r.seq, r.recipient, r.unit, r.title, float(r.coefficient) if r.coefficient is not None else None,
             r.base_salary, r.amount, ""] for r in payments.rows]
    rows.append(["", _("Total"), "", "", None, None, payments.total, ""])
    rows.append(["", _("In words: %(words)s") % {"words": payments.total_words}, "", "", None, None, None, ""])
    return exports.xlsx_file(_header(), rows, sheet_title=_("Payment list"), caption=payments.caption)


def payment_pdf(payments):
    """The list as an A4 PDF, ready to sign: heading, table with a signature column, total, words."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from .certificates.fonts import certificate_fonts

    fonts = certificate_fonts()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=12 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=payments.caption)
    heading = ParagraphStyle("h", fontName=fonts.bold, fontSize=14, leading=18, alignment=1)
    plain = ParagraphStyle("p", fontName=fonts.italic, fontSize=10.5, leading=13, alignment=1)
    cell = ParagraphStyle("c", fontName=fonts.regular, fontSize=9.5, leading=11.5)
    words = ParagraphStyle("w", fontName=fonts.italic, fontSize=10.5, leading=13)
    story = [Paragraph(escape(_("PAYMENT LIST")), heading), Paragraph(escape(payments.caption), plain), Spacer(1, 5 * mm)]
    head = ParagraphStyle("t", fontName=fonts.bold, fontSize=8.5, leading=10)
    data = [[Paragraph(escape(h), head) for h in _header()]]
    for r in payments.rows:
        data.append([r.seq, Paragraph(escape(r.recipient), cell), Paragraph(escape(r.unit), cell),
                     Paragraph(escape(r.title), cell), coefficient_text(r.coefficient),
                     money(r.base_salary), money(r.amount) if r.amount is not None else "—", ""])
    data.append(["", _("Total"), "", "", "", "", money(payments.total), ""])
    table = Table(data, colWidths=[10 * mm, 40 * mm, 32 * mm, 26 * mm, 13 * mm, 19 * mm, 22 * mm, 21 * mm],
                  repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), fonts.regular, 9.5),
        ("FONT", (0, 0), (-1, 0), fonts.bold, 8.5),
        ("FONT", (0, -1), (-1, -1), fonts.bold, 9.5),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("ALIGN", (4, 1), (6, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story += [table, Spacer(1, 4 * mm),
              Paragraph(escape(_("In words: %(words)s") % {"words": payments.total_words}), words)]
    if payments.unpriced:
        story.append(Paragraph(escape(_("%(count)s awards have no prize coefficient in force on the decision's date "
                                        "and are not counted.") % {"count": len(payments.unpriced)}), words))
    doc.build(story)
    return out.getvalue()
