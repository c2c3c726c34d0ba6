"""Load and check `data/event.toml`: every event-specific fact lives there, not in code."""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from delegation import ROOT
from delegation.errors import DelegationError

DEFAULT_CONFIG = ROOT / "data" / "event.toml"
DEFAULT_DB = ROOT / "data" / "delegation.duckdb"
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
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


class _Reader:
    """Reads typed values from the TOML tree, naming the exact key when one is wrong."""

    def __init__(self, source: Path) -> None:
        self.source = source

    def fail(self, key: str, en: str, zh: str) -> DelegationError:
        return DelegationError(
            f"{self.source.name}: key '{key}' {en}.", f"{self.source.name}：配置项 '{key}' {zh}。"
        )

    def table(self, tree: dict, key: str, path: str) -> dict:
        value = tree.get(key)
        if not isinstance(value, dict):
            raise self.fail(path, "is missing or is not a table", "缺失或不是表")
        return value

    def text(self, tree: dict, key: str, path: str) -> str:
        value = tree.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, "must be a non-empty text", "必须是非空文本")
        return value.strip()

    def date(self, tree: dict, key: str, path: str) -> dt.date:
        value = tree.get(key)
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise self.fail(path, "must be a date written as YYYY-MM-DD", "必须是日期，格式为 YYYY-MM-DD")
        return value

    def positive_int(self, tree: dict, key: str, path: str, default: int) -> int:
        value = tree.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail(path, "must be a positive whole number", "必须是正整数")
        return value

    def flag(self, tree: dict, key: str, path: str, default: bool) -> bool:
        value = tree.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(path, "must be true or false", "必须是 true 或 false")
        return value

    def slug(self, tree: dict, key: str, path: str) -> str:
        value = self.text(tree, key, path)
        if not _KEY.match(value):
            raise self.fail(
                path,
                "must be lower-case letters, digits and underscores, starting with a letter",
                "只能包含小写字母、数字和下划线，并以字母开头",
            )
        return value

    def choices(self, tree: dict, key: str) -> tuple[Choice, ...]:
        items = tree.get(key)
        if not isinstance(items, list) or not items:
            raise self.fail(key, "must list at least one entry", "至少需要一项")
        seen: set[str] = set()
        out = []
        for i, item in enumerate(items):
            path = f"{key}[{i}]"
            if not isinstance(item, dict):
                raise self.fail(path, "must be a table", "必须是表")
            slug = self.slug(item, "key", f"{path}.key")
            if slug in seen:
                raise self.fail(f"{path}.key", f"repeats '{slug}'", f"重复了 '{slug}'")
            seen.add(slug)
            synonyms = item.get("synonyms", [])
            if not isinstance(synonyms, list) or not all(isinstance(s, str) for s in synonyms):
                raise self.fail(f"{path}.synonyms", "must be a list of texts", "必须是文本列表")
            out.append(
                Choice(
                    slug,
                    self.text(item, "zh", f"{path}.zh"),
                    self.text(item, "en", f"{path}.en"),
                    tuple(synonyms),
                )
            )
        return tuple(out)


def _online_form_address(r, event: dict) -> str:
    """`[event.online_form] address`: an https address, or "" when the event has no online form."""
    form = event.get("online_form", {})
    if not isinstance(form, dict):
        raise r.fail("event.online_form", "is not a table", "不是表")
    address = form.get("address", "")
    if not isinstance(address, str) or (address and not address.startswith("https://")):
        raise r.fail(
            "event.online_form.address",
            "must be the form's https:// address, or empty",
            "必须是以 https:// 开头的表单地址，或留空",
        )
    return address.strip()


