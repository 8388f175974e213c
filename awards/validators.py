"""Checks on uploaded files: what they contain, not only what they are called."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SCAN_TYPES = {".pdf": "PDF", ".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}


def _scan_content_type(handle):
    """'PDF', 'JPEG' or 'PNG' if the bytes really are one, else None."""
    head = handle.read(8)
    handle.seek(0)
    if head.startswith(b"%PDF-"):
        from pypdf import PdfReader

        try:
            return "PDF" if len(PdfReader(handle).pages) > 0 else None
        except Exception:  # pypdf raises many kinds of error on a damaged file
            return None
        finally:
            handle.seek(0)
    kind = _image_format(handle, settings.REGISTRY_SCAN_MAX_PIXELS)
    return kind if kind in ("JPEG", "PNG") else None


def _image_format(handle, max_pixels):
    """The image's format as Pillow reads it (None: not a readable image); refused if it holds more
    than max_pixels, read from its header before a pixel is decoded."""
    from PIL import Image

    try:
        with Image.open(handle) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise ValidationError(
                    _("The image is %(width)s × %(height)s pixels (%(mp).0f megapixels); the limit is %(limit).0f "
                      "megapixels.") % {"width": width, "height": height, "mp": width * height / 1e6,
                                        "limit": max_pixels / 1e6})
            kind = image.format
            image.verify()
    except ValidationError:
        raise
    except Exception:  # Pillow's errors on a file that is not an image vary by format
        return None
    finally:
        handle.seek(0)
    return kind


def validate_emblem(value):
    """A certificate's emblem: a PNG or JPEG no larger than REGISTRY_EMBLEM_MAX_PIXELS, so that
    drawing it on every certificate stays cheap."""
    if not value or getattr(value, "_committed", False):
        return
    handle = getattr(value, "file", value)
    handle.seek(0)
    kind = _image_format(handle, settings.REGISTRY_EMBLEM_MAX_PIXELS)
    if kind is None:
        raise ValidationError(_("The emblem is not a readable image."))
    if kind not in ("JPEG", "PNG"):
        raise ValidationError(_("The emblem must be a PNG or JPEG image."))


def validate_scan(value):
    """A scanned decision: PDF, JPEG or PNG, within the size cap, and truly that kind of file."""
    if not value or getattr(value, "_committed", False):
        return  # already stored, checked when it was uploaded
    cap_mb = settings.REGISTRY_SCAN_MAX_MB
    if value.size > cap_mb * 1024 * 1024:
        raise ValidationError(
            _("The scanned copy is %(size).1f MB; the limit is %(cap)s MB.")
            % {"size": value.size / 1024 / 1024, "cap": cap_mb}
        )
    expected = SCAN_TYPES.get(Path(value.name).suffix.lower())
    if expected is None:
        raise ValidationError(_("The scanned copy must be a PDF, JPEG or PNG file."))
    handle = getattr(value, "file", value)
    handle.seek(0)
    found = _scan_content_type(handle)
    if found != expected:
        raise ValidationError(
            _("“%(name)s” is not a readable %(kind)s file; its content does not match its name.")
            % {"name": Path(value.name).name, "kind": expected}
        )


ATTACHMENT_TYPES = {**SCAN_TYPES, ".docx": "DOCX"}


def _is_docx(handle):
    """A Word document is a zip holding word/document.xml."""
    import zipfile

    try:
        with zipfile.ZipFile(handle) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        handle.seek(0)


def validate_attachment(value):
    """A dossier's document: PDF, DOCX, JPEG or PNG, within the size cap, and truly that kind of file."""
    if not value or getattr(value, "_committed", False):
        return
    cap_mb = settings.REGISTRY_SCAN_MAX_MB
    if value.size > cap_mb * 1024 * 1024:
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; the limit is %(cap)s MB.")
            % {"name": Path(value.name).name, "size": value.size / 1024 / 1024, "cap": cap_mb}
        )
    expected = ATTACHMENT_TYPES.get(Path(value.name).suffix.lower())
    if expected is None:
        raise ValidationError(_("A document must be a PDF, Word (DOCX), JPEG or PNG file."))
    handle = getattr(value, "file", value)
    handle.seek(0)
    found = ("DOCX" if _is_docx(handle) else None) if expected == "DOCX" else _scan_content_type(handle)
    if found != expected:
        raise ValidationError(
            _("“%(name)s” is not a readable %(kind)s file; its content does not match its name.")
            % {"name": Path(value.name).name, "kind": expected}
        )


def validate_document_template(value):
    """A document template: a Word file (no macros, no bomb) that fills from the specimen of a
    document's values in Jinja's sandbox and asks for nothing else."""
    if not value or getattr(value, "_committed", False):
        return
    if not value.name.lower().endswith(".docx"):
        raise ValidationError(_("A template is a Word file (DOCX)."))
    handle = getattr(value, "file", value)
    handle.seek(0)
    data = handle.read()
    handle.seek(0)
    from .documents.word import check_template

    problems = check_template(data)
    if problems:
        raise ValidationError(problems)
