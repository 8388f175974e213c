"""Sign-in with the organisation's directory, against a real OpenLDAP server (Debian's slapd, started
here on a free port with a small directory): roles and unit from its groups at each sign-in, a role
gone with its group, a disabled account refused.

Skipped, saying why, where slapd or python-ldap is missing (.ci/run installs both)."""

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.urls import reverse

from awards import roles
from awards.models import AuditEntry, DirectoryGroup, Profile
from tests import factories

SLAPD = shutil.which("slapd") or ("/usr/sbin/slapd" if Path("/usr/sbin/slapd").exists() else None)
ldap = pytest.importorskip("ldap", reason="python-ldap is not installed: pip install -e '.[ldap]' "
                                          "(with apt-get install libldap2-dev libsasl2-dev)")
from ldap import modlist  # noqa: E402

pytest.importorskip("django_auth_ldap", reason="django-auth-ldap is not installed: pip install -e '.[ldap]'")
if SLAPD is None:
    pytest.skip("slapd is not installed (apt-get install slapd): the directory tests need a real server",
                allow_module_level=True)

pytestmark = pytest.mark.django_db

BASE = "dc=example,dc=vn"
ROOT = f"cn=admin,{BASE}"
SECRET = "Bi-mat-2026"
OFFICERS = f"cn=TDKT-CanBo-PKH,ou=groups,{BASE}"
EVERYONE = f"cn=TDKT-NhanVien,ou=groups,{BASE}"
PASSWORD = "Mat-khau-AD-2026"

CONFIG = """include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb.la
moduleload ppolicy.la
pidfile {folder}/slapd.pid
database mdb
maxsize 10485760
suffix "{base}"
rootdn "{root}"
rootpw {secret}
directory {folder}/data
overlay ppolicy
"""


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    """A running slapd with people (lan, minh) and two groups; yields (uri, connection as root)."""
    folder = tmp_path_factory.mktemp("slapd")
    (folder / "data").mkdir()
    conf = folder / "slapd.conf"
    conf.write_text(CONFIG.format(folder=folder, base=BASE, root=ROOT, secret=SECRET))
    port = _free_port()
    uri = f"ldap://127.0.0.1:{port}"
    # -d 0: stay in the foreground (and so end with the test), logging nothing.
    server = subprocess.Popen([SLAPD, "-f", str(conf), "-h", uri + "/", "-d", "0"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"slapd did not start: {server.stderr.read().decode(errors='replace')}")
                time.sleep(0.1)
        connection = ldap.initialize(uri)
        connection.simple_bind_s(ROOT, SECRET)
        entries = [
            (BASE, {"objectClass": [b"dcObject", b"organization"], "dc": [b"example"], "o": [b"Example"]}),
            (f"ou=people,{BASE}", {"objectClass": [b"organizationalUnit"], "ou": [b"people"]}),
            (f"ou=groups,{BASE}", {"objectClass": [b"organizationalUnit"], "ou": [b"groups"]}),
            _person("lan", "Nguyễn Thị", "Lan"),
            _person("minh", "Trần Văn", "Minh"),
            (OFFICERS, {"objectClass": [b"groupOfNames"], "cn": [b"TDKT-CanBo-PKH"],
                        "member": [f"uid=lan,ou=people,{BASE}".encode(), ROOT.encode()]}),
            (EVERYONE, {"objectClass": [b"groupOfNames"], "cn": [b"TDKT-NhanVien"],
                        "member": [f"uid=lan,ou=people,{BASE}".encode()]}),
        ]
        for dn, attrs in entries:
            connection.add_s(dn, modlist.addModlist(attrs))
        yield uri, connection
    finally:
        server.terminate()
        server.wait(10)


def _person(uid, family, given):
    return (f"uid={uid},ou=people,{BASE}", {
        "objectClass": [b"inetOrgPerson"], "uid": [uid.encode()], "cn": [f"{family} {given}".encode()],
        "sn": [family.encode()], "givenName": [given.encode()], "userPassword": [PASSWORD.encode()],
        "mail": [f"{uid}@example.vn".encode()]})


@pytest.fixture
def signed_by_directory(directory, settings):
    from registry.directory import directory_settings

    uri, _connection = directory
    for name, value in directory_settings({
        "REGISTRY_LDAP_URI": uri, "REGISTRY_LDAP_KIND": "openldap", "REGISTRY_LDAP_BIND_DN": ROOT,
        "REGISTRY_LDAP_BIND_PASSWORD": SECRET, "REGISTRY_LDAP_USER_BASE": f"ou=people,{BASE}",
        "REGISTRY_LDAP_GROUP_BASE": f"ou=groups,{BASE}", "REGISTRY_LDAP_TIMEOUT": "3"}).items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "awards.directory.DirectoryBackend",
                                        "django.contrib.auth.backends.ModelBackend"]
    unit = factories.unit(full_name="Phòng Kế hoạch", short_name="PKH")
    DirectoryGroup.objects.create(dn="CN=TDKT-CanBo-PKH, OU=groups, DC=example, DC=vn", role=roles.OFFICER, unit=unit)
    DirectoryGroup.objects.create(dn=EVERYONE, role=roles.STAFF)
    return {"unit": unit, "connection": directory[1]}


