"""The labels' table: sentences by key with named parameters, said the same way in both languages."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from delegation import sandbox
from delegation.errors import DelegationError
from delegation.grid import refuse
from delegation.i18n import TEXT, Words, _merged, text
from delegation.imap import Account, failure

ROOT = Path(__file__).resolve().parents[1]


def test_a_sentence_by_key_fills_its_parameters_in_each_language():
    error = DelegationError("error.batch.count_changed", ready=3, expected=5)
    assert error.message("en") == (
        "3 applicants are ready now, not the 5 you confirmed; nothing was frozen. Check the lists and confirm again."
    )
    assert error.message("zh") == "当前可申请 3 人，与您确认的 5 人不符，未冻结；请核对名单后重新确认。"
    assert str(error) == error.en


def test_a_list_is_joined_and_a_words_part_is_said_in_the_sentences_language():
    where = Words("error.mail.where", {"kind": "smtp", "kind_upper": "SMTP"})
    error = DelegationError("error.mail.not_set", kind="SMTP", missing=["host", "password"], where=where)
    assert error.en == (
        "The SMTP account is not set: host, password missing in [mail.smtp] in .streamlit/secrets.toml "
        "(or DELEGATION_SMTP_*)."
    )
    assert (
        error.zh
        == "未设置 SMTP 账户：.streamlit/secrets.toml 的 [mail.smtp]（或 DELEGATION_SMTP_*） 中缺少 host、password。"
    )


def test_a_readers_refusal_names_the_file_in_both_languages():
    error = refuse("表.xlsx", "error.scan.empty", name="x")
    assert error.en == "表.xlsx: x: the file is empty."
    assert error.zh == "表.xlsx：x：文件是空的。"


def test_a_server_failure_is_one_sentence_naming_the_server_and_never_its_words():
    account = Account("imap", "127.0.0.1", 993, "ssl", "u", "secret-pw", "INBOX", None, "u")
    error = failure(account, TimeoutError("server said secret-pw"))
    assert (
        error.en
        == "The mailbox could not be read: 127.0.0.1:993 did not answer in time; it is tried again later."
    )
    assert error.zh == "邮箱读取失败：127.0.0.1:993 未及时响应；稍后将自动重试。"


def test_a_key_defined_twice_is_refused():
    with pytest.raises(ValueError, match="defined twice"):
        _merged({"a.b": ("甲", "a")}, {"a.b": ("乙", "b")})


def test_text_without_parameters_leaves_braces_alone():
    key = next(k for k, (zh, en) in TEXT.items() if "{" in en)
    assert text(key, "en") == TEXT[key][1]


def test_every_sentence_key_raised_in_code_exists():
    pattern = re.compile(
        r"""\b(?:DelegationError|Words)\(\s*f?["']([a-z_]+\.[\w.]+)["']|\brefuse\(\s*\w+,\s*["']([a-z_]+\.[\w.]+)["']"""
    )
    used = set()
    for path in ROOT.joinpath("delegation").rglob("*.py"):
        for found in pattern.findall(path.read_text(encoding="utf-8")):
            used |= {k for k in found if k}
    assert len(used) >= 20, "too few sentence keys found: the pattern is wrong"
    assert sorted(k for k in used if k not in TEXT and not k.endswith(".")) == []


def test_a_part_already_said_in_both_languages_takes_each_languages_own():
    from delegation.i18n import Both

    error = DelegationError("error.file_named", name="表.xlsx", said=Both("row 3 is empty", "第 3 行为空"))
    assert (error.en, error.zh) == ("表.xlsx: row 3 is empty", "表.xlsx：第 3 行为空")


def _sentence_calls(path: Path) -> list[ast.Call]:
    """The `DelegationError(...)` and `refuse(...)` calls in one module."""
    calls = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Call):
            called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if called in ("DelegationError", "refuse"):
                calls.append(node)
    return calls


