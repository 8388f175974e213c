"""The certificate's typeface: registered once per process, checked to cover Vietnamese."""

import functools
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

STYLES = ("regular", "bold", "italic", "bold_italic")
# Every letter Vietnamese writes: the precomposed block U+1EA0–U+1EF9 and the Latin-1 /
# Latin Extended-A letters (ă â đ ê ô ơ ư, à á ã è é ì í ò ó õ ù ú ý, capitals too).
VIETNAMESE_LETTERS = (
    "".join(chr(c) for c in range(0x1EA0, 0x1EFA))
    + "ăâđêôơưĂÂĐÊÔƠƯàáãèéìíòóõùúýÀÁÃÈÉÌÍÒÓÕÙÚÝ"
)


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    italic: str
    bold_italic: str


def default_files():
    """Gentium Book Plus (SIL, OFL), shipped by the rendercv-fonts package."""
    import rendercv_fonts

    folder = Path(rendercv_fonts.path_of["Gentium Book Plus"])
    return {
        "regular": folder / "GentiumBookPlus-Regular.ttf",
        "bold": folder / "GentiumBookPlus-Bold.ttf",
        "italic": folder / "GentiumBookPlus-Italic.ttf",
        "bold_italic": folder / "GentiumBookPlus-BoldItalic.ttf",
    }


def configured_files():
    """The files the CERTIFICATE_FONT setting names, style by style, else the default family."""
    from django.conf import settings

    chosen = {k: v for k, v in (getattr(settings, "CERTIFICATE_FONT", None) or {}).items() if v}
    if not chosen:
        return default_files()
    if "regular" not in chosen:
        raise ImproperlyConfigured("CERTIFICATE_FONT needs at least a 'regular' TTF file.")
    return {style: Path(chosen.get(style) or chosen["regular"]) for style in STYLES}


@functools.cache
def register(files):
    """Register the four styles (files: tuple of (style, path)) and return their font names."""
    names = {}
    for style, path in files:
        path = Path(path)
        if not path.is_file():
            raise ImproperlyConfigured(f"Certificate font file not found: {path}")
        name = f"Cert-{path.stem}"
        if name not in pdfmetrics.getRegisteredFontNames():
            font = TTFont(name, str(path))
            missing = [ch for ch in VIETNAMESE_LETTERS if ord(ch) not in font.face.charToGlyph]
            if missing:
                raise ImproperlyConfigured(
                    f"The certificate font {path.name} lacks Vietnamese letters: {''.join(missing[:20])}"
                )
            pdfmetrics.registerFont(font)
        names[style] = name
    fonts = FontSet(**names)
    family = fonts.regular
    addMapping(family, 0, 0, fonts.regular)
    addMapping(family, 1, 0, fonts.bold)
    addMapping(family, 0, 1, fonts.italic)
    addMapping(family, 1, 1, fonts.bold_italic)
    return fonts


def certificate_fonts():
    files = configured_files()
    return register(tuple((style, str(files[style])) for style in STYLES))
