"""Faults get one sentence and nothing is lost: a damaged database file (cut short, or 40 KB
overwritten in the middle), a read-only data folder, a full disk or a file size limit in the middle
of an import, and a backup interrupted half-way.

Every case runs the real CLI in its own process on a real DuckDB file. The full disk and the
read-only folder are real tmpfs mounts (the tests run as root, which file modes do not stop)."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import random
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from delegation import ROOT
from delegation.backup_places import backup_files, backups_folder
from delegation.backups import decrypted, manual_backup, workspace
from delegation.db import connect
from delegation.integrity import DamagedDatabase, check, storage_fault
from delegation.keys import load_keyring
from tests.conftest import run_cli
from tests.sample_forms import chinese_xlsx

RICH_PARTICIPANTS = 3200  # enough that the middle of the file holds a column's data (asserted below)
DUCKDB_HEADERS = 3 * 4096  # a DuckDB file: a main header and two database headers, then the blocks
OVERWRITTEN = 40 * 1024


# ---- helpers ------------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def one_sentence(done: subprocess.CompletedProcess, *words: str) -> str:
    """Refused: status 1, one line on stderr holding `words`, no traceback."""
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1, done.stdout + done.stderr
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert all(word in lines[0] for word in words), lines[0]
    return lines[0]


def rows_of(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, read-only (so looking changes nothing, and a WAL left beside the
    file is read too): the database's state, to compare before and after a fault."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
        return {t: sorted(con.execute(f'select * from "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        con.close()


def overwrite_middle(db: Path) -> None:
    """40 KB of random bytes (seeded) over the middle of the file, as a failing disk or a stray
    write would leave it. (Not a repeated byte: DuckDB's block checksum XORs one hash per 8-byte
    word, so an even number of identical words cancels out; see docs/hardening.md.)"""
    data = bytearray(db.read_bytes())
    middle = len(data) // 2
    data[middle : middle + OVERWRITTEN] = random.Random(23).randbytes(OVERWRITTEN)
    db.write_bytes(data)


def cut_short(db: Path) -> None:
    """The file truncated to 60 % of its length, as a copy that stopped half-way leaves it."""
    data = db.read_bytes()
    db.write_bytes(data[: len(data) * 6 // 10])


def restore_command(sentence: str) -> list[str]:
    """The `python -m delegation restore …` the damaged-file sentence ends with, as arguments."""
    command = sentence.split("restore it with: ", 1)[1]
    words = shlex.split(command)
    assert words[:3] == ["python", "-m", "delegation"], command
    return words[3:]


@pytest.fixture(scope="module")
def rich_db(tmp_path_factory) -> Path:
    """A demo database of 3200 participants (seed 7), closed, with no key of its own yet."""
    from delegation.config import load_config
    from delegation.demo import load_demo

    config = load_config()
    db = tmp_path_factory.mktemp("rich") / "desk.duckdb"
    con = connect(config, db)
    load_demo(con, config, RICH_PARTICIPANTS, seed=7)
    con.close()
    return db


@pytest.fixture(scope="module")
def rich_desk(rich_db, tmp_path_factory) -> Path:
    """A folder holding the rich database, one backup of it in backups/ and its key file in keys/;
    the database then rewritten whole (`compact`), so the file has no free blocks and its middle
    is a column's data (asserted where it matters)."""
    from delegation.backups import compact
    from delegation.config import load_config

    folder = tmp_path_factory.mktemp("desk")
    db = folder / "desk.duckdb"
    shutil.copyfile(rich_db, db)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DELEGATION_KEY_FILE", str(folder / "keys" / "desk.key"))
        con = connect(load_config(), db)
        try:
            manual_backup(con, backups_folder(db), "test")
        finally:
            con.close()
        compact(db)
    return folder


