"""A sentence of the importer in both languages, from its key in `i18n` (the stored issues and
the refusals keep each language's text)."""

from __future__ import annotations

from typing import NamedTuple

from delegation.fields import FIELD_LABELS
from delegation.i18n import text


class Both(NamedTuple):
    """A sentence, or a value within one, in English and in Chinese."""

    en: str
    zh: str


def said(key: str, **params: object) -> Both:
    """The sentence `key` of `i18n` in both languages; a parameter given as `Both` takes each
    language's own value (a field's label, a value in words)."""
    return Both(
        *(
            text(key, lang, **{k: v[n] if isinstance(v, Both) else v for k, v in params.items()})
            for n, lang in enumerate(("en", "zh"))
        )
    )


def field_label(column: str) -> Both:
    """A field's label in both languages (its column name where it has none)."""
    zh, en = FIELD_LABELS.get(column, (column, column))
    return Both(en, zh)
