"""The desk's end of one worker process (`python -m delegation.worker`): starting it, handing it a
job, reading its answer as it arrives within the time allowed, and saying in one sentence why a
file was refused when the worker failed, passed a limit or answered with anything but plain data."""

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
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from delegation import ROOT
from delegation.errors import DelegationError
from delegation.i18n import Both

if TYPE_CHECKING:
    from delegation.sandbox import Limits

_HEADER = struct.Struct("!Q")


def refusal(name: str, why: str, /, **params: object) -> DelegationError:
    """'The file could not be read safely: …' naming the file (`error.sandbox.<why>`)."""
    return DelegationError(f"error.sandbox.{why}", name=name, **params)


class Worker:
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

    def send(self, target: str, args: tuple, kwargs: dict, word_follows: bool = False) -> None:
        """Hand the worker a job, the "module:function" it calls (`word_follows`: and, later, one
        word for it: `send_word`); its answer is read by `answer`. A worker gone already is seen there."""
        self.sent = time.monotonic()
        self.send_word((target, args, kwargs, self.limits.cpu_seconds, word_follows))

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
            raise refusal(name, "too_long", seconds=self.limits.cpu_seconds) from None
        except (BrokenPipeError, EOFError, OSError):
            raise self._died(name) from None
        except pickle.UnpicklingError:  # a worker taken over by the file, answering with code
            self.kill()
            raise refusal(name, "not_data") from None
        kind, value = answer
        if kind == "ok":
            return value
        if kind == "refused":
            raise DelegationError("forms.said", said=Both(*value))  # the reader's (en, zh)
        self.kill()  # "memory" or "failed": its state is not to be trusted with the next file
        if kind == "memory":
            raise _memory_refusal(name, self.limits)
        raise refusal(name, "failed", reason=value)

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
            return refusal(name, "cpu", seconds=self.limits.cpu_seconds)
        if "memory allocation" in last_words or "MemoryError" in last_words or status == -signal.SIGKILL:
            return _memory_refusal(name, self.limits)
        reason = f"signal {-status}" if status and status < 0 else f"exit status {status}"
        return refusal(name, "stopped", reason=reason)

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
            self.left = _HEADER.unpack(Worker._exactly(self.fd, _HEADER.size, self.deadline))[0]
            self.ended = not self.left
        data = Worker._exactly(self.fd, min(len(buffer), self.left, 1 << 20), self.deadline)
        buffer[: len(data)] = data
        self.left -= len(data)
        return len(data)

    def finish(self) -> None:
        """Read up to the message's end (past the pickle's last byte: its closing empty chunk)."""
        while self.readinto(bytearray(1 << 16)):
            pass


def _memory_refusal(name: str, limits: Limits) -> DelegationError:
    mb = limits.memory_bytes // (1024 * 1024)
    return refusal(name, "memory", mb=mb)


# What a worker's answer may name: the readers' plain data and nothing that runs code on loading.
_ALLOWED = {
    ("builtins", "frozenset"),
    ("builtins", "set"),
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("delegation.ingest.reading", "Form"),
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
