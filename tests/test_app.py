"""Every page in Streamlit's AppTest: empty and filled databases, both languages, filters, URL, privacy."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from delegation import ROOT, documents, ui
from delegation.db import connect
from delegation.filters import Filters
from delegation.i18n import TEXT
from delegation.lists.units import units_page
from delegation.registrations import EDITABLE
from delegation.summary import summary
from delegation.ui import MISSING

PAGES = [
    "pages/overview.py",
    "pages/registrations.py",
    "pages/documents.py",
    "pages/mail.py",
    "pages/chase.py",
    "pages/batch.py",
    "pages/data_quality.py",
    "pages/import_forms.py",
    "pages/audit.py",
]
AS_OF = dt.date(2023, 3, 20)


# The entrypoint's frame around one page. AppTest runs a file page picked with switch_page without
# the entrypoint (and drops the entrypoint's sidebar widgets on reruns), so pages are tested inside
# this harness, which does what app.py does around every page; app.py itself is tested on its own.
HARNESS = """
import runpy
from pathlib import Path
import streamlit as st
from delegation import ui
if not ui.authenticate():
    st.stop()
ui.sidebar(Path({page!r}).stem)
ui.apply_presentation_style()
runpy.run_path({page!r}, run_name="__main__")
"""


def app(monkeypatch, db: Path, *, lang: str = "en", page: str = "pages/overview.py", **state) -> AppTest:
    """One page in the harness, with session state set before the first run (`filters__as_of=…`)."""
    monkeypatch.setenv("DELEGATION_DB", str(db))
    at = AppTest.from_string(HARNESS.format(page=str(ROOT / page)), default_timeout=60)
    at.session_state["ui.lang"] = lang
    for key, value in state.items():
        at.session_state[key.replace("__", ".")] = value
    return at.run()


def entrypoint(monkeypatch, db: Path, **query: str) -> AppTest:
    """app.py itself, opened with a query string."""
    monkeypatch.setenv("DELEGATION_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def frame(at: AppTest, column: str, nth: int = 0):
    """The nth data frame on the page that has `column`."""
    frames = [f.value for f in at.dataframe if column in f.value.columns]
    return frames[nth]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def all_text(at: AppTest) -> str:
    """Every value the page sent: text elements and the cells of every data frame."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "text",
        "info",
        "success",
        "metric",
        "html",
    ):
        for element in getattr(at, kind):
            parts.append(str(getattr(element, "value", "")))
            parts.append(str(getattr(element, "label", "")))
    for frame in at.dataframe:
        parts.append(frame.value.to_csv())
    return "\n".join(parts)


def test_every_label_has_both_languages():
    for key, (zh, en) in TEXT.items():
        assert zh.strip() and en.strip(), key
        assert sorted(re.findall(r"{\w+}", zh)) == sorted(re.findall(r"{\w+}", en)), key


def test_a_table_never_shows_two_columns_under_one_title():
    # Each query names its columns in its header; their titles must differ in both languages
    # (the passports-in-several-units table showed "Units" over the count and over the names).
    checked = 0
    for path in sorted(ROOT.joinpath("queries").glob("*.sql")):
        columns = re.search(r"^-- columns: (.*)$", path.read_text(encoding="utf-8"), re.M)
        assert columns, f"{path.name} does not name its columns"
        keys = [f"column.{c.strip()}" for c in columns[1].split(",") if f"column.{c.strip()}" in TEXT]
        for lang in (0, 1):
            titles = [TEXT[key][lang] for key in keys]
            assert len(set(titles)) == len(titles), (path.name, titles)
        checked += len(keys) > 1
    assert checked >= 10  # the tables with titled columns were found


def test_every_label_key_used_in_code_exists():
    sources = [
        *ROOT.joinpath("pages").glob("*.py"),
        ROOT / "app.py",
        *ROOT.joinpath("delegation").rglob("*.py"),
    ]
    used = set()
    app_text = (ROOT / "app.py").read_text(encoding="utf-8")
    used |= set(re.findall(r'"(page\.[a-z_]+)"', app_text))  # the page table's label keys
    for path in sources:
        used |= set(
            re.findall(r"""\b(?:t|text)\(\s*["']([a-z_]+\.[\w.]+)["']""", path.read_text(encoding="utf-8"))
        )
    assert used, "no label keys found: the pattern is wrong"
    assert sorted(used - set(TEXT)) == []


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_on_an_empty_database(monkeypatch, tmp_path, page, lang):
    at = app(monkeypatch, tmp_path / "empty.duckdb", lang=lang, page=page, filters__as_of=AS_OF)
    assert not at.exception
    assert at.title or at.header


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_on_a_demo_database(monkeypatch, demo_db, page, lang):
    at = app(monkeypatch, demo_db, lang=lang, page=page, filters__as_of=dt.date(2023, 3, 31))
    assert not at.exception
    if page.endswith("import_forms.py"):
        uploader = at.get("file_uploader")[0]
        assert uploader.accept_multiple_files
        # Any kind of file reaches the app, which refuses a wrong one in a sentence (the browser's
        # refusal is an English tooltip); the box names the kinds, Excel's Unicode Text too.
        # Forms and saved e-mails alike (20 MB each, the server's own cap).
        assert list(uploader.proto.type) == [] and uploader.proto.max_upload_size_mb == 20
        styles = " ".join(h.proto.body for h in at.get("html"))
        kinds = (
            "XLSX、XLS、DOCX、CSV、TXT、TSV、EML、MBOX"
            if lang == "zh"
            else "XLSX, XLS, DOCX, CSV, TXT, TSV, EML, MBOX"
        )
        assert ".st-key-upload-import-files" in styles and kinds in styles
    elif page.endswith("chase.py"):
        assert (
            at.get("expander") and at.button(key="chase.export.csv").label == TEXT["export.csv"][lang == "en"]
        )
        to_chase = TEXT["chase.items"][lang == "en"].split("{count}")  # each unit says what the number is
        assert all(to_chase[0] in e.label and to_chase[1] in e.label for e in at.get("expander"))
    elif page.endswith("mail.py"):  # the demo's mailbox in figures, and where messages come from
        assert [m.value for m in at.metric] == ["291", "6", "0"] and len(at.dataframe[0].value) == 100
        assert [i.value for i in at.info] == [TEXT["mail.not_configured"][lang == "en"]]
    else:
        assert at.dataframe or at.get("plotly_chart")
    # Every table shows a dash for a missing value (Streamlit's own is a grey "None").
    assert [f.proto.placeholder for f in at.dataframe] == [MISSING] * len(at.dataframe)


