import time

from django.core.management.base import BaseCommand, CommandError

from ...benchdata import analyze, build
from ...models import Award


class Command(BaseCommand):
    help = ("Fill an empty database with a large synthetic registry for benchmarks: ~2,000 units, "
            "--persons people with Vietnamese names, --awards honours over 20 years (bulk inserts).")

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=200000)
        parser.add_argument("--awards", type=int, default=1000000)
        parser.add_argument("--units", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=2021)

    def handle(self, *args, **options):
        if Award.objects.exists():
            raise CommandError("The database already has awards: seed_bench fills an empty registry only.")
        start = time.perf_counter()
        made = build(persons=options["persons"], awards=options["awards"], units=options["units"],
                     seed=options["seed"], out=lambda line: self.stdout.write(f"  {line}"))
        analyze()
        self.stdout.write(f"{made['units']} units, {made['persons']} people, {made['decisions']} decisions, "
                          f"{made['awards']} awards in {time.perf_counter() - start:.0f} s.")
