"""Reading the audit log (appended by `db.append_audit` only): what the admin's audit page lists and
exports, and whether its hash chain is intact (`verify_chain`)."""

from __future__ import annotations

import collections
import datetime as dt
import json
from dataclasses import dataclass

import duckdb
import pandas as pd

from delegation import db
from delegation.config import EventConfig
from delegation.fields import FIELD_LABELS
from delegation.filters import Filters
from delegation.i18n import TEXT, text, value_words
from delegation.named_queries import query_df, query_rows, query_text

AUDIT_LIMIT = 10_000
# How many of the latest rows' hashes verify_chain remembers, to tell rows inserted with forged
# hashes (a later row then follows an earlier one) from rows removed.
REMEMBERED_HASHES = 100_000


def chain_head(con: duckdb.DuckDBPyConnection) -> str:
    """The hash of the newest row of the audit log (64 zeros while it is empty): what a backup
    records, so that rows removed from the end since can be told."""
    return db.chain_head(con)[1]


@dataclass(frozen=True)
class Broken:
    """The first row of the audit log that is not as the desk wrote it.

    `what`: "changed" (its content or hash differs from what was written), "inserted" (not written
    by the desk: no hash of its own, or it follows an earlier row than the one before it), "removed"
    (the rows between `after` and `audit_id` are gone: `audit_id` no longer follows `after`),
    "missing" (the row that was the newest when a backup was made is gone or different: rows were
    removed from the end, or the log rewritten, since).
    `after`: the last intact row before it (None: none).
    """

    audit_id: int
    what: str
    after: int | None = None

    def message(self, lang: str) -> str:
        """One sentence naming the row, in `lang`."""
        if self.what != "removed":
            return text(f"audit.chain.{self.what}", lang).format(row=self.audit_id)
        first = (self.after or 0) + 1
        if self.audit_id - first == 1:  # one id between them: the row that is gone had it
            return text("audit.chain.removed", lang).format(row=first, next=self.audit_id)
        if self.after is None:
            return text("audit.chain.removed_first", lang).format(next=self.audit_id)
        return text("audit.chain.removed_between", lang).format(after=self.after, next=self.audit_id)


def chain_rows(con: duckdb.DuckDBPyConnection) -> int:
    """How many rows the audit log holds."""
    return int(con.execute("select count(*) from audit_log").fetchall()[0][0])


def chain_status(con: duckdb.DuckDBPyConnection, lang: str) -> tuple[bool, str]:
    """Whether the chain is intact, and the audit page's sentence for it (the CLI's words)."""
    broken = verify_chain(con)
    if broken is not None:
        return False, broken.message(lang)
    return True, text("audit.chain.intact", lang).format(rows=chain_rows(con))


def verify_chain(
    con: duckdb.DuckDBPyConnection, *, head: tuple[int | None, str] | None = None
) -> Broken | None:
    """Walk the log in audit_id order, recomputing each row's hash from its stored content and the
    row before it; the first row that does not match, or None when every row does. With `head`
    (a row's id and hash recorded earlier, as a backup does), that row must still be in the chain.

    Limits, said in docs/hardening.md: rows removed from the end leave an intact, shorter chain,
    and someone who recomputes every later hash can rewrite the log unnoticed by this walk alone;
    a head recorded before (`head`) tells both.
    """
    broken = _walk(con)
    if broken is None and head is not None and head[0] is not None:
        kept = con.execute(
            "select count(*) from audit_log where audit_id = ? and row_hash = ?", list(head)
        ).fetchall()[0][0]
        if not kept:
            return Broken(head[0], "missing")
    return broken


def _walk(con: duckdb.DuckDBPyConnection) -> Broken | None:
    """The first row that does not follow the row before it, or None."""
    expected, previous = db.GENESIS, None  # the hash the next row must follow, and its row
    seen: collections.OrderedDict[str, int] = collections.OrderedDict()  # a recent row's hash → the next id
    reader = con.cursor()  # a result read in batches holds its connection until it is finished
    try:
        result = reader.execute(query_text("audit_chain"))
        while batch := result.fetchmany(10_000):
            for audit_id, logged_at, actor, action, target, details, prev_hash, row_hash in batch:
                if row_hash is None:
                    return Broken(audit_id, "inserted", previous)
                recomputed = db.audit_row_hash(
                    prev_hash or "", audit_id, logged_at, actor, action, target, details
                )
                if recomputed != row_hash:
                    return Broken(audit_id, "changed", previous)
                if prev_hash != expected:
                    if prev_hash in seen:  # it follows an earlier row: those after that one were inserted
                        return Broken(seen[prev_hash], "inserted", None)
                    if previous is not None and audit_id - previous == 1:  # nothing between: rewritten
                        return Broken(previous, "changed", None)
                    return Broken(audit_id, "removed", previous)
                seen[expected] = audit_id
                if len(seen) > REMEMBERED_HASHES:
                    seen.popitem(last=False)
                expected, previous = row_hash, audit_id
    finally:
        reader.close()
    return None


