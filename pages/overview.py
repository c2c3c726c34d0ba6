"""Overview: the headline figures and breakdowns (the full dashboard arrives with the dashboards issue)."""

import datetime as dt

import streamlit as st

from delegation import ui
from delegation.summary import summary

lang = ui.language()
config = ui.event_config()
as_of = st.sidebar.date_input(ui.t("sidebar.as_of"), value=dt.date.today(), key="filters.as_of")

st.title(config.name(lang))
figures = summary(ui.cursor(), config, as_of)
upcoming = [d for d in figures["deadlines"] if d["days_left"] >= 0]

cols = st.columns(5)
cols[0].metric(ui.t("overview.units"), figures["units"])
cols[1].metric(ui.t("overview.participants"), figures["participants"])
cols[2].metric(ui.t("overview.applicants"), figures["invitation_applicants"])
cols[3].metric(ui.t("overview.passport_invalid"), figures["passport_invalid"])
cols[4].metric(
    ui.t("overview.next_deadline"), upcoming[0]["days_left"] if upcoming else ui.t("overview.no_deadline")
)

if figures["participants"] == 0:
    st.info(ui.t("overview.empty"))

st.subheader(ui.t("overview.countdowns"))
labels = {m.key: m.label(lang) for m in config.milestones()}
st.dataframe(
    [
        {
            ui.t("column.milestone"): labels[d["key"]],
            ui.t("column.date"): d["date"],
            ui.t("column.days_left"): d["days_left"],
        }
        for d in figures["deadlines"]
    ],
    hide_index=True,
)

left, right = st.columns(2)
for column, key, title in (
    (left, "by_province", "overview.by_province"),
    (right, "by_sector", "overview.by_sector"),
    (left, "by_theme", "overview.by_theme"),
    (right, "by_city", "overview.by_city"),
):
    column.subheader(ui.t(title))
    column.dataframe(
        [{ui.t("column.name"): k, ui.t("column.participants"): v} for k, v in figures[key].items()],
        hide_index=True,
    )
