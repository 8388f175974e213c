"""The evidence the rules read, entered by the unit's officers: ratings, initiatives, discipline,
length of service; one at a time on these pages or many from a spreadsheet."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from .. import imports, selectors, services
from ..forms import EVIDENCE_FORMS, EnlistmentForm, EvidenceImportForm, ServiceBreakForm
from ..models import Discipline, Initiative, Person, Rating, ServiceBreak, Unit
from .base import PermissionRequiredMixin, VersionedEditView
from .imports import ImportMixin

MODELS = {"rating": Rating, "initiative": Initiative, "discipline": Discipline}


def _unit_of(record):
    owner = getattr(record, "person", None) or getattr(record, "unit", None) or record
    return owner.unit if isinstance(owner, Person) else owner


def _refuse_outside(user, record):
    if not selectors.in_scope(user, _unit_of(record)):
        raise PermissionDenied(_("This record is outside your units, or cannot be changed."))


class EvidenceKindMixin:
    """The kind of entry in the URL (rating, initiative, discipline) and the permission it needs."""

    action = None

    def dispatch(self, request, *args, **kwargs):
        self.model = MODELS.get(kwargs["kind"])
        if self.model is None:
            raise Http404
        self.permission_required = f"awards.{self.action}_{kwargs['kind']}"
        return super().dispatch(request, *args, **kwargs)


class EvidenceCreateView(EvidenceKindMixin, PermissionRequiredMixin, FormView):
    """A new rating, initiative or discipline for a person (or a rating for a unit)."""

    action = "add"
    owner_model = Person
    template_name = "awards/evidence_form.html"

    def has_permission(self):
        if not super().has_permission():
            return False
        if self.owner_model is Unit and self.model is not Rating:
            raise Http404
        self.owner = get_object_or_404(self.owner_model, pk=self.kwargs["pk"])
        _refuse_outside(self.request.user, self.owner)
        return True

    def get_form_class(self):
        return EVIDENCE_FORMS[self.kwargs["kind"]]

    def form_valid(self, form):
        instance = form.save(commit=False)
        setattr(instance, "person" if self.owner_model is Person else "unit", self.owner)
        try:
            services.evidence_save(instance=instance, by=self.request.user)
        except services.RegistryError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved: %(entry)s.") % {"entry": instance})
        return redirect(instance)

    def get_context_data(self, **kwargs):
        return super().get_context_data(owner=self.owner, what=self.model._meta.verbose_name, **kwargs)


class EvidenceEditView(EvidenceKindMixin, VersionedEditView):
    """A correction of an entry, refused if someone saved it after it was opened."""

    action = "change"
    template_name = "awards/evidence_form.html"

    def get_queryset(self):
        return self.model.objects.all()

    def get_object(self, queryset=None):
        record = super().get_object(queryset)
        _refuse_outside(self.request.user, record)
        return record

    def get_form_class(self):
        return EVIDENCE_FORMS[self.kwargs["kind"]]

    def save(self, form):
        services.evidence_save(instance=form.instance, by=self.request.user,
                               expected_version=form.cleaned_data["version"])

    def get_context_data(self, **kwargs):
        owner = getattr(self.object, "person", None) or self.object.unit
        return super().get_context_data(owner=owner, what=self.model._meta.verbose_name, **kwargs)


class EvidenceDeleteView(EvidenceKindMixin, PermissionRequiredMixin, View):
    """Remove an entry made in error (the audit trail keeps what it said)."""

    action = "delete"
    http_method_names = ["post"]

    def post(self, request, kind, pk):
        record = get_object_or_404(self.model, pk=pk)
        _refuse_outside(request.user, record)
        if request.POST.get("confirm") != "yes":
            return HttpResponseBadRequest(_("Confirm the removal on the entry's page."))
        target = record.get_absolute_url()
        services.evidence_delete(instance=record, by=request.user)
        messages.success(request, _("Removed: %(entry)s.") % {"entry": record})
        return redirect(target)


class ServiceView(PermissionRequiredMixin, DetailView):
    """A person's enlistment date and breaks in service: the years of service the medals count."""

    permission_required = "awards.change_person"
    template_name = "awards/person_service.html"
    model = Person

    def get_object(self, queryset=None):
        person = super().get_object(queryset)
        _refuse_outside(self.request.user, person)
        return person

    def get_context_data(self, **kwargs):
        kwargs.setdefault("enlistment_form", EnlistmentForm(instance=self.object))
        kwargs.setdefault("break_form", ServiceBreakForm())
        return super().get_context_data(service=selectors.person_service(self.object), **kwargs)

    def post(self, request, pk):
        self.object = self.get_object()
        person = Person.objects.get(pk=pk)
        if request.POST.get("action") == "break":
            form = ServiceBreakForm(request.POST, instance=ServiceBreak(person=person))
            save = services.service_break_save
            context = {"break_form": form}
        else:
            form = EnlistmentForm(request.POST, instance=person)
            save = services.record_save
            context = {"enlistment_form": form}
        if form.is_valid():
            try:
                save(instance=form.instance, by=request.user)
            except services.RegistryError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Saved."))
                return redirect("awards:person-service", pk=pk)
        return self.render_to_response(self.get_context_data(**context), status=400)


class ServiceBreakDeleteView(PermissionRequiredMixin, View):
    permission_required = "awards.change_person"
    http_method_names = ["post"]

    def post(self, request, pk):
        record = get_object_or_404(ServiceBreak.objects.select_related("person__unit"), pk=pk)
        _refuse_outside(request.user, record.person)
        if request.POST.get("confirm") != "yes":
            return HttpResponseBadRequest(_("Confirm the removal on the person's service page."))
        services.service_break_delete(instance=record, by=request.user)
        messages.success(request, _("Removed: %(entry)s.") % {"entry": record})
        return redirect("awards:person-service", pk=record.person_id)


class EvidenceImportView(PermissionRequiredMixin, ImportMixin, TemplateView):
    """Ratings (with an initiative or a discipline on the same row) from a spreadsheet."""

    permission_required = "awards.add_rating"
    form_class = EvidenceImportForm
    kind = "evidence"

    def preview(self, table, form):
        return imports.preview_evidence(table, by=self.request.user)

    def commit(self, preview, form):
        return imports.commit_evidence(preview, by=self.request.user)

    def done(self, result):
        messages.success(self.request, _("%(created)s entries added, %(updated)s ratings changed.") % result)
        return redirect("awards:evidence-import")
