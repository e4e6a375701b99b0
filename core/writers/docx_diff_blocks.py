"""Block-level tracked changes (for `docx_diff`): the body, table cells, tables and rows.

The block elements (w:p, w:tbl) of a container are aligned with difflib on their XML; equal
blocks are NEW's own elements. In a stretch of changed blocks a paragraph is paired with an old
one sharing enough words (`PAIRED`) and diffed word by word (`docx_diff_runs`); an unpaired one
is inserted or deleted whole, its paragraph mark too (w:pPr/w:rPr/w:ins|w:del), so accepting or
rejecting joins paragraphs as Word does. A marked mark never ends a cell, the body or the
paragraphs before a table (Word cannot remove those): the marks of the changed paragraphs
before it shift by one instead, and each view still gets its own paragraph formatting
(w:pPrChange). Tables of the same column count are aligned row by row (whole rows with
w:trPr/w:ins|w:del, other rows cell by cell); a table whose column count changed is deleted and
inserted whole, with an empty paragraph between the two that neither view keeps.
"""

from __future__ import annotations

import copy
import difflib
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass

from tongket.core.writers.docx_diff_runs import (
    TOKEN,
    ParagraphDiffer,
    Revisions,
    W,
    canonical,
    wrap_runs,
)

__all__ = ["PAIRED", "BlockDiffer"]

#: Share of words two blocks have in common to be diffed inside rather than replaced whole.
PAIRED = 0.5
#: Changed stretches of up to this many block pairs are paired by best overall match; longer
#: ones (a rewritten report) greedily within a window, to stay linear.
_EXHAUSTIVE = 400
_WINDOW = 6
_MARK_ORDER_AFTER = (W + "sectPr", W + "pPrChange")  # w:pPr/w:rPr must come before these


@dataclass(slots=True)
class _Placed:
    """A block of the result; for a paragraph, how its mark changed and both views' w:pPr."""

    element: object
    mark: str  # "=" kept, "ins", "del", "both" (kept by neither view), "" a table
    new_ppr: object = None
    old_ppr: object = None
    touched: bool = False


