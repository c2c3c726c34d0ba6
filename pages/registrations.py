"""Registrations — units and participants as searchable, sortable, paged tables; a unit's people."""

import streamlit as st

from delegation import access, paging, ui
from delegation.errors import DelegationError
from delegation.links import link_of_unit
from delegation.lists.participants import PARTICIPANT_SORTS, participants_page
from delegation.lists.units import UNIT_SORTS, units_page
from delegation.registrations import CONTACT, save_edit, save_unit_contact, set_withdrawn, unit_contact
from delegation.registrations import editable as edit_fields

ui.require("registrations")
config = ui.event_config()
lang = ui.language()
filters = ui.current_filters()

st.title(ui.t("page.registrations"))
search = st.text_input(
    ui.t("registrations.search"), key="registrations.search", placeholder=ui.t("registrations.search_hint")
)
show_full = st.toggle(
    ui.t("registrations.show_full"),
    key="registrations.show_full",
    on_change=ui.log_show_full,
    args=("registrations",),
)
units_tab, people_tab = st.tabs([ui.t("registrations.units"), ui.t("registrations.participants")])


def list_controls(prefix: str, sorts: tuple[str, ...], **label_keys: str) -> tuple[str, bool, int, int]:
    """Sort, direction, page size and page number widgets for one table; a sort is labelled
    `sort.<sort>` unless `label_keys` names another label for it."""
    a, b, c, d = st.columns([2, 1, 1, 1])
    # captured now: AppTest formats values outside the run
    labels = {s: ui.t(label_keys.get(s, f"sort.{s}")) for s in sorts}
    sort = ui.selectbox(
        a, ui.t("registrations.sort"), sorts, format_func=labels.__getitem__, key=f"{prefix}.sort"
    )
    descending = b.toggle(ui.t("registrations.descending"), key=f"{prefix}.descending")
    size = c.selectbox(ui.t("registrations.page_size"), (50, 100, 500), key=f"{prefix}.page_size")
    page = ui.page_number(d, f"{prefix}.page")
    return sort, descending, int(size), page


