"""Turn raw records into clean unit and participant values, with a reported issue for every doubt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from delegation.config import EventConfig
from delegation.ingest import normalise as norm
from delegation.ingest.fields import FIELDS_BY_KEY
from delegation.ingest.layout import RawRecord
from delegation.provinces import province_for
from delegation.text import clean, match_key

FIELD_LABELS = {
    "unit_name": ("单位名称", "unit name"),
    "province": ("省份", "province"),
    "sector": ("行业", "sector"),
    "contact_name": ("联系人", "contact person"),
    "contact_mobile": ("联系人手机", "contact mobile"),
    "contact_email": ("联系人邮箱", "contact e-mail"),
    "name": ("姓名", "name"),
    "pinyin_name": ("拼音姓名", "pinyin name"),
    "gender": ("性别", "gender"),
    "position": ("职务", "position"),
    "mobile": ("手机", "mobile"),
    "email": ("邮箱", "e-mail"),
    "date_of_birth": ("出生日期", "date of birth"),
    "passport_number": ("护照号码", "passport number"),
    "passport_expiry": ("护照有效期", "passport expiry"),
    "applies_via_chamber": ("是否通过商会办理邀请函", "applies for an invitation letter through the chamber"),
    "holds_us_visa": ("是否持有美国签证", "holds a US visa"),
    "us_visa_expiry": ("美国签证有效期", "US visa expiry"),
    "themes": ("论坛主题", "forum themes"),
    "cities": ("考察城市", "visit cities"),
    "wants_arrangements": ("是否需要安排交通住宿", "wants transport and accommodation arranged"),
    "registration_date": ("报名日期", "registration date"),
}


@dataclass
class Issue:
    """Something the importer noticed in a row: an error skips the row, a warning does not."""

    sheet: str
    row_number: int | None
    column: str | None
    severity: str  # error | warning
    code: str
    en: str
    zh: str
    row_index: int | None = None  # position in the file's rows, to link the participant once stored


@dataclass
class Row:
    """A clean row: unit values and participant values for the fields the sheet has."""

    sheet: str
    row_number: int
    unit: dict[str, object]
    participant: dict[str, object]
    present: set[str] = field(default_factory=set)  # participant fields whose column the sheet has


def _where(raw: RawRecord) -> tuple[str, str]:
    return (f"sheet '{raw.sheet}', row {raw.row_number}", f"工作表“{raw.sheet}”第 {raw.row_number} 行")


def normalise_record(raw: RawRecord, config: EventConfig, index: int) -> tuple[Row | None, list[Issue]]:
    """A clean row (None when the row cannot be a participant) and the issues found in it."""
    issues: list[Issue] = []
    where_en, where_zh = _where(raw)

    def warn(column: str | None, code: str, en: str, zh: str, severity: str = "warning") -> None:
        issues.append(
            Issue(
                raw.sheet,
                raw.row_number,
                column,
                severity,
                code,
                f"{where_en}: {en}",
                f"{where_zh}：{zh}",
                index,
            )
        )

    def label(key: str) -> tuple[str, str]:
        zh, en = FIELD_LABELS[key]
        return en, zh

    if raw.has_formula:
        warn(
            None,
            "formula",
            "a cell holds a formula; its saved value was imported (formulas are never run).",
            "有单元格含公式；已导入其保存的值（公式不会被执行）。",
        )
    v = raw.values
    name = clean(v.get("name"))
    unit_name = clean(v.get("unit_name"))
    if not name:
        warn(
            "name", "no_name", "no participant name, row skipped.", "没有参团人员姓名，该行未导入。", "error"
        )
    if not unit_name:
        warn("unit_name", "no_unit", "no unit name, row skipped.", "没有单位名称，该行未导入。", "error")
    if not name or not unit_name:
        return None, issues

    unit: dict[str, object] = {"name": unit_name, "name_key": match_key(unit_name)}
    if clean(v.get("province")):
        province = province_for(clean(v["province"]))
        if province is None:
            text = clean(v["province"])
            warn(
                "province",
                "unknown_province",
                f"province '{text}' is not a known province.",
                f"省份“{text}”无法识别。",
            )
        unit["province"] = province
    if clean(v.get("sector")):
        text = clean(v["sector"])
        sector, known = norm.parse_sector(text, config.sectors)
        if not known:
            warn(
                "sector",
                "unknown_sector",
                f"sector '{text}' is not known; counted as 'other'.",
                f"行业“{text}”无法识别，已归入“其他”。",
            )
        unit["sector"] = sector
        unit["sector_as_written"] = text
    for key in ("contact_name", "contact_mobile", "contact_email"):
        if key in v:
            unit[key] = norm.parse_phone(v[key]) if key == "contact_mobile" else (clean(v[key]) or None)

    p: dict[str, object] = {"name": name, "name_key": match_key(name)}
    present = {"name"}
    for key, value in v.items():
        spec = FIELDS_BY_KEY.get(key)
        if spec is None or spec.level != "participant" or key == "name":
            continue
        present.add(key)
        en, zh = label(key)
        try:
            if spec.kind == "date":
                p[key] = norm.parse_date(value)
            elif spec.kind == "yes_no":
                p[key] = norm.parse_yes_no(value)
            elif spec.kind == "gender":
                p[key] = norm.parse_gender(value)
            elif spec.kind == "phone":
                p[key] = norm.parse_phone(value)
            elif spec.kind == "passport":
                number, prc_format = norm.parse_passport(value)
                p[key] = number
                if not prc_format:
                    warn(
                        key,
                        "passport_format",
                        "the passport number is not in the PRC passport format.",
                        "护照号码不符合中国护照格式。",
                    )
            elif spec.kind in ("themes", "cities"):
                choices = config.themes if spec.kind == "themes" else config.cities
                keys, unknown = norm.parse_choices(value, choices)
                p[key] = keys
                for part in unknown:
                    warn(
                        key,
                        "unknown_theme" if spec.kind == "themes" else "unknown_city",
                        f"{en} '{part}' is not known.",
                        f"{zh}“{part}”无法识别。",
                    )
            else:
                p[key] = clean(value) or None
        except norm.BadValue:
            shown = "" if spec.personal else f" '{clean(value)}'"
            shown_zh = "" if spec.personal else f"“{clean(value)}”"
            warn(
                key,
                f"bad_{spec.kind}",
                f"{en}{shown} cannot be read; left empty.",
                f"{zh}{shown_zh}无法识别，已留空。",
            )
            p[key] = False if spec.kind == "yes_no" else None

    for flag, cell in raw.flags.items():
        kind, key = flag.split(":", 1)
        column = "themes" if kind == "theme" else "cities"
        present.add(column)
        try:
            ticked = norm.parse_yes_no(cell)
        except norm.BadValue:
            ticked = False
            warn(
                column,
                "bad_yes_no",
                f"'{clean(cell)}' under {key} is not yes or no; read as no.",
                f"{key} 列中的“{clean(cell)}”不是“是/否”，按“否”处理。",
            )
        chosen = list(p.get(column) or [])
        if ticked and key not in chosen:
            chosen.append(key)
        p[column] = chosen
    for column, choices in (("themes", config.themes), ("cities", config.cities)):
        if column in p:
            order = {c.key: i for i, c in enumerate(choices)}
            p[column] = sorted(p[column] or [], key=order.__getitem__)
    if "registration_date" in p:
        p["registered_on"] = p.pop("registration_date")
        present.discard("registration_date")
        present.add("registered_on")
    return Row(raw.sheet, raw.row_number, unit, p, present), issues


def registered_on(row: Row, today: dt.date) -> dt.date:
    """The row's registration date, or the import day when the form has none."""
    value = row.participant.get("registered_on")
    return value if isinstance(value, dt.date) else today
