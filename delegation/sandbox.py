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
from dataclasses import dataclass

from delegation import ROOT
from delegation.errors import DelegationError

# The jobs a worker runs: a name the caller gives → "module:function" the worker calls.
JOBS = {
    "read_form": "delegation.ingest:read_form_here",
    "check_scan": "delegation.scans:check_scan",
    "scan_pictures": "delegation.documents:scan_pictures_here",
}
KEEP_IDLE = 2  # warm workers kept for the next file (an upload and the inbox may read at once)
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

    def run(self, job: str, args: tuple, kwargs: dict, name: str) -> object:
        """Send a job and wait for its answer; a worker that fails is killed and the file refused."""
        payload = pickle.dumps((JOBS[job], args, kwargs, self.limits.cpu_seconds), protocol=5)
        try:
            self.process.stdin.write(_HEADER.pack(len(payload)) + payload)
            self.process.stdin.flush()
            answer = self._read(time.monotonic() + 2 * self.limits.cpu_seconds + 10)
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

    def _read(self, deadline: float) -> tuple:
        fd = self.process.stdout.fileno()
        head = self._exactly(fd, _HEADER.size, deadline)
        return _Unpickler(io.BytesIO(self._exactly(fd, _HEADER.unpack(head)[0], deadline))).load()

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
    ("delegation.documents", "Scan"),
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


def warm(limits: Limits) -> None:
    """Start a worker now, so that the first file does not wait for its start (≈ 0.3 s)."""
    with _lock:
        if any(w.limits == limits and w.alive() for w in _idle):
            return
    _give_back(_Worker(limits))


def run(job: str, *args: object, limits: Limits, name: str, **kwargs: object) -> object:
    """Run a reader (`JOBS`) on a file in a worker: its result, or its refusal as a DelegationError.
    Whatever the file does to the worker — abort, panic, endless loop, a terabyte of memory — this
    process, its threads and the database go on; the file gets one sentence."""
    worker = _take(limits)
    try:
        result = worker.run(job, args, kwargs, name)
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


def stop_all() -> None:
    """Stop the idle workers (tests, and a process about to exit)."""
    with _lock:
        workers, _idle[:] = list(_idle), []
    for worker in workers:
        worker.kill()
