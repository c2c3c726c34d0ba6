"""A sentence of the importer in both languages, from its key in `i18n` (the stored issues and
the refusals keep each language's text)."""

from __future__ import annotations

from delegation.fields import FIELD_LABELS
from delegation.i18n import Both, text


def said(key: str, **params: object) -> Both:
    """The sentence `key` of `i18n` in both languages (a `Both` parameter: each language's own value)."""
    return Both(text(key, "en", **params), text(key, "zh", **params))


def field_label(column: str) -> Both:
    """A field's label in both languages (its column name where it has none)."""
    zh, en = FIELD_LABELS.get(column, (column, column))
    return Both(en, zh)
