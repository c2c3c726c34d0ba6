"""A sheet's participant values as clean columns: each field read by its kind, the themes and
cities from list cells and tick columns, and a warning for every doubt."""

from __future__ import annotations

import datetime as dt
from operator import itemgetter

from delegation.config import EventConfig
from delegation.fields import BOOLEAN_FIELDS, PARTICIPANT_ROW_FIELDS
from delegation.i18n import said
from delegation.ingest.cells import BAD, distinct_map, firsts, parse_column, reader
from delegation.ingest.fields import FIELDS_BY_KEY, choice_spellings
from delegation.ingest.layout import RawTable
from delegation.ingest.words import field_label
from delegation.text import clean, match_key

_LISTS = ("themes", "cities")


def check_births(births: list, kept: list[int], today: dt.date, warn) -> None:
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
            said("ingest.unlikely_birth_date"),
        )


def participant_values(
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
        out = firsts(values, kept)
        if any(map(itemgetter(1), values)):  # rare: unreadable cells, unknown choices, odd passports
            label = field_label(key)
            for j, i in enumerate(kept):
                _, doubts = values[i]
                if values[i] is BAD:
                    shown = "" if spec.personal else said("ingest.shown_value", value=clean(column[key][i]))
                    # A yes/no column in the file sets "no" when blank, and so when unreadable: say so
                    # (it said "left empty", and a stored "yes" became "no").
                    yes_no = spec.kind == "yes_no"
                    warn(
                        i,
                        place,
                        key,
                        f"bad_{spec.kind}",
                        said(
                            "ingest.unreadable." + ("as_no" if yes_no else "empty"), field=label, shown=shown
                        ),
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
                            said("ingest.passport_format"),
                        )
                    else:
                        warn(
                            i,
                            place,
                            key,
                            "unknown_theme" if spec.kind == "themes" else "unknown_city",
                            said("ingest.unknown_choice", field=label, part=part),
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
    columns_out: dict[str, list] = {"name": kept_names, "name_key": distinct_map(match_key, kept_names)}
    columns_out.update((k, parsed[k]) for k in fields)
    if flags or "themes" in parsed or "cities" in parsed:
        listed = list(
            zip(parsed.get("themes", [None] * m), parsed.get("cities", [None] * m), ticks_by_row, strict=True)
        )
        lists = {key: choose(*key) for key in dict.fromkeys(listed)}  # few distinct combinations
        picked = list(map(lists.__getitem__, listed))
        for name in ("themes", "cities"):
            if picked and name in picked[0]:
                columns_out[name] = [p[name] for p in picked]  # rows choosing alike share one list
    # The lists are shared, never changed in place: a 50 000-row form's fresh list per row and
    # column cost ≈ 0.4 s to pickle, send and unpickle (the cyclic collector walks every list).
    if "registration_date" in columns_out:
        columns_out["registered_on"] = columns_out.pop("registration_date")
    if "registration_date" in present:
        present.discard("registration_date")
        present.add("registered_on")
    for key in PARTICIPANT_ROW_FIELDS:  # the fields the sheet lacks hold their empty value
        if key not in columns_out:
            columns_out[key] = (
                [False] * m if key in BOOLEAN_FIELDS else [[]] * m if key in _LISTS else [None] * m
            )
    return {key: columns_out[key] for key in PARTICIPANT_ROW_FIELDS}, frozenset(present)


def _ticks(
    raws: RawTable, flags: list[str], kept: list[int], warn, config: EventConfig
) -> list[tuple[bool, ...]]:
    """Each kept row's yes/no cells under the theme and city columns ('theme:<key>' …), in `flags`
    order, a cell that is not yes or no read as no (and reported). A cell holding the column's
    own option is yes: an online form's export gives a multiple choice one column per option,
    the option's text where it was chosen.

    A row's cells are read once per distinct combination: a form has a handful of them.
    """
    read = reader("yes_no", ())
    choices = {f"theme:{c.key}": c for c in config.themes} | {f"city:{c.key}": c for c in config.cities}
    own = [frozenset(choice_spellings(choices[f])) if f in choices else frozenset() for f in flags]

    def read_row(cells: tuple) -> tuple:
        return tuple(
            (True, ()) if type(cell) is str and match_key(cell) in spellings else read(cell)
            for cell, spellings in zip(cells, own, strict=True)
        )

    readings = distinct_map(read_row, list(zip(*(raws.flags[f] for f in flags), strict=True)))
    # By the reading's identity (equal rows share one): the ticks, and the columns not yes or no.
    seen: dict[int, tuple[tuple[bool, ...], list[tuple[int, str]]]] = {}
    ticks = []
    for i in kept:
        reading = readings[i]
        if (entry := seen.get(id(reading))) is None:
            tick = tuple(False if r is BAD else r[0] for r in reading)
            bad = [
                (place, flag)
                for place, (flag, r) in enumerate(zip(flags, reading, strict=True), 100)
                if r is BAD
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
                said("ingest.tick_not_yes_no", shown=shown, choice=key),
            )
        ticks.append(entry[0])
    return ticks
