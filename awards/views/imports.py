"""Spreadsheet imports: a decision's recipients, the roster, the templates."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from .. import exports, imports, jobs
from ..imports import importing
from ..forms import (
    DecisionImportForm,
    LedgerImportForm,
    LedgerNameFormSet,
    RosterImportForm,
)
from .base import PermissionRequiredMixin
from .jobs import queued


def staged(upload, *, user_id):
    """(token, size in bytes) of an upload kept for its preview (read up to the limit and one
    byte more, which the reader refuses)."""
    content = upload.read(int(settings.REGISTRY_IMPORT_MAX_MB * 1024 * 1024) + 1)
    return imports.store.stage(user_id=user_id, filename=upload.name, content=content), len(content)


def staged_table(form, *, user_id, token):
    """The staged upload's table (of the sheet the form names), or None with what is wrong put
    on the form's file field (expired, or not a file the registry reads)."""
    try:
        return imports.store.table(user_id=user_id, token=token, sheet=form.cleaned_data.get("sheet") or None,
                                   known_headers=imports.count_known_headers)
    except imports.store.Expired:
        form.add_error("spreadsheet", _("The uploaded file has expired; choose it again."))
    except imports.FileRefused as error:
        form.add_error("spreadsheet", str(error))
    return None


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
        token, _size = staged(upload, user_id=user_id) if upload is not None else (data["token"], 0)
        table = staged_table(form, user_id=user_id, token=token)
        if table is None:
            return self.render_to_response(self.get_context_data(form=form), status=400)
        confirming = request.POST.get("action") == "confirm" and upload is None
        if confirming and self.kind in importing.KINDS and len(table.rows) > settings.REGISTRY_JOB_IMPORT_ROWS:
            # A large file is checked again and written by the worker; its page shows how far it is.
            post = {k: v for k, v in request.POST.dict().items() if k != "csrfmiddlewaretoken"}
            return queued(request, lambda: jobs.import_job(
                user=request.user, kind=self.kind, post={**post, "sheet": table.sheet}, token=token,
                rows=len(table.rows), language=translation.get_language()), request.get_full_path())
        preview = self.preview(table, form)
        bound = self.form_class({**request.POST.dict(), "token": token, "sheet": table.sheet})
        bound.is_valid()
        if confirming:
            try:
                result = self.commit(preview, form)
            except imports.ImportRefused as error:
                messages.error(request, error.message)
            else:
                imports.store.discard(user_id=user_id, token=token)
                return self.done(result)
        return self.render_to_response(self.get_context_data(form=bound, preview=preview, token=token),
                                       status=200 if not preview.errors else 400)

    # The imports of awards.imports.importing (which a job can also confirm); a view of another
    # kind of file (ratings, a dossier's nominees) gives its own three steps.
    def preview(self, table, form):
        return importing.KINDS[self.kind].preview(table, form, self.request.user)

    def commit(self, preview, form):
        return importing.KINDS[self.kind].commit(preview, form, self.request.user)

    def done(self, result):
        url, message, news = importing.KINDS[self.kind].done(result)
        (messages.success if news else messages.info)(self.request, message)
        return redirect(url)


class DecisionImportView(PermissionRequiredMixin, ImportMixin, TemplateView):
    """Record a decision whose recipients come from a spreadsheet."""

    permission_required = "awards.add_decision"
    form_class = DecisionImportForm
    kind = "recipients"


class RosterImportView(PermissionRequiredMixin, ImportMixin, TemplateView):
    """Create and update people from a roster."""

    permission_required = ("awards.add_person", "awards.change_person")
    form_class = RosterImportForm
    kind = "roster"


