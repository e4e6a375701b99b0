"""The body of an imported Word reply as free-text sections (part of `tongket import`).

The body is split at its numbering ("1.", "2.1.", "II.", "a)"), typed or list-numbered; a
short or bold numbered line, or one in a heading style, is the section's heading, a numbered
paragraph starts its text. Word tables stay with their section as the free-text `tables`
(caption, header, rows, alignment, total rows, note, the text after them); a tongket phụ lục
goes back to the section that pointed to it. With an outline, sections are matched to the
outline's by number, then by heading.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tongket.core.render.inline import escape_brackets, escape_markup
from tongket.core.report.model import Section
from tongket.core.workflow.docx_reading import Grid, Item, Para, place
from tongket.core.workflow.outline import section_key, without_guidance

#: The heading of the last section, which keeps verbatim what could not be placed.
LEFTOVER_HEADING = "Nội dung chưa xếp được (nhập từ Word)"

#: A typed section number at the start of a paragraph ("2.1.", "II.", "a)") and the rest.
SECTION_NUMBER = re.compile(
    r"^(?P<number>(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2})*)\.|\d{1,2}(?:\.\d{1,2})+|[a-zđ]\))"
    r"(?:[ \t]+|$)(?P<rest>.*)$",
    re.DOTALL,
)
_CAPTION = re.compile(r"(?i)^(bảng|biểu)\s+\S+\s*[:.]")


def _marked(runs: list[tuple[str, bool, bool]]) -> str:
    """Runs as tongket text: bold as **…**, italic as *…* (spaces kept outside the marks);
    the Word text's own stars, "[[" and backslashes escaped, so "(*)" prints as "(*)"."""
    pieces: list[str] = []
    for text, bold, italic in runs:
        text = escape_markup(text.replace("\t", " ").replace("\n", " "), brackets=False)
        core = text.strip()
        if not core or not (bold or italic):
            pieces.append(text)
            continue
        mark = "**" if bold else "*"  # tongket's markup has no bold italic: bold wins
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        pieces.append(f"{lead}{mark}{core}{mark}{trail}")
    # "[[" escaped in the whole paragraph: its two brackets may sit in two runs.
    return escape_brackets("".join(pieces).strip())


def _without_prefix(runs: list[tuple[str, bool, bool]], count: int) -> list[tuple[str, bool, bool]]:
    """The runs with their first `count` characters (a typed section number) removed."""
    kept: list[tuple[str, bool, bool]] = []
    for text, bold, italic in runs:
        if count >= len(text):
            count -= len(text)
            continue
        kept.append((text[count:], bold, italic))
        count = 0
    if kept:
        kept[0] = (kept[0][0].lstrip(), *kept[0][1:])
    return kept


def _is_caption(para: Para) -> bool:
    name = (para.style_name or para.style).replace(" ", "").lower()
    return name in ("caption", "tkcaption") or bool(_CAPTION.match(para.text.strip()))


def _is_note(para: Para) -> bool:
    return (para.style_name or para.style).replace(" ", "").lower() == "tknote"


def _align(para: Para) -> str:
    return {"right": "right", "end": "right", "center": "center", "both": "justify"}.get(
        para.align, "left"
    )


def table_data(grid: Grid) -> dict[str, Any]:
    """A Word table as a free-text `tables` entry: first row the header, bold rows totals.

    A cell merged down over the rows below it (Word's vertical merge: "2019" beside two
    delegations) gives its text to each row it covers, as the reader of the table reads it;
    tongket's tables merge no cells. A merge starting in the header row stays empty below:
    it is a two-row header's upper label ("Chỉ tiêu" beside the years).
    """
    width = max((sum(cell.span for cell in row) for row in grid.rows), default=0)
    rows: list[list[str]] = []
    bold_rows: list[bool] = []
    aligns: list[list[str]] = []
    above: dict[int, tuple[str, int]] = {}  # by grid column: the merge's text, its first row
    for number, row in enumerate(grid.rows):
        cells: list[str] = []
        row_aligns: list[str] = []
        for cell in row:
            if cell.merged_above:
                text, first_row = above.get(len(cells), ("", 0))
                text = text if first_row > 0 else ""
            else:
                text = cell.text
                above[len(cells)] = (text, number)
            cells.extend([text] + [""] * (cell.span - 1))
            first = next((p for p in cell.paras if p.text.strip()), None)
            row_aligns.extend([_align(first) if first else ""] * cell.span)
        rows.append(cells + [""] * (width - len(cells)))
        aligns.append(row_aligns + [""] * (width - len(row_aligns)))
        shown = [p for cell in row for p in cell.paras if p.text.strip()]
        bold_rows.append(bool(shown) and all(p.all_bold for p in shown))
    table: dict[str, Any] = {"header": rows[0] if rows else [], "rows": rows[1:]}
    columns = []
    for column in range(width):
        seen = [row[column] for row in aligns[1:] if row[column]]
        columns.append(max(set(seen), key=seen.count) if seen else "left")
    if any(align != "left" for align in columns):
        table["align"] = columns
    totals = [index for index, bold in enumerate(bold_rows[1:]) if bold]
    if totals and len(totals) < len(rows) - 1:
        table["total_rows"] = [index - (len(rows) - 1) for index in totals]
    return table