def test_an_upload_box_states_the_servers_cap_when_it_is_below_the_apps_limit(monkeypatch, demo_db):
    # The server refuses a file over server.maxUploadSize in English: the box must not promise more.
    from streamlit import config as streamlit_config

    configured = streamlit_config.get_option("server.maxUploadSize")
    streamlit_config.set_option("server.maxUploadSize", 5)
    try:
        at = app(monkeypatch, demo_db, lang="zh", page="pages/import_forms.py")
    finally:
        streamlit_config.set_option("server.maxUploadSize", configured)
    assert at.get("file_uploader")[0].proto.max_upload_size_mb == 5
    styles = " ".join(h.proto.body for h in at.get("html"))
    assert "每个文件不超过 5 MB" in styles and "超过 5 MB，未上传" in styles and "20 MB" not in styles


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_choice_box_with_nothing_chosen_says_what_to_choose_in_the_page_language(
    monkeypatch, demo_db, lang
):
    # Left empty, Streamlit shows its own English "Choose an option" / "Choose options".
    for page in PAGES:
        at = app(monkeypatch, demo_db, lang=lang, page=page, filters__as_of=dt.date(2023, 3, 31))
        empty = [w for w in at.selectbox if w.value is None] + [w for w in at.multiselect if not w.value]
        assert empty or page == "pages/import_forms.py", page  # the sidebar's filters at least
        for widget in empty:
            assert widget.proto.placeholder in {text[lang == "en"] for text in TEXT.values()}, (
                page,
                widget.label,
            )
        # Nothing chosen means every value: Streamlit's English "Select all" (offered up to 1 000
        # options by default) would choose the same, but list every value as a chip.
        assert [w.proto.select_all for w in at.multiselect] == [0] * len(at.multiselect), page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_table_without_rows_says_so_in_the_page_language(monkeypatch, tmp_path, lang):
    # Streamlit draws an empty table's headings over its own English "empty".
    db = tmp_path / "empty.duckdb"
    for page in PAGES:
        at = app(monkeypatch, db, lang=lang, page=page, filters__as_of=AS_OF)
        assert not at.exception and [len(f.value) for f in at.dataframe if not len(f.value)] == [], page
    at = app(monkeypatch, db, lang=lang, page="pages/batch.py", filters__as_of=AS_OF)
    said = [c.value for c in at.caption].count(TEXT["table.empty"][lang == "en"])
    assert said == 4  # ready, blocked, in a batch, and the batches so far


def test_overview_on_empty_database_says_so(monkeypatch, tmp_path):
    at = app(monkeypatch, tmp_path / "empty.duckdb", lang="zh", filters__as_of=AS_OF)
    assert metrics(at)["参团人数"] == "0"
    assert at.info[0].value == TEXT["overview.empty"][0]


@pytest.mark.parametrize(
    "filters",
    [
        Filters(as_of=AS_OF),
        Filters(as_of=AS_OF, provinces=("Jiangsu",), themes=("green_development",)),
        Filters(as_of=dt.date(2023, 3, 12), sectors=("energy_saving_environmental",)),
        Filters(as_of=AS_OF, cities=("san_francisco",)),
    ],
)
def test_headline_figures_equal_the_summary(monkeypatch, config, fixture_db, filters):
    con = connect(config, fixture_db)
    expected = summary(con, config, filters)
    con.close()
    state = {"filters__as_of": filters.as_of, "filters__provinces": list(filters.provinces)}
    state |= {"filters__themes": list(filters.themes), "filters__sectors": list(filters.sectors)}
    state |= {"filters__cities": list(filters.cities)}
    at = app(monkeypatch, fixture_db, **state)
    assert not at.exception
    got = metrics(at)
    assert got["Units"] == str(expected["units"])
    assert got["Participants"] == str(expected["participants"])
    assert got["Invitation-letter applicants"] == str(expected["invitation_applicants"])
    assert got["Documents missing"] == str(sum(expected["missing_documents"].values()))


def test_sessions_showing_the_same_overview_share_one_view_until_the_data_changes(
    monkeypatch, config, fixture_db
):
    # Twenty viewers rerun the overview after each change of the data: one builds its charts, the
    # others are handed the same view; another language or a write builds anew.
    from delegation.overview_view import overview_view
    from delegation.registrations import set_withdrawn

    monkeypatch.setenv("DELEGATION_DB", str(fixture_db))
    first = ui.shared(overview_view, config, Filters(as_of=AS_OF), "en", False)
    assert ui.shared(overview_view, config, Filters(as_of=AS_OF), "en", False) is first
    assert first.charts["province"].layout.title.text == "By province"
    chinese = ui.shared(overview_view, config, Filters(as_of=AS_OF), "zh", False)
    assert chinese is not first and chinese.charts["province"].layout.title.text == "按省份"

    (someone,) = (
        ui.cursor()
        .execute(
            "select participant_id from filtered_participants(?, [], [], [], [], [], []) order by 1 limit 1",
            [AS_OF],
        )
        .fetchone()
    )
    assert set_withdrawn(ui.cursor(), table="participants", key=someone, withdrawn=True, actor="test")
    after = ui.shared(overview_view, config, Filters(as_of=AS_OF), "en", False)
    assert after is not first
    assert after.shown.headline.participants == first.shown.headline.participants - 1
    assert sum(after.charts["province"].data[0].x) == sum(first.charts["province"].data[0].x) - 1


