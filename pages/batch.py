"""Invitation batch — ready and blocked applicants, freezing a numbered batch, its steps and files."""

import streamlit as st

from delegation import batches, checklists, documents, ui
from delegation.errors import DelegationError

ui.require("batch")
config = ui.event_config()
lang = ui.language()
filters = ui.current_filters()

st.title(ui.t("page.batch"))
st.caption(ui.t("batch.help"))
if flash := st.session_state.pop("batch.flash", None):
    st.success(flash)
view = ui.query(checklists.batch_view, config, filters, lang)
ready, blocked = ui.wrapping("batch-lists", "tables").columns(2)
ready.subheader(ui.t("batch.ready").format(count=len(view["ready"])))
with ready:
    ui.table(view["ready"], key="batch.ready")
blocked.subheader(ui.t("batch.blocked").format(count=len(view["blocked"])))
with blocked:
    ui.table(view["blocked"], key="batch.blocked")
if st.button(ui.t("batch.freeze"), type="primary", disabled=view["ready"].empty, key="batch.freeze"):
    try:
        number = batches.freeze(ui.cursor(), config, filters, ui.user()[0])
    except DelegationError as exc:
        ui.show_error(exc)
    else:
        st.session_state["batch.flash"] = ui.t("batch.frozen").format(batch=number)
        st.rerun()

ui.export_buttons("batch", filters)

st.subheader(ui.t("batch.list"))
listed = view["batches"]
ui.table(listed, hidden=("next_status",), key="batch.list")
for row in listed.itertuples():
    a, b, c = st.columns(3)
    a.download_button(
        f"{ui.t('batch.roster')} · {row.batch_id}",
        ui.logged_download("batch_roster", lambda b=row.batch_id: batches.roster_xlsx(ui.cursor(), b, lang)),
        file_name=f"invitation_batch_{row.batch_id}_roster.xlsx",
        key=f"batch.roster.{row.batch_id}",
    )
    b.download_button(
        f"{ui.t('batch.scans')} · {row.batch_id}",
        ui.logged_download(
            "batch_scans",
            lambda b=row.batch_id: batches.scans_zip(ui.cursor(), b, documents.documents_folder()),
        ),
        file_name=f"invitation_batch_{row.batch_id}_scans.zip",
        key=f"batch.scans.{row.batch_id}",
    )
    if isinstance(row.next_status, str):
        label = f"{ui.t('batch.next')}: {ui.t(f'batch.status.{row.next_status}')}"
        if c.button(label, key=f"batch.next.{row.batch_id}"):
            batches.set_status(ui.cursor(), row.batch_id, row.next_status, ui.user()[0])
            st.rerun()
