"""The organisation's directory behind one small module: the authentication backend the settings
name when REGISTRY_LDAP_URI is set (registry/directory.py), and the check of every account it
signs in that the directory still has it (manage.py sync_directory)."""

from django_auth_ldap.backend import LDAPBackend

from . import services


class DirectoryBackend(LDAPBackend):
    """django-auth-ldap's backend, with the registry's roles and unit read from the person's
    groups at each sign-in (services.directory_sync)."""

    def authenticate_ldap_user(self, ldap_user, password):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None:
            return None
        return services.directory_sync(user=user, dn=ldap_user.dn, group_dns=ldap_user.group_dns)


def check_accounts(users):
    """For each account the directory signed in: still there and enabled (the user search's
    filter leaves disabled accounts out)? Those that are not are disabled here; the others get
    their roles read again. Returns the accounts disabled."""
    backend = DirectoryBackend()
    gone = []
    for user in users:
        found = backend.populate_user(user.get_username())
        if found is None:
            services.directory_disable(user=user, note="Not found, or disabled, in the directory")
            gone.append(user)
        else:
            services.directory_sync(user=found, dn=found.ldap_user.dn, group_dns=found.ldap_user.group_dns)
    return gone