def test_the_figures_name_missing_documents_and_the_countdown_is_not_said_twice(monkeypatch, fixture_db):
    # "距下一节点" repeated the first countdown card; missing documents were nowhere on the overview.
    at = app(monkeypatch, fixture_db, lang="zh", filters__as_of=AS_OF)
    assert not at.exception
    assert list(metrics(at)) == ["报名单位", "参团人数", "经商会申请邀请函", "缺交材料（份）"]
    assert metrics(at)["缺交材料（份）"] == "12"  # 3 confirmations, 7 passports, 2 visas
    missing = next(m for m in at.metric if m.label == "缺交材料（份）")
    assert missing.help == (
        "报名确认回执（单位负责人签字盖章扫描件）：缺 3 份，共 3 份 · 护照首页扫描件：缺 7 份，共 7 份 · "
        "美国签证扫描件：缺 2 份，共 2 份"
    )
    cards = [h.proto.body for h in at.get("html") if "dd-card" in h.proto.body]
    assert len(cards) == 5 and "还有 11 天" in cards[0]


def test_jiangsu_green_development_as_of_20_march(monkeypatch, fixture_db):
    """The question leadership asks: three sidebar choices (the browser test clicks them for real)."""
    at = app(
        monkeypatch,
        fixture_db,
        filters__as_of=AS_OF,
        filters__provinces=["Jiangsu"],
        filters__themes=["green_development"],
    )
    assert not at.exception
    assert metrics(at)["Participants"] == "3"  # 甲一, 甲二, 甲四
    assert at.query_params["province"] == "Jiangsu" and at.query_params["theme"] == "green_development"


def test_entrypoint_takes_filters_language_and_presentation_from_the_url(monkeypatch, fixture_db):
    at = entrypoint(monkeypatch, fixture_db, as_of="2023-03-20", province="Shanxi", lang="en")
    assert not at.exception
    assert at.session_state["filters.provinces"] == ["Shanxi"]
    assert at.session_state["filters.as_of"] == AS_OF
    assert metrics(at)["Participants"] == "3"
    assert at.query_params["province"] == "Shanxi" and at.query_params["as_of"] == "2023-03-20"


def test_a_link_to_today_s_view_stays_live(monkeypatch, fixture_db):
    # The URL carried today's date, so a bookmarked overview opened on that day forever after.
    at = entrypoint(monkeypatch, fixture_db, province="Shanxi")
    assert at.session_state["filters.as_of"] == dt.date.today()
    assert "as_of" not in at.query_params and at.query_params["province"] == "Shanxi"
    at = entrypoint(monkeypatch, fixture_db, as_of=dt.date.today().isoformat())
    assert "as_of" not in at.query_params
    at = entrypoint(monkeypatch, fixture_db, as_of="2023-03-20")  # a day looked back at is kept
    assert at.query_params["as_of"] == "2023-03-20"


def test_a_unit_id_from_the_url_that_is_no_id_breaks_no_page(monkeypatch, fixture_db):
    for unit in ("2147483648", "²"):
        at = entrypoint(monkeypatch, fixture_db, as_of="2023-03-20", unit=unit)
        assert not at.exception, unit
        assert metrics(at)["参团人数"] == "10"  # the value is ignored, as "abc" is


def test_entrypoint_on_an_empty_database(monkeypatch, tmp_path):
    at = entrypoint(monkeypatch, tmp_path / "empty.duckdb")
    assert not at.exception
    assert metrics(at)["参团人数"] == "0"


def test_registrations_follow_the_url_filters(monkeypatch, fixture_db):
    at = app(
        monkeypatch,
        fixture_db,
        page="pages/registrations.py",
        filters__as_of=AS_OF,
        filters__provinces=["Shanxi"],
    )
    assert not at.exception
    assert "Participants: 3 ·" in " ".join(c.value for c in at.caption)


def test_presentation_mode_from_the_url(monkeypatch, fixture_db):
    at = entrypoint(monkeypatch, fixture_db, present="1", as_of="2023-03-20")
    assert not at.exception
    assert at.session_state["ui.present"] is True
    assert any("stSidebar" in h.value for h in at.html)  # the style that hides the sidebar
    text = all_text(at)
    assert "E90000101" not in text and "甲一" not in text  # aggregates only
    assert at.button(key="overview.exit")


def test_leaving_presentation_mode(monkeypatch, fixture_db):
    at = app(monkeypatch, fixture_db, ui__present=True, filters__as_of=AS_OF)
    assert any("stSidebar" in h.value for h in at.html)
    at.button(key="overview.exit").click().run()
    assert at.session_state["ui.present"] is False
    assert not any("stSidebar" in h.value for h in at.html)


