"""Vietnamese text: normalisation, accent folding, name parts and sort keys."""

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")

# Combining marks that turn a base letter into another letter of the alphabet.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_LETTER_MARKS = {
    ("a", _BREVE): "ă",
    ("a", _CIRCUMFLEX): "â",
    ("e", _CIRCUMFLEX): "ê",
    ("o", _CIRCUMFLEX): "ô",
    ("o", _HORN): "ơ",
    ("u", _HORN): "ư",
}
# Tone marks, in the order Vietnamese dictionaries rank them after the unmarked tone:
# huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

# The Vietnamese alphabet, with the Latin letters it lacks (f j w z) in their Latin places.
_ALPHABET = "0123456789aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_WORD_BREAK = "aa"  # sorts before every letter's code, which starts at "b"


@functools.lru_cache(maxsize=65536)
def normalize(value):
    """NFC, with runs of white space folded to one space and the ends trimmed (remembered: an
    import or a list asks for the same names again and again)."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


@functools.lru_cache(maxsize=65536)
def fold(value):
    """Accent-free, lower-case search key: 'Đoàn Thị Ánh' -> 'doan thi anh' (remembered, as normalize)."""
    decomposed = unicodedata.normalize("NFD", normalize(value).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def split_name(full_name):
    """Family, middle and given name of a Vietnamese full name, by its words.

    The family name is the first word, the given name the last, the middle name what
    lies between (possibly several words, possibly nothing).
    """
    words = normalize(full_name).split(" ")
    if not words or words == [""]:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def _letters(word):
    """(letter, tone) pairs of a word, letters as in the Vietnamese alphabet."""
    out = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(ch):
            if not out:
                continue
            letter, tone = out[-1]
            if ch in _TONES:
                out[-1] = (letter, _TONES[ch])
            elif (letter, ch) in _LETTER_MARKS:
                out[-1] = (_LETTER_MARKS[(letter, ch)], tone)
            continue
        if ch in _RANK:
            out.append((ch, 0))
    return out


def _code(rank):
    return chr(ord("b") + rank // 26) + chr(ord("a") + rank % 26)


@functools.lru_cache(maxsize=65536)
def collation_key(*parts):
    """A key whose plain byte (and ASCII-letter) order is Vietnamese dictionary order (remembered).

    Parts are compared in turn, letter by letter in the order a ă â b c d đ e ê …,
    and only when every letter is equal do the tones decide (none, huyền, hỏi, ngã,
    sắc, nặng). The key holds only the letters a-z, so any database collation orders
    it the same way.
    """
    primary, tones = [], []
    for part in parts:
        for word in normalize(part).split(" "):
            pairs = _letters(word)
            primary.extend(_code(_RANK[letter]) for letter, _ in pairs)
            primary.append(_WORD_BREAK)
            tones.extend("abcdef"[tone] for _, tone in pairs)
    return "".join(primary) + _WORD_BREAK + "".join(tones)


def name_sort_key(family, middle, given):
    """Roster order: by given name, then middle name, then family name."""
    return collation_key(given, middle, family)


def date_words(value):
    """A date as Decree 30/2020 has documents print it: a leading zero only for days below 10
    and for months 1 and 2 ('ngày 05 tháng 01 năm 2022', 'ngày 14 tháng 3 năm 2022')."""
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def short_code(code):
    """The first ten characters of a verification code, as printed: 'RSZRZ-FMYGM'."""
    return f"{code[:5]}-{code[5:10]}"


def position_in_unit(position, units):
    """A position and the units it is held in, as certificates write them: a head's position
    absorbs its unit's kind ("Trưởng phòng" in "Phòng Khoa học quân sự" -> "Trưởng phòng Khoa học
    quân sự"), then the units above: "Trưởng phòng Khoa học quân sự, Cục Quản lý công nghệ"."""
    units = [u for u in units if u]
    if not position:
        return ", ".join(units)
    if units:
        folded = fold(position)
        words = units[0].split()
        for n in (2, 1):
            kind = " ".join(words[:n])
            if len(words) > n and (folded == fold(kind) or folded.endswith(" " + fold(kind))):
                return ", ".join([f"{position} {' '.join(words[n:])}", *units[1:]])
    return ", ".join([position, *units])


_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_GROUPS = ["", " nghìn", " triệu"]


def _three_digits(n, *, leading):
    """0 < n < 1000 in words; a group after another reads its hundreds even when 0
    ("không trăm linh năm"), the leading group does not ("mười hai")."""
    hundreds, tens, ones = n // 100, n // 10 % 10, n % 10
    words = []
    if hundreds or not leading:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if ones:
            words += (["linh"] if words else []) + [_DIGITS[ones]]
    elif tens == 1:
        words += ["mười"] + ([] if ones == 0 else ["lăm"] if ones == 5 else [_DIGITS[ones]])
    else:
        words += [_DIGITS[tens], "mươi"]
        words += [] if ones == 0 else [{1: "mốt", 4: "tư", 5: "lăm"}.get(ones, _DIGITS[ones])]
    return " ".join(words)


def _number_words(n, *, leading=True):
    """n ≥ 0 in words, grouped by thousands up to tỷ; above a tỷ, the tỷ are counted in words."""
    if n >= 10**9:
        billions, rest = divmod(n, 10**9)
        words = _number_words(billions, leading=leading) + " tỷ"
        return words + (" " + _number_words(rest, leading=False) if rest else "")
    groups = [n // 10**6 % 1000, n // 1000 % 1000, n % 1000]
    words, started = [], not leading
    for index, group in enumerate(groups):
        if group:
            words.append(_three_digits(group, leading=not started) + _GROUPS[2 - index])
            started = True
    return " ".join(words)


def amount_words(amount):
    """An amount of đồng written out as payment lists and vouchers write it: "Hai triệu ba trăm
    bốn mươi nghìn đồng" (linh for a missing ten, mốt, tư, lăm after a ten, "không trăm" inside)."""
    amount = int(amount)
    if amount < 0:
        raise ValueError("a payment is never negative")
    words = _number_words(amount) if amount else "không"
    return f"{words[0].upper()}{words[1:]} đồng"


_PLAIN_INT = re.compile(r"[0-9]{1,19}")
INT64_MAX = 2**63 - 1


def plain_int(value, *, low=0, high=INT64_MAX):
    """The whole number a request wrote as plain ASCII digits within [low, high], else None:
    never "1e3", "²", "١٢", "1_000", " 7" or a number past what the database's 64-bit keys hold."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        raw = str(value if value is not None else "")
        negative = raw.startswith("-") and low < 0
        digits = raw[1:] if negative else raw
        if not _PLAIN_INT.fullmatch(digits):
            return None
        number = -int(digits) if negative else int(digits)
    return number if low <= number <= high else None


def percent(value):
    """A share as offices write it: one decimal at most, the locale's decimal mark (88,9; 70)."""
    from django.utils.formats import number_format

    shown = number_format(value, 1)
    return shown[:-2] if shown[-2:] in (",0", ".0") else shown
