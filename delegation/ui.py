"""The one module that knows Streamlit: cached resources and queries, the shared sidebar, labels.

Pages import this and `delegation`; nothing else in the package imports streamlit.
Session-state keys are namespaced: `ui.*` for the frame, `filters.*` for the sidebar filters,
`<page>.*` for a page's own widgets.
"""

from __future__ import annotations

import atexit
import datetime as dt
import html
import importlib
import logging
import re
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import duckdb
import streamlit as st

from delegation import access, figures, paging
from delegation.config import EventConfig, database_path, load_config
from delegation.db import append_audit, connect
from delegation.errors import DelegationError
from delegation.filters import Filters, choice_labels
from delegation.i18n import LANGUAGES, TEXT, text

if TYPE_CHECKING:
    import pandas as pd

FILTER_KEYS = ("provinces", "sectors", "themes", "cities", "unit_ids", "statuses")


@st.cache_resource
def event_config() -> EventConfig:
    """The checked event configuration, read once per server process."""
    return load_config()


@st.cache_resource
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return connect(event_config(), path)


@st.cache_resource
def inbox_watcher(path: str) -> threading.Thread:
    """One background thread per server process importing files dropped into the inbox."""
    from delegation import inbox

    logger = logging.getLogger("delegation.inbox")

    def report(outcome: inbox.Outcome) -> None:
        logger.info("inbox: %s — %s", outcome.file, outcome.message_en)  # file names and counts only

    stop = threading.Event()
    thread = threading.Thread(
        target=inbox.watch,
        args=(_connection(path).cursor(), event_config(), inbox.inbox_folder(path)),
        kwargs={"report": report, "stop": stop},
        name="delegation-inbox",
        daemon=True,
    )
    thread.start()

    def finish() -> None:  # let the thread release its cursor before the interpreter goes
        stop.set()
        thread.join(timeout=5)

    atexit.register(finish)
    return thread


@st.cache_resource
def mail_watcher(path: str) -> threading.Thread | None:
    """One background thread per server process reading the registration mailbox, when an IMAP
    account is set (`[mail.imap]` in secrets); None without one."""
    from delegation import imap
    from delegation.documents import documents_folder

    try:
        account = imap.account("imap") if imap.configured("imap") else None
    except DelegationError as exc:  # set, but wrongly: said on the Mail page and in the log
        logging.getLogger("delegation.mail").warning("mail: %s", exc.en)
        imap.set_last_failure(exc)
        return None
    if account is None:
        return None
    stop = threading.Event()
    thread = threading.Thread(
        target=imap.watch,
        args=(_connection(path).cursor(), event_config(), account),
        kwargs={"documents_dir": documents_folder(path), "stop": stop},
        name="delegation-mail",
        daemon=True,
    )
    thread.start()

    def finish() -> None:
        stop.set()
        thread.join(timeout=5)

    atexit.register(finish)
    return thread


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the app's one database connection (its own per call: safe across sessions)."""
    return _connection(str(database_path())).cursor()


@st.cache_data(max_entries=1024, show_spinner=False)
def _cached(module: str, name: str, db: str, version: int, args: tuple, kwargs: tuple) -> Any:
    del db, version  # part of the cache key only
    return getattr(importlib.import_module(module), name)(cursor(), *args, **dict(kwargs))


