"""Scans from outside: the kind from the bytes, image bombs refused, a scanned folder's links and
FIFOs left unopened, sizes known before reading, and every name a safe base name. The folder scan
runs as `python -m delegation documents scan` in its own process; uploads go through `attach`,
whose checks run in a real worker process."""

from __future__ import annotations

import io
import os
import struct
import time
import zlib
from pathlib import Path

import duckdb
import pytest
from PIL import Image

from delegation import documents, sandbox
from delegation.documents import attach, documents_folder, pictures, read_scan, scan_pictures
from delegation.errors import DelegationError
from delegation.scans import check_scan
from delegation.text import safe_name
from tests.conftest import run_cli, table_snapshot
from tests.fixtures import fixture_form, load_fixture
from tests.sample_scans import PDF, PNG, jpeg, png

UNIT = "苏州甲机械有限公司"
LIMIT = 80_000_000  # the default [security] max_image_megapixels, in pixels
BOMB = "the image has more than 80 million pixels, so it is refused as a possible decompression bomb"
NOT_A_SCAN = "only PDF, JPEG or PNG scans are accepted, and this file is none of them"
LINK = "a symbolic link, which the scan does not follow"


@pytest.fixture(autouse=True, scope="module")
def _workers():
    yield
    sandbox.stop_all()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(side: int = 30_000) -> bytes:
    """A valid PNG header declaring side × side grey pixels (900 megapixels: 900 MB decoded) over
    a few kilobytes of zlib-compressed zeros."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (side + 1) * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


def jpeg_bomb(side: int = 60_000) -> bytes:
    """A real small JPEG from Pillow whose frame header (SOF0) is rewritten to declare side × side."""
    data = bytearray(jpeg((16, 16)))
    at = data.index(b"\xff\xc0") + 5  # marker, length (2), precision (1), then height and width
    data[at : at + 4] = struct.pack(">HH", side, side)
    return bytes(data)


# ---- what a scan is: its bytes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "en"),
    [
        (png_bomb(), BOMB),
        (jpeg_bomb(), BOMB),
        (b"<html><body><script>alert(1)</script></body></html>", NOT_A_SCAN),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', NOT_A_SCAN),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", NOT_A_SCAN),
        (b"", "the file is empty"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "the image is damaged or is not really a JPEG file"),
        (PNG[: len(PNG) // 2], "the image is damaged or is not really a PNG file"),
        (b"%PDF-1.7\n% no objects at all\n", "the PDF cannot be opened (it is damaged or has a password)"),
    ],
    ids=["png-bomb", "jpeg-bomb", "html", "svg", "gif", "empty", "fake-jpeg", "cut-png", "fake-pdf"],
)
def test_a_scan_that_is_not_what_it_says_is_refused_in_one_sentence(data, en):
    with pytest.raises(DelegationError) as refused:
        check_scan(data, "护照.jpg", LIMIT)
    assert refused.value.en == f"护照.jpg: {en}."
    assert refused.value.zh.startswith("护照.jpg：") and refused.value.zh.endswith("。")


def test_real_scans_pass_with_their_kind_from_their_bytes():
    assert check_scan(PDF, "x.png", LIMIT) == ("pdf", "application/pdf")
    assert check_scan(PNG, "x.pdf", LIMIT) == ("png", "image/png")
    assert check_scan(jpeg(), "x", LIMIT) == ("jpg", "image/jpeg")


def test_the_pixel_limit_is_the_configured_one_not_pillows():
    big = png((3000, 2000))  # 6 megapixels: under Pillow's own default, over a limit of 5
    assert check_scan(big, "big.png", 6_000_000)[0] == "png"
    with pytest.raises(DelegationError, match="more than 5 million pixels"):
        check_scan(big, "big.png", 5_000_000)


# ---- uploads: through the worker, nothing stored when refused --------------------------------


def _upload(con, config, tmp_path, data: bytes, name: str) -> int:
    unit, jia1 = con.execute(
        "select unit_id, participant_id from participants where name = '甲一'"
    ).fetchone()
    return attach(
        con,
        config,
        unit_id=unit,
        participant_id=jia1,
        kind="passport_scan",
        data=data,
        original_name=name,
        actor="t",
        source="upload",
        folder=tmp_path / "docs",
    )


@pytest.mark.parametrize("data", [png_bomb(), jpeg_bomb()], ids=["png", "jpeg"])
def test_an_uploaded_image_bomb_is_refused_and_changes_nothing(con, config, tmp_path, data):
    load_fixture(con, config, tmp_path)
    before = table_snapshot(con)
    with pytest.raises(DelegationError) as refused:
        _upload(con, config, tmp_path, data, "../../护照 甲一.png")
    assert refused.value.en == f"护照 甲一.png: {BOMB}."
    assert refused.value.zh == "护照 甲一.png：图片超过 80 百万像素的上限，作为可能的解压炸弹被拒收。"
    assert table_snapshot(con) == before  # not even a key recorded
    assert not (tmp_path / "docs").exists()


def test_an_upload_is_stored_under_a_safe_name_and_shown_as_pictures_no_wider_than_the_page(
    con, config, tmp_path
):
    load_fixture(con, config, tmp_path)
    wide = png((3000, 2000), "navy")
    document = _upload(con, config, tmp_path, wide, "..\\..\\\u202e护照 甲一.png")
    assert con.execute(
        "select original_name from documents where document_id = ?", [document]
    ).fetchone() == ("护照 甲一.png",)
    scan = read_scan(con, document, "staff", tmp_path / "docs")
    assert scan.data == wide and scan.original_name == "护照 甲一.png"
    (picture,) = scan_pictures(scan, config)
    shown = Image.open(io.BytesIO(picture))
    # Drawn in the worker at the page's width, so st.image need not decode it again in the server.
    assert (shown.format, shown.size) == ("PNG", (pictures.VIEW_WIDTH, 973))


def test_a_bomb_stored_before_the_checks_is_not_drawn(config):
    old = documents.Scan(1, "old.png", "image/png", png_bomb())
    with pytest.raises(DelegationError) as refused:
        scan_pictures(old, config)
    assert refused.value.en == f"old.png: {BOMB}."


# ---- the folder scan, as a process -----------------------------------------------------------


@pytest.fixture
def desk(tmp_path) -> tuple[Path, Path]:
    """A database with the fixture's people (through the CLI) and the unit's empty mail folder."""
    db = tmp_path / "data" / "d.duckdb"
    done = run_cli("import", str(fixture_form(tmp_path)), "--db", str(db))
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "mail" / UNIT
    folder.mkdir(parents=True)
    return db, folder


def snapshot(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return table_snapshot(con)
    finally:
        con.close()


def scan(db: Path, root: Path):
    """`documents scan ROOT` as a process: it ends within 10 s, with 0 or 1 and no traceback."""
    started = time.monotonic()
    done = run_cli("documents", "scan", str(root), "--db", str(db), timeout=60)
    assert time.monotonic() - started < 10
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    return done


def refused_by_scan(db: Path, root: Path, shown: str, reason: str) -> None:
    """The scan leaves the file out with `reason`, and the database and documents/ as they were."""
    before = snapshot(db)
    done = scan(db, root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "0 documents recorded, 0 already known, 1 files not matched."
    assert f"  not matched: {shown} — {reason}" in done.stdout.splitlines()
    assert snapshot(db) == before
    stored = documents_folder(db)
    assert not stored.exists() or not list(stored.iterdir())


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("甲一护照.png", png_bomb(), BOMB),
        ("甲一护照.jpg", jpeg_bomb(), BOMB),
        ("甲一护照.jpg", b"<!doctype html><html><script>alert(1)</script></html>", "not a PDF, JPEG or PNG file"),
        ("甲一护照.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>', "not a PDF, JPEG or PNG file"),
        ("甲一护照.pdf", b"%PDF-1.4 not really", "the PDF cannot be opened (it is damaged or has a password)"),
    ],
    ids=["png-bomb", "jpeg-bomb", "html-named-jpg", "svg", "fake-pdf"],
)  # fmt: skip
def test_a_hostile_file_in_a_unit_folder_is_refused_and_changes_nothing(desk, name, data, reason):
    db, folder = desk
    (folder / name).write_bytes(data)
    refused_by_scan(db, folder.parent, f"{UNIT}/{name}", reason)


def test_a_symlink_to_etc_passwd_is_not_followed(desk):
    db, folder = desk
    (folder / "甲一护照.pdf").symlink_to("/etc/passwd")
    refused_by_scan(db, folder.parent, f"{UNIT}/甲一护照.pdf", LINK)


def test_a_symlink_to_a_real_scan_outside_the_folder_is_not_stored(desk, tmp_path):
    db, folder = desk
    outside = tmp_path / "elsewhere" / "someone.png"
    outside.parent.mkdir()
    outside.write_bytes(PNG)
    (folder / "甲一护照.png").symlink_to(outside)
    refused_by_scan(db, folder.parent, f"{UNIT}/甲一护照.png", LINK)


def test_a_symlinked_unit_folder_is_not_followed(desk, tmp_path):
    db, folder = desk
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "甲一护照.png").write_bytes(PNG)
    folder.rmdir()
    folder.symlink_to(outside, target_is_directory=True)
    refused_by_scan(db, folder.parent, UNIT, LINK)


def test_a_fifo_is_left_unopened_and_the_scan_does_not_wait_for_it(desk):
    db, folder = desk
    os.mkfifo(folder / "甲一护照.pdf")  # opening it to read would wait for a writer for ever
    refused_by_scan(db, folder.parent, f"{UNIT}/甲一护照.pdf", "not a regular file")


def test_a_too_large_file_is_refused_by_its_size_before_it_is_read(desk, config):
    db, folder = desk
    huge = folder / "甲一护照.pdf"
    with huge.open("wb") as file:  # 8 GiB, sparse: its size is known without reading it
        file.write(PDF)
        file.truncate(8 * 1024**3)
    # The size in the sentence is the file's, not the limit plus the one byte a bounded read takes.
    refused_by_scan(
        db,
        folder.parent,
        f"{UNIT}/甲一护照.pdf",
        f"the file is 8192 MB, more than the limit of {config.max_document_mb} MB",
    )


def test_a_valid_scan_is_still_stored_under_a_safe_name_and_shown(desk, config):
    db, folder = desk
    (folder / "\u202e甲一护照.png").write_bytes(PNG)
    (folder / "附件1 报名确认回执.pdf").write_bytes(PDF)
    (folder / "甲二护照.pdf").symlink_to(folder / "附件1 报名确认回执.pdf")  # inside, but still a link
    done = scan(db, folder.parent)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "2 documents recorded, 0 already known, 1 files not matched."
    assert f"  recorded: {UNIT}/甲一护照.png → {config.document('passport_scan').label('en')}" in lines
    assert f"  not matched: {UNIT}/甲二护照.pdf — {LINK}" in lines
    con = duckdb.connect(str(db))
    try:
        rows = con.execute(
            "select d.document_id, d.kind, d.original_name from documents d order by d.kind"
        ).fetchall()
        assert [(k, n) for _, k, n in rows] == [
            ("passport_scan", "甲一护照.png"),
            ("registration_confirmation", "附件1 报名确认回执.pdf"),
        ]
        for document, _, _ in rows:
            scan_file = read_scan(con, document, "staff", documents_folder(db))
            assert scan_file.data in (PNG, PDF)
            pictures = scan_pictures(scan_file, config)
            assert len(pictures) == 1 and all(p.startswith(b"\x89PNG\r\n\x1a\n") for p in pictures)
    finally:
        con.close()


# ---- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("CON.pdf", "_CON.pdf"),
        ("con", "_con"),
        ("lpt9.scan.jpg", "_lpt9.scan.jpg"),
        ("COM10.pdf", "COM10.pdf"),  # not reserved
        ("a\x00b.png", "ab.png"),
        ("\x1b]0;title\x07护照.pdf", "]0;title护照.pdf"),  # no terminal control sequence left
        ("\u202egpj.exe", "gpj.exe"),  # the override made it read "exe.jpg"
        ("护照 张三.jpg", "护照 张三.jpg"),
        ("a..b.pdf", "a.b.pdf"),
        ("notes. . ", "notes"),
        ('what?<is>:this*|".pdf', "what__is__this___.pdf"),
        (".hidden.png", "hidden.png"),
        ("", "file"),
        ("..", "file"),
        ("\u200b\u202e", "file"),
    ],
)
def test_safe_name(name, safe):
    assert safe_name(name) == safe


def test_a_long_name_keeps_its_extension_and_its_chinese():
    name = safe_name("护照扫描件" * 60 + ".pdf")  # 304 characters
    assert len(name) == 120 and name.endswith(".pdf") and name.startswith("护照扫描件")
    assert safe_name("x" * 119 + " .pdf") == "x" * 116 + ".pdf"
