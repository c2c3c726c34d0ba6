"""Turn raw cell values into clean, typed values: dates, yes/no, provinces, sectors, themes, cities."""

from __future__ import annotations

import datetime as dt
import re

from delegation.config import Choice
from delegation.ingest.fields import choice_spellings
from delegation.text import clean, match_key

__all__ = [
    "PRC_PASSPORT_PATTERN",
    "BadValue",
    "parse_choices",
    "parse_date",
    "parse_gender",
    "parse_passport",
    "parse_phone",
    "parse_sector",
    "parse_yes_no",
]


class BadValue(ValueError):
    """A cell whose value cannot be read as its field's kind."""


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_YMD = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_YM = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DMONY = re.compile(r"^(\d{1,2})[\s./-]*([a-z]{3,9})\.?[\s.,/-]*(\d{4})$")
_MONDY = re.compile(r"^([a-z]{3,9})\.?[\s.-]*(\d{1,2})(?:st|nd|rd|th)?,?\s*(\d{4})$")
_MDY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


_TIME = re.compile(r"(?<=\d)(?:\s+|t)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?$")


def _date(year: int, month: int, day: int) -> dt.date:
    if not 1900 <= year <= 2100:
        raise BadValue("year out of range")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise BadValue("no such day") from None


def parse_date(value: object) -> dt.date | None:
    """A date from an Excel date, an Excel serial number or text such as 2023/5/1 or 2023年5月1日."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise BadValue("not a date")
    if isinstance(value, int | float):
        if float(value).is_integer() and 19000101 <= value <= 21001231:
            return parse_date(str(int(value)))
        if 1 <= value < 80_000:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise BadValue("not a date")
    text = _TIME.sub("", clean(value).lower())  # an online form's submission time: its day
    if not text:
        return None
    for pattern in (_YMD, _COMPACT):
        if m := pattern.match(text):
            return _date(int(m[1]), int(m[2]), int(m[3]))
    if m := _YM.match(text):
        return _date(int(m[1]), int(m[2]), 1)
    if (m := _DMONY.match(text)) and m[2] in _MONTHS:
        return _date(int(m[3]), _MONTHS[m[2]], int(m[1]))
    if (m := _MONDY.match(text)) and m[1] in _MONTHS:
        return _date(int(m[3]), _MONTHS[m[1]], int(m[2]))
    if m := _MDY.match(text):
        first, second = int(m[1]), int(m[2])
        # Month first, as Excel writes CSV in en-US; unless the first number cannot be a month.
        if first > 12:
            return _date(int(m[3]), second, first)
        return _date(int(m[3]), first, second)
    if re.fullmatch(r"\d+(\.0+)?", text):
        return parse_date(float(text))
    raise BadValue("not a date")


_YES = {
    "是",
    "是的",
    "有",
    "需要",
    "要",
    "y",
    "yes",
    "true",
    "t",
    "√",
    "✓",
    "✔",
    "☑",
    "1",
    "已有",
    "持有",
    "对",
}
_NO = {
    "否",
    "无",
    "没有",
    "不需要",
    "不",
    "不是",
    "n",
    "no",
    "false",
    "f",
    "×",
    "✗",
    "✘",
    "☐",
    "0",
    "-",
    "/",
    "—",
    "无需",
}


# Boxes typed as characters in a Word or Excel form: ticked, and not ticked.
TICKED_BOXES = "☑✓√■●▣☒✔"
EMPTY_BOXES = "□☐○"
_BOXES = re.compile(f"[{TICKED_BOXES}{EMPTY_BOXES}]")


def ticked(value: object) -> list[str] | None:
    """The options ticked in a cell of boxes, the box before or after each option ("☑是 □否",
    "是☑ 否□", "☑绿色发展 □电子商务 ☑农产品贸易"); None for a cell that is not boxes and options
    (a lone "√" still means yes)."""
    if type(value) is not str or not _BOXES.search(value):
        return None
    text = value.strip()
    parts = _BOXES.split(text)
    boxes = _BOXES.findall(text)
    options = [p.strip(" \t\u3000,，、;；") for p in parts]
    if not any(options):
        return None
    if _BOXES.match(text):  # "☑是 □否": each box is followed by its option
        pairs = zip(boxes, options[1:], strict=True)
    else:  # "是☑ 否□": each option is followed by its box
        pairs = zip(boxes, options[:-1], strict=True)
    return [option for box, option in pairs if box in TICKED_BOXES and option]


_OPTION_LETTER = re.compile(r"^[A-Z][.．、]\s*(?=\S)")  # 腾讯问卷 writes a choice as "A.男"


def _choice_text(value: object) -> object:
    """A cell of boxes as the options ticked in it ("、" between), a choice without the letter an
    online form puts before it ("A.男" → "男"), else the cell as it is."""
    options = ticked(value)
    if options is not None:
        return "、".join(options)
    return _OPTION_LETTER.sub("", value) if type(value) is str and value[1:2] in (".", "．", "、") else value


def parse_yes_no(value: object) -> bool:
    """True or False from 是/否, Y/N, yes/no, √/✓, 1/0 or boxes ticked ("☑是 □否"); a blank cell, or
    boxes none of which is ticked, is no; both ticked cannot be read."""
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    options = ticked(value)
    if options is not None:
        if len(options) > 1:
            raise BadValue("ticked twice")
        value = options[0] if options else "否"
    text = clean(_choice_text(value)).lower()
    if not text:
        return False
    if text in _YES:
        return True
    if text in _NO:
        return False
    for prefix in ("不需要", "不是", "否", "无", "没有", "no"):
        if text.startswith(prefix):
            return False
    for prefix in ("是", "有", "需要", "yes", "y "):
        if text.startswith(prefix):
            return True
    raise BadValue("not yes or no")


def parse_gender(value: object) -> str | None:
    """'M' or 'F' from 男/女, M/F, male/female (or the one of them ticked: "☑男 □女")."""
    text = clean(_choice_text(value)).lower()
    if not text:
        return None
    if text in {"男", "m", "male", "男性", "先生", "mr", "mr."}:
        return "M"
    if text in {"女", "f", "female", "女性", "女士", "ms", "ms.", "mrs", "mrs."}:
        return "F"
    raise BadValue("not a gender")


# Ordinary (E, EA…, G) and diplomatic/service/official (D, S, P, SE, DE, PE) PRC passports.
# Also used by DuckDB (queries/quality_passport_format.sql), so it stays within RE2 syntax.
PRC_PASSPORT_PATTERN = r"(E[0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|G[0-9]{8}|[DSP]E?[0-9]{7,8})"
_PRC_PASSPORT = re.compile(PRC_PASSPORT_PATTERN)


_PASSPORT_SPACING = re.compile(r"[\s\-]")
_SPACES = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")


def parse_passport(value: object) -> tuple[str | None, bool]:
    """The passport number upper-cased without spaces, and whether it has the PRC passport format."""
    text = clean(value)
    if not text.isalnum():  # the usual number has nothing to take out
        text = _PASSPORT_SPACING.sub("", text)
    text = text.upper()
    if not text:
        return None, True
    return text, bool(_PRC_PASSPORT.fullmatch(text))


def parse_phone(value: object) -> str | None:
    """A phone number as text: half-width, trimmed, never in scientific notation. Text without a
    digit ("phone", "见上") is not a number."""
    text = clean(value)
    if text.isdigit():
        return text
    if text and not _DIGIT.search(text):
        raise BadValue("no digits")
    return (text if text.isalnum() else _SPACES.sub(" ", text)) or None


_SPLIT = re.compile(r"[、，,;；/|｜┋\n\r]+|\s+(?:and|&|和|及)\s+")  # ┋: 问卷星's multiple choices
_ALL = {"全部", "所有", "以上全部", "以上都有", "都参加", "all", "allofthem", "all4", "全选"}


def parse_choices(value: object, choices: tuple[Choice, ...]) -> tuple[list[str], list[str]]:
    """Keys of the themes or cities a cell lists (one cell, any separator, zh or en; or the ones
    ticked in it), and the parts not understood."""
    text = clean(_choice_text(value))
    if not text:
        return [], []
    if match_key(text) in _ALL:
        return [c.key for c in choices], []
    spellings = [(s, c.key) for c in choices for s in choice_spellings(c)]
    spellings.sort(key=lambda pair: len(pair[0]), reverse=True)
    found: list[str] = []
    unknown: list[str] = []
    for part in _SPLIT.split(text):
        rest = match_key(part)
        if not rest:
            continue
        matched = False
        for spelling, key in spellings:
            if spelling in rest:
                rest = rest.replace(spelling, " ")
                matched = True
                if key not in found:
                    found.append(key)
        if not matched:
            unknown.append(clean(part))
    order = {c.key: i for i, c in enumerate(choices)}
    return sorted(found, key=order.__getitem__), unknown


def parse_sector(value: object, sectors: tuple[Choice, ...]) -> tuple[str | None, bool]:
    """The sector key for a cell through the configured synonyms, and whether it was recognised.

    An exact spelling wins; otherwise the sector with the longest spelling inside the text.
    Unknown text maps to 'other' (reported by the caller).
    """
    key = match_key(_choice_text(value))
    if not key:
        return None, True
    best: tuple[int, str] | None = None
    for sector in sectors:
        for spelling in choice_spellings(sector):
            if spelling == key:
                return sector.key, True
            if spelling in key and (best is None or len(spelling) > best[0]):
                best = (len(spelling), sector.key)
    if best:
        return best[1], True
    return "other", False
