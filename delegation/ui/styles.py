"""Every CSS rule of the app and every Streamlit `data-testid` it styles, in one place.

Streamlit offers no style options for what these rules change (a column's least width, a file box's
words, a shared screen's type size), so they are CSS keyed to its `data-testid` attributes; when a
Streamlit upgrade renames one, this module is the one to read (the browser tests measure each rule).
"""

from __future__ import annotations

import html
import re
from typing import Any

import streamlit as st

from delegation.i18n import text
from delegation.ui.state import presenting


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def uploader_rules(button: str, takes: str, too_big: str) -> dict[str, str]:
    """CSS putting the app's own words in a file box in place of Streamlit's English: `button` on
    its button, `takes` (the kinds and size it takes) under it, `too_big` on a file's chip when the
    file is over the limit (such a file never leaves the browser)."""
    words = {  # the part of the box → what it says instead, and its size
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p': (
            button,
            "0.875rem",
        ),
        '[data-testid="stFileUploaderDropzoneInstructions"] span': (takes, "0.875rem"),
        '[data-testid="stFileChip"][aria-invalid="true"] [data-testid="stFileChipName"] + div': (
            too_big,
            "0.75rem",
        ),
    }
    rules = {}
    for part, (said, size) in words.items():
        rules[part] = "font-size: 0;"
        rules[f"{part}::after"] = f"content: {_css_string(said)}; font-size: {size};"
    return rules


# Rows this tall let a table's text wrap onto a second line (Streamlit wraps cells only in rows
# taller than 4rem): a blocked applicant's reasons are read whole, not cut at "缺少护照首…".
WRAP_ROW_PX = 66

# A page title breaks between words only (keep-all: never inside "代表团").
HEADING_RULES = {"h1, h2, h3": "word-break: keep-all; overflow-wrap: normal;"}


# Columns that would be narrower than their content needs wrap onto further rows instead of
# squeezing it (in a 900 px window with the sidebar open the page is ≈ 440 px wide: plotly cut the
# bars' labels, countdown cards wrapped word by word, the batch page's tables showed one column).
# The least widths are per row of columns; a column that ends alone on its row takes the full width.
LEAST_PX = {
    "charts": 340,  # two charts side by side from ≈ 700 px
    "tables": 400,
    "figures": 150,  # headline figures and countdown cards
    "heading": 180,  # a button beside a title ("Leadership workbook" is 177 px)
}


def wrapping(key: str, least: str, rules: dict[str, str] | None = None) -> Any:
    """A container keyed `key` whose rows of columns (`.columns(…)`) keep each column at least
    `LEAST_PX[least]` wide: side by side while the page has room, wrapped onto further rows when it
    does not. It follows the page's width, whether the sidebar is open or not. `rules`: more CSS
    for inside it (selector → declarations)."""
    return styled_box(
        st,
        key,
        {
            '[data-testid="stHorizontalBlock"]': "flex-wrap: wrap;",
            '[data-testid="stColumn"]': f"min-width: min({LEAST_PX[least]}px, 100%);",
            # A figure's label wraps rather than ending in "…" (a document's name is long).
            '[data-testid="stMetricLabel"] :is([data-testid="stMarkdownContainer"], p)': (
                "white-space: normal; overflow: visible;"
            ),
            **(rules or {}),
        },
    )


def styled_box(where: Any, key: str, rules: dict[str, str]) -> Any:
    """A container in `where` keyed `key`, with CSS `rules` (selector → declarations) that apply
    inside it only (Streamlit gives the container the class st-key-`key`)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", key):  # Streamlit's class would differ from the key
        raise ValueError(f"use letters, digits, - and _ in a container key: {key!r}")
    box = where.container(key=key)
    box.html(
        "<style>" + "".join(f".st-key-{key} {part} {{{said}}}" for part, said in rules.items()) + "</style>"
    )
    return box


# Presentation mode on a 1280×720 shared screen: no sidebar or toolbar, large dark type, and the
# figures, countdowns and the first row of charts above the fold (a test measures it in Chromium).
PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"] {display: none !important;}
.block-container {padding-top: 0.8rem !important; padding-bottom: 0 !important; max-width: 100% !important;}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {gap: 0.5rem;}
[data-testid="stMetricValue"] {font-size: 2.4rem !important; color: #222 !important;}
[data-testid="stMetricLabel"] p {font-size: 1.2rem !important; color: #222 !important;}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {font-size: 1.125rem !important; color: #444 !important;}
h1, h2 {font-size: 1.75rem !important; padding: 0 !important;}
</style>
"""


def apply_presentation_style() -> None:
    """Large type, no sidebar or toolbar: readable on a 1280×720 shared screen."""
    if presenting():
        st.html(PRESENTATION_CSS)


def countdown_card(card: dict, lang: str, *, large: bool = False) -> str:
    """HTML for one countdown card (`figures.countdown_cards`; every value escaped, labels come
    from event.toml): its border in the urgency's colour, its days in a darker shade of it, so
    that text keeps a contrast of 4.5:1 or more; larger type on a shared screen."""
    from delegation.charts import URGENCY_COLOURS, URGENCY_TEXT

    days_left, urgency = card["days_left"], card["urgency"]
    if days_left < 0:
        days = text("countdown.passed", lang).format(days=-days_left)
    elif days_left == 0:
        days = text("countdown.today", lang)
    else:
        days = text("countdown.days", lang).format(days=days_left)
    label_size, days_size, date_size = (
        ("1.15rem", "1.9rem", "1.15rem") if large else ("0.95rem", "1.6rem", "0.85rem")
    )
    return (
        f'<div class="dd-card" data-urgency="{urgency}" style="border-left:6px solid {URGENCY_COLOURS[urgency]};'
        "padding:0.4rem 0.8rem;border-radius:6px;background:#fafafa;margin-bottom:0.3rem;"
        'container-type:inline-size">'  # the days' type shrinks with a narrow card (13% of its width)
        f'<div style="font-size:{label_size};color:#444">{html.escape(card["label"])}</div>'
        f'<div style="font-size:clamp(1rem,13cqi,{days_size});font-weight:600;color:{URGENCY_TEXT[urgency]}">'
        f"{html.escape(days)}</div>"
        f'<div style="font-size:{date_size};color:#595959">{html.escape(card["date"])}</div></div>'
    )
