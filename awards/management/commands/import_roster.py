from django.core.management.base import BaseCommand

from ...imports import commit_roster, preview_roster
from ._importing import commit, read, report


class Command(BaseCommand):
    help = ("Import a roster of people (name, rank, position, unit, service number, date of birth) from XLSX or CSV. "
            "Prints the preview; writes only with --commit, all or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--sheet", help="sheet name (default: the first visible sheet)")
        parser.add_argument("--commit", action="store_true", help="write if every row is right")

    def handle(self, *args, **options):
        preview = preview_roster(read(options["file"], options["sheet"]))
        report(self.stdout, preview)
        if options["commit"]:
            result = commit(self.stdout, lambda: commit_roster(preview, by=None), preview)
            self.stdout.write(f"Thêm {result['created']} người, cập nhật {result['updated']} người.")
