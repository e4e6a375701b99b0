"""A report made of included parts, for the tests of `include`, `split` and `join`. Import it as
`from report_parts import PART, report_with, write` (this folder is on `sys.path`: pytest's
rootdir conftest)."""

from __future__ import annotations

from pathlib import Path

#: A part file holding one free-text section.
PART = 'schema_version = 1\ntype = "free-text"\nnumber = "2."\n\n[data]\ntext = "Nội dung."\n'


def write(path: Path, text: str) -> Path:
    """Write `text` to `path` (its folders made) and return `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def report_with(folder: Path, *includes: str) -> Path:
    """A report whose sections are the given `include` entries (as TOML basic strings)."""
    entries = "".join(f'\n[[sections]]\ninclude = "{include}"\n' for include in includes)
    return write(folder / "r.toml", f'schema_version = 1\n[document]\nkind = "cong-van"\n{entries}')
