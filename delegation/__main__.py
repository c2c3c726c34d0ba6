"""`python -m delegation`."""

import gc
import os
import sys

if sys.argv[1:2] == ["import"]:
    # A one-shot import runs without the cyclic garbage collector: an import leaves no cycles to
    # collect (it pauses the collector anyway: `ingest._cycle_collection_paused`), and resuming it
    # at the end would walk every object still alive once more (≈ 30 ms) just before exit.
    gc.disable()

from delegation.cli import main  # after the collector is off: its imports make many objects

status = main()
if sys.argv[1:2] not in (["serve"], ["watch"]):
    # A one-shot command is done: its files and database are closed. Leaving without the
    # interpreter's teardown skips its last garbage collection over every object still alive
    # (pypinyin's dictionaries, the import's caches): about 0.1 s after a bulk import.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
sys.exit(status)
