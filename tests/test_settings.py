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


def test_every_sqlite_database_gets_the_concurrency_settings_however_named(monkeypatch, tmp_path):
    from registry import settings as registry_settings

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/named.sqlite3")
    database = registry_settings._database()
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 10
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert database["TEST"]["NAME"] == str(tmp_path / "test-named.sqlite3")
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    assert "transaction_mode" not in registry_settings._database().get("OPTIONS", {})


@pytest.mark.django_db(transaction=False)
def test_eight_officers_saving_at_once_through_a_database_url_sqlite_file(tmp_path):
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "registry.settings", "REGISTRY_DATA_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path}/offices.sqlite3", "DJANGO_SECRET_KEY": "t" * 50}
    done = subprocess.run([sys.executable, str(root / "tests" / "sqlite_writers.py")], env=env, cwd=root,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["vendor"] == "sqlite" and found["name"].endswith("offices.sqlite3")
    assert found["journal_mode"] == "wal"
    outcomes = found["outcomes"]
    assert set(outcomes) <= {"saved", "someone else saved"}, outcomes
    # Six rounds of grants (48) and six rounds in which all eight correct one award at once:
    # in each, one correction is saved and seven are told someone else saved it.
    assert outcomes == {"saved": 48 + 6, "someone else saved": 42}
    assert found["version"] == 1 + 6
