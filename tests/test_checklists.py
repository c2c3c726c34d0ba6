"""Documents, chase and batch views on the hand-counted fixture, and the pages that show them."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import openpyxl
import pandas as pd
import pytest

from delegation import chase, document_grid, documents, ui
from delegation.db import connect
from delegation.documents import attach, set_owner
from delegation.errors import DelegationError
from delegation.filters import Filters
from delegation.i18n import TEXT, text
from delegation.keys import load_keyring
from tests.fixtures import load_fixture
from tests.sample_scans import PDF
from tests.test_app import app, frame

AS_OF = dt.date(2023, 3, 20)


@pytest.fixture
def loaded(con, config, tmp_path):
    load_fixture(con, config, tmp_path)
    con.execute("update participants set gender = 'M', position = '经理', mobile = '19900000000'")
    con.execute("update participants set mobile = null where name = '乙三'")
    return con


def test_missing_by_kind_province_and_unit(loaded, config):
    f = Filters(AS_OF)
    by_kind = document_grid.missing_by_kind(loaded, f, "en")
    assert by_kind[["kind", "required", "missing"]].values.tolist() == [
        ["registration_confirmation", 3, 3],
        ["passport_scan", 7, 7],
        ["us_visa_scan", 2, 2],
    ]
    by_province = document_grid.missing_by_province(loaded, f, "zh")
    assert by_province[["label", "participants"]].values.tolist() == [["江苏", 5], ["山西", 5], ["陕西", 2]]
    grid = document_grid.missing_by_unit(loaded, config, f, "en").rows
    # Equal counts in pinyin order (Suzhou, Taiyuan, Xi'an); by character code 太 came before 苏.
    assert grid["unit_name"].tolist() == ["苏州甲机械有限公司", "太原乙环保有限公司", "西安丙新能源有限公司"]
    assert grid["Passport cover page (scan)"].tolist() == [3, 3, 1]
    # Every kind a column, 0 where a unit owes none of it (西安丙 owes no US visa).
    assert grid.drop(columns="unit_id").values.tolist() == [
        ["苏州甲机械有限公司", None, 5, 1, 3, 1],
        ["太原乙环保有限公司", None, 5, 1, 3, 1],
        ["西安丙新能源有限公司", None, 2, 1, 1, 0],
    ]


def test_the_unit_grid_is_cut_in_duckdb_page_by_page(config, demo_db):
    """The grid's pages, one after the other, are the whole grid the export holds, each counting
    every unit; the units owing nothing only when asked for; a page past the end is the last."""
    con = connect(config, demo_db)
    f = Filters(AS_OF)
    whole = document_grid.missing_by_unit(con, config, f, "en")
    everyone = document_grid.missing_by_unit(con, config, f, "en", only_missing=False)
    assert whole.total == len(whole.rows) > 12 and (whole.rows["missing"] > 0).all()
    assert everyone.total == len(everyone.rows) > whole.total  # some units owe nothing
    pages = [document_grid.missing_by_unit(con, config, f, "en", page=n, page_size=5) for n in (1, 2, 3)]
    assert [p.total for p in pages] == [whole.total] * 3 and [len(p.rows) for p in pages] == [5, 5, 5]
    joined = pd.concat([p.rows for p in pages], ignore_index=True)
    pd.testing.assert_frame_equal(joined, whole.rows.iloc[:15].reset_index(drop=True))
    past = document_grid.missing_by_unit(con, config, f, "en", page=999, page_size=5)
    assert past.page == past.pages and past.last == whole.total
    con.close()


def test_the_unit_grid_of_one_owner_is_that_owners_part_of_the_whole(config, demo_db, tmp_path):
    """Narrowed to one secretariat member, the grid holds exactly their units, in the whole grid's
    order and with its counts, and counts only them; units nobody owns are in no owner's grid."""
    db = tmp_path / "owners.duckdb"
    db.write_bytes(demo_db.read_bytes())
    con = connect(config, db)
    units = [u for (u,) in con.execute("select unit_id from units order by unit_id").fetchall()]
    for n, unit in enumerate(units):
        if n % 3 < 2:
            set_owner(con, unit, ("小李", "小王")[n % 3], "admin")
    f = Filters(AS_OF)
    whole = document_grid.missing_by_unit(con, config, f, "en").rows
    for owner in ("小李", "小王"):
        mine = document_grid.missing_by_unit(con, config, f, "en", owner=owner)
        expected = whole[whole["owner"] == owner].reset_index(drop=True)
        assert len(expected) > 5 and mine.total == len(expected)
        pd.testing.assert_frame_equal(mine.rows, expected)
        second = document_grid.missing_by_unit(con, config, f, "en", owner=owner, page=2, page_size=5)
        assert second.total == len(expected)
        pd.testing.assert_frame_equal(second.rows, expected.iloc[5:10].reset_index(drop=True))
    assert whole["owner"].isna().sum() > 0  # a third owned by nobody, in neither grid above
    con.close()


