"""A field's label in both languages, for the importer's sentences (the stored issues and the
refusals keep each language's text)."""

from __future__ import annotations

from delegation.fields import FIELD_LABELS
from delegation.i18n import Both


def field_label(column: str) -> Both:
    """A field's label in both languages (its column name where it has none)."""
    zh, en = FIELD_LABELS.get(column, (column, column))
    return Both(en, zh)
