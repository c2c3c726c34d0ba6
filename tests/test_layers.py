"""The pages' side of the layers (pages -> ui -> library), which import-linter cannot see: pages/
is no package. The rest is `make lint`'s (pyproject.toml, [tool.importlinter]).

The rule: a page, and app.py, imports Python's standard library, `streamlit`, and `delegation`:
the `ui` package's face (`from delegation import ui`, never a module inside it) and the library's
modules, by their public names. Never the command line (`cli`, `__main__`), `serve`, another
library (duckdb, pandas: a page asks `delegation` for its data and `ui` for its tables), nor a name
starting with "_".
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from delegation import ROOT

SCRIPTS = [*sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]
NEVER = ("delegation.cli", "delegation.__main__", "delegation.serve")


def imports(path: Path) -> list[tuple[str, str | None]]:
    """Every (module, name) the script imports; name None for `import module`."""
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found += [(node.module or "", alias.name) for alias in node.names]
    return found


def refused(module: str, name: str | None) -> bool:
    """Whether a page may not import `name` from `module` (or `module` itself) by the rule above."""
    top = module.partition(".")[0]
    if top != "delegation":
        return top != "streamlit" and top not in sys.stdlib_module_names
    full = f"{module}.{name}" if name else module
    parts = full.split(".")
    inside_ui = full.startswith("delegation.ui.")
    never = any(full == module or full.startswith(f"{module}.") for module in NEVER)
    return inside_ui or never or any(part.startswith("_") for part in parts)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_page_imports_streamlit_the_ui_and_the_library_only(script):
    assert [(m, n) for m, n in imports(script) if refused(m, n)] == []


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("delegation", "ui"),
        ("delegation", "dashboard"),
        ("delegation.errors", "DelegationError"),
        ("streamlit", None),
        ("datetime", None),
        ("pathlib", "Path"),
    ],
)
def test_the_rule_lets_a_page_import(module, name):
    assert not refused(module, name)


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("delegation", "cli"),
        ("delegation", "serve"),
        ("delegation.serve", "serve"),
        ("delegation.ui.state", "cursor"),
        ("delegation.ui", "state"),
        ("delegation.ui", "_keep"),
        ("delegation.dashboard", "_fields"),
        ("duckdb", None),
        ("pandas", None),
        ("openpyxl", "Workbook"),
    ],
)
def test_the_rule_refuses(module, name):
    assert refused(module, name)


def test_every_page_is_checked():
    assert len(SCRIPTS) >= 10 and ROOT / "pages" / "overview.py" in SCRIPTS


CEILING = 400  # lines: a module longer than this is doing more than one job


def test_no_module_of_the_package_is_over_the_ceiling():
    modules = sorted((ROOT / "delegation").rglob("*.py"))
    assert len(modules) > 50  # the package was found
    long = {
        str(p.relative_to(ROOT)): n
        for p in modules
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > CEILING
    }
    assert long == {}