def load_config(path: Path | str | None = None) -> EventConfig:
    """Read and check the event configuration (DELEGATION_CONFIG, else data/event.toml)."""
    source = Path(path or os.environ.get("DELEGATION_CONFIG") or DEFAULT_CONFIG)
    try:
        tree = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DelegationError(
            f"The event configuration {source} does not exist.", f"活动配置文件 {source} 不存在。"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DelegationError(
            f"{source.name} is not valid TOML: {exc}.", f"{source.name} 不是有效的 TOML：{exc}。"
        ) from None
    r = _Reader(source)
    event = r.table(tree, "event", "event")
    travel = r.table(event, "travel", "event.travel")
    forum = r.table(event, "forum", "event.forum")
    email = r.table(event, "email", "event.email")
    limits = tree.get("limits", {})
    security = tree.get("security", {})
    if not isinstance(limits, dict):
        raise r.fail("limits", "must be a table", "必须是表")
    dashboard = tree.get("dashboard", {})
    if not isinstance(dashboard, dict):
        raise r.fail("dashboard", "must be a table", "必须是表")
    mail = tree.get("mail", {})
    if not isinstance(mail, dict):
        raise r.fail("mail", "must be a table", "必须是表")

    cities = r.choices(tree, "cities")
    forum_city = r.slug(forum, "city", "event.forum.city")
    if forum_city not in {c.key for c in cities}:
        raise r.fail("event.forum.city", "must be one of the keys in [[cities]]", "必须是 [[cities]] 中的键")
    sectors = r.choices(tree, "sectors")
    if "other" not in {s.key for s in sectors}:
        raise r.fail("sectors", "must include the key 'other'", "必须包含键 'other'")
    for name in ("subject_zh", "subject_en"):
        if "{unit}" not in r.text(email, name, f"event.email.{name}"):
            raise r.fail(f"event.email.{name}", "must contain {unit}", "必须包含 {unit}")
    address = r.text(email, "address", "event.email.address")
    if not _EMAIL.match(address):
        raise r.fail("event.email.address", "must be an e-mail address", "必须是电子邮箱地址")

    milestones = []
    raw_milestones = tree.get("milestones", [])
    if not isinstance(raw_milestones, list):
        raise r.fail("milestones", "must be a list of tables", "必须是表的列表")
    for i, item in enumerate(raw_milestones):
        path = f"milestones[{i}]"
        if not isinstance(item, dict):
            raise r.fail(path, "must be a table", "必须是表")
        key = r.slug(item, "key", f"{path}.key")
        if key in BUILTIN_MILESTONES or key in {m.key for m in milestones}:
            raise r.fail(f"{path}.key", f"repeats '{key}'", f"重复了 '{key}'")
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
        raise r.fail("documents", "must list at least one document", "至少需要一种材料")
    for i, item in enumerate(raw_documents):
        path = f"documents[{i}]"
        if not isinstance(item, dict):
            raise r.fail(path, "must be a table", "必须是表")
        kind = r.slug(item, "kind", f"{path}.kind")
        if kind in {d.kind for d in documents}:
            raise r.fail(f"{path}.kind", f"repeats '{kind}'", f"重复了 '{kind}'")
        level = item.get("level")
        if level not in ("unit", "participant"):
            raise r.fail(f"{path}.level", "must be 'unit' or 'participant'", "必须是 'unit' 或 'participant'")
        when = item.get("when", [])
        if not isinstance(when, list) or any(w not in DOCUMENT_CONDITIONS for w in when):
            raise r.fail(
                f"{path}.when",
                f"must list only these answers: {', '.join(DOCUMENT_CONDITIONS)}",
                f"只能列出以下字段：{', '.join(DOCUMENT_CONDITIONS)}",
            )
        if level == "unit" and when:
            raise r.fail(f"{path}.when", "must be empty for a unit's document", "单位材料不能设置条件")
        keywords = item.get("keywords", [])
        if (
            not isinstance(keywords, list)
            or not keywords
            or not all(isinstance(k, str) and k for k in keywords)
        ):
            raise r.fail(f"{path}.keywords", "must list at least one text", "至少需要一个关键词")
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
        raise r.fail("chase", "must be a table", "必须是表")
    known = {*BUILTIN_MILESTONES, *(m.key for m in milestones)}
    due = {}
    for name in ("documents_due", "roster_due"):
        keys = chase.get(name, list(getattr(EventConfig, name)))
        if not isinstance(keys, list) or not keys or any(k not in known for k in keys):
            raise r.fail(
                f"chase.{name}",
                f"must list milestone keys ({', '.join(sorted(known))})",
                f"必须列出节点的键（{', '.join(sorted(known))}）",
            )
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
        online_form_address=_online_form_address(r, event),
        themes=r.choices(tree, "themes"),
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
        raise r.fail("event.travel.end", "must not be before event.travel.start", "不能早于出发日期")
    if not config.travel_start <= config.forum_date <= config.travel_end:
        raise r.fail("event.forum.date", "must fall within the travel dates", "必须在行程日期之内")
    return config


def database_path(explicit: str | Path | None = None) -> Path:
    """The database file: an explicit path, else DELEGATION_DB, else data/delegation.duckdb."""
    return Path(explicit or os.environ.get("DELEGATION_DB") or DEFAULT_DB)