with units_tab:
    sort, descending, size, page = list_controls("registrations.units", UNIT_SORTS, name="sort.unit")
    units = ui.query(
        units_page,
        filters,
        lang,
        search=search,
        sort=sort,
        descending=descending,
        page=page,
        page_size=size,
    )
    ui.follow_page("registrations.units.page", page, units.page)
    st.caption(
        ui.t("registrations.count_units").format(count=units.total, page=units.page, pages=units.pages)
    )
    ui.export_buttons("units", filters, search=search, sort=sort, descending=descending)
    chosen = ui.table(
        units.rows,
        hidden=("unit_id",),
        on_select="rerun",
        selection_mode="single-row",
        height="content",  # the whole page of rows chosen, not a ten-row box that scrolls
        key="registrations.units.table",
    )
    listing = (filters, search, sort, descending, units.page, size)
    selected = ui.selected_rows("registrations.units.table", chosen, listing)
    if selected:
        unit_id = int(units.rows.iloc[selected[0]]["unit_id"])
        detail = ui.query(paging.unit_detail, unit_id, filters.as_of, lang, show_full)
        if len(detail):
            st.subheader(ui.t("registrations.unit_detail"))
            ui.table(detail, key="registrations.unit.detail")
            if link := link_of_unit(ui.cursor(), config, unit_id):  # its own online-form link
                st.caption(ui.t("registrations.unit_link"))
                st.code(link, language=None)
            members = ui.query(
                participants_page,
                config,
                filters.for_unit(unit_id),
                lang,
                page_size=1000,
                show_full=show_full,
            )
            ui.table(members.rows, hidden=("participant_id",), key="registrations.unit.members")
            # The unit's contact, whom the chase list writes to: staff keep it right, with "show
            # full" on (logged), since the boxes hold the full mobile and e-mail.
            if not show_full:
                st.caption(ui.t("registrations.contact_needs_full"))
            else:
                contact, contact_token = unit_contact(ui.cursor(), unit_id)
                contact_key = f"registrations.contact.token.{unit_id}"
                st.session_state.setdefault(contact_key, contact_token)  # the state this session started from
                with st.form("registrations.contact"):
                    st.markdown(f"**{ui.t('registrations.edit_contact')}**")
                    typed = {
                        field: st.text_input(
                            ui.t(f"column.{field}"),
                            value=contact[field] or "",
                            key=f"registrations.contact.{unit_id}.{contact_token[:12]}.{field}",
                        )
                        for field in CONTACT
                    }
                    if st.form_submit_button(ui.t("documents.save")):
                        try:
                            save_unit_contact(
                                ui.cursor(), unit_id, typed, st.session_state[contact_key], ui.user()[0]
                            )
                        except DelegationError as exc:
                            ui.show_error(exc)
                        else:
                            st.session_state.pop(contact_key, None)
                            st.rerun()
            if access.at_least(ui.role(), "admin"):  # edits are for admins
                # Cleared on submit, in the browser too: the choice never carries to the next save.
                with st.form("registrations.withdraw", clear_on_submit=True):
                    # Labels captured now: AppTest formats options outside the script run.
                    people = {0: ui.t("registrations.whole_unit")}
                    people |= dict(zip(members.rows["participant_id"], members.rows["name"], strict=True))
                    who = st.selectbox(
                        ui.t("registrations.withdraw_who"),
                        list(people),
                        format_func=people.get,
                        key=f"registrations.withdraw.who.{unit_id}",
                    )
                    states = {True: ui.t("status.withdrawn"), False: ui.t("status.registered")}
                    # Nothing chosen to start with: a preset "withdrawn" read as the unit's state,
                    # and one press of Save would have withdrawn it.
                    withdrawn = st.radio(
                        ui.t("column.status"),
                        list(states),
                        format_func=states.get,
                        horizontal=True,
                        index=None,
                        key=f"registrations.withdraw.status.{unit_id}",  # none carried to another unit
                    )
                    if st.form_submit_button(ui.t("documents.save")):
                        if withdrawn is None:
                            st.warning(ui.t("registrations.choose_status"))
                        else:
                            target = ("units", unit_id) if who == 0 else ("participants", int(who))
                            set_withdrawn(
                                ui.cursor(),
                                table=target[0],
                                key=target[1],
                                withdrawn=withdrawn,
                                actor=ui.user()[0],
                            )
                            st.rerun()
                # 0 for nobody, not None: a select box set to None shows "Choose an option".
                one_of = {0: ui.MISSING} | {k: v for k, v in people.items() if k != 0}  # (labels captured)
                editing = ui.selectbox(  # its key outlives the unit: another unit's person is not offered
                    st,
                    ui.t("registrations.edit_who"),
                    list(one_of),
                    format_func=one_of.get,
                    key="registrations.edit.who",
                )
                if editing:
                    values, token = edit_fields(ui.cursor(), int(editing))
                    state_key = f"registrations.edit.token.{editing}"
                    st.session_state.setdefault(state_key, token)  # the state this session started from
                    with st.form("registrations.edit"):
                        # Keyed by the person and their stored state: the inputs start again
                        # from the stored values when either changes.
                        changes = ui.edit_inputs(values, key=f"registrations.edit.{editing}.{token[:12]}")
                        if st.form_submit_button(ui.t("documents.save")):
                            try:
                                save_edit(
                                    ui.cursor(),
                                    int(editing),
                                    changes,
                                    st.session_state[state_key],
                                    ui.user()[0],
                                )
                            except DelegationError as exc:
                                ui.show_error(exc)
                            else:
                                st.session_state.pop(state_key, None)
                                st.rerun()

with people_tab:
    sort, descending, size, page = list_controls("registrations.people", PARTICIPANT_SORTS)
    people = ui.query(
        participants_page,
        config,
        filters,
        lang,
        search=search,
        sort=sort,
        descending=descending,
        page=page,
        page_size=size,
        show_full=show_full,
    )
    ui.follow_page("registrations.people.page", page, people.page)
    st.caption(
        ui.t("registrations.count_people").format(count=people.total, page=people.page, pages=people.pages)
    )
    ui.export_buttons(
        "participants", filters, search=search, show_full=show_full, sort=sort, descending=descending
    )
    ui.table(people.rows, hidden=("participant_id",), height="content", key="registrations.people.table")
