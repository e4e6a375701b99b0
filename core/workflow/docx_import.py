"""Read an NĐ30 công văn or báo cáo written in Word back into a report (`tongket import`).

The letterhead (a two-column table, or paragraphs with tab stops), the V/v or the báo cáo's
title, Kính gửi, the body, the closing line, the signature (KT./TL./TM. …) and Nơi nhận become
the report's particulars; the body becomes free-text sections split at their numbering
(`docx_sections`), Word tables kept with their section. Whatever cannot be placed is kept
verbatim in a last section and named in `ImportResult.notes`, never dropped.

The Word side (package, numbering, runs) is `docx_reading`; this module knows NĐ30.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from typing import Any

from tongket.core.render.inline import escape_markup
from tongket.core.render.viethoa_names import council_of
from tongket.core.report.model import Particulars, Project, Section
from tongket.core.workflow.docx_lines import (
    DASH,
    DATE,
    DISTRIBUTION,
    KIND_TITLES,
    MOTTO,
    NATIONAL_TITLE,
    NUMBER,
    PREFIX,
    RECIPIENTS,
    RULE,
    SUBJECT,
    contact_line,
    entry,
    is_right_side,
    lines_of,
    loose,
    parse_distribution,
    parse_signer,
    sides,
)
from tongket.core.workflow.docx_reading import (
    DocxReadError,
    Grid,
    Item,
    Para,
    place,
    read_items,
    reading_notes,
)
from tongket.core.workflow.docx_sections import (
    LEFTOVER_HEADING,
    SECTION_NUMBER,
    BodyReader,
    attach_appendices,
    match_outline,
)

__all__ = ["DocxImportError", "ImportResult", "import_docx"]


class DocxImportError(Exception):
    """The file cannot be imported; the message (Vietnamese) names the file and the cause."""


@dataclass
class ImportResult:
    """The report read from a Word file, and what could not be placed, each with its place."""

    project: Project
    notes: list[str] = field(default_factory=list)


class _Import:
    """One import: walks the items once, filling the particulars and collecting notes."""

    def __init__(self, items: list[Item], file: str) -> None:
        self.items = items
        self.file = file
        self.doc = Particulars()
        # What reading the XML changed or left out (hidden text, a symbol, a formula, a
        # footnote), each with its place, before what laying the text out finds.
        self.notes: list[str] = reading_notes(items)
        self.leftovers: list[str] = []
        self.position = 0

    # -- helpers ---------------------------------------------------------------------------

    def keep(self, where: str, text: str, why: str) -> None:
        """Keep `text` verbatim in the last section (its stars and brackets escaped: they
        print as they are) and say so."""
        self.leftovers.append(escape_markup(text))
        shown = text if len(text) <= 80 else text[:77] + "…"
        self.notes.append(f"{where}: {why}, giữ nguyên ở mục '{LEFTOVER_HEADING}': {shown}")

    def skip_empty(self) -> None:
        while self.position < len(self.items):
            item = self.items[self.position]
            if isinstance(item, Para) and not item.text.strip() and not item.picture:
                self.position += 1
            else:
                return

    def current(self) -> Item | None:
        return self.items[self.position] if self.position < len(self.items) else None

    # -- letterhead ------------------------------------------------------------------------

    def letterhead(self) -> None:
        """The header: a table whose cells hold the national title, or tab-stop paragraphs."""
        self.skip_empty()
        first = self.current()
        left: list[tuple[str, str]] = []  # (where, text)
        right: list[tuple[str, str]] = []
        if isinstance(first, Grid) and NATIONAL_TITLE in loose(
            " ".join(p.text for p in first.paragraphs())
        ):
            for row in first.rows:
                for column, cell in enumerate(row):
                    side = left if column == 0 else right
                    for para in cell.paras:
                        side.extend(
                            (f"đầu văn bản, bảng {first.index}", line)
                            for line in lines_of(para.text)
                        )
            self.position += 1
        else:
            seen = {"subject": False, "number": False}  # kept as we go: one pass, not n²
            while (item := self.current()) is not None and isinstance(item, Para):
                text = item.text
                if RECIPIENTS.match(text.strip()) or loose(text) in KIND_TITLES:
                    break
                if not self._header_like(item, seen["subject"], seen["number"]):
                    break
                where = f"đoạn {item.index}"
                for line in text.split("\n"):
                    line_left, line_right = sides(Para(item.index, [(line, False, False)]))
                    if line_left and is_right_side(line_left) and not line_right:
                        line_left, line_right = "", line_left
                    left.append((where, line_left))
                    right.append((where, line_right))
                    seen["subject"] = seen["subject"] or bool(SUBJECT.match(line_left))
                    seen["number"] = seen["number"] or bool(NUMBER.match(line_left))
                self.position += 1
        self._left_side([(where, text) for where, text in left if text and not RULE.match(text)])
        self._right_side([(where, text) for where, text in right if text and not RULE.match(text)])

    def _header_like(self, para: Para, seen_subject: bool, seen_number: bool) -> bool:
        text = para.text.strip()
        if not text or "\t" in para.text or is_right_side(text) or NUMBER.match(text):
            return True
        if SUBJECT.match(text):
            return True
        if seen_subject:  # a V/v wrapping onto the next line: short, not a sentence
            return len(text) < 120 and not para.label
        # Agency names above "Số:": short lines in capitals.
        return not seen_number and text.upper() == text

    def _left_side(self, lines: list[tuple[str, str]]) -> None:
        agencies: list[str] = []
        subject: list[str] = []
        state = "agency"
        for where, line in lines:
            number = NUMBER.match(line)
            vv = SUBJECT.match(line)
            if number and state == "agency":
                rest = number.group("rest").strip()
                num, slash, symbol = rest.partition("/")
                self.doc.number = num.strip() if slash else rest
                self.doc.symbol = symbol.strip()
                state = "number"
            elif vv and state in ("agency", "number"):
                subject.append(vv.group("rest"))
                state = "subject"
            elif state == "subject":
                subject.append(line)
            elif state == "agency":
                agencies.append(line)
            else:
                self.keep(where, line, "dòng ở đầu văn bản không nhận ra")
        agencies = _council_names_joined(agencies)
        if len(agencies) == 1:
            self.doc.agency = agencies[0]
        elif agencies:
            self.doc.parent_agency = agencies[0]
            self.doc.agency = " ".join(agencies[1:])
        self.doc.subject = " ".join(" ".join(subject).split())

    def _right_side(self, lines: list[tuple[str, str]]) -> None:
        dated = False
        for where, line in lines:
            date = DATE.match(line)
            if loose(line) == NATIONAL_TITLE or MOTTO.match(line):
                continue
            if date and dated:
                self.keep(where, line, "dòng địa danh, ngày tháng thứ hai")
            elif date:
                dated = True
                self.doc.place = date.group("place").strip()
                self.doc.date = self._date(date, where)
            else:
                self.keep(where, line, "dòng ở đầu văn bản không nhận ra")

    def _date(self, match: re.Match[str], where: str) -> dt.date | None:
        try:
            return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            self.notes.append(
                f"{where}: ngày ban hành chưa đủ hoặc không có thật ('{match.group(0)}'); "
                "để trống ngày"
            )
            return None

    # -- title, Kính gửi ---------------------------------------------------------------------

    def title(self) -> None:
        """A báo cáo's "BÁO CÁO" and its trích yếu lines (the next short centred paragraphs)."""
        self.skip_empty()
        item = self.current()
        if not isinstance(item, Para) or loose(item.text) not in KIND_TITLES:
            return
        self.doc.kind = "bao-cao"
        if loose(item.text) != "BÁO CÁO":
            self.notes.append(
                f"đoạn {item.index}: văn bản là '{item.text.strip()}', được nhập như báo cáo"
            )
        # Typed without alignment, or pasted from a PDF: not even the title is centred.
        unaligned = item.align != "center"
        self.position += 1
        subject: list[str] = []
        first_line = 0  # the paragraph number of the trích yếu's first line
        while (item := self.current()) is not None and isinstance(item, Para):
            text = item.text.strip()
            if not text or RECIPIENTS.match(text) or item.label or len(text) > 300:
                break
            if item.align != "center" and not (unaligned and _subject_like(text)):
                break  # NĐ30 centres the trích yếu under the title; the body is justified
            if not RULE.match(text):
                first_line = first_line or item.index
                subject.append(text)
            self.position += 1
        found = " ".join(" ".join(subject).split())
        if found and self.doc.subject:  # a V/v in the header too: the first stays the subject
            self.keep(f"đoạn {first_line}", found, "trích yếu thứ hai (đã có V/v ở đầu văn bản)")
        elif found:
            self.doc.subject = found

    def recipients(self) -> None:
        """ "Kính gửi: X", or "Kính gửi:" followed by "- A;" lines."""
        self.skip_empty()
        item = self.current()
        match = RECIPIENTS.match(item.text.strip()) if isinstance(item, Para) else None
        if match is None:
            return
        self.position += 1
        found = [entry(line) for line in re.split(r"[\n\t]", match.group("rest"))]
        while (item := self.current()) is not None and isinstance(item, Para):
            text = item.text.strip()
            if not (DASH.match(text) or item.label == "-") or not text:
                break
            found.extend(entry(line) for line in text.split("\n"))
            self.position += 1
        self.doc.recipients = [name for name in found if name]

    # -- closing, signature, Nơi nhận ------------------------------------------------------

    def signature_start(self) -> int:
        """Where the Nơi nhận / signature area starts: its table, or the "Nơi nhận" paragraph."""
        for index in range(self.position, len(self.items)):
            item = self.items[index]
            if isinstance(item, Grid):
                cells = [cell.text for row in item.rows for cell in row]
                if any(DISTRIBUTION.match(text) for text in cells):
                    return index
                if _signer_cell(cells) and index >= len(self.items) - 3:
                    return index
            elif DISTRIBUTION.match(item.text.strip()):
                # Text pasted from a PDF puts the signer's title ("GIÁM ĐỐC") before Nơi nhận.
                while index > self.position and _title_line(self.items[index - 1]):
                    index -= 1
                return index
        for index in range(len(self.items) - 1, self.position - 1, -1):
            item = self.items[index]
            if isinstance(item, Para) and PREFIX.match(sides(item)[1] or item.text.strip()):
                return index
        return len(self.items)

    def closing(self, body: list[Item]) -> list[Item]:
        """The closing line ("Sở … kính báo cáo./.") is the body's last short paragraph."""
        while body and isinstance(body[-1], Para) and not body[-1].text.strip():
            body.pop()
        last = body[-1] if body else None
        if not isinstance(last, Para) or last.label or last.heading:
            return body
        text = last.text.strip()
        courtesy = re.search(r"(?i)kính (báo cáo|đề nghị|trình|gửi)|trân trọng", text)
        if len(text) <= 200 and (courtesy or text.endswith("./.")) and "\n" not in text:
            self.doc.closing = text
            return body[:-1]
        return body

    def signature(self, area: list[Item]) -> None:
        """Nơi nhận items and the signer, from a table's cells or tab-stop paragraphs."""
        distribution: list[str] = []
        signer: list[str] = []
        for item in area:
            if isinstance(item, Grid):
                for row in item.rows:
                    for cell in row:
                        lines = [line for para in cell.paras for line in lines_of(para.text)]
                        target = distribution if DISTRIBUTION.match(cell.text) else signer
                        target.extend(lines)
                continue
            for line in item.text.split("\n"):
                left, right = sides(Para(item.index, [(line, False, False)]))
                if right or "\t" in line:
                    distribution.append(left)
                    signer.append(right)
                elif DISTRIBUTION.match(left) or DASH.match(left):
                    distribution.append(left)
                elif item.label == "-":  # a Word bullet: the dash is numbering, not text
                    distribution.append(f"- {left}")
                elif left and (item.align in ("center", "right") or PREFIX.match(left)):
                    signer.append(left)
                elif left and _entry_goes_on(distribution) and left.upper() != left:
                    distribution.append(left)  # an entry that wrapped onto the next line
                else:
                    signer.append(left)
        self.doc.distribution = parse_distribution(distribution)
        self._signer(signer, place(area[0]) if area else "đoạn ?")

    def _signer(self, lines: list[str], where: str) -> None:
        signer, titles, extra = parse_signer(lines)
        for line in extra:
            self.keep(where, line, "dòng ở khối chữ ký không phải chức vụ hay họ tên")
        if signer is None:
            self.notes.append("không tìm thấy khối chữ ký (chức vụ, họ tên người ký)")
            return
        printed = signer.title_lines()
        if signer.prefix and len(titles) > len(printed):
            shown = " và ".join(f"'{line}'" for line in printed)
            self.notes.append(
                f"{where}: khối chữ ký có {len(titles)} dòng chức danh; tongket in "
                f"{len(printed)} dòng: {shown}"
            )
        self.doc.signer = signer

    # -- the whole document ----------------------------------------------------------------

    def run(self, outline: Any | None, host: Any | None = None) -> ImportResult:
        self.letterhead()
        self.title()
        self.recipients()
        start = self.signature_start()
        body = self.closing(list(self.items[self.position : start]))
        end = start + 1 if start < len(self.items) else start
        while end < len(self.items) and _signature_like(self.items[end]):
            end += 1
        self.signature(list(self.items[start:end]))
        reader = BodyReader(self.notes, self.keep)
        sections = reader.sections(body)
        untitled: list[tuple[Section, str]] = []
        appendices = reader.appendices(self.items[end:])
        sections = attach_appendices(sections, appendices, self.notes, untitled)
        if self.leftovers:
            sections.append(
                Section(
                    "free-text",
                    heading=LEFTOVER_HEADING,
                    data={"text": "\n\n".join(self.leftovers)},
                )
            )
        if outline is not None:
            read_tables = None
            if host is not None:
                from tongket.core.workflow.docx_figures import read_figures

                def read_tables(section: Section, want: Any, warnings: list[str]) -> str | None:
                    return read_figures(section, want, host, outline.request, warnings)

            sections = match_outline(sections, outline, self.notes, reader.places, read_tables)
        self.notes.extend(note for owner, note in untitled if not owner.heading)
        project = Project(document=self.doc, sections=sections)
        return ImportResult(project, self.notes)


