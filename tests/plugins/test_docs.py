"""Every hook is documented in docs/plugins.md with its exact signature, and has a test."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from tongket.core.host import hookspecs

TESTS = Path(__file__).resolve().parents[1]
DOCS = TESTS.parent / "docs" / "plugins.md"
HOOKS = [
    function
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
    if name.startswith("tongket_")
]


def signature_line(function) -> str:
    source = inspect.getsource(function)
    definition = re.search(r"def .*?\)\s*->\s*[^:]+:", source, re.DOTALL).group(0)
    return " ".join(definition.split()).replace("( ", "(").replace(" )", ")")


def section_of(text: str, name: str) -> str:
    match = re.search(rf"^### {name}\n(.*?)(?=^### |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"docs/plugins.md has no '### {name}' heading"
    return match.group(1)


def test_there_are_hooks_to_document():
    assert len(HOOKS) >= 3


@pytest.mark.parametrize("hook", HOOKS, ids=lambda function: function.__name__)
def test_hook_is_documented_with_exact_signature_and_example(hook):
    section = section_of(DOCS.read_text(encoding="utf-8"), hook.__name__)
    assert signature_line(hook) in " ".join(section.split()), "signature differs from hookspecs.py"
    assert "@hookimpl" in section, "the hook's section needs an example implementation"
    assert hook.__doc__, "the hookspec needs a docstring"


def test_every_documented_hook_exists():
    documented = re.findall(r"^### (tongket_\w+)$", DOCS.read_text(encoding="utf-8"), re.MULTILINE)
    assert sorted(documented) == sorted(hook.__name__ for hook in HOOKS)


def defined_test_names() -> set[str]:
    """Every `test_*` function defined under tests/."""
    names = set()
    for path in TESTS.rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names.update(
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        )
    return names


@pytest.mark.parametrize("hook", HOOKS, ids=lambda function: function.__name__)
def test_hook_has_a_test_of_its_own(hook):
    # A hook's own test carries its name: test_tongket_render_section_… .
    own = sorted(name for name in defined_test_names() if hook.__name__ in name)
    assert own, f"no test_{hook.__name__}_… function under tests/"


def test_public_testing_kit_is_documented():
    import tongket.testing

    text = DOCS.read_text(encoding="utf-8")
    for name in tongket.testing.__all__:
        if not name[0].isupper() or name == "ContractError":
            assert f"`{name}" in text, f"docs/plugins.md does not mention tongket.testing.{name}"
    for fixture in ("tongket_plugin", "tongket_host"):
        assert f"`{fixture}" in text
