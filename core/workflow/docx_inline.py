"""What one inline element of a Word paragraph reads as, for `tongket import`.

`docx_reading` walks paragraphs, runs and tables and keeps the walk's state (fields, hidden
text, list numbering, notes); this module knows the elements that read the same wherever they
stand: a symbol-font character (w:sym), a formula (Office Math), a drawing with text boxes,
the branch of mc:AlternateContent Word shows, the run styles that hide text (`HiddenStyles`),
and the form a footnote's text takes where its mark stood (`note_insertion`). Each reader
returns text (and, where reading changes what Word prints, a note in Vietnamese); none keeps
state of the walk or touches a `Para`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from tongket.core.workflow.docx_numbering import toggle_on

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"

#: mc:AlternateContent: the same content in newer markup and in an older fallback.
ALTERNATE_CONTENT = f"{{{_MC}}}AlternateContent"
#: An Office Math formula, inline (m:oMath) or as its own line(s) (m:oMathPara).
MATH_TAGS = (f"{_M}oMath", f"{_M}oMathPara")
#: A drawing (DrawingML), a VML picture or an embedded object: text boxes or a picture.
DRAWING_TAGS = (f"{_W}drawing", f"{_W}pict", f"{_W}object")


def clean(text: str) -> str:
    """NFC, no-break spaces as spaces (tongket ties a title's last words with one)."""
    return unicodedata.normalize("NFC", text.replace("\u00a0", " ").replace("\u202f", " "))


def excerpt(text: str, limit: int = 60) -> str:
    """`text` cut to `limit` characters (the last one "…") for a note."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def chosen_alternative(alternate: Any) -> Any:
    """What mc:AlternateContent shows: its mc:Choice (Word's own markup), else the
    mc:Fallback when the choice is empty (the same content in older markup)."""
    for branch in alternate:
        if len(branch):
            return branch
    return ()


# -- symbol fonts (w:sym) ----------------------------------------------------------------------


def _font_table(first: int, characters: str) -> dict[int, str]:
    return {first + offset: character for offset, character in enumerate(characters)}


#: `w:sym` characters of the symbol fonts by their code (Word writes F020–F0FF: the font's
#: byte plus F000), as the Unicode character each prints: Adobe's Symbol encoding (its
#: letters are Greek, the rest math signs) and, for Wingdings, the bullets, boxes and ticks
#: reports use. A code not here has no character of its own (a bracket's piece, a picture).
SYMBOL_FONTS: dict[str, dict[int, str]] = {
    "symbol": {
        **{code: chr(code) for code in range(0x20, 0x7F) if code != 0x60},
        0x22: "∀", 0x24: "∃", 0x27: "∋", 0x2A: "∗", 0x2D: "−", 0x40: "≅", 0x5C: "∴",
        0x5E: "⊥", 0x7E: "∼",
        **_font_table(0x41, "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ"),
        **_font_table(0x61, "αβχδεφγηιϕκλμνοπθρστυϖωξψζ"),
        **_font_table(0xA1, "ϒ′≤⁄∞ƒ♣♦♥♠↔←↑→↓°±″≥×∝∂•÷≠≡≈…"),
        0xBF: "↵",
        **_font_table(0xC0, "ℵℑℜ℘⊗⊕∅∩∪⊃⊇⊄⊂⊆∈∉∠∇®©™∏√⋅¬∧∨⇔⇐⇑⇒⇓◊〈®©™∑"),
        0xF1: "〉", 0xF2: "∫",
    },
    "wingdings": {
        0x6C: "●", 0x6E: "■", 0x6F: "□", 0x71: "❑", 0x76: "❖", 0x9F: "•", 0xA7: "▪",
        0xD8: "➢", 0xE0: "→", 0xE8: "➔", 0xFB: "✗", 0xFC: "✓", 0xFD: "☒", 0xFE: "☑",
    },
}  # fmt: skip


def symbol_text(element: Any) -> tuple[str, str | None]:
    """A `w:sym` (a character picked from a symbol font) as its Unicode character; or "" and
    a note (Vietnamese) when the character has no Unicode equal."""
    font = element.get(f"{_W}font", "")
    code = element.get(f"{_W}char", "")
    try:
        value = int(code, 16)
    except ValueError:
        value = -1
    table = SYMBOL_FONTS.get(" ".join(font.split()).casefold())
    if table is not None:
        found = table.get(value - 0xF000 if 0xF000 <= value <= 0xF0FF else value)
        if found:
            return found, None
    elif 0x20 <= value <= 0x10FFFF and unicodedata.category(chr(value)) not in (
        "Cc", "Cs", "Co", "Cn",
    ):  # fmt: skip
        return chr(value), None  # a text font's own character, by its Unicode code
    return "", (
        f"không đọc được một ký hiệu chèn từ phông '{excerpt(font, 40)}' (mã "
        f"{excerpt(code, 12)}): không có chữ Unicode tương ứng, đã bỏ; hãy gõ lại ký hiệu đó"
    )


# -- formulas (Office Math) --------------------------------------------------------------------


def formula_text(element: Any) -> tuple[str, str | None]:
    """A formula (m:oMath, m:oMathPara) as plain text: "12,5%" as it is, a fraction, power,
    root or bracket written out ("a/b", "x^2", "√(x)"), and a note (Vietnamese) asking a
    reader to check it; ("", None) for an empty formula."""
    text = clean(math_text(element)).strip()
    if not text:
        return "", None
    return text, (
        f"công thức toán được đọc thành chữ thường: '{excerpt(text)}'; hãy đối chiếu với bản Word"
    )


def math_text(element: Any) -> str:
    """An Office Math element as plain text: its m:t, with fractions, powers, roots and
    brackets written out."""
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith(_M):
        return ""  # run properties (w:rPr) and the like: nothing to read
    name = tag[len(_M) :]
    if name == "t":
        return element.text or ""
    if name.endswith("Pr"):
        return ""  # m:rPr, m:fPr…: properties

    def part(child: str) -> str:
        found = element.find(f"{_M}{child}")
        return math_text(found) if found is not None else ""

    def grouped(text: str) -> str:
        return text if len(text) <= 1 or text.isalnum() else f"({text})"

    def character(key: str, default: str) -> str:
        found = element.find(f"{_M}{name}Pr/{_M}{key}")
        return found.get(f"{_M}val", default) if found is not None else default

    if name == "f":
        return f"{grouped(part('num'))}/{grouped(part('den'))}"
    if name in ("sSup", "sSub", "sSubSup", "sPre"):
        sub, sup = part("sub"), part("sup")
        return part("e") + (f"_{grouped(sub)}" if sub else "") + (f"^{grouped(sup)}" if sup else "")
    if name == "rad":
        degree = part("deg")
        return f"{'^' + grouped(degree) if degree else ''}√({part('e')})"
    if name == "d":
        inner = character("sepChr", "|").join(math_text(e) for e in element.findall(f"{_M}e"))
        return f"{character('begChr', '(')}{inner}{character('endChr', ')')}"
    if name == "nary":
        sub, sup = part("sub"), part("sup")
        limits = (f"_{grouped(sub)}" if sub else "") + (f"^{grouped(sup)}" if sup else "")
        return f"{character('chr', '∫')}{limits} {part('e')}"
    if name == "oMathPara":  # one formula a line, as Word shows them
        return " ".join(math_text(child) for child in element if child.tag == f"{_M}oMath")
    return "".join(math_text(child) for child in element)


# -- drawings ----------------------------------------------------------------------------------


def text_box_texts(element: Any) -> list[str] | None:
    """The text of each text box in a drawing (empty boxes left out), or None when the
    drawing has no text box: a picture, which import cannot keep."""
    boxes = list(element.iter(f"{_W}txbxContent"))
    if not boxes:
        return None
    texts = []
    for box in boxes:
        lines = ["".join(t.text or "" for t in p.iter(f"{_W}t")) for p in box.iter(f"{_W}p")]
        text = clean("\n".join(line.strip() for line in lines if line.strip()))
        if text:
            texts.append(text)
    return texts


# -- text hidden by a style (w:vanish in a style's run properties) ---------------------------


def _vanish(properties: Any) -> bool | None:
    """What run properties (w:rPr) say of hidden text: True, False, or None when silent."""
    if properties is None:
        return None
    found = properties.find(f"{_W}vanish")
    return None if found is None else toggle_on(found)


class HiddenStyles:
    """Which styles hide their text (Word neither shows nor prints it): w:vanish in a style's
    run properties, through its w:basedOn chain, else in the document defaults
    (w:docDefaults/w:rPrDefault).

    A run's character style (w:rStyle) that says hidden or shown decides; else the
    paragraph's style (or the default paragraph style) does; else the defaults. Direct
    w:vanish on the run overrides all of them (the walker applies it). Each style is worked
    out once; a w:basedOn loop is cut where it comes back."""

    def __init__(self, root: Any | None) -> None:
        self._own: dict[str, bool | None] = {}  # w:vanish a style sets itself
        self._based_on: dict[str, str] = {}
        self._resolved: dict[str, bool | None] = {}
        self._paragraph: dict[str, bool] = {}
        self.default = False
        self._default_paragraph = ""
        self.any = False  # whether any style, or the defaults, hide text
        if root is None:
            return
        defaults = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
        self.default = bool(_vanish(defaults))
        for style in root.iter(f"{_W}style"):
            style_id = style.get(f"{_W}styleId", "")
            self._own[style_id] = _vanish(style.find(f"{_W}rPr"))
            based = style.find(f"{_W}basedOn")
            if based is not None:
                self._based_on[style_id] = based.get(f"{_W}val", "")
            if style.get(f"{_W}type") == "paragraph" and style.get(f"{_W}default") in (
                "1", "true", "on",
            ):  # fmt: skip
                self._default_paragraph = style_id
        # No style and no default hides text in nearly every document: nothing to look up.
        self.any = self.default or any(self._own.values())

    def _said(self, style_id: str) -> bool | None:
        """What the style or the nearest style it is based on says; None when none does."""
        if style_id in self._resolved:
            return self._resolved[style_id]
        seen: dict[str, None] = {}  # in order; a long chain is looked through once
        current, said = style_id, None
        while current in self._own and current not in seen:
            seen[current] = None
            said = self._own[current]
            if said is not None:
                break
            current = self._based_on.get(current, "")
        for passed in seen:  # every style on the way says the same
            self._resolved[passed] = said
        self._resolved[style_id] = said
        return said

    def paragraph(self, style_id: str) -> bool:
        """Whether the runs of a paragraph of this style are hidden unless they say otherwise."""
        if not self.any:
            return False
        found = self._paragraph.get(style_id)
        if found is None:
            # A paragraph without a style, or with one the file does not define, is in the
            # default paragraph style, as Word shows it.
            known = style_id if style_id in self._own else self._default_paragraph
            said = self._said(known) if known else None
            found = self._paragraph[style_id] = self.default if said is None else said
        return found

    def run(self, character_style: str, paragraph_hidden: bool) -> bool:
        """Whether a run of this character style (w:rStyle) in a paragraph whose runs are
        `paragraph_hidden` is hidden, before its own w:vanish."""
        if not self.any:
            return paragraph_hidden
        said = self._said(character_style)
        return paragraph_hidden if said is None else said


# -- a footnote's text where its mark stood ----------------------------------------------------

#: What each kind of note is called where its text is put in brackets.
NOTE_WHAT = ("chú thích cuối trang", "chú thích cuối văn bản")
_INSERTION_START = re.compile(r" ?\((" + "|".join(NOTE_WHAT) + r"): ")


def note_insertion(what: str, text: str) -> str:
    """A footnote's (endnote's) text as it is put where its mark stood: " (what: text)"."""
    return f" ({what}: {text})"


def split_note_insertions(text: str) -> tuple[str, list[tuple[str, str]]]:
    """`text` without the notes `note_insertion` put in it, and each note taken out as
    (what, text). A note whose brackets do not close (its text opens one it never closes) is
    left where it is."""
    kept: list[str] = []
    taken: list[tuple[str, str]] = []
    position = 0
    for found in _INSERTION_START.finditer(text):
        if found.start() < position:
            continue  # inside a note already taken out
        depth, end = 1, found.end()
        while end < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        if depth:
            break
        kept.append(text[position : found.start()])
        taken.append((found.group(1), text[found.end() : end - 1]))
        position = end
    kept.append(text[position:])
    return "".join(kept), taken
