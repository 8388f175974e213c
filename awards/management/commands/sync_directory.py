"""Check every account the directory signs in against the directory: one it no longer has, or
has disabled, is disabled here at once (not only at its next sign-in); the others get their roles
read again. Run it from cron, say hourly."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Disable the accounts the directory no longer has or has disabled; read the others' roles again."

    def handle(self, *args, **options):
        if not getattr(settings, "AUTH_LDAP_SERVER_URI", ""):
            raise CommandError("No directory is configured (REGISTRY_LDAP_URI).")
        from awards.directory import check_accounts

        users = get_user_model().objects.filter(is_active=True, profile__directory_dn__gt="")
        gone = check_accounts(list(users))
        for user in gone:
            self.stdout.write(f"disabled: {user.get_username()}")
        self.stdout.write(f"{len(users)} accounts checked, {len(gone)} disabled")
