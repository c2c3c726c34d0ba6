"""Documents, chase and batch views on the hand-counted fixture, and the pages that show them."""

from __future__ import annotations

import datetime as dt

import pytest

from delegation import checklists, ui
from delegation.db import connect
from delegation.documents import attach, set_owner
from delegation.filters import Filters
from delegation.i18n import text
from tests.fixtures import load_fixture
from tests.test_app import app, frame

AS_OF = dt.date(2023, 3, 20)
PDF = b"%PDF-1.7\n% fictitious scan\n"


@pytest.fixture
def loaded(con, config, tmp_path):
    load_fixture(con, config, tmp_path)
    con.execute("update participants set gender = 'M', position = '经理', mobile = '19900000000'")
    con.execute("update participants set mobile = null where name = '乙三'")
    return con


def test_missing_by_kind_province_and_unit(loaded, config):
    f = Filters(AS_OF)
    by_kind = checklists.missing_by_kind(loaded, f, "en")
    assert by_kind[["kind", "required", "missing"]].values.tolist() == [
        ["registration_confirmation", 3, 3],
        ["passport_scan", 7, 7],
        ["us_visa_scan", 2, 2],
    ]
    by_province = checklists.missing_by_province(loaded, f, "zh")
    assert by_province[["label", "participants"]].values.tolist() == [["江苏", 5], ["山西", 5], ["陕西", 2]]
    grid = checklists.missing_by_unit(loaded, config, f, "en")
    # Equal counts in pinyin order (Suzhou, Taiyuan, Xi'an); by character code 太 came before 苏.
    assert grid["unit_name"].tolist() == ["苏州甲机械有限公司", "太原乙环保有限公司", "西安丙新能源有限公司"]
    assert grid["Passport cover page (scan)"].tolist() == [3, 3, 1]
    # Every kind a column, 0 where a unit owes none of it (西安丙 owes no US visa).
    assert grid.drop(columns="unit_id").values.tolist() == [
        ["苏州甲机械有限公司", None, 5, 1, 3, 1],
        ["太原乙环保有限公司", None, 5, 1, 3, 1],
        ["西安丙新能源有限公司", None, 2, 1, 1, 0],
    ]


def test_unit_checklist_rows_name_their_document(loaded, config):
    unit_id = loaded.execute("select unit_id from units where name = '苏州甲机械有限公司'").fetchall()[0][0]
    people = dict(
        loaded.execute(
            "select name, participant_id from participants where unit_id = ?", [unit_id]
        ).fetchall()
    )
    checklist = checklists.unit_checklist(loaded, config, unit_id, AS_OF, "en")
    targets = [checklists.checklist_target(checklist, unit_id, i) for i in range(len(checklist))]
    # The unit's own Annex 1 first (no participant), then each person's documents.
    assert targets[0] == {"unit_id": unit_id, "participant_id": None, "kind": "registration_confirmation"}
    assert checklist["participant_name"].iloc[0] == text("documents.unit_itself", "en")
    owed = {(t["participant_id"], t["kind"]) for t in targets[1:]}
    assert (people["甲一"], "passport_scan") in owed
    assert all(t["participant_id"] in people.values() for t in targets[1:])
    assert all(isinstance(t["participant_id"], int) for t in targets[1:])  # plain ints, not numpy floats
    named = list(dict.fromkeys(checklist["participant_name"].iloc[1:]))
    assert named == ["甲二", "甲四", "甲一"]  # people in pinyin order (jia er, si, yi; 甲三 owes nothing)


