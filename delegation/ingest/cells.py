"""Reading the cells of one column as their field's kind (a date, yes/no, a phone, a passport
number, choices), each distinct value once."""

from __future__ import annotations

import itertools
from operator import itemgetter

from delegation.ingest import normalise as norm
from delegation.text import clean

BAD_MARK = "cannot be read"
BAD = (None, (BAD_MARK,))  # a cell that cannot be read as its kind: its doubts say so
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


def reader(kind: str, choices: tuple):
    """A function reading one cell as `kind`: (value, doubts), or `BAD` when it cannot be read."""
    if kind in _PLAIN:
        parse = _PLAIN[kind]

        def read(value: object) -> tuple[object, tuple[str, ...]]:
            try:
                return parse(value), ()
            except norm.BadValue:
                return BAD

        return read
    if kind in ("themes", "cities"):

        def read_choices(value: object) -> tuple[object, tuple[str, ...]]:
            keys, unknown = norm.parse_choices(value, choices)
            return tuple(keys), tuple(unknown)

        return read_choices
    return _passport if kind == "passport" else _text  # these never raise BadValue


def _types(values) -> set[type]:
    """The types of values, and of the items of tuple values (a row's cells)."""
    types = set(map(type, values))
    if tuple in types:
        types.update(map(type, itertools.chain.from_iterable(v for v in values if type(v) is tuple)))
    return types


def distinct_map(function, cells: list) -> list:
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
    """Every cell of a column read as `kind`: (value, doubts) per cell, or `BAD`.

    A column repeats its values (a unit's cells on each of its rows, yes/no, dates, themes), so each
    distinct value is read once and the column is mapped through the results.
    """
    return distinct_map(reader(kind, choices), cells)


def firsts(values: list, kept: list[int]) -> list:
    """The parsed values (without their doubts) of the kept rows."""
    firsts = list(map(itemgetter(0), values))
    return firsts if len(kept) == len(values) else [firsts[i] for i in kept]
