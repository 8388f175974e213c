"""Importing recipients and rosters from spreadsheets: read, match, preview, write all or nothing."""

from .core import (
    COLUMNS,
    EVIDENCE_COLUMNS,
    RECIPIENT_COLUMNS,
    ROSTER_COLUMNS,
    ImportRefused,
    Preview,
    commit_recipients,
    commit_roster,
    count_known_headers,
    header_key,
    preview_recipients,
    preview_roster,
)
from . import store
from .evidence import commit_evidence, preview_evidence
from .ledger import LEDGER_COLUMNS, commit_ledger, preview_ledger
from .nominees import NOMINEE_COLUMNS, commit_nominees, preview_nominees
from .reader import FileRefused, decode_csv, parse_date, read_table

__all__ = [
    "COLUMNS", "EVIDENCE_COLUMNS", "RECIPIENT_COLUMNS", "commit_evidence", "preview_evidence", "ROSTER_COLUMNS", "FileRefused", "ImportRefused", "Preview",
    "commit_recipients", "commit_roster", "count_known_headers", "decode_csv", "header_key", "parse_date",
    "preview_recipients", "preview_roster", "read_table", "store", "NOMINEE_COLUMNS", "commit_nominees",
    "preview_nominees", "LEDGER_COLUMNS", "commit_ledger", "preview_ledger",
]
