"""Every list the app shows and exports, one class each (`base.List`), in one registry.

The pages' export buttons and `python -m delegation export` (its choices and `--help`) take the
lists from `REGISTRY`, so they cannot disagree about which lists exist or what is in them. Adding a
list is one class in a module here plus its query in queries/, and a line in `LISTS`.

The registry names each list's class by where it lives and imports it when the list is first
used: the command line builds its parser (and answers `--help`) without loading pandas, DuckDB
and openpyxl, which a list needs and `--help` does not.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb

    from delegation.config import EventConfig
    from delegation.filters import Filters
    from delegation.lists.base import List

# key -> the list's class (module:name), in the order the command line's help names them.
LISTS = {
    "participants": "delegation.lists.participants:Participants",
    "units": "delegation.lists.units:Units",
    "documents": "delegation.lists.documents:Documents",
    "chase": "delegation.lists.chase:Chase",
    "batch": "delegation.lists.batch:Batch",
    "quality": "delegation.lists.quality:Quality",
    "audit": "delegation.lists.audit:Audit",
}


class Registry(Mapping[str, "List"]):
    """The lists by key; each made once, when first looked up."""

    def __init__(self, classes: dict[str, str]) -> None:
        self._classes = classes
        self._made: dict[str, List] = {}

    def __getitem__(self, key: str) -> List:
        if key not in self._made:
            module, _, name = self._classes[key].partition(":")
            exporter = getattr(importlib.import_module(module), name)()
            if exporter.key != key:
                raise ValueError(f"{self._classes[key]} is the list {exporter.key!r}, registered as {key!r}")
            self._made[key] = exporter
        return self._made[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._classes)

    def __len__(self) -> int:
        return len(self._classes)


REGISTRY = Registry(LISTS)


def export(
    out: IO[bytes],
    key: str,
    fmt: str,
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    filters: Filters,
    lang: str,
    *,
    user: str,
    **options: Any,
) -> int:
    """Write one list as CSV (its first sheet) or xlsx (every sheet plus the about sheet); returns rows."""
    from delegation.exports import about_rows, unit_names, write_csv, write_xlsx  # see the module's note

    tables = REGISTRY[key].tables(con, config, filters, lang, **options)
    if fmt == "csv":
        return write_csv(out, tables[0], lang)
    names = unit_names(con, filters)
    counts = write_xlsx(
        out, tables, lang, lambda n: about_rows(config, filters, lang, user, key, sum(n), names)
    )
    return sum(counts)


def export_bytes(
    key: str,
    fmt: str,
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    filters: Filters,
    lang: str,
    **options: Any,
) -> bytes:
    """The same, as bytes for a download button."""
    out = io.BytesIO()
    export(out, key, fmt, con, config, filters, lang, **options)
    return out.getvalue()