def audit_choices(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """The actions and actors found in the audit log."""
    rows = query_rows(con, "audit_actions")
    return {kind: [v for k, v in rows if k == kind] for kind in ("action", "actor")}


def action_label(action: str, lang: str) -> str:
    """What an action stored in the log ('document.change') is called in `lang`; an action with no
    label (written by a later version) is shown as stored."""
    key = f"audit.action.{action}"
    return text(key, lang) if key in TEXT else action


def audit_entries(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    actions: tuple[str, ...],
    actor: str,
    since: dt.date,
    until: dt.date,
    lang: str,
) -> pd.DataFrame:
    """The audit log filtered, newest first (the latest AUDIT_LIMIT entries), in words in `lang`:
    each action by its name, its target as what it is (a person, a list), its details as a sentence."""
    entries = query_df(
        con, "audit_entries", actions=list(actions), actor=actor, since=since, until=until, limit=AUDIT_LIMIT
    ).drop(columns="audit_id")
    targets = _named_targets(con, list(entries["target"]), lang)
    entries["details"] = [
        details_in_words(a, json.loads(d) if isinstance(d, str) and d else {}, config, lang)
        for a, d in zip(entries["action"], entries["details"], strict=True)
    ]
    entries["target"] = [targets.get(t, t) if isinstance(t, str) else None for t in entries["target"]]
    entries["action"] = [action_label(a, lang) for a in entries["action"]]
    return entries


def _page_label(page: str, lang: str) -> str:
    key = {"import_forms": "page.import"}.get(page, f"page.{page}")
    return text(key, lang) if key in TEXT else page


def _list_label(kind: str, lang: str) -> str:
    key = f"list.{kind}"
    return text(key, lang) if key in TEXT else kind


def _named_targets(con: duckdb.DuckDBPyConnection, targets: list[str | None], lang: str) -> dict[str, str]:
    """What each target of the log ("participant:12", "list:quality") is, in words: the person,
    unit, document, batch, import, list, page or account it names."""
    distinct = {t for t in targets if isinstance(t, str) and t}
    ids: dict[str, list[int]] = {}
    for target in distinct:
        kind, _, key = target.partition(":")
        if key.isdigit():
            ids.setdefault(kind, []).append(int(key))
    label = "name_zh" if lang == "zh" else "name_en"
    looked_up = {
        "participant": "select p.participant_id, p.name, u.name from participants p join units u using (unit_id) "
        "where p.participant_id in (select unnest($ids::integer[]))",
        "unit": "select unit_id, name, null from units where unit_id in (select unnest($ids::integer[]))",
        "document": f"select d.document_id, k.{label}, coalesce(p.name, u.name) from documents d "
        "join units u using (unit_id) left join participants p using (participant_id) "
        "left join document_kinds k using (kind) where d.document_id in (select unnest($ids::integer[]))",
        "import": "select import_id, file_name, null from imports where import_id in (select unnest($ids::integer[]))",
    }
    found = {
        (kind, row[0]): row[1:]
        for kind, sql in looked_up.items()
        if ids.get(kind)
        for row in con.execute(sql, {"ids": ids[kind]}).fetchall()
    }
    names: dict[str, str] = {}
    for target in distinct:
        kind, _, key = target.partition(":")
        got = found.get((kind, int(key))) if key.isdigit() else None
        if got and kind in ("participant", "unit", "document", "import"):
            first, second = got
            said = text(f"audit.target.{kind}", lang).format(first=first, second=second, number=key)
        elif kind == "batch":
            said = text("batch.number", lang).format(batch=key)
        elif kind == "list":
            said = text("audit.target.list", lang).format(name=_list_label(key, lang))
        elif kind == "page":
            said = text("audit.target.page", lang).format(name=_page_label(key, lang))
        elif kind == "user":
            said = text("audit.target.user", lang).format(name=key)
        else:  # a record since removed, or a kind a later version writes
            said = target
        names[target] = said
    return names


def _changes(details: dict, config: EventConfig, lang: str) -> str:
    """Before → after of each changed field: "职务：工程师 → 总工程师"."""
    colon, sep = ("：", "；") if lang == "zh" else (": ", "; ")
    before, after = details.get("before") or {}, details.get("after") or {}
    parts = []
    for field in after:
        if field == "status":
            shown = [
                text(f"status.{v}", lang) if f"status.{v}" in TEXT else value_words(v, lang)
                for v in (before.get(field), after[field])
            ]
        else:
            shown = [value_words(v, lang, field, config) for v in (before.get(field), after[field])]
        name = FIELD_LABELS.get(field, (field, field))[0 if lang == "zh" else 1]
        name = text("column.owner", lang) if field == "owner" else name
        parts.append(f"{name}{colon}{shown[0]} → {shown[1]}")
    return sep.join(parts)


def details_in_words(action: str, details: dict, config: EventConfig, lang: str) -> str:
    """One entry's details as a reader says them (never the stored JSON or its keys)."""
    sep = "；" if lang == "zh" else "; "
    if action == "import":
        counts = ("file", "rows_read", "added", "updated", "unchanged", "skipped")
        return text("audit.details.import", lang).format(**{k: details.get(k, 0) for k in counts})
    if action == "export":
        fmt = {"xlsx": "Excel", "csv": "CSV", "zip": "ZIP"}.get(
            details.get("format"), str(details.get("format"))
        )
        said = [fmt]
        if "rows" in details:
            said.append(text("audit.details.rows", lang).format(rows=details["rows"]))
        if "filters" in details:
            filters = Filters.from_url(details["filters"], dt.date.today())
            said.append(text("audit.details.filters", lang).format(filters=filters.in_words(config, lang)))
            said.append(text("audit.details.as_of", lang).format(date=filters.as_of.isoformat()))
        if details.get("show_full"):
            said.append(text("audit.details.full", lang))
        return sep.join(said)
    if action == "document.change":
        before = details.get("before", {}).get("status", "missing")
        after = details.get("after", {})
        status = after.get("status", "missing")
        said = [f"{text(f'state.{before}', lang)} → {text(f'state.{status}', lang)}"]
        if after.get("reason"):
            said.append(text("audit.details.reason", lang).format(reason=after["reason"]))
        if after.get("file"):
            said.append(text("audit.details.file", lang).format(file=after["file"]))
        return sep.join(said)
    if action in ("document.view", "document.download", "backup"):
        return text("audit.details.file", lang).format(file=details.get("file", ""))
    if action == "batch.change":
        if "participants" in details:
            return text("audit.details.frozen", lang).format(count=details["participants"])
        was, now = details.get("before"), details.get("after")
        return f"{text(f'batch.status.{was}', lang)} → {text(f'batch.status.{now}', lang)}"
    if action == "unit.chased":
        return text("audit.details.chased", lang).format(items=details.get("items", 0))
    if action == "issue.settled":
        return text("audit.details.settled", lang).format(sheet=details.get("sheet"), row=details.get("row"))
    if action in ("login", "login.failed", "login.locked", "logout", "logout.idle"):
        role = details.get("role")
        said = [text("audit.details.role", lang).format(role=text(f"role.{role}", lang))] if role else []
        if "idle_minutes" in details:
            said.append(text("audit.details.idle", lang).format(minutes=details["idle_minutes"]))
        return sep.join(said)
    if action == "demo":
        return text("audit.details.demo", lang).format(
            **{k: details.get(k, 0) for k in ("participants", "units")}
        )
    if action == "purge":
        return text("audit.details.purge", lang).format(
            **{k: details.get(k, 0) for k in ("participants", "files")}
        )
    if action == "purge.backups":
        done = [b.get("done") for b in details.get("backups", [])]
        return text("audit.details.purge_backups", lang).format(
            rewritten=done.count("rewritten"), deleted=len(done) - done.count("rewritten")
        )
    if action == "keys.rotate":
        return text("audit.details.rotate", lang).format(
            key_id=details.get("key_id"),
            scans=details.get("scans", 0),
            backups=details.get("backups", 0),
            failed=len(details.get("failed", [])),
        )
    if "before" in details or "after" in details:
        return _changes(details, config, lang)
    colon = "：" if lang == "zh" else ": "
    return sep.join(f"{k}{colon}{value_words(v, lang)}" for k, v in details.items())
