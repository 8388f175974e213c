"""Security headers, a strict Content-Security-Policy the pages keep to, deployment settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from awards import roles, services
from awards.models import CertificateLayout
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
    layout = services.record_save(instance=CertificateLayout(title=award.title, name="Phôi"), by=None)
    services.layout_fill_defaults(layout=layout, by=None)
    user = factories.user(role=roles.ADMINISTRATOR, is_staff=True)
    client.force_login(user)
    urls = [reverse("awards:home"), reverse("awards:award-list"), award.get_absolute_url(),
            award.decision.get_absolute_url(), reverse("awards:decision-create"), reverse("awards:unit-list"),
            reverse("awards:year-report"), reverse("awards:candidates"), reverse("awards:decision-import"),
            reverse("awards:account"), reverse("awards:password-change"), reverse("awards:my-honours"),
            reverse("awards:ceremony-list"), reverse("awards:correction-queue"), award.person.get_absolute_url(),
            reverse("awards:layout-list"), layout.get_absolute_url()]
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


PROXY = "127.0.0.1"  # the reverse proxy: every connection comes from it


def test_behind_a_proxy_of_one_trusted_hop_each_client_is_its_own_address(client, settings):
    from django.core.cache import cache
    from django.test import RequestFactory

    from registry.clientip import client_ip

    cache.clear()
    settings.REGISTRY_PROXY_HOPS = 1
    settings.AXES_FAILURE_LIMIT = 3
    settings.REGISTRY_VERIFY_RATE = "2/m"
    factories.user(username="thu", role=roles.STAFF)
    # One person fails three times: locked out, from their own address only.
    one = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    answers = [client.post(reverse("login"), {"username": "thu", "password": "sai"}, **one).status_code
               for _ in range(3)]
    assert answers == [200, 200, 429]
    other = client.__class__(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert other.post(reverse("login"), {"username": "thu", "password": factories.PASSWORD}).status_code == 302
    # A client that writes its own X-Forwarded-For gains nothing: the proxy appends the real address,
    # and only the last entry (one trusted hop) is believed.
    spoofing = client.__class__(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert spoofing.post(reverse("login"), {"username": "thu", "password": factories.PASSWORD}).status_code == 429
    # The verification rate limit is per client too.
    url = reverse("awards:verify", args=["ABCDEFGHIJKLMNOP"])
    assert [client.get(url, **one).status_code for _ in range(3)] == [404, 404, 429]
    assert client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.44").status_code == 404
    # The address itself, by hops.
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.1.1.1, 192.0.2.1, 192.0.2.2")
    assert client_ip(request) == "192.0.2.2"
    settings.REGISTRY_PROXY_HOPS = 2
    assert client_ip(request) == "192.0.2.1"
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="nonsense")) == PROXY


def test_served_directly_x_forwarded_for_is_ignored(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.REGISTRY_PROXY_HOPS = 0
    settings.AXES_FAILURE_LIMIT = 2
    factories.user(username="thu", role=roles.STAFF)
    for forwarded in ("198.51.100.1", "198.51.100.2"):
        client.post(reverse("login"), {"username": "thu", "password": "sai"}, HTTP_X_FORWARDED_FOR=forwarded)
    # Both failures came from one connection address: locked, whatever the header claimed.
    locked = client.post(reverse("login"), {"username": "thu", "password": factories.PASSWORD},
                         HTTP_X_FORWARDED_FOR="198.51.100.3")
    assert locked.status_code == 429


def test_the_proxy_setting_counts_trusted_hops_from_the_environment(tmp_path):
    env = {**os.environ, "REGISTRY_DATA_DIR": str(tmp_path), "DJANGO_BEHIND_PROXY": "1", "DJANGO_PROXY_HOPS": "2"}
    probe = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='registry.settings'; "
         "django.setup(); from django.conf import settings as s; print(s.REGISTRY_PROXY_HOPS)"],
        cwd=ROOT, env=env, capture_output=True, text=True)
    assert probe.stdout.strip() == "2", probe.stderr


_SERVER_ERROR = """
import django, os, sys
django.setup()
from django.conf import settings
from django.core import mail
from django.test import Client
from awards import selectors

