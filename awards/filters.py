"""The honours list's and the decision list's filters; their state lives in the URL."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from . import text
from .formfields import WholeNumberField, unit_choices
from .widgets import style_widgets
from .choices import AwardStatus, RecipientKind
from .models import Authority, Award, Decision, Title, Unit


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = WholeNumberField


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return "\u2003" * unit.depth + unit.full_name


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


def _decision_number(queryset, name, value):
    number = Decision.normalize_number(value)
    return queryset.filter(**{f"{name}__istartswith": number}) if number else queryset


class StyledFilterSet(django_filters.FilterSet):
    @property
    def form(self):
        if not hasattr(self, "_form"):
            style_widgets(super().form)
            if "unit" in self._form.fields:
                self._form.fields["unit"].widget.choices = unit_choices(_("All"), (self.data or {}).get("unit"))
        return self._form


class AwardFilter(StyledFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("Name of a person or unit"), "type": "search"}),
    )
    year_min = WholeNumberFilter(field_name="year", lookup_expr="gte", label=_("From year"))
    year_max = WholeNumberFilter(field_name="year", lookup_expr="lte", label=_("To year"))
    title = django_filters.ModelChoiceFilter(queryset=Title.objects.all(), label=_("Title or form"), empty_label=_("All"))
    authority = django_filters.ModelChoiceFilter(queryset=Authority.objects.all(), label=_("Authority"), empty_label=_("All"))
    unit = UnitFilter(
        queryset=Unit.objects.order_by("path"), method="filter_unit", label=_("Unit (with everything under it)"),
        empty_label=_("All"),
    )
    kind = django_filters.ChoiceFilter(choices=RecipientKind.choices, method="filter_kind", label=_("Individual or collective"),
        empty_label=_("All"))
    status = django_filters.ChoiceFilter(choices=AwardStatus.choices, label=_("Status"), empty_label=_("All"))
    decision = django_filters.CharFilter(
        field_name="decision__number", method="filter_decision", label=_("Decision number"),
    )

    class Meta:
        model = Award
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.search(value) if text.fold(value) else queryset

    def describe(self):
        """The filters in force, as a person would say them: ["Năm từ: 2020", "Đơn vị …: Phòng …"]."""
        if not self.is_bound or not self.is_valid():
            return []
        said = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, ""):
                continue
            field = self.form.fields[name]
            if hasattr(value, "pk"):  # a unit, title or authority
                shown = getattr(value, "full_name", None) or str(value)
            elif isinstance(field, forms.ChoiceField):
                shown = dict(field.choices).get(value, value)
            else:
                shown = value
            said.append(f"{field.label}: {shown}")
        return said

    def filter_unit(self, queryset, name, value):
        return queryset.within(value)

    def filter_kind(self, queryset, name, value):
        return queryset.filter(person__isnull=value == RecipientKind.COLLECTIVE)

    def filter_decision(self, queryset, name, value):
        return _decision_number(queryset, name, value)


class DecisionFilter(StyledFilterSet):
    number = django_filters.CharFilter(field_name="number", method="filter_number", label=_("Decision number"))
    year = WholeNumberFilter(field_name="achievement_year", label=_("Year of achievement"))
    authority = django_filters.ModelChoiceFilter(queryset=Authority.objects.all(), label=_("Authority"), empty_label=_("All"))

    class Meta:
        model = Decision
        fields = []

    def filter_number(self, queryset, name, value):
        return _decision_number(queryset, name, value)
