"""The transactions open in each thread (a Streamlit session's run, the inbox thread: each its own),
and the lock of the audit log's chain that a transaction appending to it holds until it ends."""

from __future__ import annotations

import dataclasses
import threading

import duckdb

CHAIN_LOCK = threading.RLock()  # one writer of the chain at a time in this process (one process writes)
_threads = threading.local()


@dataclasses.dataclass(eq=False)
class Open:
    """A transaction open in this thread, and whether it holds the chain's lock."""

    con: duckdb.DuckDBPyConnection
    holds_chain: bool = False
    spoiled: bool = False  # a part run inside it failed: it is rolled back, never committed


def open_transactions() -> list[Open]:
    """This thread's open transactions."""
    if not hasattr(_threads, "open"):
        _threads.open = []
    return _threads.open