def broken(code):
    raise RuntimeError("sổ bị hỏng khi tra cứu")

selectors.award_verify = broken
settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
mail.outbox = []
response = Client(raise_request_exception=False).get("/verify/ABCDEFGHIJ/")
print(response.status_code, len(mail.outbox), mail.outbox[0].to if mail.outbox else [], file=sys.stdout)
"""


def test_a_server_error_with_debug_off_is_logged_with_its_traceback_and_mailed_to_the_admins(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "registry.settings", "DJANGO_DEBUG": "0",
           "REGISTRY_DATA_DIR": str(tmp_path), "DJANGO_ALLOWED_HOSTS": "testserver",
           "DJANGO_ADMINS": "Nguyễn Văn An <an@example.vn>, ops@example.vn"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", _SERVER_ERROR], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.stdout.split()[:2] == ["500", "1"], done.stdout + done.stderr
    assert "an@example.vn" in done.stdout and "ops@example.vn" in done.stdout
    assert "ERROR django.request" in done.stderr and "/verify/ABCDEFGHIJ/" in done.stderr
    assert "Traceback (most recent call last)" in done.stderr
    assert "RuntimeError: sổ bị hỏng khi tra cứu" in done.stderr


def test_request_bodies_are_capped_and_only_the_upload_forms_take_files(client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_DIR = tmp_path
    settings.REGISTRY_SCAN_MAX_MB = 1
    settings.REGISTRY_IMPORT_MAX_MB = 1
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    officer = factories.user(role=roles.OFFICER, scope=factories.unit())
    client.force_login(officer)
    big = b"x" * (200 * 1024)
    # A file posted where no file belongs: refused before anything reads it (nothing on disk).
    for url in (reverse("awards:account"), reverse("awards:award-list"), reverse("login")):
        response = client.post(url, {"file": SimpleUploadedFile("a.bin", big)})
        assert response.status_code == 413, url
        assert "quá lớn" in response.content.decode()
    # The upload forms take their file's limit (here 1 MB) and no more.
    for url in (reverse("awards:decision-create"), reverse("awards:roster-import")):
        response = client.post(url, {"spreadsheet": SimpleUploadedFile("a.csv", big)})
        assert response.status_code != 413, url
        response = client.post(url, {"spreadsheet": SimpleUploadedFile("a.csv", b"x" * (1200 * 1024))})
        assert response.status_code == 413, url


def test_files_the_registry_writes_are_for_its_user_only(client, settings, tmp_path):
    import stat

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.importfiles import xlsx

    data_dir = tmp_path / "data"
    env = {**os.environ, "REGISTRY_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    for command in (["migrate", "-v", "0"], ["backup", str(data_dir / "backups" / "b.tar.gz")]):
        done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr

    def mode(path):
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(data_dir) == 0o700
    written = [data_dir / "registry.sqlite3", data_dir / "secret_key", data_dir / "backups" / "b.tar.gz"]
    written += [p for p in data_dir.glob("registry.sqlite3-*")]  # WAL and shared-memory files
    assert {str(p): oct(mode(p)) for p in written} == {str(p): oct(0o600) for p in written}
    assert mode(data_dir / "backups") == 0o700
    # Uploads: a scan, and a spreadsheet waiting for its preview to be confirmed.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path
    unit = factories.unit(short_name="PKH")
    person = factories.person(unit_=unit)
    scan = SimpleUploadedFile("qd.pdf", factories.scan_pdf())
    award = factories.grant(rows=[factories.RecipientRow(person=person, title=factories.title())], scan=scan)[0]
    assert mode(Path(award.decision.scan.path)) == 0o600
    assert mode(Path(award.decision.scan.path).parent) == 0o700
    client.force_login(factories.user(role=roles.OFFICER, scope=unit))
    client.post(reverse("awards:roster-import"), {"spreadsheet": SimpleUploadedFile(
        "ds.xlsx", xlsx([["1", "Lê Văn Mới", "", "", "PKH"]], headers=["STT", "Họ và tên", "Cấp bậc", "Chức vụ", "Đơn vị"]))})
    staged = list((tmp_path / "imports").iterdir())
    assert staged and all(mode(p) == 0o600 for p in staged)
    assert mode(tmp_path / "imports") == 0o700
