"""The app in Streamlit's AppTest: it runs on an empty and a filled database, in both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from delegation import ROOT
from delegation.db import connect
from delegation.demo import load_demo
from delegation.i18n import TEXT
from delegation.summary import summary
from tests.fixtures import load_fixture


def run_app(monkeypatch, db_path, lang="en", as_of=None) -> AppTest:
    monkeypatch.setenv("DELEGATION_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["ui.lang"] = lang
    if as_of:
        at.session_state["filters.as_of"] = as_of
    return at.run()


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_every_label_has_both_languages():
    for key, (zh, en) in TEXT.items():
        assert zh.strip() and en.strip(), key


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_empty_database(monkeypatch, tmp_path, lang):
    at = run_app(monkeypatch, tmp_path / "empty.duckdb", lang)
    assert not at.exception
    values = metric_values(at)
    participants = TEXT["overview.participants"][0 if lang == "zh" else 1]
    assert values[participants] == "0"
    assert at.info[0].value == TEXT["overview.empty"][0 if lang == "zh" else 1]


def test_headline_figures_equal_the_summary(monkeypatch, tmp_path, config):
    db = tmp_path / "fixture.duckdb"
    con = connect(config, db)
    load_fixture(con, config, tmp_path)
    con.close()
    at = run_app(monkeypatch, db, "en", as_of=dt.date(2023, 3, 20))
    assert not at.exception
    values = metric_values(at)
    assert values["Units"] == "3"
    assert values["Participants"] == "10"
    assert values["Invitation-letter applicants"] == "7"
    assert values["Passports too short"] == "2"
    assert values["Days to next deadline"] == "11"


def test_demo_database_in_chinese(monkeypatch, tmp_path, config):
    db = tmp_path / "demo.duckdb"
    con = connect(config, db)
    load_demo(con, config, 500, seed=5)
    expected = summary(con, config, dt.date(2023, 3, 31))
    con.close()
    at = run_app(monkeypatch, db, "zh", as_of=dt.date(2023, 3, 31))
    assert not at.exception
    values = metric_values(at)
    assert values["参团人数"] == str(expected["participants"]) == "500"
    assert values["报名单位"] == str(expected["units"])
    assert at.title[0].value == config.name_zh
