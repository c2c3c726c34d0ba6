"""The fields of the Registration Information Collection Form (Annex 2) and how headers name them.

To add a form field: describe the column it fills in `delegation/fields.py` (its SQL type, labels,
whether it is personal, masked or purged), add a `Field` to `unit_fields.py` or
`participant_fields.py` here (exact header spellings and, if useful, a pattern), a column in a new
migration, and its handling in `normalise.py`.
"""

from __future__ import annotations

import functools
import re

from delegation.config import Choice, EventConfig
from delegation.ingest.field import Field
from delegation.ingest.participant_fields import PARTICIPANT_FIELDS_OF_FORM
from delegation.ingest.unit_fields import UNIT_FIELDS_OF_FORM
from delegation.text import match_key

# Units first: headers are tried against the fields' patterns in this order.
FIELDS: tuple[Field, ...] = (*UNIT_FIELDS_OF_FORM, *PARTICIPANT_FIELDS_OF_FORM)

FIELDS_BY_KEY = {f.key: f for f in FIELDS}
_EXACT = {match_key(h): f.key for f in FIELDS for h in (f.key, *f.headers)}
_PATTERNS = [(re.compile(f.pattern), f.key) for f in FIELDS if f.pattern]


@functools.cache
def choice_spellings(choice: Choice) -> list[str]:
    """Every spelling of a theme, city or sector, as match keys, longest first."""
    keys = {match_key(s) for s in (choice.key, choice.zh, choice.en, *choice.synonyms)}
    return sorted((k for k in keys if k), key=len, reverse=True)


@functools.cache
def _label_keys(choices: tuple[Choice, ...]) -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple(
        (c.key, frozenset(k for k in (match_key(c.zh), match_key(c.en), match_key(c.key)) if k))
        for c in choices
    )


def _labels_in(header_key: str, choices: tuple[Choice, ...]) -> list[str]:
    """Keys of the choices whose zh/en label or key appears in the header."""
    return [key for key, labels in _label_keys(choices) if any(label in header_key for label in labels)]


# An online form's question as its export heads the column: numbered ("1、", "1.", "Q1.", "第1题"),
# marked ("*", "（必填）", "(单选)", "（自动）") and ending in a colon or a question mark.
_NUMBERING = re.compile(
    r"^\s*(?:[Qq]?\d{1,3}(?:\.\d{1,3})?\s*[、.．:：)）]|第\s*\d{1,3}\s*题\s*[、.．:：]?)\s*"
)
_MARKS = re.compile(
    r"[*＊]|[（(]\s*(?:必填|选填|必答|单选题?|多选题?|填空题?|可多选|多选[，,]?最多选\d+项|自动)\s*[)）]"
)
_END = re.compile(r"[\s:：?？]+$")


def question(header: object) -> object:
    """A header as the question it asks, without an online form's numbering and marks:
    "12、关注的论坛主题（多选）：" → "关注的论坛主题"; any other value as it is."""
    if type(header) is not str or not header:
        return header
    text = _MARKS.sub("", _NUMBERING.sub("", header, count=1))
    return _END.sub("", text) or header


def map_header(header: object, config: EventConfig) -> str | None:
    """What a header cell means: a field key, `theme:<key>` / `city:<key>` for a yes/no column, or None.

    A bilingual header ("姓名\nName") is tried whole, then line by line; an online form's
    question is read without its numbering and marks (`question`).
    """
    header = question(header)
    meaning = _map_header_key(match_key(header), config.themes, config.cities)
    if meaning is None and isinstance(header, str) and "\n" in header:
        for part in header.split("\n"):
            meaning = _map_header_key(match_key(part), config.themes, config.cities)
            if meaning:
                break
    return meaning


@functools.lru_cache(maxsize=4096)
def _map_header_key(key: str, themes: tuple[Choice, ...], cities: tuple[Choice, ...]) -> str | None:
    if not key:
        return None
    if key in _EXACT:
        return _EXACT[key]
    in_themes = _labels_in(key, themes)
    in_cities = _labels_in(key, cities)
    if len(in_themes) == 1 and not in_cities:
        return f"theme:{in_themes[0]}"
    if len(in_cities) == 1 and not in_themes:
        return f"city:{in_cities[0]}"
    if len(in_themes) > 1:
        return "themes"
    if len(in_cities) > 1:
        return "cities"
    for pattern, field in _PATTERNS:
        if pattern.search(key):
            return field
    return None


def flag_label(cell: object, config: EventConfig) -> str | None:
    """`theme:<key>` or `city:<key>` when a cell (in a second header row) names exactly one theme or city."""
    key = match_key(cell)
    if not key:
        return None
    for prefix, choices in (("theme", config.themes), ("city", config.cities)):
        for c in choices:
            if key in choice_spellings(c):
                return f"{prefix}:{c.key}"
    return None
