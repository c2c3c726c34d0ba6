"""Named queries: the SQL of `queries/<name>.sql`, its `$name` parameters, and running it with
exactly those parameters bound. Below the database's connection and its integrity check, both of
which run named queries."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from delegation import ROOT

if TYPE_CHECKING:  # pandas loads in a quarter second: the CLI's import and summary never need it
    import duckdb
    import pandas as pd

QUERIES = ROOT / "queries"


@functools.cache
def query_text(name: str) -> str:
    """The SQL of `queries/<name>.sql`."""
    path = QUERIES / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no query file {path}")
    return path.read_text(encoding="utf-8")


def query_params(name: str) -> list[str]:
    """The named parameters (`$name`) a query file uses, in order of first appearance."""
    text = re.sub(r"--[^\n]*", "", query_text(name))
    return list(dict.fromkeys(re.findall(r"\$([a-z_][a-z0-9_]*)", text)))


def query_df(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run a named query with bound parameters and return its rows as a data frame."""
    return con.execute(query_text(name), _bind(name, params)).df()


def query_rows(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> list[tuple]:
    """Run a named query with bound parameters and return its rows as tuples."""
    return con.execute(query_text(name), _bind(name, params)).fetchall()


def _bind(name: str, params: dict[str, Any]) -> dict[str, Any]:
    """Exactly the parameters the query uses (extra ones are dropped: one filter set fits every query)."""
    wanted = query_params(name)
    missing = [p for p in wanted if p not in params]
    if missing:
        raise TypeError(f"query {name} needs parameters {missing}")
    return {p: params[p] for p in wanted}
