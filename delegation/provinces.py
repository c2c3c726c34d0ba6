"""The 34 provincial-level divisions (GB/T 2260) and how forms spell them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from delegation.text import match_key


@dataclass(frozen=True)
class Province:
    """A provincial-level division; `key` is its English name, used everywhere as the identifier."""

    code: str
    name_zh: str
    short_zh: str
    key: str
    aliases: tuple[str, ...] = ()

    @property
    def name_en(self) -> str:
        return self.key


PROVINCES: tuple[Province, ...] = (
    Province("110000", "北京市", "北京", "Beijing", ("Peking",)),
    Province("120000", "天津市", "天津", "Tianjin"),
    Province("130000", "河北省", "河北", "Hebei"),
    Province("140000", "山西省", "山西", "Shanxi"),
    Province("150000", "内蒙古自治区", "内蒙古", "Inner Mongolia", ("Nei Mongol", "Neimenggu")),
    Province("210000", "辽宁省", "辽宁", "Liaoning"),
    Province("220000", "吉林省", "吉林", "Jilin"),
    Province("230000", "黑龙江省", "黑龙江", "Heilongjiang"),
    Province("310000", "上海市", "上海", "Shanghai"),
    Province("320000", "江苏省", "江苏", "Jiangsu"),
    Province("330000", "浙江省", "浙江", "Zhejiang"),
    Province("340000", "安徽省", "安徽", "Anhui"),
    Province("350000", "福建省", "福建", "Fujian"),
    Province("360000", "江西省", "江西", "Jiangxi"),
    Province("370000", "山东省", "山东", "Shandong"),
    Province("410000", "河南省", "河南", "Henan"),
    Province("420000", "湖北省", "湖北", "Hubei"),
    Province("430000", "湖南省", "湖南", "Hunan"),
    Province("440000", "广东省", "广东", "Guangdong"),
    Province("450000", "广西壮族自治区", "广西", "Guangxi", ("Guangxi Zhuang",)),
    Province("460000", "海南省", "海南", "Hainan"),
    Province("500000", "重庆市", "重庆", "Chongqing"),
    Province("510000", "四川省", "四川", "Sichuan"),
    Province("520000", "贵州省", "贵州", "Guizhou"),
    Province("530000", "云南省", "云南", "Yunnan"),
    Province("540000", "西藏自治区", "西藏", "Tibet", ("Xizang",)),
    Province("610000", "陕西省", "陕西", "Shaanxi"),
    Province("620000", "甘肃省", "甘肃", "Gansu"),
    Province("630000", "青海省", "青海", "Qinghai"),
    Province("640000", "宁夏回族自治区", "宁夏", "Ningxia", ("Ningxia Hui",)),
    Province("650000", "新疆维吾尔自治区", "新疆", "Xinjiang", ("Xinjiang Uygur", "Xinjiang Uyghur")),
    Province("710000", "台湾省", "台湾", "Taiwan"),
    Province("810000", "香港特别行政区", "香港", "Hong Kong", ("HK", "Hongkong", "HKSAR")),
    Province("820000", "澳门特别行政区", "澳门", "Macao", ("Macau", "Macao SAR")),
)

# Suffixes people add or drop; removed before matching. Longest first so "自治区" beats "区".
_SUFFIX_EN = re.compile(
    r"(province|municipality|autonomousregion|specialadministrativeregion|sar|city|shi|sheng)$"
)
_SUFFIX_ZH = re.compile(r"(壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区|省|市)$")


def _province_key(text: str) -> str:
    key = match_key(text)
    key = _SUFFIX_ZH.sub("", key)
    return _SUFFIX_EN.sub("", key) or key


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for p in PROVINCES:
        for spelling in (p.name_zh, p.short_zh, p.key, p.code, *p.aliases):
            lookup[_province_key(spelling)] = p.key
    return lookup


_LOOKUP = _build_lookup()


def province_for(text: str) -> str | None:
    """The province key for any common spelling (江苏省/江苏/Jiangsu Province → Jiangsu), else None.

    Matching is exact after removing suffixes, so 山西 Shanxi and 陕西 Shaanxi never meet.
    """
    return _LOOKUP.get(_province_key(text)) if text else None
