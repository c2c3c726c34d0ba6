"""The fields of the Registration Information Collection Form (Annex 2) and how headers name them.

To add a form field: add a `Field` here (exact header spellings and, if useful, a pattern),
a column in a migration, and its handling in `normalise.py`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from delegation.config import Choice, EventConfig
from delegation.text import match_key


@dataclass(frozen=True)
class Field:
    """A form field: its key, its kind of value, and the header spellings that mean it."""

    key: str
    kind: (
        str  # text | phone | email | passport | date | yes_no | gender | province | sector | themes | cities
    )
    level: str  # unit | participant
    headers: tuple[str, ...]
    pattern: str | None = None  # regex on the header's match key, tried after exact spellings
    personal: bool = False  # never echo its values in messages


FIELDS: tuple[Field, ...] = (
    Field(  # before the unit's name and the pinyin name, whose patterns would take its headers
        "unit_name_en",
        "text",
        "unit",
        (
            "单位英文名称",
            "英文单位名称",
            "单位名称（英文）",
            "企业英文名称",
            "公司英文名称",
            "英文名称",
            "Company Name (English)",
            "English Company Name",
            "Company Name in English",
            "Unit Name (English)",
            "English Name of the Company",
        ),
        r"(单位|企业|公司).*英文|英文.*(单位|企业|公司)|^(unit|company|organi[sz]ation)name(english|inenglish|en)$"
        r"|^english(unit|company|organi[sz]ation)name",
    ),
    Field(
        "unit_name",
        "text",
        "unit",
        (
            "单位名称",
            "单位",
            "单位全称",
            "企业名称",
            "公司名称",
            "企业",
            "公司",
            "参团单位",
            "报名单位",
            "工作单位",
            "所在单位",
            "Unit",
            "Unit Name",
            "Company",
            "Company Name",
            "Organization",
            "Organisation",
            "Organization Name",
            "Employer",
            "Enterprise",
        ),
        r"^(单位|企业|公司).*名称|^(unit|company|organi[sz]ation)name",
    ),
    Field(
        "province",
        "province",
        "unit",
        (
            "省份",
            "所属省份",
            "所在省份",
            "省市",
            "省",
            "地区",
            "所在地区",
            "所属地区",
            "省区市",
            "省(区、市)",
            "Province",
            "Region",
            "Province/Municipality",
            "Province or Municipality",
        ),
        r"^(所属|所在)?省|^province",
    ),
    Field(
        "sector",
        "sector",
        "unit",
        (
            "行业",
            "所属行业",
            "行业类别",
            "行业领域",
            "所属领域",
            "领域",
            "产业",
            "Sector",
            "Industry",
            "Industry Sector",
            "Business Sector",
            "Sector/Industry",
        ),
        r"行业|^sector|^industry",
    ),
    Field(
        "contact_name",
        "text",
        "unit",
        ("联系人", "单位联系人", "联系人姓名", "Contact", "Contact Person", "Contact Name"),
        r"^(单位)?联系人(姓名)?$|^contact(person)?(name)?$",
        personal=True,
    ),
    Field(
        "contact_mobile",
        "phone",
        "unit",
        (
            "联系人手机",
            "联系人电话",
            "联系人手机号",
            "联系人联系电话",
            "Contact Mobile",
            "Contact Phone",
            "Contact Tel",
        ),
        r"^(单位)?联系人.*(手机|电话)|^contact.*(mobile|phone|tel)",
        personal=True,
    ),
    Field(
        "contact_email",
        "email",
        "unit",
        ("联系人邮箱", "联系人电子邮箱", "联系人电子邮件", "Contact Email", "Contact E-mail"),
        r"^(单位)?联系人.*(邮箱|邮件)|^contact.*mail",
        personal=True,
    ),
    Field(
        "name",
        "text",
        "participant",
        (
            "姓名",
            "中文姓名",
            "姓名(中文)",
            "参团人员",
            "参团人员姓名",
            "人员姓名",
            "团员姓名",
            "出访人员",
            "出访人员姓名",
            "Name",
            "Full Name",
            "Participant",
            "Participant Name",
            "Name (Chinese)",
            "Chinese Name",
            "Name in Chinese",
        ),
        r"^(中文)?姓名(中文)?$|^(participant|chinese|full)?name(chinese|inchinese)?$",
        personal=True,
    ),
    Field(
        "pinyin_name",
        "text",
        "participant",
        (
            "拼音",
            "姓名拼音",
            "拼音姓名",
            "英文名",
            "英文姓名",
            "护照姓名",
            "姓名(拼音)",
            "Pinyin",
            "Pinyin Name",
            "Name in Pinyin",
            "English Name",
            "Name (Pinyin)",
            "Name in Passport",
            "Name (English)",
        ),
        r"拼音|英文名|英文姓名|护照.*姓名|pinyin|englishname|nameinpassport|passportname",
        personal=True,
    ),
    Field("gender", "gender", "participant", ("性别", "Gender", "Sex"), r"^性别|^gender|^sex$"),
    Field(  # before the position, whose pattern would take its headers
        "position_en",
        "text",
        "participant",
        (
            "职务（英文）",
            "英文职务",
            "职务英文",
            "英文职位",
            "Position (English)",
            "Position in English",
            "English Position",
            "Title (English)",
            "English Title",
        ),
        r"(职务|职位).*英文|英文.*(职务|职位)|^(position|title|jobtitle)(english|inenglish|en)$|^english(position|title)",
    ),
    Field(
        "position",
        "text",
        "participant",
        ("职务", "职位", "职称", "职务/职称", "Position", "Title", "Job Title", "Post"),
        r"^职务|^职位|^position|jobtitle",
    ),
    Field(
        "passport_expiry",
        "date",
        "participant",
        (
            "护照有效期",
            "护照有效期至",
            "护照到期日",
            "护照到期日期",
            "护照截止日期",
            "护照有效期限",
            "Passport Expiry",
            "Passport Expiry Date",
            "Passport Valid Until",
            "Passport Expiration",
            "Passport Expiration Date",
            "Date of Expiry",
            "Expiry Date",
        ),
        r"护照.*(有效|到期|截止)|passport.*(expir|valid)|^(dateof)?expiry(date)?$",
        personal=True,
    ),
    Field(
        "passport_number",
        "passport",
        "participant",
        (
            "护照号",
            "护照号码",
            "护照编号",
            "护照",
            "Passport No.",
            "Passport Number",
            "Passport",
            "Passport No",
            "Passport #",
        ),
        r"护照(号|编号)|passport(no|number|num)?$",
        personal=True,
    ),
    Field(
        "us_visa_expiry",
        "date",
        "participant",
        (
            "美国签证有效期",
            "签证有效期",
            "美签有效期",
            "签证到期日",
            "美国签证有效期至",
            "US Visa Expiry",
            "Visa Expiry",
            "Visa Valid Until",
            "US Visa Expiry Date",
            "US Visa Valid Until",
        ),
        r"签证.*(有效|到期|截止)|美签.*(有效|到期)|visa.*(expir|valid)",
        personal=True,
    ),
    Field(
        "applies_via_chamber",
        "yes_no",
        "participant",
        (
            "是否通过商会办理邀请函",
            "是否需要邀请函",
            "是否申请邀请函",
            "需要邀请函",
            "申请邀请函",
            "办理邀请函",
            "邀请函",
            "是否通过商会申请邀请函/签证",
            "Invitation Letter",
            "Apply for Invitation Letter",
            "Needs Invitation Letter",
            "Invitation Letter via Chamber",
            "Apply via Chamber",
            "Applies via Chamber",
        ),
        r"邀请函|invitation|viachamber|throughthechamber",
    ),
    Field(
        "holds_us_visa",
        "yes_no",
        "participant",
        (
            "是否持有美国签证",
            "是否有美国签证",
            "持有美国签证",
            "已有美国签证",
            "有无美国签证",
            "持有美签",
            "是否持有有效美国签证",
            "美国签证",
            "Holds US Visa",
            "Has US Visa",
            "Existing US Visa",
            "US Visa",
            "Valid US Visa",
        ),
        r"(持有|已有|有无|是否有|是否持有).*(签证|美签)|^美国签证$|(holds?|has|existing|valid).*visa",
    ),
    Field(
        "themes",
        "themes",
        "participant",
        (
            "论坛主题",
            "感兴趣的论坛主题",
            "参加论坛主题",
            "关注主题",
            "论坛议题",
            "主题",
            "Forum Themes",
            "Forum Theme",
            "Themes",
            "Topics of Interest",
            "Forum Topics",
        ),
        r"主题|议题|theme|topic",
    ),
    Field(
        "cities",
        "cities",
        "participant",
        (
            "考察城市",
            "访问城市",
            "拟访问城市",
            "参访城市",
            "行程城市",
            "出访城市",
            "拟考察城市",
            "Visit Cities",
            "Cities",
            "Cities to Visit",
            "Visiting Cities",
            "City",
            "Visit City",
        ),
        r"城市|^cit(y|ies)|cit(y|ies)tovisit|visit(ing)?cit",
    ),
    Field(
        "wants_arrangements",
        "yes_no",
        "participant",
        (
            "是否需要秘书处安排交通住宿",
            "需要安排交通住宿",
            "交通住宿",
            "是否需要安排交通住宿",
            "代订酒店",
            "是否统一安排食宿交通",
            "Transport and Accommodation",
            "Needs Transport and Accommodation",
            "Arrange Transport and Accommodation",
            "Accommodation",
        ),
        r"交通|住宿|食宿|酒店|accommodation|transport|hotel",
    ),
    Field(
        "registration_date",
        "date",
        "participant",
        (
            "报名日期",
            "报名时间",
            "填表日期",
            "登记日期",
            "Registration Date",
            "Date of Registration",
            "Date Registered",
            "Sign-up Date",
            "Signup Date",
            # an online form's submission time (问卷星, 腾讯问卷, 腾讯文档, 金数据, 飞书, WPS)
            "提交答卷时间",
            "提交时间",
            "提交日期",
            "填写时间",
            "结束答题时间",
            "Submission time",
            "Submitted at",
            "Submitted",
        ),
        r"报名.*(日期|时间)|registration.*date|dateofregistration|sign.*update",
    ),
    Field(
        "date_of_birth",
        "date",
        "participant",
        ("出生日期", "出生年月", "生日", "出生年月日", "Date of Birth", "DOB", "Birth Date", "Birthday"),
        r"出生|生日|birth|^dob$",
        personal=True,
    ),
    Field(
        "mobile",
        "phone",
        "participant",
        (
            "手机",
            "手机号",
            "手机号码",
            "联系电话",
            "电话",
            "移动电话",
            "联系方式",
            "Mobile",
            "Mobile Phone",
            "Phone",
            "Cell",
            "Cell Phone",
            "Tel",
            "Telephone",
            "Mobile No.",
            "Mobile Number",
            "Phone Number",
        ),
        r"手机|电话|mobile|phone|^tel",
        personal=True,
    ),
    Field(
        "email",
        "email",
        "participant",
        ("邮箱", "电子邮箱", "电子邮件", "E-mail", "Email", "Email Address", "E-mail Address", "Mail"),
        r"邮箱|邮件|mail",
        personal=True,
    ),
)

FIELDS_BY_KEY = {f.key: f for f in FIELDS}
UNIT_FIELDS = tuple(f.key for f in FIELDS if f.level == "unit")
_EXACT = {match_key(h): f.key for f in FIELDS for h in (f.key, *f.headers)}
_PATTERNS = [(re.compile(f.pattern), f.key) for f in FIELDS if f.pattern]


@functools.cache
def choice_spellings(choice: Choice) -> list[str]:
    """Every spelling of a theme, city or sector, as match keys, longest first."""
    keys = {match_key(s) for s in (choice.key, choice.zh, choice.en, *choice.synonyms)}
    return sorted((k for k in keys if k), key=len, reverse=True)


@functools.cache
def _label_keys(choices: tuple[Choice, ...]) -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple(
        (c.key, frozenset(k for k in (match_key(c.zh), match_key(c.en), match_key(c.key)) if k))
        for c in choices
    )


def _labels_in(header_key: str, choices: tuple[Choice, ...]) -> list[str]:
    """Keys of the choices whose zh/en label or key appears in the header."""
    return [key for key, labels in _label_keys(choices) if any(label in header_key for label in labels)]


# An online form's question as its export heads the column: numbered ("1、", "1.", "Q1.", "第1题"),
# marked ("*", "（必填）", "(单选)", "（自动）") and ending in a colon or a question mark.
_NUMBERING = re.compile(
    r"^\s*(?:[Qq]?\d{1,3}(?:\.\d{1,3})?\s*[、.．:：)）]|第\s*\d{1,3}\s*题\s*[、.．:：]?)\s*"
)
_MARKS = re.compile(
    r"[*＊]|[（(]\s*(?:必填|选填|必答|单选题?|多选题?|填空题?|可多选|多选[，,]?最多选\d+项|自动)\s*[)）]"
)
_END = re.compile(r"[\s:：?？]+$")


def question(header: object) -> object:
    """A header as the question it asks, without an online form's numbering and marks:
    "12、关注的论坛主题（多选）：" → "关注的论坛主题"; any other value as it is."""
    if type(header) is not str or not header:
        return header
    text = _MARKS.sub("", _NUMBERING.sub("", header, count=1))
    return _END.sub("", text) or header


def map_header(header: object, config: EventConfig) -> str | None:
    """What a header cell means: a field key, `theme:<key>` / `city:<key>` for a yes/no column, or None.

    A bilingual header ("姓名\nName") is tried whole, then line by line; an online form's
    question is read without its numbering and marks (`question`).
    """
    header = question(header)
    meaning = _map_header_key(match_key(header), config.themes, config.cities)
    if meaning is None and isinstance(header, str) and "\n" in header:
        for part in header.split("\n"):
            meaning = _map_header_key(match_key(part), config.themes, config.cities)
            if meaning:
                break
    return meaning


@functools.lru_cache(maxsize=4096)
def _map_header_key(key: str, themes: tuple[Choice, ...], cities: tuple[Choice, ...]) -> str | None:
    if not key:
        return None
    if key in _EXACT:
        return _EXACT[key]
    in_themes = _labels_in(key, themes)
    in_cities = _labels_in(key, cities)
    if len(in_themes) == 1 and not in_cities:
        return f"theme:{in_themes[0]}"
    if len(in_cities) == 1 and not in_themes:
        return f"city:{in_cities[0]}"
    if len(in_themes) > 1:
        return "themes"
    if len(in_cities) > 1:
        return "cities"
    for pattern, field in _PATTERNS:
        if pattern.search(key):
            return field
    return None


def flag_label(cell: object, config: EventConfig) -> str | None:
    """`theme:<key>` or `city:<key>` when a cell (in a second header row) names exactly one theme or city."""
    key = match_key(cell)
    if not key:
        return None
    for prefix, choices in (("theme", config.themes), ("city", config.cities)):
        for c in choices:
            if key in choice_spellings(c):
                return f"{prefix}:{c.key}"
    return None