class BlockDiffer:
    """Revises containers; `old_key`/`new_key` give a block's comparable XML in its package,
    `adopt` re-points a deleted block's relationship ids at NEW's package."""

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
        self.paragraphs = ParagraphDiffer(revisions, old_key, new_key, adopt)
        self._words: dict[object, Counter] = {}  # by element: an id() could be reused

    def container(self, old_blocks: list, new_blocks: list) -> list:
        """The revised content of a container whose OLD and NEW blocks are given."""
        placed: list[_Placed] = []
        old_keys = [self.old_key(block) for block in old_blocks]
        new_keys = [self.new_key(block) for block in new_blocks]
        matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for block in new_blocks[j1:j2]:
                    own = block.find(W + "pPr")
                    placed.append(_Placed(block, "" if block.tag == W + "tbl" else "=", own, own))
                continue
            olds, news = old_blocks[i1:i2], new_blocks[j1:j2]
            order = self.pairs(olds, news, _compatible_blocks)
            if _nothing_paired(order) and _closes_paragraphs(new_blocks, j2, olds, news):
                # A last mark must stay in both views (see `settle`): pair the last two.
                order = [(i, None) for i in range(len(olds) - 1)]
                order += [(None, j) for j in range(len(news) - 1)]
                order.append((len(olds) - 1, len(news) - 1))
            for i, j in order:
                if j is None:
                    placed.extend(self.whole(olds[i], "del"))
                elif i is None:
                    placed.extend(self.whole(news[j], "ins"))
                else:
                    placed.extend(self.paired(olds[i], news[j]))
        return self.settle(placed)

    def whole(self, block, status: str) -> list[_Placed]:
        if status == "del":
            self.adopt(block)
        for paragraph in block.iter(W + "p"):
            wrap_runs(paragraph, status, self.revisions)
        if block.tag == W + "tbl":
            for row in block.iter(W + "tr"):
                self.mark_row(row, status)
            return [_Placed(block, "")]
        own = block.find(W + "pPr")
        if status == "ins":
            return [_Placed(block, "ins", new_ppr=own, touched=True)]
        return [_Placed(block, "del", old_ppr=own, touched=True)]

    def paired(self, old_block, new_block) -> list[_Placed]:
        if new_block.tag == W + "p":
            revised = self.paragraphs.paragraph(old_block, new_block)
            return [
                _Placed(revised, "=", new_block.find(W + "pPr"), old_block.find(W + "pPr"), True)
            ]
        if _columns(old_block) == _columns(new_block):
            return [_Placed(self.table(old_block, new_block), "")]
        # Rows of another width cannot be compared cell by cell: replace the table whole.
        return [*self.whole(old_block, "del"), *self.whole(new_block, "ins")]

    def settle(self, placed: list[_Placed]) -> list:
        """The elements in order, each changed paragraph given its final w:pPr (see module)."""
        result: list = []
        segment: list[_Placed] = []
        for item in placed:
            if item.mark == "":
                result.extend(self.settle_paragraphs(segment))
                segment = []
                if result and result[-1].tag == W + "tbl":
                    # Word joins adjacent tables: keep a paragraph neither view shows between.
                    separator = self.etree.Element(W + "p")
                    result.extend(
                        self.settle_paragraphs([_Placed(separator, "both", touched=True)])
                    )
                result.append(item.element)
                continue
            segment.append(item)
            if _has_section(item):
                result.extend(self.settle_paragraphs(segment))
                segment = []
        result.extend(self.settle_paragraphs(segment))
        return result

    def settle_paragraphs(self, segment: list[_Placed]) -> list:
        """Paragraphs between two tables (or a container's ends): marks and formatting."""
        if not any(item.touched for item in segment):
            return [item.element for item in segment]
        marks = [item.mark for item in segment]
        kept = [index for index, mark in enumerate(marks) if mark == "="]
        if marks[-1] in ("ins", "del") and kept and not _has_section(segment[-1]):
            # The last mark must stay in both views: the changed marks after the last kept one
            # move up by one, and the kept mark ends the segment.
            marks = marks[: kept[-1]] + marks[kept[-1] + 1 :] + ["="]
        accept = deque(item.new_ppr for item in segment if item.mark in ("=", "ins"))
        reject = deque(item.old_ppr for item in segment if item.mark in ("=", "del"))
        for item, mark in zip(segment, marks, strict=True):
            if mark == "=":
                properties = self.paragraph_properties(accept.popleft(), (), reject.popleft())
            elif mark == "ins":
                properties = self.paragraph_properties(accept.popleft(), ("ins",))
            elif mark == "del":
                properties = self.paragraph_properties(reject.popleft(), ("del",))
            else:
                properties = self.paragraph_properties(None, ("ins", "del"))
            own = item.element.find(W + "pPr")
            if own is not None:
                item.element.remove(own)
            if properties is not None:
                item.element.insert(0, properties)
        return [item.element for item in segment]

    def paragraph_properties(self, base, marks: tuple[str, ...], before=None):
        """A w:pPr: `base`'s, its mark inserted/deleted, and w:pPrChange when `before` differs."""
        properties = copy.deepcopy(base) if base is not None else self.etree.Element(W + "pPr")
        if marks:
            mark = properties.find(W + "rPr")
            if mark is None:
                mark = self.etree.Element(W + "rPr")
                follower = next((c for c in properties if c.tag in _MARK_ORDER_AFTER), None)
                if follower is None:
                    properties.append(mark)
                else:
                    follower.addprevious(mark)
            for position, tag in enumerate(marks):
                mark.insert(position, self.revisions.mark(tag))
        if before is not None and _formatting(before) != _formatting(properties):
            change = self.revisions.mark("pPrChange")
            original = self.etree.SubElement(change, W + "pPr")
            for child in before:
                if child.tag not in (W + "rPr", W + "sectPr", W + "pPrChange"):
                    original.append(copy.deepcopy(child))
            properties.append(change)
        return properties if len(properties) else None

    # -- pairing old and new blocks ------------------------------------------------------------

    def pairs(self, olds: list, news: list, compatible) -> list[tuple[int | None, int | None]]:
        """Old and new items of a changed stretch in order: pairs, and unpaired ones alone."""
        one_paragraph = len(olds) == 1 and len(news) == 1 and olds[0].tag == W + "p"
        if one_paragraph and compatible(olds[0], news[0]):
            return [(0, 0)]  # one paragraph rewritten: diffed word by word, whatever changed
        if len(olds) * len(news) <= _EXHAUSTIVE:
            return self._best_pairs(olds, news, compatible)
        result: list[tuple[int | None, int | None]] = []
        i = j = 0
        while i < len(olds) and j < len(news):
            candidates = [
                (self.similarity(olds[a], news[b]), -(a - i + b - j), a, b)
                for a in range(i, min(i + _WINDOW, len(olds)))
                for b in range(j, min(j + _WINDOW, len(news)))
                if compatible(olds[a], news[b])
            ]
            best = max(candidates, default=None)
            if best is None or best[0] < PAIRED:
                result += [(i, None), (None, j)]
                i, j = i + 1, j + 1
                continue
            _, _, a, b = best
            result += [(k, None) for k in range(i, a)] + [(None, k) for k in range(j, b)]
            result.append((a, b))
            i, j = a + 1, b + 1
        return (
            result
            + [(k, None) for k in range(i, len(olds))]
            + [(None, k) for k in range(j, len(news))]
        )

    def _best_pairs(self, olds: list, news: list, compatible) -> list:
        # Monotone matching maximising the summed similarity of pairs above the threshold.
        n, m = len(olds), len(news)
        score = [[0.0] * (m + 1) for _ in range(n + 1)]
        for i in range(n - 1, -1, -1):
            for j in range(m - 1, -1, -1):
                best = max(score[i + 1][j], score[i][j + 1])
                if compatible(olds[i], news[j]):
                    similar = self.similarity(olds[i], news[j])
                    if similar >= PAIRED:
                        best = max(best, similar + score[i + 1][j + 1])
                score[i][j] = best
        result: list[tuple[int | None, int | None]] = []
        i = j = 0
        while i < n and j < m:
            if score[i][j] == score[i + 1][j]:
                result.append((i, None))
                i += 1
            elif score[i][j] == score[i][j + 1]:
                result.append((None, j))
                j += 1
            else:
                result.append((i, j))
                i, j = i + 1, j + 1
        return result + [(k, None) for k in range(i, n)] + [(None, k) for k in range(j, m)]

    def similarity(self, old_block, new_block) -> float:
        """Dice coefficient of the two blocks' words and pictures (1 when both have none)."""
        old_words = self.words(old_block, self.old_key)
        new_words = self.words(new_block, self.new_key)
        total = sum(old_words.values()) + sum(new_words.values())
        return 1.0 if not total else 2 * sum((old_words & new_words).values()) / total

    def words(self, block, key: Callable[[object], bytes]) -> Counter:
        """The block's words, and its pictures (by their XML key), counted."""
        # Keyed by the element itself: an id() could be reused once a cell's blocks are freed.
        found = self._words.get(block)
        if found is None:
            text = "".join(node.text or "" for node in block.iter(W + "t"))
            found = Counter(token for token in TOKEN.findall(text) if not token.isspace())
            found.update(key(drawing) for drawing in block.iter(W + "drawing"))
            self._words[block] = found
        return found

    # -- tables ----------------------------------------------------------------------------------

    def table(self, old_table, new_table):
        revised = self.etree.Element(W + "tbl", dict(new_table.attrib))
        revised.extend(child for child in list(new_table) if child.tag != W + "tr")
        old_rows, new_rows = old_table.findall(W + "tr"), new_table.findall(W + "tr")
        old_keys = [self.old_key(row) for row in old_rows]
        new_keys = [self.new_key(row) for row in new_rows]
        matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                revised.extend(new_rows[j1:j2])
                continue
            olds, news = old_rows[i1:i2], new_rows[j1:j2]
            for i, j in self.pairs(olds, news, _compatible_rows):
                if j is None:
                    revised.append(self.whole_row(olds[i], "del"))
                elif i is None:
                    revised.append(self.whole_row(news[j], "ins"))
                else:
                    revised.append(self.row(olds[i], news[j]))
        return revised

    def whole_row(self, row, status: str):
        if status == "del":
            self.adopt(row)
        for paragraph in row.iter(W + "p"):
            wrap_runs(paragraph, status, self.revisions)
        self.mark_row(row, status)
        return row

    def mark_row(self, row, status: str) -> None:
        properties = row.find(W + "trPr")
        if properties is None:
            properties = self.etree.Element(W + "trPr")
            row.insert(1 if row.find(W + "tblPrEx") is not None else 0, properties)
        change = properties.find(W + "trPrChange")
        if change is None:
            properties.append(self.revisions.mark(status))
        else:
            change.addprevious(self.revisions.mark(status))

    def row(self, old_row, new_row):
        revised = self.etree.Element(W + "tr", dict(new_row.attrib))
        old_cells = old_row.findall(W + "tc")
        position = 0
        for child in list(new_row):
            if child.tag != W + "tc":
                revised.append(child)
                continue
            old_cell = old_cells[position]
            position += 1
            cell = self.etree.SubElement(revised, W + "tc", dict(child.attrib))
            properties = child.find(W + "tcPr")
            if properties is not None:
                cell.append(properties)
            cell.extend(
                self.container(
                    [block for block in old_cell if block.tag != W + "tcPr"],
                    [block for block in child if block.tag != W + "tcPr"],
                )
            )
        return revised


