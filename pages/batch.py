"""Invitation batch — ready and blocked applicants, freezing a numbered batch, its steps and files."""

import datetime as dt

import streamlit as st

from delegation import batches, documents, ui
from delegation.batch_view import LISTS, batch_page
from delegation.errors import DelegationError
from delegation.filters import Filters

ui.require("batch")
config = ui.event_config()
lang = ui.language()
filters = ui.current_filters()

st.title(ui.t("page.batch"))
st.caption(ui.t("batch.help"))
if flash := st.session_state.pop("batch.flash", None):
    st.success(flash)
# One page of each list, cut in DuckDB (the export holds them all).
keys = tuple(f"batch.{name}" for name in LISTS)
view = ui.query(batch_page, config, filters, lang, tuple(ui.asked_page(k) for k in keys), ui.LIST_PAGE_ROWS)
today = dt.date.today()
# The letters are applied for in one batch: a freeze takes everyone ready today, whatever the
# sidebar shows; the lists below follow the filters and the as-of day like every page. Shown as of
# today without filters (as a staffer opens it), the ready list is that set; otherwise the set is
# counted when a freeze is asked for (the confirmation says how many), not on every look.
freeze_set_shown = filters == Filters(as_of=today)
if not freeze_set_shown:
    st.info(ui.t("batch.filters_ignored").format(shown=view["ready"].total))
for key, name in zip(keys, LISTS, strict=True):
    st.subheader(ui.t(key).format(count=view[name].total))
    ui.paged_table(key, view[name], wrap=("reasons",) if name == "blocked" else ())

nobody_shown = freeze_set_shown and not view["ready"].total
if st.button(ui.t("batch.freeze"), type="primary", disabled=nobody_shown, key="batch.freeze"):
    ready = view["ready"].total if freeze_set_shown else batches.ready_now(ui.cursor(), config, today)
    if ready:
        st.session_state["batch.confirm"] = ready
    else:
        st.info(ui.t("batch.none_ready"))
if (confirming := st.session_state.get("batch.confirm")) is not None:
    with st.container(border=True, key="batch-confirm"):
        st.warning(ui.t("batch.confirm").format(count=confirming))
        yes, no = st.columns(2)
        if yes.button(
            ui.t("batch.confirm_yes").format(count=confirming), type="primary", key="batch.confirm_yes"
        ):
            del st.session_state["batch.confirm"]
            try:
                number = batches.freeze(ui.cursor(), config, ui.user()[0], expected=confirming)
            except DelegationError as exc:
                ui.show_error(exc)
            else:
                st.session_state["batch.flash"] = ui.t("batch.frozen").format(batch=number, count=confirming)
                st.rerun()
        if no.button(ui.t("batch.cancel"), key="batch.cancel"):
            del st.session_state["batch.confirm"]
            st.rerun()

ui.export_buttons("batch", filters)

st.subheader(ui.t("batch.list"))
listed = view["batches"]
ui.table(listed, hidden=("next_status",), key="batch.list")
for row in listed.itertuples():
    a, b, c = st.columns(3)
    ui.file_button(
        a,
        f"{ui.t('batch.roster')} · {row.batch_id}",
        ui.logged_download("batch_roster", lambda b=row.batch_id: batches.roster_xlsx(ui.cursor(), b, lang)),
        file_name=f"invitation_batch_{row.batch_id}_roster.xlsx",
        key=f"batch.roster.{row.batch_id}",
        made_of=lang,
    )
    ui.file_button(
        b,
        f"{ui.t('batch.scans')} · {row.batch_id}",
        ui.logged_download(
            "batch_scans",
            lambda b=row.batch_id: batches.scans_zip(ui.cursor(), b, documents.documents_folder()),
            fmt="zip",
        ),
        file_name=f"invitation_batch_{row.batch_id}_scans.zip",
        key=f"batch.scans.{row.batch_id}",
    )
    if isinstance(row.next_status, str):
        label = ui.t("batch.next").format(status=ui.t(f"batch.status.{row.next_status}"))
        if c.button(label, key=f"batch.next.{row.batch_id}"):
            batches.set_status(ui.cursor(), row.batch_id, row.next_status, ui.user()[0])
            st.rerun()