@pytest.fixture
def desk(rich_desk, tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A copy of the rich desk in this test's folder (its key file this test's): the database and
    its one backup. Nothing opens the copy for writing, so its blocks are where `rich_desk` left them."""
    folder = tmp_path / "desk"
    shutil.copytree(rich_desk, folder)
    monkeypatch.setenv("DELEGATION_KEY_FILE", str(folder / "keys" / "desk.key"))
    db = folder / "desk.duckdb"
    (backup,) = backup_files(backups_folder(db))
    return db, backup


# ---- check: every block read ---------------------------------------------------------------------


def test_check_reads_every_column_and_finds_40_kb_overwritten_in_the_middle(desk, config):
    db, backup = desk
    counted = rows_of(db)
    found = check(db)
    assert (found.tables, found.rows) == (len(counted), sum(len(rows) for rows in counted.values()))
    said = run_cli("check", "--db", str(db))
    assert said.returncode == 0, said.stderr
    assert said.stdout.strip() == f"database intact: {found.tables} tables, {found.rows} rows"
    assert len(counted["participants"]) == RICH_PARTICIPANTS

    # The middle of this file is a column's data, not free space or an index (DuckDB's own map).
    middle = db.stat().st_size // 2
    con = duckdb.connect(str(db), read_only=True)
    block_size, free = con.execute("select block_size, free_blocks from pragma_database_size()").fetchall()[0]
    block = (middle - DUCKDB_HEADERS) // block_size
    tables = [r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()]
    held = [
        t
        for t in tables
        if con.execute(f"from pragma_storage_info('{t}') where block_id = ?", [block]).fetchall()
    ]
    con.close()
    assert free == 0 and held, "the middle of the file should hold a table's data"
    # (DuckDB's checksum covers the whole block, the values and the unused end of it alike.)
    assert (middle + OVERWRITTEN - DUCKDB_HEADERS) // block_size == block

    overwrite_middle(db)
    damaged = sha256(db)
    # Opening the file and counting every table does not notice: DuckDB verifies a block only when
    # it reads it, and counts (like min and max) come from the catalog and the segments' statistics.
    con = duckdb.connect(str(db), read_only=True)
    tables = [r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()]
    counts = {t: con.execute(f'select count(*) from "{t}"').fetchall()[0][0] for t in tables}
    con.close()
    assert counts["participants"] == RICH_PARTICIPANTS
    # The full read does, at the start of the server and an import (first and last keys) as at `check`.
    for every_key in (False, True):
        with pytest.raises(DamagedDatabase) as refused:
            check(db, every_key=every_key)
        assert "does not match its checksum" in refused.value.en
    sentence = one_sentence(
        run_cli("check", "--db", str(db)),
        f"The database {db} is damaged (a block of it does not match its checksum) and was left as it is",
        f"the newest backup is {backup}",
        f"restore it with: python -m delegation restore {backup} --db {db} --yes",
    )
    assert sentence.endswith("--yes")
    assert sha256(db) == damaged  # read-only: not a byte changed


@pytest.mark.parametrize("damage", [overwrite_middle, cut_short], ids=["overwritten", "cut-short"])
@pytest.mark.parametrize("command", ["import", "serve", "check", "backup"])
def test_a_damaged_database_is_refused_in_one_sentence_and_never_written(desk, tmp_path, damage, command):
    db, backup = desk
    form = tmp_path / "form.xlsx"
    chinese_xlsx(form)
    damage(db)
    before = sha256(db)
    args = {
        "import": ["import", str(form)],
        "serve": ["serve", "--headless", "--port", "8599"],
        "check": ["check"],
        "backup": ["backup"],
    }[command]
    done = run_cli(*args, "--db", str(db), timeout=60)
    reason = "does not match its checksum" if damage is overwrite_middle else "it was cut short"
    sentence = one_sentence(done, f"The database {db} is damaged (", reason, f"the newest backup is {backup}")
    assert restore_command(sentence) == ["restore", str(backup), "--db", str(db), "--yes"]
    assert sha256(db) == before  # never overwritten, not even by the server's or the import's first write
    assert not db.with_name(db.name + ".wal").exists()
    assert backup_files(backups_folder(db)) == [backup]  # no backup of the damaged file


def test_the_restore_command_in_the_sentence_puts_the_newest_backup_back(desk, config):
    db, backup = desk
    good = rows_of(db)
    overwrite_middle(db)
    damaged = db.read_bytes()
    sentence = one_sentence(run_cli("check", "--db", str(db)))
    done = run_cli(*restore_command(sentence))
    assert done.returncode == 0, done.stderr
    assert run_cli("check", "--db", str(db)).stdout.startswith(f"database intact: {len(good)} tables")
    restored = rows_of(db)
    assert restored["participants"] == good["participants"] and restored["units"] == good["units"]
    # The damaged file is kept, byte for byte, in the before-restore backup, marked as damaged…
    kept = [p for p in backup_files(backups_folder(db)) if p.name.endswith("-before-restore.duckdb.enc")]
    assert len(kept) == 1
    with (
        workspace(db.parent, "test") as work,
        decrypted(kept[0], load_keyring(Path(os.environ["DELEGATION_KEY_FILE"])), work) as (plain, meta),
    ):
        assert plain.read_bytes() == damaged and meta["damaged"] is True
    # …and a later damage names the good backup again, never that copy of a damaged file.
    cut_short(db)
    again = one_sentence(run_cli("check", "--db", str(db)))
    assert f"the newest backup is {backup}," in again


def test_without_a_backup_the_sentence_says_to_keep_the_damaged_file(rich_db, tmp_path):
    db = tmp_path / "alone.duckdb"
    shutil.copyfile(rich_db, db)
    db.chmod(0o600)
    cut_short(db)
    before = sha256(db)
    one_sentence(
        run_cli("import", str(tmp_path / "missing.xlsx"), "--db", str(db)),
        f"The database {db} is damaged",
        f"no backup of it was found in {tmp_path / 'backups'}, so copy the damaged file somewhere safe",
    )
    assert sha256(db) == before


def test_the_app_backup_button_refuses_a_damaged_database(desk, config):
    db, backup = desk
    overwrite_middle(db)
    con = duckdb.connect(str(db), read_only=True)  # as the app holds it: already open
    try:
        with pytest.raises(DamagedDatabase):
            manual_backup(con, backups_folder(db), "admin")
    finally:
        con.close()
    assert backup_files(backups_folder(db)) == [backup]


# ---- a read-only folder, a full disk, a file size limit ---------------------------------------------


@contextlib.contextmanager
def tmpfs(place: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted at `place` (private), unmounted however the test ends."""
    place.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=700", "tmpfs", str(place)], check=True)
    try:
        yield place
    finally:
        if subprocess.run(["umount", str(place)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(place)], check=True)


