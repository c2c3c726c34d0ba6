"""What a scan's file name says it is (a document kind, and whose), and filing its bytes as that
document; the folder scan and the mailbox both file scans this way."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from delegation.config import EventConfig
from delegation.documents.states import attach, current_state
from delegation.errors import DelegationError
from delegation.i18n import said, text
from delegation.scans import sniff
from delegation.search import pinyin_key
from delegation.text import match_key, safe_name


@dataclass
class ScanReport:
    """What a folder scan recorded, what it already had, and what it could not place (with why)."""

    recorded: list[tuple[str, str]] = field(default_factory=list)  # (file, what it became)
    already: list[str] = field(default_factory=list)
    unmatched: list[tuple[str, str, str]] = field(default_factory=list)  # (file, reason en, reason zh)

    def summary(self, lang: str) -> str:
        return text(
            "scan.summary",
            lang,
            recorded=len(self.recorded),
            already=len(self.already),
            unmatched=len(self.unmatched),
        )


def _person_keys(name: str, pinyin_name: str | None, passport: str | None) -> set[str]:
    """What a file name may call a person by: the name, its pinyin, the form's pinyin, the passport number."""
    keys = {match_key(name), pinyin_key(name), match_key(pinyin_name)}
    if passport:
        keys.add(match_key(passport))
    return {k for k in keys if len(k) >= 2}


class Skipped(Exception):
    """A file of a scanned folder left out, with why (the sentence `key` of `i18n`, kept as `en`
    and `zh`), as the report's reasons read."""

    def __init__(self, key: str, **params: object) -> None:
        self.en, self.zh = said(key, **params)
        super().__init__(self.en)


def _reason(exc: DelegationError, name: str) -> tuple[str, str]:
    """A refusal's sentences as a report's reasons: without the file's name in front (the report
    names the file already) and without the full stop."""
    en = exc.en.removeprefix(f"{name}: ").removesuffix(".")
    zh = exc.zh.removeprefix(f"{name}：").removesuffix("。")
    return en, zh


def document_words(config: EventConfig) -> tuple[dict[str, list[str]], dict[str, str]]:
    """What a scan's file name is matched by: each document kind's keywords (match keys), and
    whether it is a unit's or a participant's."""
    keywords = {d.kind: [match_key(k) for k in d.keywords] for d in config.documents}
    return keywords, {d.kind: d.level for d in config.documents}


def unit_people(con: duckdb.DuckDBPyConnection, unit_id: int | None) -> list[tuple]:
    """Who a unit's scan may belong to: its participants not withdrawn (id, name, pinyin name,
    passport number); none for no unit."""
    if unit_id is None:
        return []
    return con.execute(
        "select participant_id, name, pinyin_name, passport_number from participants "
        "where unit_id = ? and status <> 'withdrawn'",
        [unit_id],
    ).fetchall()


def match_document(
    name: str, people: list[tuple], keywords: dict[str, list[str]], levels: dict[str, str]
) -> tuple[str, int | None]:
    """What a scan's file name says it is: (kind, participant id or None for a unit's document);
    `Skipped` says why it cannot be placed. `people`: the unit's (id, name, pinyin name, passport)."""
    key = match_key(Path(name).stem)
    kinds = [k for k, words in keywords.items() if any(w and w in key for w in words)]
    if not kinds:
        raise Skipped("scan.no_document")
    # A unit's own document wins when its keyword is there; otherwise a participant's.
    unit_kinds = [k for k in kinds if levels[k] == "unit"]
    kind = unit_kinds[0] if unit_kinds else kinds[0]
    if levels[kind] != "participant":
        return kind, None
    matches = []
    for pid, person, pinyin_name, passport in people:
        found = [k for k in _person_keys(person, pinyin_name, passport) if k in key]
        if found:
            matches.append((max(len(k) for k in found), pid))
    if not matches:
        raise Skipped("scan.no_participant")
    matches.sort(reverse=True)
    if len(matches) > 1 and matches[0][0] == matches[1][0]:
        raise Skipped("scan.two_participants")
    return kind, matches[0][1]


def file_scan(
    con,
    config,
    data: bytes,
    name: str,
    shown: str,
    *,
    unit_id: int,
    participant_id: int | None,
    kind: str,
    report: ScanReport,
    actor: str,
    source: str,
    documents_dir: Path,
) -> None:
    """Record a scan's bytes as a unit's or participant's document (`attach`), unless it is not a
    PDF, JPEG or PNG, or the same file (or a verified one) is there already; `report` says which."""
    try:
        sniff(data, name)
    except DelegationError:
        report.unmatched.append((shown, *said("scan.not_pdf")))
        return
    current = current_state(con, unit_id, participant_id, kind)
    if current and (current["sha256"] == hashlib.sha256(data).hexdigest() or current["status"] == "verified"):
        report.already.append(shown)
        return
    try:
        attach(
            con,
            config,
            unit_id=unit_id,
            participant_id=participant_id,
            kind=kind,
            data=data,
            original_name=name,
            actor=actor,
            source=source,
            folder=documents_dir,
        )
    except DelegationError as exc:  # not what its first bytes say, a bomb, or a worker's refusal
        report.unmatched.append((shown, *_reason(exc, safe_name(name))))
        return
    report.recorded.append((shown, kind))
