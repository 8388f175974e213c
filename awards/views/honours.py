"""The honours register: the home page, the list and its exports, an award, its correction and revocation; people and units."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from .. import exports, jobs, rules, selectors, services
from ..choices import CorrectionStatus
from ..filters import AwardFilter
from ..forms import (
    AwardCorrectForm,
    RevokeForm,
)
from ..models import Award, Person, Unit
from ..tables import AwardTable, CountedPagePaginator, KeysFirstPaginator, SingleTableMixin, page_size, paginate_nearest
from .base import (
    ObjectScopeMixin,
    PermissionRequiredMixin,
    SignedInView,
    VersionedEditView,
)
from .jobs import queued


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
            context["my_nominations"] = selectors.person_nominations_open(context["person"])
        if user.has_perm("awards.view_correctionrequest"):
            context["open_requests"] = selectors.correction_queue(user).filter(status=CorrectionStatus.OPEN)[:10]
        if user.has_perm("awards.view_dossier"):
            context["waiting"] = selectors.nomination_waiting(user)
            context["receives"] = selectors.received_authorities(user).exists()
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
    # The table paginates, not the list view (one count); keys first, then the page's rows.
    table_pagination = {"per_page": 50, "paginator_class": KeysFirstPaginator}

    def get_queryset(self):
        return selectors.award_queryset()

    def get_table_pagination(self, table):
        # A name search reads its few rows' count with the page (one trip through the index).
        searched = bool(self.request.GET.get("q", "").strip())
        return {**super().get_table_pagination(table),
                "paginator_class": CountedPagePaginator if searched else KeysFirstPaginator}


class AwardExportView(SignedInView, View):
    """Exactly the rows of the filtered list, in its order, as CSV or XLSX: streamed at once when
    they are few, else made by the worker as a job whose page shows the progress."""

    def count(self, fmt):
        """How many rows the export in this format has (the filters are the URL's, for the GET and
        for the button's POST alike)."""
        if fmt not in ("csv", "xlsx"):
            raise Http404
        return jobs.filtered_awards(self.request.GET).count()

    def get(self, request, fmt):
        count = self.count(fmt)
        if count <= settings.REGISTRY_JOB_EXPORT_ROWS:
            return self.download(request, fmt)
        # A GET asks; only the button's POST puts work in the worker's queue.
        return render(request, "awards/jobs/export_confirm.html", {"count": count, "fmt": fmt,
                                                                    "query": request.GET.urlencode()})

    def post(self, request, fmt):
        count = self.count(fmt)
        if count <= settings.REGISTRY_JOB_EXPORT_ROWS:
            return self.download(request, fmt)
        back = f"{reverse('awards:award-list')}?{request.GET.urlencode()}"
        return queued(request, lambda: jobs.export_job(user=request.user, params=request.GET, fmt=fmt, count=count,
                                                       language=translation.get_language()), back)

    def download(self, request, fmt):
        header, rows, caption = jobs.award_export(request.GET, user=request.user)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if fmt == "csv":
            response = StreamingHttpResponse(exports.csv_stream(header, rows), content_type="text/csv; charset=utf-8")
        else:
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
            print_mode=selectors.blank_print_mode([award.title]), prize=selectors.award_prize(award), **kwargs,
        )


class AwardDetailView(SignedInView, AwardPageMixin, DetailView):
    pass


class AwardCorrectView(ObjectScopeMixin, VersionedEditView):
    permission_required = "awards.change_award"
    template_name = "awards/award_correct.html"
    model = Award
    form_class = AwardCorrectForm
    allowed = staticmethod(selectors.award_editable)

    def save(self, form):
        services.award_correct(award=self.object, by=self.request.user, expected_version=form.cleaned_data["version"],
                               note=form.cleaned_data["note"], **form.changes())


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
        if selectors.can_see_evidence(self.request.user, self.object):
            kwargs["evidence"] = selectors.person_evidence(self.object)
            kwargs["can_edit"] = selectors.can_edit_evidence(self.request.user, self.object.unit)
            kwargs["nominations"] = selectors.person_nominations(self.object)
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
            collective_table=collective, member_table=members, history=selectors.audit_trail(unit),
            ratings=selectors.unit_ratings(unit), can_edit=selectors.can_edit_evidence(self.request.user, unit), **kwargs,
        )
