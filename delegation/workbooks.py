"""Two workbooks made with openpyxl: the leadership summary (native charts) and the Annex 2 template."""

from __future__ import annotations

import datetime as dt
import io

import duckdb

from delegation.config import EventConfig
from delegation.figures import breakdown, headline
from delegation.filters import Filters
from delegation.formulas import neutralise_row
from delegation.i18n import text
from delegation.lists.units import units_page
from delegation.provinces import PROVINCES
from delegation.summary import countdowns


def leadership_workbook(
    con: duckdb.DuckDBPyConnection, config: EventConfig, filters: Filters, lang: str
) -> bytes:
    """Headline figures, countdowns, native bar charts by province, sector, theme and city, and the units.

    Aggregates and unit names only: no passport numbers, phones or scans.
    """
    import openpyxl  # when a workbook is made (see annex2_template)
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    bold, title = Font(bold=True), Font(bold=True, size=14)
    lg = "zh" if lang == "zh" else "en"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = text("workbook.summary", lg)
    ws["A1"] = config.name(lg)
    ws["A1"].font = title
    ws["A2"] = f"{text('export.as_of', lg)}: {filters.as_of.isoformat()}"
    head = headline(con, config, filters)
    figures = [
        (text("overview.units", lg), head.units),
        (text("overview.participants", lg), head.participants),
        (text("overview.applicants", lg), head.invitation_applicants),
        (text("overview.passport_invalid", lg), head.passport_invalid),
    ]
    row = 4
    for label, value in figures:
        ws.cell(row, 1, label).font = bold
        ws.cell(row, 2, value)
        row += 1
    row += 1
    ws.cell(row, 1, text("overview.countdowns", lg)).font = bold
    labels = {m.key: m.label(lg) for m in config.milestones()}
    for item in countdowns(config, filters.as_of):
        row += 1
        ws.cell(row, 1, labels[item["key"]])
        ws.cell(row, 2, dt.date.fromisoformat(item["date"])).number_format = "yyyy-mm-dd"
        ws.cell(row, 3, item["days_left"])
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 14

    anchor_row = 4
    data = wb.create_sheet(text("workbook.chart_data", lg))
    column = 1
    for kind, title_key in (
        ("province", "overview.by_province"),
        ("sector", "overview.by_sector"),
        ("theme", "overview.by_theme"),
        ("city", "overview.by_city"),
    ):
        df = breakdown(con, kind, filters, lg, config.top_provinces)
        data.cell(1, column, text(title_key, lg)).font = bold
        data.cell(1, column + 1, text("column.participants", lg)).font = bold
        for i, (label, count) in enumerate(zip(df["label"], df["participants"], strict=True), start=2):
            data.cell(i, column, label)
            data.cell(i, column + 1, int(count))
        chart = BarChart()
        chart.type = "bar" if kind in ("province", "sector") else "col"
        chart.title = text(title_key, lg)
        chart.legend = None
        chart.height, chart.width = 8, 14
        last = max(2, len(df) + 1)
        chart.add_data(Reference(data, min_col=column + 1, min_row=1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(data, min_col=column, min_row=2, max_row=last))
        ws.add_chart(chart, f"E{anchor_row}")
        anchor_row += 17
        column += 3

    units = wb.create_sheet(text("registrations.units", lg))
    page = units_page(con, filters, lg, page_size=10**9)
    columns = (
        "unit_name",
        "province",
        "sector",
        "participants",
        "invitation_applicants",
        "registered_on",
        "status",
    )
    units.append([text(f"column.{c}", lg) for c in columns])
    for cell in units[1]:
        cell.font = bold
    for r in page.rows.itertuples():
        units.append([getattr(r, c) for c in columns])
        neutralise_row(units[units.max_row])
        units.cell(units.max_row, 6).number_format = "yyyy-mm-dd"
    units.freeze_panes = "A2"
    units.auto_filter.ref = units.dimensions
    units.column_dimensions["A"].width = 36
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---- the Annex 2 template -----------------------------------------------------------------------

TEMPLATE_FIELDS = (
    # (field key, zh header, en header, kind)
    ("unit_name", "单位名称", "Unit name", "text"),
    ("unit_name_en", "单位英文名称", "Company name (English)", "text"),
    ("province", "省份", "Province", "province"),
    ("sector", "所属行业", "Sector", "sector"),
    ("contact_name", "单位联系人", "Contact person", "text"),
    ("contact_mobile", "联系人手机", "Contact mobile", "text"),
    ("contact_email", "联系人邮箱", "Contact e-mail", "text"),
    ("name", "姓名", "Name", "text"),
    ("pinyin_name", "护照姓名拼音", "Name in passport (pinyin)", "text"),
    ("gender", "性别", "Gender", "gender"),
    ("date_of_birth", "出生日期", "Date of birth", "date"),
    ("position", "职务", "Position", "text"),
    ("position_en", "英文职务", "Position (English)", "text"),
    ("mobile", "手机", "Mobile", "text"),
    ("email", "邮箱", "E-mail", "text"),
    ("passport_number", "护照号码", "Passport No.", "text"),
    ("passport_expiry", "护照有效期至", "Passport expiry", "date"),
    ("applies_via_chamber", "是否通过商会申请邀请函", "Invitation letter via chamber", "yes_no"),
    ("holds_us_visa", "是否持有美国签证", "Holds US visa", "yes_no"),
    ("us_visa_expiry", "美国签证有效期至", "US visa expiry", "date"),
    (
        "wants_arrangements",
        "是否需要秘书处安排交通住宿",
        "Transport and accommodation by the secretariat",
        "yes_no",
    ),
)
EXAMPLE_MARK = "示例 Example"


def template_columns(config: EventConfig) -> list[tuple[str, str, str, str]]:
    """Every column of the template: the fields, then one yes/no column per theme and per city."""
    columns = list(TEMPLATE_FIELDS[:-1])
    columns += [
        (f"theme:{t.key}", f"论坛主题：{t.zh}", f"Forum theme: {t.en}", "yes_no") for t in config.themes
    ]
    columns += [
        (f"city:{c.key}", f"考察城市：{c.zh}", f"Visit city: {c.en}", "yes_no") for c in config.cities
    ]
    columns.append(TEMPLATE_FIELDS[-1])
    return columns


def annex2_template(config: EventConfig, rows: list[dict] | None = None) -> bytes:
    """The Registration Information Collection Form: title, bilingual headers, drop-downs, instructions.

    `rows` fills it in (tests use this to check that a filled template imports exactly).
    """
    # openpyxl is imported when a workbook is made, not with the module: the overview page imports
    # this module for its button, and openpyxl was a third of a second of the app's cold start.
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    bold, title = Font(bold=True), Font(bold=True, size=14)
    columns = template_columns(config)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "报名信息采集表 Annex 2"
    last = openpyxl.utils.get_column_letter(len(columns) + 1)
    ws["A1"] = f"附件2 报名信息采集表 · Annex 2 Registration Information Collection Form — {config.name_zh}"
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = title
    ws["A2"] = "序号 No."
    for i, (_, zh, en, _) in enumerate(columns, start=2):
        cell = ws.cell(2, i, f"{zh}\n{en}")
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = max(14, len(zh) * 2 + 2)
    ws["A2"].font = bold
    ws.row_dimensions[2].height = 48
    ws.freeze_panes = "B3"

    example = {
        "unit_name": "某某机械有限公司（示例）",
        "province": "江苏",
        "sector": config.sectors[0].zh,
        "name": "张三",
        "gender": "男",
        "position": "总经理",
        "passport_number": "E00000000",
        "passport_expiry": dt.date(2030, 1, 1),
        "applies_via_chamber": "是",
        "holds_us_visa": "否",
        f"theme:{config.themes[0].key}": "是",
        f"city:{config.forum_city}": "是",
    }
    ws.cell(3, 1, EXAMPLE_MARK).font = Font(italic=True, color="808080")
    for i, (key, *_rest) in enumerate(columns, start=2):
        if key in example:
            cell = ws.cell(3, i, example[key])
            cell.font = Font(italic=True, color="808080")
            if isinstance(example[key], dt.date):
                cell.number_format = "yyyy-mm-dd"
    for n, values in enumerate(rows or [], start=1):
        r = 3 + n
        ws.cell(r, 1, n)
        for i, (key, _, _, kind) in enumerate(columns, start=2):
            value = values.get(key)
            cell = ws.cell(r, i, value)
            if kind == "date" and value is not None:
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str):
                cell.data_type = "s"  # phone numbers and passport numbers stay text
                cell.number_format = "@"

    lists = wb.create_sheet("选项 Lists")
    choices = {
        "province": [p.short_zh for p in PROVINCES],
        "sector": [s.zh for s in config.sectors],
        "gender": ["男", "女"],
        "yes_no": ["是", "否"],
    }
    ranges = {}
    for col, (kind, values) in enumerate(choices.items(), start=1):
        lists.cell(1, col, kind)
        for r, v in enumerate(values, start=2):
            lists.cell(r, col, v)
        letter = openpyxl.utils.get_column_letter(col)
        ranges[kind] = f"'选项 Lists'!${letter}$2:${letter}${len(values) + 1}"
    lists.sheet_state = "hidden"
    body = "3:1000"
    for i, (_, zh, en, kind) in enumerate(columns, start=2):
        letter = openpyxl.utils.get_column_letter(i)
        area = f"{letter}{body.split(':')[0]}:{letter}{body.split(':')[1]}"
        if kind in ranges:
            rule = DataValidation(type="list", formula1=ranges[kind], allow_blank=True, showErrorMessage=True)
            rule.error = f"请从列表中选择 / Choose from the list ({zh} / {en})"
        elif kind == "date":
            rule = DataValidation(
                type="date",
                operator="between",
                formula1="DATE(1900,1,1)",
                formula2="DATE(2100,12,31)",
                allow_blank=True,
            )
            rule.error = "请填写日期，如 2023-05-01 / Enter a date such as 2023-05-01"
            rule.showErrorMessage = True
        else:
            continue
        ws.add_data_validation(rule)
        rule.add(area)

    guide = wb.create_sheet("填表说明 Instructions", 0)
    lines = [
        f"{config.name_zh} · {config.name_en}",
        "",
        "1. 每位参团人员填写一行；同一单位的人员填在同一张表上。One row per participant; one form per unit.",
        "2. 第 3 行为示例，导入时会被忽略，可删除。Row 3 is an example; it is ignored on import.",
        "3. 省份、行业、性别、是/否 请从下拉列表中选择。Choose province, sector, gender and yes/no from the lists.",
        "4. 日期请填写为日期，如 2023-05-01。Enter dates as dates, e.g. 2023-05-01.",
        f"5. 通过商会申请邀请函者，护照须有效至 {config.passport_valid_through.isoformat()}，并附护照首页扫描件；"
        f"已有美国签证者附签证扫描件。Applicants through the chamber need a passport valid through "
        f"{config.passport_valid_through.isoformat()} and a scan of its cover page, plus a scan of an existing US visa.",
        f"6. 请于 {config.registration_deadline.isoformat()} 前发送至秘书处，邮件主题：{config.email_subject('单位名称', 'zh')} / "
        f"{config.email_subject('Unit Name', 'en')}。Send by the deadline with this e-mail subject.",
    ]
    for r, line in enumerate(lines, start=1):
        guide.cell(r, 1, line)
    guide["A1"].font = title
    guide.column_dimensions["A"].width = 120
    wb.active = 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
