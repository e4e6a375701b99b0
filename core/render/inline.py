"""Light inline markup in drafters' text: **bold**, *italic* and citation mentions.

A backslash before a star, a bracket or a backslash prints it as it is: "\\*" a star that
makes no italics, "\\[[" two brackets that cite nothing ("(\\*) số ước" prints "(*) số
ước"). `escape_markup` writes text that must print as it is (a Word reply's paragraphs,
guidance) that way.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tongket.core.render.blocks import Paragraph, Run

_MARK = re.compile(r"(\*\*.+?\*\*|\*[^*\s](?:[^*]*[^*\s])?\*)", re.DOTALL)
_ESCAPED = re.compile(r"\\([*\[\]\\])")
_DOUBLE_BRACKET = re.compile(r"\[(?=\[)")
# While markup is read, an escaped character stands as a private-use one no markup takes.
_HIDDEN = {"*": "\ue000", "[": "\ue001", "]": "\ue002", "\\": "\ue003"}
_SHOWN = str.maketrans({hidden: shown for shown, hidden in _HIDDEN.items()})


def hide_escaped(text: str) -> str:
    """`text` with each escaped character ("\\*") made one that no markup reads (`text`
    itself when it has none); `parse_runs` shows it again. Checks that look for markup
    (citation keys) read text so hidden."""
    if "\\" not in text:
        return text
    hidden = _ESCAPED.sub(lambda match: _HIDDEN[match.group(1)], text)
    return text if hidden == text else hidden


def escape_markup(text: str, *, brackets: bool = True) -> str:
    """Text that prints as it is: its backslashes, stars and double brackets escaped
    ("(*)" → "(\\*)"). `brackets=False` leaves "[[" for the caller to escape in the whole
    text, when it escapes a paragraph run by run."""
    text = text.replace("\\", "\\\\").replace("*", "\\*")
    return escape_brackets(text) if brackets else text


def escape_brackets(text: str) -> str:
    """Every "[" before another escaped ("[[[x]]" → "\\[\\[[x]]"): no two brackets open a
    citation."""
    return _DOUBLE_BRACKET.sub(r"\\[", text) if "[[" in text else text


def _unchanged(text: str) -> str:
    return text


def parse_runs(text: str, expand: Callable[[str], str] = _unchanged) -> tuple[Run, ...]:
    """Split text into runs: `**đậm**` is bold, `*nghiêng*` italic; citations are expanded;
    an escaped character ("\\*") prints as it is."""
    hidden = hide_escaped(text)
    if hidden is not text:  # escapes to show again: rare, so the common path stays as it was
        return tuple(
            Run(run.text.translate(_SHOWN), bold=run.bold, italic=run.italic)
            for run in parse_runs(hidden, expand)
        )
    expanded = expand(text)
    if expanded.__class__ is str and "*" not in expanded:
        # No star, no emphasis: `_MARK` splits nothing off, and an empty text is one empty run
        # either way. Most paragraphs of a report take this path.
        return (Run(expanded),)
    runs: list[Run] = []
    for piece in _MARK.split(expanded):
        if not piece:
            continue
        if piece.startswith("**") and piece.endswith("**") and len(piece) > 4:
            runs.append(Run(piece[2:-2], bold=True))
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            runs.append(Run(piece[1:-1], italic=True))
        else:
            runs.append(Run(piece))
    return tuple(runs) or (Run(""),)


def eaten_stars(text: str) -> list[str]:
    """Why a star meant to print ("(*)", the mark of an estimate) would not: it pairs with
    another into emphasis. One message per paragraph that has such a star (in Vietnamese)."""
    messages = []
    for paragraph in split_paragraphs(text):
        if "(*)" not in paragraph:
            continue
        runs = parse_runs(paragraph)
        printed = "".join(run.text for run in runs)
        if any(run.italic or run.bold for run in runs) and "(*)" not in printed:
            shown = paragraph if len(paragraph) <= 60 else paragraph[:57] + "…"
            messages.append(
                f"dấu * trong '(*)' được hiểu là đánh dấu chữ nghiêng, đậm nên không in ra "
                f"('{shown}'); muốn in dấu sao, gõ (\\*)"
            )
    return messages


def plain_text(text: str) -> str:
    """What a marked-up text prints, without its marks and escapes (citations unexpanded)."""
    return "".join(run.text for run in parse_runs(text))


def split_paragraphs(text: str) -> list[str]:
    """Long text → paragraphs: a blank line separates two; a single newline is a space."""
    if text.isprintable():  # no line break of any kind: one paragraph (most short fields)
        stripped = text.strip()
        return [stripped] if stripped else []
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return [
        " ".join(line.strip() for line in part.splitlines()) for part in paragraphs if part.strip()
    ]


def paragraphs(text: str, expand: Callable[[str], str] = _unchanged) -> list[Paragraph]:
    """Long text → body paragraphs with inline markup applied."""
    if (
        expand is _unchanged
        and text.__class__ is str
        and text.isprintable()
        and "*" not in text
        and "\\" not in text
    ):
        # One line without a star or a backslash, nothing to expand (a short section's
        # sentence): `split_paragraphs` gives it stripped, `parse_runs` as one plain run.
        stripped = text.strip()
        return [Paragraph((Run(stripped),))] if stripped else []
    return [Paragraph(parse_runs(part, expand)) for part in split_paragraphs(text)]
