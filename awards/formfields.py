"""Form fields shared by the forms and the filters."""

from django import forms
from django.core.exceptions import ValidationError

from . import text
from .models import Unit


class WholeNumberField(forms.IntegerField):
    """A whole number written in plain digits and within the database's 64-bit range: "1e3", "²",
    "1_000" or a number past 2^63 is the field's own error, never a server error."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = text.plain_int(str(value).strip(), low=-text.INT64_MAX - 1)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class KeysChoiceField(forms.ModelMultipleChoiceField):
    """Records chosen by their keys, each key a plain whole number within the database's range:
    anything else is the field's own error before the database is asked (SQLite refuses a
    number past 64 bits with an error of its own)."""

    def _check_values(self, value):
        for key in value or ():
            if text.plain_int(str(key)) is None:
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                      params={"pk": key})
        return super()._check_values(value)


UNIT_CHOICE_DEPTH = 2  # the select lists the upper levels; any unit may still be asked for by id


def unit_choices(empty_label, selected=None):
    """The choices of a unit select: the empty one, then (id, indented name) of the tree's upper
    levels and of the selected unit (an id as typed in the URL, or nothing) wherever it sits.
    A tree of thousands stays a select a person can use, and the page does not spend its time
    rendering thousands of options."""
    rows = Unit.objects.filter(depth__lte=UNIT_CHOICE_DEPTH)
    if (picked := text.plain_int(selected)) is not None:
        rows = rows | Unit.objects.filter(pk=picked)
    return [("", empty_label)] + [
        (pk, "\u2003" * depth + name) for pk, depth, name in rows.order_by("path").values_list("pk", "depth", "full_name")]
