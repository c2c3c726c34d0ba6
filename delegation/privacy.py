"""Masking personal data for screens and exports that must not show it in full.

The one home for it: which columns are personal (`MASKS`) and how each is masked. The lists
(`delegation.lists`), the pages' tables, the logs and the reports all mask through here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from delegation.fields import FIELDS

if TYPE_CHECKING:
    import pandas as pd


def mask_passport(number: str | None) -> str | None:
    """'E12345678' → 'E*****678': the first character and the last three kept."""
    if not isinstance(number, str) or not number:
        return None  # pandas hands over a missing text as NaN
    if len(number) <= 4:
        return "*" * len(number)
    return number[0] + "*" * (len(number) - 4) + number[-3:]


def mask_mobile(number: str | None) -> str | None:
    """'13812347532' → '138****7532': the first three and last four characters kept."""
    if not isinstance(number, str) or not number:
        return None
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_birth_date(day: dt.date | None) -> str | None:
    """A date of birth as its year only."""
    # pandas hands over a missing date as NaT, which is a date that is not equal to itself.
    return str(day.year) if isinstance(day, dt.date) and day == day else None


def mask_email(address: str | None) -> str | None:
    """'zhang.wei@example.com' → 'z***@example.com'."""
    if not isinstance(address, str) or "@" not in address:
        return address if isinstance(address, str) else None
    local, domain = address.split("@", 1)
    return f"{local[:1]}***@{domain}"


# How each masked column is masked, as the field description (`delegation.fields`) names its mask.
_MASK_FUNCTIONS = {
    "passport": mask_passport,
    "mobile": mask_mobile,
    "email": mask_email,
    "birth_date": mask_birth_date,
}
MASKS = {f.name: _MASK_FUNCTIONS[f.mask] for f in FIELDS if f.mask}


def masked(column: str, value: object) -> object:
    """A value of `column` as a log or a report may show it: masked when the column is personal."""
    mask = MASKS.get(column)
    return mask(value) if mask and value is not None else value


def is_personal(column: str) -> bool:
    """Whether `column` holds personal data, which shows masked unless "show full" is on."""
    return column in MASKS


def shown(column: str, value: object, show_full: bool) -> object:
    """A value of `column` as a screen or an export shows it: in full with "show full" on, else masked."""
    return value if show_full else masked(column, value)


def row_masker(columns: Sequence[str], show_full: bool) -> Callable[[tuple], tuple]:
    """A function masking the personal values of a row whose values are in `columns` order (the
    row unchanged with "show full" on, or when no column is personal)."""
    personal = [(i, MASKS[c]) for i, c in enumerate(columns) if c in MASKS]
    if show_full or not personal:
        return lambda row: row

    def mask(row: tuple) -> tuple:
        out = list(row)
        for i, hide in personal:
            if out[i] is not None:
                out[i] = hide(out[i])
        return tuple(out)

    return mask


def mask_frame(frame: pd.DataFrame, show_full: bool) -> pd.DataFrame:
    """A data frame with its personal columns masked unless show_full (changed in place, returned)."""
    if not show_full:
        for column in frame.columns:
            if column in MASKS:
                frame[column] = [masked(column, v) for v in frame[column]]
    return frame


def masked_changes(changed: dict[str, tuple[object, object]]) -> dict[str, dict[str, object]]:
    """Before and after of changed fields as the audit log keeps them: personal values masked
    (the log is never purged)."""
    return {
        "before": {c: masked(c, before) for c, (before, _) in changed.items()},
        "after": {c: masked(c, after) for c, (_, after) in changed.items()},
    }