def _subject_like(text: str) -> bool:
    """A trích yếu line where alignment cannot tell: short, in sentence case ("Tổng kết 10
    năm …"), not a numbered heading, not ending as the body's sentences do."""
    return (
        len(text) <= 200
        and text.upper() != text
        and not SECTION_NUMBER.match(text)
        and not text.endswith((".", ":", ";", "?", "!"))
    )


def _entry_goes_on(distribution: list[str]) -> bool:
    """Whether a plain line can continue the last Nơi nhận line: not after an entry closed by
    ";" or the final "." (the line after "- Lưu: VT, VP." is the signer's name)."""
    return bool(distribution) and not distribution[-1].rstrip().endswith((";", "."))


def _title_line(item: Item) -> bool:
    """A signer's title on its own paragraph: short, in capitals, not a numbered heading."""
    if not isinstance(item, Para) or item.label:
        return False
    text = item.text.strip()
    if not 0 < len(text) <= 60 or SECTION_NUMBER.match(text):  # "III. KIẾN NGHỊ" is the body's
        return False
    return text.upper() == text and any(character.isalpha() for character in text)


def _signer_cell(cells: list[str]) -> bool:
    return any(PREFIX.match(text.strip()) for text in cells)


def _signature_like(item: Item) -> bool:
    """A paragraph that can still belong to a Nơi nhận / signature area laid out on tab stops:
    empty, on tabs, a "- …" entry, a title in capitals, or a short line (the name)."""
    if not isinstance(item, Para):
        return False
    text = item.text.strip()
    if not text or "\t" in item.text or DASH.match(text) or PREFIX.match(text):
        return True
    if item.label == "-" or DISTRIBUTION.match(text):  # a bulleted entry; Nơi nhận after the title
        return True
    if re.match(r"^Phụ lục\s+\S+$", text) or contact_line(text):
        return False  # "ĐT: 0255 …" under the signature is the drafter's, not the signer's
    return text.upper() == text or (len(text) <= 60 and not text.endswith((".", ":", ";")))


