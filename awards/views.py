"""The registry's pages. Thin: permissions, a selector or a service, a template."""

import hashlib
import io
import json
import tempfile

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.contrib.auth import views as auth_views
from django.contrib.auth import mixins
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin
from django_filters.views import FilterView
from django_ratelimit.core import is_ratelimited

from . import exports, imports, reports, roles, rules, selectors, services
from .certificates import CertificateRenderer, render_pdf
from .certificates.blanks import SAMPLE_TEXTS
from .choices import CorrectionStatus, PrintKind, PrintMode
from .filters import AwardFilter, DecisionFilter
from .forms import (
    require_signer,
    AwardCorrectForm,
    CeremonyAddForm,
    CeremonyEditForm,
    CeremonyForm,
    CeremonyMoveForm,
    CorrectionAnswerForm,
    CorrectionRequestForm,
    DecisionImportForm,
    DecisionEditForm,
    DecisionForm,
    PrinterOffsetForm,
    RecipientFormSet,
    RevokeForm,
    RosterImportForm,
    YearReportForm,
    style_widgets,
)
from .models import Award, CertificateLayout, Ceremony, CorrectionRequest, Decision, Person, Unit
from .tables import AwardTable, DecisionAwardTable, DecisionTable, SingleTableMixin, page_size, paginate_nearest


class PermissionRequiredMixin(mixins.PermissionRequiredMixin):
    """Django's, with a refusal that says which roles may open the page (the 403 page shows it)."""

    def get_permission_denied_message(self):
        names = roles.roles_holding(self.get_permission_required())
        return _("This page is for: %(roles)s. Your account does not have that role; ask an administrator "
                 "if your work needs it.") % {"roles": ", ".join(names)}


class SignedInView(LoginRequiredMixin):
    """Readable by every signed-in person: honours are announced in public."""


class HomeView(SignedInView, TemplateView):
    """The dashboard: what each role opens the registry for."""

    template_name = "awards/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        context = {"counts": selectors.registry_counts(), "recent": selectors.decision_recent(),
                   "person": selectors.my_person(user)}
        if context["person"] is not None:
            context["my_years"] = selectors.my_awards_by_year(context["person"])[:3]
            context["answers"] = selectors.my_unread_answers(context["person"])
        if user.has_perm("awards.view_correctionrequest"):
            context["open_requests"] = selectors.correction_queue(user).filter(status=CorrectionStatus.OPEN)[:10]
        if user.has_perm("awards.view_report"):
            scope = selectors.user_scope(user)
            year = selectors.latest_year(today=today)
            context["this_year"] = selectors.year_report(unit=scope, first=year, last=year)
        if user.has_perm("awards.view_ceremony"):
            context["ceremonies"] = selectors.upcoming_ceremonies(today=today)
        return super().get_context_data(**context, **kwargs)


class AwardListView(SignedInView, SingleTableMixin, FilterView):
    """Sổ khen thưởng: the honours list, filtered, searched, sorted, paginated."""

    template_name = "awards/award_list.html"
    filterset_class = AwardFilter
    table_class = AwardTable
    table_pagination = {"per_page": 50}  # the table paginates, not the list view (one count)

    def get_queryset(self):
        return selectors.award_queryset()


