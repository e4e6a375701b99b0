"""Where an export's start-up goes, part by part, beside the floor's.

    python benchmarks/bench_instructions.py --startup

A collecting run exports the empty report in-process once and lists the modules the export
loads, in their order, and the dataclasses it defines, with their fields and options. Then
callgrind (`bench_instructions.instructions`) counts these processes, each adding one part to
the one before, so that each difference is what that part costs:

1. Python's start and nothing else (`import os; os._exit(0)`);
2. pluggy, `dataclasses` and `typing`, with what they import (`inspect`, `ast`, `dis` …): the
   libraries the design names and tongket's public API is made of;
3. the same plus every other module of the export that is not tongket's (the standard
   library's, the TOML reader), in the export's order;
4. every module the export loads (tongket's own added);
5. `tongket export` of the empty report (the console script, supervised child included;
   counted by `bench_instructions`, which counts it for the shapes too).

Steps 1–4 end with `os._exit`, as the supervised child does: an export never pays for the
interpreter's teardown of its modules (13 M instructions for a bare interpreter), so neither
may the steps it is compared with.

Within tongket's modules, the dataclasses' part is counted apart: `dataclasses` and `typing`
imported, then the same with every collected dataclass defined again (`type()` and the
decorator, the same fields, defaults and options). On Python 3.11 `@dataclass` compiles each
generated method (`__init__`, `__repr__`, `__eq__`, and for a frozen class `__setattr__`,
`__delattr__` and `__hash__`) with `exec`, at every start; the difference is that cost.

The floor is split the same way: step 1, `import floor` ending with `os._exit` (its
modules), and its export as the harness runs it (`bench_export.cached_script`, which ends it
with `os._exit` too; counted by `bench_instructions`).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: Run in a child: export the empty report in-process (no supervised child, so every class and
#: module is seen) and print, as JSON, the modules it loaded and the dataclasses it defined.
_COLLECT = """
import sys
before = set(sys.modules)
import dataclasses
specs = []
original = dataclasses._process_class

def record(cls, init, repr, eq, order, unsafe_hash, frozen, *rest):
    fields = []
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        value = cls.__dict__.get(name, dataclasses.MISSING)
        spec = {"name": name, "annotation": annotation if isinstance(annotation, str) else "object"}
        if isinstance(value, dataclasses.Field):
            spec.update(init=value.init, repr=value.repr, compare=value.compare,
                        kw_only=value.kw_only is True,
                        default=value.default is not dataclasses.MISSING,
                        factory=value.default_factory is not dataclasses.MISSING)
        else:
            spec["default"] = value is not dataclasses.MISSING
        fields.append(spec)
    specs.append({"name": cls.__name__, "documented": cls.__dict__.get("__doc__") is not None,
                  "fields": fields,
                  "options": {"init": init, "repr": repr, "eq": eq, "order": order,
                              "unsafe_hash": unsafe_hash, "frozen": frozen}})
    return original(cls, init, repr, eq, order, unsafe_hash, frozen, *rest)

dataclasses._process_class = record
from tongket.core import cli
cli.main(["export", sys.argv[1], "-o", sys.argv[2]])
modules = [name for name in sys.modules if name not in before]
import json
print(json.dumps({"dataclasses": specs, "modules": modules}))
"""

#: Define every collected dataclass again (`define`), or only import what that needs.
_REDEFINE = """
import json, sys
import dataclasses, typing
specs = json.load(open(sys.argv[1], encoding="utf-8"))["dataclasses"]
made = []
if sys.argv[2] == "define":
    from dataclasses import MISSING, dataclass, field
    for spec in specs:
        namespace = {"__module__": __name__, "__annotations__": {}}
        if spec["documented"]:
            namespace["__doc__"] = spec["name"]
        for item in spec["fields"]:
            namespace["__annotations__"][item["name"]] = item["annotation"]
            options = {key: item[key] for key in ("init", "repr", "compare", "kw_only")
                       if key in item}
            default = None if item["default"] else MISSING
            factory = list if item.get("factory") else MISSING
            if options or factory is not MISSING:
                namespace[item["name"]] = field(default=default, default_factory=factory, **options)
            elif default is not MISSING:
                namespace[item["name"]] = default
        made.append(dataclass(**spec["options"])(type(spec["name"], (), namespace)))