def test_no_sentence_is_given_as_two_languages_instead_of_a_key():
    # `DelegationError(key, **params)` and `refuse(name, key, **params)`: a further positional
    # argument (or a starred one, which may hold two) is a sentence in English and Chinese.
    modules = [
        *ROOT.joinpath("delegation").rglob("*.py"),
        *ROOT.joinpath("pages").glob("*.py"),
        ROOT / "app.py",
    ]
    found, old = 0, []
    for path in modules:
        for call in _sentence_calls(path):
            found += 1
            keyed = 1 if getattr(call.func, "id", getattr(call.func, "attr", "")) == "DelegationError" else 2
            if len(call.args) > keyed or any(isinstance(a, ast.Starred) for a in call.args):
                old.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert found >= 100, "too few DelegationError and refuse calls found: the walk is wrong"
    assert old == []


def test_the_walk_sees_a_sentence_given_in_two_languages(tmp_path):
    module = tmp_path / "old.py"
    module.write_text(
        'raise DelegationError("It is empty.", "是空的。")\nraise refuse(name, "empty.", "空。")\n'
        'raise DelegationError(*said)\nraise refuse(name, "forms.empty")\n',
        encoding="utf-8",
    )
    assert [len(c.args) for c in _sentence_calls(module)] == [2, 3, 1, 2]


def test_a_form_readers_refusal_says_its_sentence_in_both_languages(tmp_path, config):
    from delegation.sheets import read_sheets

    empty = tmp_path / "名单.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(DelegationError) as caught:
        read_sheets(empty, config)
    assert caught.value.en == "名单.xlsx: the file is empty."
    assert caught.value.zh == "名单.xlsx：文件是空的。"
    # From a worker (`sandbox`) the refusal crosses as its two sentences, word for word.
    try:
        with pytest.raises(DelegationError) as crossed:
            sandbox.run("check_form", empty, config, limits=sandbox.Limits.of(config), name=empty.name)
    finally:
        sandbox.stop_all()
    assert (crossed.value.en, crossed.value.zh) == (caught.value.en, caught.value.zh)


def test_a_refusal_naming_a_kind_of_file_and_what_to_do_says_each_in_the_sentences_language(tmp_path, config):
    from delegation.sheets import form_kind

    with pytest.raises(DelegationError) as caught:
        form_kind("旧表.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    assert caught.value.en == (
        "旧表.doc: this is an old Word (.doc) or WPS file; save it as .docx or .xlsx and send it again."
    )
    assert (
        caught.value.zh
        == "旧表.doc：这是旧版 Word（.doc）或 WPS 文件；请另存为 .docx 或 .xlsx 格式后重新发送。"
    )
    with pytest.raises(DelegationError) as caught:
        form_kind("名单.docx", b"\x00" * 16)
    assert caught.value.en == "名单.docx: the file is damaged and cannot be opened as a Word document."
    assert caught.value.zh == "名单.docx：文件已损坏，无法作为Word 文档打开。"


def test_the_purge_report_says_the_same_words_in_each_language():
    import datetime as dt

    from delegation.retention import PurgeReport

    before = PurgeReport(dt.date(2023, 7, 1), 3, 2, applied=False, found=4)
    assert before.summary("zh") == "将清除 3 名参团人员的护照、签证、出生日期、手机和邮箱，以及 2 个扫描件。"
    assert (
        before.summary("en")
        == "Would clear passport, visa, birth-date, mobile and e-mail data of 3 participants and 2 scan files."
    )
    assert before.backup_lines("zh") == ["另有 4 个备份将改写为不含这些信息的版本。"]
    assert before.backup_lines("en") == ["4 backups would be rewritten without them."]
    done = PurgeReport(
        dt.date(2023, 7, 1),
        3,
        2,
        applied=True,
        backups=(("b.duckdb.enc", "rewritten"), ("c.enc", "snapshot")),
    )
    assert done.summary("zh").startswith("已清除 3 名") and done.summary("en").startswith("Cleared passport")
    assert done.backup_lines("zh") == [
        "  b.duckdb.enc: 已改写，不再含被清除的信息",
        "  c.enc: 已删除（清除前快照只在清除进行时需要；不设撤销期）",
    ]
    assert done.backup_lines("en")[0] == "  b.duckdb.enc: rewritten without the purged data"
