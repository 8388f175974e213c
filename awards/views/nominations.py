"""The road to a decision: a unit's dossiers, the receiving office's inbox, a dossier's page and
its moves, nominees and documents, forwarding up the chain, and the decision from the approved list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from .. import imports, selectors, services, text, workflow
from ..choices import DecisionKind, DossierState
from ..forms import (
    AttachmentForm,
    DeadlineForm,
    DossierDecisionForm,
    DossierEditForm,
    DossierForm,
    ForwardForm,
    ListingForm,
    MoveForm,
    NomineeEditForm,
    NomineeForm,
    NomineeImportForm,
    parse_recipient,
    require_signer,
)
from ..models import Attachment, Authority, Nominee, Person, Title, Unit
from ..tables import DossierTable, SingleTableMixin
from .base import PermissionRequiredMixin
from .imports import ImportMixin


def attempt(request, call, success):
    """Run a service call from a button: its refusal becomes an error message, else the success
    message (success(result) when it is a function). Returns the result, or None if refused."""
    try:
        result = call()
    except services.RegistryError as error:
        messages.error(request, error.message)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result


def refused(form, error):
    """A service's refusal on the form: its message, then each row's problems."""
    form.add_error(None, error.message)
    for problems in error.row_errors.values():
        for problem in problems:
            form.add_error(None, problem)


class DossierMixin(PermissionRequiredMixin):
    """A dossier this user may see (404 otherwise: an id reveals nothing), and their sides of it."""

    permission_required = "awards.view_dossier"

    def get_dossier(self, pk):
        dossier = selectors.dossier_get(self.request.user, pk)
        if dossier is None:
            raise Http404(_("No such dossier."))
        return dossier

    def need(self, dossier, side=None):
        """Refused (403) unless the user acts on this side of the dossier (side None: on either)."""
        sides = selectors.dossier_sides(self.request.user, dossier)
        if (side is None and not sides) or (side is not None and side not in sides):
            raise PermissionDenied(_("Only the officers of the proposing unit change this dossier.")
                                   if side == workflow.SENDER else
                                   _("Only the office that receives for this authority acts on this dossier."))


class DossierListView(DossierMixin, SingleTableMixin, TemplateView):
    """The dossiers of the officer's units, every state."""

    template_name = "awards/nominations/dossier_list.html"
    table_class = DossierTable
    table_pagination = {"per_page": 50}
    inbox = False

    def get_table_data(self):
        return selectors.dossier_list(self.request.user, filters=self.request.GET, inbox=self.inbox)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(inbox=self.inbox, states=DossierState.choices, kinds=DecisionKind.choices,
                                           params=self.request.GET, **kwargs)
        if self.inbox:
            base = selectors.dossier_list(self.request.user, filters={}, inbox=True)
            context["counts"] = selectors.state_counts(base)
            context["authorities"] = selectors.received_authorities(self.request.user)
        return context


class DossierInboxView(DossierListView):
    """Dossiers addressed to the authorities this office receives for: counts by state, filters,
    overdue marks."""

    permission_required = "awards.review_dossier"
    inbox = True


class DossierCreateView(PermissionRequiredMixin, TemplateView):
    """A new dossier; from the candidates page it starts with the ticked people at the honour."""

    permission_required = "awards.add_dossier"
    template_name = "awards/nominations/dossier_form.html"

    def picked(self, data):
        title = Title.objects.filter(pk=data.get("title")).first() if text.plain_int(data.get("title")) else None
        found = [parse_recipient(r) for r in data.getlist("rows")[:3000] if r[:2] in ("p:", "u:")]
        return title, [r for r in found if r is not None]

    def get(self, request, *args, **kwargs):
        title, picked = self.picked(request.GET)
        scope = selectors.user_scope(request.user)
        initial = {"year": request.GET.get("year") or timezone.localdate().year,
                   "kind": request.GET.get("kind") if request.GET.get("kind") in DecisionKind.values else None,
                   "unit": scope.pk if scope is not None else None}
        form = DossierForm(initial=initial, scope=scope)
        return self.render_to_response(self.get_context_data(form=form, title=title, picked=picked))

    def post(self, request, *args, **kwargs):
        title, picked = self.picked(request.POST)
        form = DossierForm(request.POST, scope=selectors.user_scope(request.user))
        if form.is_valid():
            rows = [services.NomineeRow(person=r if isinstance(r, Person) else None,
                                        unit=r if isinstance(r, Unit) else None, title=title) for r in picked]
            try:
                dossier = services.dossier_create(by=request.user, dossier=form.instance, rows=rows)
            except services.RegistryError as error:
                refused(form, error)
            else:
                messages.success(request, _("The dossier was created as a draft with %(count)s nominees.")
                                 % {"count": len(rows)})
                return redirect(dossier)
        return self.render_to_response(self.get_context_data(form=form, title=title, picked=picked), status=400)


