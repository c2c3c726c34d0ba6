"""Overview — the screen-shared page: headline figures, countdowns, where people come from and which
forum themes they chose, sign-ups over time, the other breakdowns."""

import streamlit as st

from delegation import access, charts, figures, ui
from delegation.workbooks import leadership_workbook

ui.require("overview")
config = ui.event_config()
# In presentation mode the first row of charts shares a 1280×720 screen with the figures above it.
PRESENTED_CHART_PX = 370


def overview() -> None:
    lang = ui.language()
    large = ui.presenting()
    filters = ui.current_filters()
    shown = ui.query(figures.overview, config, filters, lang)  # one query for the whole page
    head = shown.headline
    if ui.user()[0] == access.LOCAL_ADMIN and not large:  # not on a shared screen
        st.warning(ui.t("access.local_admin"))

    title, button = ui.heading("overview-heading")
    title.header(config.name(lang))
    if large:
        button.button(ui.t("overview.exit_presentation"), key="overview.exit", on_click=_exit_presentation)
    else:
        button.download_button(
            ui.t("export.leadership"),
            ui.logged_download("summary", lambda: leadership_workbook(ui.cursor(), config, filters, lang)),
            file_name=f"summary_{filters.slug()}.xlsx",
            on_click="ignore",
            key="overview.workbook",
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
    people = ui.t("chart.participants_axis")
    provinces, themes = shown.breakdowns["province"], shown.breakdowns["theme"]
    rows = max(len(provinces), len(themes))  # the charts keep their own least height
    height = PRESENTED_CHART_PX if large else None
    box = ui.wrapping("overview-breakdowns", "charts")
    left, right = box.columns(2)
    left.plotly_chart(
        ui.figure(
            charts.bar_chart,
            provinces,
            ui.t("overview.by_province"),
            people,
            large=large,
            rows=rows,
            height=height,
        ),
        key="overview.province",
    )
    right.plotly_chart(
        ui.figure(
            charts.share_chart,
            themes,
            ui.t("overview.by_theme"),
            people,
            large=large,
            rows=rows,
            height=height,
        ),
        key="overview.theme",
    )

    sign = shown.signups
    st.plotly_chart(
        ui.figure(
            charts.signups_chart,
            sign.actual,
            sign.projection,
            config.registration_deadline,
            {
                "title": ui.t("chart.signups"),
                "participants": ui.t("overview.participants"),
                "units": ui.t("overview.units"),
                "projection": ui.t("chart.projection"),
                "deadline": ui.t("chart.deadline"),
                "axis": ui.t("chart.cumulative"),
                "dates": ui.t("chart.date_format"),
                "dates_year": ui.t("chart.date_format_year"),
            },
            large=large,
        ),
        key="overview.signups",
    )

    # A city everyone visits (the forum's) is said in words: as a bar it was one long 100% bar.
    sectors = shown.breakdowns["sector"]
    everyone, cities = figures.everyone_chose(shown.breakdowns["city"])
    rows = max(len(sectors), len(cities))
    left, right = box.columns(2)
    left.plotly_chart(
        ui.figure(charts.bar_chart, sectors, ui.t("overview.by_sector"), people, large=large, rows=rows),
        key="overview.sector",
    )
    said = ui.t("overview.everyone_visits").format(cities=ui.and_list(everyone)) if everyone else ""
    if len(cities):
        right.plotly_chart(
            ui.figure(
                charts.share_chart,
                cities,
                ui.t("overview.by_city"),
                people,
                large=large,
                rows=rows,
                subtitle=said,
            ),
            key="overview.city",
        )
    else:  # every city chosen by everyone: words only
        right.markdown(f"**{ui.t('overview.by_city')}**")
        right.caption(said)


def _exit_presentation() -> None:
    st.session_state["ui.present"] = False


overview()
ui.rerun_when_data_changes(config.refresh_seconds)
