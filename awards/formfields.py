"""Form fields shared by the forms and the filters."""

from django import forms
from django.core.exceptions import ValidationError

from . import text


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
