"""Documents — what each unit and participant still owes, checklists, uploads and marking by hand."""

import streamlit as st

from delegation import access, charts, document_grid, documents, paging, ui
from delegation.errors import DelegationError

ui.require("documents")
config = ui.event_config()
lang = ui.language()
filters = ui.current_filters()
ALL_OWNERS = ui.t("documents.all_owners")

st.title(ui.t("page.documents"))
if flash := st.session_state.pop("documents.flash", None):
    st.success(flash)
shown = ui.query(document_grid.figures, filters, lang)  # one query for the figures and both charts
by_kind = shown.by_kind
for column, row in zip(
    ui.wrapping("documents-figures", "figures").columns(len(by_kind), vertical_alignment="bottom"),
    by_kind.itertuples(),
    strict=True,
):
    column.metric(
        ui.t("documents.missing_kind").format(what=row.label),
        row.missing,
        help=f"{row.missing} / {row.required}",
    )

left, right = ui.wrapping("documents-charts", "charts").columns(2)
# A sentence where a chart would have nothing to draw: empty axes ran from -1 to 4.
by_province = shown.by_province
if by_province.empty and by_kind["required"].sum() == 0:
    left.info(ui.t("documents.none_required"))  # no one registered, or no one matches the filters
elif by_province.empty:
    left.success(ui.t("documents.none_missing"))
else:
    left.plotly_chart(
        ui.figure(charts.bar_chart, by_province, ui.t("documents.by_province"), ui.t("column.missing")),
        key="documents.province",
    )
done = shown.completion
if done.empty:
    right.info(ui.t("documents.none_received"))
else:
    right.plotly_chart(
        ui.figure(
            charts.completion_chart,
            done,
            {
                "title": ui.t("documents.completion"),
                "received": ui.t("documents.received_axis"),
                "required": ui.t("documents.required_line"),
                "axis": ui.t("documents.received_axis"),
                "dates": ui.t("chart.date_format"),
                "dates_year": ui.t("chart.date_format_year"),
            },
            rows=len(by_province),  # as tall as the province chart beside it (none: its own height)
        ),
        key="documents.completion",
    )

if not access.at_least(ui.role(), "staff"):
    st.stop()  # viewers see the aggregates above only

st.subheader(ui.t("documents.by_unit"))
a, b = st.columns([1, 2])
owner_options = ["", *ui.query(document_grid.owners)]
owner = ui.selectbox(
    a,
    ui.t("documents.owner"),
    owner_options,
    format_func=lambda o: o or ALL_OWNERS,
    key="documents.owner",
)
only_missing = b.toggle(ui.t("documents.only_missing"), value=True, key="documents.only_missing")
# One page of units and of passports, cut in DuckDB (the export holds them all).
grid = ui.query(
    document_grid.missing_by_unit,
    config,
    filters,
    lang,
    owner=owner,
    only_missing=only_missing,
    page=ui.asked_page("documents.grid"),
    page_size=ui.LIST_PAGE_ROWS,
)
ui.export_buttons("documents", filters, owner=owner)
ui.paged_table("documents.grid", grid, hidden=("unit_id",))

validity = ui.query(
    document_grid.passport_validity, config, filters, ui.asked_page("documents.validity"), ui.LIST_PAGE_ROWS
)
st.subheader(f"{ui.t('documents.passport_validity')} · {validity.total}")
ui.paged_table("documents.validity", validity)

st.subheader(ui.t("documents.checklist"))
find = st.text_input(
    ui.t("filter.unit_search"), key="documents.unit_search", placeholder=ui.t("filter.unit_search_hint")
)
chosen = st.session_state.get("documents.unit")
units = ui.query(paging.unit_options, find, (chosen,) if chosen is not None else ())
unit_id = st.selectbox(
    ui.t("documents.pick_unit"),
    list(units),
    format_func=units.get,
    index=None,
    key="documents.unit",
    placeholder=ui.t("documents.pick_unit_hint"),  # Streamlit's own is English: "Choose an option"
)
if unit_id is not None:
    checklist = ui.query(document_grid.unit_checklist, config, unit_id, filters.as_of, lang)
    st.caption(ui.t("documents.pick_scan"))
    picked = ui.table(
        checklist,
        hidden=("participant_id", "kind", "document_id"),
        on_select="rerun",
        selection_mode="single-row",
        key="documents.checklist",
    )
    rows = ui.selected_rows("documents.checklist", picked, (unit_id, filters.as_of))
    if rows:  # a document's scan, seen before it is marked verified (each view logged)
        document_id = document_grid.checklist_scan(checklist, rows[0])
        if document_id is None:
            st.info(ui.t("documents.no_scan"))
        else:
            row = checklist.iloc[rows[0]]
            ui.scan_viewer(document_id, f"{row['participant_name']} · {row['item']}")
    if len(checklist) and access.at_least(ui.role(), "admin"):
        with st.form("documents.change", clear_on_submit=True):
            labels = [f"{r.participant_name} · {r.item}" for r in checklist.itertuples()]
            choice = st.selectbox(ui.t("documents.item"), range(len(labels)), format_func=labels.__getitem__)
            upload = ui.uploader(
                st,
                ui.t("documents.upload"),
                kinds=documents.SCAN_SUFFIXES,
                limit_mb=config.max_document_mb,
                key="documents.scan",
            )
            state_labels = {s: ui.t(f"state.{s}") for s in ("received", "verified", "rejected", "missing")}
            state = st.radio(
                ui.t("documents.mark"), list(state_labels), format_func=state_labels.get, horizontal=True
            )
            reason = st.text_input(ui.t("documents.reason"))
            if st.form_submit_button(ui.t("documents.save"), type="primary"):
                target = document_grid.checklist_target(checklist, unit_id, choice)
                try:
                    if upload is not None:
                        documents.attach(
                            ui.cursor(),
                            config,
                            data=upload.getvalue(),
                            original_name=upload.name,
                            actor=ui.user()[0],
                            source="upload",
                            folder=documents.documents_folder(),
                            **target,
                        )
                    else:
                        documents.set_state(
                            ui.cursor(),
                            status=state,
                            reason=reason,
                            actor=ui.user()[0],
                            source="by hand",
                            **target,
                        )
                except DelegationError as exc:
                    ui.show_error(exc)
                else:
                    st.session_state["documents.flash"] = ui.t("documents.saved")
                    st.rerun()  # so every figure above shows the change