def fill(folder: Path, leave: int) -> Path:
    """A file that fills the disk under `folder` up to `leave` bytes free."""
    stat = os.statvfs(folder)
    filler = folder / "filler"
    with filler.open("wb") as out:
        out.truncate(0)
        remaining = stat.f_bavail * stat.f_frsize - leave
        while remaining > 0:
            remaining -= out.write(b"\0" * min(remaining, 1 << 20))
    return filler


@pytest.fixture
def small_desk(config, tmp_path) -> Iterator[tuple[Path, Path, Path]]:
    """A tmpfs of 16 MB holding a database with the hand-counted fixture, and a real form to import."""
    from tests.fixtures import load_fixture

    form = tmp_path / "form.xlsx"
    chinese_xlsx(form)
    with tmpfs(tmp_path / "disk", "16m") as disk:
        db = disk / "desk.duckdb"
        con = connect(config, db)
        load_fixture(con, config, tmp_path)
        con.close()
        yield disk, db, form


def test_a_read_only_data_folder_is_one_sentence_and_changes_nothing(small_desk):
    disk, db, form = small_desk
    before, state = sha256(db), rows_of(db)
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    for args in (["import", str(form)], ["backup"], ["serve", "--headless", "--port", "8598"]):
        one_sentence(run_cli(*args, "--db", str(db), timeout=60), f"{disk} is on a read-only disk")
    assert sha256(db) == before and rows_of(db) == state