def _nothing_paired(order: list[tuple[int | None, int | None]]) -> bool:
    return all(i is None or j is None for i, j in order)


def _closes_paragraphs(new_blocks: list, end: int, olds: list, news: list) -> bool:
    """Whether a changed stretch ends its paragraphs (a table or the container's end follows)
    with a paragraph on both sides."""
    if not olds or not news or olds[-1].tag != W + "p" or news[-1].tag != W + "p":
        return False
    return end == len(new_blocks) or new_blocks[end].tag == W + "tbl"


def _formatting(properties) -> bytes:
    return b"".join(
        canonical(child)
        for child in properties
        if child.tag not in (W + "rPr", W + "sectPr", W + "pPrChange")
    )


def _has_section(item: _Placed) -> bool:
    properties = item.element.find(W + "pPr")
    return properties is not None and properties.find(W + "sectPr") is not None


def _columns(table) -> int:
    grid = table.find(W + "tblGrid")
    return len(grid) if grid is not None else 0


def _compatible_blocks(old_block, new_block) -> bool:
    if old_block.tag != new_block.tag:
        return False
    return old_block.tag != W + "tbl" or _columns(old_block) == _columns(new_block)


def _compatible_rows(old_row, new_row) -> bool:
    return len(old_row.findall(W + "tc")) == len(new_row.findall(W + "tc"))