@dataclass
class _Draft:
    """A section being read: number, heading, paragraphs, tables, where it starts ("đoạn 5",
    "bảng 2")."""

    place: str
    number: str = ""
    heading: str = ""
    paragraphs: list[str] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)
    # The paragraphs after each table, by the table's position: joined once in `section`
    # (joining as they come copies the text again for every paragraph: quadratic).
    after: dict[int, list[str]] = field(default_factory=dict)

    def add(self, text: str) -> None:
        if not text:
            return
        if self.tables:
            self.after.setdefault(len(self.tables) - 1, []).append(text)
        else:
            self.paragraphs.append(text)

    def close(self) -> None:
        """Write the paragraphs read after each table into its `text_after`."""
        for position, texts in self.after.items():
            self.tables[position]["text_after"] = "\n\n".join(texts)
        self.after.clear()

    def section(self) -> Section:
        self.close()
        data: dict[str, Any] = {"text": "\n\n".join(self.paragraphs)}
        if self.tables:
            data["tables"] = self.tables
        return Section("free-text", number=self.number, heading=self.heading, data=data)


@dataclass
class Appendix:
    """A phụ lục read after the signature: its label, title and tables."""

    index: int
    label: str
    title: str = ""
    draft: _Draft = field(default_factory=lambda: _Draft(""))


class BodyReader:
    """Splits body items into sections; `keep(where, text, why)` keeps unplaceable text."""

    def __init__(self, notes: list[str], keep: Callable[[str, str, str], None]) -> None:
        self.notes = notes
        self.keep = keep
        #: Where each section starts ("đoạn N"), by `id(section)`, for the outline's notes.
        self.places: dict[int, str] = {}

    def _note_extras(self, para: Para) -> None:
        if para.picture:
            self.notes.append(
                f"đoạn {para.index}: có hình ảnh hoặc hộp văn bản, không nhập được; hãy chèn lại"
            )
        for box in para.boxes:
            self.keep(f"đoạn {para.index}", box, "chữ trong hộp văn bản")

    def sections(self, items: list[Item]) -> list[Section]:
        drafts: list[_Draft] = []
        current: _Draft | None = None
        caption = ""
        for position, item in enumerate(items):
            if isinstance(item, Grid):
                if current is None:
                    current = _Draft(place(item))
                    drafts.append(current)
                table = table_data(item)
                if caption:
                    table = {"caption": caption, **table}
                    caption = ""
                current.tables.append(table)
                continue
            self._note_extras(item)
            text = item.text.strip()
            if not text:
                continue
            following = items[position + 1] if position + 1 < len(items) else None
            if _is_caption(item) and isinstance(following, Grid) and not item.label:
                caption = text
                continue
            after_table = position > 0 and isinstance(items[position - 1], Grid)
            if _is_note(item) and after_table and current and not current.tables[-1].get("note"):
                current.tables[-1]["note"] = item.text.strip()
                continue
            started = self._start(item)
            if started is not None:
                current, first = started
                drafts.append(current)
                current.add(first)
                continue
            if current is None:
                current = _Draft(place(item))
                drafts.append(current)
            bullet = "- " if item.label == "-" else f"{item.label} " if item.label else ""
            current.add(bullet + _marked(item.runs))
        sections = []
        for draft in drafts:
            section = draft.section()
            self.places[id(section)] = draft.place
            sections.append(section)
        return sections

    def _start(self, para: Para) -> tuple[_Draft, str] | None:
        """A new section if the paragraph is numbered or a heading: (draft, its first text)."""
        runs = para.runs
        number = ""
        if para.label and para.label != "-" and SECTION_NUMBER.match(para.label + " "):
            number = para.label
        else:
            match = SECTION_NUMBER.match(para.text.lstrip())
            if match:
                number = match["number"]
                skipped = len(para.text) - len(para.text.lstrip()) + len(number)
                runs = _without_prefix(runs, skipped)
        if not number and not para.heading:
            return None
        rest = "".join(text for text, _b, _i in runs).strip()
        draft = _Draft(place(para), number=number)
        shown = [bold for text, bold, _i in runs if text.strip()]
        bold = bool(shown) and all(shown)
        ends_sentence = rest.endswith((".", ";", "?", "!")) or re.search(r":\s*\S", rest)
        if para.heading or (bold and len(rest) <= 200) or (len(rest) <= 100 and not ends_sentence):
            draft.heading = " ".join(rest.split())
            return draft, ""
        return draft, _marked(runs)

    def appendices(self, items: list[Item]) -> list[Appendix]:
        """The phụ lục after the signature; anything else there is kept as leftover text."""
        found: list[Appendix] = []
        caption = ""
        for position, item in enumerate(items):
            if isinstance(item, Para):
                self._note_extras(item)
                text = item.text.strip()
                if not text:
                    continue
                if re.match(r"^Phụ lục\s+\S+$", text):
                    found.append(Appendix(item.index, text))
                    continue
                if not found:
                    self.keep(f"đoạn {item.index}", text, "nội dung sau chữ ký")
                    continue
                appendix = found[-1]
                following = items[position + 1] if position + 1 < len(items) else None
                if not appendix.title:
                    appendix.title = text
                elif text.startswith("(Kèm theo"):
                    continue
                elif _is_caption(item) and isinstance(following, Grid):
                    caption = text
                elif _is_note(item) and appendix.draft.tables:
                    appendix.draft.tables[-1]["note"] = text
                else:
                    appendix.draft.add(_marked(item.runs))
            elif found:
                table = table_data(item)
                found[-1].draft.tables.append({"caption": caption, **table} if caption else table)
                caption = ""
            else:
                self.keep(f"bảng {item.index}", _grid_text(item), "bảng sau chữ ký")
        return found