class AwardExportView(SignedInView, View):
    """Exactly the rows of the filtered list, in its order, as CSV or XLSX, streamed."""

    def get(self, request, fmt):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        personal = selectors.can_see_personal_data(request.user)
        awards = selectors.award_list(user=request.user, filters=request.GET, order_by=request.GET.get("sort"))
        rows = exports.award_rows(selectors.award_export_values(awards, user=request.user), personal=personal)
        header = exports.award_header(personal=personal)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if fmt == "csv":
            response = StreamingHttpResponse(exports.csv_stream(header, rows), content_type="text/csv; charset=utf-8")
        else:
            used = AwardFilter(request.GET, queryset=selectors.award_queryset()).describe()
            caption = _("Honours register, %(when)s: %(filters)s") % {
                "when": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
                "filters": "; ".join(used) if used else _("no filter (the whole register)")}
            response = FileResponse(
                exports.xlsx_file(header, rows, sheet_title=_("Honours"), caption=caption),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="so-khen-thuong-{stamp}.{fmt}"'
        return response


class AwardPageMixin:
    template_name = "awards/award_detail.html"
    queryset = selectors.award_queryset().select_related("within_unit", "revoked_by")

    def get_context_data(self, **kwargs):
        award, user = self.object, self.request.user
        kwargs.setdefault("revoke_form", RevokeForm(initial={"version": award.version}))
        return super().get_context_data(
            history=selectors.audit_trail(award), can_edit=selectors.award_editable(user, award),
            can_revoke=selectors.award_revocable(user, award),
            prints=selectors.print_history(award) if user.has_perm("awards.view_printlog") else None,
            print_mode=selectors.blank_print_mode([award.title]), **kwargs,
        )


class AwardDetailView(SignedInView, AwardPageMixin, DetailView):
    pass


class ObjectScopeMixin:
    """An officer acts only on what lies within their units: refused (403) otherwise."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.allowed(self.request.user, obj):
            raise PermissionDenied(_("This record is outside your units, or cannot be changed."))
        return obj


class VersionedEditView(PermissionRequiredMixin, DetailView, FormView):
    """A correction with a version check: a stale save is refused, shows what the other person
    changed, and keeps what this one typed."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(self.permission_required):
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        # A fresh copy: a model form writes its values onto its instance while validating.
        instance = type(self.object).objects.get(pk=self.object.pk)
        return {**super().get_form_kwargs(), "instance": instance, "initial": {"version": self.object.version}}

    def form_valid(self, form):
        try:
            self.save(form)
        except services.StaleEditError as error:
            return self.render_to_response(
                self.get_context_data(form=stale_form(form, error), stale=stale_rows(self.model, error))
            )
        except services.RegistryError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The correction was saved."))
        return redirect(self.object)


class AwardCorrectView(ObjectScopeMixin, VersionedEditView):
    permission_required = "awards.change_award"
    template_name = "awards/award_correct.html"
    model = Award
    form_class = AwardCorrectForm
    allowed = staticmethod(selectors.award_editable)

    def save(self, form):
        services.award_correct(award=self.object, by=self.request.user, expected_version=form.cleaned_data["version"],
                               note=form.cleaned_data["note"], **form.changes())


def stale_form(form, error):
    """The editor's own values kept, now based on the current version: nothing they typed is lost."""
    data = form.data.copy()
    data["version"] = error.current.version
    return type(form)(data, form.files, instance=error.current)


def stale_rows(model, error):
    """What the other person changed: (field, value now saved, value this edit wanted)."""
    rows = []
    for name, (now, wanted) in error.conflicts.items():
        field = model._meta.get_field(name)
        rows.append((field.verbose_name, selectors.display_value(field, now), selectors.display_value(field, wanted)))
    return rows


class AwardRevokeView(PermissionRequiredMixin, ObjectScopeMixin, AwardPageMixin, DetailView):
    """POST only: marks the award revoked; it stays in every list, marked."""

    permission_required = "awards.revoke_award"
    http_method_names = ["post"]
    allowed = staticmethod(selectors.award_revocable)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = RevokeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.award_revoke(
                    award=self.object, by=request.user, number=data["number"], date=data["date"],
                    reason=data["reason"], expected_version=data["version"],
                )
            except services.RegistryError as error:
                for field, problems in error.field_errors.items():
                    form.add_error(field.removeprefix("revocation_") if field.startswith("revocation_") else None, problems)
                if not error.field_errors:
                    form.add_error(None, error.message)
            else:
                messages.success(request, _("The award was revoked. It stays in the registry, marked revoked."))
                return redirect(self.object)
        context = self.get_context_data(object=self.object, revoke_form=form)
        return self.render_to_response(context, status=400)


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
        initial = [{"recipient": r, "title": title if title.isdigit() else None} for r in picked]
        formset = RecipientFormSet(prefix="rows", initial=initial)
        form = DecisionForm(initial={"title": title} if title.isdigit() else None)
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
            **kwargs,
        )


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


