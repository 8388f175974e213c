"""The council's review (a meeting, its ballot sheet, its results) and the public listing (the list
made public in the unit, objections and their answers)."""

import io

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from .. import selectors, services, text, workflow
from ..documents import ballot_pdf, word
from ..forms import AnswerForm, ListingForm, MeetingForm, ObjectionForm
from ..models import CouncilMeeting, Nominee, Objection, Title
from .base import PermissionRequiredMixin, SignedInView
from .nominations import DossierMixin, attempt, refused


class MeetingCreateView(DossierMixin, TemplateView):
    """A council meeting on the dossier: date, place, members present, chair and secretary."""

    permission_required = "awards.change_dossier"
    template_name = "awards/council/meeting_form.html"

    def get(self, request, pk):
        dossier = self.get_dossier(pk)
        council, _side = selectors.meeting_council(request.user, dossier)
        initial = {"chair": council.chair, "secretary": council.secretary} if council else {}
        return self.render_to_response(self.get_context_data(form=MeetingForm(initial=initial), dossier=dossier,
                                                             council=council))

    def post(self, request, pk):
        dossier = self.get_dossier(pk)
        form = MeetingForm(request.POST)
        if form.is_valid():
            try:
                meeting = services.meeting_create(by=request.user, dossier=dossier, **form.cleaned_data)
            except services.RegistryError as error:
                refused(form, error)
            else:
                return redirect(meeting)
        council, _side = selectors.meeting_council(request.user, dossier)
        return self.render_to_response(self.get_context_data(form=form, dossier=dossier, council=council), status=400)


class MeetingMixin(DossierMixin):
    def get_meeting(self, pk):
        meeting = get_object_or_404(CouncilMeeting.objects.select_related("council__unit"), pk=pk)
        return meeting, self.get_dossier(meeting.dossier_id)


class MeetingDetailView(MeetingMixin, TemplateView):
    """The meeting's page: the quorum, the ballot sheet, and the count entered per nominee."""

    template_name = "awards/council/meeting_detail.html"

    def get_context_data(self, **kwargs):
        meeting, dossier = self.get_meeting(self.kwargs["pk"])
        votes = {v.nominee_id: v for v in meeting.votes.select_related("title")}
        nominees = list(selectors.dossier_nominees(dossier))
        titles = selectors.active_titles()
        rows = [(n, votes.get(n.pk), [n.title, *selectors.titles_below(n, titles)]) for n in nominees]
        can_record = selectors.meeting_refusal(self.request.user, meeting, dossier) is None
        return super().get_context_data(meeting=meeting, dossier=dossier, rows=rows, can_record=can_record,
                                        closed=selectors.meeting_closed(meeting), **kwargs)

    def post(self, request, pk):
        meeting, dossier = self.get_meeting(pk)
        self.need(dossier)
        nominees = {n.pk: n for n in dossier.nominees.select_related("title")}
        titles = {t.pk: t for t in Title.objects.all()}
        votes, problems = [], []
        for pk_, nominee in nominees.items():
            agree, disagree = request.POST.get(f"agree-{pk_}", ""), request.POST.get(f"disagree-{pk_}", "") or "0"
            if agree == "":
                continue
            agree, disagree = text.plain_int(agree, high=32767), text.plain_int(disagree, high=32767)
            if agree is None or disagree is None:
                problems.append(_("%(nominee)s: the counts are whole numbers.") % {"nominee": nominee.recipient})
                continue
            title = titles.get(text.plain_int(request.POST.get(f"title-{pk_}")) or nominee.title_id, nominee.title)
            votes.append((nominee, agree, disagree, title))
        version = text.plain_int(request.POST.get("version"))
        if version is None:
            problems.append(_("The page sent no version of the meeting: open it again."))
        if not problems:
            try:
                services.meeting_record(meeting=meeting, by=request.user, votes=votes, expected_version=version)
            except services.StaleEditError as error:
                problems = [error.message]
            except services.RegistryError as error:
                problems = [error.message] + [p for ps in error.row_errors.values() for p in ps]
            else:
                messages.success(request, _("The council's results were recorded."))
                return redirect(meeting)
        for problem in problems:
            messages.error(request, problem)
        return redirect(meeting)


