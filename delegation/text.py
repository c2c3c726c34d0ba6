"""Text normalisation shared by the importer, matching and the folder scan."""

from __future__ import annotations

import math
import re
import unicodedata

_PUNCT_AND_SPACE = re.compile(r"[\s\W_]+", re.UNICODE)
# What that pattern removes from ASCII text: everything but letters and digits.
_ASCII_PUNCT_AND_SPACE = bytes(code for code in range(128) if not chr(code).isalnum())
_ASCII_PUNCT_AND_SPACE_BUT_NUL = _ASCII_PUNCT_AND_SPACE.replace(b"\x00", b"")


_HALF_WIDTH = {0x3000: " ", **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}}
# One translate() does all of clean(): half width, control characters dropped (tab, LF and CR kept),
# no-break space as a space, zero-width space dropped.
_CLEAN = {
    **_HALF_WIDTH,
    **{code: None for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)},
    0x00A0: " ",
    0x200B: None,
}


def half_width(text: str) -> str:
    """Full-width letters, digits, punctuation and the ideographic space as their ASCII forms."""
    return text.translate(_HALF_WIDTH)


def clean(value: object) -> str:
    """A cell as trimmed half-width text without control characters ('' for empty)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value if type(value) is str else str(value)
    if text.isascii() and text.isprintable():
        return text.strip()  # the common case: nothing to translate
    return text.translate(_CLEAN).strip()


def match_key(value: object) -> str:
    """A key for matching names and headers: half width, lower case, no spaces or punctuation."""
    text = clean(value)
    if text.isascii():  # e-mails, passports, pinyin: the same key without the regex (twice as fast)
        text = text.lower()
        if text.isalnum():
            return text
        return (
            text.encode("ascii").translate(None, _ASCII_PUNCT_AND_SPACE).decode("ascii")
        )  # 4× str.translate
    return _PUNCT_AND_SPACE.sub("", unicodedata.normalize("NFKC", text).casefold())


def match_keys(values: list) -> list[str]:
    """`match_key` of each value. A column of ASCII texts (e-mails, passports, pinyin) is done in
    one pass: for ASCII text the key is the text in lower case without what is not a letter or a
    digit (what `clean` trims or drops is whitespace or a control character, removed anyway)."""
    if values and all(type(v) is str for v in values):
        blob = "\x00".join(values)
        if blob.isascii():
            keys = blob.lower().encode("ascii").translate(None, _ASCII_PUNCT_AND_SPACE_BUT_NUL)
            split = keys.decode("ascii").split("\x00")
            if len(split) == len(values):  # no value held a NUL of its own
                return split
    return [match_key(v) for v in values]


def megabytes(size: int) -> str:
    """A size in the megabytes of the app's limits (2^20 bytes each), to one decimal rounded up,
    so that a file over a limit never reads as the limit: 20 MB → '20', one byte more → '20.1'."""
    return f"{math.ceil(size * 10 / 2**20) / 10:.1f}".removesuffix(".0")
