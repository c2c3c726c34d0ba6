"""What one import did, or would do on a dry run: its counts, the fields it changed, its issues,
and the same as tables and sentences in either language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from delegation.config import EventConfig
from delegation.errors import DelegationError
from delegation.fields import FIELD_LABELS
from delegation.i18n import text as label
from delegation.i18n import value_words
from delegation.ingest.rows import Issue

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Change:
    """One field a file changed: of a participant (`person`) or of the unit itself (`person` None),
    before and after as shown (personal values masked, as in the audit log)."""

    unit: str
    person: str | None
    field: str
    before: object
    after: object

    def line(self, lang: str, config: EventConfig | None = None) -> str:
        """王强（苏州甲机械有限公司）：职务 工程师 → 总工程师"""
        name = FIELD_LABELS.get(self.field, (self.field, self.field))[0 if lang == "zh" else 1]
        before = value_words(self.before, lang, self.field, config)
        after = value_words(self.after, lang, self.field, config)
        said = {"unit": self.unit, "field": name, "before": before, "after": after}
        if self.person:
            return label("ingest.change.person", lang, person=self.person, **said)
        return label("ingest.change.unit", lang, **said)


@dataclass
class ImportReport:
    """What one import did, or would do on a dry run."""

    file_name: str
    sha256: str
    size_bytes: int
    rows_read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    issues: list[Issue] = field(default_factory=list)
    import_id: int | None = None
    dry_run: bool = False
    already_imported_at: dt.datetime | None = None
    form_day: dt.date | None = None  # the form's own date (its latest registration day), if it has one
    changes: list[Change] = field(default_factory=list)  # every person's and unit's field it changed
    dated_rows: int = 0  # rows whose registration day the form gives (报名日期, a submission time)
    fallback_day: dt.date | None = None  # the registration day of every other row …
    fallback_source: str = "import"  # … and where it came from: "received" (given) or "import"

    def day_line(self, lang: str = "en") -> str:
        """Which registration day the rows got: the form's own, the day the file was received, or
        the import day."""
        day = self.fallback_day.isoformat() if self.fallback_day else ""
        other = self.rows_read - self.skipped - self.dated_rows
        source = label(f"ingest.day.source.{self.fallback_source}", lang)
        if not other:
            return label("ingest.day.own", lang)
        if not self.dated_rows:
            return label("ingest.day.fallback", lang, day=day, source=source)
        return label("ingest.day.mixed", lang, dated=self.dated_rows, day=day, source=source, other=other)

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == "warning")

    def summary(self, lang: str = "en", *, app: bool = False) -> str:
        """One line: what was imported, updated, skipped. `app`: how to import the same file again
        is said as the app's switch, not the command line's option."""
        if self.already_imported_at:
            when = f"{self.already_imported_at:%Y-%m-%d %H:%M}"
            again = label("ingest.report.again_app" if app else "ingest.report.again_cli", lang)
            return label("ingest.report.already", lang, file=self.file_name, when=when, again=again)
        return label(
            "ingest.report.summary",
            lang,
            prefix=label("ingest.report.dry_run", lang) if self.dry_run else "",
            file=self.file_name,
            read=self.rows_read,
            added=self.added,
            updated=self.updated,
            unchanged=self.unchanged,
            skipped=self.skipped,
            warnings=self.warnings,
        )


def applied_order(results: list[tuple[str, ImportReport | DelegationError]], lang: str) -> str:
    """One sentence naming the order the files of a set were applied in, with their dates."""
    named = []
    for name, result in results:
        if isinstance(result, DelegationError):
            continue
        day = result.form_day.isoformat() if result.form_day else label("ingest.no_date", lang)
        named.append(label("ingest.applied_file", lang, name=name, day=day))
    return label("ingest.applied_order", lang, files=named)  # a list: joined as the language joins one


def issues_frame(report: ImportReport, lang: str) -> pd.DataFrame:
    """The report's skipped rows and warnings as a table in `lang`."""
    import pandas as pd

    return pd.DataFrame(
        {
            "sheet": [i.sheet for i in report.issues],
            "row_number": [i.row_number for i in report.issues],
            "severity": [i.severity for i in report.issues],
            "reason": [i.zh if lang == "zh" else i.en for i in report.issues],
        }
    )


def changes_frame(report: ImportReport, lang: str, config: EventConfig) -> pd.DataFrame:
    """Every field the file changed, as a table in `lang`: who, what, from, to."""
    import pandas as pd

    return pd.DataFrame(
        {
            "unit_name": [c.unit for c in report.changes],
            "participant_name": [c.person or label("documents.unit_itself", lang) for c in report.changes],
            "field": [FIELD_LABELS.get(c.field, (c.field, c.field))[lang != "zh"] for c in report.changes],
            "before": [value_words(c.before, lang, c.field, config) for c in report.changes],
            "after": [value_words(c.after, lang, c.field, config) for c in report.changes],
        }
    )
