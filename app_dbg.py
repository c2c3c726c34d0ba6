import streamlit as st

from delegation import ui

ui.sidebar()
st.navigation([st.Page("pages/dbg.py", title="P", default=True)]).run()