def test_a_full_disk_in_the_middle_of_an_import_is_one_sentence_and_the_database_is_as_before(small_desk):
    disk, db, form = small_desk
    original = db.read_bytes()
    state = rows_of(db)
    outcomes = {}
    for free in (0, 4096, 8192, 12288, 16384, 32768, 65536):
        db.write_bytes(original)
        db.with_name(db.name + ".wal").unlink(missing_ok=True)
        filler = fill(disk, free)
        done = run_cli("import", str(form), "--db", str(db))
        filler.unlink()
        if done.returncode:
            one_sentence(done, f"The disk holding {disk} is full", "the database is as it was before")
            assert rows_of(db) == state, free
        else:
            assert len(rows_of(db)["participants"]) > len(state["participants"]), done.stdout
        outcomes[free] = done.returncode
    assert 1 in outcomes.values() and 0 in outcomes.values(), outcomes
    # The largest space the import failed in is enough to open the database (the sync of the
    # reference tables is written then too): so the import's own writes met the full disk.
    failed_at = max(free for free, status in outcomes.items() if status)
    db.write_bytes(original)
    db.with_name(db.name + ".wal").unlink(missing_ok=True)
    filler = fill(disk, failed_at)
    opened = run_cli("summary", "--db", str(db), "--json")
    filler.unlink()
    assert opened.returncode == 0, opened.stderr


