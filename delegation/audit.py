"""Reading the audit log (appended by `db.append_audit` only): what the admin's audit page lists and exports."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd

from delegation.config import EventConfig
from delegation.db import query_df, query_rows
from delegation.filters import Filters
from delegation.i18n import TEXT, text, value_words
from delegation.ingest.rows import FIELD_LABELS

AUDIT_LIMIT = 10_000


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
    if action in ("login", "login.failed", "login.locked"):
        role = details.get("role")
        return text("audit.details.role", lang).format(role=text(f"role.{role}", lang)) if role else ""
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