def test_unit_checklist_rows_name_their_document(loaded, config):
    unit_id = loaded.execute("select unit_id from units where name = '苏州甲机械有限公司'").fetchall()[0][0]
    people = dict(
        loaded.execute(
            "select name, participant_id from participants where unit_id = ?", [unit_id]
        ).fetchall()
    )
    checklist = document_grid.unit_checklist(loaded, config, unit_id, AS_OF, "en")
    targets = [document_grid.checklist_target(checklist, unit_id, i) for i in range(len(checklist))]
    # The unit's own Annex 1 first (no participant), then each person's documents.
    assert targets[0] == {"unit_id": unit_id, "participant_id": None, "kind": "registration_confirmation"}
    assert checklist["participant_name"].iloc[0] == text("documents.unit_itself", "en")
    owed = {(t["participant_id"], t["kind"]) for t in targets[1:]}
    assert (people["甲一"], "passport_scan") in owed
    assert all(t["participant_id"] in people.values() for t in targets[1:])
    assert all(isinstance(t["participant_id"], int) for t in targets[1:])  # plain ints, not numpy floats
    named = list(dict.fromkeys(checklist["participant_name"].iloc[1:]))
    assert named == ["甲二", "甲四", "甲一"]  # people in pinyin order (jia er, si, yi; 甲三 owes nothing)


CHASE_ZH_1_APRIL = """主题：赴美访问-太原乙环保有限公司

王经理您好：

感谢贵单位报名参加中国—美国（加州）经贸投资合作工作组赴美商务代表团。经核对，以下材料或信息尚未收齐或需要更正。

请于 2023-04-07（邀请函批量申请）前补交以下材料：
- 贵单位：缺少报名确认回执（单位负责人签字盖章扫描件）
- 乙二：护照有效期不足（须有效至 2023-11-30），请换发新护照后提供新护照首页扫描件
- 乙三：缺少护照首页扫描件
- 乙一：缺少护照首页扫描件
- 乙一：缺少美国签证扫描件

请于 2023-05-21（出发）前补全以下报名信息：
- 乙三：报名信息采集表缺少手机

请将材料发送至秘书处邮箱 delegation-desk@example.org，邮件主题请注明“赴美访问-太原乙环保有限公司”。请尽快补齐，以免影响统一办理。感谢您的配合！

中国机电产品进出口商会 秘书处"""

CHASE_EN_1_APRIL = """Subject: Visiting the United States-太原乙环保有限公司

Dear 王经理 (WANG Jingli),

Thank you for registering for the China–US (California) Working Group Business Delegation to the United States. We have checked what you sent; the items below are still missing or need correcting.

Please send the following by 2023-04-07 (Invitation-letter batch):
- Your unit: Missing: Registration confirmation, signed and sealed (scan)
- 乙二 (YI Er): Passport not valid long enough (it must be valid through 2023-11-30): please renew it and send the new passport's cover page (scan)
- 乙三 (YI San): Missing: Passport cover page (scan)
- 乙一 (YI Yi): Missing: Passport cover page (scan)
- 乙一 (YI Yi): Missing: US visa (scan)

Please complete the following registration details by 2023-05-21 (Departure):
- 乙三 (YI San): Annex 2 row incomplete: Mobile

Please send them to the secretariat at delegation-desk@example.org with the e-mail subject "Visiting the United States-太原乙环保有限公司", as soon as you can, so that the joint application is not delayed. Thank you for your help.

Secretariat, China Chamber of Commerce for Import and Export of Machinery and Electronic Products (CCCME)"""