def test_registrations_search_in_pinyin_and_masking(monkeypatch, fixture_db):
    at = app(monkeypatch, fixture_db, page="pages/registrations.py", filters__as_of=AS_OF)
    assert not at.exception
    text = all_text(at)
    assert "E90000101" not in text and "E*****101" in text  # masked by default
    at.text_input(key="registrations.search").input("jiayi").run()
    people = frame(at, "passport_number")
    assert people["name"].tolist() == ["甲一"]
    at.toggle(key="registrations.show_full").set_value(True).run()
    assert "E90000101" in frame(at, "passport_number").to_csv()
    at.text_input(key="registrations.search").input("suzhou").run()
    units = frame(at, "invitation_applicants")
    assert units["unit_name"].tolist() == ["苏州甲机械有限公司"]
    # Units sort by their name under "Unit", people by theirs under "Name".
    assert at.selectbox(key="registrations.units.sort").options[0] == "Unit"
    assert at.selectbox(key="registrations.people.sort").options[0] == "Name"
    assert units["participants"].tolist() == [4]


def test_a_page_past_the_end_of_a_list_shows_the_last_page_in_the_box_too(monkeypatch, demo_db):
    # On page 9 of the units, a search matching a handful showed "Units: 0" over an empty table.
    at = app(
        monkeypatch,
        demo_db,
        page="pages/registrations.py",
        filters__as_of=AS_OF,
        registrations__units__page=9,
        registrations__people__page=99,
    )
    assert not at.exception
    units = at.number_input(key="registrations.units.page")
    people = at.number_input(key="registrations.people.page")
    captions = [c.value for c in at.caption]
    last_units, last_people = units.value, people.value
    assert 1 < last_units < 9 and 1 < last_people < 99  # moved back to the last page
    assert (
        f"page {last_units} of {last_units}" in captions[0]
        and f"page {last_people} of {last_people}" in captions[1]
    )
    assert not captions[0].startswith("Units: 0") and all(len(f.value) for f in at.dataframe)
    at.text_input(key="registrations.search").input("anhui").run()  # a few units: page 1 of 1
    assert at.number_input(key="registrations.units.page").value == 1
    assert "page 1 of 1" in at.caption[0].value and len(frame(at, "invitation_applicants"))


def first_unit(monkeypatch, db: Path, row: int = 0) -> AppTest:
    """The registrations page (as the local admin) with the first unit (or the one in `row`)
    selected in its table."""
    return app(
        monkeypatch,
        db,
        page="pages/registrations.py",
        filters__as_of=AS_OF,
        registrations__units__table={"selection": {"rows": [row], "columns": [], "cells": []}},
    )


def edit_form(monkeypatch, config, db: Path, name: str) -> tuple[AppTest, dict, int]:
    """The registrations page (as the local admin) with the unit of person `name` selected and
    `name` chosen for editing: the page, the edit form's inputs by field, and the person's id."""
    con = connect(config, db)
    pid, unit_id = con.execute(
        "select participant_id, unit_id from participants where name = ?", [name]
    ).fetchone()
    row = units_page(con, Filters(AS_OF), "en").rows["unit_id"].tolist().index(unit_id)
    con.close()
    at = first_unit(monkeypatch, db, row)
    at.selectbox(key="registrations.edit.who").set_value(pid).run()
    prefix = f"registrations.edit.{pid}."  # then the stored state's token, then the field
    inputs = {
        w.key.rsplit(".", 1)[-1]: w
        for kind in ("date_input", "checkbox", "text_input")
        for w in getattr(at, kind)
        if w.key and w.key.startswith(prefix)
    }
    return at, inputs, pid


def test_the_edit_form_opens_on_a_stored_date_outside_its_usual_range(monkeypatch, config, fixture_db):
    con = connect(config, fixture_db)
    con.execute("update participants set us_visa_expiry = '1985-05-05' where name = '乙二'")
    con.close()
    at, inputs, _ = edit_form(monkeypatch, config, fixture_db, "乙二")
    assert not at.exception  # a typo in a form (1985) widens the picker instead of breaking the page
    assert inputs["us_visa_expiry"].value == dt.date(1985, 5, 5)


def test_an_admin_edits_a_participants_dates_and_yes_no_fields(monkeypatch, config, fixture_db):
    at, inputs, pid = edit_form(monkeypatch, config, fixture_db, "乙二")
    assert not at.exception
    assert sorted(inputs) == sorted(EDITABLE)  # every editable field, once
    assert inputs["passport_expiry"].value == dt.date(2023, 11, 29)  # the stored values to start from
    assert inputs["holds_us_visa"].value is False and inputs["applies_via_chamber"].value is True
    assert inputs["us_visa_expiry"].value is None
    inputs["passport_expiry"].set_value(dt.date(2030, 1, 1))
    inputs["holds_us_visa"].check()
    inputs["us_visa_expiry"].set_value(dt.date(2027, 6, 30))
    inputs["position"].input("董事长")
    next(b for b in at.button if b.form_id == "registrations.edit").click().run()  # its save button
    assert not at.exception and not at.error
    con = connect(config, fixture_db)
    stored = con.execute(
        "select passport_expiry, holds_us_visa, us_visa_expiry, applies_via_chamber, position "
        "from participants where participant_id = ?",
        [pid],
    ).fetchone()
    assert stored == (dt.date(2030, 1, 1), True, dt.date(2027, 6, 30), True, "董事长")
    logged = con.execute("select details from audit_log where action = 'participant.edit'").fetchall()
    assert len(logged) == 1 and set(json.loads(logged[0][0])["after"]) == {
        "passport_expiry",
        "holds_us_visa",
        "us_visa_expiry",
        "position",
    }


def withdraw_status(at: AppTest):
    """The withdraw form's status choice (keyed by the unit shown)."""
    return next(r for r in at.radio if r.key and r.key.startswith("registrations.withdraw.status."))


