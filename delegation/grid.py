"""What every form reader gives: a sheet's cells as a rectangle of raw values, and the one way a
reader refuses a file (a leaf module: the readers and the importer all import it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from delegation.errors import DelegationError
from delegation.i18n import Words


@dataclass
class Sheet:
    """One sheet's cells as a rectangle of raw values; (0, 0) is the sheet's A1."""

    name: str
    rows: list[list[object]]
    formula_rows: frozenset[int] = frozenset()  # 1-based rows with a formula (their saved values are used)
    hidden: bool = False  # hidden in the workbook (Excel's "Hide" or "very hidden")
    lines_above: int = 0  # rows before the table's own (a Word form's labelled lines): not counted
    notes: list[str] = field(default_factory=list)  # what the reader could not read: i18n keys


def refuse(name: str, key: str, /, **params: object) -> DelegationError:
    """A file-level refusal naming the file: "<name>: " before the sentence `key` of i18n with its
    parameters, each language saying the sentence its own way."""
    return DelegationError("error.file_named", name=name, said=Words(key, params))
