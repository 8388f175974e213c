"""Ceremonies: the list, arranging the order of presentation, the check before printing, the batch and its preview."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView
from django.views.generic.detail import SingleObjectMixin

from .. import selectors, services, text
from ..choices import PrintKind
from ..forms import (
    CeremonyAddForm,
    CeremonyEditForm,
    CeremonyForm,
    CeremonyMoveForm,
)
from ..models import Ceremony
from .base import PermissionRequiredMixin, VersionedEditView
from .printing import PrintView, certificate_png, public_base_url


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
        anchor = (f"#item-{item}" if text.plain_int(item) is not None and self.object.items.filter(pk=item).exists()
                  else "#ceremony-items")
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
        services.ceremony_remove(ceremony=self.object, by=self.request.user, item_id=text.plain_int(item) or 0)


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