"""


def collect(python: str, empty: str, folder: Path) -> tuple[Path, dict]:
    """Export the empty report once in-process: the spec file and what it holds."""
    result = subprocess.run(
        [python, "-c", _COLLECT, empty, str(folder / "startup.docx")],
        capture_output=True,
        text=True,
    )
    if result.returncode not in (0, 1):  # 1: the report has findings
        raise SystemExit(f"collecting the start-up's parts failed:\n{result.stderr[-800:]}")
    found = json.loads(result.stdout.strip().splitlines()[-1])
    target = folder / "startup-specs.json"
    target.write_text(json.dumps(found), encoding="utf-8")
    return target, found


def checked(command: list[str]) -> list[str]:
    """`command`, after one plain run has shown it succeeds (a count of a failed run is no
    figure, and `bench_instructions.instructions` accepts exit status 1 from `tongket`)."""
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"{command[:2]} … failed:\n{result.stderr[-800:]}")
    return command


def _imports(modules: list[str]) -> str:
    # `encodings.*` load with the codec that needs them, `typing.io`/`typing.re` are aliases
    # that warn when imported by name, and `__main__` is the collector itself.
    skipped = ("__main__", "typing.io", "typing.re")
    wanted = [name for name in modules if not name.startswith("encodings") and name not in skipped]
    return "\n".join([*(f"import {name}" for name in wanted), "import os", "os._exit(0)"])


def report(
    python: str,
    empty: str,
    folder: Path,
    count: Callable[[list[str]], int],
    millions: Callable[[float], str],
    tongket_empty: int,
    floor_empty: int,
) -> None:
    """Print the start-up's parts beside the floor's as a Markdown table, given the counts
    of both exports of the empty report."""
    specs_path, found = collect(python, empty, folder)
    modules = found["modules"]
    design = ["typing", "dataclasses", "pluggy"]
    libraries = [*design, *(name for name in modules if not name.startswith("tongket"))]

    def imported(names: list[str]) -> int:
        return count(checked([python, "-c", _imports(names)]))

    start = count([python, "-c", _imports([])])
    with_design = imported(design)
    with_libraries = imported(libraries)
    every_module = imported([*design, *modules])
    redefined = [python, "-c", _REDEFINE, str(specs_path)]
    dataclass_part = count(checked([*redefined, "define"])) - count(checked([*redefined, "-"]))
    import_floor = f"import os, sys; sys.path.insert(0, {str(HERE)!r}); import floor; os._exit(0)"
    floor_modules = count(checked([python, "-c", import_floor]))
    frozen = sum(1 for spec in found["dataclasses"] if spec["options"]["frozen"])
    own = every_module - with_libraries
    own_count = sum(1 for name in modules if name.startswith("tongket"))
    rows = [
        ("Python's start (`import os; os._exit(0)`)", start, start),
        ("pluggy, dataclasses, typing (what the design names)", with_design - start, None),
        ("other libraries (standard library, TOML reader)", with_libraries - with_design,
         floor_modules - start),
        (f"tongket's {own_count} modules", own, None),
        (f"… of which the methods of its {len(found['dataclasses'])} dataclasses "
         f"({frozen} frozen)", dataclass_part, None),
        ("… the rest of their code", own - dataclass_part, None),
        ("the export's work", tongket_empty - every_module, floor_empty - floor_modules),
        ("**the export of the empty report**", tongket_empty, floor_empty),
    ]  # fmt: skip
    print("\n| part | tongket M | floor M |")
    print("|---|---|---|")
    for label, ours, theirs in rows:
        print(f"| {label} | {millions(ours)} | {'—' if theirs is None else millions(theirs)} |")
