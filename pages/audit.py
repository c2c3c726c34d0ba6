"""Audit log — every login, import, edit, document and batch change, export and "show full"; admins only."""

import datetime as dt

import streamlit as st

from delegation import audit, ui
from delegation.backup_places import backups_folder
from delegation.backups import manual_backup
from delegation.errors import DelegationError
from delegation.keys import keyring

ui.require("audit")
lang = ui.language()

st.title(ui.t("page.audit"))
st.caption(ui.t("audit.help"))
if st.button(ui.t("audit.backup"), key="audit.backup"):
    try:  # a missing or wrong key file: one sentence
        path = manual_backup(ui.cursor(), backups_folder(), ui.user()[0])
    except DelegationError as exc:
        ui.show_error(exc)
    else:
        st.success(ui.t("audit.backup_done").format(file=path.name))
        st.info(ui.t("backup.key_reminder").format(path=keyring(ui.cursor()).path))
# Below the backup button: a backup just made is a row of the chain checked here.
intact, said = ui.query(audit.chain_status, lang)  # checked again whenever a row is appended
if intact:
    st.success(ui.plain(said), icon=":material/verified:")
else:
    st.error(ui.plain(said), icon=":material/gpp_bad:")
choices = ui.query(audit.audit_choices)
a, b, c = st.columns([2, 1, 1])
actions = ui.any_of(
    a,
    ui.t("audit.actions"),
    choices["action"],
    format_func=lambda action: audit.action_label(action, lang),
    key="audit.actions",
)
everyone = ui.t("filter.all")
actor = ui.selectbox(
    b, ui.t("audit.actor"), ["", *choices["actor"]], format_func=lambda a: a or everyone, key="audit.actor"
)
days = c.date_input(
    ui.t("audit.days"), value=(dt.date.today() - dt.timedelta(days=30), dt.date.today()), key="audit.days"
)
since, until = (days[0], days[-1]) if isinstance(days, tuple) and days else (dt.date.min, dt.date.max)
entries = ui.query(audit.audit_entries, ui.event_config(), tuple(actions), actor, since, until, lang)
st.caption(ui.t("audit.count").format(count=len(entries), limit=audit.AUDIT_LIMIT))
ui.export_buttons(
    "audit", ui.current_filters(), actions=tuple(actions), actor=actor, since=since, until=until
)
ui.table(entries, key="audit.table")
