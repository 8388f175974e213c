from django.core.management.base import BaseCommand

from ... import money
from ...models import BaseSalary, PrizeCoefficient, Title
from ...rules import seed_domain_rules


class Command(BaseCommand):
    help = ("Create the eligibility rules DOMAIN.md states (Law on Emulation and Commendation 2022), and the prize "
            "money coefficients and base salaries the decrees set, for the titles and authorities this registry "
            "has, matched by name. Running it again adds nothing.")

    def handle(self, *args, **options):
        self.stdout.write(f"{seed_domain_rules()} rules created.")
        self.stdout.write(f"{money.seed(BaseSalary, PrizeCoefficient, Title)} prize money rows created.")
