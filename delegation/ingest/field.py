"""What a field of the registration form is: its key, its kind of value, and the headers that
name it (the fields themselves: `unit_fields`, `participant_fields`; the lookups: `fields`)."""

from __future__ import annotations

from dataclasses import dataclass

from delegation.fields import BY_FORM_KEY


@dataclass(frozen=True)
class Field:
    """A form field: its key, its kind of value, and the header spellings that mean it."""

    key: str
    kind: (
        str  # text | phone | email | passport | date | yes_no | gender | province | sector | themes | cities
    )
    level: str  # unit | participant
    headers: tuple[str, ...]
    pattern: str | None = None  # regex on the header's match key, tried after exact spellings

    @property
    def personal(self) -> bool:
        """Never echo its values in messages: as the stored field it fills is described."""
        return BY_FORM_KEY[self.key].personal
