"""The registry's pages. Thin: permissions, a selector or a service, a template."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from . import exports, selectors, services
from .filters import AwardFilter, DecisionFilter
from .forms import AwardCorrectForm, DecisionEditForm, DecisionForm, RecipientFormSet, RevokeForm
from .models import Award, Decision, Person, Unit
from .tables import AwardTable, DecisionAwardTable, DecisionTable


class SignedInView(LoginRequiredMixin):
    """Readable by every signed-in person: honours are announced in public."""


class HomeView(SignedInView, TemplateView):
    template_name = "awards/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            counts=selectors.registry_counts(), recent=selectors.decision_recent(), **kwargs
        )


class AwardListView(SignedInView, SingleTableMixin, FilterView):
    """Sổ khen thưởng: the honours list, filtered, searched, sorted, paginated."""

    template_name = "awards/award_list.html"
    filterset_class = AwardFilter
    table_class = AwardTable
    paginate_by = 50

    def get_queryset(self):
        return selectors.award_queryset()

    def get_table_pagination(self, table):
        per_page = self.request.GET.get("per_page", "")
        return {"per_page": min(int(per_page), 500) if per_page.isdigit() and int(per_page) > 0 else self.paginate_by}


class AwardExportView(SignedInView, View):
    """Exactly the rows of the filtered list, in its order, as CSV or XLSX, streamed."""

    def get(self, request, fmt):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        personal = selectors.can_see_personal_data(request.user)
        awards = selectors.award_list(user=request.user, filters=request.GET, order_by=request.GET.get("sort"))
        if personal:
            awards = awards.select_related("person")
        rows = exports.award_rows(awards.iterator(chunk_size=2000), personal=personal)
        header = exports.award_header(personal=personal)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if fmt == "csv":
            response = StreamingHttpResponse(exports.csv_stream(header, rows), content_type="text/csv; charset=utf-8")
        else:
            response = FileResponse(
                exports.xlsx_file(header, rows, sheet_title=_("Honours")),
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
            can_revoke=selectors.award_revocable(user, award), **kwargs,
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


class AwardCorrectView(PermissionRequiredMixin, ObjectScopeMixin, DetailView, FormView):
    permission_required = "awards.change_award"
    template_name = "awards/award_correct.html"
    model = Award
    form_class = AwardCorrectForm
    allowed = staticmethod(selectors.award_editable)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(self.permission_required):
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object, "initial": {"version": self.object.version}}

    def form_valid(self, form):
        try:
            services.award_correct(
                award=self.object, by=self.request.user, expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"], **form.changes(),
            )
        except services.StaleEditError as error:
            return self.render_to_response(self.get_context_data(form=stale_form(form, error), stale=stale_rows(Award, error)))
        except services.RegistryError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The correction was saved."))
        return redirect(self.object)


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
    paginate_by = 50

    def get_queryset(self):
        return selectors.decision_queryset()


class DecisionCreateView(PermissionRequiredMixin, TemplateView):
    """Record a decision with all its recipients: every row checked, all or nothing."""

    permission_required = "awards.add_decision"
    template_name = "awards/decision_form.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=DecisionForm(), formset=RecipientFormSet(prefix="rows")))

    def post(self, request, *args, **kwargs):
        form = DecisionForm(request.POST, request.FILES)
        formset = RecipientFormSet(request.POST, prefix="rows")
        if form.is_valid() and formset.is_valid():
            kept = formset.kept_forms()
            try:
                decision = services.decision_grant(
                    by=request.user, decision=form.instance, rows=[f.row() for f in kept],
                )
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
            can_edit=selectors.decision_editable(self.request.user, self.object), **kwargs,
        )


class DecisionEditView(PermissionRequiredMixin, ObjectScopeMixin, DetailView, FormView):
    permission_required = "awards.change_decision"
    template_name = "awards/decision_edit.html"
    model = Decision
    form_class = DecisionEditForm
    allowed = staticmethod(selectors.decision_editable)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(self.permission_required):
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        # A copy: the form writes its values onto its instance while validating.
        instance = Decision.objects.get(pk=self.object.pk)
        return {**super().get_form_kwargs(), "instance": instance, "initial": {"version": self.object.version}}

    def form_valid(self, form):
        try:
            services.decision_update(
                decision=self.object, by=self.request.user, expected_version=form.cleaned_data["version"],
                **form.changes(),
            )
        except services.StaleEditError as error:
            return self.render_to_response(
                self.get_context_data(form=stale_form(form, error), stale=stale_rows(Decision, error))
            )
        except services.RegistryError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The correction was saved."))
        return redirect(self.object)


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
        personal = selectors.can_see_personal_data(self.request.user)
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
            table.paginate(page=self.request.GET.get(f"{table.prefix}page", 1), per_page=50)
        return super().get_context_data(
            ancestors=selectors.unit_ancestors(unit), children=unit.children.order_by("path"),
            collective_table=collective, member_table=members, history=selectors.audit_trail(unit), **kwargs,
        )


class RecipientSearchView(PermissionRequiredMixin, View):
    """Search-as-you-type for the decision page: people and units, accents ignored."""

    permission_required = "awards.add_decision"

    def get(self, request):
        return JsonResponse({"results": selectors.recipient_search(request.GET.get("q", ""), user=request.user)})
