"""The floor of the browser bench: a blank Streamlit app, a title and one button.

bench/browser_bench.py times a click on its button to the end of the rerun it starts, and its cold
start, against the same actions in the app: what Streamlit itself costs on this machine, in the
same run.
"""

import streamlit as st

st.title("Blank")
st.button("Rerun", key="blank.rerun")
