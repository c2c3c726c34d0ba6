"""Load and check `data/event.toml`: every event-specific fact lives there, not in code."""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from delegation import ROOT
from delegation.config_reader import Reader, online_form_address
from delegation.errors import DelegationError

DEFAULT_CONFIG = ROOT / "data" / "event.toml"
DEFAULT_DB = ROOT / "data" / "delegation.duckdb"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Labels of the milestones every event has; further ones carry their own labels in event.toml.
BUILTIN_MILESTONES = {
    "registration": ("报名截止", "Registration deadline"),
    "invitation_batch": ("邀请函批量申请", "Invitation-letter batch"),
    "departure": ("出发", "Departure"),
    "forum": ("论坛", "Forum"),
    "return": ("返程", "Return"),
}


@dataclass(frozen=True)
class Choice:
    """One entry of a configured list: a theme, a visit city or a sector."""

    key: str
    zh: str
    en: str
    synonyms: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        """The label in `lang`."""
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Milestone:
    """A dated point the secretariat counts down to."""

    key: str
    zh: str
    en: str
    date: dt.date

    def label(self, lang: str) -> str:
        """The label in `lang`."""
        return self.zh if lang == "zh" else self.en


DOCUMENT_CONDITIONS = ("applies_via_chamber", "holds_us_visa", "wants_arrangements")


@dataclass(frozen=True)
class DocumentRule:
    """A document the notice asks for: of a unit or of a participant, required when `when` all hold."""

    kind: str
    level: str  # unit | participant
    zh: str
    en: str
    when: tuple[str, ...]
    keywords: tuple[str, ...]

    def label(self, lang: str) -> str:
        """The label in `lang`."""
        return self.zh if lang == "zh" else self.en


SECURITY_DEFAULTS = {
    "worker_memory_mb": 1024,
    "worker_cpu_seconds": 60,
    "max_rows": 200_000,
    "max_columns": 300,
    "max_shared_string_chars": 20_000_000,
    "max_image_megapixels": 80,
    "idle_minutes": 30,
}


@dataclass(frozen=True)
class EventConfig:
    """The checked contents of event.toml."""

    key: str
    name_zh: str
    name_en: str
    organiser_zh: str
    organiser_en: str
    registration_deadline: dt.date
    invitation_batch_deadline: dt.date
    passport_valid_through: dt.date
    travel_start: dt.date
    travel_end: dt.date
    forum_name_zh: str
    forum_name_en: str
    forum_date: dt.date
    forum_city: str
    subject_zh: str
    subject_en: str
    secretariat_email: str  # where units send their materials (the notice leaves it blank)
    themes: tuple[Choice, ...]
    cities: tuple[Choice, ...]
    sectors: tuple[Choice, ...]
    extra_milestones: tuple[Milestone, ...] = ()
    documents: tuple[DocumentRule, ...] = ()
    # The milestones a chase message may name as the deadline, per kind of item ([chase]).
    documents_due: tuple[str, ...] = ("registration", "invitation_batch")
    roster_due: tuple[str, ...] = ("registration", "departure")
    max_import_file_mb: int = 20
    max_mail_file_mb: int = 20  # a saved message (or mbox) uploaded on the Import page
    max_document_mb: int = 10
    header_search_rows: int = 30
    # [security]: limits on reading files from outside, and sessions (see docs/hardening.md).
    worker_memory_mb: int = 1024  # a reader worker's address space
    worker_cpu_seconds: int = 60  # a reader worker's CPU time per file
    max_rows: int = 200_000  # a form's rows × columns, checked before any parse
    max_columns: int = 300
    max_shared_string_chars: int = 20_000_000  # all of a workbook's shared strings together
    max_image_megapixels: int = 80  # a scan's pixels; more is refused as a decompression bomb
    idle_minutes: int = 30  # a staff or admin session ends after this long without a click
    refresh_seconds: int = 30
    top_provinces: int = 10
    online_form_address: str = ""  # the event's online form (问卷星), for each unit's own link
    # [mail]: the registration mailbox (its account and password are in secrets, never here).
    mail_poll_seconds: int = 120  # how often the app reads the mailbox
    mail_max_per_minute: int = 20  # messages the desk sends at most in a minute
    mail_mark_seen: bool = False  # mark the messages read on the server once imported
    source: Path = field(default=DEFAULT_CONFIG)

    def name(self, lang: str) -> str:
        """The event's name in `lang`."""
        return self.name_zh if lang == "zh" else self.name_en

    def milestones(self) -> list[Milestone]:
        """Every milestone, built-in and configured, in date order."""
        dates = {
            "registration": self.registration_deadline,
            "invitation_batch": self.invitation_batch_deadline,
            "departure": self.travel_start,
            "forum": self.forum_date,
            "return": self.travel_end,
        }
        builtin = [Milestone(k, *BUILTIN_MILESTONES[k], dates[k]) for k in BUILTIN_MILESTONES]
        return sorted([*builtin, *self.extra_milestones], key=lambda m: (m.date, m.key))

    @property
    def max_import_bytes(self) -> int:
        """The largest form file an import reads."""
        return self.max_import_file_mb * 1024 * 1024

    def document(self, kind: str) -> DocumentRule:
        """The rule for one document kind."""
        return next(d for d in self.documents if d.kind == kind)

    def due_milestone(self, what: str, as_of: dt.date) -> Milestone | None:
        """The first milestone of `what` ("documents" or "roster") on or after `as_of`: the deadline
        a chase message names; None once every one has passed."""
        keys = self.documents_due if what == "documents" else self.roster_due
        ahead = [m for m in self.milestones() if m.key in keys and m.date >= as_of]
        return ahead[0] if ahead else None

    def email_subject(self, unit: str, lang: str) -> str:
        """The e-mail subject the notice asks units to use."""
        return (self.subject_zh if lang == "zh" else self.subject_en).replace("{unit}", unit)


