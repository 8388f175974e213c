import datetime

from django.core.management.base import BaseCommand, CommandError

from ...imports import commit_recipients, preview_recipients
from ...models import Authority, Decision, Title
from ._importing import commit, read, report


class Command(BaseCommand):
    help = ("Import a decision's recipients from an XLSX or CSV file, through the same checks as the web page. "
            "Prints the preview; writes only with --commit, all or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--decision", required=True, help="number and symbol, e.g. 45/QĐ-TCCNQP")
        parser.add_argument("--authority", required=True, help="the authority's name as in the registry")
        parser.add_argument("--date", required=True, help="date signed, YYYY-MM-DD")
        parser.add_argument("--year", type=int, required=True, help="year of achievement")
        parser.add_argument("--title", help="default title: its code or name")
        parser.add_argument("--signer", default="", help="signer's name")
        parser.add_argument("--signer-title", default="", help="signer's title, e.g. CỤC TRƯỞNG")
        parser.add_argument("--subject", default="Về việc tặng Bằng khen")
        parser.add_argument("--reason", default="")
        parser.add_argument("--sheet", help="sheet name (default: the first visible sheet)")
        parser.add_argument("--commit", action="store_true", help="write the decision if every row is right")

    def handle(self, *args, **options):
        authority = Authority.objects.filter(name=options["authority"]).first()
        if authority is None:
            raise CommandError(f"No authority named {options['authority']!r}")
        title = None
        if options["title"]:
            title = Title.objects.filter(code=options["title"]).first() or Title.objects.filter(name=options["title"]).first()
            if title is None:
                raise CommandError(f"No title {options['title']!r}")
        decision = Decision(
            number=options["decision"], date=datetime.date.fromisoformat(options["date"]), authority=authority,
            achievement_year=options["year"], title=title, signer_name=options["signer"],
            signer_title=options["signer_title"], subject=options["subject"], reason=options["reason"],
        )
        preview = preview_recipients(read(options["file"], options["sheet"]), decision=decision)
        report(self.stdout, preview)
        if options["commit"]:
            made = commit(self.stdout, lambda: commit_recipients(preview, by=None, decision=decision), preview)
            self.stdout.write(f"Đã ghi quyết định {made.number}: {made.awards.count()} khen thưởng." if made
                              else "Không có gì mới để ghi.")
