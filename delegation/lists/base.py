"""What a list is: its key, title, columns (each with its label and whether it is personal) and
sheets of rows from one named query. The file formats are `delegation.exports`' job, masking is
`delegation.privacy`'s: a list's personal columns show masked unless "show full" is on, whoever
asks (a page's table, an export button, the command line).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import duckdb
import pandas as pd

from delegation.config import EventConfig
from delegation.exports import Table, header
from delegation.filters import Filters
from delegation.i18n import TEXT, text
from delegation.named_queries import query_text
from delegation.privacy import is_personal, row_masker

BATCH = 5000  # rows fetched from DuckDB at a time


@dataclass(frozen=True)
class Column:
    """One column of a list: its key (its label is `column.<key>` when there is one, else the key
    is the title), and whether it holds personal data (by default: whether `privacy` masks it)."""

    key: str
    personal: bool = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.personal is None:
            object.__setattr__(self, "personal", is_personal(self.key))
        elif self.personal and not is_personal(self.key):
            raise ValueError(f"{self.key}: a personal column needs a mask in delegation.privacy.MASKS")

    @property
    def label_key(self) -> str:
        return f"column.{self.key}" if f"column.{self.key}" in TEXT else self.key

    def label(self, lang: str) -> str:
        """The column's title in zh, en or both."""
        return header(self.label_key, lang)


@dataclass
class Sheet:
    """One sheet of a list as its data come: a title in the list's language, the columns, and the
    rows (tuples in column order, personal values not masked yet)."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[tuple]


class List:
    """A list the app shows and exports. A subclass names its `key` and `query`, declares its
    `columns` where they are fixed, and makes its `sheets`; the base class masks and titles them."""

    key: ClassVar[str]
    query: ClassVar[str]  # the named query in queries/ the list's rows come from
    columns: ClassVar[tuple[Column, ...]] = ()  # empty: the query's columns, as its frame has them

    def title(self, lang: str) -> str:
        """The list's name in zh or en."""
        return text(f"list.{self.key}", lang)

    def sheets(
        self, con: duckdb.DuckDBPyConnection, config: EventConfig, filters: Filters, lang: str, **options: Any
    ) -> list[Sheet]:
        """The list's sheets for these filters and options, in `lang` (zh or en), unmasked."""
        raise NotImplementedError

    def masker(self, show_full: bool, columns: Sequence[Column] | None = None) -> Callable[[tuple], tuple]:
        """A function masking a row's personal values (in `columns` order, the list's by default)."""
        columns = self.columns if columns is None else columns
        return row_masker([c.key if c.personal else "" for c in columns], show_full)

    def tables(
        self,
        con: duckdb.DuckDBPyConnection,
        config: EventConfig,
        filters: Filters,
        lang: str,
        *,
        show_full: bool = False,
        **options: Any,
    ) -> list[Table]:
        """The sheets as the writers take them, personal columns masked unless show_full; `lang` is
        the headers' (zh, en or both: the values are then in English)."""
        lg = "en" if lang == "both" else lang
        out = []
        for sheet in self.sheets(con, config, filters, lg, show_full=show_full, **options):
            mask = self.masker(show_full, sheet.columns)
            out.append(Table(sheet.title, [c.label_key for c in sheet.columns], map(mask, sheet.rows)))
        return out

    def rows(
        self,
        con: duckdb.DuckDBPyConnection,
        config: EventConfig,
        filters: Filters,
        *,
        lang: str = "zh",
        show_full: bool = False,
        **options: Any,
    ) -> Iterable[tuple]:
        """The first sheet's rows, masked unless show_full."""
        return self.tables(con, config, filters, lang, show_full=show_full, **options)[0].rows


def stream(
    con: duckdb.DuckDBPyConnection,
    query: str,
    params: dict,
    make_row: Callable[[list[str]], Callable[[tuple], tuple]],
) -> Iterator[tuple]:
    """Rows of a named query, fetched in batches on a cursor of their own, each made by the function
    `make_row` gives for the query's column names."""
    cursor = con.cursor()
    try:
        cursor.execute(query_text(query), params)
        row = make_row([d[0] for d in cursor.description])
        while batch := cursor.fetchmany(BATCH):
            yield from map(row, batch)
    finally:
        cursor.close()


def frame_sheet(title: str, frame: pd.DataFrame, hidden: tuple[str, ...] = ()) -> Sheet:
    """A small data frame as a page shows it: all its columns but the `hidden` ones (already in
    display order)."""
    columns = [Column(str(c)) for c in frame.columns if c not in hidden]
    keys = [c.key for c in columns]
    rows = (tuple(_plain(v) for v in row) for row in frame[keys].itertuples(index=False, name=None))
    return Sheet(title, columns, rows)


def _plain(value: object) -> object:
    """A pandas/numpy value as a plain Python one (None for missing)."""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value
