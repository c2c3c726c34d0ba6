"""Documents: rules for every applies/holds-visa combination, uploads checked by content, the folder scan."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from delegation.documents import attach, scan_folder, set_owner, set_state
from delegation.errors import DelegationError
from delegation.filters import Filters
from delegation.ingest import import_file
from delegation.named_queries import query_df
from delegation.scans import sniff
from delegation.summary import summary
from tests.conftest import run_cli, write_xlsx
from tests.fixtures import fixture_form, load_fixture
from tests.sample_scans import JPEG, PDF, PNG

AS_OF = dt.date(2023, 3, 20)
ARRIVED = dt.datetime(2023, 3, 18, 10, 0)  # the scans came before the as-of day


@pytest.fixture
def loaded(con, config, tmp_path):
    load_fixture(con, config, tmp_path)
    return con


def ids(con, name):
    return con.execute("select unit_id, participant_id from participants where name = ?", [name]).fetchall()[
        0
    ]


def required(con, **filters):
    f = Filters(AS_OF, **filters)
    df = query_df(con, "missing_documents_by_kind", **f.params())
    return {r.kind: (r.required, r.missing) for r in df.itertuples()}


@pytest.mark.parametrize(
    ("applies", "holds_visa", "owed"),
    [
        ("否", "否", set()),
        ("否", "是", set()),
        ("是", "否", {"passport_scan"}),
        ("是", "是", {"passport_scan", "us_visa_scan"}),
    ],
)
def test_rules_for_every_combination(con, config, tmp_path, applies, holds_visa, owed):
    form = write_xlsx(
        tmp_path / "f.xlsx",
        {
            "S": [
                ["单位", "姓名", "是否申请邀请函", "是否持有美国签证", "报名日期"],
                ["某公司", "张伟", applies, holds_visa, "2023-03-01"],
            ]
        },
    )
    import_file(con, config, form)
    got = required(con)
    assert got["registration_confirmation"] == (1, 1)  # every unit, always
    assert {k for k, (req, _) in got.items() if req and k != "registration_confirmation"} == owed


def test_states_and_missing_counts(loaded, config, tmp_path):
    unit, jia1 = ids(loaded, "甲一")
    folder = tmp_path / "docs"
    attach(
        loaded,
        config,
        unit_id=unit,
        participant_id=None,
        kind="registration_confirmation",
        data=PDF,
        original_name="附件1.pdf",
        actor="staff",
        source="upload",
        folder=folder,
        now=ARRIVED,
    )
    attach(
        loaded,
        config,
        unit_id=unit,
        participant_id=jia1,
        kind="passport_scan",
        data=JPEG,
        original_name="护照.jpg",
        actor="staff",
        source="upload",
        folder=folder,
        now=ARRIVED,
    )
    _, yi1 = ids(loaded, "乙一")
    yi_unit = ids(loaded, "乙一")[0]
    set_state(
        loaded,
        unit_id=yi_unit,
        participant_id=yi1,
        kind="passport_scan",
        status="rejected",
        reason="扫描件模糊",
        actor="staff",
        source="by hand",
        now=ARRIVED,
    )
    figures = summary(loaded, config, AS_OF)["missing_documents"]
    # 甲's Annex 1 arrived (2 units left); 甲一's passport arrived, 乙一's was rejected (still missing).
    assert figures == {"registration_confirmation": 2, "passport_scan": 6, "us_visa_scan": 2}
    # The day before they came, every one was still missing: figures follow the as-of day.
    before = summary(loaded, config, dt.date(2023, 3, 17))["missing_documents"]
    assert before == {"registration_confirmation": 3, "passport_scan": 6, "us_visa_scan": 2}
    assert summary(loaded, config, dt.date(2023, 3, 17))["units"] == 3
    from delegation import document_grid

    # The progress line ends on the as-of day: nothing had arrived by the 17th.
    assert document_grid.completion(loaded, Filters(dt.date(2023, 3, 17))).empty
    done = document_grid.completion(loaded, Filters(AS_OF))
    assert done["day"].tolist() == [dt.date(2023, 3, 18)] and done["received"].tolist() == [2]
    # The unit is now confirmed; its people count as confirmed.
    statuses = loaded.execute(
        "select distinct registration_status from filtered_participants(?, [], [], [], [], [?], [])",
        [AS_OF, unit],
    ).fetchall()
    assert statuses == [("confirmed",)]
    changes = loaded.execute(
        "select actor, details from audit_log where action = 'document.change' order by audit_id"
    ).fetchall()
    assert len(changes) == 3
    last = json.loads(changes[-1][1])
    assert last["before"]["status"] == "missing" and last["after"] == {
        "status": "rejected",
        "reason": "扫描件模糊",
        "file": None,
    }
    stored = list(folder.iterdir())
    assert len(stored) == 2 and all(
        len(p.stem) == 32 for p in stored
    )  # random names, originals kept in the DB
    assert loaded.execute(
        "select original_name from documents where kind = 'passport_scan' and status = 'received'"
    ).fetchall() == [("护照.jpg",)]
    # Rejected after all: the unit is back to registered (units.confirmation_received follows).
    set_state(
        loaded,
        unit_id=unit,
        participant_id=None,
        kind="registration_confirmation",
        status="rejected",
        reason="未盖章",
        actor="staff",
        source="by hand",
    )
    statuses = loaded.execute(
        "select distinct registration_status from filtered_participants(?, [], [], [], [], [?], [])",
        [AS_OF, unit],
    ).fetchall()
    assert statuses == [("registered",)]


def test_rejected_needs_a_reason(loaded):
    unit, jia1 = ids(loaded, "甲一")
    with pytest.raises(DelegationError, match="reason"):
        set_state(
            loaded,
            unit_id=unit,
            participant_id=jia1,
            kind="passport_scan",
            status="rejected",
            actor="s",
            source="x",
        )


def test_withdrawn_owes_nothing(loaded, config):
    before = summary(loaded, config, AS_OF)["missing_documents"]["passport_scan"]
    loaded.execute("update participants set status = 'withdrawn' where name = '甲一'")
    assert summary(loaded, config, AS_OF)["missing_documents"]["passport_scan"] == before - 1


@pytest.mark.parametrize(
    ("data", "kind"), [(PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png")]
)
def test_content_decides(data, kind):
    assert sniff(data, "whatever.bin")[0] == kind


def test_a_pdf_that_is_really_an_exe_is_refused(loaded, config, tmp_path):
    unit, jia1 = ids(loaded, "甲一")
    folder = tmp_path / "docs"
    with pytest.raises(DelegationError) as err:
        attach(
            loaded,
            config,
            unit_id=unit,
            participant_id=jia1,
            kind="passport_scan",
            data=b"MZ\x90\x00" + b"\x00" * 64,
            original_name="护照.pdf",
            actor="s",
            source="upload",
            folder=folder,
        )
    assert "only PDF, JPEG or PNG" in err.value.en and "护照.pdf" in err.value.zh
    assert not folder.exists() or not list(folder.iterdir())
    assert loaded.execute("select count(*) from documents").fetchall()[0][0] == 0


def test_size_limit(loaded, config, tmp_path):
    unit, jia1 = ids(loaded, "甲一")
    big = PDF + b"0" * (config.max_document_mb * 1024 * 1024)  # a few bytes over: it read "10.5 MB" for 10
    limit = config.max_document_mb
    with pytest.raises(
        DelegationError, match=rf"the file is {limit}\.1 MB, more than the limit of {limit} MB"
    ):
        attach(
            loaded,
            config,
            unit_id=unit,
            participant_id=jia1,
            kind="passport_scan",
            data=big,
            original_name="big.pdf",
            actor="s",
            source="upload",
            folder=tmp_path / "d",
        )


def _mail_tree(root):
    """Folders as the secretariat saves e-mail attachments, with files that match and files that do not."""
    jia = root / "Visiting the United States-苏州甲机械有限公司"
    yi = root / "赴美访问-太原乙环保有限公司"
    bing = root / "西安 丙 新能源 有限公司"  # the unit's name with spaces
    stranger = root / "赴美访问-不存在的公司"
    for d in (jia, yi, bing, stranger):
        d.mkdir(parents=True)
    (jia / "附件1 报名确认回执（盖章）.pdf").write_bytes(PDF)
    (jia / "甲一护照.jpg").write_bytes(JPEG)
    (jia / "JIA ER passport.png").write_bytes(PNG)  # pinyin, any spacing and case
    (jia / "E90000101 visa.pdf").write_bytes(PDF)  # by passport number
    (jia / "会议议程.docx").write_bytes(b"PK\x03\x04")  # names no document
    (yi / "Annex1-confirmation.pdf").write_bytes(PDF)
    (yi / "乙二 护照.pdf").write_bytes(b"not really a pdf")  # wrong content
    (yi / "王五 passport.pdf").write_bytes(PDF)  # nobody of that name
    (bing / "丙二_护照首页.PDF").write_bytes(PDF)
    (stranger / "附件1.pdf").write_bytes(PDF)


def test_folder_scan_matches_and_reports(loaded, config, tmp_path):
    root = tmp_path / "mail"
    _mail_tree(root)
    report = scan_folder(loaded, config, root, actor="cli", documents_dir=tmp_path / "docs")
    assert sorted(report.recorded) == sorted(
        [
            (
                "Visiting the United States-苏州甲机械有限公司/附件1 报名确认回执（盖章）.pdf",
                "registration_confirmation",
            ),
            ("Visiting the United States-苏州甲机械有限公司/甲一护照.jpg", "passport_scan"),
            ("Visiting the United States-苏州甲机械有限公司/JIA ER passport.png", "passport_scan"),
            ("Visiting the United States-苏州甲机械有限公司/E90000101 visa.pdf", "us_visa_scan"),
            ("赴美访问-太原乙环保有限公司/Annex1-confirmation.pdf", "registration_confirmation"),
            ("西安 丙 新能源 有限公司/丙二_护照首页.PDF", "passport_scan"),
        ]
    )
    reasons = {name: en for name, en, _ in report.unmatched}
    assert reasons == {
        "Visiting the United States-苏州甲机械有限公司/会议议程.docx": "the file name names no known document",
        "赴美访问-太原乙环保有限公司/乙二 护照.pdf": "not a PDF, JPEG or PNG file",
        "赴美访问-太原乙环保有限公司/王五 passport.pdf": "no participant of the unit is named in the file name",
        "赴美访问-不存在的公司/附件1.pdf": "the folder names no registered unit",
    }
    who = loaded.execute(
        "select p.name, d.kind from documents d join participants p using (participant_id) order by 1, 2"
    ).fetchall()
    assert who == [
        ("丙二", "passport_scan"),
        ("甲一", "passport_scan"),
        ("甲一", "us_visa_scan"),
        ("甲二", "passport_scan"),
    ]
    # Running the scan again adds nothing.
    before = loaded.execute("select count(*), max(audit_id) from documents, audit_log").fetchall()
    again = scan_folder(loaded, config, root, actor="cli", documents_dir=tmp_path / "docs")
    assert again.recorded == [] and len(again.already) == 6
    assert loaded.execute("select count(*), max(audit_id) from documents, audit_log").fetchall() == before


def test_ambiguous_names_are_not_guessed(con, config, tmp_path):
    form = write_xlsx(
        tmp_path / "f.xlsx",
        {"S": [["单位", "姓名", "是否申请邀请函"], ["某公司", "李明", "是"], ["某公司", "李明", "是"]]},
    )
    import_file(con, config, form)
    con.execute(
        "insert into participants (participant_id, unit_id, name, name_key, applies_via_chamber) "
        "select 99, unit_id, '李明', '李明', true from units"
    )
    folder = tmp_path / "mail" / "某公司"
    folder.mkdir(parents=True)
    (folder / "李明护照.pdf").write_bytes(PDF)
    report = scan_folder(con, config, tmp_path / "mail", actor="cli", documents_dir=tmp_path / "docs")
    assert report.unmatched == [
        ("某公司/李明护照.pdf", "the file name fits more than one participant", "文件名可对应多名参团人员")
    ]


def test_cli_scan(tmp_path):
    db = tmp_path / "d.duckdb"

    def env_run(*args):
        return run_cli(*args, "--db", str(db))

    assert env_run("import", str(fixture_form(tmp_path))).returncode == 0
    root = tmp_path / "mail"
    _mail_tree(root)
    done = env_run("documents", "scan", str(root))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "6 documents recorded, 0 already known, 4 files not matched."
    assert "not matched: 赴美访问-不存在的公司/附件1.pdf — the folder names no registered unit" in done.stdout
    again = env_run("documents", "scan", str(root))
    assert again.stdout.splitlines()[0] == "0 documents recorded, 6 already known, 4 files not matched."
    missing = env_run("documents", "scan", str(tmp_path / "nope"))
    assert missing.returncode == 1 and missing.stderr.strip().endswith("is not a folder.")
    assert (db.parent / "documents").is_dir()


def test_owner(loaded):
    unit = ids(loaded, "甲一")[0]
    set_owner(loaded, unit, "小王", "admin")
    set_owner(loaded, unit, "小王", "admin")  # no change, no audit row
    assert loaded.execute("select owner from units where unit_id = ?", [unit]).fetchall() == [("小王",)]
    assert loaded.execute("select count(*) from audit_log where details like '%小王%'").fetchall()[0][0] == 1


def test_withdrawing_and_restoring(loaded, config):
    from delegation.registrations import set_withdrawn

    unit = ids(loaded, "乙一")[0]
    assert set_withdrawn(loaded, table="units", key=unit, withdrawn=True, actor="staff")
    assert not set_withdrawn(loaded, table="units", key=unit, withdrawn=True, actor="staff")  # already
    figures = summary(loaded, config, AS_OF)
    assert (figures["units"], figures["participants"]) == (2, 7)
    assert figures["missing_documents"]["registration_confirmation"] == 2  # a withdrawn unit owes nothing
    assert set_withdrawn(loaded, table="units", key=unit, withdrawn=False, actor="staff")
    assert summary(loaded, config, AS_OF)["participants"] == 10
    assert (
        loaded.execute("select count(*) from audit_log where target = ?", [f"unit:{unit}"]).fetchall()[0][0]
        == 2
    )
