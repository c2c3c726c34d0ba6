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

import contextlib
import io
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from delegation import ROOT
from delegation.errors import DelegationError

# The jobs a worker runs: a name the caller gives → "module:function" the worker calls.
JOBS = {
    "read_form": "delegation.ingest:read_form_here",
    "check_form": "delegation.sheets:check_workbook",
    "parse_message": "delegation.mail:parse_message",
    "check_scan": "delegation.scans:check_scan",
    "scan_pictures": "delegation.documents.pictures:scan_pictures_here",
}
# Warm workers kept for the next file: two read a form (`begin_read_form`), and an upload and
# the inbox may read at once.
KEEP_IDLE = 4
_HEADER = struct.Struct("!Q")


@dataclass(frozen=True)
class Limits:
    """What one file's reading may use: memory (bytes) and CPU time (seconds)."""

    memory_bytes: int = 1024 * 1024 * 1024
    cpu_seconds: int = 60

    @classmethod
    def of(cls, config) -> Limits:
        """The limits an event's `[security]` settings give."""
        return cls(config.worker_memory_mb * 1024 * 1024, config.worker_cpu_seconds)


def refusal(name: str, en: str, zh: str) -> DelegationError:
    """'The file could not be read safely: …' naming the file."""
    return DelegationError(
        f"{name}: the file could not be read safely: {en}.", f"{name}：文件无法安全读取：{zh}。"
    )


class _Worker:
    """One worker process and the pipes to it."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        # The worker's stderr, kept open as long as the worker: a reader's last words.
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            # A reader's panic or failed allocation says so in one line; a backtrace after it
            # (RUST_BACKTRACE=1 in a developer's shell) would take seconds and bury that line.
            "RUST_BACKTRACE": "0",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "delegation.worker", str(limits.memory_bytes)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            cwd=ROOT,
            env=env,
            start_new_session=True,  # a Ctrl+C in the terminal is the parent's to handle
        )

    def send(self, job: str, args: tuple, kwargs: dict, word_follows: bool = False) -> None:
        """Hand the worker a job (`word_follows`: and, later, one word for it: `send_word`); its
        answer is read by `answer`. A worker gone already is seen there."""
        self.sent = time.monotonic()
        self.send_word((JOBS[job], args, kwargs, self.limits.cpu_seconds, word_follows))

    def send_word(self, value: object) -> None:
        payload = pickle.dumps(value, protocol=5)
        with contextlib.suppress(OSError):  # BrokenPipeError: `answer` says why the worker stopped
            self.process.stdin.write(_HEADER.pack(len(payload)) + payload)
            self.process.stdin.flush()

    def answer(self, name: str, on_texts: Callable[[list, Callable[[], bool]], object] | None) -> object:
        """Wait for the job's answer; a worker that fails is killed and the file refused.
        `on_texts(texts, answered)`: what to do with a reader's texts told before its answer
        (`answered()` says whether the answer is there)."""
        deadline = self.sent + 2 * self.limits.cpu_seconds + 10
        try:
            answer = self._read(deadline)
            while answer[0] == "texts":
                if on_texts is not None and isinstance(answer[1], list):
                    on_texts(answer[1], self._answered)
                answer = self._read(deadline)
        except TimeoutError:  # before OSError, its base class
            self.kill()
            raise refusal(
                name,
                f"it took longer than the {self.limits.cpu_seconds} s allowed",
                f"读取时间超过 {self.limits.cpu_seconds} 秒的上限",
            ) from None
        except (BrokenPipeError, EOFError, OSError):
            raise self._died(name) from None
        except pickle.UnpicklingError:  # a worker taken over by the file, answering with code
            self.kill()
            raise refusal(
                name, "the reader's answer was not plain data", "读取程序返回了非数据内容"
            ) from None
        kind, value = answer
        if kind == "ok":
            return value
        if kind == "refused":
            raise DelegationError(*value)
        self.kill()  # "memory" or "failed": its state is not to be trusted with the next file
        if kind == "memory":
            raise _memory_refusal(name, self.limits)
        raise refusal(name, f"the reader failed ({value})", f"读取程序出错（{value}）")

    def _answered(self) -> bool:
        return bool(select.select([self.process.stdout.fileno()], [], [], 0)[0])

    def _read(self, deadline: float) -> tuple:
        """The worker's next message, unpickled as its chunks arrive (while the worker still
        pickles the rest: a 50 000-row form's 10 MB cross 0.1 s sooner than pickled whole)."""
        message = _Message(self.process.stdout.fileno(), deadline)
        value = _Unpickler(io.BufferedReader(message, 1 << 16)).load()
        message.finish()
        return value

    @staticmethod
    def _exactly(fd: int, size: int, deadline: float) -> bytes:
        chunks, left = [], size
        while left:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimeoutError
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _died(self, name: str) -> DelegationError:
        """Why the worker stopped, as the file's refusal."""
        try:
            status = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            status = self.process.returncode
        size = self.errors.seek(0, io.SEEK_END)
        self.errors.seek(0)
        first = self.errors.read(4096)  # the reader's message; then perhaps a dump of its threads
        self.errors.seek(max(len(first), size - 4096))
        last_words = (first + self.errors.read()).decode("utf-8", "replace")
        self.errors.close()
        if status == -signal.SIGXCPU:
            return refusal(
                name,
                f"it needed more than the {self.limits.cpu_seconds} s of CPU time allowed",
                f"读取时超过 {self.limits.cpu_seconds} 秒的 CPU 时间上限",
            )
        if "memory allocation" in last_words or "MemoryError" in last_words or status == -signal.SIGKILL:
            return _memory_refusal(name, self.limits)
        reason = f"signal {-status}" if status and status < 0 else f"exit status {status}"
        return refusal(name, f"the reader stopped ({reason})", f"读取程序意外终止（{reason}）")

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                pipe.close()
        if not self.errors.closed:
            self.errors.close()


