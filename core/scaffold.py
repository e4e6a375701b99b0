"""`tongket new-plugin NAME`: write a complete, pip-installable section-plugin package.

The package holds a pyproject with the `tongket` entry point, one section type with fields,
validation and rendering, a README, an example report that uses it, and tests written with
`tongket.testing`. The files come from templates in `plugin_template/` (package data), with
`{{name}}`, `{{module}}`, `{{distribution}}`, `{{title}}` and `{{tongket_version}}` filled in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

DEFAULT_TITLE = "Số liệu theo năm"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")

#: Template file → path in the generated package ("{module}" is replaced by the module name).
FILES = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "module.py.tmpl": "{module}/__init__.py",
    "test_plugin.py.tmpl": "tests/test_{module}.py",
    "example-report.toml.tmpl": "example-report.toml",
}


class ScaffoldError(Exception):
    """A plugin package that cannot be generated: a bad name or an occupied folder."""


@dataclass(frozen=True)
class PluginNames:
    """The names of a generated plugin: "dau-tu" → tongket-dau-tu, tongket_dau_tu."""

    name: str  # the section type id and entry-point name, e.g. "dau-tu"
    title: str  # the Vietnamese title drafters see

    @property
    def distribution(self) -> str:
        return f"tongket-{self.name}"

    @property
    def module(self) -> str:
        return "tongket_" + self.name.replace("-", "_")


def ascii_name(text: str) -> str:
    """A name drafters may type with Vietnamese letters, as plain ASCII: "Đầu tư" → "dau-tu"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def plugin_names(raw: str, title: str = DEFAULT_TITLE) -> PluginNames:
    """Check and normalise a plugin name ("dau_tu", "tongket-dau-tu" → "dau-tu")."""
    name = raw.strip().lower().replace("_", "-").removeprefix("tongket-")
    if not NAME_PATTERN.match(name):
        suggestion = ascii_name(raw.removeprefix("tongket-"))
        hint = f"; ví dụ: {suggestion}" if suggestion and NAME_PATTERN.match(suggestion) else ""
        raise ScaffoldError(
            f"tên plugin '{raw}' không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu '-', "
            f"bắt đầu bằng một chữ cái{hint}"
        )
    if not title.strip():
        raise ScaffoldError("tiêu đề loại mục không được để trống")
    # A macOS terminal types Vietnamese decomposed (NFD); the files must hold it composed.
    return PluginNames(name, unicodedata.normalize("NFC", title.strip()))


def taken_name_problem(name: str) -> str | None:
    """Why a section type id is already used by a built-in section type, or None."""
    from tongket.core.host.pluginhost import PluginHost

    host = PluginHost.builtins()
    owner = host.owner_of(name)
    if owner is None:
        return None
    taken = ", ".join(sorted(host.section_types))
    return (
        f"tên plugin '{name}' trùng loại mục có sẵn '{name}' (plugin {owner}): tongket sẽ bỏ "
        f"qua plugin mới; chọn tên khác, không trùng: {taken}"
    )


def _tongket_version() -> str:
    try:
        version = metadata.version("tongket")
    except metadata.PackageNotFoundError:  # a source tree that is not installed
        return "0.1"
    return ".".join(version.split(".")[:2])


def render_files(names: PluginNames) -> dict[str, str]:
    """The generated package as {relative path: text}."""
    values = {
        "name": names.name,
        "module": names.module,
        "distribution": names.distribution,
        "title": names.title.replace("\\", "\\\\").replace('"', '\\"'),
        "tongket_version": _tongket_version(),
    }
    templates = resources.files("tongket.core") / "plugin_template"
    files: dict[str, str] = {}
    for template_name, target in FILES.items():
        text = (templates / template_name).read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace("{{" + key + "}}", value)
        files[target.format(module=names.module)] = text
    return files


def write_plugin(
    raw_name: str, folder: str | Path | None = None, title: str = DEFAULT_TITLE
) -> tuple[PluginNames, Path]:
    """Generate the package in `folder` (default ./tongket-NAME).

    Refuses a non-empty folder and a name a built-in section type already uses.
    """
    names = plugin_names(raw_name, title)
    taken = taken_name_problem(names.name)
    if taken:
        raise ScaffoldError(taken)
    target = Path(folder) if folder is not None else Path(names.distribution)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"{target}: đã có và không trống; chọn thư mục khác (--dir)")
    if not target.parent.is_dir():
        raise ScaffoldError(f"{target}: thư mục {target.parent} không tồn tại")
    for relative, text in render_files(names).items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return names, target
