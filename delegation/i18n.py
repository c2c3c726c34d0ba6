"""Every label the app shows, in Chinese and English, from one table.

A test fails when a key lacks a language or when code uses a key that is not here.
"""

from __future__ import annotations

LANGUAGES = {"zh": "中文", "en": "English"}

TEXT: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    "app.title": ("赴美商务代表团报名台", "Delegation Desk"),
    "page.overview": ("总览", "Overview"),
    "page.registrations": ("报名名单", "Registrations"),
    "page.data_quality": ("数据质量", "Data quality"),
    "page.import": ("导入报名表", "Import forms"),
    "import.help": (
        "上传单位发来的报名信息采集表（.xlsx、.xls 或 .csv）。每个文件单独导入，要么全部成功，要么不作任何更改；重复上传同一文件不会重复计数。",
        "Upload the forms units send (.xlsx, .xls or .csv). Each file is imported whole or not at all; the same file twice is counted once.",
    ),
    "import.files": ("报名表文件", "Form files"),
    "import.dry_run": ("试运行（不保存）", "Dry run (save nothing)"),
    "import.strict": ("严格模式（有错误行则整份拒绝）", "Strict (refuse a file with any bad row)"),
    "import.force": ("重新导入相同文件", "Import the same file again"),
    "import.start": ("导入", "Import"),
    "column.severity": ("类型", "Type"),
    # sidebar
    "sidebar.present": ("演示模式（投屏）", "Presentation mode"),
    "sidebar.as_of": ("统计截至", "As of"),
    "sidebar.filters": ("筛选", "Filters"),
    "sidebar.clear": ("清除筛选", "Clear filters"),
    "filter.provinces": ("省份", "Province"),
    "filter.sectors": ("行业", "Sector"),
    "filter.themes": ("论坛主题", "Forum theme"),
    "filter.cities": ("考察城市", "Visit city"),
    "filter.unit_ids": ("单位", "Unit"),
    "filter.statuses": ("报名状态", "Registration status"),
    "filter.all": ("全部", "All"),
    # values
    "value.unknown": ("未知", "Unknown"),
    "value.yes": ("是", "Yes"),
    "value.no": ("否", "No"),
    "status.registered": ("已报名", "Registered"),
    "status.confirmed": ("已确认", "Confirmed"),
    "status.withdrawn": ("已退出", "Withdrawn"),
    "gender.M": ("男", "Male"),
    "gender.F": ("女", "Female"),
    # overview
    "overview.exit_presentation": ("退出演示", "Exit presentation"),
    "overview.as_of": (
        "统计截至 {date} · 每 {seconds} 秒自动刷新",
        "As of {date} · refreshes every {seconds} s",
    ),
    "overview.units": ("报名单位", "Units"),
    "overview.participants": ("参团人数", "Participants"),
    "overview.applicants": ("经商会申请邀请函", "Invitation-letter applicants"),
    "overview.next_deadline": ("距下一节点（天）", "Days to next deadline"),
    "overview.no_deadline": ("所有节点已过", "All passed"),
    "overview.by_province": ("按省份", "By province"),
    "overview.by_sector": ("按行业", "By sector"),
    "overview.by_theme": ("按论坛主题（可多选）", "By forum theme (several allowed)"),
    "overview.by_city": ("按考察城市（可多选）", "By visit city (several allowed)"),
    "overview.empty": (
        "当前筛选条件下没有报名数据。可放宽筛选，或用 `python -m delegation import 文件` 导入报名表。",
        "No registrations for these filters. Widen the filters, or import forms with `python -m delegation import FILE`.",
    ),
    "countdown.passed": ("已过 {days} 天", "{days} days ago"),
    "countdown.today": ("今天", "Today"),
    "countdown.days": ("还有 {days} 天", "{days} days left"),
    "chart.signups": ("累计报名", "Cumulative sign-ups"),
    "chart.projection": ("按近两周速度预测", "Projection at the last two weeks' pace"),
    "chart.deadline": ("报名截止", "Registration deadline"),
    "chart.cumulative": ("累计", "Cumulative"),
    "chart.participants_axis": ("人数", "Participants"),
    # registrations
    "registrations.search": ("搜索", "Search"),
    "registrations.search_hint": (
        "单位或姓名：中文、拼音、首字母或英文",
        "Unit or name: Chinese, pinyin, initials or English",
    ),
    "registrations.show_full": ("显示完整个人信息", "Show full personal data"),
    "registrations.units": ("单位", "Units"),
    "registrations.participants": ("参团人员", "Participants"),
    "registrations.sort": ("排序", "Sort by"),
    "registrations.descending": ("倒序", "Descending"),
    "registrations.page_size": ("每页行数", "Rows per page"),
    "registrations.page": ("页码", "Page"),
    "registrations.count_units": (
        "共 {count} 家单位 · 第 {page}/{pages} 页",
        "Units: {count} · page {page} of {pages}",
    ),
    "registrations.count_people": (
        "共 {count} 人 · 第 {page}/{pages} 页",
        "Participants: {count} · page {page} of {pages}",
    ),
    "registrations.unit_detail": ("单位详情及参团人员", "Unit details and participants"),
    "sort.name": ("名称/姓名", "Name"),
    "sort.province": ("省份", "Province"),
    "sort.sector": ("行业", "Sector"),
    "sort.participants": ("人数", "Participants"),
    "sort.invitation_applicants": ("申请邀请函人数", "Invitation applicants"),
    "sort.registered_on": ("报名日期", "Registration date"),
    "sort.unit": ("单位", "Unit"),
    "sort.passport_expiry": ("护照有效期", "Passport expiry"),
    "sort.position": ("职务", "Position"),
    # table columns
    "column.name": ("名称/姓名", "Name"),
    "column.province": ("省份", "Province"),
    "column.sector": ("行业", "Sector"),
    "column.participants": ("人数", "Participants"),
    "column.invitation_applicants": ("申请邀请函", "Invitation applicants"),
    "column.registered_on": ("报名日期", "Registered on"),
    "column.contact_name": ("联系人", "Contact"),
    "column.contact_mobile": ("联系人手机", "Contact mobile"),
    "column.contact_email": ("联系人邮箱", "Contact e-mail"),
    "column.status": ("状态", "Status"),
    "column.unit_name": ("单位", "Unit"),
    "column.pinyin_name": ("拼音", "Pinyin"),
    "column.gender": ("性别", "Gender"),
    "column.position": ("职务", "Position"),
    "column.mobile": ("手机", "Mobile"),
    "column.email": ("邮箱", "E-mail"),
    "column.date_of_birth": ("出生日期", "Date of birth"),
    "column.passport_number": ("护照号码", "Passport No."),
    "column.passport_expiry": ("护照有效期", "Passport expiry"),
    "column.applies_via_chamber": ("经商会申请邀请函", "Invitation via chamber"),
    "column.holds_us_visa": ("持有美国签证", "Holds US visa"),
    "column.themes": ("论坛主题", "Forum themes"),
    "column.cities": ("考察城市", "Visit cities"),
    "column.field": ("项目", "Field"),
    "column.value": ("内容", "Value"),
    "column.imported_at": ("导入时间", "Imported at"),
    "column.file_name": ("文件", "File"),
    "column.sheet": ("工作表", "Sheet"),
    "column.row_number": ("行号", "Row"),
    "column.reason": ("原因", "Reason"),
    "column.sector_as_written": ("填写的行业", "Sector as written"),
    "column.units": ("单位数", "Units"),
    "column.unit_names": ("单位", "Units"),
    "column.participant_names": ("姓名", "Names"),
    "column.days_short": ("差几天", "Days short"),
    # data quality
    "quality.skipped_rows": ("未导入的行", "Skipped rows"),
    "quality.skipped_rows.help": (
        "导入时因缺少姓名或单位而跳过的行，请联系单位补充后重新导入。",
        "Rows an import skipped for want of a name or unit; ask the unit and import again.",
    ),
    "quality.unknown_sectors": ("无法识别的行业", "Unknown sectors"),
    "quality.unknown_sectors.help": (
        "填写的行业与配置中的行业及同义词都不匹配，已归入“其他”；可在 event.toml 中补充同义词。",
        "Sectors that matched no configured sector or synonym and count as 'other'; add a synonym in event.toml.",
    ),
    "quality.duplicate_passports": ("多个单位重复的护照号", "Passport numbers in several units"),
    "quality.duplicate_passports.help": (
        "同一护照号出现在不同单位，可能是录入错误或同一人重复报名。",
        "The same passport number under different units: a typo, or one person registered twice.",
    ),
    "quality.passport_format": ("格式异常的护照号", "Passport numbers in an unexpected format"),
    "quality.passport_format.help": (
        "不符合中国护照号码格式（如 E12345678、EA1234567）。",
        "Not in the PRC passport format (e.g. E12345678, EA1234567).",
    ),
    "quality.passport_expiring": ("护照有效期不足或未填", "Passports too short or expiry unknown"),
    "quality.passport_expiring.help": (
        "经商会申请邀请函的人员，护照须有效至 event.toml 中的 passport_valid_through。",
        "Applicants through the chamber need a passport valid through passport_valid_through in event.toml.",
    ),
    "quality.none": ("无", "None"),
}


def text(key: str, lang: str) -> str:
    """The label for `key` in `lang` ("zh" or "en")."""
    zh, en = TEXT[key]
    return zh if lang == "zh" else en
