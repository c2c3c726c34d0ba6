"""The participants list: every person the filters and search pass, as the registrations page's
table shows them one page at a time and as the export holds them all."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

import duckdb
import pandas as pd

from delegation.config import EventConfig
from delegation.filters import Filters
from delegation.i18n import text
from delegation.lists.base import Column, List, Sheet, stream
from delegation.paging import Page, as_date, run_page
from delegation.search import pinyin_for, search_pattern

PARTICIPANT_SORTS = ("name", "unit", "province", "registered_on", "passport_expiry", "position")

# What `participants_page` gives for each column shown, in the order they are shown.
SOURCES = {
    "unit_name": "unit_name",
    "name": "name",
    "pinyin_name": "pinyin_name",
    "gender": "gender",
    "position": "position",
    "mobile": "mobile",
    "email": "email",
    "date_of_birth": "date_of_birth",
    "passport_number": "passport_number",
    "passport_expiry": "passport_expiry",
    "applies_via_chamber": "applies_via_chamber",
    "holds_us_visa": "holds_us_visa",
    "themes": "themes",
    "cities": "cities",
    "registered_on": "registered_on",
    "status": "registration_status",
}


def formatter(config: EventConfig, lang: str, fields: Sequence[str]) -> Callable[[tuple], tuple]:
    """A `participants_page` row (its columns named by `fields`) → the values shown, in the list's
    column order: labels in `lang`, dates as dates, the pinyin the form gave (else made from the
    Chinese name). Personal values come unmasked: the list masks them."""
    themes = {t.key: t.label(lang) for t in config.themes}
    cities = {c.key: c.label(lang) for c in config.cities}
    yes, no = text("value.yes", lang), text("value.no", lang)
    sep = "、" if lang == "zh" else ", "
    pick = itemgetter(*(list(fields).index(source) for source in SOURCES.values()))

    def show(row: tuple) -> tuple:
        value = dict(zip(SOURCES, pick(row), strict=True))
        pinyin, gender = value["pinyin_name"], value["gender"]
        return (
            value["unit_name"],
            value["name"],
            pinyin if isinstance(pinyin, str) and pinyin.strip() else pinyin_for(value["name"]) or None,
            text(f"gender.{gender}", lang) if gender in ("M", "F") else None,
            value["position"],
            value["mobile"],
            value["email"],
            as_date(value["date_of_birth"]),
            value["passport_number"],
            as_date(value["passport_expiry"]),
            yes if value["applies_via_chamber"] else no,
            yes if value["holds_us_visa"] else no,
            sep.join(themes.get(k, k) for k in value["themes"]),
            sep.join(cities.get(k, k) for k in value["cities"]),
            as_date(value["registered_on"]),
            text(f"status.{value['status']}", lang),
        )

    return show


class Participants(List):
    key = "participants"
    query = "participants_page"
    columns = tuple(Column(key) for key in SOURCES)

    def sheets(
        self,
        con: duckdb.DuckDBPyConnection,
        config: EventConfig,
        filters: Filters,
        lang: str,
        *,
        search: str = "",
        sort: str = "name",
        descending: bool = False,
        **_: Any,
    ) -> list[Sheet]:
        sort = sort if sort in PARTICIPANT_SORTS else "name"
        params = {
            **filters.params(),
            "search": search_pattern(search),
            "sort": sort,
            "descending": descending,
        }
        params |= {"limit": 10**12, "offset": 0}
        rows = stream(con, self.query, params, lambda fields: formatter(config, lang, fields))
        return [Sheet(text("registrations.participants", lang), self.columns, rows)]


PARTICIPANTS = Participants()
PARTICIPANT_TABLE_COLUMNS = tuple(c.key for c in PARTICIPANTS.columns)


def participants_page(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    filters: Filters,
    lang: str,
    *,
    search: str = "",
    sort: str = "name",
    descending: bool = False,
    page: int = 1,
    page_size: int = 50,
    show_full: bool = False,
) -> Page:
    """One page of the participants list; its personal columns masked unless show_full."""
    sort = sort if sort in PARTICIPANT_SORTS else "name"
    df, shown = run_page(con, PARTICIPANTS.query, filters, search, sort, descending, page, page_size)
    total = int(df["total_rows"].iloc[0]) if len(df) else 0
    show = formatter(config, lang, list(df.columns))
    mask = PARTICIPANTS.masker(show_full)
    pid = list(df.columns).index("participant_id")
    rows = pd.DataFrame(
        [(r[pid], *mask(show(r))) for r in df.itertuples(index=False, name=None)],
        columns=["participant_id", *PARTICIPANT_TABLE_COLUMNS],
    )
    return Page(rows, total, page_size, shown)
