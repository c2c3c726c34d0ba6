"""Text normalisation shared by the importer, matching and the folder scan, and safe file names."""

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


# What an online form's export writes for a question left blank or skipped (问卷星's "(空)",
# "(跳过)"), and the marks people put in an empty cell.
BLANK_MARKS = frozenset({"(空)", "(跳过)", "N/A", "n/a", "-"})
# An option with its "other, please specify" text, as 问卷星 writes it: "其他〖跨境物流〗".
_OTHER = re.compile(r"([^┋|;；、,，〖]*)〖([^〗]*)〗")


def clean(value: object) -> str:
    """A cell as trimmed half-width text without control characters ('' for empty, and for an
    online form's blank marks); an option written with its own text ("其他〖跨境物流〗") is that text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value if type(value) is str else str(value)
    if text.isascii() and text.isprintable():
        text = text.strip()  # the common case: nothing to translate
        return "" if text in BLANK_MARKS else text
    text = text.translate(_CLEAN).strip()
    if "〖" in text:
        text = _OTHER.sub(lambda m: m[2].strip() or m[1].strip(), text)
    return "" if text in BLANK_MARKS else text


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


# Windows opens these as devices whatever their extension ("CON.pdf" is the console), and so would
# a roster ZIP unpacked there; ¹²³ are the superscript digits Windows also reads as 1–3.
_RESERVED_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{d}{n}" for d in ("COM", "LPT") for n in "123456789¹²³"]
)
_NOT_IN_NAMES = re.compile(r'[<>:"|?*]')  # what Windows refuses in a file name
_DOTS = re.compile(r"\.{2,}")
NAME_CHARACTERS = 120
_LONGEST_EXTENSION = 16  # past this, the "extension" is a part of the name


def safe_name(name: object) -> str:
    """A file name from outside (an upload, a zip member, a file in a scanned folder) as one safe
    base name to store and show: no folder part, no `..`, no NUL, control or invisible characters
    (U+202E, a right-to-left override, before "gpj.exe" makes it read "exe.jpg"), none of the
    characters or device names Windows refuses, no dots or spaces at either end, at most 120
    characters with the extension kept; Chinese as it is."""
    text = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    # Cc: controls and NUL; Cf: bidi overrides and zero-width characters; Cs: undecodable bytes.
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Zl", "Zp"))
    text = _DOTS.sub(".", _NOT_IN_NAMES.sub("_", text)).strip(" .")
    stem, dot, extension = text.rpartition(".")
    if not dot or len(extension) >= _LONGEST_EXTENSION or " " in extension:
        stem, extension = text, ""
    else:
        extension = f".{extension}"
    if stem.split(".", 1)[0].rstrip(" ").upper() in _RESERVED_NAMES:
        stem = f"_{stem}"
    stem = stem[: NAME_CHARACTERS - len(extension)].rstrip(" .") or "file"
    return stem + extension
