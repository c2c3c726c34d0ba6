"""Labels for the sentences of errors and warnings (DelegationError keys): key -> (zh, en)."""

TEXT: dict[str, tuple[str, str]] = {}
