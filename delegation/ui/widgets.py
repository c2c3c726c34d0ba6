"""The app's own versions of Streamlit's widgets: tables, select boxes, filters, file boxes, page
numbers, a participant's edit form, a page's title row."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import streamlit as st

from delegation.i18n import TEXT, text
from delegation.ui.messages import MISSING
from delegation.ui.state import language, t
from delegation.ui.styles import HEADING_RULES, WRAP_ROW_PX, styled_box, uploader_rules, wrapping

if TYPE_CHECKING:
    import pandas as pd

    from delegation.paging import Page


def edit_inputs(values: dict, *, key: str) -> dict:
    """One input per editable field of a participant, inside the caller's form: a date picker for
    the dates, a tick box for the yes/no fields, a text box for the rest (by the field's kind in
    the importer). Returns the values as entered, for `registrations.save_edit`. `key` prefixes
    the inputs' keys."""
    from delegation.ingest.fields import FIELDS_BY_KEY
    from delegation.registrations import EDITABLE

    changes: dict = {}
    for field in EDITABLE:
        label, current, kind = t(f"column.{field}"), values[field], FIELDS_BY_KEY[field].kind
        if kind == "date":
            first, last = EDIT_DATE_RANGE  # widened to a stored date outside it (a typo in a form)
            changes[field] = st.date_input(
                label,
                value=current,
                min_value=min(first, current or first),
                max_value=max(last, current or last),
                format="YYYY-MM-DD",
                key=f"{key}.{field}",
            )
        elif kind == "yes_no":
            changes[field] = st.checkbox(label, value=bool(current), key=f"{key}.{field}")
        else:
            changes[field] = st.text_input(label, value=current or "", key=f"{key}.{field}")
    return changes


EDIT_DATE_RANGE = (dt.date(1990, 1, 1), dt.date(2100, 12, 31))  # what the date pickers offer


def selectbox(where: Any, label: str, options: Any, *, key: str, **kwargs: Any) -> Any:
    """`where.selectbox` for a keyed box whose options change under it: its value is handed back
    first, or, when it is no longer offered, the box's first option (`index`), so that the browser
    shows what the box holds (nothing, for a box with `index=None`, or no options). Streamlit 1.67
    keeps a select box's value in the browser as its label and, for a keyed box, sends a new label
    only when the value changes: a box would keep reading "Unit" under 中文, or "Choose an option"
    once its participant's unit is no longer the chosen one."""
    offered = list(options)
    if key in st.session_state:
        value, first = st.session_state[key], kwargs.get("index", 0)
        if value not in offered:
            value = None if first is None or not offered else offered[first]
        st.session_state[key] = value
    return where.selectbox(label, offered, key=key, **kwargs)


def any_of(where: Any, label: str, options: Any, *, format_func: Any, key: str) -> list:
    """A filter's multiselect, where nothing chosen means every value (its placeholder says so).
    Without Streamlit's "Select all" (English on a Chinese page, and the same as choosing nothing,
    but with every value listed as a chip)."""
    return where.multiselect(
        label,
        list(options),
        format_func=format_func,
        key=key,
        placeholder=t("filter.all"),
        select_all=False,
    )


def uploader(
    where: Any, label: str, *, kinds: tuple[str, ...], limit_mb: int, key: str, **kwargs: Any
) -> Any:
    """`where.file_uploader` whose own words are in the page's language and state the app's limits:
    files ending in one of `kinds` (".xlsx", …), each at most `limit_mb` MB (or the server's cap,
    `server.maxUploadSize`, if that is lower: a file in between would be refused in English).

    The browser takes a file of any kind, so that a wrong one reaches the app and is refused in one
    sentence (Streamlit's own refusal is an English tooltip on a red chip). A file over the limit
    never leaves the browser; its chip says so in the page's language (`styles.uploader_rules`).
    """
    lang = language()
    limit_mb = min(limit_mb, int(st.get_option("server.maxUploadSize")))  # the server takes no more
    takes = text("upload.takes", lang, mb=limit_mb, kinds=[k.lstrip(".").upper() for k in kinds])
    rules = uploader_rules(
        text("upload.button", lang), takes, text("upload.too_big", lang).format(mb=limit_mb)
    )
    box = styled_box(where, "upload-" + re.sub(r"[^A-Za-z0-9_-]", "-", key), rules)
    return box.file_uploader(label, key=key, max_upload_size=limit_mb, **kwargs)


