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
pages = [
    st.Page(
        "pages/overview.py",
        title=ui.t("page.overview"),
        icon=":material/dashboard:",
        url_path="overview",
        default=True,
    )
]
if not ui.presenting():  # a shared screen shows aggregates only
    pages += [
        st.Page(
            "pages/registrations.py",
            title=ui.t("page.registrations"),
            icon=":material/groups:",
            url_path="registrations",
        ),
        st.Page(
            "pages/documents.py",
            title=ui.t("page.documents"),
            icon=":material/folder_open:",
            url_path="documents",
        ),
        st.Page(
            "pages/chase.py",
            title=ui.t("page.chase"),
            icon=":material/mail:",
            url_path="chase",
        ),
        st.Page(
            "pages/batch.py",
            title=ui.t("page.batch"),
            icon=":material/approval:",
            url_path="batch",
        ),
        st.Page(
            "pages/data_quality.py",
            title=ui.t("page.data_quality"),
            icon=":material/fact_check:",
            url_path="data-quality",
        ),
        st.Page(
            "pages/import_forms.py",
            title=ui.t("page.import"),
            icon=":material/upload_file:",
            url_path="import",
        ),
    ]
st.navigation(pages).run()