class DossierDetailView(DossierMixin, TemplateView):
    template_name = "awards/nominations/dossier_detail.html"

    def get_context_data(self, pk, **kwargs):
        dossier = self.get_dossier(pk)
        user = self.request.user
        sides = selectors.dossier_sides(user, dossier)
        lines = selectors.nominee_lines(dossier, sides=sides)
        editable = workflow.SENDER in sides and dossier.state in workflow.EDITABLE
        outside = selectors.receiving_office(dossier.authority) is None
        receiver = workflow.RECEIVER in sides
        approved = sum(1 for line in lines if line.nominee.state in workflow.APPROVED)
        return super().get_context_data(
            # What the receiving side may open from here: an authority outside the registry has its
            # decision recorded (by the unit that sent it) rather than made.
            can_decide=receiver and approved and not outside, can_forward=receiver and approved,
            can_record=receiver and outside and dossier.state != DossierState.SETTLED,
            reviewing=receiver and dossier.state in workflow.REVIEW_STATES,
            dossier=dossier, lines=lines, sides=sides, editable=editable, outside=outside,
            moves=workflow.dossier_moves(dossier.state, sides),
            missing=selectors.missing_attachments(dossier, [line.nominee for line in lines]) if editable else [],
            attachments=selectors.dossier_attachments(dossier), events=selectors.dossier_events(dossier),
            attachment_form=AttachmentForm(dossier=dossier) if editable else None,
            receiver=receiver, meetings=selectors.dossier_meetings(dossier),
            sender_documents=[("submission", _("Make the tờ trình (DOCX, PDF)")), ("list", _("Make the list (XLSX)")),
                              ("minutes", _("Make the council's minutes (DOCX, PDF)"))],
            receiver_documents=[("minutes", _("Make the council's minutes (DOCX, PDF)")),
                                ("decision", _("Make the draft decision (DOCX, PDF)"))],
            listings=dossier.listings.all(), objections=selectors.dossier_objections(dossier),
            listing_form=ListingForm(initial={"starts_on": timezone.localdate(), "days": 5}) if editable else None,
            can_meet=selectors.meeting_council(user, dossier)[1] is not None, **kwargs)


class DossierEditView(DossierMixin, TemplateView):
    permission_required = "awards.change_dossier"
    template_name = "awards/nominations/dossier_form.html"

    def setup_dossier(self, pk):
        dossier = self.get_dossier(pk)
        self.need(dossier, workflow.SENDER)
        return dossier

    def get(self, request, pk):
        dossier = self.setup_dossier(pk)
        form = DossierEditForm(instance=dossier, initial={"version": dossier.version})
        return self.render_to_response(self.get_context_data(form=form, dossier=dossier))

    def post(self, request, pk):
        dossier = self.setup_dossier(pk)
        form = DossierEditForm(request.POST, instance=selectors.dossier_get(request.user, pk))
        if form.is_valid():
            try:
                services.dossier_update(dossier=dossier, by=request.user, expected_version=form.cleaned_data["version"],
                                        **form.changes())
            except services.RegistryError as error:
                refused(form, error)
            else:
                messages.success(request, _("The dossier was saved."))
                return redirect(dossier)
        return self.render_to_response(self.get_context_data(form=form, dossier=dossier), status=400)


class DossierMoveView(DossierMixin, View):
    """Send, receive or return the dossier (POST), as the table of moves allows."""

    def post(self, request, pk):
        dossier = self.get_dossier(pk)
        form = MoveForm(request.POST)
        if not form.is_valid() or form.cleaned_data["action"] not in [m.action for m in workflow.DOSSIER_MOVES]:
            messages.error(request, _("Choose what to do with the dossier."))
            return redirect(dossier)
        self.need(dossier, workflow.dossier_move(form.cleaned_data["action"]).side)
        attempt(request, lambda: services.dossier_act(
            dossier=dossier, action=form.cleaned_data["action"], by=request.user,
            expected_version=form.cleaned_data["version"], note=form.cleaned_data["note"]),
            lambda moved: _("The dossier is now: %(state)s.") % {"state": moved.get_state_display()})
        return redirect(dossier)


