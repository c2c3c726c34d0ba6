"""Delegation Desk — the entry point: page frame, shared sidebar, navigation."""

import streamlit as st

from delegation import ui
from delegation.errors import DelegationError

st.set_page_config(page_title="Delegation Desk · 报名台", page_icon="🇺🇸", layout="wide")
ui.language_picker()
try:
    ui.event_config()
except DelegationError as exc:
    st.error(ui.t("error.config") + exc.message(ui.language()))
    st.stop()

page = st.navigation([st.Page("pages/overview.py", title=ui.t("page.overview"), icon="📊", default=True)])
page.run()
