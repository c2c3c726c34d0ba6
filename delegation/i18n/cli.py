"""Labels for the command line's own lines (what `python -m delegation` prints on success): key -> (zh, en)."""

TEXT: dict[str, tuple[str, str]] = {}
