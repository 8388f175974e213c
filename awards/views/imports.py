"""Spreadsheet imports: a decision's recipients, the roster, the templates."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from .. import exports, imports
from ..forms import (
    DecisionImportForm,
    RosterImportForm,
)
from .base import PermissionRequiredMixin


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
        columns = {"recipients": imports.RECIPIENT_COLUMNS, "roster": imports.ROSTER_COLUMNS,
                   "evidence": imports.EVIDENCE_COLUMNS, "nominees": imports.NOMINEE_COLUMNS}.get(kind)
        if columns is None:
            raise Http404
        body = exports.template_xlsx([imports.COLUMNS[c][0] for c in columns])
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="mau-{kind}.xlsx"'
        return response
