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
# One page of each list, cut in DuckDB (the export holds them all).
keys = tuple(f"data_quality.{name}" for name in quality.QUALITY_LISTS)
lists = ui.query(
    quality.quality_pages,
    config,
    filters,
    ui.language(),
    tuple(ui.asked_page(k) for k in keys),
    ui.LIST_PAGE_ROWS,
    show_full=show_full,
)
ui.export_buttons("quality", filters, show_full=show_full)

for name, key in zip(quality.QUALITY_LISTS, keys, strict=True):
    page = lists[name]
    st.subheader(f"{ui.t(f'quality.{name}')} · {page.total}")
    st.caption(ui.t(f"quality.{name}.help").format(date=config.passport_valid_through.isoformat()))
    if not page.total:
        st.success(ui.t("quality.none"))
        continue
    hidden = quality.QUALITY_HIDDEN.get(name, ())
    if name != "conflicts":
        ui.paged_table(key, page, hidden=hidden)
        continue
    # Conflicts between forms: staff check the value kept (and correct it on Registrations), then settle.
    chosen = ui.paged_table(key, page, hidden=hidden, on_select="rerun", selection_mode="multi-row")
    picked = list(chosen.selection.rows) if chosen else []
    if st.button(ui.t("quality.settle"), disabled=not picked, key="data_quality.settle"):
        for position in picked:
            quality.settle_issue(ui.cursor(), page.rows.iloc[position].to_dict(), ui.user()[0])
        st.rerun()
