"""Turn raw records into clean unit and participant values, with a reported issue for every doubt."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from operator import itemgetter

from delegation.config import EventConfig
from delegation.errors import DelegationError
from delegation.ingest import normalise as norm
from delegation.ingest.fields import FIELDS_BY_KEY, choice_spellings
from delegation.ingest.layout import RawTable
from delegation.provinces import province_for
from delegation.text import clean, match_key

FIELD_LABELS = {
    "unit_name": ("单位名称", "unit name"),
    "unit_name_en": ("单位英文名称", "unit name in English"),
    "name_en": ("单位英文名称", "unit name in English"),
    "province": ("省份", "province"),
    "sector": ("行业", "sector"),
    "contact_name": ("联系人", "contact person"),
    "contact_mobile": ("联系人手机", "contact mobile"),
    "contact_email": ("联系人邮箱", "contact e-mail"),
    "name": ("姓名", "name"),
    "pinyin_name": ("拼音姓名", "pinyin name"),
    "gender": ("性别", "gender"),
    "position": ("职务", "position"),
    "position_en": ("英文职务", "position in English"),
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
    "registered_on": ("报名日期", "registration date"),
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


UNIT_FIELDS = (
    "name",
    "name_key",
    "name_en",
    "province",
    "sector",
    "sector_as_written",
    "contact_name",
    "contact_mobile",
    "contact_email",
)
PARTICIPANT_FIELDS = (
    "name",
    "name_key",
    "pinyin_name",
    "gender",
    "position",
    "position_en",
    "mobile",
    "email",
    "date_of_birth",
    "passport_number",
    "passport_expiry",
    "applies_via_chamber",
    "holds_us_visa",
    "us_visa_expiry",
    "themes",
    "cities",
    "wants_arrangements",
    "registered_on",
)
BOOLEAN_FIELDS = frozenset({"applies_via_chamber", "holds_us_visa", "wants_arrangements"})
_LISTS = ("themes", "cities")


@dataclass
class Rows:
    """Clean rows column by column; every list has one entry per row.

    `unit` holds the UNIT_FIELDS and `participant` the PARTICIPANT_FIELDS; a field the row's sheet
    lacks holds its empty value (no, an empty list, None), and `present` says which participant
    fields the row's sheet has (one frozenset shared by the rows of a sheet).
    """

    sheet: list[str] = field(default_factory=list)
    row_number: list[int] = field(default_factory=list)  # 1-based, as the spreadsheet shows them
    unit: dict[str, list] = field(default_factory=lambda: {k: [] for k in UNIT_FIELDS})
    participant: dict[str, list] = field(default_factory=lambda: {k: [] for k in PARTICIPANT_FIELDS})
    present: list[frozenset[str]] = field(default_factory=list)
    # The unit's code an online form's per-unit link carried (问卷星's 来源详情), or None.
    unit_code: list[str | None] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.row_number)

    def extend(self, other: Rows) -> None:
        """Append another sheet's rows."""
        self.sheet.extend(other.sheet)
        self.row_number.extend(other.row_number)
        for mine, theirs in ((self.unit, other.unit), (self.participant, other.participant)):
            for key, values in theirs.items():
                mine[key].extend(values)
        self.present.extend(other.present)
        self.unit_code.extend(other.unit_code)


_BAD_MARK = "cannot be read"
_BAD = (None, (_BAD_MARK,))  # a cell that cannot be read as its kind: its doubts say so
_NUMBERS = frozenset({bool, int, float})  # equal across types as dict keys (True == 1 == 1.0)


def _passport(value: object) -> tuple[str | None, tuple[str, ...]]:
    number, prc_format = norm.parse_passport(value)
    return number, () if prc_format else ("passport_format",)


def _text(value: object) -> tuple[str | None, tuple[()]]:
    return clean(value) or None, ()


# How each kind of field is read: the value, and what was not understood in it (raises BadValue).
_PLAIN = {
    "date": norm.parse_date,
    "yes_no": norm.parse_yes_no,
    "gender": norm.parse_gender,
    "phone": norm.parse_phone,
}


def _reader(kind: str, choices: tuple):
    """A function reading one cell as `kind`: (value, doubts), or `_BAD` when it cannot be read."""
    if kind in _PLAIN:
        parse = _PLAIN[kind]

        def read(value: object) -> tuple[object, tuple[str, ...]]:
            try:
                return parse(value), ()
            except norm.BadValue:
                return _BAD

        return read
    if kind in ("themes", "cities"):

        def read_choices(value: object) -> tuple[object, tuple[str, ...]]:
            keys, unknown = norm.parse_choices(value, choices)
            return tuple(keys), tuple(unknown)

        return read_choices
    return _passport if kind == "passport" else _text  # these never raise BadValue