def query(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a `delegation` function taking a connection first, through the cache; any write invalidates it."""
    version = figures.data_version(cursor())
    key = tuple(sorted(kwargs.items()))
    return _cached(function.__module__, function.__name__, str(database_path()), version, args, key)


def rerun_when_data_changes(seconds: int) -> None:
    """Every `seconds`, check the data version (one tiny query) and rerun the page when it moved.

    Only the check runs on the timer, so a viewer's own clicks never race a full refresh.
    """

    @st.fragment(run_every=seconds)
    def watch() -> None:
        version = figures.data_version(cursor())
        seen = st.session_state.setdefault("ui.data_version", version)
        if version != seen:
            st.session_state["ui.data_version"] = version
            st.session_state["auth.unattended"] = True  # not a click: the idle time runs on
            st.rerun(scope="app")

    st.session_state["ui.data_version"] = figures.data_version(cursor())
    watch()


def user() -> tuple[str, str]:
    """The signed-in user's name and role (set by `authenticate`)."""
    return st.session_state.get("auth.user", ""), st.session_state.get("auth.role", "")


def role() -> str:
    return user()[1]


def authenticate() -> bool:
    """Sign the session in: single sign-on when configured, else a local account, else the local admin.

    Renders the login form (and returns False) until someone is signed in. A staff or admin
    session idle for `[security] idle_minutes` is ended here, on the run after (`_idle`).
    """
    if st.session_state.get("auth.role"):
        if not _idle():
            _active()
            return True
        minutes = event_config().idle_minutes
        logout("logout.idle", idle_minutes=minutes)
        st.session_state["auth.idle_ended"] = minutes  # said once, above the sign-in
    if _sso_configured():
        return _sso_login()
    accounts = access.load_accounts()
    if not accounts:
        st.session_state["auth.user"], st.session_state["auth.role"] = access.LOCAL_ADMIN, "admin"
        return True
    st.title(t("login.title"))
    if "auth.idle_ended" in st.session_state:
        st.info(t("login.idle_ended").format(minutes=st.session_state.pop("auth.idle_ended")))
    with st.form("auth.form"):
        name = st.text_input(t("login.user"), key="auth.name")
        password = st.text_input(t("login.password"), type="password", key="auth.password")
        submitted = st.form_submit_button(t("login.submit"), type="primary")
    if submitted:
        try:
            account = access.login(cursor(), name.strip(), password)
        except DelegationError as exc:
            show_error(exc)
            return False
        st.session_state["auth.user"], st.session_state["auth.role"] = account.name, account.role
        st.session_state["auth.last_active"] = time.time()
        st.rerun()
    return False


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return False


def _sso_login() -> bool:
    if not st.user.is_logged_in:
        st.title(t("login.title"))
        st.button(t("login.sso"), on_click=st.login, type="primary", key="auth.sso")
        return False
    email = str(st.user.get("email", "")).lower()
    mapped = access.sso_roles().get(email)
    if not mapped:
        st.error(t("login.no_role"))
        st.button(t("login.logout"), on_click=st.logout, key="auth.sso_out")
        return False
    append_audit(cursor(), email, "login", f"user:{email}", {"role": mapped, "via": "sso"})
    st.session_state["auth.user"], st.session_state["auth.role"] = email, mapped
    st.session_state["auth.last_active"] = time.time()
    return True


def logout(action: str = "logout", **details: Any) -> None:
    """End the session's sign-in (the sidebar's button, or an idle session: `logout.idle`): audited
    with the role, everything the session kept forgotten but its language (a page's search, the
    person it had open), and single sign-on ended."""
    name, role = user()
    if name and name != access.LOCAL_ADMIN:
        append_audit(cursor(), name, action, f"user:{name}", {"role": role, **details})
    lang = language()
    st.session_state.clear()
    st.session_state["ui.lang"] = lang
    if _sso_configured() and st.user.is_logged_in:
        st.logout()


IDLE_CHECK_SECONDS = 60  # how often an open page looks for idleness between clicks


def _times_out(name: str, role: str) -> bool:
    """Staff and admin sessions end when idle. Not a viewer's (leadership's figures on a meeting's
    shared screen must stay up), nor the local admin's (no accounts: this computer only, and it
    would be signed straight back in)."""
    return access.at_least(role, "staff") and name != access.LOCAL_ADMIN


def _idle() -> bool:
    """Whether this session has gone `[security] idle_minutes` without a click and times out."""
    last = st.session_state.get("auth.last_active")
    if last is None or not _times_out(*user()):
        return False
    return time.time() - last > event_config().idle_minutes * 60


def _active() -> None:
    """A run of a signed-in session: a click, unless the app started it itself (its timers say so
    in `auth.unattended`), renews the session; and a session that times out gets its watcher."""
    if not st.session_state.pop("auth.unattended", False) or "auth.last_active" not in st.session_state:
        st.session_state["auth.last_active"] = time.time()
    if _times_out(*user()):
        with st.sidebar:
            _idle_watch()


@st.fragment(run_every=IDLE_CHECK_SECONDS)
def _idle_watch() -> None:
    """Between clicks: once the session is idle, run the app again, which ends it (so a page left
    open does not keep personal data on the screen until the next click)."""
    if _idle():
        st.session_state["auth.unattended"] = True
        st.rerun(scope="app")


def require(page: str) -> None:
    """Stop a page the user's role may not open, with nothing but a refusal (direct URLs included)."""
    if not access.may_open(role(), page):
        st.error(t("access.refused"))
        st.stop()


def log_show_full(page: str) -> None:
    """Audit that someone asked to see full personal data on a page (called when the switch turns on)."""
    if st.session_state.get(f"{page}.show_full"):
        append_audit(cursor(), user()[0], "show_full", f"page:{page}", {})


def language() -> str:
    """The chosen UI language ("zh" or "en"); default Chinese."""
    return st.session_state.get("ui.lang", "zh")


def t(key: str) -> str:
    """The label for `key` in the chosen language."""
    return text(key, language())


def presenting() -> bool:
    """True in presentation mode (toggle, or ?present=1 in the URL)."""
    return bool(st.session_state.get("ui.present", False))


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
    for key in FILTER_KEYS:
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
    lang = language()
    side = st.sidebar
    side.radio(
        "语言 / Language", list(LANGUAGES), format_func=LANGUAGES.__getitem__, key="ui.lang", horizontal=True
    )
    lang = language()
    side.toggle(text("sidebar.present", lang), key="ui.present")
    if page in UNFILTERED_PAGES:
        _keep("filters.as_of", "filters.unit_search", *(f"filters.{key}" for key in FILTER_KEYS))
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
    for key in FILTER_KEYS:
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
        names = {key: text(f"filter.{key}", lang) for key in FILTER_KEYS} | {
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
    for key in FILTER_KEYS:
        st.session_state[f"filters.{key}"] = []


def current_filters() -> Filters:
    """The filters as the sidebar holds them now."""
    state = st.session_state
    as_of = state.get("filters.as_of") or dt.date.today()
    return Filters(as_of=as_of, **{k: tuple(state.get(f"filters.{k}", [])) for k in FILTER_KEYS})


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
    only when the value changes: "Unit" stayed under 中文 until a reload, and a participant of the
    unit chosen before left "Choose an option"."""
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


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def uploader(
    where: Any, label: str, *, kinds: tuple[str, ...], limit_mb: int, key: str, **kwargs: Any
) -> Any:
    """`where.file_uploader` whose own words are in the page's language and state the app's limits:
    files ending in one of `kinds` (".xlsx", …), each at most `limit_mb` MB (or the server's cap,
    `server.maxUploadSize`, if that is lower: a file in between would be refused in English).

    The browser takes a file of any kind, so that a wrong one reaches the app and is refused in one
    sentence (Streamlit marked it red with an English tooltip and said nothing else: the Import
    button just stayed grey). A file over the limit never leaves the browser; its chip says so in
    the page's language.
    """
    lang = language()
    limit_mb = min(limit_mb, int(st.get_option("server.maxUploadSize")))  # the server takes no more
    takes = text("upload.takes", lang).format(
        mb=limit_mb, kinds=("、" if lang == "zh" else ", ").join(k.lstrip(".").upper() for k in kinds)
    )
    words = {  # the part of the box → what it says instead of Streamlit's English, and its size
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p': (
            text("upload.button", lang),
            "0.875rem",
        ),
        '[data-testid="stFileUploaderDropzoneInstructions"] span': (takes, "0.875rem"),
        '[data-testid="stFileChip"][aria-invalid="true"] [data-testid="stFileChipName"] + div': (
            text("upload.too_big", lang).format(mb=limit_mb),
            "0.75rem",
        ),
    }
    rules = {}
    for part, (said, size) in words.items():
        rules[part] = "font-size: 0;"
        rules[f"{part}::after"] = f"content: {_css_string(said)}; font-size: {size};"
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


# Rows this tall let a table's text wrap onto a second line (Streamlit wraps cells only in rows
# taller than 4rem): a blocked applicant's reasons are read whole, not cut at "缺少护照首…".
WRAP_ROW_PX = 66


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


def export_buttons(kind: str, filters: Filters, **options: Any) -> None:
    """Header language, CSV and Excel buttons for one list: exactly what the page shows for these
    filters and search (every page of it), generated when clicked."""
    from delegation import exports

    labels = {"zh": "中文", "en": "English", "both": t("export.both")}
    actor = user()[0]
    # The header language on the left, the buttons flush with the table's right edge below them.
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    buttons = right.container(horizontal=True, horizontal_alignment="right", key=f"{kind}-export")
    header_lang = left.radio(
        t("export.headers"),
        list(labels),
        index=list(labels).index(language()),
        format_func=labels.get,
        horizontal=True,
        key=f"{kind}.export.lang",
    )
    for column, fmt, label, mime in (
        (buttons, "csv", t("export.csv"), "text/csv"),
        (
            buttons,
            "xlsx",
            t("export.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ):
        column.download_button(
            label,
            # Who asks is read now: the file is made when clicked, outside the page's run, where
            # the session is not at hand (the export's "who" was empty).
            lambda fmt=fmt: exported(kind, fmt, filters, header_lang, actor=actor, **options),
            file_name=exports.file_name(kind, filters, fmt),
            mime=mime,
            on_click="ignore",
            key=f"{kind}.export.{fmt}",
        )


def exported(kind: str, fmt: str, filters: Filters, header_lang: str, *, actor: str, **options: Any) -> bytes:
    """Make an export and record it in the audit log (kind, filters, rows, format, who: `actor`)."""
    import io

    from delegation import lists

    out = io.BytesIO()
    name = actor
    rows = lists.export(out, kind, fmt, cursor(), event_config(), filters, header_lang, user=name, **options)
    append_audit(
        cursor(),
        name,
        "export",
        f"list:{kind}",
        {
            "format": fmt,
            "rows": rows,
            "filters": filters.to_url(),
            "show_full": bool(options.get("show_full")),
        },
    )
    return out.getvalue()


def scan_viewer(document_id: int, title: str) -> None:
    """A document's scan on the page — an image, or a PDF's first pages drawn as pictures — read
    after the role check (never a static file), and a download button; the view and each download
    are logged. The pictures are PNGs drawn in a worker process and shown with `st.image`, never
    as HTML (an SVG or HTML file cannot be stored as a scan, and would not be put in a page)."""
    from delegation import documents

    name, role = user()
    folder = documents.documents_folder()
    try:
        scan = documents.read_scan(cursor(), document_id, role, folder)
        pictures = documents.scan_pictures(scan, event_config())
    except DelegationError as exc:
        show_error(exc)
        return
    if st.session_state.get("documents.viewed") != document_id:  # once per opening, not per rerun
        documents.log_scan(cursor(), name, scan, "view")
        st.session_state["documents.viewed"] = document_id
    with st.container(border=True, key="documents-scan"):
        st.markdown(f"**{plain(title)}** · {plain(scan.original_name)}")
        st.download_button(
            t("documents.download_scan"),
            lambda: documents.download_scan(cursor(), document_id, role, name, folder),
            file_name=scan.original_name,
            mime=scan.content_type,
            on_click="ignore",
            icon=":material/download:",
            key=f"documents.download.{document_id}",
        )
        for number, picture in enumerate(pictures, start=1):
            caption = t("documents.scan_page").format(page=number) if len(pictures) > 1 else None
            # PNG said, not guessed: Streamlit then neither reopens it to guess nor re-encodes it.
            st.image(picture, caption=caption, output_format="PNG")


def logged_download(kind: str, make: Callable[[], bytes], fmt: str = "xlsx") -> Callable[[], bytes]:
    """Wrap a download's maker so the download is audited, with who asked (known now, not when
    the file is made after the click) and its format ("xlsx", "zip")."""
    actor = user()[0]

    def run() -> bytes:
        data = make()
        append_audit(cursor(), actor, "export", f"list:{kind}", {"format": fmt, "bytes": len(data)})
        return data

    return run


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


def heading(key: str) -> tuple[Any, Any]:
    """A page's title row: a wide column for the title, which breaks between words only (keep-all:
    never inside "代表团"), and a button place at the page's right edge."""
    box = wrapping(key, "heading", {"h1, h2, h3": "word-break: keep-all; overflow-wrap: normal;"})
    title, side = box.columns([3, 1], vertical_alignment="center")
    return title, side.container(horizontal_alignment="right")


def register_pages(pages: dict[str, Any]) -> None:
    """The app's pages by script name (app.py), for links between pages."""
    st.session_state["ui.pages"] = pages


def page_link(page: str, label: str, **options: Any) -> None:
    """A link to another page of the app (a script's name, "import_forms"), when the app has it."""
    target = st.session_state.get("ui.pages", {}).get(page)
    if target is not None:
        st.page_link(target, label=label, **options)


def and_list(labels: list[str]) -> str:
    """洛杉矶、旧金山 / Los Angeles and San Francisco."""
    if language() == "zh":
        return "、".join(labels)
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
