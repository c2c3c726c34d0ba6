"""The invitation-letter batch: readiness, freezing, status steps, roster workbook and scans ZIP."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from delegation import batches
from delegation.backup_places import backups_folder
from delegation.batch_view import batch_view
from delegation.documents import attach
from delegation.errors import DelegationError
from delegation.filters import Filters
from tests.conftest import opened_backup
from tests.fixtures import load_fixture
from tests.sample_scans import JPEG, PDF

AS_OF = dt.date(2023, 3, 20)
ARRIVED = dt.datetime(2023, 3, 18, 9, 30)  # the scans came two days before the as-of day
FROZEN = dt.datetime(2023, 3, 20, 16, 0)  # the batch is frozen on the as-of day


@pytest.fixture
def ready_jia(con, config, tmp_path):
    """The fixture with 苏州甲's Annex 1 and 甲一's passport and visa scans in: 甲一 is ready."""
    load_fixture(con, config, tmp_path)
    folder = tmp_path / "docs"

    def ids(name):
        return con.execute(
            "select unit_id, participant_id from participants where name = ?", [name]
        ).fetchall()[0]

    unit, jia1 = ids("甲一")
    common = {"actor": "staff", "source": "upload", "folder": folder, "now": ARRIVED}
    attach(
        con,
        config,
        unit_id=unit,
        participant_id=None,
        kind="registration_confirmation",
        data=PDF,
        original_name="附件1.pdf",
        **common,
    )
    attach(
        con,
        config,
        unit_id=unit,
        participant_id=jia1,
        kind="passport_scan",
        data=JPEG,
        original_name="p.jpg",
        **common,
    )
    attach(
        con,
        config,
        unit_id=unit,
        participant_id=jia1,
        kind="us_visa_scan",
        data=PDF,
        original_name="v.pdf",
        **common,
    )
    _, jia4 = ids("甲四")
    attach(
        con,
        config,
        unit_id=unit,
        participant_id=jia4,
        kind="passport_scan",
        data=PDF,
        original_name="p4.pdf",
        **common,
    )
    return con, folder


def test_ready_and_blocked(ready_jia, config):
    con, _ = ready_jia
    df = batches.candidates(con, config, Filters(AS_OF)).set_index("name")
    assert sorted(df.index[df["ready"]]) == ["甲一", "甲四"]
    assert (
        batches.blocked_reasons(df.loc["甲二"], config, "en")
        == "missing Passport cover page (scan); passport expires too early"
    )
    assert batches.blocked_reasons(df.loc["乙一"], config, "en") == (
        "missing Registration confirmation, signed and sealed (scan); missing Passport cover page (scan); missing US visa (scan)"
    )
    assert (
        batches.blocked_reasons(df.loc["丙二"], config, "zh")
        == "缺少报名确认回执（单位负责人签字盖章扫描件）；缺少护照首页扫描件；未填护照号"
    )
    assert len(df) == 7  # applicants only
    # As of the day before the scans came, nobody was ready: the lists follow the as-of day.
    before = batches.candidates(con, config, Filters(dt.date(2023, 3, 17))).set_index("name")
    assert not before["ready"].any()
    assert batches.blocked_reasons(before.loc["甲一"], config, "en") == (
        "missing Registration confirmation, signed and sealed (scan); missing Passport cover page (scan); missing US visa (scan)"
    )


def test_freeze_once_then_steps(ready_jia, config, db_path):
    con, _ = ready_jia
    with pytest.raises(DelegationError, match="not the 3 you confirmed"):  # two are ready, not three
        batches.freeze(con, config, "staff", expected=3, now=FROZEN)
    assert con.execute("select count(*) from batches").fetchall() == [(0,)]
    number = batches.freeze(con, config, "staff", expected=2, now=FROZEN)
    assert number == 1
    (before,) = backups_folder(db_path).glob("delegation-*-before-batch.duckdb.enc")  # taken first
    with opened_backup(before) as kept:
        assert kept.execute("select count(*) from batches").fetchall() == [(0,)]
    assert con.execute("select status, created_by from batches").fetchall() == [("draft", "staff")]
    members = con.execute(
        "select p.name from batch_members join participants p using (participant_id) order by 1"
    ).fetchall()
    assert members == [("甲一",), ("甲四",)]
    df = batches.candidates(con, config, Filters(AS_OF)).set_index("name")
    assert not df["ready"].any()  # a participant is in at most one batch
    assert df.loc["甲一", "batch_id"] == 1
    # The day before the freeze 甲一 was in no batch yet (and 甲四 had not signed up: the 20th).
    earlier = batches.candidates(con, config, Filters(dt.date(2023, 3, 19))).set_index("name")
    assert sorted(earlier.index[earlier["ready"]]) == ["甲一"] and "甲四" not in earlier.index
    with pytest.raises(DelegationError, match="Nobody is ready"):
        batches.freeze(con, config, "staff", now=FROZEN)
    with pytest.raises(DelegationError, match="next step"):
        batches.set_status(con, 1, "letters_received", "staff")
    for status in ("submitted", "letters_received", "sent_to_units"):
        batches.set_status(con, 1, status, "staff")
    assert con.execute("select status from batches").fetchall() == [("sent_to_units",)]
    assert con.execute("select count(*) from audit_log where action = 'batch.change'").fetchall()[0][0] == 4


def test_roster_workbook(ready_jia, config):
    con, _ = ready_jia
    batches.freeze(con, config, "staff", now=FROZEN)
    con.execute(
        "update participants set pinyin_name = 'JIA Yi', gender = 'M', date_of_birth = '1980-04-05' where name = '甲一'"
    )
    con.execute(
        "update units set name_en = 'Suzhou Jia Machinery Co., Ltd.' where name = '苏州甲机械有限公司'"
    )
    con.execute(
        "update participants set position = '总经理', position_en = 'General Manager' where name = '甲一'"
    )
    data = batches.roster_xlsx(con, 1, "en")
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names == ["Batch 1"]
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0] == [
        "Unit",
        "Company (English)",
        "Chinese name",
        "Pinyin name",
        "Pinyin generated",
        "Gender",
        "Date of birth",
        "Position",
        "Position (English)",
        "Passport No.",
        "Passport expiry",
        "Holds US visa",
    ]
    # People in pinyin order within their unit (jia si before jia yi).
    assert rows[1][2:5] == ["甲四", "JIA Si", "Yes"]  # pinyin made from the Chinese name, flagged
    assert rows[2][:7] == [
        "苏州甲机械有限公司",
        "Suzhou Jia Machinery Co., Ltd.",
        "甲一",
        "JIA Yi",
        "No",
        "Male",
        dt.date(1980, 4, 5),
    ]
    assert rows[2][7:] == ["总经理", "General Manager", "E90000101", dt.date(2030, 1, 1), "Yes"]
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet["J2"].data_type == "s" and sheet["K2"].number_format == "yyyy-mm-dd"
    zh = CalamineWorkbook.from_filelike(io.BytesIO(batches.roster_xlsx(con, 1, "zh")))
    assert zh.sheet_names == ["第 1 批"] and zh.get_sheet_by_index(0).to_python()[0][:3] == [
        "单位",
        "单位英文名称",
        "中文姓名",
    ]


def test_scans_zip(ready_jia, config):
    con, folder = ready_jia
    batches.freeze(con, config, "staff", now=FROZEN)
    with zipfile.ZipFile(io.BytesIO(batches.scans_zip(con, 1, folder))) as archive:
        names = sorted(archive.namelist())
        assert names == [
            "苏州甲机械有限公司-JIA_Si-passport.pdf",
            "苏州甲机械有限公司-JIA_Yi-passport.jpg",
            "苏州甲机械有限公司-JIA_Yi-visa.pdf",
        ]
        assert archive.read("苏州甲机械有限公司-JIA_Yi-passport.jpg") == JPEG


def test_pinyin():
    from delegation.search import pinyin_for

    assert pinyin_for("张伟明") == "ZHANG Weiming"
    assert pinyin_for("甲四") == "JIA Si"
    assert pinyin_for("John Smith") == ""  # a Latin name needs none


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_batch_page_view_words_each_applicants_own_reasons(ready_jia, config, lang):
    # The view words each combination of reasons once; every applicant must still get their own.
    con, _ = ready_jia

    def view_and_expected() -> tuple[dict, dict]:
        view = batch_view(con, config, Filters(AS_OF), lang)
        rows = batches.candidates(con, config, Filters(AS_OF))
        expected = {
            row["name"]: batches.blocked_reasons(row, config, lang)
            for _, row in rows.iterrows()
            if not row["ready"]
        }
        return view, expected

    view, expected = view_and_expected()
    assert view["ready"]["name"].tolist() == ["甲四", "甲一"]  # pinyin order: jia si, jia yi
    assert "reasons" not in view["ready"]
    assert dict(zip(view["blocked"]["name"], view["blocked"]["reasons"], strict=True)) == expected
    assert len(set(expected.values())) == len(expected) == 5  # five different sets of reasons
    assert view["in_batch"].empty
    batches.freeze(con, config, "staff", now=FROZEN)
    view, expected = view_and_expected()
    assert view["ready"].empty
    # Those in a batch are listed as in it, not as blocked.
    assert view["in_batch"][["name", "batch_id"]].values.tolist() == [
        ["甲四", "第 1 批" if lang == "zh" else "Batch 1"],
        ["甲一", "第 1 批" if lang == "zh" else "Batch 1"],
    ]
    blocked = dict(zip(view["blocked"]["name"], view["blocked"]["reasons"], strict=True))
    assert "甲一" not in blocked and len(blocked) == 5
    assert blocked == {name: reason for name, reason in expected.items() if name in blocked}


def test_a_freeze_takes_everyone_ready_whatever_the_filters(ready_jia, config):
    # A province filter left on froze Jiangsu's people only: a batch is one batch.
    con, _ = ready_jia
    shown = batch_view(con, config, Filters(AS_OF, provinces=("Shanxi",)), "en")
    assert shown["ready"].empty  # the filtered list shows nobody ready: Shanxi's people only
    assert set(shown["blocked"]["unit_name"]) == {"太原乙环保有限公司"}
    assert batches.ready_now(con, config, FROZEN.date()) == 2
    batches.freeze(con, config, "staff", expected=2, now=FROZEN)
    members = con.execute(
        "select p.name from batch_members join participants p using (participant_id) order by 1"
    ).fetchall()
    assert members == [("甲一",), ("甲四",)]


def test_a_roster_zip_member_name_is_made_safe_like_every_outside_name():
    # A unit's name as sent went into the ZIP with its right-to-left override and controls.
    assert batches._safe("苏州\u202e甲 机械\x00/西安") == "苏州甲_机械_西安"
    assert batches._safe('a:b*c"d') == "a_b_c_d" and batches._safe("  ") == "x"


def test_the_batch_page_cuts_each_list_in_duckdb(config, demo_db):
    """Each list's pages, one after the other, are the whole list the export holds; each counts its
    whole list; a page past the end is the last one."""
    from delegation.batch_view import LISTS, batch_page
    from delegation.db import connect

    con = connect(config, demo_db)
    f = Filters(dt.date(2023, 3, 31))
    whole = batch_view(con, config, f, "en")
    size = 7
    first = batch_page(con, config, f, "en", (1, 1, 1), size)
    assert {name: first[name].total for name in LISTS} == {name: len(whole[name]) for name in LISTS}
    assert len(whole["ready"]) > size and len(whole["blocked"]) > size  # pages to turn
    for i, name in enumerate(LISTS):
        pages = first[name].pages
        cut = []
        for n in range(1, pages + 1):
            asked = [1, 1, 1]
            asked[i] = n
            page = batch_page(con, config, f, "en", tuple(asked), size)[name]
            assert page.page == n and len(page.rows) == (
                size if n < pages else len(whole[name]) - size * (n - 1)
            )
            cut.append(page.rows)
        joined = pd.concat(cut, ignore_index=True) if cut else whole[name].iloc[0:0]
        pd.testing.assert_frame_equal(joined, whole[name], check_dtype=False)
    past = batch_page(con, config, f, "en", (99, 1, 1), size)["ready"]
    assert past.page == first["ready"].pages and past.first == size * (past.page - 1) + 1
    nobody = batch_page(con, config, Filters(dt.date(2023, 3, 31), provinces=("Tibet",)), "en")
    assert [(nobody[n].total, len(nobody[n].rows), nobody[n].page) for n in LISTS] == [(0, 0, 1)] * 3
    assert batches.ready_now(con, config, dt.date(2023, 3, 31)) == len(whole["ready"])
    con.close()
