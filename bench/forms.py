"""The forms the bench imports: Annex 2 workbooks and Word tables filled with the demo generator's
people, as units fill them in, and a workbook as Excel or WPS save it."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape


def _person(p: dict) -> dict:
    """A demo person's fields as a unit writes them in the form: 男/女, 是/否, dates as dates."""
    yes_no = {True: "是", False: "否"}
    return {
        "name": p["name"],
        "pinyin_name": p["pinyin_name"],
        "gender": {"M": "男", "F": "女"}[p["gender"]],
        "position": p["position"],
        "mobile": p["mobile"],
        "email": p["email"],
        "date_of_birth": p["date_of_birth"],
        "passport_number": p["passport_number"],
        "passport_expiry": p["passport_expiry"],
        "applies_via_chamber": yes_no[p["applies_via_chamber"]],
        "holds_us_visa": yes_no[p["holds_us_visa"]],
        "us_visa_expiry": p["us_visa_expiry"],
        "wants_arrangements": yes_no[p["wants_arrangements"]],
    }


def annex2_workbook(path: str, rows: int, new_mobiles: bool = False) -> None:
    """An Annex 2 workbook the way units fill it in: the template holding `rows` people of the demo
    generator (its names, units, provinces, sectors, themes and cities), yes/no as 是/否, dates as dates.
    With `new_mobiles`, every person's mobile ends in 7777 instead: the same people, all changed."""
    from delegation.config import load_config
    from delegation.demo import generate, province_zh
    from delegation.workbooks import annex2_template

    config = load_config()
    units, people = generate(config, rows, seed=2023)
    units = {u["unit_id"]: u for u in units.to_pylist()}
    sectors = {s.key: s.zh for s in config.sectors}
    filled = []
    for p in people.to_pylist():
        unit = units[p["unit_id"]]
        filled.append(
            {
                "unit_name": unit["name"],
                "province": province_zh(unit["province"]),
                "sector": sectors[unit["sector"]],
                "contact_name": unit["contact_name"],
                "contact_mobile": unit["contact_mobile"],
                **_person(p),
                "mobile": p["mobile"][:-4] + "7777" if new_mobiles and p["mobile"] else p["mobile"],
                **{f"theme:{key}": "是" for key in p["themes"]},
                **{f"city:{key}": "是" for key in p["cities"]},
            }
        )
    Path(path).write_bytes(annex2_template(config, filled))


def annex2_word(path: str, rows: int) -> None:
    """The Word template filled in by one unit with `rows` people of the demo generator, ticks
    for the choices, dates as written."""
    from delegation.config import load_config
    from delegation.demo import generate, province_zh
    from delegation.word_template import annex2_docx

    config = load_config()
    units, people = generate(config, rows, seed=2023)
    unit = units.to_pylist()[0]
    themes = {t.key: t.zh for t in config.themes}
    cities = {c.key: c.zh for c in config.cities}
    filled = [
        {
            **_person(p),
            "themes": [themes[k] for k in p["themes"]],
            "cities": [cities[k] for k in p["cities"]],
        }
        for p in people.to_pylist()
    ]
    details = {
        "unit_name": unit["name"],
        "province": province_zh(unit["province"]),
        "contact_name": unit["contact_name"],
    }
    Path(path).write_bytes(annex2_docx(config, details, filled))


_INLINE_CELL = re.compile(
    r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>', re.S
)


def saved_as_excel(source: str, target: str) -> None:
    """The workbook as Excel or WPS saves it once a unit has filled it in: every cell text in one
    shared string table in UTF-8, where openpyxl writes each text inline (non-ASCII characters as
    character references). Same cells, same values."""
    strings: dict[str, int] = {}

    def shared(m: re.Match) -> str:
        index = strings.setdefault(html.unescape(m[3]), len(strings))
        return f'<c {m[1]}t="s"{m[2]}><v>{index}</v></c>'

    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = _INLINE_CELL.sub(shared, data.decode("utf-8")).encode("utf-8")
            elif info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/officeDocument/'
                    b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
                )
            zout.writestr(info, data)
        items = "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in strings)
        zout.writestr(
            "xl/sharedStrings.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
            f'openxmlformats.org/spreadsheetml/2006/main" uniqueCount="{len(strings)}">{items}</sst>',
        )
