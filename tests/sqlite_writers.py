"""Eight officers saving at once, each in a thread of its own, on the database DATABASE_URL names.

Run as a program (by tests/test_settings.py) so that the settings are read from the environment
as a deployment reads them. Prints one JSON object: what each save ended in."""

import json
import sys
import threading
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, connection  # noqa: E402

from awards import roles, services  # noqa: E402
from awards.models import Award  # noqa: E402
from awards.services import RecipientRow  # noqa: E402
from tests import factories  # noqa: E402

OFFICERS, ROUNDS = 8, 12


def main():
    call_command("migrate", verbosity=0)
    top = factories.unit(full_name="Cục Thử nghiệm", short_name="CTN")
    authority, title = factories.authority(), factories.title()
    officers = [factories.user(role=roles.OFFICER, scope=top) for _ in range(OFFICERS)]
    people = [factories.person(unit_=factories.unit(parent=top)) for _ in range(OFFICERS)]
    shared = factories.award(person_=factories.person(unit_=top), title_=title, authority_=authority)
    outcomes, lock = Counter(), threading.Lock()
    start = threading.Barrier(OFFICERS)

    def officer(index):
        by = officers[index]
        start.wait()
        for round_ in range(ROUNDS):
            try:
                if round_ % 2:
                    # Everyone reads the same award, then everyone corrects it from the version they
                    # read: one wins, the others must hear that someone else saved it.
                    start.wait()
                    version = Award.objects.get(pk=shared.pk).version
                    start.wait()
                    services.award_correct(award=shared, by=by, expected_version=version,
                                           achievement=f"Sửa bởi {index}-{round_}")
                else:
                    services.decision_grant(by=by, decision=factories.decision(authority_=authority),
                                            rows=[RecipientRow(person=people[index], title=factories.title())])
                result = "saved"
            except services.StaleEditError:
                result = "someone else saved"
            except OperationalError as error:
                result = f"OperationalError: {error}"
            except Exception as error:  # anything else is a failure the test names
                result = f"{type(error).__name__}: {error}"
            with lock:
                outcomes[result] += 1
        connection.close()

    threads = [threading.Thread(target=officer, args=(i,)) for i in range(OFFICERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    print(json.dumps({"outcomes": outcomes, "version": Award.objects.get(pk=shared.pk).version, "journal_mode": mode, "vendor": connection.vendor,
                      "name": str(connection.settings_dict["NAME"])}))


if __name__ == "__main__":
    main()
