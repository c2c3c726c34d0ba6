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
        who = self.person or (self.unit if lang == "en" else f"单位 {self.unit}")
        if lang == "zh":
            where = f"{who}（{self.unit}）" if self.person else who
            return f"{where}：{name} {before} → {after}"
        where = f"{who} ({self.unit})" if self.person else f"unit {who}"
        return f"{where}: {name} {before} → {after}"


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
        if lang == "zh":
            source = "收到文件的日期" if self.fallback_source == "received" else "导入当天"
            if not other:
                return "报名日期：取自报名表本身（报名日期或提交时间）。"
            if not self.dated_rows:
                return f"报名日期：{day}（{source}；报名表未写报名日期）。"
            return f"报名日期：{self.dated_rows} 行取自报名表本身，其余 {other} 行为 {day}（{source}）。"
        source = "the day the file was received" if self.fallback_source == "received" else "the import day"
        if not other:
            return "Registration days: the form's own (its registration date or submission time)."
        if not self.dated_rows:
            return f"Registration day: {day}, {source} (the form gives none)."
        return f"Registration days: the form's own for {self.dated_rows} rows; {day}, {source}, for the other {other}."

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == "warning")

    def summary(self, lang: str = "en", *, app: bool = False) -> str:
        """One line: what was imported, updated, skipped. `app`: how to import the same file again
        is said as the app's switch, not the command line's option."""
        if self.already_imported_at:
            when = f"{self.already_imported_at:%Y-%m-%d %H:%M}"
            if lang == "zh":
                again = "打开“重新导入相同文件”开关" if app else "加 --force"
                return (
                    f"{self.file_name}：相同内容已于 {when} 导入，未作任何更改（如需重新导入，请{again}）。"
                )
            again = "turn on 'Import the same file again'" if app else "use --force"
            return (
                f"{self.file_name}: the same content was imported on {when}; nothing changed "
                f"({again} to import it again)."
            )
        prefix = ("[试运行] " if lang == "zh" else "[dry run] ") if self.dry_run else ""
        if lang == "zh":
            return (
                f"{prefix}{self.file_name}：读取 {self.rows_read} 行，新增 {self.added} 人，更新 {self.updated} 人，"
                f"无变化 {self.unchanged} 人，跳过 {self.skipped} 行，警告 {self.warnings} 条。"
            )
        return (
            f"{prefix}{self.file_name}: {self.rows_read} rows read, {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped, {self.warnings} warnings."
        )


def applied_order(results: list[tuple[str, ImportReport | DelegationError]], lang: str) -> str:
    """One sentence naming the order the files of a set were applied in, with their dates."""
    named = []
    for name, result in results:
        if isinstance(result, DelegationError):
            continue
        day = result.form_day.isoformat() if result.form_day else ("无日期" if lang == "zh" else "no date")
        named.append(f"{name}（{day}）" if lang == "zh" else f"{name} ({day})")
    if lang == "zh":
        return f"按报名表日期先后导入：{'、'.join(named)}。"
    return f"Applied in the order of the forms' dates: {', '.join(named)}."


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
