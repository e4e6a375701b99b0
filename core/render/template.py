"""Sentence templates with named placeholders for computed figures.

A drafter may rewrite a section's prose while its numbers stay computed:
"bình quân tăng {tang_binh_quan[2011-2015]}" takes the value computed for the period
2011-2015. `{{` and `}}` print literal braces. Plugins pass their computed values as a mapping
of name → text, or name → (key → text) for indexed placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

Values = Mapping[str, "str | Mapping[str, str]"]

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_FIELD = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[\s*([^\[\]]+?)\s*\])?\s*$")


class TemplateError(ValueError):
    """A template that cannot be filled; the message names the placeholder at fault."""


@dataclass(frozen=True)
class Placeholder:
    """One `{name}` or `{name[key]}` of a template."""

    name: str
    key: str | None
    source: str  # as written, e.g. "{tang_binh_quan[2011-2015]}"


def parse(template: str) -> list[str | Placeholder]:
    """Split a template into literal text and placeholders; raise `TemplateError` if malformed."""
    pieces: list[str | Placeholder] = []
    position = 0
    for match in _TOKEN.finditer(template):
        pieces.append(template[position : match.start()])
        token = match.group(0)
        if token in ("{{", "}}"):
            pieces.append(token[0])
        elif token in ("{", "}"):
            column = match.start() + 1
            raise TemplateError(
                f"mẫu câu sai cú pháp: dấu '{token}' ở ký tự {column} không có cặp "
                "(viết '{{' hoặc '}}' nếu muốn in dấu ngoặc)"
            )
        else:
            field = _FIELD.match(match.group(1))
            if not field:
                raise TemplateError(
                    f"chỗ trống {token} sai cú pháp (cần dạng {{ten}} hoặc {{ten[khoa]}})"
                )
            pieces.append(Placeholder(field.group(1), field.group(2), token))
        position = match.end()
    pieces.append(template[position:])
    return [piece for piece in pieces if piece != ""]


def _lookup(placeholder: Placeholder, values: Values) -> str:
    if placeholder.name not in values:
        known = ", ".join(sorted(values)) or "(không có)"
        raise TemplateError(f"chỗ trống không được biết: {placeholder.source} (có: {known})")
    value = values[placeholder.name]
    if isinstance(value, str):
        if placeholder.key is not None:
            raise TemplateError(f"{placeholder.source}: '{placeholder.name}' không nhận khóa [..]")
        return value
    if placeholder.key is None:
        keys = ", ".join(value) or "(không có)"
        raise TemplateError(
            f"{placeholder.source}: cần khóa, ví dụ {{{placeholder.name}[…]}} (có: {keys})"
        )
    if placeholder.key not in value:
        keys = ", ".join(value) or "(không có)"
        raise TemplateError(f"{placeholder.source}: không có khóa '{placeholder.key}' (có: {keys})")
    return value[placeholder.key]


def fill(template: str, values: Values) -> str:
    """The template with every placeholder replaced; raise `TemplateError` naming any bad one."""
    return "".join(
        piece if isinstance(piece, str) else _lookup(piece, values) for piece in parse(template)
    )


def template_problems(template: str, values: Values) -> list[str]:
    """Every problem in a template (malformed syntax, unknown placeholders or keys)."""
    try:
        pieces = parse(template)
    except TemplateError as error:
        return [str(error)]
    problems = []
    for piece in pieces:
        if isinstance(piece, Placeholder):
            try:
                _lookup(piece, values)
            except TemplateError as error:
                problems.append(str(error))
    return problems