def test_chase_messages(loaded, config):
    unit = loaded.execute("select unit_id from units where name = '太原乙环保有限公司'").fetchall()[0][0]
    loaded.execute(
        "update units set contact_name = '王经理', contact_mobile = '19900000001' where unit_id = ?", [unit]
    )
    loaded.execute("update participants set pinyin_name = 'YI Yi' where name = '乙一'")  # the form's own
    set_owner(loaded, unit, "小李", "admin")
    entries = chase.chase_list(loaded, config, Filters(AS_OF), owner="小李")
    assert [e["unit_name"] for e in entries] == ["太原乙环保有限公司"]
    entry = entries[0]
    # 乙二's passport expires too early: a renewed passport is asked for, not a scan of the old one.
    assert entry["lines"]["en"] == [
        "Missing: Registration confirmation, signed and sealed (scan)",
        "Passport not valid long enough (it must be valid through 2023-11-30): please renew it and send the new passport's cover page (scan)",
        "Missing: Passport cover page (scan)",
        "Annex 2 row incomplete: Mobile",
        "Missing: Passport cover page (scan)",
        "Missing: US visa (scan)",
    ]
    # The unit's own items first, then its people in pinyin order (yi er, yi san, yi yi).
    assert [i.person for i in entry["items"]] == [None, "乙二", "乙三", "乙三", "乙一", "乙一"]
    # After the registration deadline, before the batch: documents by the batch's day, the rest
    # of Annex 2 by departure; the secretariat's address and the subject convention; pinyin beside
    # the Chinese names in English; full-width colons in Chinese, never two in a row.
    april = dt.date(2023, 4, 1)
    assert chase.chase_message(config, entry, "zh", april) == CHASE_ZH_1_APRIL
    assert chase.chase_message(config, entry, "en", april) == CHASE_EN_1_APRIL
    # Before the deadline both have the same next milestone: one list.
    march = chase.chase_message(config, entry, "zh", AS_OF)
    assert "请于 2023-03-31（报名截止）前补交以下材料和信息：\n- 贵单位：缺少报名确认回执" in march
    assert "2023-04-07" not in march and "2023-05-21" not in march
    # Once every milestone has passed: as soon as possible, and no date at all.
    june = dt.date(2023, 6, 1)
    for lang, asap in (
        ("zh", "请尽快补交以下材料和信息："),
        ("en", "Please send the following as soon as possible:"),
    ):
        late = chase.chase_message(config, entry, lang, june)
        assert asap in late and not re.search(r"20\d\d-\d\d-\d\d（|by 20\d\d-", late)
        assert "2023-03-31" not in late and "2023-04-07" not in late
    for message in (CHASE_ZH_1_APRIL, march):
        assert ":" not in message.replace("delegation-desk@example.org", "")  # no half-width colon
        for line in (line for line in message.splitlines() if line.startswith("- ")):
            said = re.sub(r"（[^）]*）", "", line.split("：", 1)[1])  # after "贵单位：", outside brackets
            assert "：" not in said, line  # no "贵单位：缺：…"
        assert "缺：" not in message
    from delegation import lists

    people = [text("documents.unit_itself", "zh"), "乙二", "乙三", "乙三", "乙一", "乙一"]
    assert chase.chase_lines(entry, "zh") == [
        f"{who} · {line}" for who, line in zip(people, entry["lines"]["zh"], strict=True)
    ]
    data = lists.export_bytes("chase", "csv", loaded, config, Filters(AS_OF), "en", user="t", owner="小李")
    csv = data.decode("utf-8-sig").splitlines()
    assert csv[0] == "Unit,Owner,Contact,Contact mobile,Contact e-mail,Last chased,Participant,Item"
    assert len(csv) == 1 + 6 and csv[1].split(",")[5] == "Not chased yet"


