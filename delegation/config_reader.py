"""Typed values read from event.toml's tree, each checked, with one sentence naming the exact key
when one is wrong (`error.config.<reason>`)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from delegation.errors import DelegationError

SLUG = re.compile(r"^[a-z][a-z0-9_]*$")  # a key of a choice, a milestone or a document kind


class Reader:
    """Reads typed values from the TOML tree, naming the exact key when one is wrong."""

    def __init__(self, source: Path) -> None:
        self.source = source

    def fail(self, key: str, reason: str, **params: object) -> DelegationError:
        """The sentence `error.config.<reason>` naming the file and the key."""
        return DelegationError(f"error.config.{reason}", file=self.source.name, setting=key, **params)

    def table(self, tree: dict, key: str, path: str) -> dict:
        value = tree.get(key)
        if not isinstance(value, dict):
            raise self.fail(path, "missing_table")
        return value

    def text(self, tree: dict, key: str, path: str) -> str:
        value = tree.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, "not_text")
        return value.strip()

    def date(self, tree: dict, key: str, path: str) -> dt.date:
        value = tree.get(key)
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise self.fail(path, "not_date")
        return value

    def positive_int(self, tree: dict, key: str, path: str, default: int) -> int:
        value = tree.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail(path, "not_positive")
        return value

    def flag(self, tree: dict, key: str, path: str, default: bool) -> bool:
        value = tree.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(path, "not_flag")
        return value

    def slug(self, tree: dict, key: str, path: str) -> str:
        value = self.text(tree, key, path)
        if not SLUG.match(value):
            raise self.fail(path, "not_slug")
        return value

    def choices(self, tree: dict, key: str) -> list[tuple[str, str, str, tuple[str, ...]]]:
        """A list of choices (cities, sectors, themes): each (key, zh, en, synonyms)."""
        items = tree.get(key)
        if not isinstance(items, list) or not items:
            raise self.fail(key, "no_entries")
        seen: set[str] = set()
        out = []
        for i, item in enumerate(items):
            path = f"{key}[{i}]"
            if not isinstance(item, dict):
                raise self.fail(path, "not_table")
            slug = self.slug(item, "key", f"{path}.key")
            if slug in seen:
                raise self.fail(f"{path}.key", "repeats", value=slug)
            seen.add(slug)
            synonyms = item.get("synonyms", [])
            if not isinstance(synonyms, list) or not all(isinstance(s, str) for s in synonyms):
                raise self.fail(f"{path}.synonyms", "not_texts")
            out.append(
                (
                    slug,
                    self.text(item, "zh", f"{path}.zh"),
                    self.text(item, "en", f"{path}.en"),
                    tuple(synonyms),
                )
            )
        return out


def online_form_address(r: Reader, event: dict) -> str:
    """`[event.online_form] address`: an https address, or "" when the event has no online form."""
    form = event.get("online_form", {})
    if not isinstance(form, dict):
        raise r.fail("event.online_form", "is_not_table")
    address = form.get("address", "")
    if not isinstance(address, str) or (address and not address.startswith("https://")):
        raise r.fail("event.online_form.address", "not_form_address")
    return address.strip()
