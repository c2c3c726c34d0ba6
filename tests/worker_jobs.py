"""Jobs that misbehave the way a hostile file makes a reader misbehave, for the sandbox tests: the
worker imports this module by name (tests/test_sandbox.py adds them to `sandbox.JOBS`)."""

from __future__ import annotations

import os
import sys


class PanicException(BaseException):
    """What pyo3 raises for a Rust panic (python-calamine's): a BaseException, not an Exception."""


def pid() -> int:
    return os.getpid()


def abort() -> None:
    os.abort()  # what the reader did when it tried to allocate 512 GB


def panic() -> None:
    raise PanicException("index out of bounds")


def hog() -> bytes:
    return b"x" * (4 << 30)  # 4 GiB, past any limit the tests give


def spin() -> None:
    while True:
        pass


def chatty() -> str:
    print("a reader that prints")  # must not garble the answer on stdout
    print("and on stderr", file=sys.stderr)
    return "answer"


def exit_quietly() -> None:
    os._exit(3)


def sleep() -> None:
    import time

    time.sleep(3600)  # blocked, not spinning: only the wall-clock deadline ends it


class Gadget:
    """An answer that would run code in the desk when unpickled."""

    def __reduce__(self):
        return (os.system, ("true",))


def gadget() -> Gadget:
    return Gadget()


def slow_pid() -> int:
    import time

    time.sleep(0.5)
    return os.getpid()


def big(count: int) -> list[str]:
    return [f"行{i}" for i in range(count)]  # an answer of many 64 KB frames


class _EndsHere:
    def __reduce__(self):
        os._exit(3)  # while its answer is being sent: part of it is on the way already


def dies_mid_answer() -> list:
    return [b"x" * (1 << 20), _EndsHere()]


def tells_texts() -> str:
    from delegation import worker

    worker.tell("texts", ["张伟", "北京"])
    worker.tell("texts", "not a list")  # a told value the desk does not take as texts
    return "answer"


def waits_for_word() -> object:
    from delegation import worker

    return worker.receive()


def ignores_word() -> int:
    return os.getpid()  # ends without waiting for the word its job was promised


def loaded(*names: str) -> list[str]:
    """Which of `names` this worker has imported."""
    return [name for name in names if name in sys.modules]
