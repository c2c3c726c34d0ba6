"""Each unit's own link to the event's online form (问卷星's `sojumpparm`), and the code in it.

A link carries a code naming the unit; the form's export holds it in 来源详情, and the importer
files that submission under the unit whatever name was typed. The code is worked out from the
event and the unit's name key, so it needs no storing and stays the same for the unit.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

import duckdb

from delegation.config import EventConfig
from delegation.named_queries import query_rows


def unit_code(config: EventConfig, name_key: str) -> str:
    """The unit's code in its link: "u" and 8 hex digits."""
    return "u" + hashlib.sha256(f"{config.key}:{name_key}".encode()).hexdigest()[:8]


def unit_link(config: EventConfig, name_key: str) -> str | None:
    """The unit's own link to the online form (`[event.online_form] address`), or None without one."""
    address = config.online_form_address
    if not address:
        return None
    return f"{address}{'&' if '?' in address else '?'}sojumpparm={quote(unit_code(config, name_key))}"


def link_of_unit(con: duckdb.DuckDBPyConnection, config: EventConfig, unit_id: int) -> str | None:
    """A unit's own link by its id (None without an online form, or for no such unit)."""
    found = query_rows(con, "unit_name_key", unit_id=unit_id)
    return unit_link(config, found[0][0]) if found else None
