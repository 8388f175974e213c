"""Template filters of the registry's own."""

from django import template

from ..payments import coefficient_text
from ..payments import money as money_text

register = template.Library()


@register.filter
def money(value):
    """Đồng with dots between thousands, as Vietnamese documents write them: 2.340.000."""
    return money_text(value) if value is not None else "—"


@register.filter
def coefficient(value):
    """A prize coefficient as Vietnamese writes it: 0,3."""
    return coefficient_text(value)
