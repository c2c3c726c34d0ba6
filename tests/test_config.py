"""event.toml: the notice's defaults load, and every bad key is named in the message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from delegation.config import DEFAULT_CONFIG, load_config
from delegation.errors import DelegationError


def test_defaults_are_the_notice(config):
    assert config.registration_deadline == dt.date(2023, 3, 31)
    assert config.forum_date == dt.date(2023, 5, 22)
    assert config.forum_city == "los_angeles"
    assert (config.travel_start, config.travel_end) == (dt.date(2023, 5, 21), dt.date(2023, 5, 29))
    assert config.passport_valid_through == dt.date(2023, 11, 30)
    assert config.invitation_batch_deadline == dt.date(2023, 4, 7)
    assert [(t.key, t.zh, t.en) for t in config.themes] == [
        ("green_development", "绿色发展", "Green development"),
        ("e_commerce", "电子商务", "E-commerce"),
        ("agricultural_trade", "农产品贸易", "Agricultural product trade"),
        ("two_way_investment", "双向投资", "Two-way investment"),
    ]
    assert [(c.key, c.zh) for c in config.cities] == [
        ("los_angeles", "洛杉矶"),
        ("san_francisco", "旧金山"),
        ("north_carolina", "北卡罗来纳"),
        ("new_york", "纽约"),
    ]
    assert [s.key for s in config.sectors] == [
        "machinery_equipment",
        "electronics_ict",
        "new_energy",
        "energy_saving_environmental",
        "automotive",
        "agriculture_food",
        "e_commerce_trade",
        "finance_investment",
        "logistics",
        "other",
    ]
    assert config.email_subject("某公司", "en") == "Visiting the United States-某公司"
    assert config.email_subject("某公司", "zh") == "赴美访问-某公司"


def test_milestones_in_date_order(config):
    assert [m.key for m in config.milestones()] == [
        "registration",
        "invitation_batch",
        "departure",
        "forum",
        "return",
    ]


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "event.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        (
            "registration_deadline = 2023-03-31",
            'registration_deadline = "31 March"',
            "event.registration_deadline",
        ),
        ("passport_valid_through = 2023-11-30", "", "event.passport_valid_through"),
        ('city = "los_angeles"', 'city = "boston"', "event.forum.city"),
        ('key = "green_development"', 'key = "Green Development"', "themes[0].key"),
        (
            'key = "e_commerce"\nzh = "电子商务"',
            'key = "green_development"\nzh = "电子商务"',
            "themes[1].key",
        ),
        (
            'subject_en = "Visiting the United States-{unit}"',
            'subject_en = "Visiting"',
            "event.email.subject_en",
        ),
        ("max_import_file_mb = 20", "max_import_file_mb = -1", "limits.max_import_file_mb"),
        ("end = 2023-05-29", "end = 2023-05-01", "event.travel.end"),
        ('key = "other"\nzh = "其他"', 'key = "misc"\nzh = "其他"', "sectors"),
    ],
)
def test_bad_keys_are_named(tmp_path, old, new, key):
    with pytest.raises(DelegationError) as err:
        load_config(_variant(tmp_path, old, new))
    assert f"'{key}'" in err.value.en
    assert f"'{key}'" in err.value.zh


def test_extra_milestones(tmp_path):
    path = _variant(
        tmp_path,
        "[limits]",
        '[[milestones]]\nkey = "rooming_list"\nlabel_zh = "酒店名单"\nlabel_en = "Rooming list"\ndate = 2023-04-20\n\n[limits]',
    )
    config = load_config(path)
    keys = [m.key for m in config.milestones()]
    assert keys == ["registration", "invitation_batch", "rooming_list", "departure", "forum", "return"]


def test_broken_toml_and_missing_file(tmp_path):
    bad = tmp_path / "event.toml"
    bad.write_text("[event\n", encoding="utf-8")
    with pytest.raises(DelegationError, match="not valid TOML"):
        load_config(bad)
    with pytest.raises(DelegationError, match="does not exist"):
        load_config(tmp_path / "nope.toml")


def test_upload_limit_matches_the_import_limit(config):
    import tomllib

    from delegation import ROOT

    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["server"]
    assert server["maxUploadSize"] <= config.max_import_file_mb


@pytest.mark.parametrize(
    ("old", "new", "en", "zh"),
    [
        (
            'key = "e_commerce"\nzh = "电子商务"',
            'key = "green_development"\nzh = "电子商务"',
            "event.toml: key 'themes[1].key' repeats 'green_development'.",
            "event.toml：配置项 'themes[1].key' 重复了 'green_development'。",
        ),
        (
            'subject_en = "Visiting the United States-{unit}"',
            'subject_en = "Visiting"',
            "event.toml: key 'event.email.subject_en' must contain {unit}.",
            "event.toml：配置项 'event.email.subject_en' 必须包含 {unit}。",
        ),
        (
            "max_import_file_mb = 20",
            "max_import_file_mb = -1",
            "event.toml: key 'limits.max_import_file_mb' must be a positive whole number.",
            "event.toml：配置项 'limits.max_import_file_mb' 必须是正整数。",
        ),
    ],
)
def test_a_bad_key_is_one_sentence_in_each_language(tmp_path, old, new, en, zh):
    with pytest.raises(DelegationError) as err:
        load_config(_variant(tmp_path, old, new))
    assert (err.value.en, err.value.zh) == (en, zh)


def test_every_reason_the_checks_name_has_its_sentence():
    # The configuration's, the sandbox's and the integrity check's sentences are named by a reason
    # put into a key (`error.config.<reason>`…), which the label test cannot see in the code.
    import re

    from delegation import ROOT, integrity
    from delegation.i18n import TEXT

    def reasons(module: str, call: str) -> set[str]:
        code = (ROOT / "delegation" / module).read_text(encoding="utf-8")
        return set(re.findall(call + r'\([^,()]+(?:\([^()]*\))?[^,()]*, "(\w+)"', code))

    config_reasons = reasons("config.py", r"\bfail") | reasons("config_reader.py", r"\bfail")
    sandbox_reasons = reasons("worker_pipe.py", r"\brefusal")
    assert len(config_reasons) >= 20 and len(sandbox_reasons) == 6
    keys = {f"error.config.{r}" for r in config_reasons} | {f"error.sandbox.{r}" for r in sandbox_reasons}
    keys |= {f"error.integrity.{r}.{s}" for r in integrity._DAMAGE.values() for s in ("restore", "no_backup")}
    assert sorted(keys - TEXT.keys()) == []