def _grid_text(grid: Grid) -> str:
    return "\n".join(" | ".join(cell.text for cell in row) for row in grid.rows)


def attach_appendices(
    sections: list[Section],
    appendices: list[Appendix],
    notes: list[str],
    untitled: list[tuple[Section, str]],
) -> list[Section]:
    """Give each phụ lục's tables back to the section whose text points to it. A section
    without a heading would retitle its phụ lục: the note saying so goes to `untitled` with
    the section, to be given only if the section still has no heading once matched to an
    outline (which gives it the outline's)."""
    for appendix in appendices:
        appendix.draft.close()
        pointer = f"(Chi tiết tại {appendix.label} kèm theo.)"
        owner = next((s for s in sections if pointer in s.data.get("text", "").split("\n\n")), None)
        if owner is None or appendix.draft.paragraphs:
            section = appendix.draft.section()
            section.heading = appendix.title
            sections.append(section)
            notes.append(
                f"đoạn {appendix.index}: {appendix.label} ({appendix.title}) được nhập thành "
                "mục cuối của thân văn bản"
            )
            continue
        paragraphs = [p for p in owner.data["text"].split("\n\n") if p != pointer]
        owner.data["text"] = "\n\n".join(paragraphs)
        owner.data.setdefault("tables", []).extend(appendix.draft.tables)
        owner.table = "appendix"
        if not owner.heading and appendix.title:
            # A phụ lục is titled by its section's heading; without one, by the section type.
            untitled.append(
                (
                    owner,
                    f"đoạn {appendix.index}: {appendix.label} '{appendix.title}' gắn lại với mục "
                    f"{owner.number or 'mở đầu'}, mục không có tiêu đề nên phụ lục sẽ mang tên "
                    "'Văn bản tự do'; đặt tiêu đề cho mục nếu cần giữ tên cũ",
                )
            )
    return sections


def _similarity(first: str, second: str) -> float:
    def key(text: str) -> str:
        return " ".join(text.casefold().split())

    return difflib.SequenceMatcher(None, key(first), key(second)).ratio()


