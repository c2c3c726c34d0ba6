"""Signing a session in and out: single sign-on, local accounts or the local admin; idle staff and
admin sessions ended; a page's role check; the audit of asking for full personal data."""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

from delegation import access
from delegation.db import append_audit
from delegation.errors import DelegationError
from delegation.ui.messages import show_error
from delegation.ui.state import cursor, event_config, language, t


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
