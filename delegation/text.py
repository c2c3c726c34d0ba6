"""Text normalisation shared by the importer, matching and the folder scan."""

from __future__ import annotations

import re
import unicodedata

_PUNCT_AND_SPACE = re.compile(r"[\s\W_]+", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


_HALF_WIDTH = {0x3000: " ", **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}}


def half_width(text: str) -> str:
    """Full-width letters, digits, punctuation and the ideographic space as their ASCII forms."""
    return text.translate(_HALF_WIDTH)


def clean(value: object) -> str:
    """A cell as trimmed half-width text without control characters ('' for empty)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = half_width(str(value))
    text = _CONTROL.sub("", text)
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    return text.strip()


def match_key(value: object) -> str:
    """A key for matching names and headers: half width, lower case, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", clean(value)).casefold()
    return _PUNCT_AND_SPACE.sub("", text)
