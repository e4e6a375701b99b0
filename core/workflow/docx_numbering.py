"""Styles and list numbering of a .docx: heading styles, and the label each list paragraph prints.

Part of `tongket import` (see `docx_reading`). Word stores "2.1." of a numbered list not as
text but as a numbering definition (numbering.xml: w:abstractNum levels with w:start, w:numFmt,
w:lvlText such as "%1.%2.") and a reference on the paragraph or its style (w:numPr); the
printed label is worked out here by counting, as Word does.

The numbers come from an untrusted file: each is read with `small_int` (ASCII digits only,
clamped to what Word itself allows), so an absurd start value, level or label cannot make a
label that takes minutes or gigabytes to print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"


#: Word's list levels are 0–8; its largest start value is 32767.
MAX_LEVEL = 8
MAX_START = 32_767
#: The longest level text kept ("%1.%2.%3." and a few words at most in real documents).
MAX_LEVEL_TEXT = 64

_DECIMAL = re.compile(r"(-?)0*([0-9]+)")


def small_int(value: str | None, default: Any, lowest: int, highest: int) -> Any:
    """An attribute's integer clamped to [lowest, highest]; `default` when it is not one.

    Only ASCII digits count (`int("²")` fails); a number of more than nine digits is clamped
    without being converted (`int()` of 5.000 digits raises).
    """
    match = _DECIMAL.fullmatch((value or "").strip())
    if match is None:
        return default
    sign, digits = match.groups()
    if len(digits) > 9:
        return lowest if sign else highest
    return min(max(int(sign + digits), lowest), highest)


def toggle_on(element: Any) -> bool:
    """A toggle property (w:b, w:i) is on unless its w:val says false."""
    return element is not None and element.get(f"{_W}val", "true").lower() not in (
        "false",
        "0",
        "off",
        "none",
    )


@dataclass
class _Style:
    name: str = ""
    based_on: str = ""
    outline: int | None = None
    num: tuple[str, int] | None = None  # (numId, ilvl)
    align: str = ""


class Styles:
    """Paragraph styles: names, outline levels (headings) and numbering, through `basedOn`."""

    def __init__(self, root: Any | None) -> None:
        self.styles: dict[str, _Style] = {}
        self.default = ""
        if root is None:
            return
        for element in root.iter(f"{_W}style"):
            if element.get(f"{_W}type") not in (None, "paragraph"):
                continue
            style_id = element.get(f"{_W}styleId", "")
            style = _Style()
            name = element.find(f"{_W}name")
            style.name = name.get(f"{_W}val", "") if name is not None else ""
            based = element.find(f"{_W}basedOn")
            style.based_on = based.get(f"{_W}val", "") if based is not None else ""
            properties = element.find(f"{_W}pPr")
            if properties is not None:
                level = properties.find(f"{_W}outlineLvl")
                if level is not None and level.get(f"{_W}val", "").isdigit():
                    style.outline = int(level.get(f"{_W}val"))
                style.num = num_reference(properties.find(f"{_W}numPr"))
                jc = properties.find(f"{_W}jc")
                style.align = jc.get(f"{_W}val", "") if jc is not None else ""
            self.styles[style_id] = style
            if element.get(f"{_W}default") in ("1", "true", "on"):
                self.default = style_id

    def chain(self, style_id: str) -> list[_Style]:
        """The style and the styles it is based on, nearest first (loops cut)."""
        found: list[_Style] = []
        seen: set[str] = set()
        current = style_id or self.default
        while current and current not in seen and current in self.styles:
            seen.add(current)
            found.append(self.styles[current])
            current = self.styles[current].based_on
        return found

    def name(self, style_id: str) -> str:
        style = self.styles.get(style_id or self.default)
        return style.name if style else style_id

    def is_heading(self, style_id: str) -> bool:
        """A heading style: named "heading N"/"Title", or with an outline level (0–8)."""
        for style in self.chain(style_id):
            if re.fullmatch(r"(?i)heading\s*\d|title", style.name.strip()):
                return True
            if style.outline is not None and style.outline < 9:
                return True
        return False

    def align(self, style_id: str) -> str:
        """The alignment a paragraph of the style has unless it sets its own (w:jc)."""
        return next((style.align for style in self.chain(style_id) if style.align), "")

    def numbering(self, style_id: str) -> tuple[str, int] | None:
        for style in self.chain(style_id):
            if style.num is not None:
                return style.num
        return None


def num_reference(num_pr: Any) -> tuple[str, int] | None:
    if num_pr is None:
        return None
    num_id = num_pr.find(f"{_W}numId")
    level = num_pr.find(f"{_W}ilvl")
    value = num_id.get(f"{_W}val", "") if num_id is not None else ""
    ilvl = level.get(f"{_W}val") if level is not None else None
    return (value, small_int(ilvl, 0, 0, MAX_LEVEL))


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    legal: bool = False


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip


def _roman(number: int) -> str:
    if number >= 4000:
        return str(number)  # no Roman numeral for it: the digits, never a run of "m"s
    text = ""
    for value, letters in _ROMAN:
        while number >= value:
            text += letters
            number -= value
    return text


def _letters(number: int) -> str:
    # Word's letter numbering repeats the letter after z: aa, bb, … Past 780 (z thirty times)
    # the digits, so the labels of an absurdly started list do not grow without end.
    if number < 1 or number > 780:
        return str(number)
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def format_number(value: int, fmt: str) -> str:
    """A list counter as Word prints it in the format `fmt` (w:numFmt)."""
    if fmt == "lowerLetter":
        return _letters(value)
    if fmt == "upperLetter":
        return _letters(value).upper()
    if fmt == "lowerRoman":
        return _roman(value)
    if fmt == "upperRoman":
        return _roman(value).upper()
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "none":
        return ""
    return str(value)


class Numbering:
    """List numbering: works out the label each numbered paragraph prints, in reading order.

    Counters are kept per abstract numbering (lists of one definition continue each other, as
    in Word), or per list instance when that instance restarts with w:startOverride.
    """

    def __init__(self, root: Any | None) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.instances: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        for element in root.iter(f"{_W}abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in element.iter(f"{_W}lvl"):
                ilvl = small_int(lvl.get(f"{_W}ilvl", "0"), None, 0, MAX_LEVEL)
                if ilvl is None:
                    continue  # a level Word could not show either
                level = _Level()
                start = lvl.find(f"{_W}start")
                if start is not None:
                    level.start = small_int(start.get(f"{_W}val"), 1, 0, MAX_START)
                fmt = lvl.find(f"{_W}numFmt")
                level.fmt = fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal"
                text = lvl.find(f"{_W}lvlText")
                level.text = text.get(f"{_W}val", "")[:MAX_LEVEL_TEXT] if text is not None else ""
                level.legal = toggle_on(lvl.find(f"{_W}isLgl"))
                levels[ilvl] = level
            self.abstract[element.get(f"{_W}abstractNumId", "")] = levels
        for element in root.iter(f"{_W}num"):
            abstract = element.find(f"{_W}abstractNumId")
            overrides: dict[int, int] = {}
            for override in element.iter(f"{_W}lvlOverride"):
                start = override.find(f"{_W}startOverride")
                at = small_int(override.get(f"{_W}ilvl", "0"), None, 0, MAX_LEVEL)
                value = (
                    small_int(start.get(f"{_W}val"), None, 0, MAX_START)
                    if start is not None
                    else None
                )
                if at is not None and value is not None:
                    overrides[at] = value
            abstract_id = abstract.get(f"{_W}val", "") if abstract is not None else ""
            self.instances[element.get(f"{_W}numId", "")] = (abstract_id, overrides)

    def label(self, num_id: str, ilvl: int) -> str:
        """The label of the next paragraph of list `num_id` at level `ilvl` ("2.1.", "-")."""
        if num_id in ("", "0") or num_id not in self.instances:
            return ""
        abstract_id, overrides = self.instances[num_id]
        levels = self.abstract.get(abstract_id, {})
        level = levels.get(ilvl)
        if level is None:
            return ""
        if level.fmt == "bullet":
            return "-"
        key = f"num:{num_id}" if overrides else f"abstract:{abstract_id}"
        counters = self.counters.setdefault(key, {})

        def start(at: int) -> int:
            return overrides.get(at, levels[at].start if at in levels else 1)

        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start(ilvl)
        for deeper in [at for at in counters if at > ilvl]:
            del counters[deeper]

        def value(match: re.Match[str]) -> str:
            at = int(match.group(1)) - 1
            shown = counters.get(at, start(at))
            fmt = levels[at].fmt if at in levels else "decimal"
            if level.legal and fmt != "none":
                fmt = "decimal"
            return format_number(shown, fmt)

        return re.sub(r"%([1-9])", value, level.text).strip()
