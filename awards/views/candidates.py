"""Eligibility: the candidates page and its export."""

from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from .. import exports, rules, selectors
from ..choices import DecisionKind
from ..forms import (
    YearReportForm,
)
from .base import PermissionRequiredMixin
from .reports import own_unit_param


class CandidatesMixin(PermissionRequiredMixin):
    permission_required = "awards.view_report"

    def kind(self):
        """The kind of commendation the list is for: annual by default, length of service for the medals."""
        kind = self.request.GET.get("kind", "")
        return kind if kind in DecisionKind.values else DecisionKind.ANNUAL

    def candidates(self):
        year = self.request.GET.get("year") or selectors.latest_year(today=timezone.localdate())
        form = YearReportForm({"year_from": year, "year_to": year,
                               "unit": self.request.GET.get("unit", own_unit_param(self.request.user))})
        if not form.is_valid():
            return form, None, None, []
        unit, year = form.cleaned_data["unit"], form.cleaned_data["year_from"]
        found = rules.candidates(unit=unit, year=year, kind=self.kind())
        # Quotas limit the year's emulation titles: the annual list only.
        annual = self.kind() == DecisionKind.ANNUAL
        quotas = rules.quota_checks(unit=unit, year=year) if unit is not None and annual else []
        return form, year, found, quotas


class CandidatesView(CandidatesMixin, TemplateView):
    """Who meets every rule for a higher honour and does not hold it yet, with the evidence."""

    template_name = "awards/candidates.html"

    def get_context_data(self, **kwargs):
        form, year, found, quotas = self.candidates()
        listed = rules.preselect(found, quotas) if found is not None else None
        return super().get_context_data(form=form, year=year, found=found, listed=listed, quotas=quotas,
                                        kind=self.kind(), kinds=DecisionKind.choices, **kwargs)


class CandidatesExportView(CandidatesMixin, View):
    def get(self, request):
        form, year, found, _quotas = self.candidates()
        if found is None:
            raise Http404
        caption = _("Candidates for higher honours, %(year)s: %(unit)s") % {
            "year": year, "unit": form.cleaned_data["unit"].full_name if form.cleaned_data["unit"] else _("Whole registry")}
        handle = exports.xlsx_file(exports.candidate_header(), exports.candidate_rows(found),
                                   sheet_title=_("Candidates"), caption=caption)
        return FileResponse(handle, as_attachment=True, filename=f"de-xuat-khen-thuong-{year}.xlsx",
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
