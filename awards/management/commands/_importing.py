"""What the two import commands share: read the file, print the preview, write on --commit."""

from pathlib import Path

from django.core.management.base import CommandError

from ...imports import FileRefused, ImportRefused, count_known_headers, read_table


def read(path, sheet):
    path = Path(path)
    if not path.is_file():
        raise CommandError(f"No such file: {path}")
    try:
        return read_table(path.read_bytes(), path.name, known_headers=count_known_headers, sheet=sheet)
    except FileRefused as error:
        raise CommandError(str(error))


def report(stdout, preview):
    for problem in preview.file_problems:
        stdout.write(f"TỆP: {problem}")
    for row in preview.rows:
        notes = "; ".join(f"[{column}] {message}" if column else message for column, message, _e in row.problems)
        stdout.write(f"dòng {row.number:>6}  {row.status:<9}  {row.label}  {notes}".rstrip())
    stdout.write(f"{len(preview.rows)} dòng: {len(preview.to_write)} sẽ ghi, {preview.count('unchanged')} không đổi, "
                 f"{preview.errors} lỗi.")


def commit(write, preview):
    try:
        return write()
    except ImportRefused as error:
        raise CommandError(error.message)