def _roles(username):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    return user, sorted(user.groups.values_list("name", flat=True))


def test_a_person_signs_in_with_the_directory_and_lands_in_the_role_and_unit_of_their_groups(signed_by_directory,
                                                                                          client):
    answer = client.post(reverse("login"), {"username": "lan", "password": PASSWORD})
    assert answer.status_code == 302
    user, held = _roles("lan")
    assert held == [roles.OFFICER, roles.STAFF]
    assert Profile.objects.get(user=user).scope_unit == signed_by_directory["unit"]
    assert (user.first_name, user.last_name, user.email) == ("Lan", "Nguyễn Thị", "lan@example.vn")
    assert not user.has_usable_password()  # the directory's password, never a local copy
    assert client.get(reverse("awards:decision-create")).status_code == 200
    entries = AuditEntry.objects.filter(object_id=str(user.pk), content_type__model="user")
    assert any(e.changes.get("roles") == [[], [roles.OFFICER, roles.STAFF]] for e in entries)  # the change, audited
    # A wrong password is the directory's refusal.
    client.logout()
    assert client.post(reverse("login"), {"username": "lan", "password": "sai"}).status_code == 200


def test_a_role_is_lost_at_the_next_sign_in_once_removed_from_its_group(signed_by_directory, client):
    connection = signed_by_directory["connection"]
    assert client.post(reverse("login"), {"username": "lan", "password": PASSWORD}).status_code == 302
    connection.modify_s(OFFICERS, [(ldap.MOD_DELETE, "member", [f"uid=lan,ou=people,{BASE}".encode()])])
    try:
        client.logout()
        assert client.post(reverse("login"), {"username": "lan", "password": PASSWORD}).status_code == 302
        user, held = _roles("lan")
        assert held == [roles.STAFF] and Profile.objects.get(user=user).scope_unit is None
        assert client.get(reverse("awards:decision-create")).status_code == 403
    finally:
        connection.modify_s(OFFICERS, [(ldap.MOD_ADD, "member", [f"uid=lan,ou=people,{BASE}".encode()])])


def test_a_person_in_no_mapped_group_is_not_a_user_here(signed_by_directory, client):
    answer = client.post(reverse("login"), {"username": "minh", "password": PASSWORD})
    assert answer.status_code == 200 and "_auth_user_id" not in client.session
    user, held = _roles("minh")
    assert held == [] and not user.is_active


def test_an_account_disabled_in_the_directory_cannot_sign_in_and_is_disabled_here(signed_by_directory, client):
    from django.core.management import call_command

    connection = signed_by_directory["connection"]
    assert client.post(reverse("login"), {"username": "lan", "password": PASSWORD}).status_code == 302
    # OpenLDAP's own way of disabling an account: the password policy's lock, for good.
    connection.modify_s(f"uid=lan,ou=people,{BASE}", [(ldap.MOD_ADD, "pwdAccountLockedTime", [b"000001010000Z"])])
    try:
        client.logout()
        assert client.post(reverse("login"), {"username": "lan", "password": PASSWORD}).status_code == 200
        assert "_auth_user_id" not in client.session
        # Its sessions elsewhere end too: the check against the directory disables the account here.
        call_command("sync_directory")
        user, _held = _roles("lan")
        assert not user.is_active
    finally:
        connection.modify_s(f"uid=lan,ou=people,{BASE}", [(ldap.MOD_DELETE, "pwdAccountLockedTime", None)])


def test_local_accounts_still_sign_in_beside_the_directory(signed_by_directory, client):
    factories.user(username="quantri", role=roles.ADMINISTRATOR)
    assert factories.sign_in(client, "quantri", factories.PASSWORD)
