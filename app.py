"""Delegation Desk — the entry point: page frame, shared sidebar, navigation."""

from pathlib import Path

import streamlit as st

from delegation import access, ui
from delegation.config import database_path
from delegation.errors import DelegationError

with ui.timed_run("page") as run:  # DELEGATION_RUN_LOG: each run's time, inside the server
    st.set_page_config(
        page_title="Delegation Desk · 报名台", page_icon=":material/flight_takeoff:", layout="wide"
    )
    try:
        ui.event_config()
    except DelegationError as exc:
        st.error(f"{ui.plain(exc.zh)}\n\n{ui.plain(exc.en)}")  # no language yet: the configuration failed
        st.stop()

    ui.inbox_watcher(str(database_path()))  # forms dropped into the inbox are imported by this process
    ui.mail_watcher(str(database_path()))  # and the registration mailbox is read, when one is set
    ui.load_url_once()  # the language of the login form and banner comes from the link too
    if not ui.authenticate():
        st.stop()
    name, role = ui.user()
    run.role = role
    # (script, label key, icon, url path); the first is the default page and the only one while presenting,
    # because a shared screen shows aggregates only.
    PAGES = (
        ("pages/overview.py", "page.overview", ":material/dashboard:", "overview"),
        ("pages/registrations.py", "page.registrations", ":material/groups:", "registrations"),
        ("pages/documents.py", "page.documents", ":material/folder_open:", "documents"),
        ("pages/mail.py", "page.mail", ":material/inbox:", "mail"),
        ("pages/chase.py", "page.chase", ":material/mail:", "chase"),
        ("pages/batch.py", "page.batch", ":material/approval:", "batch"),
        ("pages/data_quality.py", "page.data_quality", ":material/fact_check:", "data-quality"),
        ("pages/import_forms.py", "page.import", ":material/upload_file:", "import"),
        ("pages/audit.py", "page.audit", ":material/history:", "audit"),
    )
    # Only the pages the role may open are offered; each page checks again itself.
    allowed = [p for p in PAGES if access.may_open(role, Path(p[0]).stem)]
    shown = allowed[:1] if ui.presenting() else allowed
    pages = {  # script name → page
        # The default page is served at "/" whatever its path; its own path goes to the alias below.
        Path(script).stem: st.Page(
            script, title=ui.t(label), icon=icon, url_path=f"{path}-page" if i == 0 else path, default=i == 0
        )
        for i, (script, label, icon, path) in enumerate(shown)
    }
    home_name, home = next(iter(pages.items()))
    # A link to /overview (the first page's name) opens it, not Streamlit's English "Page not found".
    alias = st.Page(lambda: st.switch_page(home), title=home.title, url_path=shown[0][3], visibility="hidden")
    page = st.navigation([*pages.values(), alias])
    ui.register_pages(pages)
    running = next((stem for stem, p in pages.items() if p.url_path == page.url_path), home_name)
    run.page = running
    try:
        ui.sidebar(running)  # the filters that mean something on this page
    except DelegationError as exc:  # e.g. the database is held by another program
        ui.show_error(exc)
        st.stop()
    ui.apply_presentation_style()
    if name != access.LOCAL_ADMIN:
        st.sidebar.caption(ui.t("access.signed_in").format(user=name, role=ui.t(f"role.{role}")))
        st.sidebar.button(ui.t("login.logout"), on_click=ui.logout, key="auth.logout")
    page.run()
