"""Data quality — what the importer reported and what the registrations still get wrong."""

import streamlit as st

from delegation import quality, ui

ui.require("data_quality")
config = ui.event_config()
filters = ui.current_filters()

st.title(ui.t("page.data_quality"))
show_full = st.toggle(
    ui.t("registrations.show_full"),
    key="data_quality.show_full",
    on_change=ui.log_show_full,
    args=("data_quality",),
)
lists = ui.query(quality.quality, config, filters, ui.language(), show_full=show_full)
ui.export_buttons("quality", filters, show_full=show_full)

for name in quality.QUALITY_LISTS:
    rows = lists[name]
    st.subheader(f"{ui.t(f'quality.{name}')} · {len(rows)}")
    st.caption(ui.t(f"quality.{name}.help").format(date=config.passport_valid_through.isoformat()))
    if not len(rows):
        st.success(ui.t("quality.none"))
        continue
    hidden = quality.QUALITY_HIDDEN.get(name, ())
    if name != "conflicts":
        ui.table(rows, hidden=hidden, key=f"data_quality.{name}")
        continue
    # Conflicts between forms: staff check the value kept (and correct it on Registrations), then settle.
    chosen = ui.table(
        rows, hidden=hidden, on_select="rerun", selection_mode="multi-row", key="data_quality.conflicts"
    )
    picked = list(chosen.selection.rows) if chosen else []
    if st.button(ui.t("quality.settle"), disabled=not picked, key="data_quality.settle"):
        for position in picked:
            quality.settle_issue(ui.cursor(), rows.iloc[position].to_dict(), ui.user()[0])
        st.rerun()