class LedgerImportView(PermissionRequiredMixin, TemplateView):
    """Bring an office's ledger of past honours in: upload → preview (the decisions to create or
    extend, the people to add, the names to map, every problem) → confirm, all or nothing. A
    large file is read and checked, then written, by the worker, its progress on the job's page;
    the preview it makes waits in the data folder for this page (imports.store)."""

    permission_required = "awards.add_decision"
    template_name = "awards/ledger_import.html"
    upload_limit_setting = "REGISTRY_IMPORT_MAX_MB"  # registry.middleware.RequestSizeLimitMiddleware

    def get(self, request, *args, **kwargs):
        token = request.GET.get("token", "")
        if not token:
            return self.render_to_response(self.get_context_data(form=LedgerImportForm()))
        try:
            found = imports.store.load_preview(user_id=request.user.pk, token=token)
        except imports.store.Expired:
            messages.error(request, _("The uploaded file has expired; choose it again."))
            return redirect("awards:ledger-import")
        return self.page(LedgerImportForm(initial={"token": token, "sheet": found["sheet"]}), found, token)

    def page(self, form, found, token, names=None, status=200):
        names = names or LedgerNameFormSet(prefix="names", initial=found["names"] if found else [],
                                           user=self.request.user)
        return self.render_to_response(self.get_context_data(form=form, preview=found, token=token, names=names),
                                       status=status)

    def post(self, request, *args, **kwargs):
        form = LedgerImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(form, None, "", status=400)
        data, user = form.cleaned_data, request.user
        upload = data.get("spreadsheet")
        post = {k: v for k, v in request.POST.dict().items() if k != "csrfmiddlewaretoken"}
        if upload is not None:
            token, size = staged(upload, user_id=user.pk)
            post = {"sheet": post.get("sheet", "")}  # a new file: the names mapped for the old one go
            if size > settings.REGISTRY_JOB_IMPORT_MB * 1024 * 1024:
                # Too large to read within a request: the worker reads and checks it.
                return queued(request, lambda: jobs.ledger_job(user=user, post=post, token=token, write=False, rows=0,
                                                               language=translation.get_language()),
                              request.get_full_path())
        else:
            token = data["token"]
        write = request.POST.get("action") == "confirm" and upload is None
        table = staged_table(form, user_id=user.pk, token=token)
        if table is None:
            return self.page(form, None, "", status=400)
        post["sheet"] = table.sheet
        names = LedgerNameFormSet(post, prefix="names", user=user) if "names-TOTAL_FORMS" in post else None
        if names is not None and not names.is_valid():
            try:
                found = imports.store.load_preview(user_id=user.pk, token=token)
            except imports.store.Expired:  # never previewed: the names came with no preview to show them in
                found = None
            return self.page(LedgerImportForm(initial={"token": token, "sheet": table.sheet}), found, token,
                             names=names, status=400)
        if len(table.rows) > settings.REGISTRY_JOB_IMPORT_ROWS:
            return queued(request, lambda: jobs.ledger_job(user=user, post=post, token=token, write=write,
                                                           rows=len(table.rows), language=translation.get_language()),
                          request.get_full_path())
        try:
            _preview, written = importing.ledger(user=user, post=post, token=token, write=write)
        except imports.ImportRefused as refused:
            messages.error(request, refused.message)
        else:
            if write:
                url, message = importing.ledger_done(written)
                (messages.success if written else messages.info)(request, message)
                return redirect(url)
        found = imports.store.load_preview(user_id=user.pk, token=token)
        return self.page(LedgerImportForm(initial={"token": token, "sheet": table.sheet}), found, token,
                         status=200 if not found["errors"] else 400)


class ImportTemplateView(PermissionRequiredMixin, View):
    """The spreadsheet to fill in, with the headers the importer knows."""

    permission_required = "awards.add_decision"

    def get(self, request, kind):
        columns = {"recipients": imports.RECIPIENT_COLUMNS, "roster": imports.ROSTER_COLUMNS,
                   "ledger": imports.LEDGER_COLUMNS,
                   "evidence": imports.EVIDENCE_COLUMNS, "nominees": imports.NOMINEE_COLUMNS}.get(kind)
        if columns is None:
            raise Http404
        body = exports.template_xlsx([imports.COLUMNS[c][0] for c in columns])
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="mau-{kind}.xlsx"'
        return response
