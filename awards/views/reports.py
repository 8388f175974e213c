"""The year report and its exports."""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views import View
from django.views.generic import TemplateView

from .. import reports, selectors
from ..forms import (
    YearReportForm,
)
from .base import PermissionRequiredMixin


def own_unit_param(user):
    """The unit a report or list starts from: the officer's own units, else the whole registry."""
    scope = selectors.user_scope(user)
    return str(scope.pk) if scope is not None and scope.pk else ""


class YearReportMixin(PermissionRequiredMixin):
    permission_required = "awards.view_report"

    def report_form(self):
        data = self.request.GET.copy()
        data.setdefault("year_from", str(selectors.latest_year(today=timezone.localdate())))
        data.setdefault("year_to", data["year_from"])
        if "unit" not in self.request.GET:
            data["unit"] = own_unit_param(self.request.user)
        return YearReportForm(data)

    def report(self, form):
        data = form.cleaned_data
        return selectors.year_report(unit=data["unit"], first=data["year_from"], last=data["year_to"])


class YearReportView(YearReportMixin, TemplateView):
    """Báo cáo tổng hợp khen thưởng: counts by title and authority, chart, exports."""

    template_name = "awards/year_report.html"

    def get_context_data(self, **kwargs):
        form = self.report_form()
        report = self.report(form) if form.is_valid() else None
        return super().get_context_data(
            form=form, report=report, chart=mark_safe(reports.chart_svg(report)) if report else "", **kwargs,
        )


class YearReportExportView(YearReportMixin, View):
    def get(self, request, fmt):
        form = self.report_form()
        if fmt not in ("xlsx", "pdf") or not form.is_valid():
            raise Http404
        report = self.report(form)
        name = f"bao-cao-khen-thuong-{report.period}.{fmt}"
        if fmt == "xlsx":
            body = reports.report_xlsx(report)
            kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            body, kind = reports.report_pdf(report), "application/pdf"
        response = HttpResponse(body, content_type=kind)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
