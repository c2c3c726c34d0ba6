"""Chase list — per unit: what is missing or invalid, the contact, and messages ready to send."""

import streamlit as st

from delegation import access, checklists, documents, ui

ui.require("chase")
config = ui.event_config()
lang = ui.language()
filters = ui.current_filters()
ALL_OWNERS = ui.t("documents.all_owners")

st.title(ui.t("page.chase"))
st.caption(ui.t("chase.help"))
owner = ui.selectbox(
    st,
    ui.t("documents.owner"),
    ["", *ui.query(checklists.owners)],
    format_func=lambda o: o or ALL_OWNERS,
    key="chase.owner",
)
entries = ui.query(checklists.chase_list, config, filters, owner=owner)
st.subheader(ui.t("chase.units").format(count=len(entries)))
if not entries:
    st.success(ui.t("chase.none"))
else:
    ui.export_buttons("chase", filters, owner=owner, show_full=True)
if len(entries) > checklists.CHASE_PAGE_UNITS:  # a page of units at a time; the export holds them all
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    page = ui.page_number(left, "chase.page")
    entries, shown = checklists.chase_page(entries, page)
    ui.follow_page("chase.page", page, shown["page"])
    right.caption(ui.t("chase.showing").format(**shown))
for entry in entries:
    count = ui.t("chase.items").format(count=len(entry["items"]))
    with st.expander(f"{ui.plain(entry['unit_name'])} · {count}"):  # a name is shown as typed
        st.text(
            ui.t("chase.contact").format(
                name=entry["contact_name"] or ui.MISSING,
                mobile=entry["contact_mobile"] or ui.MISSING,
                email=entry["contact_email"] or ui.MISSING,
            )
        )
        ui.table(checklists.chase_table(entry, lang))
        zh, en = st.columns(2)
        zh.caption(ui.t("chase.message_zh"))
        zh.code(entry["message_zh"], language=None, wrap_lines=True)
        en.caption(ui.t("chase.message_en"))
        en.code(entry["message_en"], language=None, wrap_lines=True)
        if not access.at_least(ui.role(), "admin"):
            continue
        new_owner = st.text_input(
            ui.t("chase.assign"),
            value=entry["owner"] or "",
            placeholder=ui.t("chase.assign.placeholder"),
            key=f"chase.owner.{entry['unit_id']}",
        )
        if new_owner != (entry["owner"] or ""):
            documents.set_owner(ui.cursor(), entry["unit_id"], new_owner, ui.user()[0])
            st.rerun()
