"""Uploads waiting between preview and confirm: the file as sent and the table read from it,
kept in the data folder under a random token tied to the user, readable by the service only.

The table is read once; a confirm or a second preview of the same sheet loads what was read
(JSON), so re-posting a token costs no parsing. Anything never confirmed is removed after
REGISTRY_IMPORT_KEEP_HOURS, by `manage.py purge_imports` and at each new upload."""

import datetime
import json
import os
import time
import uuid
from pathlib import Path

from django.conf import settings

from .reader import Table, read_table, without_gc_pauses


class Expired(Exception):
    """The token names no upload of this user (expired, removed, or never there)."""


def _folder():
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _paths(user_id, token):
    if not token or not token.replace("-", "").isalnum() or len(token) > 80:
        raise Expired(token)
    stem = _folder() / f"{int(user_id)}-{token}"
    return stem, stem.with_name(stem.name + ".table.json"), stem.with_name(stem.name + ".preview.json")


def _write_private(path, content):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)


def stage(*, user_id, filename, content):
    """Keep an upload for its preview; returns its token. Old unconfirmed uploads go first."""
    purge()
    suffix = Path(filename).suffix.lower().lstrip(".")
    token = f"{uuid.uuid4().hex}-{suffix if suffix.isalnum() else 'x'}"
    raw, _table, _preview = _paths(user_id, token)
    _write_private(raw, content)
    return token


@without_gc_pauses()
def table(*, user_id, token, sheet=None, known_headers):
    """The table of an upload: the one read before if it is of the sheet asked, else read now.
    A file that cannot be read is refused (FileRefused) and removed."""
    raw, parsed, _preview = _paths(user_id, token)
    if not raw.is_file():
        raise Expired(token)
    if parsed.is_file():
        kept = _load(parsed.read_bytes())
        if not sheet or sheet == kept.sheet:
            return kept
    try:
        found = read_table(raw.read_bytes(), f"upload.{token.rsplit('-', 1)[-1]}", known_headers=known_headers,
                           sheet=sheet)
    except BaseException:
        discard(user_id=user_id, token=token)
        raise
    _write_private(parsed, _dump(found))
    return found


def save_preview(*, user_id, token, summary):
    """What a preview found (a JSON-able summary), for the page to show after a job made it."""
    _write_private(_paths(user_id, token)[2], json.dumps(summary, ensure_ascii=False, default=str).encode())


def load_preview(*, user_id, token):
    """The summary saved by save_preview; Expired if the upload or its preview is gone."""
    raw, _table, preview = _paths(user_id, token)
    if not raw.is_file() or not preview.is_file():
        raise Expired(token)
    return json.loads(preview.read_bytes())


def discard(*, user_id, token):
    for path in _paths(user_id, token):
        path.unlink(missing_ok=True)


def purge(*, older_than_hours=None):
    """Remove uploads (and their tables) not confirmed within the keeping time; returns how many files."""
    hours = settings.REGISTRY_IMPORT_KEEP_HOURS if older_than_hours is None else older_than_hours
    limit = time.time() - hours * 3600
    removed = 0
    for path in _folder().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # removed meanwhile by another worker's purge
            pass
    return removed


# ---- the table as JSON: plain values, and dates, times and timestamps tagged -------------------

def _encode(value):
    for kind, cls in (("datetime", datetime.datetime), ("date", datetime.date), ("time", datetime.time)):
        if isinstance(value, cls):
            return {"$" + kind: value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"$timedelta": value.total_seconds()}
    return str(value)


def _decode(value):
    if len(value) == 1:
        (key, raw), = value.items()
        if key == "$datetime":
            return datetime.datetime.fromisoformat(raw)
        if key == "$date":
            return datetime.date.fromisoformat(raw)
        if key == "$time":
            return datetime.time.fromisoformat(raw)
        if key == "$timedelta":
            return datetime.timedelta(seconds=raw)
    return value


def _dump(found):
    return json.dumps({"headers": found.headers, "rows": found.rows, "sheet": found.sheet, "sheets": found.sheets,
                       "header_row": found.header_row}, default=_encode, ensure_ascii=False).encode()


def _load(content):
    data = json.loads(content, object_hook=_decode)
    return Table(headers=[tuple(h) for h in data["headers"]], rows=[tuple(r) for r in data["rows"]],
                 sheet=data["sheet"], sheets=data["sheets"], header_row=data["header_row"])
