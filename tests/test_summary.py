"""The summary figures against a hand-counted fixture."""

from __future__ import annotations

import datetime as dt

from delegation.summary import summary
from tests.fixtures import EXPECTED_SUMMARY, load_fixture


def test_summary_matches_hand_count(con, config, tmp_path):
    load_fixture(con, config, tmp_path)
    assert summary(con, config, dt.date(2023, 3, 20)) == EXPECTED_SUMMARY


def test_as_of_moves_the_count(con, config, tmp_path):
    load_fixture(con, config, tmp_path)
    assert summary(con, config, dt.date(2023, 3, 21))["participants"] == 11
    early = summary(con, config, dt.date(2023, 3, 2))
    assert (early["units"], early["participants"], early["invitation_applicants"]) == (1, 2, 2)
    assert early["deadlines"][0]["days_left"] == 29
    after = summary(con, config, dt.date(2023, 4, 1))
    assert after["deadlines"][0]["days_left"] == -1


def test_withdrawn_unit_leaves_every_count(con, config, tmp_path):
    load_fixture(con, config, tmp_path)
    con.execute("update units set status = 'withdrawn' where name = '太原乙环保有限公司'")
    figures = summary(con, config, dt.date(2023, 3, 20))
    assert (figures["units"], figures["participants"]) == (2, 7)
    assert "Shanxi" not in figures["by_province"]


def test_empty_database(con, config):
    figures = summary(con, config, dt.date(2023, 3, 20))
    assert (figures["units"], figures["participants"], figures["by_province"]) == (0, 0, {})
    assert figures["by_theme"] == {t.key: 0 for t in config.themes}
