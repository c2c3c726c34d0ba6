"""Every label the app shows, in Chinese and English, from one table."""

from __future__ import annotations

LANGUAGES = {"zh": "中文", "en": "English"}

TEXT: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    "app.title": ("赴美商务代表团报名台", "Delegation Desk"),
    "sidebar.language": ("语言", "Language"),
    "sidebar.as_of": ("统计截至", "As of"),
    "page.overview": ("总览", "Overview"),
    "overview.units": ("报名单位", "Units"),
    "overview.participants": ("参团人数", "Participants"),
    "overview.applicants": ("经商会申请邀请函", "Invitation-letter applicants"),
    "overview.passport_invalid": ("护照有效期不足", "Passports too short"),
    "overview.next_deadline": ("距下一节点（天）", "Days to next deadline"),
    "overview.no_deadline": ("所有节点已过", "All milestones passed"),
    "overview.countdowns": ("倒计时", "Countdowns"),
    "overview.by_province": ("按省份", "By province"),
    "overview.by_sector": ("按行业", "By sector"),
    "overview.by_theme": ("按论坛主题", "By forum theme"),
    "overview.by_city": ("按考察城市", "By visit city"),
    "overview.empty": (
        "尚无报名数据。用 `python -m delegation import 文件` 导入报名表，或用 `python -m delegation demo` 载入演示数据。",
        "No registrations yet. Import forms with `python -m delegation import FILE`, or load demo data with `python -m delegation demo`.",
    ),
    "column.milestone": ("节点", "Milestone"),
    "column.date": ("日期", "Date"),
    "column.days_left": ("剩余天数", "Days left"),
    "column.name": ("名称", "Name"),
    "column.participants": ("人数", "Participants"),
    "error.config": ("活动配置有误：", "The event configuration is wrong: "),
}


def text(key: str, lang: str) -> str:
    """The label for `key` in `lang` ("zh" or "en")."""
    zh, en = TEXT[key]
    return zh if lang == "zh" else en
