"""Word-level tracked changes inside one paragraph (for `docx_diff`): tokens, runs, marks.

A paragraph is cut into tokens (`TOKEN`): Vietnamese syllables, whitespace and punctuation
apart, a number with inner "." / "," and a trailing % as one token, so 7,7% → 7,1% is one
replaced token. Opaque run content (w:tab, w:br, w:drawing) is one token each, compared by its
XML. Tokens are aligned with difflib; kept ones are NEW's, deleted ones OLD's, each written in a
run with its own run's w:rPr (a changed format gets w:rPrChange) inside w:ins / w:del.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

__all__ = ["TOKEN", "ParagraphDiffer", "Revisions", "W", "canonical", "wrap_runs"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: One token of a paragraph: a number with inner separators (1.409; 7,7%), a syllable, a stretch
#: of whitespace, or any other single character.
TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|\w+|\s+|.", re.S)
_DELETED_TEXT = {W + "t": W + "delText", W + "instrText": W + "delInstrText"}
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class Revisions:
    """Makes revision elements (w:ins, w:del, w:pPrChange …): one author and date, unique ids."""

    def __init__(self, etree, author: str, date: str, first_id: int) -> None:
        self.etree, self.author, self.date = etree, author, date
        self.next_id = first_id

    def mark(self, tag: str):
        """A new empty `w:<tag>` with the next w:id, the author and the date."""
        element = self.etree.Element(W + tag)
        element.set(W + "id", str(self.next_id))
        element.set(W + "author", self.author)
        element.set(W + "date", self.date)
        self.next_id += 1
        return element


def canonical(element) -> bytes:
    """The element's XML whatever namespaces its ancestors declare (exclusive C14N)."""
    from lxml import etree

    return etree.tostring(element, method="c14n", exclusive=True)


@dataclass(slots=True)
class _Token:
    """A piece of a paragraph: text of a w:t, or an opaque element (w:tab, w:br, w:drawing…)."""

    key: object
    text: str | None
    element: object
    rpr: object  # the w:rPr of the run it comes from (None: none, or not inside a run)
    in_run: bool = True


class ParagraphDiffer:
    """Diffs paired paragraphs word by word.

    `old_key` / `new_key` give an opaque element's comparable XML in its package; `adopt`
    re-points a deleted element's relationship ids (pictures) at NEW's package.
    """

    def __init__(
        self,
        revisions: Revisions,
        old_key: Callable[[object], bytes],
        new_key: Callable[[object], bytes],
        adopt: Callable[[object], None],
    ) -> None:
        from lxml import etree

        self.etree = etree
        self.revisions = revisions
        self.old_key, self.new_key, self.adopt = old_key, new_key, adopt
        # Keyed by the element itself: an id() could be reused once a cell's runs are freed.
        self._rpr_xml: dict[object, bytes] = {}

    def paragraph(self, old_p, new_p):
        """NEW's paragraph (w:pPr left to the caller) with OLD's tokens diffed in."""
        old_tokens, new_tokens = tokens(old_p, self.old_key), tokens(new_p, self.new_key)
        items: list[tuple[str, _Token, object]] = []
        for tag, i1, i2, j1, j2 in token_opcodes(old_tokens, new_tokens):
            if tag == "equal":
                for before, after in zip(old_tokens[i1:i2], new_tokens[j1:j2], strict=True):
                    changed = self.rpr_xml(before.rpr) != self.rpr_xml(after.rpr)
                    items.append(("=", after, before.rpr if changed else False))
                continue
            items += [("del", token, False) for token in old_tokens[i1:i2]]
            items += [("ins", token, False) for token in new_tokens[j1:j2]]
        for status, token, _ in items:
            if status == "del" and token.element is not None:
                self.adopt(token.element)
        revised = self.etree.Element(W + "p", dict(new_p.attrib))
        self.emit(revised, items)
        return revised

    def rpr_xml(self, rpr) -> bytes:
        if rpr is None:
            return b""
        found = self._rpr_xml.get(rpr)
        if found is None:
            found = self._rpr_xml[rpr] = canonical(rpr)
        return found

    def emit(self, paragraph, items: list[tuple[str, _Token, object]]) -> None:
        """Append the tokens as runs: one run per stretch of one format, in w:ins/w:del.

        An item is (status, token, OLD's w:rPr when a kept token's format changed, else False).
        """

        def wrapper_key(item):
            return item[0] if item[1].in_run else ("element", id(item[1]))

        for status, stretch in groupby(items, key=wrapper_key):
            stretch = list(stretch)
            if isinstance(status, tuple):  # not a run (tongket writes none): kept, never tracked
                if stretch[0][0] != "del":
                    paragraph.append(copy.deepcopy(stretch[0][1].element))
                continue
            target = paragraph
            if status != "=":
                target = self.revisions.mark(status)
                paragraph.append(target)
            for _, run_items in groupby(stretch, key=lambda item: (id(item[1].rpr), id(item[2]))):
                self.run(target, list(run_items), deleted=status == "del")

    def run(self, parent, items: list, *, deleted: bool) -> None:
        """One w:r of tokens sharing a format; text as w:t (w:delText when deleted)."""
        etree = self.etree
        run = etree.SubElement(parent, W + "r")
        first, before = items[0][1], items[0][2]
        if first.rpr is not None or before is not False:
            rpr = copy.deepcopy(first.rpr) if first.rpr is not None else etree.Element(W + "rPr")
            if before is not False:
                change = self.revisions.mark("rPrChange")
                original = etree.SubElement(change, W + "rPr")
                original.extend(
                    copy.deepcopy(child) for child in (() if before is None else before)
                )
                rpr.append(change)
            run.append(rpr)
        text_tag = W + ("delText" if deleted else "t")
        pending: list[str] = []

        def flush() -> None:
            if pending:
                node = etree.SubElement(run, text_tag)
                node.text = "".join(pending)
                node.set(_XML_SPACE, "preserve")
                pending.clear()

        for _, token, _ in items:
            if token.text is not None:
                pending.append(token.text)
                continue
            flush()
            element = copy.deepcopy(token.element)
            if deleted and element.tag in _DELETED_TEXT:
                element.tag = _DELETED_TEXT[element.tag]
            run.append(element)
        flush()