def import_docx(
    path: str | os.PathLike[str], *, outline: Any | None = None, host: Any | None = None
) -> ImportResult:
    """Read the Word file at `path` into a report; raises `DocxImportError` when it cannot.

    outline: any object with `.sections` whose items have `.number`, `.heading` and `.type`
    (a `tongket.core.workflow.outline.Outline`): imported sections are matched to them.
    host: a `PluginHost`; with an outline, a section answering one of another type is read
    into that type from its tables when the type's plugin can (`docx_figures`).
    """
    file = os.fspath(path)
    try:
        items = read_items(file)
    except DocxReadError as error:
        raise DocxImportError(str(error)) from None
    if not any(
        (isinstance(item, Para) and item.text.strip())
        or (isinstance(item, Grid) and any(p.text.strip() for p in item.paragraphs()))
        for item in items
    ):
        raise DocxImportError(f"{file}: văn bản trống, không có đoạn văn hay bảng nào để nhập")
    return _Import(items, file).run(outline, host)


#: A People's Committee or Council with no place: the first line of its own name, never a
#: parent body ("ỦY BAN NHÂN DÂN" over "HUYỆN BÌNH SƠN", as a district prints its letterhead).
_PLACE_UNIT = re.compile(r"(?i)^(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s+\S")


def _council_names_joined(agencies: list[str]) -> list[str]:
    """The letterhead's left lines with a bare council name joined to the place under it: one
    agency "ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN", not the parent "ỦY BAN NHÂN DÂN" of an agency
    "HUYỆN BÌNH SƠN"."""
    joined: list[str] = []
    for line in agencies:
        name = " ".join(line.split())
        council = council_of(joined[-1]) if joined else None
        if council is not None and not council[1] and _PLACE_UNIT.match(name):  # no place
            joined[-1] = f"{joined[-1]} {name}"
        else:
            joined.append(name)
    return joined
