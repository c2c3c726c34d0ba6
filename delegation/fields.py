"""Every stored field of units and participants, described once: its column, SQL type, labels,
whether it is personal, how it is masked and whether the retention purge clears it.

The importer, the audit log's words, the purge and the privacy rules read their constants from
here (`SQL_TYPES`, `FIELD_LABELS`, the columns a form's rows carry, `CLEARED`, `BOOLEAN_FIELDS`),
so a new field is described in one place. A leaf: it imports nothing of the desk.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StoredField:
    """One column of the units or participants table that the desk writes."""

    name: str  # the column
    table: str  # units | participants
    sql_type: str = "varchar"  # as DuckDB names it (rows are sent to DuckDB as typed lists)
    zh: str | None = None  # the label, where a reader may see the field named
    en: str | None = None
    personal: bool = False  # never echoed in messages; masked or purged as below
    mask: str | None = None  # how `privacy` masks it where it must not show in full: its mask's name
    purged: bool = False  # the retention purge clears it
    in_rows: bool = False  # a form's clean rows carry it (`ingest.rows.Rows`)
    form_key: str | None = None  # the form field (`ingest.fields`) it is read from

    @property
    def boolean(self) -> bool:
        """A yes/no field: a blank or unreadable cell stores no, never nothing."""
        return self.sql_type == "boolean"


def _field(table: str, name: str, zh: str | None, en: str | None, form: str | bool, **more) -> StoredField:
    """`form`: the form field it is read from (True: the one of its own name); a field the rows
    carry without a form field of its own (a name's match key) says `in_rows=True` instead."""
    key = name if form is True else form or None
    return StoredField(name, table, zh=zh, en=en, form_key=key, **{"in_rows": key is not None, **more})


def _unit(name: str, zh: str | None = None, en: str | None = None, form: str | bool = False, **more):
    return _field("units", name, zh, en, form, **more)


def _person(name: str, zh: str | None = None, en: str | None = None, form: str | bool = False, **more):
    return _field("participants", name, zh, en, form, **more)


FIELDS: tuple[StoredField, ...] = (
    _unit("unit_id", sql_type="integer"),
    _unit("name", "单位名称", "unit name", form="unit_name"),
    _unit("name_key", in_rows=True),  # the name without spaces, case or width differences
    _unit("name_en", "单位英文名称", "unit name in English", form="unit_name_en"),
    _unit("province", "省份", "province", form=True),
    _unit("sector", "行业", "sector", form=True),
    _unit("sector_as_written", in_rows=True),
    _unit("contact_name", "联系人", "contact person", personal=True, form=True),
    _unit(
        "contact_mobile",
        "联系人手机",
        "contact mobile",
        personal=True,
        mask="mobile",
        purged=True,
        form=True,
    ),
    _unit(
        "contact_email",
        "联系人邮箱",
        "contact e-mail",
        personal=True,
        mask="email",
        purged=True,
        form=True,
    ),
    _unit("registered_on", "报名日期", "registration date", sql_type="date"),
    _unit("search_text"),
    _person("participant_id", sql_type="integer"),
    _person("unit_id", sql_type="integer"),
    _person("name", "姓名", "name", personal=True, form=True),
    _person("name_key", in_rows=True),
    _person("pinyin_name", "拼音姓名", "pinyin name", personal=True, form=True),
    _person("gender", "性别", "gender", form=True),
    _person("position", "职务", "position", form=True),
    _person("position_en", "英文职务", "position in English", form=True),
    _person("mobile", "手机", "mobile", personal=True, mask="mobile", purged=True, form=True),
    _person("email", "邮箱", "e-mail", personal=True, mask="email", purged=True, form=True),
    _person(
        "date_of_birth",
        "出生日期",
        "date of birth",
        sql_type="date",
        personal=True,
        mask="birth_date",
        purged=True,
        form=True,
    ),
    _person(
        "passport_number",
        "护照号码",
        "passport number",
        personal=True,
        mask="passport",
        purged=True,
        form=True,
    ),
    _person(
        "passport_expiry",
        "护照有效期",
        "passport expiry",
        sql_type="date",
        personal=True,
        purged=True,
        form=True,
    ),
    _person(
        "applies_via_chamber",
        "是否通过商会办理邀请函",
        "applies for an invitation letter through the chamber",
        sql_type="boolean",
        form=True,
    ),
    _person(
        "holds_us_visa",
        "是否持有美国签证",
        "holds a US visa",
        sql_type="boolean",
        form=True,
    ),
    _person(
        "us_visa_expiry",
        "美国签证有效期",
        "US visa expiry",
        sql_type="date",
        personal=True,
        purged=True,
        form=True,
    ),
    _person("themes", "论坛主题", "forum themes", sql_type="varchar[]", form=True),
    _person("cities", "考察城市", "visit cities", sql_type="varchar[]", form=True),
    _person(
        "wants_arrangements",
        "是否需要安排交通住宿",
        "wants transport and accommodation arranged",
        sql_type="boolean",
        form=True,
    ),
    _person(
        "registered_on",
        "报名日期",
        "registration date",
        sql_type="date",
        form="registration_date",
    ),
    _person("source_import_id", sql_type="integer"),
    _person("source_sheet"),
    _person("source_row", sql_type="integer"),
    _person("search_text"),
)


def _of(table: str) -> tuple[StoredField, ...]:
    return tuple(f for f in FIELDS if f.table == table)


UNIT_STORED = _of("units")
PARTICIPANT_STORED = _of("participants")
BY_FORM_KEY = {f.form_key: f for f in FIELDS if f.form_key}

# The columns a form's clean rows carry for the unit and for each participant, in table order.
UNIT_ROW_FIELDS = tuple(f.name for f in UNIT_STORED if f.in_rows)
PARTICIPANT_ROW_FIELDS = tuple(f.name for f in PARTICIPANT_STORED if f.in_rows)

# The columns that are not text, as DuckDB types (a column both tables have is typed alike).
SQL_TYPES = {f.name: f.sql_type for f in FIELDS if f.sql_type != "varchar"}

BOOLEAN_FIELDS = frozenset(f.name for f in FIELDS if f.boolean)

# What the purge clears, on every participant and on every unit.
CLEARED = tuple(f.name for f in PARTICIPANT_STORED if f.purged)
UNIT_CLEARED = tuple(f.name for f in UNIT_STORED if f.purged)

# Each labelled field's label by its column and by its form key: (zh, en). Where both tables have
# a column of one name, it names the participant's ("name": 姓名; the unit's is "unit_name").
FIELD_LABELS: dict[str, tuple[str, str]] = {
    key: (f.zh, f.en)
    for f in (*UNIT_STORED, *PARTICIPANT_STORED)
    if f.zh is not None and f.en is not None
    for key in dict.fromkeys((f.name, f.form_key or f.name))
}
