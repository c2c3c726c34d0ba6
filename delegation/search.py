"""Search text: what a unit or participant can be found by — Chinese, pinyin, initials, English."""

from __future__ import annotations

import functools
import re

from delegation.text import match_key

_HAN = re.compile(r"[\u4e00-\u9fff]")


@functools.lru_cache(maxsize=65536)
def _pinyin_forms(text: str) -> tuple[str, str]:
    if not _HAN.search(text):
        return "", ""
    from pypinyin import Style, lazy_pinyin  # its dictionaries take a quarter second to load

    full = "".join(lazy_pinyin(text))
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER))
    return match_key(full), match_key(initials)


def pinyin_key(text: object) -> str:
    """The full pinyin of a Chinese text as a match key ('张伟' → 'zhangwei'); '' for other text."""
    return _pinyin_forms(match_key(text))[0]


def search_text(*parts: object) -> str:
    """One lower-case text holding each part as written, in pinyin and as pinyin initials."""
    keys: list[str] = []
    for part in parts:
        key = match_key(part)
        if not key:
            continue
        keys.append(key)
        keys.extend(k for k in _pinyin_forms(key) if k)
    return "|".join(dict.fromkeys(keys))


def search_pattern(query: str) -> str:
    """The LIKE pattern for a search box entry ('' matches everything)."""
    return f"%{match_key(query)}%"  # match_key leaves no % or _ to act as wildcards


def participant_search_text(
    name: object, pinyin_name: object, position: object, email: object, passport: object
) -> str:
    """What a participant can be found by."""
    return search_text(name, pinyin_name, position, email, passport)


def unit_search_text(name: object, contact_name: object) -> str:
    """What a unit can be found by."""
    return search_text(name, contact_name)
