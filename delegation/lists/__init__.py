"""Every list the app shows and exports, one class each (`base.List`), in one registry.

The pages' export buttons and `python -m delegation export` (its choices and `--help`) take the
lists from `REGISTRY`, so they cannot disagree about which lists exist or what is in them. Adding a
list is one class in a module of its name here plus its query in queries/.

The registry finds the lists by their modules' names and imports one when the list is first
used: the command line builds its parser (and answers `--help`) without loading pandas, DuckDB
and openpyxl, which a list needs and `--help` does not.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
from collections.abc import Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb

    from delegation.config import EventConfig
    from delegation.filters import Filters
    from delegation.lists.base import List


def _modules() -> tuple[str, ...]:
    """The lists' keys: every module of this package but `base`, each holding one list of its name."""
    return tuple(sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name != "base"))


class Registry(Mapping[str, "List"]):
    """The lists by key (a module here per list, named for it); each made once, when first looked up."""

    def __init__(self, keys: tuple[str, ...], package: str = __name__) -> None:
        self._keys, self._package = keys, package
        self._made: dict[str, List] = {}

    def __getitem__(self, key: str) -> List:
        if key not in self._keys:
            raise KeyError(key)
        if key not in self._made:
            from delegation.lists.base import List

            module = importlib.import_module(f"{self._package}.{key}")
            found = [
                v
                for v in vars(module).values()
                if isinstance(v, type) and issubclass(v, List) and v.__module__ == module.__name__
            ]
            if len(found) != 1 or found[0].key != key:
                raise ValueError(f"{module.__name__} must hold one list whose key is {key!r}")
            self._made[key] = found[0]()
        return self._made[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


REGISTRY = Registry(_modules())


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
