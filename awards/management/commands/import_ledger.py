from django.core.management.base import BaseCommand, CommandError

from ... import text
from ...choices import AliasKind
from ...imports import commit_ledger, preview_ledger
from ...models import Authority, Title
from ._importing import commit, read, report


def _mappings(pairs, kind, model):
    """{(kind, folded name): record} from "NAME AS WRITTEN=registry name" pairs (a title by its code too)."""
    found = {}
    for pair in pairs or ():
        written, sep, name = pair.partition("=")
        if not sep or not written.strip() or not name.strip():
            raise CommandError(f"Write the mapping as “NAME IN THE FILE=name in the registry”: {pair!r}")
        target = model.objects.filter(name=text.normalize(name)).first()
        if target is None and model is Title:
            target = Title.objects.filter(code=name.strip()).first()
        if target is None:
            raise CommandError(f"No {kind} named {name.strip()!r} in the registry")
        found[(kind, text.fold(written))] = target
    return found


class Command(BaseCommand):
    help = ("Import a ledger of past honours (one row per honour, each naming its decision: number, date, "
            "authority, title, year, recipient) from an XLSX or CSV file, through the same checks as the web page. "
            "Prints the preview (the decisions to create or extend, the people to add, every problem); writes only "
            "with --commit, all or nothing. Names the registry does not know are mapped with --map-authority and "
            "--map-title, and remembered.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--sheet", help="sheet name (default: the first visible sheet)")
        parser.add_argument("--map-authority", action="append", metavar="NAME=AUTHORITY",
                            help="an authority's name as the file writes it = its name in the registry (repeatable)")
        parser.add_argument("--map-title", action="append", metavar="NAME=TITLE",
                            help="a title's name as the file writes it = its name or code in the registry (repeatable)")
        parser.add_argument("--commit", action="store_true", help="write the ledger if every row is right")

    def handle(self, *args, **options):
        mappings = {**_mappings(options["map_authority"], AliasKind.AUTHORITY, Authority),
                    **_mappings(options["map_title"], AliasKind.TITLE, Title)}
        preview = preview_ledger(read(options["file"], options["sheet"]), mappings=mappings)
        report(self.stdout, preview)
        for unknown in preview.unknown:
            rows = ", ".join(str(n) for n in unknown.rows[:20]) + (" …" if len(unknown.rows) > 20 else "")
            self.stdout.write(f"CHƯA BIẾT ({'cấp quyết định' if unknown.kind == AliasKind.AUTHORITY else 'danh hiệu'}): "
                              f"“{unknown.name}”, dòng {rows}")
        for group in preview.groups:
            if group.to_write:
                self.stdout.write(f"{'Bổ sung' if group.existing else 'Tạo'} quyết định {group.number} "
                                  f"ngày {group.date:%d/%m/%Y} ({group.authority}): {len(group.to_write)} khen thưởng")
        self.stdout.write(f"{len(preview.decisions_new)} quyết định mới, {len(preview.decisions_extended)} bổ sung, "
                          f"{len(preview.new_people)} người mới.")
        if options["commit"]:
            written = commit(self.stdout, lambda: commit_ledger(preview, by=None), preview)
            self.stdout.write(f"Đã ghi {len(written)} quyết định." if written else "Không có gì mới để ghi.")
