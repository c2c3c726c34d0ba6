"""The figures leadership asks for first, as one dictionary: the CLI's `summary --json` and the app agree."""

from __future__ import annotations

import datetime as dt

import duckdb

from delegation.config import EventConfig
from delegation.filters import Filters
from delegation.named_queries import query_rows

ALL_PROVINCES = 1000  # larger than the number of provinces: nothing is folded into 'others'


def countdowns(config: EventConfig, as_of: dt.date) -> list[dict]:
    """Every milestone with its days left (negative once passed), in date order."""
    return [
        {"key": m.key, "date": m.date.isoformat(), "days_left": (m.date - as_of).days}
        for m in config.milestones()
    ]


def mail_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Registration e-mails imported, those matched to no unit yet, and the messages the desk sent."""
    return dict(
        zip(("messages", "unmatched", "sent"), map(int, query_rows(con, "mail_counts")[0]), strict=True)
    )


def summary(con: duckdb.DuckDBPyConnection, config: EventConfig, filters: Filters | dt.date) -> dict:
    """Units, participants and their breakdowns as of a day and for the filters; withdrawn left out."""
    if isinstance(filters, dt.date):
        filters = Filters(as_of=filters)
    params = filters.params()
    units, participants, applicants, invalid = query_rows(
        con, "headline_figures", passport_valid_through=config.passport_valid_through, **params
    )[0]

    def breakdown(name: str, **extra: object) -> dict[str, int]:
        """Participants by the query's key (a province, a sector, a theme, a city); a theme's and a
        city's rows end in their share, not needed here."""
        rows = query_rows(con, name, **params, **extra)
        return {key: int(participants) for key, _name_zh, _name_en, participants, *_share in rows}

    return {
        "as_of": filters.as_of.isoformat(),
        "units": int(units),
        "participants": int(participants),
        "by_province": breakdown("participants_by_province", top=ALL_PROVINCES),
        "by_sector": breakdown("participants_by_sector"),
        "by_theme": breakdown("participants_by_theme"),
        "by_city": breakdown("participants_by_city"),
        "invitation_applicants": int(applicants),
        "passport_invalid": int(invalid),
        "deadlines": countdowns(config, filters.as_of),
        "missing_documents": {
            kind: int(missing)
            for kind, _name_zh, _name_en, _required, missing in query_rows(
                con, "missing_documents_by_kind", **params
            )
        },
        "mail": mail_counts(con),
    }
