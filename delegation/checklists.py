"""What the documents, chase and batch pages show, as small frames and texts in the chosen language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from delegation import batches
from delegation.config import EventConfig
from delegation.dashboard import as_date, page_count
from delegation.db import append_audit, query_df, query_rows, transaction
from delegation.filters import Filters
from delegation.i18n import text
from delegation.search import pinyin_for


def missing_by_kind(con: duckdb.DuckDBPyConnection, filters: Filters, lang: str) -> pd.DataFrame:
    """Required and missing documents per kind: kind, label, required, missing."""
    df = query_df(con, "missing_documents_by_kind", **filters.params())
    return pd.DataFrame(
        {
            "kind": df["kind"],
            "label": df["name_zh" if lang == "zh" else "name_en"],
            "required": df["required"],
            "missing": df["missing"],
        }
    )


def missing_by_province(con: duckdb.DuckDBPyConnection, filters: Filters, lang: str) -> pd.DataFrame:
    """Missing documents per province, in the bar chart's shape (key, label, participants = missing)."""
    df = query_df(con, "missing_documents_by_province", **filters.params())
    return pd.DataFrame(
        {
            "key": df["province"],
            "label": df["name_zh" if lang == "zh" else "name_en"],
            "participants": df["missing"],
        }
    )


def missing_by_unit(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    filters: Filters,
    lang: str,
    *,
    owner: str = "",
    only_missing: bool = True,
) -> pd.DataFrame:
    """A unit × kind grid of missing documents, units with most missing first."""
    df = query_df(con, "missing_documents_by_unit", owner=owner, **filters.params())
    kinds = [d.kind for d in config.documents]
    # Pivoted by pandas, not row by row in Python (64 000 rows at 100 000 participants: 0.35 s);
    # the units keep the query's order (most missing first, then by name in pinyin).
    units = df.drop_duplicates("unit_id")[["unit_id", "unit_name", "owner", "unit_missing"]]
    counts = df.pivot(index="unit_id", columns="kind", values="missing").reindex(columns=kinds)
    grid = units.rename(columns={"unit_missing": "missing"}).join(counts, on="unit_id")
    grid[kinds] = grid[kinds].fillna(0).astype("int64")
    grid = grid.astype({"unit_id": "int64", "missing": "int64"})
    if only_missing:
        grid = grid[grid["missing"] > 0]
    return grid.rename(columns={k: config.document(k).label(lang) for k in kinds}).reset_index(drop=True)


