"""The Annex 2 form as a Word document, for units that fill their annexes in Word.

The same fields as the Excel template (`workbooks.annex2_template`): the unit's details as labelled
lines above the table ("单位名称（盖章）：…"), one table row per person, tick boxes (□) for the
yes/no and choice questions, and the instructions. A filled-in copy imports exactly
(`delegation.word` reads it).
"""

from __future__ import annotations

import datetime as dt
import io

import docx
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt

from delegation.config import EventConfig

BOX, TICKED = "□", "☑"

# The unit's lines above the table: (label as the importer reads it, English, field key).
UNIT_LINES = (
    ("单位名称（盖章）", "Unit name (seal)", "unit_name"),
    ("单位英文名称", "Company name (English)", "unit_name_en"),
    ("所在省份", "Province", "province"),
    ("所属行业", "Sector", "sector"),
    ("联系人", "Contact person", "contact_name"),
    ("联系电话", "Contact mobile", "contact_mobile"),
    ("联系邮箱", "Contact e-mail", "contact_email"),
)


def person_columns(config: EventConfig) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """The table's columns after 序号: (field key, zh, en, the options ticked in it, if any)."""
    yes_no = ("是", "否")
    return [
        ("name", "姓名", "Name", ()),
        ("pinyin_name", "护照姓名拼音", "Name in passport", ()),
        ("gender", "性别", "Gender", ("男", "女")),
        ("date_of_birth", "出生日期", "Date of birth", ()),
        ("position", "职务", "Position", ()),
        ("position_en", "英文职务", "Position (English)", ()),
        ("mobile", "手机", "Mobile", ()),
        ("email", "邮箱", "E-mail", ()),
        ("passport_number", "护照号码", "Passport No.", ()),
        ("passport_expiry", "护照有效期至", "Passport expiry", ()),
        ("applies_via_chamber", "是否通过商会申请邀请函", "Invitation via chamber", yes_no),
        ("holds_us_visa", "是否持有美国签证", "Holds US visa", yes_no),
        ("us_visa_expiry", "美国签证有效期至", "US visa expiry", ()),
        ("themes", "论坛主题", "Forum themes", tuple(t.zh for t in config.themes)),
        ("cities", "考察城市", "Visit cities", tuple(c.zh for c in config.cities)),
        ("wants_arrangements", "是否需要秘书处安排交通住宿", "Transport and hotel by us", yes_no),
    ]


def _boxes(options: tuple[str, ...], ticked: object) -> str:
    """'☑是 □否': each option after its box, the given ones ticked (a list, or one option)."""
    chosen = set(ticked) if isinstance(ticked, list | tuple | set) else {ticked}
    return " ".join(f"{TICKED if o in chosen else BOX}{o}" for o in options)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def annex2_docx(config: EventConfig, unit: dict | None = None, rows: list[dict] | None = None) -> bytes:
    """The form as a .docx. `unit` and `rows` fill it in (tests check that a filled copy imports
    exactly): the unit's field values, and per person the field values (choice fields: the options
    ticked, as the zh words shown)."""
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.2))
    style = document.styles["Normal"]
    style.font.size = Pt(9)
    title = document.add_paragraph()
    title.add_run(
        f"附件2 报名信息采集表 · Annex 2 Registration Information Collection Form — {config.name_zh}"
    ).bold = True
    for line in _instructions(config):
        document.add_paragraph(line)
    document.add_paragraph(
        "单位信息 Unit details — " + " · ".join(f"{label} {en}" for label, en, _ in UNIT_LINES)
    )
    for label, _en, key in UNIT_LINES:  # the label alone, as the importer reads it
        document.add_paragraph(f"{label}：{_text((unit or {}).get(key))}")
    columns = person_columns(config)
    people = rows or []
    table = document.add_table(rows=1 + max(len(people), 10), cols=1 + len(columns))
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text = "序号\nNo."
    for cell, (_, zh, en, _options) in zip(header[1:], columns, strict=True):
        cell.text = f"{zh}\n{en}"
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for n, row in enumerate(table.rows[1:], start=1):
        cells = row.cells
        cells[0].text = str(n)
        person = people[n - 1] if n <= len(people) else {}
        for cell, (key, _zh, _en, options) in zip(cells[1:], columns, strict=True):
            cell.text = _boxes(options, person.get(key)) if options else _text(person.get(key))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _instructions(config: EventConfig) -> list[str]:
    deadline = config.registration_deadline.isoformat()
    valid = config.passport_valid_through.isoformat()
    return [
        f"{config.name_zh} · {config.name_en}",
        "1. 每位参团人员填写一行，可按需增加行；单位信息填写在表格上方。"
        "One row per participant (add rows as needed); the unit's details go above the table.",
        "2. 选择题请将所选项前的 □ 改为 ☑（或 √）。For a choice, change the box before it from □ to ☑ (or √).",
        "3. 日期请写为 2023-05-01 的格式。Write dates as 2023-05-01.",
        f"4. 通过商会申请邀请函者，护照须有效至 {valid}，并附护照首页扫描件；已有美国签证者附签证扫描件。"
        f"Applicants through the chamber need a passport valid through {valid} and a scan of its cover "
        "page, plus a scan of an existing US visa.",
        f"5. 请于 {deadline} 前发送至秘书处，邮件主题 {config.email_subject('单位名称', 'zh')}。"
        f"Send it by {deadline} with the subject {config.email_subject('Unit Name', 'en')}.",
    ]