class NomineeAddView(DossierMixin, TemplateView):
    """Add a person or collective: the decision page's name search, accents ignored."""

    permission_required = "awards.change_dossier"
    template_name = "awards/nominations/nominee_form.html"

    def context(self, pk, data):
        dossier = self.get_dossier(pk)
        self.need(dossier, workflow.SENDER)
        query = (data.get("q") or "").strip()
        found = selectors.recipient_search(query, user=self.request.user) if query else []
        return dossier, query, [r for r in found if r["in_scope"]]

    def get(self, request, pk):
        dossier, query, found = self.context(pk, request.GET)
        form = NomineeForm(found=found, initial={"title": request.GET.get("title")})
        return self.render_to_response(self.get_context_data(form=form, dossier=dossier, query=query, found=found))

    def post(self, request, pk):
        dossier, query, found = self.context(pk, request.POST)
        form = NomineeForm(request.POST, found=found)
        if form.is_valid():
            recipient = form.cleaned_data["recipient"]
            row = services.NomineeRow(title=form.cleaned_data["title"], summary=form.cleaned_data["summary"],
                                      **({"person": recipient} if request.POST["recipient"].startswith("p:")
                                         else {"unit": recipient}))
            try:
                services.nominees_add(dossier=dossier, by=request.user, rows=[row])
            except services.RegistryError as error:
                refused(form, error)
            else:
                messages.success(request, _("%(recipient)s was added.") % {"recipient": recipient})
                return redirect(dossier)
        return self.render_to_response(self.get_context_data(form=form, dossier=dossier, query=query, found=found),
                                       status=400)


