"""Search text: what a unit or participant can be found by — Chinese, pinyin, initials, English."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator

from delegation.text import match_key, match_keys

_HAN = re.compile(r"[\u4e00-\u9fff]")
# Runs as pypinyin sees them (CJK, extension A/B…, compatibility ideographs, 〇).
_HAN_RUNS = re.compile(r"([\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+)")


@functools.lru_cache(maxsize=65536)
def pinyin_for(name: str) -> str:
    """A passport-style pinyin name made from a Chinese one: '张伟明' → 'ZHANG Weiming' (for a
    list or a roster where the form gave none)."""
    if not _HAN_RUNS.search(name or ""):
        return ""  # a name in Latin letters already is what a passport says
    syllables = [s for _, part in _read(name) for s in part if s.strip()]
    if not syllables:
        return ""
    return f"{syllables[0].upper()} {''.join(syllables[1:]).capitalize()}".strip()


def _read(text: str) -> Iterator[tuple[bool, tuple[str, ...]]]:
    """A text as pypinyin's lazy_pinyin reads it, in order: each run of Chinese characters as its
    toneless syllables (True, …), other text as written (False, (text,)). Every pinyin the desk
    makes comes from here."""
    for i, part in enumerate(_HAN_RUNS.split(text)):
        if i % 2:
            yield True, _syllables(part)
        elif part:
            yield False, (part,)


@functools.lru_cache(maxsize=65536)
def _syllables(run: str) -> tuple[str, ...]:
    """The toneless pinyin of a run of Chinese characters, as pypinyin's lazy_pinyin reads it.

    A run whose characters each have one toneless reading (most names) is read character by
    character; others are split into the words of pypinyin's phrase dictionary and each word is
    converted once per process (有限公司, 银行, 重庆…).
    """
    readings = [_char_reading(c) for c in run]
    if None not in readings:
        return tuple(readings)
    from pypinyin.seg.simpleseg import seg  # its dictionaries take a quarter second to load

    return tuple(itertools.chain.from_iterable(_word_syllables(word) for word in seg(run)))


@functools.lru_cache(maxsize=65536)
def _word_syllables(word: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(word))


@functools.cache
def _char_reading(char: str) -> str | None:
    """A character's toneless reading when it has only one (None for 长, 行, 重… and unknown ones)."""
    from pypinyin import Style, pinyin

    readings = set(pinyin(char, style=Style.NORMAL, heteronym=True)[0])
    return readings.pop() if len(readings) == 1 and _HAN.match(next(iter(readings))) is None else None


def precompute_until(texts: list, answered) -> None:
    """Work out the pinyin of each of a form's texts (strings, as a worker told them; kept in this
    process's cache for `search_texts`) until `answered()`: the desk's idle time while a worker
    reads the form goes to its search text (pypinyin's dictionaries load with the first)."""
    for start in range(0, len(texts), 256):
        if answered():
            return
        for text in texts[start : start + 256]:
            if isinstance(text, str):
                _pinyin_forms(match_key(text))


def _initial(syllable: str) -> str:
    return syllable[0] if syllable.isascii() else syllable  # a character with no pinyin stays itself


@functools.lru_cache(maxsize=65536)
def _pinyin_forms(text: str) -> tuple[str, str]:
    """Full pinyin and pinyin initials of a match key ('', '' when it has no Chinese).

    Names and unit names repeat their runs of characters (surnames, given names, 有限公司…), so
    each run is converted once per process; other text stays as written in both forms.
    """
    if not _HAN.search(text):
        return "", ""
    full: list[str] = []
    initials: list[str] = []
    for chinese, syllables in _read(text):
        full.extend(syllables)
        initials.extend(map(_initial, syllables) if chinese else syllables)
    return match_key("".join(full)), match_key("".join(initials))


def pinyin_key(text: object) -> str:
    """The full pinyin of a Chinese text as a match key ('张伟' → 'zhangwei'); '' for other text."""
    return _pinyin_forms(match_key(text))[0]


def _forms(part: object) -> tuple[str, ...]:
    return _key_forms(match_key(part))


def _key_forms(key: str) -> tuple[str, ...]:
    """A match key and, for Chinese, its pinyin and initials."""
    if not key or key.isascii():  # nothing to read as pinyin (e-mail, passport, pinyin name)
        return (key,) if key else ()
    return (key, *(k for k in _pinyin_forms(key) if k))


def search_texts(*columns: list) -> list[str]:
    """`search_text` of every row of parallel columns; each distinct value is worked out once."""
    forms = []
    for column in columns:
        try:
            distinct = list(dict.fromkeys(column))
            known = dict(zip(distinct, map(_key_forms, match_keys(distinct)), strict=True))
            forms.append(list(map(known.__getitem__, column)))
        except TypeError:  # an unhashable value
            forms.append([_forms(v) for v in column])
    return ["|".join(dict.fromkeys(itertools.chain.from_iterable(row))) for row in zip(*forms, strict=True)]


def search_text(*parts: object) -> str:
    """One lower-case text holding each part as written, in pinyin and as pinyin initials."""
    return search_texts(*([part] for part in parts))[0]


NOTHING = "\x00"  # a LIKE pattern no search text matches (control characters never reach one)


def search_pattern(query: str) -> str:
    """The LIKE pattern for a search box entry ('' matches everything). An entry of only marks
    the search ignores ("%_'", an emoji) finds nothing: it listed every unit, as if empty."""
    key = match_key(query)  # it leaves no % or _ to act as wildcards
    if not key and query.strip():
        return NOTHING
    return f"%{key}%"


PARTICIPANT_SEARCH_COLUMNS = ("name", "pinyin_name", "position", "email", "passport_number")
UNIT_SEARCH_COLUMNS = ("name", "contact_name")  # what a unit can be found by


def participant_search_text(
    name: object, pinyin_name: object, position: object, email: object, passport: object
) -> str:
    """What a participant can be found by (the PARTICIPANT_SEARCH_COLUMNS, in that order)."""
    return search_text(name, pinyin_name, position, email, passport)