class MeetingBallotView(MeetingMixin, View):
    """The ballot sheet as a PDF, to print one per member present."""

    def get(self, request, pk):
        meeting, _dossier = self.get_meeting(pk)
        body = ballot_pdf(selectors.ballot_data(meeting))
        return FileResponse(io.BytesIO(body), filename=f"phieu-bau-{meeting.pk}.pdf", content_type="application/pdf")


class ListingPublishView(DossierMixin, View):
    permission_required = "awards.change_dossier"

    def post(self, request, pk):
        dossier = self.get_dossier(pk)
        self.need(dossier, workflow.SENDER)
        form = ListingForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(f"{dossier.get_absolute_url()}#listing")
        attempt(request, lambda: services.listing_publish(by=request.user, dossier=dossier, **form.cleaned_data),
                lambda listing: _("The list is public in the unit until %(end)s.")
                % {"end": listing.ends_on.strftime("%d/%m/%Y")})
        return redirect(f"{dossier.get_absolute_url()}#listing")


class PublicListView(SignedInView, TemplateView):
    """The lists made public in the member's unit: who is proposed for what, and where to object."""

    template_name = "awards/council/public_list.html"

    def get_context_data(self, **kwargs):
        listings = [(listing, list(selectors.listing_nominees(listing)))
                    for listing in selectors.listings_for(self.request.user)]
        return super().get_context_data(listings=listings, form=ObjectionForm(),
                                        mine=selectors.my_objections(self.request.user)[:20], **kwargs)


class ObjectionCreateView(SignedInView, View):
    def post(self, request, pk):
        nominee = get_object_or_404(Nominee.objects.select_related("dossier__unit", "person", "unit"), pk=pk)
        listing = selectors.open_listing(nominee.dossier)
        if listing is None or not selectors.can_see_listing(request.user, listing):
            raise Http404(_("No public list open to you holds this nominee."))
        form = ObjectionForm(request.POST)
        if form.is_valid():
            attempt(request, lambda: services.objection_file(by=request.user, nominee=nominee,
                                                             message=form.cleaned_data["message"]),
                    _("Your objection was sent to the unit's officers."))
        else:
            messages.error(request, _("Write the objection or comment."))
        return redirect("awards:public-list")


class ObjectionAnswerView(DossierMixin, View):
    permission_required = "awards.change_dossier"

    def post(self, request, pk):
        objection = get_object_or_404(Objection.objects.select_related("listing"), pk=pk)
        dossier = self.get_dossier(objection.listing.dossier_id)
        self.need(dossier, workflow.SENDER)
        form = AnswerForm(request.POST)
        if form.is_valid():
            attempt(request, lambda: services.objection_answer(
                by=request.user, objection=objection, answer=form.cleaned_data["answer"],
                expected_version=form.cleaned_data["version"]), _("The answer was sent."))
        else:
            messages.error(request, _("Write the answer."))
        return redirect(f"{dossier.get_absolute_url()}#listing")


class DocumentGenerateView(DossierMixin, View):
    """Make a document of the dossier from its data and attach it (POST)."""

    def post(self, request, pk, kind):
        dossier = self.get_dossier(pk)
        self.need(dossier)
        attempt(request, lambda: services.document_generate(by=request.user, dossier=dossier, kind=kind),
                lambda attachment: _("%(document)s was made and attached.") % {"document": attachment.name})
        return redirect(f"{dossier.get_absolute_url()}#documents")


class DocumentTemplateView(PermissionRequiredMixin, View):
    """The template in use for a kind of document (the administrator's own, else the registry's),
    to download, edit in Word and upload in the back office."""

    permission_required = "awards.add_documenttemplate"

    def get(self, request, document):
        if document not in word.KINDS:
            raise Http404(_("No such document."))
        return FileResponse(io.BytesIO(services.template_for(document)), as_attachment=True,
                            filename=f"mau-{document}.docx")
