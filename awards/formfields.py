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
