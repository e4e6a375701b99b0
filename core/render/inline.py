"""Light inline markup in drafters' text: **bold**, *italic* and citation mentions."""

from __future__ import annotations

import re
from collections.abc import Callable

from tongket.core.render.blocks import Paragraph, Run

_MARK = re.compile(r"(\*\*.+?\*\*|\*[^*\s](?:[^*]*[^*\s])?\*)", re.DOTALL)


def parse_runs(text: str, expand: Callable[[str], str] = lambda text: text) -> tuple[Run, ...]:
    """Split text into runs: `**đậm**` is bold, `*nghiêng*` italic; citations are expanded."""
    runs: list[Run] = []
    for piece in _MARK.split(expand(text)):
        if not piece:
            continue
        if piece.startswith("**") and piece.endswith("**") and len(piece) > 4:
            runs.append(Run(piece[2:-2], bold=True))
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            runs.append(Run(piece[1:-1], italic=True))
        else:
            runs.append(Run(piece))
    return tuple(runs) or (Run(""),)


def split_paragraphs(text: str) -> list[str]:
    """Long text → paragraphs: a blank line separates two; a single newline is a space."""
    if text.isprintable():  # no line break of any kind: one paragraph (most short fields)
        stripped = text.strip()
        return [stripped] if stripped else []
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return [
        " ".join(line.strip() for line in part.splitlines()) for part in paragraphs if part.strip()
    ]


def paragraphs(text: str, expand: Callable[[str], str] = lambda text: text) -> list[Paragraph]:
    """Long text → body paragraphs with inline markup applied."""
    return [Paragraph(parse_runs(part, expand)) for part in split_paragraphs(text)]
