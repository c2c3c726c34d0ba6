"""Masking personal data for screens and exports that must not show it in full."""

from __future__ import annotations

import datetime as dt


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
