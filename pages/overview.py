"""Overview — the screen-shared page: headline figures, countdowns, sign-ups over time, breakdowns."""

import streamlit as st

from delegation import charts, dashboard, ui
from delegation.workbooks import leadership_workbook

ui.require("overview")
config = ui.event_config()


def overview() -> None:
    lang = ui.language()
    large = ui.presenting()
    filters = ui.current_filters()
    figures = ui.query(dashboard.overview, config, filters, lang)  # one query for the whole page
    head = figures.headline

    title, toggle = ui.wrapping("overview-heading", "heading").columns([3, 1])  # the button's words fit
    title.header(config.name(lang))
    if large:
        toggle.button(ui.t("overview.exit_presentation"), key="overview.exit", on_click=_exit_presentation)
    else:
        toggle.download_button(
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
    upcoming = dashboard.next_milestone(config, filters.as_of, lang)
    if upcoming is None:
        # A dash and the words small below it: "所有节点已过" in the figure's type was cut to "所有节点…".
        cols[3].metric(
            ui.t("overview.next_deadline"),
            ui.MISSING,
            delta=ui.t("overview.no_deadline"),
            delta_color="off",
            delta_arrow="off",
        )
    else:
        cols[3].metric(ui.t("overview.next_deadline"), upcoming[1], help=upcoming[0])

    cards = dashboard.countdown_cards(config, filters.as_of, lang)
    for column, card in zip(ui.wrapping("overview-cards", "figures").columns(len(cards)), cards, strict=True):
        column.html(
            ui.countdown_card(
                card["label"],
                card["date"],
                card["days_left"],
                card["urgency"],
                charts.URGENCY_COLOURS[card["urgency"]],
                lang,
            )
        )

    if head.participants == 0:
        st.info(ui.t("overview.empty"))
        return

    sign = figures.signups
    st.plotly_chart(
        charts.signups_chart(
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
            },
            large=large,
        ),
        key="overview.signups",
    )

    # Two rows of two charts; each pair gets the same number of rows, so that it lines up.
    people = ui.t("chart.participants_axis")
    provinces, sectors = figures.breakdowns["province"], figures.breakdowns["sector"]
    rows = max(len(provinces), len(sectors))  # the charts keep their own least height
    box = ui.wrapping("overview-breakdowns", "charts")
    left, right = box.columns(2)
    left.plotly_chart(
        charts.bar_chart(provinces, ui.t("overview.by_province"), people, large=large, rows=rows),
        key="overview.province",
    )
    right.plotly_chart(
        charts.bar_chart(sectors, ui.t("overview.by_sector"), people, large=large, rows=rows),
        key="overview.sector",
    )
    themes, cities = figures.breakdowns["theme"], figures.breakdowns["city"]
    rows = max(len(themes), len(cities))
    left, right = box.columns(2)
    left.plotly_chart(
        charts.share_chart(themes, ui.t("overview.by_theme"), people, large=large, rows=rows),
        key="overview.theme",
    )
    right.plotly_chart(
        charts.share_chart(cities, ui.t("overview.by_city"), people, large=large, rows=rows),
        key="overview.city",
    )


def _exit_presentation() -> None:
    st.session_state["ui.present"] = False


overview()
ui.rerun_when_data_changes(config.refresh_seconds)
