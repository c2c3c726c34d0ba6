"""Labels for the lists (delegation.lists): their titles and columns: key -> (zh, en)."""

TEXT: dict[str, tuple[str, str]] = {}