def as_stored(field: str, value: object) -> object:
    """A value for one participant field, as the importer stores a cell of that field (a passport
    number upper-cased without spaces, a phone half-width, a text trimmed; blank is missing, and a
    yes/no no). For values typed by hand: what the importer could not read (a mobile without a
    digit) is refused in one sentence, where the importer would leave it empty with a warning."""
    read, empty = _reader(FIELDS_BY_KEY[field].kind, ()), False if field in BOOLEAN_FIELDS else None
    stored = read(value)
    if stored is _BAD:
        en, zh = _label(field)
        raise DelegationError(
            f"What was typed for {en} cannot be read; type it again, or leave the box empty.",
            f"{zh}填写的内容无法识别；请重新填写，或留空。",
        )
    return empty if stored[0] is None else stored[0]


def _types(values) -> set[type]:
    """The types of values, and of the items of tuple values (a row's cells)."""
    types = set(map(type, values))
    if tuple in types:
        types.update(map(type, itertools.chain.from_iterable(v for v in values if type(v) is tuple)))
    return types


def _distinct_map(function, cells: list) -> list:
    """`function` of every cell (or tuple of cells), computed once per distinct value; equal
    values share one result object."""
    try:
        distinct = dict.fromkeys(cells)
    except TypeError:  # an unhashable cell
        return [function(v) for v in cells]
    # Cells of different number types can be equal keys (True == 1 == 1.0) but read differently.
    # Only a number can equal a number, so without one among the distinct values there is none.
    if not _NUMBERS.isdisjoint(_types(distinct)) and len(_NUMBERS & _types(cells)) > 1:
        return [function(v) for v in cells]
    results = {v: function(v) for v in distinct}
    return list(map(results.__getitem__, cells))


def parse_column(kind: str, cells: list, choices: tuple = ()) -> list:
    """Every cell of a column read as `kind`: (value, doubts) per cell, or `_BAD`.

    A column repeats its values (a unit's cells on each of its rows, yes/no, dates, themes), so each
    distinct value is read once and the column is mapped through the results.
    """
    return _distinct_map(_reader(kind, choices), cells)


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


def normalise_records(
    raws: RawTable, config: EventConfig, first_index: int, today: dt.date | None = None
) -> tuple[Rows, list[Issue]]:
    """Clean rows for the records of one sheet (rows that cannot be a participant left out) and the
    issues found, in row order. Works column by column: each distinct cell value is read once.
    `today` (the import's day) tells a birth date that cannot be right."""
    if not len(raws):
        return Rows(), []
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

    units = _unit_values(column, unit_names, kept, config, warn)
    participants, present = _participant_values(raws, column, names, keys, kept, config, warn)
    if "date_of_birth" in column:
        _check_births(participants["date_of_birth"], kept, today or dt.date.today(), warn)
    numbers = raws.row_numbers
    m = len(kept)
    codes = column.get("unit_code")
    unit_code = [clean(codes[i]) or None for i in kept] if codes else [None] * m
    rows = Rows([raws.sheet] * m, [numbers[i] for i in kept], units, participants, [present] * m, unit_code)
    found.sort(key=lambda item: (item[0], item[1]))  # a skipped row only says why it was skipped
    return rows, [issue for _, _, issue in found]


def _unit_values(column, unit_names, kept, config, warn) -> dict[str, list]:
    """The unit values of the kept rows, as columns."""
    m = len(kept)
    provinces = _distinct_map(clean, column["province"]) if "province" in column else None
    sectors = _distinct_map(clean, column["sector"]) if "sector" in column else None
    names = [unit_names[i] for i in kept]
    places = list(
        zip(
            [provinces[i] for i in kept] if provinces else [""] * m,
            [sectors[i] for i in kept] if sectors else [""] * m,
            strict=True,
        )
    )
    read = {place: _unit_cells(*place, config.sectors) for place in dict.fromkeys(places)}
    doubtful = {
        place for place, (province, _, known) in read.items() if (place[0] and province is None) or not known
    }
    for j in range(m) if doubtful else ():
        if places[j] not in doubtful:
            continue
        (province_text, sector_text), (province, _, known) = places[j], read[places[j]]
        if province_text and province is None:
            warn(
                kept[j],
                3,
                "province",
                "unknown_province",
                f"province '{province_text}' is not a known province.",
                f"省份“{province_text}”无法识别。",
            )
        if sector_text and not known:
            warn(
                kept[j],
                4,
                "sector",
                "unknown_sector",
                f"sector '{sector_text}' is not known; counted as 'other'.",
                f"行业“{sector_text}”无法识别，已归入“其他”。",
            )
    cells = [read[place] for place in places]
    units: dict[str, list] = {
        "name": names,
        "name_key": _distinct_map(match_key, names),
        "province": [province for province, _, _ in cells],
        "sector": [sector for _, sector, _ in cells],
        "sector_as_written": [sector_text or None for _, sector_text in places],
    }
    units["name_en"] = (
        [clean(v) or None for v in (column["unit_name_en"][i] for i in kept)]
        if "unit_name_en" in column
        else [None] * m
    )
    for key in ("contact_name", "contact_mobile", "contact_email"):
        if key in column:
            values = parse_column("phone" if key == "contact_mobile" else "text", column[key])
            units[key] = [None if values[i] is _BAD else values[i][0] for i in kept]
            for i in (i for i in kept if values[i] is _BAD):  # only a phone can be unreadable
                warn(
                    i,
                    5,
                    key,
                    "bad_phone",
                    "the contact's mobile cannot be read; left empty.",
                    "联系人手机无法识别，已留空。",
                )
        else:
            units[key] = [None] * m
    return units


