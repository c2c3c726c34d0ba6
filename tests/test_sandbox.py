"""The worker that reads files from outside: whatever a file does to it, the desk's process goes on,
the file gets one sentence, and the next file is read by a fresh worker."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from delegation import sandbox
from delegation.errors import DelegationError

SMALL = sandbox.Limits(memory_bytes=512 * 1024 * 1024, cpu_seconds=2)


@pytest.fixture(autouse=True)
def _jobs(monkeypatch):
    for name in (
        "pid",
        "abort",
        "panic",
        "hog",
        "spin",
        "chatty",
        "exit_quietly",
        "sleep",
        "gadget",
        "slow_pid",
        "big",
        "dies_mid_answer",
        "tells_texts",
        "waits_for_word",
        "ignores_word",
        "loaded",
    ):
        monkeypatch.setitem(sandbox.JOBS, name, f"tests.worker_jobs:{name}")
    yield
    sandbox.stop_all()


def _refusal(job: str) -> DelegationError:
    with pytest.raises(DelegationError) as caught:
        sandbox.run(job, limits=SMALL, name="bad.xlsx")
    return caught.value


def test_a_warm_worker_is_reused_and_runs_elsewhere():
    import os

    first = sandbox.run("pid", limits=SMALL, name="a")
    assert first != os.getpid()
    assert sandbox.run("pid", limits=SMALL, name="b") == first  # kept warm, not started again


def test_a_worker_starts_with_the_form_readers_and_without_the_database_side():
    # Each import starts two workers: what they import before the first file is on its way.
    modules = ("python_calamine", "delegation.ingest.reading", "duckdb", "delegation.ingest.pipeline", "docx")
    assert sandbox.run("loaded", *modules, limits=SMALL, name="a") == [
        "python_calamine",
        "delegation.ingest.reading",
    ]


@pytest.mark.parametrize(
    ("job", "en", "zh"),
    [
        ("abort", "the reader stopped (signal 6)", "读取程序意外终止（signal 6）"),
        ("panic", "the reader failed (PanicException)", "读取程序出错（PanicException）"),
        ("hog", "it needed more memory than the 512 MB allowed", "读取时超过 512 MB 的内存上限"),
        ("spin", "it needed more than the 2 s of CPU time allowed", "读取时超过 2 秒的 CPU 时间上限"),
        ("exit_quietly", "the reader stopped (exit status 3)", "读取程序意外终止（exit status 3）"),
        ("gadget", "the reader's answer was not plain data", "读取程序返回了非数据内容"),
    ],
)
def test_a_worker_that_fails_refuses_the_file_in_one_sentence_and_is_replaced(job, en, zh):
    before = sandbox.run("pid", limits=SMALL, name="a")
    refused = _refusal(job)
    assert refused.en == f"bad.xlsx: the file could not be read safely: {en}."
    assert refused.zh == f"bad.xlsx：文件无法安全读取：{zh}。"
    after = sandbox.run("pid", limits=SMALL, name="next.xlsx")  # the next file is read as ever
    assert after != before


def test_a_worker_blocked_past_the_deadline_is_killed(monkeypatch):
    # The deadline is twice the CPU limit and ten seconds: a reader stuck on a lock or a pipe,
    # spending no CPU, does not hold the file's import (or the inbox) for ever.
    limits = sandbox.Limits(memory_bytes=SMALL.memory_bytes, cpu_seconds=1)
    with pytest.raises(DelegationError) as caught:
        sandbox.run("sleep", limits=limits, name="stuck.csv")
    assert (
        caught.value.en
        == "stuck.csv: the file could not be read safely: it took longer than the 1 s allowed."
    )


def test_what_a_reader_prints_does_not_garble_its_answer():
    assert sandbox.run("chatty", limits=SMALL, name="a") == "answer"


def test_a_reader_refusal_keeps_the_worker(tmp_path, config):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello", encoding="utf-8")
    first = sandbox.run("pid", limits=SMALL, name="a")
    with pytest.raises(DelegationError) as caught:
        sandbox.run(
            "read_form",
            config,
            bad,
            today=dt.date(2023, 3, 1),
            file_name="notes.txt",
            limits=SMALL,
            name="notes.txt",
        )
    assert caught.value.en.startswith("notes.txt")
    assert "could not be read safely" not in caught.value.en  # the reader's own sentence
    assert sandbox.run("pid", limits=SMALL, name="a") == first


def test_two_threads_read_at_once_in_two_workers():
    seen: list[int] = []
    barrier = threading.Barrier(2)

    def read() -> None:
        barrier.wait()
        seen.append(sandbox.run("slow_pid", limits=SMALL, name="a"))

    threads = [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 2  # one worker each: neither waited for the other's file


def test_a_large_answer_arrives_whole():
    answer = sandbox.run("big", 300_000, limits=SMALL, name="a")
    assert len(answer) == 300_000 and answer[0] == "行0" and answer[-1] == "行299999"


def test_a_worker_that_ends_mid_answer_refuses_the_file():
    error = _refusal("dies_mid_answer")
    assert error.en == "bad.xlsx: the file could not be read safely: the reader stopped (exit status 3)."


def test_texts_told_before_the_answer_reach_the_desk():
    told = []
    answer = sandbox.run(
        "tells_texts", limits=SMALL, name="a", on_texts=lambda texts, answered: told.append(texts)
    )
    assert answer == "answer" and told == [["张伟", "北京"]]


def test_a_job_gets_the_word_the_desk_tells_it():
    job = sandbox.start("waits_for_word", limits=SMALL, name="a", word_follows=True)
    job.tell({"报名信息采集表": {3, 7}})
    assert job.result() == {"报名信息采集表": {3, 7}}


def test_a_word_the_job_did_not_wait_for_is_not_taken_for_the_next_job():
    job = sandbox.start("ignores_word", limits=SMALL, name="a", word_follows=True)
    job.tell({"a word": "for a job that ended first"})
    pid = job.result()
    assert sandbox.run("pid", limits=SMALL, name="b") == pid  # the same worker, its next job intact
    assert sandbox.run("big", 3, limits=SMALL, name="c") == ["行0", "行1", "行2"]
