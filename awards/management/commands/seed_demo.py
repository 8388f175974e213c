from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from awards import demo


class Command(BaseCommand):
    help = "Load the demo registry (idempotent). Refuses to run with DEBUG off unless --force."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Load demo data and demo accounts even though DEBUG is off.",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a real deployment, and the demo would add accounts "
                "with published passwords. Set DJANGO_DEBUG=1, or pass --force if you mean it."
            )
        demo.build(stdout=self.stdout)
        self.stdout.write("Demo accounts (user name / password):")
        for username, password in demo.DEMO_PASSWORDS.items():
            self.stdout.write(f"  {username:<10} {password}")