class PersonDetailView(SignedInView, SingleTableMixin, DetailView):
    template_name = "awards/person_detail.html"
    queryset = Person.objects.select_related("unit")
    table_class = AwardTable
    table_pagination = {"per_page": 100}

    def get_table_data(self):
        return selectors.person_awards(self.object)

    def get_table_kwargs(self):
        return {"exclude": ("recipient",)}

    def get_context_data(self, **kwargs):
        personal = selectors.can_see_personal_data(self.request.user, self.object)
        kwargs["progress"] = rules.progress(self.object, year=selectors.latest_year(today=timezone.localdate()))
        return super().get_context_data(
            title_counts=selectors.person_title_counts(self.object), personal=personal,
            # A person's record changes carry identifiers: their history is for those who may see them.
            history=selectors.audit_trail(self.object) if personal else None, **kwargs,
        )


class UnitListView(SignedInView, TemplateView):
    template_name = "awards/unit_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(units=selectors.unit_tree(), **kwargs)


class UnitDetailView(SignedInView, DetailView):
    template_name = "awards/unit_detail.html"
    queryset = Unit.objects.select_related("parent")

    def get_context_data(self, **kwargs):
        unit = self.object
        collective = AwardTable(selectors.unit_collective_awards(unit), prefix="c-", exclude=("recipient",))
        members = AwardTable(selectors.unit_member_awards(unit), prefix="m-")
        for table in (collective, members):
            paginate_nearest(table, page=self.request.GET.get(f"{table.prefix}page"),
                             per_page=page_size(self.request.GET.get(f"{table.prefix}per_page"), 50))
        return super().get_context_data(
            ancestors=selectors.unit_ancestors(unit), children=unit.children.order_by("path"),
            collective_table=collective, member_table=members, history=selectors.audit_trail(unit), **kwargs,
        )


class RecipientSearchView(PermissionRequiredMixin, View):
    """Search-as-you-type for the decision page: people and units, accents ignored."""

    permission_required = "awards.add_decision"

    def get(self, request):
        return JsonResponse({"results": selectors.recipient_search(request.GET.get("q", ""), user=request.user)})


# ---- certificates and ceremonies -----------------------------------------------------------------

def public_base_url(request):
    """The address printed in QR codes: the configured public one, else the one in use."""
    return settings.REGISTRY_PUBLIC_URL or request.build_absolute_uri("/")


def pdf_response(handle, filename):
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")


class PrintView(PermissionRequiredMixin, View):
    """POST only: printing writes the print log. Revoked awards are left out, never printed."""

    permission_required = "awards.print_certificate"
    http_method_names = ["post"]
    kind = None

    def print_awards(self, awards, *, filename, back, ceremony=None):
        return print_response(self.request, awards, kind=self.kind, filename=filename, back=back, ceremony=ceremony)


def print_response(request, awards, *, kind, filename, back, ceremony=None):
    """The certificates as a PDF download, or back to the page with the reason nothing printed.
    The form's "mode" chooses the full drawing (the default) or onto blanks."""
    handle = tempfile.TemporaryFile()
    mode = PrintMode.BLANK if request.POST.get("mode") == PrintMode.BLANK else PrintMode.FULL
    if mode == PrintMode.BLANK:
        filename = filename.replace(".pdf", "-phoi.pdf")
    try:
        services.certificates_print(by=request.user, awards=awards, kind=kind, base_url=public_base_url(request),
                                    out=handle, ceremony=ceremony, mode=mode)
    except services.RegistryError as error:
        handle.close()
        messages.error(request, error.message)
        return redirect(back)
    return pdf_response(handle, filename)


def certificate_filename(award):
    """The honour's own word in the file's name: bang-khen-0012-2021.pdf, giay-chung-nhan-…, co-…"""
    return f"{award.title.print_slug}-{award.register_label or award.pk}-{award.year}.pdf"


class AwardCertificateView(PrintView):
    kind = PrintKind.SINGLE

    def post(self, request, pk):
        award = get_object_or_404(selectors.award_queryset(), pk=pk)
        return self.print_awards([award], filename=certificate_filename(award), back=award)