class NomineeImportView(DossierMixin, ImportMixin, TemplateView):
    """The dossier's list of nominees from a spreadsheet: preview, then all or nothing."""

    permission_required = "awards.change_dossier"
    form_class = NomineeImportForm
    kind = "nominees"

    def dispatch(self, request, *args, pk, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(self.permission_required):
            self.dossier = self.get_dossier(pk)
            self.need(self.dossier, workflow.SENDER)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(dossier=self.dossier, **kwargs)

    def preview(self, table, form):
        return imports.preview_nominees(table, dossier=self.dossier, by=self.request.user)

    def commit(self, preview, form):
        return imports.commit_nominees(preview, by=self.request.user, dossier=self.dossier)

    def done(self, added):
        messages.success(self.request, _("%(count)s nominees were added from the file.") % {"count": len(added)})
        return redirect(self.dossier)


class NomineeMixin(DossierMixin):
    permission_required = "awards.change_dossier"

    def get_nominee(self, pk):
        nominee = get_object_or_404(Nominee.objects.select_related("person", "unit", "title"), pk=pk)
        dossier = self.get_dossier(nominee.dossier_id)
        return nominee, dossier


class NomineeEditView(NomineeMixin, TemplateView):
    template_name = "awards/nominations/nominee_edit.html"

    def get(self, request, pk):
        nominee, dossier = self.get_nominee(pk)
        self.need(dossier, workflow.SENDER)
        form = NomineeEditForm(initial={"title": nominee.title_id, "summary": nominee.summary,
                                        "version": nominee.version})
        return self.render_to_response(self.get_context_data(form=form, nominee=nominee, dossier=dossier))

    def post(self, request, pk):
        nominee, dossier = self.get_nominee(pk)
        self.need(dossier, workflow.SENDER)
        form = NomineeEditForm(request.POST)
        if form.is_valid():
            try:
                services.nominee_update(nominee=nominee, by=request.user, expected_version=form.cleaned_data["version"],
                                        title=form.cleaned_data["title"], summary=form.cleaned_data["summary"])
            except services.RegistryError as error:
                refused(form, error)
            else:
                messages.success(request, _("The nominee was saved."))
                return redirect(dossier)
        return self.render_to_response(self.get_context_data(form=form, nominee=nominee, dossier=dossier), status=400)


class NomineeRemoveView(NomineeMixin, View):
    def post(self, request, pk):
        nominee, dossier = self.get_nominee(pk)
        self.need(dossier, workflow.SENDER)
        form = MoveForm({"action": "remove", **request.POST.dict()})
        if not form.is_valid():
            messages.error(request, _("The page was out of date; nothing was removed."))
            return redirect(dossier)
        attempt(request, lambda: services.nominee_remove(nominee=nominee, by=request.user,
                                                         expected_version=form.cleaned_data["version"]),
                _("%(recipient)s was taken out of the dossier.") % {"recipient": nominee.recipient})
        return redirect(dossier)


class NomineeReviewView(NomineeMixin, View):
    """The receiving office's answer for one nominee (POST)."""

    permission_required = "awards.review_dossier"

    def post(self, request, pk):
        nominee, dossier = self.get_nominee(pk)
        self.need(dossier, workflow.RECEIVER)
        form = MoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose what to do with the nominee."))
            return redirect(dossier)
        try:
            services.nominee_review(nominee=nominee, action=form.cleaned_data["action"], by=request.user,
                                    expected_version=form.cleaned_data["version"], note=form.cleaned_data["note"],
                                    title=form.cleaned_data["title"])
        except services.RegistryError as error:
            messages.error(request, f"{nominee.recipient}: {error.message}")
        return redirect(f"{dossier.get_absolute_url()}#nominee-{nominee.pk}")


class AttachmentAddView(DossierMixin, View):
    permission_required = "awards.change_dossier"
    upload_limit_setting = "REGISTRY_SCAN_MAX_MB"

    def post(self, request, pk):
        dossier = self.get_dossier(pk)
        self.need(dossier, workflow.SENDER)
        form = AttachmentForm(request.POST, request.FILES, dossier=dossier)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
            return redirect(f"{dossier.get_absolute_url()}#documents")
        attempt(request, lambda: services.attachment_add(
            dossier=dossier, by=request.user, kind=form.cleaned_data["kind"], file=form.cleaned_data["file"],
            nominee=form.cleaned_data["nominee"]), _("The document was attached."))
        return redirect(f"{dossier.get_absolute_url()}#documents")


class AttachmentMixin(DossierMixin):
    def get_attachment(self, pk):
        attachment = get_object_or_404(Attachment, pk=pk)
        return attachment, self.get_dossier(attachment.dossier_id)


class AttachmentDownloadView(AttachmentMixin, View):
    def get(self, request, pk):
        attachment, _dossier = self.get_attachment(pk)
        return FileResponse(attachment.file.open("rb"), filename=attachment.name, as_attachment=True)


class AttachmentRemoveView(AttachmentMixin, View):
    permission_required = "awards.change_dossier"

    def post(self, request, pk):
        attachment, dossier = self.get_attachment(pk)
        self.need(dossier, workflow.SENDER)
        attempt(request, lambda: services.attachment_remove(attachment=attachment, by=request.user),
                _("The document was removed from the dossier."))
        return redirect(f"{dossier.get_absolute_url()}#documents")


def _list_params(request, user):
    """The approved list asked for: an authority this office receives for, a year, a kind, a dossier."""
    data = request.GET if request.method == "GET" else request.POST
    authority = Authority.objects.filter(pk=data.get("authority")).first() if text.plain_int(
        data.get("authority")) else None
    dossier = selectors.dossier_get(user, data.get("dossier")) if text.plain_int(data.get("dossier")) else None
    if dossier is not None:
        authority = dossier.authority
    year = text.plain_int(data.get("year"), high=9999) or (dossier.year if dossier else None)
    kind = data.get("kind") if data.get("kind") in DecisionKind.values else (dossier.kind if dossier else None)
    return authority, year, kind, dossier


class ForwardView(PermissionRequiredMixin, TemplateView):
    """Gather approved nominees this authority cannot grant into a dossier to a higher authority."""

    permission_required = "awards.review_dossier"
    template_name = "awards/nominations/forward.html"

    def form(self, data=None):
        user = self.request.user
        params = self.request.GET if data is None else data
        received = selectors.received_authorities(user)
        dossier = selectors.dossier_get(user, params["dossier"]) if text.plain_int(params.get("dossier")) else None
        authority = received.filter(pk=params["from"]).first() if text.plain_int(params.get("from")) else None
        authority = authority or (dossier.authority if dossier else None) or received.first()
        year = text.plain_int(params.get("year"), high=9999) or (dossier.year if dossier else None)
        nominees = selectors.approved_nominees(user, authority=authority, year=year)
        if dossier is None or selectors.receiving_office(dossier.authority) is not None:
            nominees = nominees.filter(dossier__authority__in=received)
        higher = selectors.higher_authorities(authority) if authority is not None else Authority.objects.none()
        initial = {"nominees": [n.pk for n in nominees if dossier is None or n.dossier_id == dossier.pk]}
        form = ForwardForm(data, nominees=nominees, authorities=higher, initial=initial)
        return form, {"authority": authority, "year": year, "dossier": dossier, "authorities": received,
                      "nominee_list": list(nominees)}

    def get(self, request):
        form, context = self.form()
        return self.render_to_response(self.get_context_data(form=form, **context))

    def post(self, request):
        form, context = self.form(request.POST)
        if form.is_valid():
            try:
                dossier = services.nominees_forward(by=request.user, nominees=list(form.cleaned_data["nominees"]),
                                                    authority=form.cleaned_data["authority"],
                                                    reference=form.cleaned_data["reference"],
                                                    note=form.cleaned_data["note"])
            except services.RegistryError as error:
                refused(form, error)
            else:
                messages.success(request, _("A dossier to %(authority)s was drafted with %(count)s nominees; attach "
                                            "its documents and send it.")
                                 % {"authority": dossier.authority, "count": dossier.nominees.count()})
                return redirect(dossier)
        return self.render_to_response(self.get_context_data(form=form, **context), status=400)


class DecideView(PermissionRequiredMixin, TemplateView):
    """The decision from the approved list, in one step: the decision service numbers it, checks
    the rules and records it; each nominee is marked decided with its award."""

    permission_required = "awards.review_dossier"
    template_name = "awards/nominations/decide.html"
    upload_limit_setting = "REGISTRY_SCAN_MAX_MB"

    def form(self, data=None, files=None):
        authority, year, kind, dossier = _list_params(self.request, self.request.user)
        if authority is None or year is None:
            raise Http404(_("Open the approved list from a dossier or the inbox."))
        nominees = selectors.approved_nominees(self.request.user, authority=authority, year=year, kind=kind,
                                               dossier=dossier)
        if selectors.receiving_office(authority) is None and dossier is not None:
            # An authority outside the registry: its decision names nominees still proposed.
            nominees = selectors.outside_nominees(self.request.user, dossier)
        titles = {n.honour for n in nominees}
        initial = {"authority": authority.pk, "achievement_year": year, "kind": kind or DecisionKind.ANNUAL,
                   "nominees": [n.pk for n in nominees]}
        if len(titles) == 1:
            initial["title"] = titles.pop().pk
        form = DossierDecisionForm(data, files, nominees=nominees, initial=initial)
        return form, {"authority": authority, "year": year, "kind": kind, "dossier": dossier,
                      "nominee_list": list(nominees), "outside": selectors.receiving_office(authority) is None,
                      "outside_authorities": selectors.outside_authority_ids()}

    def get(self, request):
        form, context = self.form()
        return self.render_to_response(self.get_context_data(form=form, **context))

    def post(self, request):
        form, context = self.form(request.POST, request.FILES)
        chosen = form.cleaned_data.get("nominees", []) if form.is_valid() else []
        if form.is_valid() and require_signer(form, [form.cleaned_data.get("title")] + [n.honour for n in chosen]):
            numbers = {n.pk: v for n in chosen
                       if (v := text.plain_int(request.POST.get(f"number-{n.pk}"), low=1, high=2**31 - 1))}
            try:
                decision = services.nominees_decide(by=request.user, nominees=list(chosen), decision=form.instance,
                                                    justification=form.cleaned_data.get("justification", ""),
                                                    register_numbers=numbers)
            except services.RuleWarning as warning:
                form.add_error("justification", warning.message)
                context["row_warnings"] = {chosen[i].pk: found for i, found in warning.row_warnings.items()}
                context["quota"] = warning.quota
            except services.RegistryError as error:
                refused(form, error)
            else:
                messages.success(request, _("Decision %(number)s was recorded with %(count)s recipients.")
                                 % {"number": decision.number, "count": len(chosen)})
                return redirect(decision)
        return self.render_to_response(self.get_context_data(form=form, **context), status=400)


class DeadlineView(PermissionRequiredMixin, TemplateView):
    """The dates by which units send their dossiers, set by the receiving office."""

    permission_required = "awards.review_dossier"
    template_name = "awards/nominations/deadlines.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", DeadlineForm(authorities=selectors.received_authorities(self.request.user),
                                               initial={"year": timezone.localdate().year}))
        return super().get_context_data(deadlines=selectors.deadlines(self.request.user), **kwargs)

    def post(self, request):
        form = DeadlineForm(request.POST, authorities=selectors.received_authorities(request.user))
        if form.is_valid():
            try:
                services.deadline_save(by=request.user, **form.cleaned_data)
            except services.RegistryError as error:
                refused(form, error)
            else:
                messages.success(request, _("The deadline was set."))
                return redirect("awards:nominations-deadlines")
        return self.render_to_response(self.get_context_data(form=form), status=400)
