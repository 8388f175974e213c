from django.conf import settings
from django.core.management.base import BaseCommand

from ...imports import store


class Command(BaseCommand):
    help = ("Remove spreadsheet uploads whose preview was never confirmed, once older than "
            "REGISTRY_IMPORT_KEEP_HOURS (or --hours). Each new upload does the same.")

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=None,
                            help=f"age in hours (default: {settings.REGISTRY_IMPORT_KEEP_HOURS:g})")

    def handle(self, *args, **options):
        removed = store.purge(older_than_hours=options["hours"])
        self.stdout.write(f"Đã xóa {removed} tệp tải lên chưa được xác nhận.")
