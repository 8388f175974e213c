"""Officers' side of correction requests: the queue and answering one."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from .. import selectors, services
from ..choices import CorrectionStatus
from ..forms import (
    AwardCorrectForm,
    CorrectionAnswerForm,
)
from ..models import Award, CorrectionRequest
from .base import ObjectScopeMixin, PermissionRequiredMixin


class CorrectionQueueView(PermissionRequiredMixin, TemplateView):
    permission_required = "awards.view_correctionrequest"
    template_name = "awards/correction_queue.html"

    def get_context_data(self, **kwargs):
        queue = selectors.correction_queue(self.request.user)
        return super().get_context_data(
            open_requests=queue.filter(status=CorrectionStatus.OPEN).order_by("created_at"),
            answered=queue.exclude(status=CorrectionStatus.OPEN).order_by("-resolved_at")[:20], **kwargs,
        )


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
