"""docs/developer-guide.md names only paths, modules and definitions that exist.

Every inline `code` span of the guide (outside fenced blocks) that looks like a repository path
(`core/checks.py`, `tests/cli/`, `.ci/run`) must exist; `path.py::name` must also define `name`
(a function, class or assignment at module level, or `Class.method`); `tongket.…` must be an
importable module; and every relative Markdown link must lead to a file. So the map cannot rot
when code moves.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "developer-guide.md"

_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_CODE = re.compile(r"`([^`\n]+)`")
_PATH = re.compile(r"^\.?[\w-]+(?:/[\w.-]*)*(?:\.(?:py|md|toml|tcss|tmpl|zip))?(?:::[\w.]+)?$")
_FILE = re.compile(r"^[\w.-]+\.(?:py|md|toml|tcss)$")
_MODULE = re.compile(r"^tongket(?:\.\w+)+$")
_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def _spans() -> list[str]:
    return _CODE.findall(_FENCE.sub("", GUIDE.read_text(encoding="utf-8")))


def _paths() -> list[str]:
    """Spans that name a file or folder of the repository (absolute paths are not its own)."""
    return sorted(
        {
            span
            for span in _spans()
            if _PATH.match(span) and ("/" in span or "::" in span or _FILE.match(span))
        }
    )


def _modules() -> list[str]:
    return sorted({span for span in _spans() if _MODULE.match(span)})


def _defined(tree: ast.Module, name: str) -> bool:
    """Whether `name` (or `Class.member`) is defined at the top of the module `tree`."""
    scope: list[ast.stmt] = tree.body
    *owners, last = name.split(".")
    for owner in owners:
        found = [node for node in scope if isinstance(node, ast.ClassDef) and node.name == owner]
        if not found:
            return False
        scope = found[0].body
    for node in scope:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name == last:
                return True
        elif isinstance(node, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == last for t in node.targets):
                return True
        elif (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == last
        ):
            return True
    return False


def test_the_guide_is_short_and_names_enough_to_check():
    lines = GUIDE.read_text(encoding="utf-8").splitlines()
    assert len(lines) < 150, "the guide is a one-page map; move detail next to the code"
    # The extraction below must keep finding the guide's paths, or the tests prove nothing.
    assert len(_paths()) >= 30, _paths()
    assert len(_modules()) >= 5, _modules()


@pytest.mark.parametrize("span", _paths())
def test_every_path_in_the_guide_exists(span):
    path, _, name = span.partition("::")
    target = ROOT / path
    assert target.exists(), f"docs/developer-guide.md names {path}, which does not exist"
    if path.endswith("/"):
        assert target.is_dir(), f"{path} is named as a folder but is a file"
    if name:
        tree = ast.parse(target.read_text(encoding="utf-8"))
        assert _defined(tree, name), f"docs/developer-guide.md: {path} does not define {name}"


@pytest.mark.parametrize("module", _modules())
def test_every_module_in_the_guide_is_importable(module):
    assert importlib.util.find_spec(module) is not None, f"no module {module}"


def test_every_relative_link_in_the_guide_leads_to_a_file():
    links = [link for link in _LINK.findall(GUIDE.read_text(encoding="utf-8")) if "://" not in link]
    assert links, "the guide links plugins.md at least"
    for link in links:
        assert (GUIDE.parent / link).exists(), f"docs/developer-guide.md links {link}"


def test_the_readme_points_developers_to_the_guide():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/developer-guide.md" in readme


def test_a_wrong_definition_is_caught():
    """The `::name` check fails for a name the file does not define (the check is not vacuous)."""
    tree = ast.parse((ROOT / "core" / "checks.py").read_text(encoding="utf-8"))
    assert _defined(tree, "check_project")
    assert _defined(tree, "MAX_DAYS_AHEAD")
    assert not _defined(tree, "no_such_check")
    harness = ast.parse((ROOT / "core" / "report" / "tomlpos.py").read_text(encoding="utf-8"))
    assert _defined(harness, "KeyLocator.line")
    assert not _defined(harness, "KeyLocator.no_such_method")
