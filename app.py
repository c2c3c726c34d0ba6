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

ui.sidebar()
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
            "pages/data_quality.py",
            title=ui.t("page.data_quality"),
            icon=":material/fact_check:",
            url_path="data-quality",
        ),
    ]
st.navigation(pages).run()
