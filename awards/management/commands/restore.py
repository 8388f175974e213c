from django.core.management.base import BaseCommand, CommandError

from ...backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore the SQLite registry and its uploaded files from a backup made by `backup`. Everything "
            "recorded since that backup is replaced: stop the application first.")

    def add_arguments(self, parser):
        parser.add_argument("source")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, **options):
        if not options["yes"]:
            answer = input(f"Replace the registry with {options['source']}? Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing restored.")
        try:
            restore(options["source"])
        except BackupError as error:
            raise CommandError(str(error))
        self.stdout.write(f"Restored from {options['source']}.")
