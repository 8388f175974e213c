"""Backup and restore of an SQLite registry and its uploaded files, while it runs.

The database is copied with SQLite's online backup API (a consistent snapshot, readers and
writers carry on); scans and other uploads are added from the media folder. PostgreSQL is
backed up with its own tools (README: pg_dump / pg_restore).
"""

import os
import sqlite3
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection

DB_NAME = "registry.sqlite3"


class BackupError(Exception):
    pass


def _require_sqlite():
    if connection.vendor != "sqlite":
        raise BackupError("This registry runs on PostgreSQL: back it up with pg_dump and restore it with "
                          "pg_restore (see README, “Backup and restore”).")


def backup(destination):
    """Write a .tar.gz holding a snapshot of the database and the media folder; return its path."""
    _require_sqlite()
    destination = Path(destination)
    destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # The whole registry is inside: readable by the service's user only, from its first byte.
    os.close(os.open(destination, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
    with tempfile.TemporaryDirectory() as scratch:
        snapshot = Path(scratch) / DB_NAME
        connection.ensure_connection()
        target = sqlite3.connect(snapshot)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        with tarfile.open(destination, "w:gz") as archive:
            archive.add(snapshot, arcname=DB_NAME)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, arcname="media")
    return destination


def restore(source):
    """Put the database and the media folder back as the archive holds them."""
    _require_sqlite()
    with tarfile.open(source, "r:gz") as archive:
        names = archive.getnames()
        if DB_NAME not in names:
            raise BackupError(f"{source} is not a registry backup (no {DB_NAME} inside).")
        with tempfile.TemporaryDirectory() as scratch:
            archive.extractall(scratch, filter="data")
            connection.ensure_connection()
            if connection.in_atomic_block:
                raise BackupError("Cannot restore inside a transaction.")
            saved = sqlite3.connect(Path(scratch) / DB_NAME)
            try:
                saved.backup(connection.connection)
            finally:
                saved.close()
            media = Path(scratch) / "media"
            if media.is_dir():
                _replace_tree(media, Path(settings.MEDIA_ROOT))


def _replace_tree(source, target):
    import shutil

    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
