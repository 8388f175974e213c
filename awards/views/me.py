"""One's own record: my honours and certificates, asking for a correction, the account."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from .. import selectors, services, text
from ..choices import PrintKind
from ..forms import CorrectionRequestForm
from ..models import Award, CorrectionRequest
from ..widgets import style_widgets
from .base import SignedInView
from .printing import certificate_filename, print_response


class MyHonoursView(SignedInView, TemplateView):
    """Hồ sơ khen thưởng của tôi: the signed-in person's own honours, their unit's, their requests."""

    template_name = "awards/my_honours.html"

    def get_context_data(self, **kwargs):
        person = selectors.my_person(self.request.user)
        context = {"person": person}
        if person is not None:
            context.update(
                years=selectors.my_awards_by_year(person),
                unit_awards=selectors.unit_collective_awards(person.unit),
                requests=person.correction_requests.select_related("award__title").order_by("-created_at")[:20],
                evidence=selectors.person_evidence(person),
                nominations=selectors.person_nominations(person),
            )
        return super().get_context_data(**context, **kwargs)


class MyCertificateView(SignedInView, View):
    """POST: the signed-in person's own certificate. Anyone else's id answers 404, like no id."""

    http_method_names = ["post"]

    def post(self, request, pk):
        award = selectors.my_award(request.user, pk)
        if award is None:
            raise Http404
        return print_response(request, [award], kind=PrintKind.SINGLE, back="awards:my-honours",
                              filename=certificate_filename(award))


class CorrectionRequestCreateView(SignedInView, FormView):
    template_name = "awards/correction_request_form.html"
    form_class = CorrectionRequestForm

    def dispatch(self, request, *args, **kwargs):
        self.person = selectors.my_person(request.user)
        if request.user.is_authenticated and self.person is None:
            messages.error(request, _("Your account is not linked to a person in the registry; ask an administrator."))
            return redirect("awards:my-honours")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person}

    def get_initial(self):
        award = self.request.GET.get("award", "")
        if award and text.plain_int(award) is None:
            raise Http404
        if award and not Award.objects.filter(pk=award, person=self.person).exists():
            raise Http404
        return {"award": award or None}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.correction_request_file(by=self.request.user, kind=data["kind"], message=data["message"],
                                             award=data["award"])
        except services.RegistryError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Your request was sent to the officers of your unit."))
        return redirect("awards:my-honours")


class CorrectionAnswerSeenView(SignedInView, View):
    """POST: the requester has read the answer to their request; back to where they were."""

    http_method_names = ["post"]

    def post(self, request, pk):
        person = selectors.my_person(request.user)
        if person is None:
            raise Http404
        services.correction_answer_seen(request=get_object_or_404(CorrectionRequest, pk=pk, person=person),
                                        by=request.user)
        return redirect("awards:home")


class AccountView(SignedInView, TemplateView):
    template_name = "awards/account.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=selectors.my_person(self.request.user), **kwargs)


class PasswordChangeView(SignedInView, auth_views.PasswordChangeView):
    template_name = "awards/password_change.html"
    success_url = reverse_lazy("awards:account")

    def get_form(self, form_class=None):
        return style_widgets(super().get_form(form_class))

    def form_valid(self, form):
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)
