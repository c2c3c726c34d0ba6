"""Documents owed by units and participants: storing scans (`stored`), reading them back for staff
(`viewing`, drawn in a worker by `pictures`), changing states (`states`), telling from a file name
what a scan is and filing it (`filing`), and scanning the folders e-mail attachments are saved into
(`folder_scan`).

Scans are kept under `documents/` beside the database with random names, encrypted (AES-256-GCM,
`delegation.crypto`, with the key of `delegation.keys`); the database keeps the original name and the
plaintext's sha256 (duplicates are found by it). Every change is appended to the audit log with its
before and after.
"""

from delegation.documents.filing import (
    ScanReport,
    Skipped,
    document_words,
    file_scan,
    match_document,
    unit_people,
)
from delegation.documents.folder_scan import scan_folder
from delegation.documents.states import CONFIRMATION, STATES, attach, set_owner, set_state, sync_confirmations
from delegation.documents.stored import (
    SCAN_SUFFIXES,
    StoredFile,
    documents_folder,
    pixel_limit,
    read_stored,
    store_file,
    too_large,
)
from delegation.documents.viewing import Scan, download_scan, log_scan, read_scan, scan_pictures

__all__ = [
    "CONFIRMATION",
    "SCAN_SUFFIXES",
    "STATES",
    "Scan",
    "ScanReport",
    "Skipped",
    "StoredFile",
    "attach",
    "document_words",
    "documents_folder",
    "download_scan",
    "file_scan",
    "log_scan",
    "match_document",
    "pixel_limit",
    "read_scan",
    "read_stored",
    "scan_folder",
    "scan_pictures",
    "set_owner",
    "set_state",
    "store_file",
    "sync_confirmations",
    "too_large",
    "unit_people",
]
