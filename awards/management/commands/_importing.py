"""What the two import commands share: read the file, print the preview, write on --commit."""

from pathlib import Path

from django.core.management.base import CommandError

from ...imports import FileRefused, ImportRefused, count_known_headers, read_table

_STATUS = {"ready": "sẵn sàng", "warning": "cần xem", "error": "lỗi", "unchanged": "không đổi", "skipped": "bỏ qua"}


def read(path, sheet):
    path = Path(path)
    if not path.is_file():
        raise CommandError(f"No such file: {path}")
    try:
        return read_table(path.read_bytes(), path.name, known_headers=count_known_headers, sheet=sheet)
    except FileRefused as error:
        raise CommandError(str(error))


def _row_line(row):
    notes = "; ".join(f"[{column}] {message}" if column else message for column, message, _e in row.problems)
    return f"dòng {row.number:>6}  {_STATUS.get(row.status, row.status):<9}  {row.label}  {notes}".rstrip()


def report(stdout, preview):
    """Every row with its state and every reason, as the web page's preview shows them."""
    for problem in preview.file_problems:
        stdout.write(f"TỆP: {problem}")
    for row in preview.rows:
        stdout.write(_row_line(row))
    stdout.write(f"{len(preview.rows)} dòng: {len(preview.to_write)} sẽ ghi, {preview.count('unchanged')} không đổi, "
                 f"{preview.skipped} bỏ qua, {preview.errors} lỗi.")


def commit(stdout, write, preview):
    """Write, or say which rows were refused and why (each of them), then fail."""
    try:
        return write()
    except ImportRefused as error:
        for row in error.preview.rows:
            if row.status == "error":
                stdout.write(_row_line(row))
        raise CommandError(error.message)
