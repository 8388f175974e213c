from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from . import selectors


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "awards/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            counts=selectors.registry_counts(), recent=selectors.decision_recent(), **kwargs
        )
