"""Printing certificates (one, a decision's) and the layouts on pre-printed blanks with the printer offset."""

import io
import json
import tempfile

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView
from django.views.generic.detail import SingleObjectMixin

from .. import jobs, selectors, services
from ..certificates import CertificateRenderer, render_pdf
from ..certificates.blanks import SAMPLE_TEXTS
from ..choices import PrintKind, PrintMode
from ..forms import (
    PrinterOffsetForm,
)
from ..models import CertificateLayout, Decision
from .base import PermissionRequiredMixin
from .jobs import queued


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
    """The certificates as a PDF download, or back to the page with the reason nothing printed;
    a batch of more than REGISTRY_JOB_PRINT_PAGES is drawn by the worker as a job instead.
    The form's "mode" chooses the full drawing (the default) or onto blanks."""
    mode = PrintMode.BLANK if request.POST.get("mode") == PrintMode.BLANK else PrintMode.FULL
    if mode == PrintMode.BLANK:
        filename = filename.replace(".pdf", "-phoi.pdf")
    try:
        awards, left_out = services.within_print_scope(by=request.user, awards=awards, kind=kind)
    except services.RegistryError as error:
        messages.error(request, error.message)
        return redirect(back)
    if left_out:
        messages.warning(request, _("%(count)s certificates of units outside yours were left out of the print.")
                         % {"count": left_out})
    if len(awards) > settings.REGISTRY_JOB_PRINT_PAGES:
        return queued(request, lambda: jobs.print_job(
            user=request.user, award_ids=[a.pk for a in awards], kind=kind, filename=filename,
            base_url=public_base_url(request), mode=mode, ceremony_id=ceremony.pk if ceremony else None,
            back=resolve_url(back), language=translation.get_language()), back)
    handle = tempfile.TemporaryFile()
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