def run_limited(*args: str, file_size: int, timeout: float = 120) -> subprocess.CompletedProcess:
    """The CLI as `run_cli` runs it, with RLIMIT_FSIZE: a write past `file_size` bytes of any file
    fails with EFBIG (SIGXFSZ ignored, so the process is told instead of killed)."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    env = {
        "PATH": "/usr/bin:/bin",
        "DELEGATION_LANG": "en",
        "DELEGATION_USERS": os.environ["DELEGATION_USERS"],
        "DELEGATION_KEY_FILE": os.environ["DELEGATION_KEY_FILE"],
    }
    return subprocess.run(
        [sys.executable, "-m", "delegation", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
        preexec_fn=limit,
    )


def test_a_file_size_limit_in_the_middle_of_an_import_is_one_sentence(config, tmp_path):
    from tests.fixtures import load_fixture

    db = tmp_path / "desk.duckdb"
    con = connect(config, db)
    load_fixture(con, config, tmp_path)
    con.close()
    form = tmp_path / "form.xlsx"
    chinese_xlsx(form)
    original, state = db.read_bytes(), rows_of(db)
    for limit in (4096, 8192, 12288):  # the write-ahead log may not grow past this
        db.write_bytes(original)
        done = run_limited("import", str(form), "--db", str(db), file_size=limit)
        one_sentence(
            done, f"A file in {tmp_path} reached the largest size", "the database is as it was before"
        )
        assert rows_of(db) == state, limit


def test_storage_faults_from_the_system_are_each_one_sentence(tmp_path):
    db = tmp_path / "d.duckdb"
    full = storage_fault(OSError(errno.ENOSPC, "No space left on device", str(db)), db)
    assert full.en.startswith(f"The disk holding {tmp_path} is full") and "磁盘已满" in full.zh
    read_only = storage_fault(OSError(errno.EROFS, "Read-only file system"), db)
    assert read_only.en.startswith(f"{tmp_path} is on a read-only disk") and "只读" in read_only.zh
    too_big = storage_fault(duckdb.IOException(f'Could not write file "{db}.wal": File too large'), db)
    assert too_big.en.startswith(f"A file in {tmp_path} reached the largest size")
    # A backup written with --to to another disk: that disk is named, not the database's.
    stick = tmp_path / "stick"
    in_copy = duckdb.IOException(
        f'Could not write file "{stick}/.delegation-backup-x1/snapshot.duckdb": No space left on device'
    )
    assert storage_fault(in_copy, db).en.startswith(f"The disk holding {stick} is full")
    in_encryption = OSError(errno.ENOSPC, "No space left on device", str(stick / ".x.duckdb.enc.partial"))
    assert storage_fault(in_encryption, db).en.startswith(f"The disk holding {stick} is full")
    # Anything else is a bug, not a fault of the disk: it keeps its traceback.
    assert storage_fault(duckdb.BinderException("Binder Error: no such column"), db) is None
    assert storage_fault(OSError(errno.ENOENT, "No such file or directory"), db) is None


# ---- an interrupted backup ----------------------------------------------------------------------


def leftovers(folder: Path) -> list[Path]:
    """Every file under the backups folder, hidden ones and workspaces included."""
    return sorted(p for p in folder.rglob("*") if p.is_file())


def accepted_by_restore(candidate: Path, db: Path) -> bool:
    """Whether `restore` takes this file (on a scratch copy of the database, which it replaces)."""
    scratch = Path(tempfile.mkdtemp(dir=db.parent)) / db.name
    shutil.copyfile(db, scratch)
    scratch.chmod(0o600)
    done = run_cli("restore", str(candidate), "--db", str(scratch), "--yes")
    if done.returncode:
        one_sentence(done)
    return done.returncode == 0


def test_a_backup_cut_off_by_a_file_size_limit_leaves_nothing_that_looks_complete(desk):
    from delegation import crypto

    db, backup = desk
    folder = backups_folder(db)
    state = rows_of(db)
    # The plaintext copy of the same database is as large as the last one; its encryption is a few
    # hundred bytes larger (a tag per segment, the header): one byte more than the copy lets the
    # copy finish and stops the encrypted file.
    plain_size = crypto.header_of(backup).metadata["bytes"]
    for limit in (256 * 1024, plain_size + 1):  # in the copy; in the encryption after it
        done = run_limited("backup", "--db", str(db), file_size=limit)
        one_sentence(done, "reached the largest size")
        assert leftovers(folder) == [backup], limit  # no partial file, no plaintext workspace
    assert rows_of(db) == state


def test_a_backup_killed_half_way_leaves_no_file_restore_accepts(desk):
    db, backup = desk
    folder = backups_folder(db)
    state = rows_of(db)
    for _attempt in range(20):
        child = subprocess.Popen(
            [sys.executable, "-m", "delegation", "backup", "--db", str(db)],
            cwd=ROOT,
            env={**os.environ, "DELEGATION_LANG": "en"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        partial = None
        deadline = time.monotonic() + 30
        while partial is None and child.poll() is None and time.monotonic() < deadline:
            partial = next(folder.glob(".*.partial"), None)
        child.send_signal(signal.SIGSTOP)  # frozen where it is, then killed there
        caught = partial is not None and partial.exists()
        child.kill()
        child.wait()
        if caught:
            break
        for made in set(backup_files(folder)) - {backup}:  # it finished first: try again
            made.unlink()
    else:
        pytest.fail("the backup was never caught while it was encrypting")
    assert backup_files(folder) == [backup]  # nothing new with a backup's name
    assert partial.exists()  # the half-written file, under its temporary name
    for left in set(leftovers(folder)) - {backup}:
        # A file the kill left is refused by restore, or (the plaintext copy, finished before the
        # encryption began) is the whole database: never an incomplete state that restores.
        if accepted_by_restore(left, db):
            assert left.name == "snapshot.duckdb" and rows_of(left) == state, left
    assert not accepted_by_restore(partial, db)
    assert rows_of(db) == state


def test_restore_checks_the_backup_before_it_replaces_anything(desk, tmp_path):
    db, backup = desk
    blob = bytearray(backup.read_bytes())
    blob[len(blob) // 2] ^= 0x01  # one bit, in a segment in the middle
    flipped = tmp_path / backup.name
    flipped.write_bytes(blob)
    before = rows_of(db)
    one_sentence(
        run_cli("restore", str(flipped), "--db", str(db), "--yes"), backup.name, "cannot be decrypted"
    )
    assert rows_of(db) == before
    assert backup_files(backups_folder(db)) == [backup]  # not even a before-restore copy was made
