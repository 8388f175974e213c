"""Security headers, a strict Content-Security-Policy the pages keep to, deployment settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from awards import roles
from tests import factories

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_every_page_carries_the_security_headers(client):
    for response in (client.get(reverse("login")), client.get("/verify/ABCDEFGHIJ/")):
        csp = response["Content-Security-Policy"]
        for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                          "frame-ancestors 'none'", "form-action 'self'"):
            assert directive in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline script"),
    (re.compile(r"\sstyle=\"", re.I), "a style attribute"),
    (re.compile(r"<style", re.I), "a style element"),
    (re.compile(r"\son[a-z]+=\"", re.I), "an inline event handler"),
]


def test_the_pages_need_nothing_the_policy_forbids(client):
    award = factories.award(signer_name="Vũ Thanh Bình", signer_title="CỤC TRƯỞNG")
    user = factories.user(role=roles.ADMINISTRATOR, is_staff=True)
    client.force_login(user)
    urls = [reverse("awards:home"), reverse("awards:award-list"), award.get_absolute_url(),
            award.decision.get_absolute_url(), reverse("awards:decision-create"), reverse("awards:unit-list"),
            reverse("awards:year-report"), reverse("awards:candidates"), reverse("awards:decision-import"),
            reverse("awards:account"), reverse("awards:password-change"), reverse("awards:my-honours"),
            reverse("awards:ceremony-list"), reverse("awards:correction-queue"), award.person.get_absolute_url()]
    for url in urls:
        html = client.get(url).content.decode()
        for pattern, what in INLINE:
            found = pattern.search(html)
            assert not found, f"{url} has {what}: {html[found.start():found.start() + 80]!r}"


def test_production_settings_pass_the_deployment_check(tmp_path):
    env = {**os.environ, "DJANGO_HTTPS": "1", "DJANGO_ALLOWED_HOSTS": "khenthuong.example",
           "REGISTRY_DATA_DIR": str(tmp_path), "DJANGO_DEBUG": "0"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests in this process only
    check = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                           cwd=ROOT, env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no issues" in check.stdout
    probe = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='registry.settings'; "
         "django.setup(); from django.conf import settings as s; "
         "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"],
        cwd=ROOT, env=env, capture_output=True, text=True)
    assert probe.stdout.split() == ["True", "True", "True", "True"], probe.stderr


def test_sign_in_is_locked_after_repeated_failures(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    factories.user(username="thu", role=roles.STAFF)
    answers = [client.post(reverse("login"), {"username": "thu", "password": "sai"}).status_code for _ in range(3)]
    assert answers == [200, 200, 429]  # the third failure locks the name out from this address
    locked = client.post(reverse("login"), {"username": "thu", "password": "pw-Test-12345"})
    assert locked.status_code == 429 and "Quá nhiều lần đăng nhập sai" in locked.content.decode()
    # Another user name from the same address, and the same name from another address, still sign in.
    factories.user(username="lan", role=roles.STAFF)
    assert factories.sign_in(client, "lan", "pw-Test-12345")
    other = client.__class__(REMOTE_ADDR="10.0.0.9")
    assert other.post(reverse("login"), {"username": "thu", "password": "pw-Test-12345"}).status_code == 302
