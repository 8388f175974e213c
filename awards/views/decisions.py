"""Decisions: the list, recording one with its recipients, its page, its correction and scanned copy."""

import io

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView
from django.views.generic.detail import SingleObjectMixin
from django_filters.views import FilterView

from .. import selectors, services, text
from ..filters import DecisionFilter
from ..choices import DecisionKind
from ..forms import (
    DecisionEditForm,
    DecisionForm,
    RecipientFormSet,
    require_signer,
)
from ..models import Decision
from ..payments import payment_pdf as payments_pdf
from ..payments import payment_xlsx as payments_xlsx
from ..tables import DecisionAwardTable, DecisionTable, SingleTableMixin
from .base import (
    ObjectScopeMixin,
    PermissionRequiredMixin,
    SignedInView,
    VersionedEditView,
)


class DecisionListView(SignedInView, SingleTableMixin, FilterView):
    template_name = "awards/decision_list.html"
    filterset_class = DecisionFilter
    table_class = DecisionTable
    table_pagination = {"per_page": 50}  # the table paginates, not the list view (one count)

    def get_queryset(self):
        return selectors.decision_queryset()


class DecisionCreateView(PermissionRequiredMixin, TemplateView):
    """Record a decision with all its recipients: every row checked, all or nothing."""

    upload_limit_setting = "REGISTRY_SCAN_MAX_MB"  # the scanned copy (registry.middleware.RequestSizeLimitMiddleware)
    permission_required = "awards.add_decision"
    template_name = "awards/decision_form.html"

    def get_context_data(self, **kwargs):
        # The authorities above: their rows take the register number printed on the certificate.
        return super().get_context_data(outside_authorities=selectors.outside_authority_ids(), **kwargs)

    def get(self, request, *args, **kwargs):
        # A draft from the candidates page: ?rows=p:12&rows=p:15&title=3
        picked = [r for r in request.GET.getlist("rows") if r[:2] in ("p:", "u:")][:3000]
        title = request.GET.get("title", "")
        title = title if text.plain_int(title) is not None else ""
        initial = [{"recipient": r, "title": title or None} for r in picked]
        formset = RecipientFormSet(prefix="rows", initial=initial)
        kind = request.GET.get("kind", "")
        form = DecisionForm(initial={**({"title": title} if title else {}),
                                     **({"kind": kind} if kind in DecisionKind.values else {})} or None)
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def post(self, request, *args, **kwargs):
        form = DecisionForm(request.POST, request.FILES)
        formset = RecipientFormSet(request.POST, prefix="rows")
        if form.is_valid() and formset.is_valid() and require_signer(
                form, [form.cleaned_data.get("title")] + [f.cleaned_data.get("title") for f in formset.kept_forms()]):
            kept = formset.kept_forms()
            try:
                decision = services.decision_grant(
                    by=request.user, decision=form.instance, rows=[f.row() for f in kept],
                    justification=form.cleaned_data.get("justification", ""),
                )
            except services.RuleWarning as warning:
                form.add_error("justification", warning.message)
                for index, found in warning.row_warnings.items():
                    kept[index].rule_warnings = found
                return self.render_to_response(self.get_context_data(form=form, formset=formset, quota=warning.quota),
                                               status=400)
            except services.RegistryError as error:
                form.add_error(None, error.message)
                for index, problems in error.row_errors.items():
                    kept[index].add_error(None, problems)
            else:
                messages.success(request, _("Decision %(number)s was recorded with %(count)s recipients.")
                                 % {"number": decision.number, "count": len(kept)})
                return redirect(decision)
        return self.render_to_response(self.get_context_data(form=form, formset=formset), status=400)


class DecisionDetailView(SignedInView, SingleTableMixin, DetailView):
    template_name = "awards/decision_detail.html"
    queryset = Decision.objects.select_related("authority", "title", "created_by")
    table_class = DecisionAwardTable
    table_pagination = {"per_page": 100}

    def get_table_data(self):
        return selectors.decision_awards(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            history=selectors.audit_trail(self.object),
            can_edit=selectors.decision_editable(self.request.user, self.object),
            print_mode=selectors.blank_print_mode(selectors.decision_titles(self.object)),
            payments=selectors.payment_list(self.object), **kwargs,
        )


class DecisionPaymentListView(PermissionRequiredMixin, SingleObjectMixin, View):
    """The decision's payment list (danh sách chi thưởng) as XLSX or PDF."""

    permission_required = "awards.view_report"
    queryset = Decision.objects.select_related("authority")

    def get(self, request, *args, fmt, **kwargs):
        decision = self.get_object()
        payments = selectors.payment_list(decision)
        name = f"chi-thuong-quyet-dinh-{decision.pk}"
        if fmt == "xlsx":
            return FileResponse(payments_xlsx(payments), as_attachment=True, filename=f"{name}.xlsx",
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        if fmt == "pdf":
            return FileResponse(io.BytesIO(payments_pdf(payments)), as_attachment=True, filename=f"{name}.pdf",
                                content_type="application/pdf")
        raise Http404(_("No such format."))


class DecisionEditView(ObjectScopeMixin, VersionedEditView):
    upload_limit_setting = "REGISTRY_SCAN_MAX_MB"  # the scanned copy (registry.middleware.RequestSizeLimitMiddleware)
    permission_required = "awards.change_decision"
    template_name = "awards/decision_edit.html"
    model = Decision
    form_class = DecisionEditForm
    allowed = staticmethod(selectors.decision_editable)

    def save(self, form):
        services.decision_update(decision=self.object, by=self.request.user,
                                 expected_version=form.cleaned_data["version"], **form.changes())


class DecisionScanView(SignedInView, View):
    """The scanned decision, served through the app so that only signed-in people reach it."""

    def get(self, request, pk):
        decision = get_object_or_404(Decision, pk=pk)
        if not decision.scan:
            raise Http404
        return FileResponse(decision.scan.open("rb"), filename=decision.scan.name.rsplit("/", 1)[-1])


class RecipientSearchView(PermissionRequiredMixin, View):
    """Search-as-you-type for the decision page: people and units, accents ignored."""

    permission_required = "awards.add_decision"

    def get(self, request):
        return JsonResponse({"results": selectors.recipient_search(request.GET.get("q", ""), user=request.user)})
