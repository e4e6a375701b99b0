"""`core/` reads as a pipeline: report file → plugin host → rendering → writers → checks → CLI.

These tests keep it so. A module imports, at module level, only from its own layer, the layers
before it, and the shared vocabulary (problems, field and section-type declarations, blocks,
Vietnamese number formats) that every layer speaks. Imports inside functions or under
`TYPE_CHECKING` are the deliberate exceptions (an editing session renders on demand) and are
not counted.
"""

from __future__ import annotations

import ast
from pathlib import Path

import tongket.core

CORE = Path(tongket.core.__file__).parent

#: The pipeline's layers, in order; the top-level modules (checks, cli, scaffold) come last.
LAYERS = ("report", "host", "render", "writers", "")
#: Modules every layer may use: the words the pipeline's stages share (and the pure functions
#: that make any of them safe to print and explain an OS error).
VOCABULARY = frozenset(
    {
        "tongket.core.problems",
        "tongket.core.oserrors",  # why a file could not be read or written, in Vietnamese
        "tongket.core.host.sectiontypes",
        "tongket.core.host.fieldcheck",
        "tongket.core.render.blocks",
        "tongket.core.render.charts",  # the chart block, listed in blocks
        "tongket.core.render.vnformat",
        "tongket.core.writers.terminal",
    }
)


def _module_name(path: Path) -> str:
    parts = ["tongket", "core", *path.relative_to(CORE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_level_imports(path: Path) -> set[str]:
    """The `tongket.core…` modules `path` imports when it is imported (submodules named in
    `from package import module` included)."""
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("tongket.core"):
                found.add(node.module)
                for alias in node.names:
                    candidate = f"{node.module}.{alias.name}"
                    if _path_of(candidate) is not None:
                        found.add(candidate)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("tongket.core"))
    return found


def _path_of(module: str) -> Path | None:
    relative = Path(*module.split(".")[2:])
    for candidate in (CORE / relative.with_suffix(".py"), CORE / relative / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _graph() -> dict[str, set[str]]:
    modules = [p for p in CORE.rglob("*.py") if "plugin_template" not in p.parts]
    return {_module_name(path): _module_level_imports(path) for path in modules}


def _layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) > 3 and parts[2] in LAYERS:  # tongket.core.<layer>.<module>
        return LAYERS.index(parts[2])
    if len(parts) == 3 and parts[2] in LAYERS:  # a layer's package itself
        return LAYERS.index(parts[2])
    return len(LAYERS) - 1  # top level: checks, cli, scaffold, compatibility re-exports


def test_the_module_graph_can_be_read():
    graph = _graph()
    assert "tongket.core.report.store" in graph
    assert "tongket.core.report.model" in graph["tongket.core.report.store"]
    assert "tongket.core.render.document" in graph["tongket.core.writers.docx_writer"]


def test_each_layer_imports_only_the_layers_before_it():
    wrong = [
        f"{module} imports {target}"
        for module, targets in _graph().items()
        for target in targets
        if target not in VOCABULARY and _layer(target) > _layer(module)
    ]
    assert wrong == []


def test_the_vocabulary_stands_on_its_own():
    graph = _graph()
    for module in VOCABULARY:
        assert graph[module] <= VOCABULARY, module


def test_core_has_no_import_cycles():
    graph = _graph()
    done: set[str] = set()

    def visit(module: str, trail: tuple[str, ...]) -> None:
        assert module not in trail, " → ".join((*trail, module))
        if module in done:
            return
        for target in sorted(graph.get(module, ())):
            if target != module and not module.startswith(target + "."):
                visit(target, (*trail, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())
