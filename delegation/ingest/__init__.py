"""Import registration forms: read (`delegation.sheets`) → find header → map columns → normalise →
validate → store.

The package's face, what the app, the CLI, the inbox and the mailbox use: `import_files` imports
the forms of one upload or one command in the order of their dates, `import_file` one form alone,
`import_uploads` files received as bytes; each gives an `ImportReport`. The modules, one job each:
`reading` (a file into clean rows, in a worker process: `layout`, `rows`, `cells`,
`participant_values`, `fields` and `normalise` below it), `matching` (rows to the stored units and
participants), `storing` (writing to DuckDB), `report` (what an import did, as tables and
sentences) and `pipeline` (one transaction per form).

Each name is imported from its module when it is first asked for (PEP 562): a reader worker
imports `reading` alone, never DuckDB and the storing side (0.3 s of each worker's start).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# The package's names → the module of the package each comes from.
_FROM = {
    "check_received_on": "pipeline",
    "import_file": "pipeline",
    "import_files": "pipeline",
    "import_uploads": "pipeline",
    "store_form": "pipeline",
    "unexpected": "pipeline",
    "Form": "reading",
    "read_form": "reading",
    "read_form_here": "reading",
    "ImportReport": "report",
    "applied_order": "report",
    "changes_frame": "report",
    "issues_frame": "report",
    "PARTICIPANT_COLUMNS": "storing",
    "UNIT_COLUMNS": "storing",
}
__all__ = [
    "PARTICIPANT_COLUMNS",
    "UNIT_COLUMNS",
    "Form",
    "ImportReport",
    "applied_order",
    "changes_frame",
    "check_received_on",
    "import_file",
    "import_files",
    "import_uploads",
    "issues_frame",
    "read_form",
    "read_form_here",
    "store_form",
    "unexpected",
]


def __getattr__(name: str) -> object:
    module = _FROM.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


if TYPE_CHECKING:
    from delegation.ingest.pipeline import (
        check_received_on,
        import_file,
        import_files,
        import_uploads,
        store_form,
        unexpected,
    )
    from delegation.ingest.reading import Form, read_form, read_form_here
    from delegation.ingest.report import ImportReport, applied_order, changes_frame, issues_frame
    from delegation.ingest.storing import PARTICIPANT_COLUMNS, UNIT_COLUMNS
