"""Mail — the registration e-mails: what each brought and became, the unmatched ones to assign,
the body as plain text, and the acknowledgement to send (staff read; admins act)."""

import datetime as dt

import streamlit as st

from delegation import access, imap, mailbox, outbox, paging, ui
from delegation.documents import documents_folder
from delegation.errors import DelegationError
from delegation.summary import mail_counts

ui.require("mail")
config = ui.event_config()
lang = ui.language()
admin = access.at_least(ui.role(), "admin")

st.title(ui.t("page.mail"))
st.caption(ui.t("mail.help"))
if flash := st.session_state.pop("mail.flash", None):
    for line, ok in flash:
        (st.success if ok else st.warning)(ui.plain(line))
if not imap.configured("imap"):
    st.info(ui.t("mail.not_configured"))
elif (last := imap.last_round()) is None:
    st.caption(ui.t("mail.not_read_yet"))
elif last.failure is not None:
    st.warning(ui.plain(last.failure.message(lang)))
else:
    st.caption(ui.t("mail.last_read").format(at=last.at.strftime("%H:%M"), new=len(last.reports)))
figures = ui.query(mail_counts)
row = st.columns(3)
for column, name in zip(row, ("messages", "unmatched", "sent"), strict=True):
    column.metric(ui.t(f"mail.count.{name}"), figures[name])

only_unmatched = st.toggle(ui.t("mail.unmatched_only"), key="mail.unmatched_only")
# DuckDB cuts the page (100 messages at a time); the box's page is asked for before it is drawn.
shown = ui.query(
    mailbox.messages_page, lang, ui.asked_page("mail.list"), ui.LIST_PAGE_ROWS, unmatched=only_unmatched
)
ui.paged_table("mail.list", shown, hidden=("message_key", "unit_id"), wrap=("subject",))
listing = shown.rows
if listing.empty:
    st.stop()
labels = {  # the page's messages only: another page of the list offers its own
    key: f"{when:%Y-%m-%d %H:%M} · {subject or '—'}"
    for key, when, subject in zip(
        listing["message_key"], listing["received_at"], listing["subject"], strict=True
    )
}
chosen = ui.selectbox(st, ui.t("mail.choose"), list(labels), format_func=labels.get, key="mail.chosen")
picked = listing[listing["message_key"] == chosen].iloc[0]
st.subheader(ui.plain(picked["subject"] or "—"))
st.text(ui.t("mail.from_unit").format(sender=picked["sender"] or "—", unit=picked["unit_name"]))
ui.table(ui.query(mailbox.attachments_frame, chosen, lang), wrap=("outcome",))
with st.expander(ui.t("mail.body")):
    st.text(ui.query(mailbox.body, chosen) or "—")  # plain text: never Markdown, never HTML
if not admin:
    st.stop()

# The unit to assign is found by a search (name, pinyin or initials): the box offers the matches
# (50 at a time), never every unit.
find, left, right = st.columns([2, 3, 1], vertical_alignment="bottom")
search = find.text_input(
    ui.t("filter.unit_search"), key="mail.assign.search", placeholder=ui.t("filter.unit_search_hint")
)
asked = st.session_state.get(f"mail.assign.{chosen}")
units = ui.query(paging.unit_options, search, (asked,) if asked is not None else ())
unit = ui.selectbox(
    left,
    ui.t("mail.assign"),
    list(units),
    format_func=units.get,
    index=None,
    placeholder=ui.t("mail.assign.placeholder"),
    key=f"mail.assign.{chosen}",
)
if right.button(ui.t("mail.assign.button"), disabled=unit is None, key="mail.assign.go"):
    try:
        report = mailbox.assign(
            ui.cursor(), config, chosen, unit, actor=ui.user()[0], documents_dir=documents_folder()
        )
    except DelegationError as exc:
        ui.show_error(exc)
        st.stop()
    st.session_state["mail.flash"] = [
        (ui.t("mail.assigned").format(unit=units[unit], files=len(report.outcomes)), True)
    ]
    st.rerun()

if picked.notna()["unit_id"]:  # the message has its unit
    st.subheader(ui.t("mail.ack"))
    drafts = {}
    for column, draft_lang in zip(st.columns(2), ("zh", "en"), strict=True):
        try:
            drafts[draft_lang] = outbox.acknowledgement(
                ui.cursor(), config, chosen, draft_lang, dt.date.today()
            )
        except DelegationError as exc:
            ui.show_error(exc)
            st.stop()
        draft = drafts[draft_lang]
        column.caption(ui.t(f"chase.message_{draft_lang}"))
        column.code(f"{draft.subject}\n\n{draft.body}", language=None, wrap_lines=True)
    if imap.configured("smtp"):
        to = drafts["zh"].to
        which = ui.send_language(st, "mail.send_lang")
        st.caption(ui.t("mail.send_to").format(to=ui.plain(to or ui.MISSING)))
        if st.button(ui.t("mail.send"), type="primary", disabled=not to, key=f"mail.send.{chosen}"):
            try:
                sent = outbox.send(
                    ui.cursor(), config, imap.account("smtp"), [drafts[which]], actor=ui.user()[0]
                )
            except DelegationError as exc:
                ui.show_error(exc)
                st.stop()
            st.session_state["mail.flash"] = [(s.message(lang), s.sent) for s in sent]
            st.rerun()
    else:
        st.caption(ui.t("mail.no_smtp"))
