"""A CSV form's text: its encoding told from its bytes (UTF-8, GB18030, or Big5 when that reads as
common characters and GB18030 does not), then its rows."""

from __future__ import annotations

import csv
import io
import re
from typing import TYPE_CHECKING

from delegation.form_checks import check_size
from delegation.grid import refuse

if TYPE_CHECKING:
    from delegation.config import EventConfig


def _decode(name: str, data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return data.decode("big5hkscs") if encoding == "gb18030" and _big5(data, text) else text
    # Name the row where the encoding that got furthest (the one the file most likely uses) fails.
    furthest = 0
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError as exc:
            furthest = max(furthest, exc.start)
    line = data.count(b"\n", 0, furthest) + 1
    raise refuse(name, "forms.csv.encoding", line=line)


def _big5(data: bytes, as_gbk: str) -> bool:
    """Whether text that decoded as GBK is really Big5 (traditional Chinese, Taiwan and Hong Kong).
    Most Big5 bytes are GBK bytes too, so 陳大文 came out as 朝ゅ… and was stored so. Names and
    company names in GBK are nearly all among GB2312's 3 755 common hanzi; Big5 read as GBK gives
    rare ones, and private-use, kana, Greek and Cyrillic letters (a third common in a Taiwan sample,
    4 in 11 in a Hong Kong one). Decided on the first 20 000 characters."""
    seen = [c for c in as_gbk[:20_000] if _BIG5_AS_GBK.match(c)]
    if len(seen) < 4 or sum(map(_common_hanzi, seen)) >= len(seen) / 2:
        return False
    try:
        data.decode("big5hkscs")  # Big5 with Hong Kong's characters
    except UnicodeDecodeError:
        return False
    return True


_BIG5_AS_GBK = re.compile("[\u4e00-\u9fff\ue000-\uf8ff\u3040-\u30ff\u0370-\u04ff]")


def _common_hanzi(char: str) -> bool:
    """Whether a character is one of GB2312's level-1 (most common) characters."""
    try:
        return 0xB0 <= char.encode("gb2312")[0] <= 0xD7
    except UnicodeEncodeError:
        return False


def read_csv(name: str, data: bytes, config: EventConfig) -> list[list[object]]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode Text": UTF-16 with its mark, tabs
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise refuse(name, "forms.csv.utf16_damaged") from None
    elif b"\x00" in data[:4096]:
        raise refuse(name, "forms.csv.binary")
    else:
        text = _decode(name, data)
    # Rows and columns are counted before the text is split into cells: 19 MB of newlines or of
    # commas became millions of empty cells. (A quoted line break or delimiter counts here too: a
    # form never holds hundreds of them in a row.)
    lines = text.count("\n") + 1
    if lines > config.max_rows:
        check_size(name, "csv", lines, 0, config)
    sample = "\n".join(text[:20_000].splitlines()[:50])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    widest = max(line.count(delimiter) + 1 for line in text.split("\n"))
    if widest > config.max_columns:
        check_size(name, "csv", lines, widest, config)
    csv.field_size_limit(10 * 1024 * 1024)  # a cell may be long; the file size limit bounds it
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise refuse(name, "forms.csv.unreadable", reason=str(exc)) from None
