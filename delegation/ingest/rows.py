"""Turn raw records into clean unit and participant values, with a reported issue for every doubt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from delegation.config import EventConfig
from delegation.errors import DelegationError
from delegation.fields import BOOLEAN_FIELDS, PARTICIPANT_ROW_FIELDS, UNIT_ROW_FIELDS
from delegation.i18n import Both, said
from delegation.ingest import normalise as norm
from delegation.ingest.cells import BAD, distinct_map, parse_column, reader
from delegation.ingest.fields import FIELDS_BY_KEY
from delegation.ingest.layout import RawTable
from delegation.ingest.participant_values import check_births, participant_values
from delegation.ingest.words import field_label
from delegation.provinces import province_for
from delegation.text import clean, match_key


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
class Rows:
    """Clean rows column by column; every list has one entry per row.

    `unit` holds the `fields.UNIT_ROW_FIELDS` and `participant` the `fields.PARTICIPANT_ROW_FIELDS`;
    a field the row's sheet lacks holds its empty value (no, an empty list, None), and `present`
    says which participant fields the row's sheet has (one frozenset shared by the rows of a sheet).
    """

    sheet: list[str] = field(default_factory=list)
    row_number: list[int] = field(default_factory=list)  # 1-based, as the spreadsheet shows them
    unit: dict[str, list] = field(default_factory=lambda: {k: [] for k in UNIT_ROW_FIELDS})
    participant: dict[str, list] = field(default_factory=lambda: {k: [] for k in PARTICIPANT_ROW_FIELDS})
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


def place_issue(
    sheet: str,
    number: int | None,
    column: str | None,
    severity: str,
    code: str,
    sentence: Both,
    row_index: int | None = None,
) -> Issue:
    """An issue about a sheet, or one of its rows when `number` is given: the sentence is
    prefixed with "sheet 'S', row N: " (or "sheet 'S' ", which the sentence goes on from)."""
    if number is None:
        where = said("ingest.at_sheet", sheet=sheet, said=sentence)
    else:
        where = said("ingest.at_row", sheet=sheet, row=number, said=sentence)
    return Issue(sheet, number, column, severity, code, where.en, where.zh, row_index)


def row_issue(rows: Rows, i: int, column: str, code: str, sentence: Both) -> Issue:
    """A warning about kept row `i` of `rows`."""
    return place_issue(rows.sheet[i], rows.row_number[i], column, "warning", code, sentence)


def as_stored(field: str, value: object) -> object:
    """A value for one participant field, as the importer stores a cell of that field (a passport
    number upper-cased without spaces, a phone half-width, a text trimmed; blank is missing, and a
    yes/no no). For values typed by hand: what the importer could not read (a mobile without a
    digit) is refused in one sentence, where the importer would leave it empty with a warning."""
    read, empty = reader(FIELDS_BY_KEY[field].kind, ()), False if field in BOOLEAN_FIELDS else None
    stored = read(value)
    if stored is BAD:
        raise DelegationError("ingest.typed_unreadable", field=field_label(field))
    return empty if stored[0] is None else stored[0]


def _unit_cells(province: str, sector: str, sectors: tuple) -> tuple[str | None, str | None, bool]:
    """Province key, sector key and whether the sector was recognised, for a unit's cleaned cells."""
    sector_key, known = norm.parse_sector(sector, sectors) if sector else (None, True)
    return (province_for(province) if province else None), sector_key, known


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
        i: int, place: int, column: str | None, code: str, sentence: Both, severity: str = "warning"
    ) -> None:
        number = raws.row_numbers[i]
        issue = place_issue(raws.sheet, number, column, severity, code, sentence, first_index + i)
        found.append((i, place, issue))

    n = len(raws)
    keys = list(raws.values)
    column = raws.values
    names = distinct_map(clean, column.get("name", [None] * n))
    unit_names = distinct_map(clean, column.get("unit_name", [None] * n))
    kept = []
    for i in range(n):
        if raws.has_formula[i]:
            warn(
                i,
                0,
                None,
                "formula",
                said("ingest.formula"),
            )
        if not names[i]:
            warn(
                i,
                1,
                "name",
                "no_name",
                said("ingest.no_name"),
                "error",
            )
        if not unit_names[i]:
            warn(
                i,
                2,
                "unit_name",
                "no_unit",
                said("ingest.no_unit"),
                "error",
            )
        if names[i] and unit_names[i]:
            kept.append(i)

    units = _unit_values(column, unit_names, kept, config, warn)
    participants, present = participant_values(raws, column, names, keys, kept, config, warn)
    if "date_of_birth" in column:
        check_births(participants["date_of_birth"], kept, today or dt.date.today(), warn)
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
    provinces = distinct_map(clean, column["province"]) if "province" in column else None
    sectors = distinct_map(clean, column["sector"]) if "sector" in column else None
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
                said("ingest.unknown_province", province=province_text),
            )
        if sector_text and not known:
            warn(
                kept[j],
                4,
                "sector",
                "unknown_sector",
                said("ingest.unknown_sector", sector=sector_text),
            )
    cells = [read[place] for place in places]
    units: dict[str, list] = {
        "name": names,
        "name_key": distinct_map(match_key, names),
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
            units[key] = [None if values[i] is BAD else values[i][0] for i in kept]
            for i in (i for i in kept if values[i] is BAD):  # only a phone can be unreadable
                warn(
                    i,
                    5,
                    key,
                    "bad_phone",
                    said("ingest.bad_contact_mobile"),
                )
        else:
            units[key] = [None] * m
    return units


def registration_days(rows: Rows, today: dt.date) -> list[dt.date]:
    """Each row's registration date, or the import day when the form has none."""
    return [value if isinstance(value, dt.date) else today for value in rows.participant["registered_on"]]