def load_config(path: Path | str | None = None) -> EventConfig:
    """Read and check the event configuration (DELEGATION_CONFIG, else data/event.toml)."""
    source = Path(path or os.environ.get("DELEGATION_CONFIG") or DEFAULT_CONFIG)
    try:
        tree = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DelegationError("error.config.missing", source=source) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DelegationError("error.config.not_toml", file=source.name, reason=exc) from None
    r = Reader(source)
    event = r.table(tree, "event", "event")
    travel = r.table(event, "travel", "event.travel")
    forum = r.table(event, "forum", "event.forum")
    email = r.table(event, "email", "event.email")
    limits = tree.get("limits", {})
    security = tree.get("security", {})
    if not isinstance(limits, dict):
        raise r.fail("limits", "not_table")
    dashboard = tree.get("dashboard", {})
    if not isinstance(dashboard, dict):
        raise r.fail("dashboard", "not_table")
    mail = tree.get("mail", {})
    if not isinstance(mail, dict):
        raise r.fail("mail", "not_table")

    cities = tuple(Choice(*c) for c in r.choices(tree, "cities"))
    forum_city = r.slug(forum, "city", "event.forum.city")
    if forum_city not in {c.key for c in cities}:
        raise r.fail("event.forum.city", "not_city")
    sectors = tuple(Choice(*c) for c in r.choices(tree, "sectors"))
    if "other" not in {s.key for s in sectors}:
        raise r.fail("sectors", "no_other_sector")
    for name in ("subject_zh", "subject_en"):
        if "{unit}" not in r.text(email, name, f"event.email.{name}"):
            raise r.fail(f"event.email.{name}", "no_unit_placeholder")
    address = r.text(email, "address", "event.email.address")
    if not _EMAIL.match(address):
        raise r.fail("event.email.address", "not_email")

    milestones = []
    raw_milestones = tree.get("milestones", [])
    if not isinstance(raw_milestones, list):
        raise r.fail("milestones", "not_tables")
    for i, item in enumerate(raw_milestones):
        path = f"milestones[{i}]"
        if not isinstance(item, dict):
            raise r.fail(path, "not_table")
        key = r.slug(item, "key", f"{path}.key")
        if key in BUILTIN_MILESTONES or key in {m.key for m in milestones}:
            raise r.fail(f"{path}.key", "repeats", value=key)
        milestones.append(
            Milestone(
                key,
                r.text(item, "label_zh", f"{path}.label_zh"),
                r.text(item, "label_en", f"{path}.label_en"),
                r.date(item, "date", f"{path}.date"),
            )
        )

    documents = []
    raw_documents = tree.get("documents", [])
    if not isinstance(raw_documents, list) or not raw_documents:
        raise r.fail("documents", "no_documents")
    for i, item in enumerate(raw_documents):
        path = f"documents[{i}]"
        if not isinstance(item, dict):
            raise r.fail(path, "not_table")
        kind = r.slug(item, "kind", f"{path}.kind")
        if kind in {d.kind for d in documents}:
            raise r.fail(f"{path}.kind", "repeats", value=kind)
        level = item.get("level")
        if level not in ("unit", "participant"):
            raise r.fail(f"{path}.level", "not_level")
        when = item.get("when", [])
        if not isinstance(when, list) or any(w not in DOCUMENT_CONDITIONS for w in when):
            raise r.fail(f"{path}.when", "not_conditions", answers=", ".join(DOCUMENT_CONDITIONS))
        if level == "unit" and when:
            raise r.fail(f"{path}.when", "unit_conditions")
        keywords = item.get("keywords", [])
        if (
            not isinstance(keywords, list)
            or not keywords
            or not all(isinstance(k, str) and k for k in keywords)
        ):
            raise r.fail(f"{path}.keywords", "no_keywords")
        documents.append(
            DocumentRule(
                kind,
                level,
                r.text(item, "zh", f"{path}.zh"),
                r.text(item, "en", f"{path}.en"),
                tuple(when),
                tuple(keywords),
            )
        )

    chase = tree.get("chase", {})
    if not isinstance(chase, dict):
        raise r.fail("chase", "not_table")
    known = {*BUILTIN_MILESTONES, *(m.key for m in milestones)}
    due = {}
    for name in ("documents_due", "roster_due"):
        keys = chase.get(name, list(getattr(EventConfig, name)))
        if not isinstance(keys, list) or not keys or any(k not in known for k in keys):
            raise r.fail(f"chase.{name}", "not_milestones", keys=", ".join(sorted(known)))
        due[name] = tuple(keys)

    config = EventConfig(
        key=r.text(event, "key", "event.key"),
        name_zh=r.text(event, "name_zh", "event.name_zh"),
        name_en=r.text(event, "name_en", "event.name_en"),
        organiser_zh=r.text(event, "organiser_zh", "event.organiser_zh"),
        organiser_en=r.text(event, "organiser_en", "event.organiser_en"),
        registration_deadline=r.date(event, "registration_deadline", "event.registration_deadline"),
        invitation_batch_deadline=r.date(
            event, "invitation_batch_deadline", "event.invitation_batch_deadline"
        ),
        passport_valid_through=r.date(event, "passport_valid_through", "event.passport_valid_through"),
        travel_start=r.date(travel, "start", "event.travel.start"),
        travel_end=r.date(travel, "end", "event.travel.end"),
        forum_name_zh=r.text(forum, "name_zh", "event.forum.name_zh"),
        forum_name_en=r.text(forum, "name_en", "event.forum.name_en"),
        forum_date=r.date(forum, "date", "event.forum.date"),
        forum_city=forum_city,
        subject_zh=email["subject_zh"],
        subject_en=email["subject_en"],
        secretariat_email=address,
        online_form_address=online_form_address(r, event),
        themes=tuple(Choice(*c) for c in r.choices(tree, "themes")),
        cities=cities,
        sectors=sectors,
        extra_milestones=tuple(milestones),
        documents=tuple(documents),
        **due,
        max_document_mb=r.positive_int(limits, "max_document_mb", "limits.max_document_mb", 10),
        max_import_file_mb=r.positive_int(limits, "max_import_file_mb", "limits.max_import_file_mb", 20),
        max_mail_file_mb=r.positive_int(limits, "max_mail_file_mb", "limits.max_mail_file_mb", 20),
        header_search_rows=r.positive_int(limits, "header_search_rows", "limits.header_search_rows", 30),
        **{
            key: r.positive_int(security, key, f"security.{key}", default)
            for key, default in SECURITY_DEFAULTS.items()
        },
        refresh_seconds=r.positive_int(dashboard, "refresh_seconds", "dashboard.refresh_seconds", 30),
        top_provinces=r.positive_int(dashboard, "top_provinces", "dashboard.top_provinces", 10),
        mail_poll_seconds=r.positive_int(mail, "poll_seconds", "mail.poll_seconds", 120),
        mail_max_per_minute=r.positive_int(mail, "max_per_minute", "mail.max_per_minute", 20),
        mail_mark_seen=r.flag(mail, "mark_seen", "mail.mark_seen", False),
        source=source,
    )
    if config.travel_end < config.travel_start:
        raise r.fail("event.travel.end", "travel_ends_early")
    if not config.travel_start <= config.forum_date <= config.travel_end:
        raise r.fail("event.forum.date", "forum_outside_travel")
    return config


def database_path(explicit: str | Path | None = None) -> Path:
    """The database file: an explicit path, else DELEGATION_DB, else data/delegation.duckdb."""
    return Path(explicit or os.environ.get("DELEGATION_DB") or DEFAULT_DB)
