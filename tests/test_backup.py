"""Backup and restore: a round trip that compares every table and the uploaded files."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from awards import services
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite backup; PostgreSQL uses pg_dump (README)"),
]


def every_table():
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f'SELECT * FROM "{table}"')
            tables[table] = sorted(map(repr, cursor.fetchall()))
    return tables


def png():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


def test_backup_then_restore_gives_back_every_table_and_file(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    award = factories.award(scan=SimpleUploadedFile("qd.png", png()), signer_name="Vũ Thanh Bình")
    before, scan = every_table(), award.decision.scan.path
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    services.award_revoke(award=award, by=None, number="9/QĐ", date=datetime.date(2023, 1, 1), reason="Sai")
    factories.award()
    (tmp_path / "media" / "extra.txt").write_text("after the backup")
    import os
    os.remove(scan)
    assert every_table() != before

    call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert every_table() == before
    assert os.path.exists(scan) and not (tmp_path / "media" / "extra.txt").exists()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    import tarfile

    from django.core.management.base import CommandError

    bogus = tmp_path / "x.tar.gz"
    with tarfile.open(bogus, "w:gz") as archive:
        note = tmp_path / "note.txt"
        note.write_text("hello")
        archive.add(note, arcname="note.txt")
    before = every_table()
    with pytest.raises(CommandError, match="not a registry backup"):
        call_command("restore", str(bogus), "--yes")
    assert every_table() == before
