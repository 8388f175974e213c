"""Sign-in with the organisation's directory (Active Directory or OpenLDAP), through
django-auth-ldap: off unless REGISTRY_LDAP_URI is set. Read by settings.py only.

REGISTRY_LDAP_URI          ldap://dc1.example.vn or ldaps://…; unset: no directory, local accounts only
REGISTRY_LDAP_KIND         "ad" (Active Directory, the default) or "openldap": the default filters and
                           group type of each
REGISTRY_LDAP_BIND_DN / REGISTRY_LDAP_BIND_PASSWORD
                           the service account that searches the directory (empty: anonymous)
REGISTRY_LDAP_USER_BASE    where people are searched, e.g. OU=Nhan su,DC=example,DC=vn
REGISTRY_LDAP_USER_FILTER  how a person is found by the name typed, %(user)s standing for it; by default
                           AD: sAMAccountName, disabled accounts (userAccountControl bit 2) left out;
                           OpenLDAP: uid, accounts locked by the password policy (pwdAccountLockedTime) left out
REGISTRY_LDAP_GROUP_BASE   where groups are searched (default: the user base)
REGISTRY_LDAP_START_TLS    "1" to upgrade ldap:// with StartTLS
REGISTRY_LDAP_CA_FILE      the CA certificate that signed the directory's own
REGISTRY_LDAP_TIMEOUT      seconds to wait for the directory (default: 5)

Who is what comes from the directory's groups, mapped to a role and a unit in the back office
(awards.DirectoryGroup), at each sign-in (awards.directory)."""

from django.core.exceptions import ImproperlyConfigured

FILTERS = {
    "ad": "(&(objectClass=user)(sAMAccountName=%(user)s)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))",
    "openldap": "(&(objectClass=inetOrgPerson)(uid=%(user)s)(!(pwdAccountLockedTime=*)))",
}


def directory_settings(env):
    """The AUTH_LDAP_* settings for this environment, or {} when no directory is configured."""
    uri = env.get("REGISTRY_LDAP_URI", "").strip()
    if not uri:
        return {}
    try:
        import ldap
        from django_auth_ldap.config import GroupOfNamesType, LDAPSearch, NestedActiveDirectoryGroupType
    except ImportError as error:
        raise ImproperlyConfigured(
            "REGISTRY_LDAP_URI is set but django-auth-ldap is not installed: pip install -e '.[ldap]' "
            "(it builds python-ldap: apt-get install libldap2-dev libsasl2-dev)") from error
    kind = env.get("REGISTRY_LDAP_KIND", "ad").strip().lower()
    if kind not in FILTERS:
        raise ImproperlyConfigured(f"REGISTRY_LDAP_KIND is {kind!r}: write 'ad' or 'openldap'")
    user_base = env.get("REGISTRY_LDAP_USER_BASE", "")
    group_base = env.get("REGISTRY_LDAP_GROUP_BASE", "") or user_base
    timeout = float(env.get("REGISTRY_LDAP_TIMEOUT", "5"))
    options = {ldap.OPT_REFERRALS: 0, ldap.OPT_NETWORK_TIMEOUT: timeout, ldap.OPT_TIMEOUT: timeout}
    if env.get("REGISTRY_LDAP_CA_FILE"):
        options[ldap.OPT_X_TLS_CACERTFILE] = env["REGISTRY_LDAP_CA_FILE"]
        options[ldap.OPT_X_TLS_NEWCTX] = 0
    return {
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_BIND_DN": env.get("REGISTRY_LDAP_BIND_DN", ""),
        "AUTH_LDAP_BIND_PASSWORD": env.get("REGISTRY_LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_START_TLS": env.get("REGISTRY_LDAP_START_TLS", "").strip().lower() in {"1", "true", "yes", "on"},
        "AUTH_LDAP_CONNECTION_OPTIONS": options,
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(user_base, ldap.SCOPE_SUBTREE,
                                            env.get("REGISTRY_LDAP_USER_FILTER") or FILTERS[kind]),
        "AUTH_LDAP_GROUP_SEARCH": LDAPSearch(group_base, ldap.SCOPE_SUBTREE,
                                             "(objectClass=group)" if kind == "ad" else "(objectClass=groupOfNames)"),
        "AUTH_LDAP_GROUP_TYPE": NestedActiveDirectoryGroupType() if kind == "ad" else GroupOfNamesType(),
        "AUTH_LDAP_USER_ATTR_MAP": {"first_name": "givenName", "last_name": "sn", "email": "mail"},
        # The directory is asked at every sign-in: names, groups and whether the account still exists.
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        "AUTH_LDAP_CACHE_TIMEOUT": 0,
        "AUTH_LDAP_MIRROR_GROUPS": False,
        "AUTH_LDAP_FIND_GROUP_PERMS": False,
    }
