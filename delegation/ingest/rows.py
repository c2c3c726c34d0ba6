"""Turn raw records into clean unit and participant values, with a reported issue for every doubt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from operator import itemgetter

from delegation.config import EventConfig
from delegation.ingest import normalise as norm
from delegation.ingest.fields import FIELDS_BY_KEY
from delegation.ingest.layout import RawTable
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
    present: frozenset[str] = (
        frozenset()
    )  # participant fields whose column the sheet has (shared by its rows)


_BAD_MARK = "cannot be read"
_BAD = (None, (_BAD_MARK,))  # a cell that cannot be read as its kind: its doubts say so
_NUMBERS = {bool, int, float}  # equal across types as dict keys (True == 1 == 1.0)


def _parse_value(kind: str, value: object, choices: tuple) -> tuple[object, tuple[str, ...]]:
    """A cell read as its field's kind, and what was not understood in it (raises BadValue)."""
    if kind == "date":
        return norm.parse_date(value), ()
    if kind == "yes_no":
        return norm.parse_yes_no(value), ()
    if kind == "gender":
        return norm.parse_gender(value), ()
    if kind == "phone":
        return norm.parse_phone(value), ()
    if kind == "passport":
        number, prc_format = norm.parse_passport(value)
        return number, () if prc_format else ("passport_format",)
    if kind in ("themes", "cities"):
        keys, unknown = norm.parse_choices(value, choices)
        return tuple(keys), tuple(unknown)
    return clean(value) or None, ()


def _parse_or_bad(kind: str, value: object, choices: tuple) -> tuple[object, tuple[str, ...]] | object:
    try:
        return _parse_value(kind, value, choices)
    except norm.BadValue:
        return _BAD


def _distinct_map(function, cells: list) -> list:
    """`function` of every cell, computed once per distinct value."""
    if len(set(map(type, cells)) & _NUMBERS) <= 1:  # no two cells of different types can be equal keys
        try:
            results = {v: function(v) for v in dict.fromkeys(cells)}
            return list(map(results.__getitem__, cells))
        except TypeError:  # an unhashable cell
            pass
    return [function(v) for v in cells]


def parse_column(kind: str, cells: list, choices: tuple = ()) -> list:
    """Every cell of a column read as `kind`: (value, doubts) per cell, or `_BAD`.

    A column repeats its values (a unit's cells on each of its rows, yes/no, dates, themes), so each
    distinct value is read once and the column is mapped through the results.
    """
    return _distinct_map(lambda v: _parse_or_bad(kind, v, choices), cells)


def _unit_cells(province: str, sector: str, sectors: tuple) -> tuple[str | None, str | None, bool]:
    """Province key, sector key and whether the sector was recognised, for a unit's cleaned cells."""
    sector_key, known = norm.parse_sector(sector, sectors) if sector else (None, True)
    return (province_for(province) if province else None), sector_key, known


def _firsts(values: list, kept: list[int]) -> list:
    """The parsed values (without their doubts) of the kept rows."""
    firsts = list(map(itemgetter(0), values))
    return firsts if len(kept) == len(values) else [firsts[i] for i in kept]


def _label(key: str) -> tuple[str, str]:
    zh, en = FIELD_LABELS[key]
    return en, zh


