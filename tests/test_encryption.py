"""Encryption at rest: scans and backups under AES-256-GCM, the key file, restore, `keys rotate`,
a purge that reaches the backups, private file modes and the start-up warning.

Every passport number and marker here is synthetic."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import stat
from pathlib import Path

import duckdb
import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from delegation import crypto
from delegation.backup_places import backups_folder
from delegation.backups import decrypted, manual_backup, snapshot, workspace
from delegation.db import connect
from delegation.documents import attach, documents_folder, read_scan
from delegation.errors import DelegationError
from delegation.keys import Keyring, key_file_path, load_keyring, recorded_keys, save_keyring
from delegation.private import atomic_file, private_folder, write_file, write_private
from tests.conftest import opened_backup, run_cli, table_snapshot, write_csv
from tests.fixtures import load_fixture
from tests.test_ingest import ZH_HEADER, zh_row

PASSPORTS = ("E97531864", "E97531875")  # synthetic, in no other test
MARKER = b"SYNTHETIC-SCAN-MARKER-4d1f9b"  # in the scan's PNG text chunk, so in its plaintext bytes
UNREADABLE = "cannot be decrypted: it was changed or damaged, or it was made with another key"


def png(marker: bytes = MARKER) -> bytes:
    info = PngInfo()
    info.add_text("Comment", marker.decode("ascii"))
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def people_form(tmp_path: Path, name: str = "people.csv", passports=PASSPORTS) -> Path:
    rows = [zh_row(i, name=f"测试{i}", passport=p, mobile=f"1990000{i:04d}") for i, p in enumerate(passports)]
    return write_csv(tmp_path / name, [ZH_HEADER, *rows])


def stored_scan(config, tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, int, Path]:
    """A database with the fixture's people and one passport scan stored; the scan's file."""
    con = connect(config, tmp_path / "d.duckdb")
    load_fixture(con, config, tmp_path)
    unit, person = con.execute(
        "select unit_id, participant_id from participants where name = '甲一'"
    ).fetchone()
    document = attach(
        con,
        config,
        unit_id=unit,
        participant_id=person,
        kind="passport_scan",
        data=png(),
        original_name="护照.png",
        actor="t",
        source="t",
        folder=documents_folder(tmp_path / "d.duckdb"),
    )
    (stored,) = con.execute("select stored_name from documents where document_id = ?", [document]).fetchone()
    return con, document, documents_folder(tmp_path / "d.duckdb") / stored


def plaintext_of(backup: Path, key_file: Path) -> bytes:
    with (
        workspace(backup.parent, "test") as work,
        decrypted(backup, load_keyring(key_file), work) as (plain, _),
    ):
        return plain.read_bytes()


def one_sentence(done) -> str:
    """The stderr of a refused command: exit 1, one line, no traceback."""
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    return done.stderr


# ---- scans ---------------------------------------------------------------------------------


def test_a_stored_scan_is_encrypted_names_its_key_and_reads_back_exactly(config, tmp_path, key_file):
    con, document, path = stored_scan(config, tmp_path)
    assert MARKER in png()  # the marker is in the plaintext, so its absence below means something
    blob = path.read_bytes()
    assert MARKER not in blob and blob.startswith(crypto.MAGIC)
    ring = load_keyring(key_file)
    assert crypto.header_of(path).key_id == ring.current_id == recorded_keys(con)[0]
    assert read_scan(con, document, "staff", path.parent).data == png()
    con.close()


def test_a_changed_cut_or_foreign_scan_is_refused_in_one_sentence(config, tmp_path, key_file):
    con, document, path = stored_scan(config, tmp_path)
    good = path.read_bytes()
    key_id = crypto.header_of(path).key_id
    prefix_at = len(crypto.MAGIC) + 2 + len(key_id) + 4  # the header's nonce prefix
    middle = len(good) // 2 + 40
    damaged = {
        "a ciphertext byte": good[:middle] + bytes([good[middle] ^ 1]) + good[middle + 1 :],
        "a header byte": good[:prefix_at] + bytes([good[prefix_at] ^ 1]) + good[prefix_at + 1 :],
        "the tag's last byte": good[:-1] + bytes([good[-1] ^ 0x80]),
        "one byte short": good[:-1],
        "only its header": good[: len(crypto.header_of(path).raw)],
    }
    for blob in damaged.values():
        path.write_bytes(blob)
        with pytest.raises(DelegationError, match=UNREADABLE):
            read_scan(con, document, "staff", path.parent)
    path.write_bytes(good)
    # Another key under the same id (a key file replaced by a wrong copy): the same sentence.
    save_keyring(Keyring(key_file, ((key_id, b"\x07" * 32),)))
    with pytest.raises(DelegationError, match=UNREADABLE):
        read_scan(con, document, "staff", path.parent)
    # A key file holding another key: named before any file is tried.
    save_keyring(Keyring(key_file, (("0123456789abcdef", b"\x07" * 32),)))
    with pytest.raises(
        DelegationError, match=f"holds key 0123456789abcdef, but .* encrypted with key {key_id}"
    ):
        read_scan(con, document, "staff", path.parent)
    con.close()


# ---- backups -------------------------------------------------------------------------------


def test_a_backup_holds_no_passport_number_in_plaintext(config, tmp_path, key_file):
    from delegation.ingest import import_file

    con = connect(config, tmp_path / "d.duckdb")
    import_file(con, config, people_form(tmp_path))
    path = snapshot(con, tmp_path / "snaps", "manual")
    con.close()
    assert path.name.endswith("-manual.duckdb.enc")
    plain = plaintext_of(path, key_file)
    assert all(p.encode() in plain for p in PASSPORTS)  # DuckDB keeps them as they are: a fair check
    blob = path.read_bytes()
    assert not any(p.encode() in blob for p in PASSPORTS)
    metadata = crypto.header_of(path).metadata
    assert metadata["sha256"] == hashlib.sha256(plain).hexdigest() and metadata["reason"] == "manual"


def test_backup_reminds_of_the_key_and_restore_brings_the_state_back(tmp_path, key_file):
    db = str(tmp_path / "data" / "d.duckdb")
    made = run_cli("init", "--db", db)
    assert made.returncode == 0 and str(key_file) in made.stdout
    assert run_cli("import", str(people_form(tmp_path)), "--db", db).returncode == 0
    done = run_cli("backup", "--db", db)
    assert done.returncode == 0
    wrote, reminder = done.stdout.splitlines()
    assert reminder == (
        f"Keep a copy of the key file {key_file} somewhere other than the backups: without it they cannot be read."
    )
    zh = run_cli("backup", "--db", db, env={"DELEGATION_LANG": "zh"})
    assert f"请将密钥文件 {key_file} 另存一份" in zh.stdout
    more = people_form(tmp_path, "more.csv", ("E97531886",))
    assert run_cli("import", str(more), "--db", db).returncode == 0
    backup = wrote.removeprefix("Wrote ")
    assert run_cli("restore", backup, "--db", db, "--yes").returncode == 0
    con = duckdb.connect(db, read_only=True)
    assert sorted(r[0] for r in con.execute("select passport_number from participants").fetchall()) == list(
        PASSPORTS
    )
    con.close()


def cli_desk(tmp_path: Path) -> tuple[str, Path]:
    """A database made through the CLI with the synthetic people, and one backup of it."""
    db = str(tmp_path / "data" / "d.duckdb")
    assert run_cli("import", str(people_form(tmp_path)), "--db", db).returncode == 0
    done = run_cli("backup", "--db", db)
    assert done.returncode == 0
    return db, Path(done.stdout.splitlines()[0].removeprefix("Wrote "))


def state(db: str) -> tuple[dict, list[str]]:
    """Every row of the database and the names in its backups folder."""
    con = duckdb.connect(db, read_only=True)
    try:
        rows = table_snapshot(con)
    finally:
        con.close()
    return rows, sorted(p.name for p in backups_folder(db).iterdir())


def test_restore_without_the_key_or_with_a_wrong_one_changes_nothing(tmp_path, key_file):
    db, backup = cli_desk(tmp_path)
    assert (
        run_cli("import", str(people_form(tmp_path, "more.csv", ("E97531886",))), "--db", db).returncode == 0
    )
    before = state(db)
    saved = tmp_path / "saved.key"
    shutil.move(key_file, saved)
    missing = one_sentence(run_cli("restore", str(backup), "--db", db, "--yes"))
    assert f"The key file {key_file} does not exist; give the backup's key file with --key" in missing
    assert state(db) == before
    other = tmp_path / "other.key"
    assert (
        run_cli(
            "init", "--db", str(tmp_path / "o" / "o.duckdb"), env={"DELEGATION_KEY_FILE": str(other)}
        ).returncode
        == 0
    )
    wrong = one_sentence(run_cli("restore", str(backup), "--db", db, "--yes", "--key", str(other)))
    assert f"The key file {other} does not hold key {crypto.header_of(backup).key_id}" in wrong
    assert state(db) == before
    # The right key file, given with --key: restored, and its key is this database's again.
    done = run_cli("restore", str(backup), "--db", db, "--yes", "--key", str(saved))
    assert done.returncode == 0 and f"the backup's key was added to {key_file}" in done.stdout
    assert load_keyring(key_file).ids == load_keyring(saved).ids
    assert len(state(db)[0]["participants"]) == len(PASSPORTS)


def test_restore_refuses_an_altered_backup_before_it_replaces_anything(tmp_path, key_file):
    db, backup = cli_desk(tmp_path)
    before = state(db)
    good = backup.read_bytes()
    header = len(crypto.header_of(backup).raw)
    assert len(good) > header + 2 * (crypto.SEGMENT + crypto.TAG)  # several segments
    altered = tmp_path / "altered.duckdb.enc"
    cases = {
        "a flipped byte in a segment": good[: header + 5000]
        + bytes([good[header + 5000] ^ 1])
        + good[header + 5001 :],
        "the last segment dropped": good[: header + crypto.SEGMENT + crypto.TAG],
        "segments swapped": good[:header]
        + good[header + crypto.SEGMENT + crypto.TAG : header + 2 * (crypto.SEGMENT + crypto.TAG)]
        + good[header : header + crypto.SEGMENT + crypto.TAG]
        + good[header + 2 * (crypto.SEGMENT + crypto.TAG) :],
    }
    for what, blob in cases.items():
        altered.write_bytes(blob)
        said = one_sentence(run_cli("restore", str(altered), "--db", db, "--yes"))
        assert f"altered.duckdb.enc {UNREADABLE}" in said, what
        assert state(db) == before, what
    # Every segment authentic, but the plaintext is not what the header's checksum says.
    ring = load_keyring(key_file)
    plain = plaintext_of(backup, key_file)
    with altered.open("wb") as out:
        metadata = {**crypto.header_of(backup).metadata, "sha256": hashlib.sha256(b"other").hexdigest()}
        crypto.encrypt_stream(io.BytesIO(plain), out, ring.current_id, ring.current_key, metadata)
    said = one_sentence(run_cli("restore", str(altered), "--db", db, "--yes"))
    assert (
        "altered.duckdb.enc does not match its checksum: it was changed or damaged, so nothing was replaced"
        in said
    )
    assert state(db) == before


# ---- keys rotate ---------------------------------------------------------------------------


def test_keys_rotate_reencrypts_every_scan_and_backup_and_drops_the_old_key(config, tmp_path, key_file):
    con, document, scan = stored_scan(config, tmp_path)
    db = tmp_path / "d.duckdb"
    inside = manual_backup(con, backups_folder(db), "t")
    elsewhere = manual_backup(con, tmp_path / "elsewhere", "t")  # found again through the audit log
    # One backup damaged: the rotation says so, keeps the old key, and resumes once it is gone.
    damaged = snapshot(con, backups_folder(db), "damaged")
    con.close()
    old = load_keyring(key_file)
    blob = damaged.read_bytes()
    damaged.write_bytes(blob[:-100] + bytes([blob[-100] ^ 1]) + blob[-99:])
    cut_short = one_sentence(run_cli("keys", "rotate", "--db", str(db)))
    assert f"1 files could not be re-encrypted ({damaged.name}: {damaged.name} {UNREADABLE}" in cut_short
    assert len(load_keyring(key_file).ids) == 2 and old.current_id in load_keyring(key_file).ids
    damaged.unlink()
    done = run_cli("keys", "rotate", "--db", str(db))
    assert done.returncode == 0, done.stderr
    ring = load_keyring(key_file)
    assert ring.ids != old.ids and len(ring.ids) == 1
    assert f"The old key {old.current_id} is gone from the key file." in done.stdout
    text = key_file.read_text(encoding="utf-8")
    assert old.current_key.hex() not in text and base64.b64encode(old.current_key).decode() not in text
    for path in (scan, inside, elsewhere):
        assert crypto.header_of(path).key_id == ring.current_id, path
    con = connect(config, db)
    assert read_scan(con, document, "staff", scan.parent).data == png()
    assert recorded_keys(con) == [ring.current_id]
    con.close()
    for path in (inside, elsewhere):
        with opened_backup(path) as copy:
            assert copy.execute("select count(*) from participants").fetchone()[0] > 0


def test_keys_rotate_counts_what_it_reencrypted(config, tmp_path, key_file):
    con, _, _ = stored_scan(config, tmp_path)
    manual_backup(con, backups_folder(tmp_path / "d.duckdb"), "t")
    con.close()
    done = run_cli("keys", "rotate", "--db", str(tmp_path / "d.duckdb"))
    (new,) = load_keyring(key_file).ids
    assert done.stdout.splitlines()[0] == f"Re-encrypted 1 scans and 1 backups with the new key {new}."


# ---- purge ---------------------------------------------------------------------------------


def test_a_purge_reaches_every_older_backup_and_its_own_snapshot(tmp_path, key_file):
    db, inside = cli_desk(tmp_path)
    done = run_cli("backup", "--db", db, "--to", str(tmp_path / "usb"))
    elsewhere = Path(done.stdout.splitlines()[0].removeprefix("Wrote "))
    for path in (inside, elsewhere):
        assert all(p.encode() in plaintext_of(path, key_file) for p in PASSPORTS)  # before
    done = run_cli("purge", "--db", db, "--after-days", "30", "--today", "2099-01-01", "--yes")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert f"  {inside.name}: rewritten without the purged data" in lines
    assert f"  {elsewhere.name}: rewritten without the purged data" in lines
    (snapshot_line,) = [line for line in lines if "-before-purge" in line]
    assert snapshot_line.endswith(
        "deleted (the before-purge snapshot was needed only while the purge ran; there is no undo window)"
    )
    assert not list(backups_folder(db).glob("*before-purge*"))
    assert sorted(p.name for p in backups_folder(db).iterdir() if not p.name.startswith(".")) == [inside.name]
    for path in (inside, elsewhere):
        plain = plaintext_of(path, key_file)
        assert not any(p.encode() in plain for p in PASSPORTS), path
        with opened_backup(path) as copy:
            assert copy.execute(
                "select count(*), count(passport_number), count(mobile) from participants"
            ).fetchone() == (len(PASSPORTS), 0, 0)
    # The live file too: it was rewritten, so its freed blocks do not keep the numbers.
    assert not any(p.encode() in Path(db).read_bytes() for p in PASSPORTS)


# ---- file modes and the key's place --------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_database_key_backups_and_scans_are_private(config, tmp_path, key_file):
    db, backup = cli_desk(tmp_path)
    assert (mode(db), mode(key_file), mode(key_file.parent)) == (0o600, 0o600, 0o700)
    assert (mode(backup), mode(backup.parent)) == (0o600, 0o700)
    con, _, scan = stored_scan(config, tmp_path / "data")  # documents/ beside the same database
    con.close()
    assert scan.parent == documents_folder(db)
    assert (mode(scan), mode(scan.parent)) == (0o600, 0o700)
    clean = run_cli("summary", "--db", db)
    assert clean.returncode == 0 and clean.stderr == ""


def test_one_atomic_write_private_or_plain_leaves_the_old_file_or_the_new_one(tmp_path):
    before = os.umask(0o022)
    try:
        secret = tmp_path / "new" / "accounts.toml"
        write_private(secret, b"one")
        assert secret.read_bytes() == b"one" and (mode(secret), mode(secret.parent)) == (0o600, 0o700)
        form = tmp_path / "form.xlsx"
        write_file(form, b"blank")  # a blank form: the mode the umask gives
        assert form.read_bytes() == b"blank" and mode(form) == 0o644
        with pytest.raises(RuntimeError), atomic_file(secret) as file:
            file.write(b"half")
            raise RuntimeError("the disk filled")
        assert secret.read_bytes() == b"one"  # the old file, whole
        assert [p.name for p in secret.parent.iterdir()] == ["accounts.toml"]  # no partial file left
        with pytest.raises(FileNotFoundError):
            write_file(tmp_path / "nowhere" / "form.xlsx", b"")  # only a private file makes its folder
    finally:
        os.umask(before)


def test_the_start_warns_in_one_sentence_when_others_can_read_a_private_file(tmp_path):
    db, _ = cli_desk(tmp_path)
    os.chmod(db, 0o644)
    os.chmod(backups_folder(db), 0o755)
    done = run_cli("summary", "--db", db)
    assert done.returncode == 0  # a warning, not a refusal
    (warning,) = done.stderr.splitlines()
    assert warning == (
        f"Private files can be read by other users of this computer ({db}, {backups_folder(db)}); "
        f"run: chmod -R go= {db} {backups_folder(db)}"
    )
    importing = run_cli("import", str(people_form(tmp_path)), "--db", db)
    assert warning in importing.stderr.splitlines()
    os.chmod(db, 0o600)
    os.chmod(backups_folder(db), 0o700)
    assert run_cli("summary", "--db", db).stderr == ""


def test_the_key_file_is_kept_outside_the_data_folder_by_default(tmp_path, monkeypatch):
    data = tmp_path / "data"
    config_home = tmp_path / "home-config"
    done = run_cli(
        "init",
        "--db",
        str(data / "d.duckdb"),
        env={"DELEGATION_KEY_FILE": "", "XDG_CONFIG_HOME": str(config_home)},
    )
    assert done.returncode == 0, done.stderr
    digest = hashlib.sha256(str(data.resolve()).encode()).hexdigest()[:8]
    expected = config_home / "delegation-desk" / "keys" / f"data-{digest}.key"
    assert f"Key file (it encrypts the stored scans and the backups): {expected}" in done.stdout
    assert expected.is_file() and not expected.resolve().is_relative_to(data.resolve())
    assert (mode(expected), mode(expected.parent)) == (0o600, 0o700)
    monkeypatch.delenv("DELEGATION_KEY_FILE")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config_home))
    assert key_file_path(data / "d.duckdb") == expected
    con = duckdb.connect(str(data / "d.duckdb"), read_only=True)
    assert load_keyring(expected).ids == recorded_keys(con)
    con.close()


# ---- an older desk's files -----------------------------------------------------------------


def test_an_older_desks_plaintext_scans_and_backups_are_sealed_when_it_opens(config, tmp_path, key_file):
    con, document, scan = stored_scan(config, tmp_path)
    # As an older desk left things: the scan in plaintext, a plaintext snapshot, no key at all.
    scan.write_bytes(png())
    con.execute("delete from encryption_keys")
    con.close()
    key_file.unlink()
    db = tmp_path / "d.duckdb"
    old = private_folder(backups_folder(db)) / "delegation-20230101-120000-000000-manual.duckdb"
    shutil.copyfile(db, old)
    con = connect(config, db)  # the first open of the new desk
    assert scan.read_bytes().startswith(crypto.MAGIC) and MARKER not in scan.read_bytes()
    assert read_scan(con, document, "staff", scan.parent).data == png()
    assert recorded_keys(con) == load_keyring(key_file).ids
    people = con.execute("select count(*) from participants").fetchone()
    con.close()
    sealed = old.with_name(old.name + ".enc")
    assert not old.exists() and crypto.header_of(sealed).metadata["created"] == "2023-01-01T12:00:00"
    with opened_backup(sealed) as copy:
        assert copy.execute("select count(*) from participants").fetchone() == people
