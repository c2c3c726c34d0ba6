"""Import registration forms: read (`delegation.sheets`) → find header → map columns → normalise →
validate → store.

The package's face, what the app, the CLI, the inbox and the mailbox use: `import_files` imports
the forms of one upload or one command in the order of their dates, `import_file` one form alone,
`import_uploads` files received as bytes; each gives an `ImportReport`. The modules, one job each:
`reading` (a file into clean rows, in a worker process: `layout`, `rows`, `cells`,
`participant_values`, `fields` and `normalise` below it), `matching` (rows to the stored units and
participants), `storing` (writing to DuckDB), `report` (what an import did, as tables and
sentences) and `pipeline` (one transaction per form).
"""

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