def send_language(where: Any, key: str) -> str:
    """The language a message is sent in: 中文 (default) or English."""
    return where.radio(
        t("mail.send_language"),
        ["zh", "en"],
        format_func=lambda code: "中文" if code == "zh" else "English",
        horizontal=True,
        key=key,
    )


def page_number(container: Any, key: str) -> int:
    """A page number box. A page past the end (the list shrank since it was chosen: a search,
    filter or owner) is shown as the last page by the list, and put in the box by `follow_page`."""
    asked, shown = st.session_state.pop(f"{key}.shown", (None, None))
    if shown is not None and st.session_state.get(key) == asked:  # not if a page was typed since
        st.session_state[key] = shown
    return int(container.number_input(t("registrations.page"), min_value=1, step=1, key=key))


def selected_rows(key: str, chosen: Any, listing: object) -> list[int]:
    """The selected rows of table `key` (`chosen`: what `table` returned) that still mean what was
    clicked. The browser keeps a selection, by row number, when a search, sort, filter or page puts
    other rows under it: that selection is ignored (so no form opens on a unit nobody clicked)
    until the table's selection changes again. `listing`: whatever decides which rows are shown."""
    rows = list(chosen.selection.rows) if chosen else []
    shown_before = st.session_state.get(f"{key}.listing")
    st.session_state[f"{key}.listing"] = listing
    if rows and shown_before is not None and shown_before != listing:
        st.session_state[f"{key}.stale"] = rows
    if st.session_state.get(f"{key}.stale") == rows and rows:
        return []
    st.session_state.pop(f"{key}.stale", None)
    return rows


def follow_page(key: str, asked: int, shown: int) -> None:
    """After a paged list was read: when it showed another page than the box asked for (one past
    the end), run the page again with that page in the box `page_number` made."""
    if shown != asked:
        st.session_state[f"{key}.shown"] = (asked, shown)
        st.rerun()


def table(
    data: pd.DataFrame, *, hidden: tuple[str, ...] = (), wrap: tuple[str, ...] = (), **options: Any
) -> Any:
    """A table as every page shows one: no index, columns titled in the page's language (some
    hidden), a dash where a value is missing. `wrap`: columns of long text, given room and rows
    in which it wraps. `options` go to `st.dataframe` (key, selection, height…).
    A table without rows is a line saying so (Streamlit draws its English "empty"); None then."""
    if data.empty:
        st.caption(t("table.empty"))
        return None
    titles = {name: t(f"column.{name}") if f"column.{name}" in TEXT else str(name) for name in data.columns}
    columns = {
        name: None
        if name in hidden
        else st.column_config.Column(title, width="large" if name in wrap else None)
        for name, title in titles.items()
    }
    if wrap:
        options.setdefault("row_height", WRAP_ROW_PX)
    return st.dataframe(data, hide_index=True, column_config=columns, placeholder=MISSING, **options)


def heading(key: str) -> tuple[Any, Any]:
    """A page's title row: a wide column for the title, which breaks between words only (keep-all:
    never inside "代表团"), and a button place at the page's right edge."""
    box = wrapping(key, "heading", HEADING_RULES)
    title, side = box.columns([3, 1], vertical_alignment="center")
    return title, side.container(horizontal_alignment="right")


LIST_PAGE_ROWS = 100  # rows a long list shows at a time (DuckDB cuts the page; the export holds all)


def asked_page(key: str) -> int:
    """The page the box of paged table `key` asks for (1 before it is drawn): read before the
    page is, since the box is drawn only once the list turns out to have more than one page."""
    return int(st.session_state.get(f"{key}.page", 1))


def page_box(key: str, pages: int, shown: int, caption: str) -> None:
    """The page box of paged list `key` and which rows or units it shows (`caption`), when the list
    fills more than one page (`pages`); `shown`: the page the list showed, put in the box when it
    asked for one past the end."""
    if pages > 1:
        left, right = st.columns([1, 3], vertical_alignment="bottom")
        number = page_number(left, f"{key}.page")
        follow_page(f"{key}.page", number, shown)
        right.caption(caption)


def paged_table(key: str, page: Page, **options: Any) -> Any:
    """One page of a long list as a table (`table`'s options), with its `page_box` above it."""
    page_box(
        key,
        page.pages,
        page.page,
        t("table.showing").format(
            first=page.first, last=page.last, total=page.total, page=page.page, pages=page.pages
        ),
    )
    return table(page.rows, key=key, **options)