def match_outline(
    sections: list[Section],
    outline: Any,
    notes: list[str],
    places: dict[int, str],
    read_tables: Callable[[Section, Any, list[str]], str | None] | None = None,
) -> list[Section]:
    """Match sections to the outline's by number, then by heading; say what did not match.

    A matched section takes the outline's number and heading (and guidance). Where the
    outline wants another type, `read_tables(section, wanted, warnings)` may make it that type
    from its tables (`docx_figures.read_figures`; it returns why not, or None when it did, and
    adds to `warnings` what the type's checks say of the figures read, noted after it);
    otherwise it stays free text, and a note says so and why.
    """
    wanted = list(outline.sections)
    pairs: dict[int, int] = {}

    def free(position: int) -> bool:
        return position not in pairs.values()

    def same_number(section: Section, want: Any) -> bool:
        return bool(section.number) and section_key(section.number) == section_key(want.number)

    for index, section in enumerate(sections):  # number and (roughly) heading
        for position, want in enumerate(wanted):
            if free(position) and same_number(section, want):
                headings = (section.heading, want.heading)
                if all(headings) and _similarity(*headings) >= 0.5:
                    pairs[index] = position
                break
    for index, section in enumerate(sections):  # heading alone (a renumbered section)
        if index in pairs or not section.heading:
            continue
        scored = [
            (_similarity(section.heading, want.heading), position)
            for position, want in enumerate(wanted)
            if free(position) and want.heading
        ]
        if scored and max(scored)[0] >= 0.6:
            pairs[index] = max(scored)[1]

    def in_order(index: int, position: int) -> bool:
        # A number alone is trusted only where the outline's order puts it: "3." between
        # the body's 2.1. and 2.2. is an item of a numbered list in 2.1., not section 3.
        before = [pairs[i] for i in pairs if i < index]
        after = [pairs[i] for i in pairs if i > index]
        return all(p < position for p in before) and all(p > position for p in after)

    for index, section in enumerate(sections):  # number alone: no heading, or another one
        if index in pairs:
            continue
        for position, want in enumerate(wanted):
            if free(position) and same_number(section, want):
                if not in_order(index, position):
                    break
                pairs[index] = position
                if section.heading and want.heading:
                    notes.append(
                        f"{places.get(id(section), 'đoạn ?')}: mục '{section.label}' được ghép "
                        f"với mục '{want.number} {want.heading}' của đề cương theo số mục, tên "
                        "mục khác"
                    )
                break
    folded = _fold_list_items(sections, wanted, pairs, notes, places)
    for index, section in enumerate(sections):
        where = places.get(id(section), "đoạn ?")
        if index in folded:
            continue
        if index not in pairs:
            if section.heading != LEFTOVER_HEADING and (section.number or section.heading):
                notes.append(
                    f"{where}: mục '{section.label}' không khớp mục nào của đề cương; giữ nguyên"
                )
            continue
        want = wanted[pairs[index]]
        section.number, section.heading = want.number, want.heading
        if getattr(want, "guidance", ""):
            section.guidance = want.guidance
            if section.type == "free-text" and isinstance(section.data.get("text"), str):
                # A Word reply form printed it under the heading: the body's text is the rest.
                section.data["text"] = without_guidance(section.data["text"], want.guidance)
        if want.type == "free-text" or section.type != "free-text":
            continue
        warnings: list[str] = []
        reason = read_tables(section, want, warnings) if read_tables is not None else None
        if read_tables is not None and reason is None:
            notes.append(
                f"{where}: mục {want.number} {want.heading}: số liệu đọc từ bảng Word vào loại "
                f"mục '{want.type}'; hãy đối chiếu với bản Word"
            )
            notes.extend(
                f"{where}: mục {want.number} {want.heading}: cảnh báo: {warning}"
                for warning in warnings
            )
            continue
        notes.append(
            f"{where}: mục {want.number} {want.heading} (đề cương cần loại '{want.type}') "
            "được nhập dưới dạng văn bản tự do: số liệu cần nhập lại vào loại mục đó"
            + (f" ({reason})" if reason else "")
        )
    for position, want in enumerate(wanted):
        if free(position):
            notes.append(f"đề cương có mục {want.number} {want.heading} nhưng văn bản không có")
    return [section for index, section in enumerate(sections) if index not in folded]


def _fold_list_items(
    sections: list[Section],
    wanted: list[Any],
    pairs: dict[int, int],
    notes: list[str],
    places: dict[int, str],
) -> set[int]:
    """Give the unmatched sections numbered like an outline's section back to the section
    before them, as the items of a numbered list they are ("1. Xuất khẩu gạo …" in 2.1.);
    returns their indexes. Left apart they would take the outline section's number, and a
    merge would read the list's "3." as the body's section 3."""
    numbers = {section_key(want.number) for want in wanted if want.number}
    folded: set[int] = set()
    owner: Section | None = None
    for index, section in enumerate(sections):
        if index in pairs or owner is None or section_key(section.number) not in numbers:
            owner = section
            continue
        folded.add(index)
        text = section.data.get("text", "")
        first = escape_brackets(escape_markup(section.heading, brackets=False))
        pieces = [f"{section.number} {first}" if first else section.number]
        if text and not first:
            pieces[0] = f"{section.number} {text}"
        elif text:
            pieces.append(text)
        tables = owner.data.get("tables")
        if tables:
            after = tables[-1].get("text_after", "")
            tables[-1]["text_after"] = "\n\n".join([after, *pieces] if after else pieces)
        else:
            kept = owner.data.get("text", "")
            owner.data["text"] = "\n\n".join([kept, *pieces] if kept else pieces)
        if section.data.get("tables"):
            owner.data.setdefault("tables", []).extend(section.data["tables"])
        excerpt = " ".join(pieces[0].split())
        excerpt = excerpt if len(excerpt) <= 60 else excerpt[:57] + "…"
        notes.append(
            f"{places.get(id(section), 'đoạn ?')}: dòng '{excerpt}' là một ý của danh sách đánh "
            f"số trong mục '{owner.label}', không phải mục {section.number} của đề cương; giữ "
            "trong mục đó"
        )
    return folded
