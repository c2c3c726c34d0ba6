"""The sidebar's filters as one value: bound to every query, written to and read from the URL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from delegation.i18n import text
from delegation.provinces import PROVINCES, province_for

STATUSES = ("registered", "confirmed", "withdrawn")
MAX_ID = 2**31 - 1  # unit ids are DuckDB integers
LIST_FILTERS = ("provinces", "sectors", "themes", "cities", "unit_ids", "statuses")
# URL parameter names: short and readable, e.g. ?province=Jiangsu&theme=green_development&as_of=2023-03-20
_URL = {
    "provinces": "province",
    "sectors": "sector",
    "themes": "theme",
    "cities": "city",
    "unit_ids": "unit",
    "statuses": "status",
}


def _date(text: str) -> dt.date | None:
    """A URL's as-of day, or None when it is no date."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _read(name: str, value: str) -> object:
    """One URL value of the list filter `name` as the filter holds it, or None when it is none."""
    if not value:
        return None
    if name == "unit_ids":
        # ASCII digits within a unit id's range: "²" is a digit to Python, and 2147483648
        # overflowed DuckDB's integer, and either broke every page.
        return int(value) if value.isascii() and value.isdigit() and int(value) <= MAX_ID else None
    if name == "statuses":
        return value if value in STATUSES else None
    if name == "provinces":
        return province_for(value) or value  # 江苏 or 江苏省 as well as Jiangsu ("unknown" stays)
    return value


if TYPE_CHECKING:
    from delegation.config import EventConfig


@dataclass(frozen=True)
class Filters:
    """What to count: registrations up to `as_of` that match every non-empty list."""

    as_of: dt.date
    provinces: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    unit_ids: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()

    def params(self) -> dict[str, object]:
        """The bound parameters every filtered query takes."""
        return {
            "as_of": self.as_of,
            "provinces": list(self.provinces),
            "sectors": list(self.sectors),
            "themes": list(self.themes),
            "cities": list(self.cities),
            "unit_ids": [int(u) for u in self.unit_ids],
            "statuses": list(self.statuses),
        }

    def for_unit(self, unit_id: int) -> Filters:
        """Everyone of one unit registered by the as-of day, withdrawn included."""
        return Filters(as_of=self.as_of, unit_ids=(unit_id,), statuses=STATUSES)

    def to_url(self) -> dict[str, list[str]]:
        """Query-string parameters that reopen the same view."""
        out: dict[str, list[str]] = {"as_of": [self.as_of.isoformat()]}
        for name in LIST_FILTERS:
            values = getattr(self, name)
            if values:
                out[_URL[name]] = [str(v) for v in values]
        return out

    @classmethod
    def from_url(cls, query: dict[str, list[str]], default_as_of: dt.date) -> Filters:
        """Filters from query-string parameters; unreadable values are ignored, and a value named
        twice counts once (?province=Jiangsu twice made two chips)."""
        as_of = _date(query.get("as_of", [""])[-1]) or default_as_of
        values = {
            name: tuple(
                dict.fromkeys(r for v in query.get(_URL[name], []) if (r := _read(name, v)) is not None)
            )
            for name in LIST_FILTERS
        }
        return cls(as_of=as_of, **values)

    def left_out_of(self, query: dict[str, list[str]]) -> list[tuple[str, str]]:
        """The URL's values these filters (read from it) did not take, as (field, value as written)."""
        left = []
        written = query.get("as_of", [""])[-1]
        if written and _date(written) != self.as_of:  # 20230320 reads as 2023-03-20: taken
            left.append(("as_of", written))
        for name in LIST_FILTERS:
            taken = set(getattr(self, name))
            left += [
                (name, v)
                for v in dict.fromkeys(query.get(_URL[name], []))
                if v and _read(name, v) not in taken
            ]
        return left

    def slug(self) -> str:
        """A short description for file names: 'Jiangsu_green-development_2023-03-20'."""
        parts = [*self.provinces, *self.sectors, *self.themes, *self.cities]
        parts = [p.replace("_", "-").replace(" ", "-") for p in parts[:4]]
        return "_".join([*parts, self.as_of.isoformat()])

    def in_words(self, config: EventConfig, lang: str, unit_names: dict[int, str] | None = None) -> str:
        """The filters as a reader says them: "省份：江苏；论坛主题：绿色发展" / "Province: Jiangsu;
        forum theme: Green development" (the as-of day apart); "全部" / "All" when none is set."""
        names = {**choice_labels(config, lang), "unit_ids": unit_names or {}}
        sep, colon, join = ("；", "：", "、") if lang == "zh" else ("; ", ": ", ", ")
        said = [
            f"{text(f'filter.{name}', lang)}{colon}{join.join(str(names[name].get(v, v)) for v in values)}"
            for name in LIST_FILTERS
            if (values := getattr(self, name))
        ]
        return sep.join(said) or text("filter.all", lang)


def choice_labels(config: EventConfig, lang: str) -> dict[str, dict[str, str]]:
    """Each filter's values by key and what they are called in `lang` (the sidebar offers them,
    an export's about sheet says them): every province, sector, theme, city and status."""
    provinces = {p.key: p.short_zh if lang == "zh" else p.key for p in PROVINCES}
    provinces["unknown"] = text("value.unknown", lang)
    return {
        "provinces": provinces,
        "sectors": {c.key: c.label(lang) for c in config.sectors},
        "themes": {c.key: c.label(lang) for c in config.themes},
        "cities": {c.key: c.label(lang) for c in config.cities},
        "statuses": {s: text(f"status.{s}", lang) for s in STATUSES},
    }
