"""The shared sidebar: language, presentation mode, the as-of day and the filters, all kept in
the URL so that a link opens the same view."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from delegation import paging
from delegation.config import EventConfig
from delegation.filters import LIST_FILTERS, Filters, choice_labels
from delegation.i18n import LANGUAGES, text
from delegation.ui.messages import plain
from delegation.ui.state import event_config, language, presenting, query
from delegation.ui.widgets import any_of


def load_url_once() -> None:
    """Take language, presentation mode and filters from the URL on a session's first run."""
    _load_url_once(event_config())


def _load_url_once(config: EventConfig) -> None:
    """On a session's first run, take language, presentation mode and filters from the URL."""
    if st.session_state.get("ui.url_loaded"):
        return
    st.session_state["ui.url_loaded"] = True
    query_params = {k: st.query_params.get_all(k) for k in st.query_params}
    if query_params.get("lang", [""])[-1] in LANGUAGES:
        st.session_state["ui.lang"] = query_params["lang"][-1]
    if query_params.get("present", [""])[-1] in ("1", "true", "yes"):
        st.session_state["ui.present"] = True
    filters = Filters.from_url(query_params, dt.date.today())
    st.session_state["ui.url_left_out"] = filters.left_out_of(query_params)  # said once, by the sidebar
    st.session_state.setdefault("filters.as_of", filters.as_of)
    for key in LIST_FILTERS:
        st.session_state.setdefault(f"filters.{key}", list(getattr(filters, key)))


# Pages the filters and the as-of day mean nothing to: the sidebar leaves them out there.
UNFILTERED_PAGES = frozenset({"import_forms", "audit"})
# Pages with a search box of their own: the sidebar's unit search would be a second one.
SEARCHING_PAGES = frozenset({"registrations"})


def _keep(*keys: str) -> None:
    """Keep widget values a page does not draw, so they are there on the next page (Streamlit
    forgets a widget's value on a run that does not draw it)."""
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def sidebar(page: str = "overview") -> Filters:
    """The shared sidebar: language, presentation mode, as-of date and filters (those that mean
    something on `page`, a script's name); kept in the URL."""
    config = event_config()
    _load_url_once(config)
    side = st.sidebar
    side.radio(
        "语言 / Language", list(LANGUAGES), format_func=LANGUAGES.__getitem__, key="ui.lang", horizontal=True
    )
    lang = language()
    side.toggle(text("sidebar.present", lang), key="ui.present")
    if page in UNFILTERED_PAGES:
        _keep("filters.as_of", "filters.unit_search", *(f"filters.{key}" for key in LIST_FILTERS))
        st.session_state.pop("ui.url_left_out", None)
        return _write_url(current_filters(), lang)
    side.date_input(text("sidebar.as_of", lang), key="filters.as_of", format="YYYY-MM-DD")

    labels = choice_labels(config, lang)
    side.subheader(text("sidebar.filters", lang))
    # A delegation can have tens of thousands of units: offer the chosen ones and a searched few.
    if page in SEARCHING_PAGES:
        _keep("filters.unit_search")
        unit_search = st.session_state.get("filters.unit_search", "")
    else:
        unit_search = side.text_input(
            text("filter.unit_search", lang),
            key="filters.unit_search",
            placeholder=text("filter.unit_search_hint", lang),
        )
    units = query(
        paging.unit_options,
        unit_search,
        tuple(int(u) for u in st.session_state.get("filters.unit_ids", [])),
    )
    left_out = st.session_state.pop("ui.url_left_out", None)  # a list on the session's first run only
    for key in LIST_FILTERS:
        options = units if key == "unit_ids" else labels[key]
        state = f"filters.{key}"
        chosen = st.session_state.get(state, [])
        if left_out is not None:
            left_out += [(key, str(v)) for v in chosen if v not in options]
        st.session_state[state] = [v for v in chosen if v in options]
        label = text(f"filter.{key}", lang)
        any_of(side, label, options, format_func=lambda v, o=options: o.get(v, str(v)), key=state)
    side.button(text("sidebar.clear", lang), key="ui.clear_filters", on_click=_clear_filters)
    if left_out:
        names = {key: text(f"filter.{key}", lang) for key in LIST_FILTERS} | {
            "as_of": text("sidebar.as_of", lang)
        }
        quote = "“{}”" if lang == "zh" else "'{}'"
        values = ("；" if lang == "zh" else "; ").join(
            f"{names[key]} {quote.format(value)}" for key, value in left_out
        )
        st.toast(plain(text("sidebar.url_left_out", lang).format(values=values)), icon=":material/link_off:")

    return _write_url(current_filters(), lang)


def _write_url(filters: Filters, lang: str) -> Filters:
    """Put the filters, the language and presentation mode in the URL (a link opens the same view)."""
    url = filters.to_url()
    if filters.as_of == dt.date.today():  # a bookmark of today's view stays live, not this day's
        del url["as_of"]
    url["lang"] = [lang]
    if presenting():
        url["present"] = ["1"]
    st.query_params.from_dict(url)
    return filters


def _clear_filters() -> None:
    for key in LIST_FILTERS:
        st.session_state[f"filters.{key}"] = []


def current_filters() -> Filters:
    """The filters as the sidebar holds them now."""
    state = st.session_state
    as_of = state.get("filters.as_of") or dt.date.today()
    return Filters(as_of=as_of, **{k: tuple(state.get(f"filters.{k}", [])) for k in LIST_FILTERS})