class DecisionCertificatesView(PrintView):
    kind = PrintKind.DECISION

    def post(self, request, pk):
        decision = get_object_or_404(Decision, pk=pk)
        awards = selectors.decision_awards(decision)
        return self.print_awards(awards, filename=f"quyet-dinh-{decision.pk}.pdf", back=decision)


class CeremonyListView(PermissionRequiredMixin, ListView):
    permission_required = "awards.view_ceremony"
    template_name = "awards/ceremony_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.ceremony_list()


class CeremonyCreateView(PermissionRequiredMixin, FormView):
    permission_required = "awards.add_ceremony"
    template_name = "awards/ceremony_form.html"
    form_class = CeremonyForm

    def form_valid(self, form):
        ceremony = services.ceremony_create(by=self.request.user, ceremony=form.instance)
        return redirect(ceremony)


class CeremonyDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "awards.view_ceremony"
    template_name = "awards/ceremony_detail.html"
    model = Ceremony

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            **selectors.ceremony_print_check(self.object, user=user),
            add_form=CeremonyAddForm(), can_change=user.has_perm("awards.change_ceremony"),
            can_print=user.has_perm("awards.print_certificate"),
            history=selectors.audit_trail(self.object), **kwargs,
        )


class CeremonyEditView(VersionedEditView):
    permission_required = "awards.change_ceremony"
    template_name = "awards/ceremony_form.html"
    model = Ceremony
    form_class = CeremonyEditForm

    def save(self, form):
        services.ceremony_update(ceremony=self.object, by=self.request.user,
                                 expected_version=form.cleaned_data["version"], **form.changes())


class CeremonyActionView(PermissionRequiredMixin, SingleObjectMixin, View):
    """A POST that changes a ceremony's list, then back to the ceremony's page."""

    permission_required = "awards.change_ceremony"
    http_method_names = ["post"]
    model = Ceremony

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        try:
            message = self.act(request.POST)
        except services.RegistryError as error:
            messages.error(request, error.message)
        else:
            if message:
                messages.success(request, message)
        # Back where the organiser was: the row acted on (or the list), not the top of the page.
        item = request.POST.get("item", "")
        anchor = f"#item-{item}" if item.isdigit() and self.object.items.filter(pk=item).exists() else "#ceremony-items"
        return redirect(self.object.get_absolute_url() + anchor)


class CeremonyAddView(CeremonyActionView):
    def act(self, data):
        form = CeremonyAddForm(data)
        if not form.is_valid():
            raise services.RegistryError(_("Choose a decision."))
        decision = form.cleaned_data["decision"]
        count = services.ceremony_add_awards(ceremony=self.object, by=self.request.user, awards=decision.awards.all())
        return _("%(count)s awards of decision %(number)s added.") % {"count": count, "number": decision.number}


class CeremonyMoveView(CeremonyActionView):
    def act(self, data):
        form = CeremonyMoveForm(data)
        if not form.is_valid():
            raise services.RegistryError(_("Give a place in the list, from 1."))
        services.ceremony_move(ceremony=self.object, by=self.request.user,
                               item_id=form.cleaned_data["item"], position=form.cleaned_data["position"])


class CeremonyRemoveView(CeremonyActionView):
    def act(self, data):
        item = data.get("item", "")
        services.ceremony_remove(ceremony=self.object, by=self.request.user, item_id=int(item) if item.isdigit() else 0)


class CeremonyResetOrderView(CeremonyActionView):
    def act(self, data):
        services.ceremony_reset_order(ceremony=self.object, by=self.request.user)
        return _("The default order is restored.")


class CeremonyPrintView(PrintView):
    permission_required = ("awards.print_certificate", "awards.view_ceremony")
    kind = PrintKind.CEREMONY

    def post(self, request, pk):
        ceremony = get_object_or_404(Ceremony, pk=pk)
        awards = [item.award for item in selectors.ceremony_items(ceremony)]
        return self.print_awards(awards, filename=f"le-trao-{ceremony.pk}-{ceremony.date:%Y%m%d}.pdf",
                                 back=ceremony, ceremony=ceremony)