def normalise_records(raws: RawTable, config: EventConfig, first_index: int) -> tuple[list[Row], list[Issue]]:
    """Clean rows for the records of one sheet (rows that cannot be a participant left out) and the
    issues found, in row order. Works column by column: each distinct cell value is read once."""
    if not len(raws):
        return [], []
    found: list[tuple[int, int, Issue]] = []  # (row position, place within the row, issue)

    def warn(
        i: int, place: int, column: str | None, code: str, en: str, zh: str, severity: str = "warning"
    ) -> None:
        sheet, number = raws.sheet, raws.row_numbers[i]
        found.append(
            (
                i,
                place,
                Issue(
                    sheet,
                    number,
                    column,
                    severity,
                    code,
                    f"sheet '{sheet}', row {number}: {en}",
                    f"工作表“{sheet}”第 {number} 行：{zh}",
                    first_index + i,
                ),
            )
        )

    n = len(raws)
    keys = list(raws.values)
    column = raws.values
    names = _distinct_map(clean, column.get("name", [None] * n))
    unit_names = _distinct_map(clean, column.get("unit_name", [None] * n))
    kept = []
    for i in range(n):
        if raws.has_formula[i]:
            warn(
                i,
                0,
                None,
                "formula",
                "a cell holds a formula; its saved value was imported (formulas are never run).",
                "有单元格含公式；已导入其保存的值（公式不会被执行）。",
            )
        if not names[i]:
            warn(
                i,
                1,
                "name",
                "no_name",
                "no participant name, row skipped.",
                "没有参团人员姓名，该行未导入。",
                "error",
            )
        if not unit_names[i]:
            warn(
                i,
                2,
                "unit_name",
                "no_unit",
                "no unit name, row skipped.",
                "没有单位名称，该行未导入。",
                "error",
            )
        if names[i] and unit_names[i]:
            kept.append(i)

    units = _unit_values(raws, column, unit_names, kept, config, warn)
    participants, present = _participant_values(raws, column, names, keys, kept, config, warn)
    numbers = raws.row_numbers
    rows = [Row(raws.sheet, numbers[i], units[j], participants[j], present) for j, i in enumerate(kept)]
    found.sort(key=lambda item: (item[0], item[1]))  # a skipped row only says why it was skipped
    return rows, [issue for _, _, issue in found]


def _unit_values(raws, column, unit_names, kept, config, warn) -> list[dict[str, object]]:
    """The unit values of the kept rows."""
    provinces = _distinct_map(clean, column.get("province", [])) or None
    sectors = _distinct_map(clean, column.get("sector", [])) or None
    unit_keys = dict(zip(unit_names, _distinct_map(match_key, unit_names), strict=True))
    places: dict[tuple[str, str], tuple[str | None, str | None, bool]] = {}
    contacts = {
        key: parse_column("phone" if key == "contact_mobile" else "text", column[key])
        for key in ("contact_name", "contact_mobile", "contact_email")
        if key in column
    }
    units = []
    for i in kept:
        unit: dict[str, object] = {"name": unit_names[i], "name_key": unit_keys[unit_names[i]]}
        province_text = provinces[i] if provinces else ""
        sector_text = sectors[i] if sectors else ""
        place = (province_text, sector_text)
        if place not in places:
            places[place] = _unit_cells(province_text, sector_text, config.sectors)
        province, sector, known = places[place]
        if province_text:
            if province is None:
                warn(
                    i,
                    3,
                    "province",
                    "unknown_province",
                    f"province '{province_text}' is not a known province.",
                    f"省份“{province_text}”无法识别。",
                )
            unit["province"] = province
        if sector_text:
            if not known:
                warn(
                    i,
                    4,
                    "sector",
                    "unknown_sector",
                    f"sector '{sector_text}' is not known; counted as 'other'.",
                    f"行业“{sector_text}”无法识别，已归入“其他”。",
                )
            unit["sector"] = sector
            unit["sector_as_written"] = sector_text
        for key, values in contacts.items():
            unit[key] = values[i][0] if values[i] is not _BAD else None
        units.append(unit)
    return units


