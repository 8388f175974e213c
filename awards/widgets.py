"""Widgets written in Python where Django's template rendering costs too much."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A select that writes its options itself: Django renders every option through a
    template include, which costs milliseconds per hundred options (a unit select on every
    list page has hundreds). The HTML is the same as Django's own (tested)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join("", '<option value="{}"{}>{}</option>', (
                (str(option["value"]), flatatt(option["attrs"]), option["label"]) for option in options))
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered)
                         if group_name else rendered)
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]),
                           mark_safe("".join(parts)))


class RadioChoices(forms.RadioSelect):
    """Radio buttons as Bootstrap draws them: a real circle beside each label, the chosen one checked."""

    template_name = "awards/widgets/radio.html"


def style_widgets(form):
    """Bootstrap's classes on every widget, so templates only lay fields out."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.HiddenInput, forms.CheckboxSelectMultiple)):
            continue  # (CheckboxSelectMultiple is a RadioSelect to Django: it must stay multiple)
        if isinstance(widget, forms.RadioSelect):
            widget.__class__ = RadioChoices
            widget.attrs["class"] = "form-check-input"
            continue
        if type(widget) is forms.Select:
            widget.__class__ = QuickSelect  # the same select, without a template include per option
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    return form