def test_withdrawing_needs_a_status_chosen_then_withdraws_the_unit(monkeypatch, config, fixture_db):
    at = first_unit(monkeypatch, fixture_db)
    status = withdraw_status(at)
    assert status.value is None  # nothing preset: it read as the unit's state before
    save = next(b for b in at.button if b.form_id == "registrations.withdraw")
    save.click().run()
    assert [w.value for w in at.warning] == [TEXT["registrations.choose_status"][1]]
    con = connect(config, fixture_db)
    withdrawn = "select count(*) from units where status = 'withdrawn'"
    before = con.execute(withdrawn).fetchone()[0]
    con.close()
    withdraw_status(at).set_value(True)
    next(b for b in at.button if b.form_id == "registrations.withdraw").click().run()
    assert not at.exception and not at.warning
    con = connect(config, fixture_db)
    assert con.execute(withdrawn).fetchone()[0] == before + 1  # the whole unit, the default target
    assert con.execute("select count(*) from audit_log where action = 'unit.update'").fetchone()[0] == 1
    con.close()
    assert withdraw_status(at).value is None  # the form shown next (the next unit's) starts blank


def test_a_wrapping_key_must_be_usable_as_streamlit_s_class():
    # "overview.breakdowns" would be classed st-key-overview-breakdowns, and the CSS would miss it.
    with pytest.raises(ValueError, match="container key"):
        ui.wrapping("overview.breakdowns", "charts")


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def test_documents_charts_give_way_to_a_sentence_when_they_would_be_empty(monkeypatch, config, fixture_db):
    at = app(monkeypatch, fixture_db, page="pages/documents.py", filters__as_of=AS_OF)
    assert chart_titles(at) == ["Missing documents by province"]
    assert not at.success and [i.value for i in at.info] == ["No documents received yet."]

    con = connect(config, fixture_db)
    owed = con.execute(
        "select unit_id, participant_id, kind from required_documents(?, [], [], [], [], [], "
        "['registered', 'confirmed']) where is_missing",
        [AS_OF],
    ).fetchall()
    assert owed  # the fixture owes documents, so the province chart above had bars
    for unit_id, participant_id, kind in owed:
        documents.set_state(
            con,
            unit_id=unit_id,
            participant_id=participant_id,
            kind=kind,
            status="received",
            actor="test",
            source="manual",
            now=dt.datetime(2023, 3, 19, 12, 0),
        )
    con.close()
    at = app(monkeypatch, fixture_db, lang="zh", page="pages/documents.py", filters__as_of=AS_OF)
    assert [s.value for s in at.success] == ["没有缺交的材料。"]  # not axes from -1 to 4 around nothing
    assert chart_titles(at) == ["材料收齐进度"]

    at = app(monkeypatch, fixture_db.parent / "empty.duckdb", page="pages/documents.py", filters__as_of=AS_OF)
    assert not at.success  # nothing owed is not "nothing missing"
    assert [i.value for i in at.info] == [
        "No documents are due from these registrations.",
        "No documents received yet.",
    ]
    assert not at.get("plotly_chart")


def test_data_quality_lists(monkeypatch, fixture_db):
    at = app(monkeypatch, fixture_db, page="pages/data_quality.py", filters__as_of=AS_OF)
    assert not at.exception
    expiring = frame(at, "days_short")
    assert expiring["name"].tolist() == ["丙二", "甲二", "乙二"]  # unknown first, then by expiry
    assert expiring["days_short"].tolist()[1:] == [60, 1]
    headings = [s.value for s in at.subheader]
    assert "Skipped rows · 0" in headings
    # The rule names the configured day, and the setting in words (no file or key names).
    assert any(
        "valid through 2023-11-30 (the passport validity the event's configuration requires)" in c.value
        for c in at.caption
    )
    assert not any("event.toml" in c.value or "passport_valid_through" in c.value for c in at.caption)


def test_user_text_is_shown_as_plain_text(monkeypatch, config, tmp_path):
    from delegation.ingest import import_file
    from tests.conftest import write_xlsx

    db = tmp_path / "html.duckdb"
    con = connect(config, db)
    hostile = "<b>粗体</b> **星号** <script>alert(1)</script>"
    form = write_xlsx(
        tmp_path / "f.xlsx", {"S": [["单位", "姓名", "报名日期"], [hostile, "张伟", "2023-03-01"]]}
    )
    import_file(con, config, form)
    con.close()
    at = app(monkeypatch, db, page="pages/registrations.py", filters__as_of=AS_OF)
    assert not at.exception
    assert frame(at, "invitation_applicants")["unit_name"].tolist() == [hostile]
    assert all(hostile not in m.value for m in at.markdown)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_import_page_imports_and_the_overview_follows(monkeypatch, tmp_path):
    """An import in one session shows in another session's overview at its next refresh."""
    from tests.fixtures import fixture_form

    db = tmp_path / "live.duckdb"
    viewer = app(monkeypatch, db, filters__as_of=AS_OF)
    assert metrics(viewer)["Participants"] == "0"
    staff = app(monkeypatch, db, page="pages/import_forms.py")
    staff.get("file_uploader")[0].set_value(("fixture.xlsx", fixture_form(tmp_path).read_bytes(), XLSX))
    staff.run()
    staff.button(key="import.start").click().run()
    assert not staff.exception
    assert staff.success[0].value.startswith(ui.plain("fixture.xlsx: 12 rows read, 12 added"))
    viewer.run()  # what the overview's fragment timer does every refresh_seconds
    assert metrics(viewer)["Participants"] == "11"  # 丙四 registered after the 20th; nobody withdrew here


