"""Delegation Desk — the entry point: page frame, shared sidebar, navigation."""

import streamlit as st

from delegation import ui
from delegation.errors import DelegationError

st.set_page_config(
    page_title="Delegation Desk · 报名台", page_icon=":material/flight_takeoff:", layout="wide"
)
try:
    ui.event_config()
except DelegationError as exc:
    st.error(f"{exc.zh}\n\n{exc.en}")
    st.stop()

try:
    ui.sidebar()
except DelegationError as exc:  # e.g. the database is held by another program
    st.error(exc.message(ui.language()))
    st.stop()
ui.apply_presentation_style()
# (script, label key, icon, url path); the first is the default page and the only one while presenting,
# because a shared screen shows aggregates only.
PAGES = (
    ("pages/overview.py", "page.overview", ":material/dashboard:", "overview"),
    ("pages/registrations.py", "page.registrations", ":material/groups:", "registrations"),
    ("pages/documents.py", "page.documents", ":material/folder_open:", "documents"),
    ("pages/chase.py", "page.chase", ":material/mail:", "chase"),
    ("pages/batch.py", "page.batch", ":material/approval:", "batch"),
    ("pages/data_quality.py", "page.data_quality", ":material/fact_check:", "data-quality"),
    ("pages/import_forms.py", "page.import", ":material/upload_file:", "import"),
)
shown = PAGES[:1] if ui.presenting() else PAGES
pages = [
    st.Page(script, title=ui.t(label), icon=icon, url_path=path, default=i == 0)
    for i, (script, label, icon, path) in enumerate(shown)
]
st.navigation(pages).run()
