"""The lists registry: one source of which lists exist (the CLI and the export buttons agree with it),
and the base class masks every list's personal columns unless "show full" is on."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from typing import Any

import pytest

from delegation import ROOT, lists, quality
from delegation.filters import Filters
from delegation.lists.base import Column, List, Sheet
from delegation.privacy import mask_email, mask_mobile, mask_passport
from tests.conftest import run_cli
from tests.fixtures import load_fixture

AS_OF = dt.date(2023, 3, 20)


@pytest.fixture
def loaded(con, config, tmp_path):
    load_fixture(con, config, tmp_path)
    return con


def test_the_registry_holds_every_list_module_once_each_backed_by_a_query():
    modules = sorted(
        p.stem for p in (ROOT / "delegation" / "lists").glob("*.py") if p.stem not in ("__init__", "base")
    )
    assert list(lists.REGISTRY) == modules
    # the lists the pages show today are among them (a new list is a new module, found as these are)
    assert {"audit", "batch", "chase", "documents", "participants", "quality", "units"} <= set(modules)
    for key, exporter in lists.REGISTRY.items():
        assert isinstance(exporter, List) and exporter.key == key
        assert (ROOT / "queries" / f"{exporter.query}.sql").is_file(), exporter.query
        assert exporter.title("zh") != exporter.title("en")  # a name in each language
        assert lists.REGISTRY[key] is exporter  # made once


def test_a_module_whose_list_has_another_key_is_refused(tmp_path, monkeypatch):
    package = tmp_path / "extra_lists"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "people.py").write_text(
        "from delegation.lists.participants import Participants\n\n\nclass People(Participants):\n    pass\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    wrong = lists.Registry(("people",), package="extra_lists")
    with pytest.raises(ValueError, match="'people'"):
        wrong["people"]
    with pytest.raises(KeyError):
        lists.REGISTRY["people"]


def test_the_command_line_offers_the_registry_s_lists_and_the_workbook():
    done = run_cli("export", "--help")
    assert done.returncode == 0, done.stderr
    # The positional argument's choices, as the usage line and the positional arguments name them.
    usage = re.search(r"\{([a-z_,]+)\}\s*$", done.stdout.split("\n\n")[0]).group(1)
    listed = re.search(r"^positional arguments:\n\s+\{([a-z_,]+)\}", done.stdout, re.M).group(1)
    assert usage == listed
    offered = listed.split(",")
    assert offered == [*lists.REGISTRY, "summary"]


def test_the_export_buttons_offer_exactly_the_registry_s_lists():
    buttons = set()
    for page in (ROOT / "pages").glob("*.py"):
        buttons |= set(re.findall(r'ui\.export_buttons\(\s*"([a-z_]+)"', page.read_text(encoding="utf-8")))
    assert buttons == set(lists.REGISTRY)


def test_the_command_line_starts_without_loading_the_lists_libraries():
    """The registry names its classes, so building the parser (and `--help`) loads no pandas."""
    code = "import sys, delegation.cli as c; c.build_parser(); print('pandas' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


class People(List):
    """A list of two columns, one of them personal, for the base class's masking."""

    key = "participants"
    query = "participants_page"
    columns = (Column("name"), Column("mobile"), Column("email", personal=True))

    def sheets(self, con, config, filters, lang: str, **options: Any) -> list[Sheet]:
        return [
            Sheet(
                "people", self.columns, [("甲一", "13812347532", "zhang.wei@example.com"), ("乙", None, None)]
            )
        ]


def test_the_base_class_masks_personal_columns_unless_show_full(config):
    people = People()
    assert [c.personal for c in people.columns] == [False, True, True]  # mobile: by privacy's masks
    (table,) = people.tables(None, config, Filters(AS_OF), "en")
    assert table.columns == ["column.name", "column.mobile", "column.email"]
    assert list(table.rows) == [("甲一", "138****7532", "z***@example.com"), ("乙", None, None)]
    assert next(iter(people.rows(None, config, Filters(AS_OF), show_full=True))) == (
        "甲一",
        "13812347532",
        "zhang.wei@example.com",
    )
    with pytest.raises(ValueError, match="mask"):
        Column("name", personal=True)  # personal, yet privacy has no mask for it


def test_registered_lists_mask_their_personal_columns(loaded, config):
    loaded.execute(
        "update participants set passport_number = 'AB12345678901' where name = '甲一'"
    )  # no PRC format
    f = Filters(AS_OF)
    participants = lists.REGISTRY["participants"]
    at = [c.key for c in participants.columns].index("passport_number")
    full = [r[at] for r in participants.rows(loaded, config, f, show_full=True) if r[at]]
    masked = [r[at] for r in participants.rows(loaded, config, f) if r[at]]
    assert full and masked == [mask_passport(n) for n in full] and masked != full

    loaded.execute("update units set contact_mobile = '13812347532', contact_email = 'zhang.wei@example.com'")
    chase = lists.REGISTRY["chase"]
    keys = [c.key for c in chase.columns]
    full = list(chase.rows(loaded, config, f, lang="en", show_full=True))
    shown = list(chase.rows(loaded, config, f, lang="en"))
    mobile, email = keys.index("contact_mobile"), keys.index("contact_email")
    assert any(r[mobile] for r in full) and any(r[email] for r in full)
    assert [r[mobile] for r in shown] == [mask_mobile(r[mobile]) for r in full]
    assert [r[email] for r in shown] == [mask_email(r[email]) for r in full]

    # A list made from frames (the quality sheets) masks by the frames' column names, as the page does.
    sheets = dict(
        zip(quality.QUALITY_LISTS, lists.REGISTRY["quality"].tables(loaded, config, f, "en"), strict=True)
    )
    page = quality.quality(loaded, config, f, "en")
    full = quality.quality(loaded, config, f, "en", show_full=True)
    for name in ("duplicate_passports", "passport_format"):
        at = sheets[name].columns.index("column.passport_number")
        assert [r[at] for r in sheets[name].rows] == page[name]["passport_number"].tolist()
    numbers = full["passport_format"]["passport_number"].tolist()
    assert numbers and page["passport_format"]["passport_number"].tolist() == [
        mask_passport(n) for n in numbers
    ]