class CeremonyPreviewView(PermissionRequiredMixin, View):
    """The first certificate the ceremony would print, as a PNG, marked as a preview (not logged)."""

    permission_required = "awards.view_ceremony"

    def get(self, request, pk):
        ceremony = get_object_or_404(Ceremony, pk=pk)
        award = next((i.award for i in selectors.ceremony_items(ceremony) if not i.award.is_revoked), None)
        if award is None:
            raise Http404
        data = selectors.certificate_data(award, base_url=public_base_url(request), watermark=_("PREVIEW"))
        # Drawn once per change of what it shows (the certificate's data), not on every view.
        key = "ceremony-preview:" + hashlib.sha256(repr((data, settings.CERTIFICATE_FONT)).encode()).hexdigest()
        etag = f'"{key[-32:]}"'
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponse(status=304)
        else:
            png = cache.get(key)
            if png is None:
                png = certificate_png(data)
                cache.set(key, png, timeout=7 * 24 * 3600)
            response = HttpResponse(png, content_type="image/png")
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
        return response


def certificate_png(data, *, width=1000):
    """A certificate drawn to PDF, then rasterised by PDFium."""
    import pypdfium2

    document = pypdfium2.PdfDocument(render_pdf([data]))
    page = document[0]
    image = page.render(scale=width / page.get_width()).to_pil()
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    document.close()
    return out.getvalue()


class VerifyView(View):
    """Public: is this certificate genuine and in force? Only what the certificate itself shows."""

    def get(self, request, code=""):
        code = code or request.GET.get("code", "")
        context = {"code": code}
        status = 200
        if code:
            if is_ratelimited(request, group="verify", key="ip", rate=settings.REGISTRY_VERIFY_RATE, increment=True):
                context["limited"], status = True, 429
            else:
                context["award"] = selectors.award_verify(code)
                status = 200 if context["award"] else 404
        response = render(request, "awards/verify.html", context, status=status)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "no-store"
        return response


def robots_txt(request):
    """Nothing here is for search engines: the registry is private and verification is by code."""
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")


# ---- one's own record, correction requests, account -------------------------------------------------

class MyHonoursView(SignedInView, TemplateView):
    """Hồ sơ khen thưởng của tôi: the signed-in person's own honours, their unit's, their requests."""

    template_name = "awards/my_honours.html"

    def get_context_data(self, **kwargs):
        person = selectors.my_person(self.request.user)
        context = {"person": person}
        if person is not None:
            context.update(
                years=selectors.my_awards_by_year(person),
                unit_awards=selectors.unit_collective_awards(person.unit),
                requests=person.correction_requests.select_related("award__title").order_by("-created_at")[:20],
            )
        return super().get_context_data(**context, **kwargs)


class MyCertificateView(SignedInView, View):
    """POST: the signed-in person's own certificate. Anyone else's id answers 404, like no id."""

    http_method_names = ["post"]

    def post(self, request, pk):
        award = selectors.my_award(request.user, pk)
        if award is None:
            raise Http404
        return print_response(request, [award], kind=PrintKind.SINGLE, back="awards:my-honours",
                              filename=certificate_filename(award))


class CorrectionRequestCreateView(SignedInView, FormView):
    template_name = "awards/correction_request_form.html"
    form_class = CorrectionRequestForm

    def dispatch(self, request, *args, **kwargs):
        self.person = selectors.my_person(request.user)
        if request.user.is_authenticated and self.person is None:
            messages.error(request, _("Your account is not linked to a person in the registry; ask an administrator."))
            return redirect("awards:my-honours")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person}

    def get_initial(self):
        award = self.request.GET.get("award", "")
        if award.isdigit() and not Award.objects.filter(pk=award, person=self.person).exists():
            raise Http404
        return {"award": award or None}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.correction_request_file(by=self.request.user, kind=data["kind"], message=data["message"],
                                             award=data["award"])
        except services.RegistryError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Your request was sent to the officers of your unit."))
        return redirect("awards:my-honours")


