"""Files from outside are read in a worker process, never in the desk's own.

A hostile form can make a reader allocate half a terabyte (the process aborts), panic, or spin for
minutes; parsed in the server, it takes every session down with it. So each file is read by
`python -m delegation.worker`: a separate process started once and kept warm (its readers already
imported), with a memory limit (RLIMIT_DATA) and a CPU-time limit per file (RLIMIT_CPU) from the
event's `[security]` settings. It gets a job (a reader and its arguments), hands back plain data
(rows, never a database handle) and is reused; one that crashes or passes a limit is replaced, and
its file is refused with one sentence saying why. See docs/hardening.md.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from delegation.errors import DelegationError
from delegation.worker_pipe import Worker

# The jobs a worker runs: a name the caller gives → "module:function" the worker calls.
JOBS = {
    "read_form": "delegation.ingest.reading:read_form_here",
    "check_form": "delegation.sheets:check_workbook",
    "parse_message": "delegation.mail:parse_message",
    "check_scan": "delegation.scans:check_scan",
    "scan_pictures": "delegation.documents.pictures:scan_pictures_here",
}
# Warm workers kept for the next file: two read a form (`begin_read_form`), and an upload and
# the inbox may read at once.
KEEP_IDLE = 4


@dataclass(frozen=True)
class Limits:
    """What one file's reading may use: memory (bytes) and CPU time (seconds)."""

    memory_bytes: int = 1024 * 1024 * 1024
    cpu_seconds: int = 60

    @classmethod
    def of(cls, config) -> Limits:
        """The limits an event's `[security]` settings give."""
        return cls(config.worker_memory_mb * 1024 * 1024, config.worker_cpu_seconds)


_idle: list[Worker] = []
_lock = threading.Lock()


def _take(limits: Limits) -> Worker:
    with _lock:
        while _idle:
            worker = _idle.pop()
            if worker.alive() and worker.limits == limits:
                return worker
            worker.kill()
    return Worker(limits)


def _give_back(worker: Worker) -> None:
    with _lock:
        if worker.alive() and len(_idle) < KEEP_IDLE:
            _idle.append(worker)
            return
    worker.kill()


def warm(limits: Limits, count: int = 2) -> None:
    """Start `count` workers now (a form takes two), so that the first file does not wait for
    their start (≈ 0.2 s)."""
    with _lock:
        count -= sum(w.limits == limits and w.alive() for w in _idle)
    for _ in range(count):
        _give_back(Worker(limits))


class Job:
    """A reader's job under way in a worker (`start`); `result()` waits for it."""

    def __init__(
        self,
        job: str,
        args: tuple,
        kwargs: dict,
        limits: Limits,
        name: str,
        on_texts=None,
        word_follows: bool = False,
    ) -> None:
        self.name, self.on_texts, self.done = name, on_texts, False
        self._worker = _take(limits)
        try:
            self._worker.send(JOBS[job], args, kwargs, word_follows)
        except BaseException:
            self._worker.kill()
            raise

    def result(self) -> object:
        """The reader's result, or its refusal as a DelegationError; the worker goes back to the
        pool (or is replaced, if the file harmed it)."""
        worker, self.done = self._worker, True
        try:
            result = worker.answer(self.name, self.on_texts)
        except DelegationError:
            if worker.alive():
                _give_back(worker)
            else:
                worker.kill()
            raise
        except BaseException:
            worker.kill()
            raise
        _give_back(worker)
        return result

    def tell(self, value: object) -> None:
        """The one word a job started with `word_follows` waits for (`worker.receive`)."""
        self._worker.send_word(value)

    def cancel(self) -> None:
        """Its result is not wanted: the worker is stopped mid-file (once answered, it is not
        this job's any more)."""
        if not self.done:
            self.done = True
            self._worker.kill()


class CheckedRead:
    """A form read in one worker while another checks that it is safe to read: the check's
    verdict is awaited first, so a refused file gets the check's sentence (the reader, not
    stopped by the check, may have failed on it meanwhile) and its rows are never used."""

    def __init__(self, check: Job, read: Job) -> None:
        self.check, self.read = check, read

    def result(self) -> object:
        try:
            formulas = self.check.result()
            self.read.tell(formulas)  # the reader waits for them before it goes through the rows
        except BaseException:
            self.read.cancel()
            raise
        return self.read.result()

    def cancel(self) -> None:
        self.check.cancel()
        self.read.cancel()


def start(
    job: str,
    *args: object,
    limits: Limits,
    name: str,
    on_texts=None,
    word_follows: bool = False,
    **kwargs: object,
) -> Job:
    """Begin a reader (`JOBS`) on a file in a worker, e.g. while this process opens the database.
    `on_texts`: as `Worker.answer` takes it; `word_follows`: the job waits for one `Job.tell`."""
    return Job(job, args, kwargs, limits, name, on_texts, word_follows)


def begin_read_form(config, path, *, today, file_name: str) -> CheckedRead:
    """Start reading a form (`ingest.read_form`'s job) now, e.g. before the database opens. Two
    workers take it at once: one checks it (`sheets.check_workbook`: safe to read? which rows hold
    formulas?), the other reads it meanwhile and waits for the formula rows (passed on by `result`)
    before it goes through the rows. A 50 000-row workbook's reading would otherwise wait 0.4 s
    for those checks. The form's texts get their pinyin in this process meanwhile. Cheap to import: the CLI calls it before DuckDB
    is loaded."""
    from pathlib import Path

    from delegation.search import precompute_until

    path, limits = Path(path).absolute(), Limits.of(config)  # the workers run in the package's folder
    read = start(
        "read_form",
        config,
        path,
        today=today,
        file_name=file_name,
        checked=True,
        limits=limits,
        name=file_name,
        on_texts=precompute_until,
        word_follows=True,  # the checker's formula rows
    )
    try:
        check = start("check_form", path, config, limits=limits, name=file_name)
    except BaseException:
        read.cancel()
        raise
    return CheckedRead(check, read)


def run(job: str, *args: object, limits: Limits, name: str, on_texts=None, **kwargs: object) -> object:
    """Run a reader (`JOBS`) on a file in a worker: its result, or its refusal as a DelegationError.
    Whatever the file does to the worker — abort, panic, endless loop, a terabyte of memory — this
    process, its threads and the database go on; the file gets one sentence."""
    return start(job, *args, limits=limits, name=name, on_texts=on_texts, **kwargs).result()


def stop_all() -> None:
    """Stop the idle workers (tests, and a process about to exit)."""
    with _lock:
        workers, _idle[:] = list(_idle), []
    for worker in workers:
        worker.kill()
