"""The one exception type for errors a user can cause, its sentence by key in Chinese and English."""

from __future__ import annotations

import os

from delegation.i18n import text


class DelegationError(Exception):
    """A problem with the user's input, shown as one sentence in the user's language.

    `DelegationError(key, name=value)` names a sentence of `i18n.TEXT` and its parameters, so
    that one key says the same thing in both languages; both sentences are made when it is raised.
    """

    def __init__(self, key: str, /, **params: object) -> None:
        self.key, self.params = key, params
        self.en, self.zh = text(key, "en", **params), text(key, "zh", **params)
        super().__init__(self.en)

    def message(self, lang: str = "en") -> str:
        """The sentence in `lang` ("zh" or "en")."""
        return self.zh if lang == "zh" else self.en


def cli_language() -> str:
    """The language for command-line messages: DELEGATION_LANG, else the locale, else English."""
    chosen = os.environ.get("DELEGATION_LANG") or os.environ.get("LANG", "")
    return "zh" if chosen.lower().startswith("zh") else "en"