def completion(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Documents received by day (cumulative) and the number required."""
    df = query_df(con, "documents_received_by_day", **filters.params())
    return pd.DataFrame(
        {
            "day": [as_date(d) for d in df["day"]],
            "received": df["received_cumulative"],
            "required": df["required"],
        }
    )


def passport_validity(con: duckdb.DuckDBPyConnection, config: EventConfig, filters: Filters) -> pd.DataFrame:
    """Applicants whose passport expires before the required date, or whose expiry is unknown, with days short."""
    df = query_df(
        con,
        "quality_passport_expiring",
        passport_valid_through=config.passport_valid_through,
        **filters.params(),
    ).drop(columns="participant_id")
    df["passport_expiry"] = [as_date(d) for d in df["passport_expiry"]]
    return df


def owners(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The secretariat members units are assigned to."""
    return [
        r[0]
        for r in con.execute(
            "select distinct owner from units where owner is not null order by owner collate zh"
        ).fetchall()
    ]


def unit_checklist(
    con: duckdb.DuckDBPyConnection, config: EventConfig, unit_id: int, as_of: dt.date, lang: str
) -> pd.DataFrame:
    """Every document a unit and its people owe, with state, reason, arrival and file name."""
    df = query_df(con, "unit_checklist", as_of=as_of, unit_id=unit_id)
    return pd.DataFrame(
        {
            "participant_id": df["participant_id"],
            "kind": df["kind"],
            "participant_name": [
                text("documents.unit_itself", lang) if pd.isna(p) else n
                for p, n in zip(df["participant_id"], df["participant_name"], strict=True)
            ],
            "item": [config.document(k).label(lang) for k in df["kind"]],
            "status": [text(f"state.{s}", lang) for s in df["status"]],
            "reason": df["reason"],
            "received_at": df["received_at"],
            "original_name": df["original_name"],
            "document_id": df["document_id"].astype("Int64"),  # its scan, when one is stored
        }
    )


def checklist_scan(checklist: pd.DataFrame, position: int) -> int | None:
    """The document whose scan row `position` of `unit_checklist` opens, or None: nothing stored
    (not received yet, or marked on paper)."""
    row = checklist.iloc[position]
    return None if pd.isna(row["document_id"]) or pd.isna(row["original_name"]) else int(row["document_id"])


def checklist_target(checklist: pd.DataFrame, unit_id: int, position: int) -> dict[str, object]:
    """The document that row `position` of `unit_checklist` stands for: unit, participant (None for the
    unit's own documents) and kind — the keyword arguments of documents.set_state and attach."""
    row = checklist.iloc[position]
    person = row["participant_id"]
    return {
        "unit_id": int(unit_id),
        "participant_id": None if pd.isna(person) else int(person),
        "kind": str(row["kind"]),
    }


@dataclass(frozen=True)
class ChaseItem:
    """One thing a unit owes: a document kind, `passport_expiry` (the passport fails the rule, or its
    expiry is unknown), `passport_number` or `annex2_fields` (`detail`: the fields, comma-separated);
    of the unit itself (`person` None) or of one of its people."""

    participant_id: int | None
    person: str | None
    pinyin: str | None  # the form's pinyin name, if it gave one
    item: str
    detail: str | None
    reason: str | None

    @property
    def due(self) -> str:
        """What the item is needed for: "documents" (the invitation batch) or "roster" (departure)."""
        return "roster" if self.item == "annex2_fields" else "documents"


def chase_list(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    filters: Filters,
    *,
    owner: str = "",
    not_chased_days: int = 0,
    today: dt.date | None = None,
) -> list[dict]:
    """One entry per unit with anything missing or invalid: contact, last chase, the items, and
    their lines in zh and en (one cached list for both languages). `not_chased_days`: only units
    not chased in that many days before `today` (0: every unit). Messages are made for the units
    a page shows only (`chase_message`)."""
    since = None
    if not_chased_days > 0:
        since = dt.datetime.combine(
            (today or dt.date.today()) - dt.timedelta(days=not_chased_days - 1), dt.time()
        )
    rows = query_rows(
        con,
        "chase_items",
        passport_valid_through=config.passport_valid_through,
        owner=owner,
        not_chased_since=since,
        **filters.params(),
    )
    units: dict[int, dict] = {}
    for (unit_id, unit_name, unit_owner, contact, mobile, email, chased_at, chased_by,
         pid, person, pinyin, item, detail, reason) in rows:  # fmt: skip
        entry = units.setdefault(
            unit_id,
            {
                "unit_id": unit_id,
                "unit_name": unit_name,
                "owner": unit_owner,
                "contact_name": contact,
                "contact_mobile": mobile,
                "contact_email": email,
                "last_chased_at": chased_at,
                "last_chased_by": chased_by,
                "items": [],
            },
        )
        entry["items"].append(ChaseItem(pid, person, pinyin, item, detail, reason))
    for entry in units.values():
        # A passport that fails the rule is renewed: its scan is not asked for, the new one is.
        renewing = {
            i.participant_id for i in entry["items"] if i.item == "passport_expiry" and i.detail != "unknown"
        }
        entry["items"] = [
            i for i in entry["items"] if not (i.item == "passport_scan" and i.participant_id in renewing)
        ]
        entry["lines"] = {lg: [item_line(config, lg, i) for i in entry["items"]] for lg in ("zh", "en")}
    return list(units.values())


CHASE_PAGE_UNITS = 50  # units the chase page shows at a time


def chase_page(entries: list[dict], page: int) -> tuple[list[dict], dict[str, int]]:
    """Page `page` of the chase list (the last one if there are fewer pages), and what it shows:
    first and last unit (counted from 1), page and pages."""
    pages = page_count(len(entries), CHASE_PAGE_UNITS)
    page = min(max(page, 1), pages)
    first = (page - 1) * CHASE_PAGE_UNITS
    shown = entries[first : first + CHASE_PAGE_UNITS]
    return shown, {"first": first + 1, "last": first + len(shown), "page": page, "pages": pages}


def chase_table(entry: dict, lang: str) -> pd.DataFrame:
    """One `chase_list` entry's items as its table: who, and what is missing. Made for the units a
    page shows only: a data frame for each of the 15 000 units to chase at 100 000 participants
    took 5 s."""
    return pd.DataFrame(
        {
            "participant_name": [i.person or text("documents.unit_itself", lang) for i in entry["items"]],
            "item": entry["lines"][lang],
        }
    )


def item_line(config: EventConfig, lang: str, item: ChaseItem) -> str:
    """What one item asks for, in `lang` (a line of the chase table and of the message)."""
    if item.item == "passport_expiry":
        if item.detail == "unknown":
            return text("chase.item.passport_expiry_unknown", lang)
        return text("chase.item.passport_renew", lang).format(date=config.passport_valid_through.isoformat())
    if item.item == "passport_number":
        return text("chase.item.passport_number", lang)
    if item.item == "annex2_fields":
        fields = [text(f"column.{f}", lang) for f in (item.detail or "").split(",") if f]
        return text("chase.item.annex2_fields", lang).format(
            fields="、".join(fields) if lang == "zh" else ", ".join(fields)
        )
    what = config.document(item.item).label(lang)
    if item.detail == "rejected" and item.reason:
        return text("chase.item.rejected", lang).format(what=what, reason=item.reason)
    return text("documents.missing_kind", lang).format(what=what)


def person_named(item: ChaseItem, lang: str) -> str:
    """Who an item is about, as a message names them: 贵单位 / Your unit, or the person."""
    if item.person is None:
        return text("chase.your_unit", lang)
    return named(item.person, item.pinyin, lang)


def named(name: str, pinyin: str | None, lang: str) -> str:
    """A person as a message names them: in English with their pinyin (`pinyin`, the form's, else
    made from the Chinese) beside the Chinese name — "甲一 (JIA Yi)"; in Chinese, as written."""
    if lang == "zh":
        return name
    given = pinyin.strip() if isinstance(pinyin, str) else ""
    said = given or pinyin_for(name)
    return f"{name} ({said})" if said and said != name else name


def chase_message(config: EventConfig, entry: dict, lang: str, as_of: dt.date) -> str:
    """A ready-to-send e-mail asking the unit for what is missing: grouped by the deadline each
    item has (the next milestone still ahead on `as_of` for documents, and for the rest of
    Annex 2; "as soon as possible" once they have passed), where to send it and its subject."""
    subject = config.email_subject(entry["unit_name"], lang)
    colon = "：" if lang == "zh" else ": "
    groups: dict[str, list[str]] = {}
    for item, line in zip(entry["items"], entry["lines"][lang], strict=True):
        groups.setdefault(item.due, []).append(f"- {person_named(item, lang)}{colon}{line}")
    due = {what: config.due_milestone(what, as_of) for what in groups}
    if len(groups) == 2 and due["documents"] == due["roster"]:  # one deadline: one list
        groups = {"both": groups["documents"] + groups["roster"]}
        due = {"both": due["documents"]}
    body: list[str] = []
    for what, lines in groups.items():
        milestone = due[what]
        if milestone is None:
            body.append(text(f"chase.group.{what}_asap", lang))
        else:
            body.append(
                text(f"chase.group.{what}", lang).format(
                    date=milestone.date.isoformat(), milestone=milestone.label(lang)
                )
            )
        body += [*lines, ""]
    contact = entry["contact_name"]
    greeting = (  # the contact by pinyin too in English, as the people are
        text("chase.greeting_named", lang).format(name=named(contact, None, lang))
        if contact
        else text("chase.greeting", lang)
    )
    return "\n".join(
        [
            text("chase.subject", lang).format(subject=subject),
            "",
            greeting,
            "",
            text("chase.intro", lang).format(event=config.name(lang)),
            "",
            *body,
            text("chase.send_to", lang).format(address=config.secretariat_email, subject=subject),
            "",
            text("chase.signature", lang).format(
                organiser=config.organiser_zh if lang == "zh" else config.organiser_en
            ),
        ]
    )


def last_chased(entry: dict, lang: str, today: dt.date | None = None) -> str:
    """When and by whom the unit was last chased, in words: 3 天前（小李） / 3 days ago by Li."""
    at = entry["last_chased_at"]
    if at is None or pd.isna(at):
        return text("chase.never", lang)
    days = ((today or dt.date.today()) - pd.Timestamp(at).date()).days
    if days <= 0:
        when = text("chase.today", lang)
    elif days == 1:
        when = text("chase.yesterday", lang)
    else:
        when = text("chase.days_ago", lang).format(days=days)
    return text("chase.last", lang).format(when=when, who=entry["last_chased_by"])


def mark_chased(
    con: duckdb.DuckDBPyConnection,
    unit_id: int,
    items: int,
    actor: str,
    channel: str = "marked",
    now: dt.datetime | None = None,
) -> None:
    """Record that a unit was sent its chase message (by hand: "marked"), with the audit row."""
    now = now or dt.datetime.now().replace(microsecond=0)
    with transaction(con):
        con.execute("insert into chases values (?, ?, ?, ?, ?)", [unit_id, now, actor, channel, items])
        append_audit(
            con, actor, "unit.chased", f"unit:{unit_id}", {"channel": channel, "items": items}, at=now
        )


REASON_COLUMNS = ("missing_kinds", "passport_problem")  # what batches.blocked_reasons reads


def batch_view(
    con: duckdb.DuckDBPyConnection, config: EventConfig, filters: Filters, lang: str
) -> dict[str, pd.DataFrame]:
    """Applicants as they stood on the as-of day, for the filters: ready, blocked (with the reasons)
    and already in a batch (with its number); and the batches so far."""
    df = batches.candidates(con, config, filters)
    in_batch = df["batch_id"].notna().to_numpy()
    ready_rows = df["ready"].to_numpy(dtype=bool)
    blocked_rows = ~ready_rows & ~in_batch
    view = pd.DataFrame(
        {
            "unit_name": df["unit_name"],
            "name": df["name"],
            "passport_expiry": [as_date(d) for d in df["passport_expiry"]],
        }
    )
    ready = view[ready_rows].reset_index(drop=True)
    blocked = view[blocked_rows].reset_index(drop=True)
    batched = view[in_batch].reset_index(drop=True)
    batched["batch_id"] = [text("batch.number", lang).format(batch=int(b)) for b in df["batch_id"][in_batch]]
    # Worded once per combination of reasons (a handful), not per applicant: pandas' row by row
    # took 2 s for the 72 000 applicants of the 100 000-participant demo.
    said: dict[tuple, str] = {}
    reasons = []
    for kinds, problem in zip(*(df[c][blocked_rows] for c in REASON_COLUMNS), strict=True):
        key = (tuple(kinds), problem if isinstance(problem, str) else None)
        if key not in said:
            said[key] = batches.blocked_reasons(dict(zip(REASON_COLUMNS, key, strict=True)), config, lang)
        reasons.append(said[key])
    blocked["reasons"] = reasons
    listed = query_df(con, "batches_list")
    listed["next_status"] = [
        batches.BATCH_STATES[batches.BATCH_STATES.index(s) + 1] if s != batches.BATCH_STATES[-1] else None
        for s in listed["status"]
    ]
    listed["status"] = [text(f"batch.status.{s}", lang) for s in listed["status"]]
    return {"ready": ready, "blocked": blocked, "in_batch": batched, "batches": listed}