class CorrectionQueueView(PermissionRequiredMixin, TemplateView):
    permission_required = "awards.view_correctionrequest"
    template_name = "awards/correction_queue.html"

    def get_context_data(self, **kwargs):
        queue = selectors.correction_queue(self.request.user)
        return super().get_context_data(
            open_requests=queue.filter(status=CorrectionStatus.OPEN).order_by("created_at"),
            answered=queue.exclude(status=CorrectionStatus.OPEN).order_by("-resolved_at")[:20], **kwargs,
        )


class CorrectionAnswerSeenView(SignedInView, View):
    """POST: the requester has read the answer to their request; back to where they were."""

    http_method_names = ["post"]

    def post(self, request, pk):
        person = selectors.my_person(request.user)
        if person is None:
            raise Http404
        services.correction_answer_seen(request=get_object_or_404(CorrectionRequest, pk=pk, person=person),
                                        by=request.user)
        return redirect("awards:home")


class CorrectionDetailView(PermissionRequiredMixin, ObjectScopeMixin, DetailView):
    """An officer answers a request: corrects the award through the normal correction, or not."""

    permission_required = "awards.change_correctionrequest"
    template_name = "awards/correction_detail.html"
    model = CorrectionRequest

    @staticmethod
    def allowed(user, request):
        return selectors.in_scope(user, request.unit)

    def forms(self, data=None):
        award = self.object.award
        award_form = None
        if award is not None and not award.is_revoked:
            fresh = Award.objects.get(pk=award.pk)
            award_form = AwardCorrectForm(data, instance=fresh, initial={"version": fresh.version}, prefix="award")
        return CorrectionAnswerForm(data, with_award=award_form is not None), award_form

    def get_context_data(self, **kwargs):
        if "answer_form" not in kwargs:
            kwargs["answer_form"], kwargs["award_form"] = self.forms()
        return super().get_context_data(history=selectors.audit_trail(self.object), **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        answer_form, award_form = self.forms(request.POST)
        valid = answer_form.is_valid()
        correcting = valid and answer_form.cleaned_data["status"] == CorrectionStatus.RESOLVED and award_form is not None
        if correcting:
            valid = award_form.is_valid()
        if valid:
            try:
                services.correction_request_answer(
                    request=self.object, by=request.user, status=answer_form.cleaned_data["status"],
                    note=answer_form.cleaned_data["note"], changes=award_form.changes() if correcting else None,
                    expected_version=award_form.cleaned_data["version"] if correcting else None,
                )
            except services.RegistryError as error:
                answer_form.add_error(None, error.message)
            else:
                messages.success(request, _("The answer was sent to the requester."))
                return redirect("awards:correction-queue")
        context = self.get_context_data(object=self.object, answer_form=answer_form, award_form=award_form)
        return self.render_to_response(context, status=400)


class AccountView(SignedInView, TemplateView):
    template_name = "awards/account.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=selectors.my_person(self.request.user), **kwargs)


class PasswordChangeView(SignedInView, auth_views.PasswordChangeView):
    template_name = "awards/password_change.html"
    success_url = reverse_lazy("awards:account")

    def get_form(self, form_class=None):
        return style_widgets(super().get_form(form_class))

    def form_valid(self, form):
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


# ---- printing onto blanks ----------------------------------------------------------------------

class LayoutListView(PermissionRequiredMixin, ListView):
    """Every layout on a blank, by title, for those who print; administrators edit them."""

    permission_required = "awards.print_certificate"
    template_name = "awards/layout_list.html"
    context_object_name = "layouts"

    def get_queryset(self):
        return selectors.layout_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(titles_without=selectors.titles_without_layout(), **kwargs)


class LayoutDetailView(PermissionRequiredMixin, DetailView):
    """The layout over an outline of its blank, its fields, the alignment sheet and a test print,
    and the user's printer offset."""

    permission_required = "awards.print_certificate"
    template_name = "awards/layout_detail.html"
    context_object_name = "layout"

    def get_queryset(self):
        return selectors.layout_list()

    def get_context_data(self, **kwargs):
        x, y = selectors.printer_offset(self.request.user)
        kwargs.setdefault("offset_form", PrinterOffsetForm(initial={"x_mm": x, "y_mm": y}))
        layout = self.object
        width, height = layout.paper_mm
        boxes = [{"field": b.field, "label": b.label, "x": b.x, "y": b.y, "w": b.width, "h": b.height,
                  "size": b.size, "style": b.style, "align": b.align, "colour": b.colour}
                 for b in selectors.blank_boxes(layout)]
        return super().get_context_data(
            preview_json=json.dumps({"width": width, "height": height, "boxes": boxes, "samples": {
                **SAMPLE_TEXTS, "title": layout.title.certificate_name or SAMPLE_TEXTS["title"]}}, ensure_ascii=False),
            paper=(width, height),
            fields=layout.fields.all(), offset=(x, y),
            can_edit=self.request.user.has_perm("awards.change_certificatelayout"), **kwargs,
        )


class LayoutAlignmentView(PermissionRequiredMixin, SingleObjectMixin, View):
    """The alignment sheet: the fields' boxes and a millimetre ruler, at the blank's size, with
    the user's printer offset applied; printed on plain paper and held against a blank."""

    permission_required = "awards.print_certificate"
    model = CertificateLayout

    def get(self, request, *args, **kwargs):
        layout = self.get_object()
        width, height = layout.paper_mm
        handle = tempfile.TemporaryFile()
        CertificateRenderer().render_alignment_sheet(
            handle, title=f"Tờ căn chỉnh – {layout.name} ({width:g} × {height:g} mm)", boxes=selectors.blank_boxes(layout),
            width_mm=width, height_mm=height, offset=selectors.printer_offset(request.user))
        return pdf_response(handle, f"to-can-chinh-{layout.pk}.pdf")


class LayoutSampleView(PermissionRequiredMixin, SingleObjectMixin, View):
    """A test print onto a blank: a specimen certificate's variable text, with the user's offset."""

    permission_required = "awards.print_certificate"
    model = CertificateLayout

    def get(self, request, *args, **kwargs):
        layout = self.get_object()
        data = selectors.sample_certificate(layout, offset=selectors.printer_offset(request.user))
        handle = tempfile.TemporaryFile()
        CertificateRenderer().render([data], handle)
        return pdf_response(handle, f"in-thu-phoi-{layout.pk}.pdf")


class PrinterOffsetView(PermissionRequiredMixin, View):
    """POST: save the user's printer offset, then back to the layout it was measured on."""

    permission_required = "awards.print_certificate"
    http_method_names = ["post"]

    def post(self, request, pk):
        layout = get_object_or_404(CertificateLayout, pk=pk)
        form = PrinterOffsetForm(request.POST)
        if not form.is_valid():
            view = LayoutDetailView(request=request, kwargs={"pk": pk}, args=())
            view.object = layout
            return view.render_to_response(view.get_context_data(offset_form=form), status=400)
        services.printer_offset_save(user=request.user, x_mm=form.cleaned_data["x_mm"], y_mm=form.cleaned_data["y_mm"])
        messages.success(request, _("Your printer offset was saved: every print onto blanks is moved by it."))
        return redirect(layout)


# ---- the year report ---------------------------------------------------------------------------

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


# ---- spreadsheet imports --------------------------------------------------------------------

class ImportMixin:
    """Upload → preview (nothing written) → confirm (all or nothing). Between the two steps the
    file and the table read from it wait in the data folder (imports.store), tied to the user."""

    template_name = "awards/import_form.html"
    kind = None
    upload_limit_setting = "REGISTRY_IMPORT_MAX_MB"  # registry.middleware.RequestSizeLimitMiddleware

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form_class()))

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data, user_id = form.cleaned_data, request.user.pk
        upload = data.get("spreadsheet")
        if upload is not None:
            content = upload.read(int(settings.REGISTRY_IMPORT_MAX_MB * 1024 * 1024) + 1)
            token = imports.store.stage(user_id=user_id, filename=upload.name, content=content)
        else:
            token = data["token"]
        try:
            table = imports.store.table(user_id=user_id, token=token, sheet=data.get("sheet") or None,
                                        known_headers=imports.count_known_headers)
        except imports.store.Expired:
            form.add_error("spreadsheet", _("The uploaded file has expired; choose it again."))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        except imports.FileRefused as error:
            form.add_error("spreadsheet", str(error))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        preview = self.preview(table, form)
        bound = self.form_class({**request.POST.dict(), "token": token, "sheet": table.sheet})
        bound.is_valid()
        if request.POST.get("action") == "confirm" and upload is None:
            try:
                result = self.commit(preview, form)
            except imports.ImportRefused as error:
                messages.error(request, error.message)
            else:
                imports.store.discard(user_id=user_id, token=token)
                return self.done(result)
        return self.render_to_response(self.get_context_data(form=bound, preview=preview, token=token),
                                       status=200 if not preview.errors else 400)


