"""Chase list — per unit: what is missing or invalid, the contact, messages ready to send, and when
it was last chased."""

import datetime as dt

import streamlit as st

from delegation import access, chase, document_grid, documents, imap, outbox, ui
from delegation.errors import DelegationError

ui.require("chase")
config = ui.event_config()
lang = ui.language()
filters = ui.current_filters()
ALL_OWNERS = ui.t("documents.all_owners")

st.title(ui.t("page.chase"))
st.caption(ui.t("chase.help"))
if flash := st.session_state.pop("chase.flash", None):
    st.success(ui.plain(flash))
for line, ok in st.session_state.pop("chase.sent", []):
    (st.success if ok else st.warning)(ui.plain(line))
# Admins send through the mailbox's SMTP account when one is set; without it the text is copied.
sending = access.at_least(ui.role(), "admin") and imap.configured("smtp")


def send(chosen: list[dict], send_lang: str) -> None:
    """Send the chase messages of the chosen units (after the preview above), then show what happened."""
    cursor = ui.cursor()
    drafts = [
        outbox.chase_draft(config, e, send_lang, filters.as_of, outbox.unit_passports(cursor, e["unit_id"]))
        for e in chosen
    ]
    try:
        sent = outbox.send(cursor, config, imap.account("smtp"), drafts, actor=ui.user()[0])
    except DelegationError as exc:
        ui.show_error(exc)
        st.stop()
    st.session_state["chase.sent"] = [(s.message(lang), s.sent) for s in sent]
    st.rerun()


left, right = st.columns(2, vertical_alignment="bottom")
owner = ui.selectbox(
    left,
    ui.t("documents.owner"),
    ["", *ui.query(document_grid.owners)],
    format_func=lambda o: o or ALL_OWNERS,
    key="chase.owner",
)
quiet_days = int(
    right.number_input(ui.t("chase.not_chased_days"), min_value=0, step=1, key="chase.not_chased_days")
)
# DuckDB cuts the page (20 units a time; the export holds them all): the box's page is asked for
# before the box is drawn, and the box is drawn only when there is more than one page.
entries, shown = ui.query(
    chase.chase_page,
    config,
    filters,
    ui.asked_page("chase"),
    owner=owner,
    not_chased_days=quiet_days,
    today=dt.date.today(),
)
st.subheader(ui.t("chase.units").format(count=shown["units"]))
if not entries:
    st.success(ui.t("chase.none"))
else:
    ui.export_buttons("chase", filters, owner=owner, not_chased_days=quiet_days, show_full=True)
ui.page_box("chase", shown["pages"], shown["page"], ui.t("chase.showing").format(**shown))
if sending and entries:
    with st.expander(ui.t("chase.send_set")):
        names = {e["unit_id"]: e["unit_name"] for e in entries}
        picked = st.multiselect(
            ui.t("chase.send_units"), list(names), format_func=names.get, key="chase.send_units"
        )
        set_lang = ui.send_language(st, "chase.send_lang")
        label = ui.t("chase.send_set.button").format(count=len(picked))
        if st.button(label, type="primary", disabled=not picked, key="chase.send_set.go"):
            send([e for e in entries if e["unit_id"] in picked], set_lang)


def unit_box(entry: dict) -> None:
    """One unit: what it owes, its contact and both messages, drawn only while its box is open (an
    opened box reruns the page): twenty closed boxes send their labels only."""
    count = ui.t("chase.items").format(count=len(entry["items"]))
    box = st.expander(  # a name is shown as typed
        f"{ui.plain(entry['unit_name'])} · {count}", key=f"chase.unit.{entry['unit_id']}", on_change="rerun"
    )
    if not box.open:
        return
    with box:
        st.text(
            ui.t("chase.contact").format(
                name=entry["contact_name"] or ui.MISSING,
                mobile=entry["contact_mobile"] or ui.MISSING,
                email=entry["contact_email"] or ui.MISSING,
            )
        )
        st.text(chase.last_chased(entry, lang))
        st.text("\n".join(chase.chase_lines(entry, lang)))
        zh, en = st.columns(2)
        zh.caption(ui.t("chase.message_zh"))
        zh.code(chase.chase_message(config, entry, "zh", filters.as_of), language=None, wrap_lines=True)
        en.caption(ui.t("chase.message_en"))
        en.code(chase.chase_message(config, entry, "en", filters.as_of), language=None, wrap_lines=True)
        if sending:
            for column, send_lang in ((zh, "zh"), (en, "en")):
                if column.button(
                    ui.t("chase.send_one"),
                    key=f"chase.mail.{send_lang}.{entry['unit_id']}",
                    disabled=not entry["contact_email"],
                ):
                    send([entry], send_lang)
        if st.button(ui.t("chase.mark_sent"), key=f"chase.sent.{entry['unit_id']}", icon=":material/send:"):
            chase.mark_chased(ui.cursor(), entry["unit_id"], len(entry["items"]), ui.user()[0])
            st.session_state["chase.flash"] = ui.t("chase.marked").format(unit=entry["unit_name"])
            st.rerun()
        if not access.at_least(ui.role(), "admin"):
            return
        new_owner = st.text_input(
            ui.t("chase.assign"),
            value=entry["owner"] or "",
            placeholder=ui.t("chase.assign.placeholder"),
            key=f"chase.owner.{entry['unit_id']}",
        )
        if new_owner != (entry["owner"] or ""):
            documents.set_owner(ui.cursor(), entry["unit_id"], new_owner, ui.user()[0])
            st.rerun()


for entry in entries:
    unit_box(entry)
