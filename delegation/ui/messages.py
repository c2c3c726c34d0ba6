"""User text shown safely (Markdown left unrendered), a refusal's one sentence."""

from __future__ import annotations

import re

import streamlit as st

from delegation.errors import DelegationError
from delegation.ui.state import language

# What Streamlit's Markdown would act on in user text (unit and file names in an expander's label or
# a message): every ASCII punctuation mark a backslash can escape, and the starts of GitHub's
# automatic links ("http://", "www.", "name@host"), which escapes do not stop: a word joiner
# (invisible) goes into them.
_MARKDOWN = re.compile(r"""([\\`*_{}\[\]()<>#+\-.!|~$:&"'=^@%?/,;])""")
_WORD_JOINER = "\u2060"


def plain(text: object) -> str:
    """`text` as it reads, for a place that renders Markdown: "**粗体** [点我](http://…)" is shown
    as typed, not bold with a link (nor LaTeX, coloured text, emoji or a heading)."""
    text = str(text)
    for start, broken in (
        ("://", f":{_WORD_JOINER}//"),
        ("www.", f"www{_WORD_JOINER}."),
        ("@", f"{_WORD_JOINER}@"),
    ):
        text = text.replace(start, broken)
    return _MARKDOWN.sub(r"\\\1", text)


def show_error(exc: DelegationError) -> None:
    """A refusal's one sentence in the page's language; it may quote a file or unit name."""
    st.error(plain(exc.message(language())))


MISSING = "—"  # what the app shows for a missing value (a table's own would be a grey "None")