def test_chase_messages(loaded, config):
    unit = loaded.execute("select unit_id from units where name = '太原乙环保有限公司'").fetchall()[0][0]
    loaded.execute(
        "update units set contact_name = '王经理', contact_mobile = '19900000001' where unit_id = ?", [unit]
    )
    set_owner(loaded, unit, "小李", "admin")
    entries = checklists.chase_list(loaded, config, Filters(AS_OF), owner="小李")
    assert [e["unit_name"] for e in entries] == ["太原乙环保有限公司"]
    entry = entries[0]
    assert entry["lines"]["en"] == [
        "Missing: Registration confirmation, signed and sealed (scan)",
        "Passport not valid long enough (must be valid through 2023-11-30)",
        "Missing: Passport cover page (scan)",
        "Annex 2 row incomplete: Mobile",
        "Missing: Passport cover page (scan)",
        "Missing: Passport cover page (scan)",
        "Missing: US visa (scan)",
    ]
    # The unit's own items first, then its people in pinyin order (yi er, yi san, yi yi).
    assert [p for p, *_ in entry["items"]] == [None, "乙二", "乙二", "乙三", "乙三", "乙一", "乙一"]
    assert entry["message_zh"].startswith("主题：赴美访问-太原乙环保有限公司\n\n王经理您好：")
    assert "- 乙二：护照有效期不足（须有效至 2023-11-30）" in entry["message_zh"]
    assert 'e-mail subject "Visiting the United States-太原乙环保有限公司"' in entry["message_en"]
    from delegation import exports

    table = checklists.chase_table(entry, "zh")
    assert table["participant_name"].tolist() == [
        text("documents.unit_itself", "zh"),
        "乙二",
        "乙二",
        "乙三",
        "乙三",
        "乙一",
        "乙一",
    ]
    assert table["item"].tolist() == entry["lines"]["zh"]
    data = exports.export_bytes("chase", "csv", loaded, config, Filters(AS_OF), "en", user="t", owner="小李")
    csv = data.decode("utf-8-sig").splitlines()
    assert csv[0] == "Unit,Owner,Contact,Contact mobile,Contact e-mail,Participant,Item"
    assert len(csv) == 1 + 7


def test_documents_page_upload_and_mark(monkeypatch, config, tmp_path):
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
    assert [m.value for m in at.metric][:3] == ["2", "7", "2"]
    stored = list((tmp_path / "documents").iterdir())
    assert len(stored) == 1 and stored[0].read_bytes() == PDF


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
    attach(
        con,
        config,
        unit_id=unit,
        participant_id=None,
        kind="registration_confirmation",
        data=PDF,
        original_name="a.pdf",
        actor="t",
        source="t",
        folder=folder,
    )
    attach(
        con,
        config,
        unit_id=unit,
        participant_id=jia4,
        kind="passport_scan",
        data=PDF,
        original_name="p.pdf",
        actor="t",
        source="t",
        folder=folder,
    )
    con.close()
    at = app(monkeypatch, db, page="pages/batch.py", filters__as_of=AS_OF)
    assert not at.exception
    assert [s.value for s in at.subheader][:2] == ["Ready: 1", "Blocked: 6"]
    at.button(key="batch.freeze").click().run()
    assert not at.exception
    assert [s.value for s in at.subheader][:2] == ["Ready: 0", "Blocked: 7"]
    assert at.success[0].value == "Batch 1 frozen."
    listed = frame(at, "created_by")
    assert listed[["batch_id", "status", "participants"]].values.tolist() == [[1, "Draft", 1]]
    assert [d.label for d in at.get("download_button")] == [
        "Export CSV",
        "Export Excel",
        "Download roster (Excel) · 1",
        "Download scans (ZIP) · 1",
    ]


def test_chase_pages_of_fifty_units():
    entries = [{"unit_id": i} for i in range(120)]
    first, shown = checklists.chase_page(entries, 1)
    assert [e["unit_id"] for e in first] == list(range(50))
    assert shown == {"first": 1, "last": 50, "page": 1, "pages": 3}
    last, shown = checklists.chase_page(entries, 3)
    assert [e["unit_id"] for e in last] == list(range(100, 120))
    assert shown == {"first": 101, "last": 120, "page": 3, "pages": 3}
    assert checklists.chase_page(entries, 9) == (last, shown)  # past the end (the list shrank): the last page
    assert checklists.chase_page(entries, 0)[1]["page"] == 1
    assert checklists.chase_page([], 1) == ([], {"first": 1, "last": 0, "page": 1, "pages": 1})


def test_the_chase_page_shows_fifty_units_at_a_time(monkeypatch, config, demo_db):
    con = connect(config, demo_db)
    everyone = [e["unit_name"] for e in checklists.chase_list(con, config, Filters(AS_OF))]
    con.close()
    assert checklists.CHASE_PAGE_UNITS < len(everyone) < 100  # two pages
    at = app(monkeypatch, demo_db, page="pages/chase.py", filters__as_of=AS_OF)
    assert not at.exception

    def shown() -> list[str]:
        return [e.label.split(" · ")[0] for e in at.get("expander")]

    assert shown() == everyone[:50]
    at.number_input(key="chase.page").set_value(2).run()
    assert not at.exception and shown() == everyone[50:]
    assert f"Units 51–{len(everyone)} · page 2 of 2" in [c.value for c in at.caption]
    # A page past the end (the list shrank under another filter) shows the last page, in the box too.
    at = app(monkeypatch, demo_db, page="pages/chase.py", filters__as_of=AS_OF, chase__page=9)
    assert not at.exception and shown() == everyone[50:]
    assert at.number_input(key="chase.page").value == 2