def test_chased_on_is_recorded_shown_and_filtered(loaded, config):
    yi = loaded.execute("select unit_id from units where name = '太原乙环保有限公司'").fetchall()[0][0]
    today = dt.date(2023, 3, 20)
    chase.mark_chased(loaded, yi, 6, "小李", now=dt.datetime(2023, 3, 17, 15, 0))
    entries = {e["unit_name"]: e for e in chase.chase_list(loaded, config, Filters(AS_OF))}
    assert chase.last_chased(entries["太原乙环保有限公司"], "en", today) == "Last chased 3 days ago by 小李"
    assert chase.last_chased(entries["太原乙环保有限公司"], "zh", today) == "上次催交：3 天前（小李）"
    assert chase.last_chased(entries["苏州甲机械有限公司"], "zh", today) == "尚未催交"
    # Units not chased in N days: 太原乙 was last chased 3 days ago, so it is listed for N up to 3
    # and not for 4 (it was chased within those 4 days).
    not_in = {
        days: [
            e["unit_name"]
            for e in chase.chase_list(loaded, config, Filters(AS_OF), not_chased_days=days, today=today)
        ]
        for days in (0, 3, 4)
    }
    everyone = ["苏州甲机械有限公司", "太原乙环保有限公司", "西安丙新能源有限公司"]
    assert not_in[0] == not_in[3] == everyone
    assert not_in[4] == ["苏州甲机械有限公司", "西安丙新能源有限公司"]
    logged = loaded.execute("select actor, target from audit_log where action = 'unit.chased'").fetchall()
    assert logged == [("小李", f"unit:{yi}")]


def test_documents_page_upload_and_mark(monkeypatch, config, tmp_path, key_file):
    db = tmp_path / "docs.duckdb"
    con = connect(config, db)
    load_fixture(con, config, tmp_path)
    unit = con.execute("select unit_id from units where name = '苏州甲机械有限公司'").fetchall()[0][0]
    con.close()
    at = app(monkeypatch, db, page="pages/documents.py", filters__as_of=AS_OF, documents__unit=unit)
    assert not at.exception
    assert [m.value for m in at.metric][:3] == ["3", "7", "2"]
    validity = frame(at, "days_short")
    assert validity["name"].tolist() == ["丙二", "甲二", "乙二"] and validity["days_short"].tolist()[1:] == [
        60,
        1,
    ]
    checklist = frame(at, "original_name")
    assert checklist["participant_name"].tolist()[0] == "(unit)"
    at.get("file_uploader")[0].set_value(("附件1回执.pdf", PDF, "application/pdf"))
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    assert at.success[0].value == "Saved."
    # It arrived today: as of 20 March it was still missing, as of today it is in.
    assert [m.value for m in at.metric][:3] == ["3", "7", "2"]
    at.session_state["filters.as_of"] = dt.date.today()
    at.run()
    assert [m.value for m in at.metric][:3] == ["2", "8", "2"]  # 丙四 (21 March) counts by now
    (stored,) = (tmp_path / "documents").iterdir()
    assert PDF not in stored.read_bytes()  # encrypted at rest
    assert documents.read_stored(stored.parent, stored.name, load_keyring(key_file), "x") == PDF


def test_documents_page_refuses_a_fake_pdf(monkeypatch, config, tmp_path):
    db = tmp_path / "docs.duckdb"
    con = connect(config, db)
    load_fixture(con, config, tmp_path)
    unit = con.execute("select unit_id from units where name = '苏州甲机械有限公司'").fetchall()[0][0]
    con.close()
    at = app(
        monkeypatch, db, page="pages/documents.py", filters__as_of=AS_OF, documents__unit=unit, lang="zh"
    )
    uploader = at.get("file_uploader")[0]
    # The browser takes any kind of file, so that this sentence is what a wrong one gets (not an
    # English tooltip), and no file over the scans' own limit.
    assert list(uploader.proto.type) == [] and uploader.proto.max_upload_size_mb == config.max_document_mb
    uploader.set_value(("回执.exe", b"MZ\x90\x00 not a pdf", "application/octet-stream"))
    at.get("form_submit_button")[0].click().run()
    assert [e.value for e in at.error] == [
        ui.plain("回执.exe：只接受 PDF、JPEG 或 PNG 格式的扫描件，该文件不是其中任何一种。")  # as typed
    ]
    assert not (tmp_path / "documents").exists()


