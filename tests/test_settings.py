import pytest
from django.db import connection, transaction

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
def test_sqlite_is_set_up_for_several_writers():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 10000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    assert connection.transaction_mode == "IMMEDIATE"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
@pytest.mark.django_db(transaction=True)
def test_a_write_transaction_takes_the_lock_when_it_begins():
    import sqlite3

    with transaction.atomic():
        other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
