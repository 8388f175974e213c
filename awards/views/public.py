"""Pages for anyone: certificate verification and robots.txt."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views import View
from django_ratelimit.core import is_ratelimited

from .. import selectors


class VerifyView(View):
    """Public: is this certificate genuine and in force? Only what the certificate itself shows."""

    def get(self, request, code=""):
        code = code or request.GET.get("code", "")
        context = {"code": code}
        status = 200
        if code:
            if is_ratelimited(request, group="verify", key="ip", rate=settings.REGISTRY_VERIFY_RATE, increment=True):
                context["limited"], status = True, 429
            else:
                context["award"] = selectors.award_verify(code)
                status = 200 if context["award"] else 404
        response = render(request, "awards/verify.html", context, status=status)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "no-store"
        return response


def robots_txt(request):
    """Nothing here is for search engines: the registry is private and verification is by code."""
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")
