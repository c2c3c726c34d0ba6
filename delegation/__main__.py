"""`python -m delegation`."""

import os
import sys

from delegation.cli import main

status = main()
if sys.argv[1:2] not in (["serve"], ["watch"]):
    # A one-shot command is done: its files and database are closed. Leaving without the
    # interpreter's teardown skips its last garbage collection over every object still alive
    # (pypinyin's dictionaries, the import's caches): about 0.1 s after a bulk import.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
sys.exit(status)
