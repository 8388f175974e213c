"""Sign-in: the page, and the throttle per address across user names.

django-axes locks a user name out from an address after REGISTRY_LOGIN_FAILURES failures; that
alone lets one address try a few passwords on every name it can guess (password spraying). So
an address is also stopped, whatever the names, after REGISTRY_LOGIN_ADDRESS_FAILURES failures
within REGISTRY_LOGIN_COOLOFF_HOURS of its last: enough for an office behind one address whose
people mistype, not for a list of names."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.shortcuts import render

from .clientip import client_ip


def _key(request):
    return f"signin-failures:{client_ip(request)}"


def _window():
    return int(float(settings.AXES_COOLOFF_TIME) * 3600)


@receiver(user_login_failed, dispatch_uid="registry.signin.count_address_failures")
def count_address_failures(sender, credentials=None, request=None, **kwargs):
    if request is None:
        return
    key = _key(request)
    cache.set(key, cache.get(key, 0) + 1, timeout=_window())


def address_blocked(request):
    return cache.get(_key(request), 0) >= settings.REGISTRY_LOGIN_ADDRESS_FAILURES


class SignInView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if address_blocked(request):
            return render(request, "registration/locked_out.html", {"by_address": True}, status=429)
        return super().post(request, *args, **kwargs)
