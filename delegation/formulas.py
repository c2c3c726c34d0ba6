"""The formula guard every writer of a spreadsheet uses (a leaf module: anything may import it)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# OWASP "CSV injection" (CWE-1236): text starting with these runs as a formula in a spreadsheet.
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def is_dangerous(value: object) -> bool:
    """Whether a text cell could be taken for a formula."""
    return isinstance(value, str) and value.startswith(DANGEROUS_START)


def neutralise_row(cells: Iterable[Any]) -> None:
    """For workbooks written cell by cell: formula-like text becomes a quoted text cell."""
    for cell in cells:
        if is_dangerous(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True
