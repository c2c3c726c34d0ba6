"""Overview — the screen-shared page: headline figures, countdowns, where people come from and which
forum themes they chose, sign-ups over time, the other breakdowns."""

import streamlit as st

from delegation import access, figures, ui
from delegation.overview_view import overview_view
from delegation.workbooks import leadership_workbook

ui.require("overview")
config = ui.event_config()


def overview() -> None:
    lang = ui.language()
    large = ui.presenting()
    filters = ui.current_filters()
    # One query and the charts, built once for every session showing the same (a meeting room).
    view = ui.shared(overview_view, config, filters, lang, large)
    shown = view.shown
    head = shown.headline
    if ui.user()[0] == access.LOCAL_ADMIN and not large:  # not on a shared screen
        st.warning(ui.t("access.local_admin"))

    title, button = ui.heading("overview-heading")
    title.header(config.name(lang))
    if large:
        button.button(ui.t("overview.exit_presentation"), key="overview.exit", on_click=_exit_presentation)
    else:
        ui.file_button(
            button,
            ui.t("export.leadership"),
            ui.logged_download("summary", lambda: leadership_workbook(ui.cursor(), config, filters, lang)),
            file_name=f"summary_{filters.slug()}.xlsx",
            key="overview.workbook",
            made_of=(filters, lang),
            icon=":material/download:",
            help=ui.t("export.leadership.help"),
        )
    st.caption(ui.t("overview.as_of").format(date=filters.as_of.isoformat(), seconds=config.refresh_seconds))

    cols = ui.wrapping("overview-figures", "figures").columns(4, vertical_alignment="bottom")  # figures level
    cols[0].metric(ui.t("overview.units"), head.units)
    cols[1].metric(ui.t("overview.participants"), head.participants)
    cols[2].metric(ui.t("overview.applicants"), head.invitation_applicants)
    owed = shown.documents
    cols[3].metric(
        ui.t("overview.missing_documents"),
        shown.missing_documents,
        help=" · ".join(
            ui.t("overview.missing_of").format(what=r.label, missing=r.missing, required=r.required)
            for r in owed.itertuples()
        ),
    )

    cards = figures.countdown_cards(config, filters.as_of, lang)
    for column, card in zip(ui.wrapping("overview-cards", "figures").columns(len(cards)), cards, strict=True):
        column.html(ui.countdown_card(card, lang, large=large))

    if head.participants == 0:
        st.info(ui.t("overview.empty"))
        if access.may_open(ui.role(), "import_forms") and not large:
            ui.page_link("import_forms", ui.t("overview.go_import"), icon=":material/upload_file:")
        return

    # Where people come from and which forum themes they chose: the first row, on screen at 1280×720.
    drawn = view.charts
    box = ui.wrapping("overview-breakdowns", "charts")
    left, right = box.columns(2)
    left.plotly_chart(drawn["province"], key="overview.province")
    right.plotly_chart(drawn["theme"], key="overview.theme")
    st.plotly_chart(drawn["signups"], key="overview.signups")
    left, right = box.columns(2)
    left.plotly_chart(drawn["sector"], key="overview.sector")
    if "city" in drawn:
        right.plotly_chart(drawn["city"], key="overview.city")
    else:  # every city chosen by everyone: words only
        right.markdown(f"**{ui.t('overview.by_city')}**")
        right.caption(view.everyone_visits)


def _exit_presentation() -> None:
    st.session_state["ui.present"] = False


overview()
ui.rerun_when_data_changes(config.refresh_seconds)
