from django.conf import settings
from django.core.management.base import BaseCommand

from ... import jobs


class Command(BaseCommand):
    help = ("Remove the files of exports, imports and print batches done in the background, once older than "
            "REGISTRY_JOB_KEEP_HOURS (or --hours). Each new job does the same.")

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=None,
                            help=f"age in hours (default: {settings.REGISTRY_JOB_KEEP_HOURS:g})")

    def handle(self, *args, **options):
        removed = jobs.purge(older_than_hours=options["hours"])
        self.stdout.write(f"Đã xóa tệp của {removed} việc chạy nền đã quá hạn lưu.")