def test_import_page_refuses_a_bad_file_in_one_sentence(monkeypatch, tmp_path):
    staff = app(monkeypatch, tmp_path / "x.duckdb", page="pages/import_forms.py", lang="zh")
    staff.get("file_uploader")[0].set_value(("broken.xlsx", b"not a workbook at all", XLSX))
    staff.run()
    staff.button(key="import.start").click().run()
    assert not staff.exception
    errors = [e.value for e in staff.error]
    assert errors == [  # text named .xlsx is read as a CSV: it has no header
        ui.plain("broken.xlsx：各工作表前 30 行中没有可识别的表头行（至少需要“姓名/Name”及另一个字段）。")
    ]
    assert not staff.success


MARKDOWN_NAME = "**粗体** [点我](http://evil.example) $x^2$ :red[红] `c`"


def unrendered(markdown: str) -> bool:
    """True when Streamlit would show `markdown` as typed: no bold, link, maths, colour or code."""
    bare = re.sub(r"\\.", "", markdown)  # drop every escaped character
    return not re.search(r"\*\*|\]\(|\$|:red\[|`|https?://|www\.", bare)


def test_names_are_not_markdown_in_expanders_and_messages(monkeypatch, config, tmp_path):
    from delegation.ingest import import_file
    from delegation.text import safe_name
    from tests.conftest import write_xlsx

    assert not unrendered(MARKDOWN_NAME) and unrendered(ui.plain(MARKDOWN_NAME))
    db = tmp_path / "md.duckdb"
    con = connect(config, db)
    form = write_xlsx(
        tmp_path / "f.xlsx", {"S": [["单位", "姓名", "报名日期"], [MARKDOWN_NAME, "张伟", "2023-03-01"]]}
    )
    import_file(con, config, form)
    con.close()
    chase = app(monkeypatch, db, page="pages/chase.py", filters__as_of=AS_OF)
    labels = [e.label for e in chase.get("expander")]
    # Before: the chase list drew the name bold, with a link to evil.example, maths and red text.
    assert len(labels) == 1 and unrendered(labels[0]) and labels[0].startswith(ui.plain(MARKDOWN_NAME))

    staff = app(monkeypatch, db, page="pages/import_forms.py")
    name = "**粗体** [点我](www.evil.example) $x^2$ :red[红] `c`.xlsx"  # a file name has no "/"
    assert not unrendered(name)
    staff.get("file_uploader")[0].set_value((name, b"not a workbook at all", XLSX))
    staff.run()
    staff.button(key="import.start").click().run()
    assert len(staff.error) == 1 and unrendered(staff.error[0].value)
    shown = safe_name(name)  # the upload's name made safe (":" and "*" are not in a Windows file name)
    assert shown == "__粗体__ [点我](www.evil.example) $x^2$ _red[红] `c`.xlsx" and not unrendered(shown)
    assert staff.error[0].value.startswith(ui.plain(shown))


def test_every_page_file_is_navigable_and_tested():
    in_app = set(re.findall(r'"(pages/\w+\.py)"', (ROOT / "app.py").read_text(encoding="utf-8")))
    on_disk = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert in_app == on_disk == set(PAGES)