def test_batch_page_freezes(monkeypatch, config, tmp_path):
    db = tmp_path / "batch.duckdb"
    con = connect(config, db)
    load_fixture(con, config, tmp_path)
    unit, jia4 = con.execute(
        "select unit_id, participant_id from participants where name = '甲四'"
    ).fetchall()[0]
    folder = tmp_path / "documents"
    common = {"actor": "t", "source": "t", "folder": folder, "now": dt.datetime(2023, 3, 18, 9, 0)}
    attach(
        con,
        config,
        unit_id=unit,
        participant_id=None,
        kind="registration_confirmation",
        data=PDF,
        original_name="a.pdf",
        **common,
    )
    attach(
        con,
        config,
        unit_id=unit,
        participant_id=jia4,
        kind="passport_scan",
        data=PDF,
        original_name="p.pdf",
        **common,
    )
    con.close()
    # As of today without filters (as a staffer opens it) the ready list is the freeze's set.
    plain = app(monkeypatch, db, page="pages/batch.py", filters__as_of=dt.date.today())
    assert plain.subheader[0].value == "Ready: 1" and not plain.info
    plain.button(key="batch.freeze").click().run()
    assert plain.warning[0].value == TEXT["batch.confirm"][1].format(count=1)
    # A province filter left on from another page: the lists follow it, the freeze does not.
    at = app(monkeypatch, db, page="pages/batch.py", filters__as_of=AS_OF, filters__provinces=["Shanxi"])
    assert not at.exception
    assert [s.value for s in at.subheader][:3] == ["Ready: 0", "Blocked: 3", "In a batch: 0"]
    assert at.info[0].value == TEXT["batch.filters_ignored"][1].format(shown=0)
    assert not at.button(key="batch.freeze").disabled  # counted when asked, not on every look
    at.button(key="batch.freeze").click().run()
    # Nothing is frozen before the count is confirmed.
    assert not at.exception and at.warning[0].value == TEXT["batch.confirm"][1].format(count=1)
    con = connect(config, db)
    assert con.execute("select count(*) from batches").fetchall() == [(0,)]
    con.close()
    at.button(key="batch.cancel").click().run()
    assert not at.warning
    at.button(key="batch.freeze").click().run()
    at.button(key="batch.confirm_yes").click().run()
    assert not at.exception
    assert at.success[0].value == "Batch 1 frozen (1 people)."
    at.session_state["filters.provinces"] = []
    at.session_state["filters.as_of"] = dt.date.today()  # frozen today: in the batch from today on
    at.run()
    assert [s.value for s in at.subheader][:3] == ["Ready: 0", "Blocked: 7", "In a batch: 1"]
    assert not at.info and at.button(key="batch.freeze").disabled  # nobody left to freeze today
    assert frame(at, "batch_id")[["name", "batch_id"]].values.tolist() == [["甲四", "Batch 1"]]
    # The blocked list's reasons wrap in their rows instead of being cut at the column's edge.
    blocked = next(f for f in at.dataframe if "reasons" in f.value.columns)
    assert blocked.proto.row_height > 64 and blocked.proto.row_height == ui.WRAP_ROW_PX
    listed = frame(at, "created_by")
    assert listed[["batch_id", "status", "participants"]].values.tolist() == [[1, "Draft", 1]]
    at.session_state["filters.provinces"] = ["Jiangsu"]
    at.run()
    at.button(key="batch.freeze").click().run()  # asked with a filter on: counted, and nobody
    assert not at.warning and at.info[-1].value == TEXT["batch.none_ready"][1]
    assert "batch.confirm" not in at.session_state
    assert [
        (b.key, b.label) for b in at.button if "export" in b.key or "roster" in b.key or "scans" in b.key
    ] == [
        ("batch.export.csv", "Export CSV"),
        ("batch.export.xlsx", "Export Excel"),
        ("batch.roster.1", "Download roster (Excel) · 1"),
        ("batch.scans.1", "Download scans (ZIP) · 1"),
    ]
    at.button(key="batch.roster.1").click().run()  # made, then saved from the button in its place
    [save] = at.get("download_button")
    assert save.proto.label == "Save invitation_batch_1_roster.xlsx"
    roster = openpyxl.load_workbook(io.BytesIO(at.session_state["downloads.held"].data)).worksheets[0]
    assert "甲四" in {c for row in roster.iter_rows(values_only=True) for c in row}
    con = connect(config, db)
    logged = con.execute("select details from audit_log where action = 'batch.change'").fetchall()
    con.close()
    assert [json.loads(d[0]) for d in logged] == [{"status": "draft", "participants": 1}]