class DecisionImportView(PermissionRequiredMixin, ImportMixin, TemplateView):
    """Record a decision whose recipients come from a spreadsheet."""

    permission_required = "awards.add_decision"
    form_class = DecisionImportForm
    kind = "recipients"

    def preview(self, table, form):
        return imports.preview_recipients(table, decision=form.instance, by=self.request.user)

    def commit(self, preview, form):
        return imports.commit_recipients(preview, by=self.request.user, decision=form.instance,
                                         justification=form.cleaned_data.get("justification", ""))

    def done(self, decision):
        if decision is None:
            messages.info(self.request, _("Nothing new: every row of this file is already in the registry."))
            return redirect("awards:decision-import")
        messages.success(self.request, _("Decision %(number)s was recorded with %(count)s recipients.")
                         % {"number": decision.number, "count": decision.awards.count()})
        return redirect(decision)


class RosterImportView(PermissionRequiredMixin, ImportMixin, TemplateView):
    """Create and update people from a roster."""

    permission_required = ("awards.add_person", "awards.change_person")
    form_class = RosterImportForm
    kind = "roster"

    def preview(self, table, form):
        return imports.preview_roster(table, by=self.request.user)

    def commit(self, preview, form):
        return imports.commit_roster(preview, by=self.request.user)

    def done(self, result):
        if not result["created"] and not result["updated"]:
            messages.info(self.request, _("Nothing new: every row of this file is already in the registry."))
        else:
            messages.success(self.request, _("%(created)s people added, %(updated)s updated.") % result)
        return redirect("awards:roster-import")


