from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ...backup import BackupError, backup


class Command(BaseCommand):
    help = ("Back up the SQLite registry and its uploaded files into one .tar.gz, while it runs "
            "(SQLite's online backup). PostgreSQL: use pg_dump (README).")

    def add_arguments(self, parser):
        parser.add_argument("destination", nargs="?", help="file to write (default: var/backups/registry-<time>.tar.gz)")

    def handle(self, *args, **options):
        destination = options["destination"] or (
            settings.DATA_DIR / "backups" / f"registry-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz")
        try:
            path = backup(destination)
        except BackupError as error:
            raise CommandError(str(error))
        self.stdout.write(f"Backup written: {path}")
