"""`python -m delegation.worker MEMORY_BYTES`: the process that reads files from outside.

Started by `delegation.sandbox`, never by hand. It limits its own memory, imports the readers once,
then answers jobs on stdin/stdout (length-prefixed pickles) until stdin closes: ("ok", result),
("refused", (en, zh)) for a file the reader refuses, ("memory", "") or ("failed", reason). A file that
aborts or kills it ends it; the sandbox sees the exit status and refuses that file.
"""

from __future__ import annotations

import importlib
import math
import os
import pickle
import resource
import struct
import sys

_HEADER = struct.Struct("!Q")
_out = _inp = None  # the answers' and the jobs' streams, in the worker process only
_word_due = False  # the job under way is to get a word from the desk (`receive`)


def tell(kind: str, value: object) -> None:
    """A job's word to the desk before its answer (e.g. "texts": a form's texts, for the desk to
    work their search text out while the sheets are read). Nothing outside the worker process."""
    if _out is not None:
        _answer(_out, kind, value)


def receive() -> object:
    """The desk's word for the job under way, waited for (`sandbox.Job.tell`: e.g. the formula
    rows another worker found while checking the file). Each such job gets exactly one: one the
    job did not wait for is read before the next job."""
    global _word_due
    if not _word_due:
        raise RuntimeError("no word from the desk follows this job")
    _word_due = False
    size = _HEADER.unpack(_read_exactly(_inp, _HEADER.size))[0]
    return pickle.loads(_read_exactly(_inp, size))


def _limit_memory(memory_bytes: int) -> None:
    """RLIMIT_DATA: the heap and private mappings, what a reader's allocations take (not the
    shared libraries' code, which RLIMIT_AS would also count)."""
    resource.setrlimit(resource.RLIMIT_DATA, (memory_bytes, memory_bytes))


def _limit_cpu(seconds: int) -> None:
    """This job may use `seconds` more CPU time; past it the kernel ends the process (SIGXCPU)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = math.ceil(usage.ru_utime + usage.ru_stime)
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    resource.setrlimit(resource.RLIMIT_CPU, (used + seconds, hard))


def _read_exactly(stream, size: int) -> bytes:
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return data


class _Chunks:
    """A writer that sends what it is given as a chunk after its length (see `_answer`)."""

    def __init__(self, out) -> None:
        self.out = out

    def write(self, data) -> int:
        self.out.write(_HEADER.pack(len(data)))
        self.out.write(data)
        return len(data)


def _answer(out, kind: str, value: object) -> None:
    """A message to the desk: the pickle of (kind, value) in chunks, each after its length, then
    an empty chunk. The pickler hands over each 64 KB frame as it is made, so the desk unpickles
    a large answer while the rest is pickled."""
    pickle.Pickler(_Chunks(out), protocol=5).dump((kind, value))
    out.write(_HEADER.pack(0))
    out.flush()


def main() -> int:
    _limit_memory(int(sys.argv[1]))
    # A job's answer goes on the real stdout; a reader that prints goes to stderr instead.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    inp = sys.stdin.buffer
    from delegation import worker  # this file as the readers import it (here it runs as __main__)
    from delegation.sandbox import JOBS

    # Warm: a form's readers are imported once. The worker runs its jobs by name, so it imports
    # them by the name the sandbox gives the job too; it depends on no reader's module itself.
    # python-docx waits for the first Word form (`sheets._read_docx`): a workbook's two workers
    # start without it (0.1 s each, on the import's critical path).
    importlib.import_module(JOBS["read_form"].split(":")[0])

    worker._out, worker._inp = out, inp
    from delegation.errors import DelegationError

    while True:
        try:
            if worker._word_due:  # the last job ended before it waited for the desk's word
                worker.receive()
            size = _HEADER.unpack(_read_exactly(inp, _HEADER.size))[0]
        except EOFError:
            return 0
        target, args, kwargs, cpu_seconds, worker._word_due = pickle.loads(_read_exactly(inp, size))
        module, function = target.split(":")
        _limit_cpu(cpu_seconds)
        try:
            result = getattr(importlib.import_module(module), function)(*args, **kwargs)
        except DelegationError as exc:
            _answer(out, "refused", (exc.en, exc.zh))
            continue
        except MemoryError:
            _answer(out, "memory", "")
            return 1
        except BaseException as exc:  # a reader's panic (PanicException is a BaseException) too
            _answer(out, "failed", type(exc).__name__)
            return 1
        try:
            _answer(out, "ok", result)
        except MemoryError:  # part of the answer is sent: the desk sees the worker end mid-answer
            print("MemoryError while answering", file=sys.stderr)
            return 1
        del result  # the last file's rows are not kept while the worker waits for the next


if __name__ == "__main__":
    sys.exit(main())