def tokens(paragraph, key: Callable[[object], bytes]) -> list[_Token]:
    """The paragraph's tokens in order (its w:pPr left out)."""
    found: list[_Token] = []
    for child in paragraph:
        if child.tag == W + "pPr":
            continue
        if child.tag != W + "r":
            found.append(_Token(key(child), None, child, None, in_run=False))
            continue
        rpr = child.find(W + "rPr")
        for part in child:
            if part.tag == W + "t":
                found.extend(
                    _Token(piece, piece, None, rpr) for piece in TOKEN.findall(part.text or "")
                )
            elif part.tag != W + "rPr":
                found.append(_Token(key(part), None, part, rpr))
    return found


def token_opcodes(old: list[_Token], new: list[_Token]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes, a kept stretch of at most one word (or mark) between two changes
    joined into them: "Võ Văn Rân" → "Nguyễn Văn Bình" reads as one replaced name, not two
    replaced syllables around a kept one."""
    matcher = difflib.SequenceMatcher(
        None, [token.key for token in old], [token.key for token in new], autojunk=False
    )
    codes = matcher.get_opcodes()
    merged: list[list] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(codes):
        short = (
            tag == "equal"
            and 0 < index < len(codes) - 1
            and sum(token.text is None or not token.text.isspace() for token in new[j1:j2]) <= 1
        )
        if tag != "equal" or short:
            if merged and merged[-1][0] == "replace":
                merged[-1][2], merged[-1][4] = i2, j2
                continue
            tag = "replace"
        merged.append([tag, i1, i2, j1, j2])
    return [tuple(code) for code in merged]


def wrap_runs(paragraph, status: str, revisions: Revisions) -> None:
    """Put a whole paragraph's runs inside w:ins / w:del (w:t becoming w:delText)."""
    wrapper = None
    for child in list(paragraph):
        if child.tag == W + "r":
            if wrapper is None:
                wrapper = revisions.mark(status)
                child.addprevious(wrapper)
            wrapper.append(child)
            if status == "del":
                for node in child.iter(*_DELETED_TEXT):
                    node.tag = _DELETED_TEXT[node.tag]
        elif child.tag == W + "hyperlink":
            wrap_runs(child, status, revisions)
            wrapper = None
        elif child.tag != W + "pPr":
            wrapper = None