def test_link_values_the_app_does_not_know_are_named_once(monkeypatch, fixture_db):
    # They were dropped without a word, and a province named twice showed two chips.
    monkeypatch.setenv("DELEGATION_DB", str(fixture_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["province"] = ["Shanxi", "Shanxi", "Atlantis"]
    at.query_params["as_of"] = "yesterday"
    at.query_params["status"] = ["bogus", "confirmed"]
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.session_state["filters.provinces"] == ["Shanxi"]
    assert at.session_state["filters.statuses"] == ["confirmed"]
    assert [t.value for t in at.toast] == [
        ui.plain(
            "The link named filters this app does not know; they were left out: "
            "As of 'yesterday'; Registration status 'bogus'; Province 'Atlantis'."
        )
    ]
    at.run()
    assert not at.toast  # said once
    quiet = entrypoint(monkeypatch, fixture_db, as_of="2023-03-20", province="山西", lang="zh")
    assert not quiet.toast and quiet.session_state["filters.provinces"] == ["Shanxi"]
    assert quiet.query_params["province"] == "Shanxi"  # the link is rewritten in the app's words


def _one_select_box():
    import streamlit as st

    from delegation import ui

    case = st.session_state["case"]
    options = {"moved": ["c", "d"], "iterator": iter(["a", "b"]), "none": ["x"], "empty": []}[case]
    index = None if case in ("none", "empty") else 0
    st.session_state["chosen"] = ui.selectbox(st, "Box", options, key="box", index=index)


@pytest.mark.parametrize(
    ("case", "options", "chosen"),
    [("moved", ["c", "d"], "c"), ("iterator", ["a", "b"], "b"), ("none", ["x"], None), ("empty", [], None)],
)
def test_a_select_box_holding_what_is_no_longer_offered_falls_back(case, options, chosen):
    at = AppTest.from_function(_one_select_box)
    at.session_state["case"] = case
    at.session_state["box"] = "b"  # chosen on an earlier run; offered only as an iterator's item
    at.run()
    assert not at.exception
    assert at.selectbox(key="box").options == options and at.session_state["chosen"] == chosen


def test_the_documents_charts_side_by_side_are_equally_tall(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db, page="pages/documents.py", filters__as_of=dt.date(2023, 3, 31))
    layouts = [json.loads(c.proto.spec)["layout"] for c in at.get("plotly_chart")]
    assert [x["title"]["text"] for x in layouts] == [
        "Missing documents by province",
        "Documents received over time",
    ]
    assert layouts[0]["height"] == layouts[1]["height"] >= 474  # the completion chart was 320 px


def test_a_conflict_between_forms_is_listed_until_staff_settle_it(monkeypatch, config, tmp_path):
    from delegation.ingest import import_files
    from tests.test_ingest import _original_and_correction

    db = tmp_path / "conflict.duckdb"
    con = connect(config, db)
    original, correction = _original_and_correction(tmp_path)
    import_files(con, config, [(correction, correction.name), (original, original.name)])
    con.close()
    at = app(monkeypatch, db, page="pages/data_quality.py", lang="zh", filters__as_of=dt.date.today())
    assert not at.exception
    listed = frame(at, "reason")
    assert "报名表之间不一致的内容 · 1" in [s.value for s in at.subheader]
    assert listed["reason"].iloc[0].startswith("工作表“S”第 2 行：王强的职务在“附件2报名表.xlsx”")
    from delegation import lists

    con = connect(config, db)
    sheet = lists.export_bytes("quality", "csv", con, config, Filters(dt.date.today()), "en", user="t")
    con.close()
    # What "settled" needs to find the row is neither shown nor exported.
    assert sheet.decode("utf-8-sig").splitlines()[0] == "Imported at,File,Sheet,Row,Reason"
    at.session_state["data_quality.conflicts"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    at.button(key="data_quality.settle").click().run()
    assert not at.exception
    assert "报名表之间不一致的内容 · 0" in [s.value for s in at.subheader]
    con = connect(config, db)
    assert con.execute("select count(*) from audit_log where action = 'issue.settled'").fetchone() == (1,)
    assert con.execute("select settled_by from import_issues where code = 'conflict'").fetchall() == [
        ("local-admin",)
    ]
    con.close()


def test_chinese_labels_use_full_width_colons_and_whole_words():
    # "缺：报名确认回执" after "贵单位：" read as two colons in a row; "缺" alone was a state.
    for key, (zh, _en) in TEXT.items():
        assert not re.search(r"[\u3400-\u9fff）][:]|[:] ?[\u3400-\u9fff]", zh), key
        assert "：：" not in zh and not re.search(r"：\{\w+\}：", zh), key
    states = [TEXT[f"state.{s}"][0] for s in ("missing", "received", "verified", "rejected")]
    assert all(len(s) >= 2 for s in states) and TEXT["state.missing"][0] == "缺少"


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("pages/import_forms.py", False),  # filters mean nothing there: only the language and mode
        ("pages/audit.py", False),
        ("pages/documents.py", True),
    ],
)
def test_the_sidebar_leaves_out_filters_a_page_ignores(monkeypatch, fixture_db, page, shown):
    at = app(monkeypatch, fixture_db, page=page, filters__as_of=AS_OF, filters__provinces=["Jiangsu"])
    assert not at.exception
    sidebar = [w.key for w in at.sidebar.get("multiselect")] + [w.key for w in at.sidebar.get("date_input")]
    assert bool(sidebar) == shown
    # Kept meanwhile: back on a filtered page the province is still chosen.
    assert at.session_state["filters.provinces"] == ["Jiangsu"]


def test_the_registrations_page_has_one_search_box(monkeypatch, fixture_db):
    at = app(monkeypatch, fixture_db, page="pages/registrations.py", filters__as_of=AS_OF)
    boxes = [w.key for w in at.text_input]
    assert boxes == ["registrations.search"]  # the sidebar's unit search is not drawn here
    documents = app(monkeypatch, fixture_db, page="pages/documents.py", filters__as_of=AS_OF)
    assert "filters.unit_search" in [w.key for w in documents.text_input]


def test_a_city_everyone_visits_is_said_in_words(monkeypatch, fixture_db):
    at = app(monkeypatch, fixture_db, filters__as_of=AS_OF)
    city = next(
        spec
        for c in at.get("plotly_chart")
        if (spec := json.loads(c.proto.spec))["layout"]["title"]["text"] == "By visit city (several allowed)"
    )
    assert city["layout"]["title"]["subtitle"]["text"] == "Everyone visits Los Angeles."
    # The other cities, most chosen first (plotly lists bars from the bottom), not one long 100% bar.
    assert city["data"][0]["customdata"][::-1] == ["San Francisco", "North Carolina", "New York"]


def test_the_import_page_says_its_own_switch_not_a_command_line_option(monkeypatch, tmp_path):
    from tests.fixtures import fixture_form

    staff = app(monkeypatch, tmp_path / "again.duckdb", page="pages/import_forms.py")
    form = ("fixture.xlsx", fixture_form(tmp_path).read_bytes(), XLSX)
    for _ in range(2):
        staff.get("file_uploader")[0].set_value(form)
        staff.run()
        staff.button(key="import.start").click().run()
    said = staff.info[0].value
    assert "Import the same file again" in said and "--force" not in said


def test_forms_uploaded_together_apply_in_the_order_of_their_dates(monkeypatch, tmp_path):
    from tests.test_ingest import _original_and_correction

    original, correction = _original_and_correction(tmp_path)
    staff = app(monkeypatch, tmp_path / "set.duckdb", page="pages/import_forms.py", lang="zh")
    staff.get("file_uploader")[0].set_value(
        [(p.name, p.read_bytes(), XLSX) for p in (correction, original)]  # the browser's order
    )
    staff.run()
    staff.button(key="import.start").click().run()
    assert not staff.exception
    captions = [c.value for c in staff.caption]
    assert captions[-3:] == [
        ui.plain("按报名表日期先后导入：附件2报名表.xlsx（2023-03-20）、补充报名-王强.xlsx（2023-03-28）。"),
        ui.plain("报名日期：取自报名表本身（报名日期或提交时间）。"),  # each form's, under its report
        ui.plain("报名日期：取自报名表本身（报名日期或提交时间）。"),
    ]
    assert [s.value.split("：")[0] for s in staff.success] == [
        ui.plain("附件2报名表.xlsx"),
        ui.plain("补充报名-王强.xlsx"),
    ]
    changes = frame(staff, "before")
    assert changes[["participant_name", "field", "before", "after"]].values.tolist() == [
        ["王强", "职务", "工程师", "总工程师"]
    ]


def test_the_import_page_takes_the_day_the_files_were_received(monkeypatch, tmp_path):
    from delegation.config import load_config
    from delegation.db import connect
    from tests.conftest import write_xlsx

    form = write_xlsx(tmp_path / "收到.xlsx", {"S": [["单位名称", "姓名"], ["己公司", "王八"]]})
    staff = app(monkeypatch, tmp_path / "r.duckdb", page="pages/import_forms.py", lang="en")
    staff.get("file_uploader")[0].set_value((form.name, form.read_bytes(), XLSX))
    staff.date_input(key="import.received_on").set_value(dt.date(2023, 3, 10))
    staff.run()
    staff.button(key="import.start").click().run()
    assert not staff.exception
    assert staff.caption[-1].value == ui.plain(
        "Registration day: 2023-03-10, the day the file was received (the form gives none)."
    )
    con = connect(load_config(), tmp_path / "r.duckdb")
    assert con.execute("select name, registered_on from participants").fetchall() == [
        ("王八", dt.date(2023, 3, 10))
    ]
    con.close()


def test_a_units_details_show_its_own_online_form_link(monkeypatch, config, fixture_db, tmp_path):
    from delegation.config import DEFAULT_CONFIG
    from delegation.links import unit_code

    online = tmp_path / "event.toml"
    online.write_text(
        DEFAULT_CONFIG.read_text(encoding="utf-8").replace(
            'address = ""', 'address = "https://www.wjx.cn/vm/abcd.aspx"', 1
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("DELEGATION_CONFIG", str(online))
    ui.event_config.clear()
    try:
        at = first_unit(monkeypatch, fixture_db)
        assert not at.exception
        con = connect(config, fixture_db)
        unit_id = units_page(con, Filters(AS_OF), "en").rows["unit_id"].tolist()[0]
        key = con.execute("select name_key from units where unit_id = ?", [unit_id]).fetchone()[0]
        con.close()
        assert [c.value for c in at.code] == [
            f"https://www.wjx.cn/vm/abcd.aspx?sojumpparm={unit_code(config, key)}"
        ]
        monkeypatch.delenv("DELEGATION_CONFIG")
        ui.event_config.clear()
        plain = first_unit(monkeypatch, fixture_db)  # the shipped config: no online form, no link
        assert not plain.exception and [c.value for c in plain.code] == []
    finally:
        ui.event_config.clear()


def test_an_export_is_made_by_one_click_and_saved_by_the_next(monkeypatch, config, fixture_db):
    """The file is made in the page's run and held for its save button until the filters, the
    header language or the data change: never a file made after the click, which Streamlit sweeps
    at the end of any session's run (a meeting room's refreshes lost staff's downloads)."""
    import csv
    import io

    at = app(monkeypatch, fixture_db, page="pages/registrations.py", filters__as_of=AS_OF)
    assert not at.get("download_button")  # nothing is made before it is asked for
    at.button(key="units.export.csv").click().run()
    assert not at.exception, at.exception
    [save] = at.get("download_button")
    name = "units_2023-03-20.csv"
    assert save.proto.label == f"Save {name}"
    held = at.session_state["downloads.held"]
    rows = list(csv.reader(io.StringIO(held.data.decode("utf-8-sig"))))
    shown = frame(at, "unit_name")["unit_name"].tolist()
    assert rows[0][0] == "Unit" and [r[0] for r in rows[1:]] == shown  # the page's units, in its order
    con = connect(config, fixture_db)
    logged = lambda: con.execute("select details from audit_log where action = 'export'").fetchall()  # noqa: E731
    assert [json.loads(d[0])["rows"] for d in logged()] == [len(shown)]
    at.run()  # a rerun keeps it, made once
    assert [d.proto.label for d in at.get("download_button")] == [f"Save {name}"]
    assert len(logged()) == 1
    at.radio(key="units.export.lang").set_value("zh").run()  # the same file name, other headers
    assert not at.get("download_button") and "downloads.held" not in at.session_state
    at.button(key="units.export.csv").click().run()
    held = at.session_state["downloads.held"]
    assert held.data.decode("utf-8-sig").startswith("单位,") and len(logged()) == 2
    at.session_state["filters.provinces"] = ["Jiangsu"]
    at.run()  # made of other filters: dropped, the export offered again
    assert not at.get("download_button") and "downloads.held" not in at.session_state
    at.button(key="units.export.xlsx").click().run()
    assert [d.proto.label for d in at.get("download_button")] == ["Save units_Jiangsu_2023-03-20.xlsx"]
    unit = con.execute("select unit_id from units order by unit_id limit 1").fetchone()[0]
    documents.set_owner(con, unit, "staff2", "admin")  # the data moved: the held file is outdated
    at.run()
    assert not at.get("download_button") and "downloads.held" not in at.session_state
    con.close()


def test_a_refused_file_says_why_and_holds_nothing(monkeypatch, fixture_db):
    monkeypatch.setenv("DELEGATION_DB", str(fixture_db))
    at = AppTest.from_string(
        """
import streamlit as st
from delegation import ui
from delegation.errors import DelegationError

def make():
    raise DelegationError("batch.none_ready")

ui.file_button(st, "Make it", make, file_name="x.xlsx", key="x")
""",
        default_timeout=60,
    )
    at.session_state["ui.lang"] = "en"
    at.run()
    at.button(key="x").click().run()
    assert [e.value for e in at.error] == [ui.plain(TEXT["batch.none_ready"][1])]
    assert not at.get("download_button") and "downloads.held" not in at.session_state
