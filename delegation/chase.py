"""The chase list: per unit, everything missing or invalid, its lines in both languages, the
ready-to-send message asking for it, and when the unit was last chased."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from delegation.config import EventConfig
from delegation.db import append_audit, transaction
from delegation.filters import Filters
from delegation.i18n import text
from delegation.named_queries import query_rows
from delegation.paging import page_count
from delegation.search import pinyin_for


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
    """Every unit with anything missing or invalid (`chase_page` of all of them on one page)."""
    entries, _ = chase_page(
        con, config, filters, 1, 0, owner=owner, not_chased_days=not_chased_days, today=today
    )
    return entries


# Units the chase page shows at a time: each is a box of a dozen elements (contact, items, two
# messages, buttons), and fifty boxes took the browser about a second to draw after every click.
CHASE_PAGE_UNITS = 20


def chase_page(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    filters: Filters,
    page: int,
    page_units: int = CHASE_PAGE_UNITS,
    *,
    owner: str = "",
    not_chased_days: int = 0,
    today: dt.date | None = None,
) -> tuple[list[dict], dict[str, int]]:
    """Page `page` of the chase list (`page_units` units a page, in pinyin order of their names; 0:
    all on one page; a page past the end is the last one): one entry per unit with anything missing
    or invalid — contact, last chase, the items, and their lines in zh and en (one cached list for
    both languages) — and what the page shows: units in all, first and last unit (counted from 1),
    page and pages. DuckDB finds the units and cuts the page, so only its items are read here.
    `not_chased_days`: only units not chased in that many days before `today` (0: every unit).
    Messages are made for the units a page shows only (`chase_message`)."""
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
        page=page,
        page_units=page_units,
        **filters.params(),
    )
    units: dict[int, dict] = {}
    total, shown_page = rows[0][-2:] if rows else (0, 1)  # the same on every row
    for (unit_id, unit_name, unit_owner, contact, mobile, email, chased_at, chased_by,
         pid, person, pinyin, item, detail, reason, _, _) in rows:  # fmt: skip
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
        entry["lines"] = {lg: [item_line(config, lg, i) for i in entry["items"]] for lg in ("zh", "en")}
    entries = list(units.values())
    first = (shown_page - 1) * page_units if page_units else 0
    return entries, {
        "units": total,
        "first": first + 1,
        "last": first + len(entries),
        "page": shown_page,
        "pages": page_count(total, page_units) if page_units else 1,
    }


def chase_lines(entry: dict, lang: str) -> list[str]:
    """One `chase_list` entry's items as the lines its box on the page shows: who · what is
    missing. Plain lines, not a table each: fifty data grids a page cost the page most of its run
    and the browser most of its drawing."""
    return [
        f"{i.person or text('documents.unit_itself', lang)} · {line}"
        for i, line in zip(entry["items"], entry["lines"][lang], strict=True)
    ]


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
