"""Every label the app shows, in Chinese and English, from one table merged from the modules here.

A test fails when a key lacks a language or when code uses a key that is not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from delegation.i18n import cli, core, errors, forms, ingest, lists, mail, pages, records, work
from delegation.provinces import PROVINCES

if TYPE_CHECKING:
    from delegation.config import EventConfig

LANGUAGES = {"zh": "中文", "en": "English"}


def _merged(*tables: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """One table from several; a key defined twice is a mistake caught at import."""
    out: dict[str, tuple[str, str]] = {}
    for table in tables:
        twice = out.keys() & table.keys()
        if twice:
            raise ValueError(f"labels defined twice: {sorted(twice)}")
        out |= table
    return out


TEXT: dict[str, tuple[str, str]] = _merged(
    pages.TEXT,
    work.TEXT,
    records.TEXT,
    lists.TEXT,
    cli.TEXT,
    errors.TEXT,
    ingest.TEXT,
    mail.TEXT,
    forms.TEXT,
    core.TEXT,
)  # key: (zh, en)


@dataclass(frozen=True)
class Words:
    """A sentence part that is itself a label, said in the language of the sentence around it."""

    key: str
    params: dict[str, object] = field(default_factory=dict)


def text(key: str, lang: str, **params: object) -> str:
    """The label for `key` in `lang` ("zh" or "en"), its `{named}` parameters filled from `params`:
    a `Words` parameter is said in the same language, a `Both` gives that language's own value,
    and a list is joined as that language joins one."""
    zh, en = TEXT[key]
    said = zh if lang == "zh" else en
    return said.format(**{k: _in(v, lang) for k, v in params.items()}) if params else said


class Both(NamedTuple):
    """A sentence part already said in each language (a field's label, a sentence stored in both)."""

    en: str
    zh: str


def said(key: str, **params: object) -> Both:
    """The sentence `key` in both languages at once, for what keeps each language's text (a stored
    column, an (en, zh) pair sent across the reader worker's pipe)."""
    return Both(text(key, "en", **params), text(key, "zh", **params))


def and_list(labels: list[str], lang: str) -> str:
    """洛杉矶、旧金山 / Los Angeles and San Francisco."""
    if lang == "zh":
        return "、".join(labels)
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


def _in(value: object, lang: str) -> object:
    if isinstance(value, Both):
        return value.zh if lang == "zh" else value.en
    if isinstance(value, Words):
        return text(value.key, lang, **value.params)
    if isinstance(value, list | tuple):
        return ("、" if lang == "zh" else ", ").join(str(_in(v, lang)) for v in value)
    return value


def value_words(value: object, lang: str, field: str = "", config: EventConfig | None = None) -> str:
    """A stored value as a reader says it: （空）/ (empty), 是/否, 男/女, a theme's, city's, sector's
    or province's name (a list of them joined), else as it is. `field`: the field it is of."""
    if value is None or value == "" or value == [] or value == ():
        return text("value.empty", lang)
    if isinstance(value, bool):
        return text("value.yes" if value else "value.no", lang)
    if field == "gender" and value in ("M", "F"):
        return text(f"gender.{value}", lang)
    names: dict[str, str] = {}
    if config is not None and field in ("themes", "cities", "sector"):
        choices = {"themes": config.themes, "cities": config.cities, "sector": config.sectors}[field]
        names = {c.key: c.label(lang) for c in choices}
    elif field == "province":
        names = {p.key: p.short_zh if lang == "zh" else p.key for p in PROVINCES}
    if isinstance(value, list | tuple):
        return ("、" if lang == "zh" else ", ").join(names.get(v, str(v)) for v in value)
    return names.get(value, str(value)) if isinstance(value, str) else str(value)