def _check_births(births: list, kept: list[int], today: dt.date, warn) -> None:
    """Warn of a birth date after `today` or more than 120 years before it. The date is kept: a
    typo (2080 for 1980) is easier to correct seen than gone. The warning does not show it."""
    try:
        earliest = today.replace(year=today.year - 120)
    except ValueError:  # 29 February, in a year 120 years back that has none
        earliest = today.replace(year=today.year - 120, day=28)
    odd = {day for day in set(births) if day is not None and not earliest <= day <= today}
    for j in (j for j, day in enumerate(births) if day in odd) if odd else ():
        warn(
            kept[j],
            60,
            "date_of_birth",
            "unlikely_birth_date",
            "the date of birth is in the future or more than 120 years ago; kept, please check it.",
            "出生日期晚于今天或早于 120 年前；已保留，请核对。",
        )


def _participant_values(
    raws, column, names, keys, kept, config, warn
) -> tuple[dict[str, list], frozenset[str]]:
    """The participant values of the kept rows as columns, and the fields the sheet has."""
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
                    # A yes/no column in the file sets "no" when blank, and so when unreadable: say so
                    # (it said "left empty", and a stored "yes" became "no").
                    yes_no = spec.kind == "yes_no"
                    warn(
                        i,
                        place,
                        key,
                        f"bad_{spec.kind}",
                        f"{en}{shown} cannot be read; " + ("read as no." if yes_no else "left empty."),
                        f"{zh}{shown_zh}无法识别，" + ("按“否”处理。" if yes_no else "已留空。"),
                    )
                    out[j] = False if yes_no else None
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
    present.update("themes" if f.startswith("theme:") else "cities" for f in flags)
    ticks_by_row = _ticks(raws, flags, kept, warn, config) if flags else [()] * len(kept)

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
    if "registration_date" in present:
        present.discard("registration_date")
        present.add("registered_on")
    for key in PARTICIPANT_FIELDS:  # the fields the sheet lacks hold their empty value
        if key not in columns_out:
            columns_out[key] = (
                [False] * m
                if key in BOOLEAN_FIELDS
                else [[] for _ in range(m)]
                if key in _LISTS
                else [None] * m
            )
    return {key: columns_out[key] for key in PARTICIPANT_FIELDS}, frozenset(present)


def _ticks(
    raws: RawTable, flags: list[str], kept: list[int], warn, config: EventConfig
) -> list[tuple[bool, ...]]:
    """Each kept row's yes/no cells under the theme and city columns ('theme:<key>' …), in `flags`
    order, a cell that is not yes or no read as no (and reported). A cell holding the column's
    own option is yes: an online form's export gives a multiple choice one column per option,
    the option's text where it was chosen.

    A row's cells are read once per distinct combination: a form has a handful of them.
    """
    read = _reader("yes_no", ())
    choices = {f"theme:{c.key}": c for c in config.themes} | {f"city:{c.key}": c for c in config.cities}
    own = [frozenset(choice_spellings(choices[f])) if f in choices else frozenset() for f in flags]

    def read_row(cells: tuple) -> tuple:
        return tuple(
            (True, ()) if type(cell) is str and match_key(cell) in spellings else read(cell)
            for cell, spellings in zip(cells, own, strict=True)
        )

    readings = _distinct_map(read_row, list(zip(*(raws.flags[f] for f in flags), strict=True)))
    # By the reading's identity (equal rows share one): the ticks, and the columns not yes or no.
    seen: dict[int, tuple[tuple[bool, ...], list[tuple[int, str]]]] = {}
    ticks = []
    for i in kept:
        reading = readings[i]
        if (entry := seen.get(id(reading))) is None:
            tick = tuple(False if r is _BAD else r[0] for r in reading)
            bad = [
                (place, flag)
                for place, (flag, r) in enumerate(zip(flags, reading, strict=True), 100)
                if r is _BAD
            ]
            entry = seen[id(reading)] = (tick, bad)
        for place, flag in entry[1]:
            kind, key = flag.split(":", 1)
            shown = clean(raws.flags[flag][i])
            warn(
                i,
                place,
                "themes" if kind == "theme" else "cities",
                "bad_yes_no",
                f"'{shown}' under {key} is not yes or no; read as no.",
                f"{key} 列中的“{shown}”不是“是/否”，按“否”处理。",
            )
        ticks.append(entry[0])
    return ticks


def registration_days(rows: Rows, today: dt.date) -> list[dt.date]:
    """Each row's registration date, or the import day when the form has none."""
    return [value if isinstance(value, dt.date) else today for value in rows.participant["registered_on"]]