def _participant_values(
    raws, column, names, keys, kept, config, warn
) -> tuple[list[dict[str, object]], frozenset[str]]:
    """The participant values of the kept rows, and the fields the sheet has."""
    fields = [
        k for k in keys if k != "name" and k in FIELDS_BY_KEY and FIELDS_BY_KEY[k].level == "participant"
    ]
    parsed: dict[str, list] = {}
    for place, key in enumerate(fields, start=10):
        spec = FIELDS_BY_KEY[key]
        choices = config.themes if spec.kind == "themes" else config.cities if spec.kind == "cities" else ()
        values = parse_column(spec.kind, column[key], choices)
        out = _firsts(values, kept)
        if any(map(itemgetter(1), values)):  # rare: unreadable cells, unknown choices, odd passports
            en, zh = _label(key)
            for j, i in enumerate(kept):
                _, doubts = values[i]
                if values[i] is _BAD:
                    shown = "" if spec.personal else f" '{clean(column[key][i])}'"
                    shown_zh = "" if spec.personal else f"“{clean(column[key][i])}”"
                    warn(
                        i,
                        place,
                        key,
                        f"bad_{spec.kind}",
                        f"{en}{shown} cannot be read; left empty.",
                        f"{zh}{shown_zh}无法识别，已留空。",
                    )
                    out[j] = False if spec.kind == "yes_no" else None
                    continue
                for part in doubts:
                    if spec.kind == "passport":
                        warn(
                            i,
                            place,
                            key,
                            "passport_format",
                            "the passport number is not in the PRC passport format.",
                            "护照号码不符合中国护照格式。",
                        )
                    else:
                        warn(
                            i,
                            place,
                            key,
                            "unknown_theme" if spec.kind == "themes" else "unknown_city",
                            f"{en} '{part}' is not known.",
                            f"{zh}“{part}”无法识别。",
                        )
        parsed[key] = out

    present = {"name", *fields}  # the same for every row of the sheet
    flags = list(raws.flags)
    ticks: dict[str, list[bool]] = {}
    for place, flag in enumerate(flags, start=100):
        kind, key = flag.split(":", 1)
        name = "themes" if kind == "theme" else "cities"
        present.add(name)
        cells = raws.flags[flag]
        values = parse_column("yes_no", cells)
        out = _firsts(values, kept)
        for j, i in enumerate(kept) if any(map(itemgetter(1), values)) else ():
            if values[i] is _BAD:
                warn(
                    i,
                    place,
                    name,
                    "bad_yes_no",
                    f"'{clean(cells[i])}' under {key} is not yes or no; read as no.",
                    f"{key} 列中的“{clean(cells[i])}”不是“是/否”，按“否”处理。",
                )
                out[j] = False
        ticks[flag] = out

    order = {
        "themes": {c.key: n for n, c in enumerate(config.themes)},
        "cities": {c.key: n for n, c in enumerate(config.cities)},
    }
    columns = [(("themes" if f.startswith("theme:") else "cities"), f.split(":", 1)[1]) for f in flags]

    def choose(
        listed_themes: tuple | None, listed_cities: tuple | None, ticked: tuple
    ) -> dict[str, list[str]]:
        lists = {"themes": listed_themes, "cities": listed_cities}
        picked = {name: list(keys) for name, keys in lists.items() if keys is not None}
        for (name, key), tick in zip(columns, ticked, strict=True):
            picked.setdefault(name, [])
            if tick and key not in picked[name]:
                picked[name].append(key)
        return {name: sorted(keys, key=order[name].__getitem__) for name, keys in picked.items()}

    m = len(kept)
    kept_names = [names[i] for i in kept]
    columns_out: dict[str, list] = {"name": kept_names, "name_key": _distinct_map(match_key, kept_names)}
    columns_out.update((k, parsed[k]) for k in fields)
    if flags or "themes" in parsed or "cities" in parsed:
        ticks_by_row = list(zip(*(ticks[f] for f in flags), strict=True)) if flags else [()] * m
        listed = list(
            zip(parsed.get("themes", [None] * m), parsed.get("cities", [None] * m), ticks_by_row, strict=True)
        )
        lists = {key: choose(*key) for key in dict.fromkeys(listed)}  # few distinct combinations
        picked = list(map(lists.__getitem__, listed))
        for name in ("themes", "cities"):
            if picked and name in picked[0]:
                columns_out[name] = [list(p[name]) for p in picked]
    if "registration_date" in columns_out:
        columns_out["registered_on"] = columns_out.pop("registration_date")
    names_out = list(columns_out)
    participants = [dict(zip(names_out, row, strict=True)) for row in zip(*columns_out.values(), strict=True)]
    if "registration_date" in present:
        present.discard("registration_date")
        present.add("registered_on")
    return participants, frozenset(present)


def registered_on(row: Row, today: dt.date) -> dt.date:
    """The row's registration date, or the import day when the form has none."""
    value = row.participant.get("registered_on")
    return value if isinstance(value, dt.date) else today