class ImportTemplateView(PermissionRequiredMixin, View):
    """The spreadsheet to fill in, with the headers the importer knows."""

    permission_required = "awards.add_decision"

    def get(self, request, kind):
        columns = {"recipients": imports.RECIPIENT_COLUMNS, "roster": imports.ROSTER_COLUMNS}.get(kind)
        if columns is None:
            raise Http404
        body = exports.template_xlsx([imports.COLUMNS[c][0] for c in columns])
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="mau-{kind}.xlsx"'
        return response


# ---- eligibility: candidates ---------------------------------------------------------------------

class CandidatesMixin(PermissionRequiredMixin):
    permission_required = "awards.view_report"

    def candidates(self):
        year = self.request.GET.get("year") or selectors.latest_year(today=timezone.localdate())
        form = YearReportForm({"year_from": year, "year_to": year,
                               "unit": self.request.GET.get("unit", own_unit_param(self.request.user))})
        if not form.is_valid():
            return form, None, None, []
        unit, year = form.cleaned_data["unit"], form.cleaned_data["year_from"]
        found = rules.candidates(unit=unit, year=year)
        quotas = rules.quota_checks(unit=unit, year=year) if unit is not None else []
        return form, year, found, quotas


class CandidatesView(CandidatesMixin, TemplateView):
    """Who meets every rule for a higher honour and does not hold it yet, with the evidence."""

    template_name = "awards/candidates.html"

    def get_context_data(self, **kwargs):
        form, year, found, quotas = self.candidates()
        listed = rules.preselect(found, quotas) if found is not None else None
        return super().get_context_data(form=form, year=year, found=found, listed=listed, quotas=quotas, **kwargs)


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