def test_chase_pages_are_cut_in_duckdb_from_the_whole_list(config, demo_db):
    con = connect(config, demo_db)
    f = Filters(AS_OF)
    everyone = chase.chase_list(con, config, f)
    pages = -(-len(everyone) // 10)
    assert pages >= 3
    cut = [chase.chase_page(con, config, f, n, 10) for n in range(1, pages + 1)]
    # the pages, one after the other, are the whole list, items and lines included
    assert [e for entries, _ in cut for e in entries] == everyone
    first, shown = cut[0]
    assert len(first) == 10
    assert shown == {"units": len(everyone), "first": 1, "last": 10, "page": 1, "pages": pages}
    last, shown = cut[-1]
    assert shown == {
        "units": len(everyone),
        "first": (pages - 1) * 10 + 1,
        "last": len(everyone),
        "page": pages,
        "pages": pages,
    }
    # past the end (the list shrank): the last page; before the start: the first
    assert chase.chase_page(con, config, f, pages + 5, 10) == (last, shown)
    assert chase.chase_page(con, config, f, 0, 10)[1]["page"] == 1
    nobody = Filters(AS_OF, provinces=("Tibet",))
    assert chase.chase_page(con, config, nobody, 1, 10) == (
        [],
        {"units": 0, "first": 1, "last": 0, "page": 1, "pages": 1},
    )
    con.close()


def test_the_chase_page_shows_a_page_of_units_at_a_time(monkeypatch, config, demo_db):
    con = connect(config, demo_db)
    everyone = [e["unit_name"] for e in chase.chase_list(con, config, Filters(AS_OF))]
    con.close()
    size = chase.CHASE_PAGE_UNITS
    pages = -(-len(everyone) // size)
    assert pages >= 3
    at = app(monkeypatch, demo_db, page="pages/chase.py", filters__as_of=AS_OF)
    assert not at.exception

    def shown() -> list[str]:
        return [e.label.split(" · ")[0] for e in at.get("expander")]

    assert shown() == everyone[:size]
    at.number_input(key="chase.page").set_value(2).run()
    assert not at.exception and shown() == everyone[size : 2 * size]
    assert f"Units {size + 1}–{2 * size} · page 2 of {pages}" in [c.value for c in at.caption]
    # A page past the end (the list shrank under another filter) shows the last page, in the box too.
    at = app(monkeypatch, demo_db, page="pages/chase.py", filters__as_of=AS_OF, chase__page=99)
    assert not at.exception and shown() == everyone[(pages - 1) * size :]
    assert at.number_input(key="chase.page").value == pages


def test_the_chase_page_marks_a_message_sent_and_filters_by_days(monkeypatch, config, tmp_path):
    db = tmp_path / "chase.duckdb"
    con = connect(config, db)
    load_fixture(con, config, tmp_path)
    yi = con.execute("select unit_id from units where name = '太原乙环保有限公司'").fetchone()[0]
    units = [u for (u,) in con.execute("select unit_id from units").fetchall()]
    con.close()
    closed = app(monkeypatch, db, page="pages/chase.py", filters__as_of=AS_OF, lang="zh")
    assert len(closed.get("expander")) == 3 and not closed.code and not closed.text  # labels only
    opened = {f"chase__unit__{u}": True for u in units}  # each box opened (each opening reruns)
    at = app(monkeypatch, db, page="pages/chase.py", filters__as_of=AS_OF, lang="zh", **opened)
    assert not at.exception
    assert [t.value for t in at.text].count("尚未催交") == 3
    # The messages carry the secretariat's address and the deadline ahead on the as-of day.
    codes = [c.value for c in at.code]
    assert all("delegation-desk@example.org" in c for c in codes) and len(codes) == 6
    assert all("请于 2023-03-31（报名截止）前" in c for c in codes[::2])
    at.button(key=f"chase.sent.{yi}").click().run()
    assert not at.exception
    assert at.success[0].value == ui.plain("已记录：太原乙环保有限公司 的催交邮件已发送。")
    assert "上次催交：今天（local-admin）" in [t.value for t in at.text]
    con = connect(config, db)
    assert con.execute("select unit_id, chased_by, channel from chases").fetchall() == [
        (yi, "local-admin", "marked")
    ]
    con.close()
    # Units not chased in the last day: the one just chased drops out.
    at.number_input(key="chase.not_chased_days").set_value(1).run()
    labels = [e.label.split(" · ")[0] for e in at.get("expander")]
    assert labels == ["苏州甲机械有限公司", "西安丙新能源有限公司"]


def _picture(kind: str) -> bytes:
    """A small real PNG, or a two-page PDF, drawn by Pillow (a fictitious scan)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    if kind == "png":
        Image.new("RGB", (120, 80), "navy").save(out, format="PNG")
    else:
        pages = [Image.new("RGB", (200, 120), colour) for colour in ("white", "grey")]
        pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:])
    return out.getvalue()


def test_a_scan_is_seen_on_the_page_before_it_is_verified_and_every_look_is_logged(
    monkeypatch, config, tmp_path
):
    db = tmp_path / "scans.duckdb"
    con = connect(config, db)
    load_fixture(con, config, tmp_path)
    unit, jia1 = con.execute(
        "select unit_id, participant_id from participants where name = '甲一'"
    ).fetchone()
    folder = documents.documents_folder(db)
    common = {"actor": "t", "source": "upload", "folder": folder, "now": dt.datetime(2023, 3, 18, 9, 0)}
    confirmation = attach(
        con, config, unit_id=unit, participant_id=None, kind="registration_confirmation",
        data=_picture("pdf"), original_name="附件1回执.pdf", **common,
    )  # fmt: skip
    passport = attach(
        con, config, unit_id=unit, participant_id=jia1, kind="passport_scan",
        data=_picture("png"), original_name="护照-甲一.png", **common,
    )  # fmt: skip
    con.close()

    def opened(row: int):
        return app(
            monkeypatch,
            db,
            page="pages/documents.py",
            filters__as_of=AS_OF,
            documents__unit=unit,
            documents__checklist={"selection": {"rows": [row], "columns": [], "cells": []}},
        )

    at = opened(0)  # the unit's own confirmation: a PDF, drawn page by page
    assert not at.exception, at.exception
    assert len(at.get("image")) == 2  # its two pages
    assert at.markdown[-1].value.endswith(ui.plain("附件1回执.pdf"))
    assert at.button(key=f"documents.download.{confirmation}").label == "Download the scan"
    assert not at.get("download_button")  # nothing made before it is asked for
    at.run()  # a rerun is not another look
    checklist = frame(at, "original_name")
    nothing = opened(checklist["original_name"].isna().tolist().index(True))  # no scan stored yet
    assert not nothing.exception and not nothing.get("image")
    assert [i.value for i in nothing.info] == [
        "No scan is stored for this document (not received yet, or marked on paper)."
    ]
    at = opened(checklist["original_name"].tolist().index("护照-甲一.png"))  # an image, as it is
    assert not at.exception and len(at.get("image")) == 1
    at.button(
        key=f"documents.download.{passport}"
    ).click().run()  # the scan made into a file, then saved from the button in its place
    assert [d.proto.label for d in at.get("download_button")] == ["Save 护照-甲一.png"]
    assert at.session_state["downloads.held"].data == _picture("png")
    con = connect(config, db)
    views = con.execute(
        "select actor, target, details from audit_log where action = 'document.view' order by audit_id"
    ).fetchall()
    assert [(a, t) for a, t, _ in views] == [
        ("local-admin", f"document:{confirmation}"),
        ("local-admin", f"document:{passport}"),
    ]
    # A download is logged too, with the bytes as stored.
    assert documents.download_scan(con, passport, "staff", "staff1", folder) == _picture("png")
    assert con.execute(
        "select actor from audit_log where action = 'document.download' order by audit_id"
    ).fetchall() == [("local-admin",), ("staff1",)]
    # Viewers never see scans: refused in one sentence, and nothing is logged.
    with pytest.raises(DelegationError, match="may not see scans"):
        documents.read_scan(con, passport, "viewer", folder)
    con.close()