class _Message(io.RawIOBase):
    """One message from a worker, as `worker._answer` writes it: chunks, each after its
    length, up to an empty one."""

    def __init__(self, fd: int, deadline: float) -> None:
        self.fd, self.deadline, self.left, self.ended = fd, deadline, 0, False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self.left:
            if self.ended:
                return 0
            self.left = _HEADER.unpack(_Worker._exactly(self.fd, _HEADER.size, self.deadline))[0]
            self.ended = not self.left
        data = _Worker._exactly(self.fd, min(len(buffer), self.left, 1 << 20), self.deadline)
        buffer[: len(data)] = data
        self.left -= len(data)
        return len(data)

    def finish(self) -> None:
        """Read up to the message's end (past the pickle's last byte: its closing empty chunk)."""
        while self.readinto(bytearray(1 << 16)):
            pass


def _memory_refusal(name: str, limits: Limits) -> DelegationError:
    mb = limits.memory_bytes // (1024 * 1024)
    return refusal(
        name,
        f"it needed more memory than the {mb} MB allowed",
        f"读取时超过 {mb} MB 的内存上限",
    )


# What a worker's answer may name: the readers' plain data and nothing that runs code on loading.
_ALLOWED = {
    ("builtins", "frozenset"),
    ("builtins", "set"),
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("delegation.ingest", "Form"),
    ("delegation.ingest.rows", "Rows"),
    ("delegation.ingest.rows", "Issue"),
    ("delegation.documents.viewing", "Scan"),
    ("delegation.mail", "Message"),
    ("delegation.mail", "Attachment"),
    ("datetime", "timezone"),  # a message's Date keeps its offset
    ("datetime", "timedelta"),
}


class _Unpickler(pickle.Unpickler):
    """A worker that a file managed to take over still cannot make this process run code."""

    def find_class(self, module: str, name: str):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not a reader's data")
        return super().find_class(module, name)


_idle: list[_Worker] = []
_lock = threading.Lock()


def _take(limits: Limits) -> _Worker:
    with _lock:
        while _idle:
            worker = _idle.pop()
            if worker.alive() and worker.limits == limits:
                return worker
            worker.kill()
    return _Worker(limits)


def _give_back(worker: _Worker) -> None:
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
        _give_back(_Worker(limits))


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
            self._worker.send(job, args, kwargs, word_follows)
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
    `on_texts`: as `_Worker.answer` takes it; `word_follows`: the job waits for one `Job.tell`."""
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
