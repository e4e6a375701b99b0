"""The requester's outline (đề cương): what a coordinating body asks every replying body for.

An outline file (TOML) holds the request letter's particulars (`[request]`: who asks, its
number and date, subject, deadline, period and cut-off, contact), the bodies that must reply
(`[[bodies]]`, đơn vị báo cáo) and the ordered sections wanted (`[[sections]]`: type, number,
heading, guidance for the drafter, and a `wanted` table that the section type's plugin reads:
indicators with units and years, the columns of a list). `load_outline` reads and checks it,
naming file, line and key at fault; what `wanted` may hold is checked by the section type's
plugin (`tongket_outline_check`, see `wanted_problems`). See docs/de-cuong.md.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tongket.core.oserrors import os_cause
from tongket.core.problems import Problem, ReportFileError
from tongket.core.report.tableread import TableReader, parse_table
from tongket.core.report.tomlpos import KeyLocator

if TYPE_CHECKING:
    from tongket.core.host.pluginhost import PluginHost

__all__ = [
    "Body",
    "Outline",
    "OutlineSection",
    "Request",
    "guidance_paragraph",
    "load_outline",
    "loads_outline",
    "same_name",
    "section_key",
    "wanted_problems",
    "without_guidance",
]

REQUEST_KEYS = (
    "body", "parent_body", "number", "symbol", "date", "subject", "deadline",
    "period_from", "period_to", "cutoff", "contact",
)  # fmt: skip
SECTION_KEYS = ("type", "number", "heading", "guidance", "wanted")
_BODY_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
#: Bidirectional marks, embeddings, overrides and isolates: invisible, and they change the
#: order a reader sees the text in.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


#: How a Word reply form prints a section's guidance, in italics under its heading.
GUIDANCE_LEAD = "Hướng dẫn của cơ quan chủ trì: "


def guidance_paragraph(guidance: str) -> str:
    """The paragraph a Word reply form prints for a section's `guidance`, as plain text."""
    return GUIDANCE_LEAD + " ".join(guidance.split())


def without_guidance(text: str, guidance: str) -> str:
    """A reply's free text read from Word, without the paragraph that still says exactly
    what the form printed for `guidance` (italics aside): the coordinator's words, not the
    body's. A paragraph the body changed, even a little, is kept as theirs."""
    if not guidance.strip():
        return text
    from tongket.core.render.inline import plain_text

    printed = guidance_paragraph(guidance)
    paragraphs = text.split("\n\n")
    kept = [part for part in paragraphs if " ".join(plain_text(part).split()) != printed]
    return "\n\n".join(kept).strip("\n") if len(kept) < len(paragraphs) else text


@dataclass(frozen=True)
class Body:
    """A body that must reply (đơn vị báo cáo)."""

    id: str  # short stable key, e.g. "sct"
    name: str  # "SỞ CÔNG THƯƠNG", matched to a reply's `agency` by `same_name`


@dataclass(frozen=True)
class OutlineSection:
    """One section the outline wants, in order."""

    type: str  # section type id, e.g. "economic-results"
    number: str  # "2.1."
    heading: str
    guidance: str = ""  # hướng dẫn for the drafter: shown in the app and the Word form only
    wanted: dict = field(default_factory=dict)  # what it asks of the type (type-specific)

    @property
    def label(self) -> str:
        """How messages name it: "2.1. Kết quả kinh tế ngành"."""
        return " ".join(part for part in (self.number, self.heading) if part) or self.type


@dataclass(frozen=True)
class Request:
    """The request letter's particulars (công văn đề nghị báo cáo)."""

    body: str  # the requesting body, e.g. "Sở Ngoại vụ"
    parent_body: str  # its parent, e.g. "UBND TỈNH QUẢNG NGÃI"
    number: str  # "2016"
    symbol: str  # "SNgV-HTQT"
    date: dt.date | None
    subject: str  # trích yếu, without "V/v"
    deadline: dt.date | None  # hạn gửi báo cáo
    period_from: int | None  # first year of the period reviewed
    period_to: int | None  # last year
    cutoff: dt.date | None  # thời điểm lấy số liệu; a year ending after it has estimates only
    contact: str

    @property
    def reference(self) -> str:
        """The letter's number and symbol: "2016/SNgV-HTQT"."""
        return "/".join(part for part in (self.number.strip(), self.symbol.strip()) if part)

    @property
    def years(self) -> list[int]:
        """Every year of the period, or [] when the outline gives none."""
        if self.period_from is None or self.period_to is None:
            return []
        return list(range(self.period_from, self.period_to + 1))

    def estimated_only(self, year: int) -> bool:
        """Whether `year` had not ended by the cut-off, so its figure can only be an estimate."""
        return self.cutoff is not None and self.cutoff < dt.date(year, 12, 31)


@dataclass(frozen=True)
class Outline:
    """A whole outline file: the request, the bodies that reply, the sections wanted."""

    file: str
    request: Request
    bodies: tuple[Body, ...]
    sections: tuple[OutlineSection, ...]

    @property
    def name(self) -> str:
        """The file's name, as messages cite the outline: "de-cuong.toml"."""
        return Path(self.file).name

    def body(self, body_id: str) -> Body | None:
        """The body with that id, or None."""
        return next((body for body in self.bodies if body.id == body_id), None)

    def body_named(self, agency: str) -> Body | None:
        """The body whose name is `agency` (case, spaces and Unicode form aside), or None."""
        return next((body for body in self.bodies if same_name(body.name, agency)), None)


def same_name(first: str, second: str) -> bool:
    """Whether two agency names are the same one: "SỞ CÔNG THƯƠNG" and "Sở  Công Thương"
    (compared as the merge compares them, `tongket.core.host.merging.name_key`)."""
    from tongket.core.host.merging import name_key

    return name_key(first) == name_key(second)


def section_key(number: str) -> str:
    """A section number as compared between outline and reply: "2.1" and "2.1." match."""
    return ".".join(part.strip() for part in number.split(".") if part.strip())


def load_outline(path: str | os.PathLike[str]) -> Outline:
    """Read and check an outline file; `ReportFileError` naming file, line and key if wrong."""
    from tongket.core.report.atomicfile import NotARegularFile, read_regular_file

    file = os.fspath(path)
    try:
        raw = read_regular_file(file)  # a FIFO is never opened: reading it would block
    except NotARegularFile as error:
        raise ReportFileError(file, f"là {error.kind}, không phải tệp đề cương .toml") from None
    except FileNotFoundError:
        raise ReportFileError(file, "không tìm thấy tệp đề cương") from None
    except PermissionError:
        raise ReportFileError(file, "không có quyền đọc tệp đề cương") from None
    except OSError as error:
        raise ReportFileError(
            file, f"không đọc được tệp đề cương: {os_cause(error, 'đọc')}"
        ) from None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise ReportFileError(
            file, "tệp đề cương không phải UTF-8; hãy lưu lại với mã hóa UTF-8"
        ) from None
    return loads_outline(text, file)


def loads_outline(text: str, file: str = "<đề cương>") -> Outline:
    """Parse outline TOML text; `file` names it in messages."""
    return _OutlineReader(file, text).read(parse_table(text, file))


class _OutlineReader(TableReader):
    """Turns the parsed table into an `Outline`, naming the key at fault on any mismatch."""

    def text_value(self, path: tuple, table: dict, key: str, *, required: bool = False) -> str:
        value = self.text_field(path, table, key).strip()
        if required and not value:
            raise self.fail((*path, key) if key in table else path, f"thiếu '{key}'")
        self.check_characters((*path, key), value)
        return value

    def check_characters(self, path: tuple, value: str) -> None:
        """Refuse what no reply should inherit: control characters (Word drops them; a
        terminal obeys them) and bidirectional marks (they reorder what a reader sees)."""
        for at, char in enumerate(value):
            if char.isprintable() or char in "\t\n\r":
                continue
            if unicodedata.category(char) not in ("Cc", "Cf"):
                continue  # a space other than " " (U+00A0 …): unprintable to Python only
            kind = "đảo chiều hiển thị" if char in _BIDI else "điều khiển"
            raise self.fail(
                path,
                f"có ký tự {kind} U+{ord(char):04X} ở ký tự thứ {at + 1}; hãy xóa (mỗi bản "
                "trả lời chép lại chữ của đề cương)",
            )

    def read(self, table: dict) -> Outline:
        self.check_keys((), table, ("schema_version", "request", "bodies", "sections"))
        version = table.get("schema_version", 1)
        if self.expect(("schema_version",), version, int, "một số nguyên") > 1:
            raise self.fail(
                ("schema_version",), f"bản tongket này chỉ đọc đề cương phiên bản 1, gặp {version}"
            )
        if "request" not in table:
            raise self.fail((), "thiếu bảng [request] (công văn đề nghị báo cáo)")
        request = self.read_request(
            self.expect(("request",), table["request"], dict, "một bảng [request]")
        )
        bodies_list = self.expect(("bodies",), table.get("bodies", []), list, "một mảng [[bodies]]")
        bodies = tuple(self.read_body(index, item) for index, item in enumerate(bodies_list))
        seen: dict[str, int] = {}
        for index, body in enumerate(bodies):
            if body.id in seen:
                raise self.fail(
                    ("bodies", index, "id"),
                    f"mã '{body.id}' trùng với đơn vị thứ {seen[body.id] + 1}",
                )
            seen[body.id] = index
        sections_list = self.expect(
            ("sections",), table.get("sections", []), list, "một mảng [[sections]]"
        )
        if not sections_list:
            raise self.fail((), "đề cương chưa có mục nào ([[sections]])")
        sections = tuple(self.read_section(index, item) for index, item in enumerate(sections_list))
        numbers: dict[str, int] = {}
        for index, section in enumerate(sections):
            key = section_key(section.number)
            if key and key in numbers:
                raise self.fail(
                    ("sections", index, "number"),
                    f"số mục '{section.number}' trùng với mục thứ {numbers[key] + 1}",
                )
            numbers.setdefault(key, index)
        return Outline(self.file, request, bodies, sections)

    def read_request(self, table: dict) -> Request:
        path = ("request",)
        self.check_keys(path, table, REQUEST_KEYS)
        request = Request(
            body=self.text_value(path, table, "body", required=True),
            parent_body=self.text_value(path, table, "parent_body"),
            number=self.text_value(path, table, "number"),
            symbol=self.text_value(path, table, "symbol"),
            date=self.date_field(path, table, "date"),
            subject=self.text_value(path, table, "subject", required=True),
            deadline=self.date_field(path, table, "deadline"),
            period_from=self.year_field(path, table, "period_from"),
            period_to=self.year_field(path, table, "period_to"),
            cutoff=self.date_field(path, table, "cutoff"),
            contact=self.text_value(path, table, "contact"),
        )
        if (request.period_from is None) != (request.period_to is None):
            missing = "period_to" if request.period_to is None else "period_from"
            raise self.fail(path, f"thiếu '{missing}': giai đoạn cần cả năm đầu và năm cuối")
        if request.period_from is not None and request.period_from > request.period_to:
            raise self.fail(
                (*path, "period_to"),
                f"năm cuối {request.period_to} trước năm đầu {request.period_from}",
            )
        if request.subject.casefold().startswith(("v/v", "về việc")):
            raise self.fail((*path, "subject"), "trích yếu viết không có 'V/v' (tongket tự thêm)")
        return request

    def read_body(self, index: int, table: Any) -> Body:
        path = ("bodies", index)
        self.expect(path, table, dict, "một bảng [[bodies]] (id, name)")
        self.check_keys(path, table, ("id", "name"))
        body_id = self.text_value(path, table, "id", required=True)
        if not _BODY_ID.match(body_id):
            raise self.fail(
                (*path, "id"),
                f"mã đơn vị '{body_id}' chỉ gồm chữ thường không dấu, số, '-' và '_' (ví dụ sct)",
            )
        return Body(body_id, self.text_value(path, table, "name", required=True))

    def read_section(self, index: int, table: Any) -> OutlineSection:
        path = ("sections", index)
        self.expect(path, table, dict, "một bảng [[sections]]")
        self.check_keys(path, table, SECTION_KEYS)
        wanted = self.expect(
            (*path, "wanted"), table.get("wanted", {}), dict, "một bảng [sections.wanted]"
        )
        stack: list[tuple[tuple, Any]] = [((*path, "wanted"), wanted)]
        while stack:  # indicator names and units are copied into every reply too
            where, value = stack.pop()
            if isinstance(value, str):
                self.check_characters(where, value)
            elif isinstance(value, dict):
                stack.extend(((*where, key), item) for key, item in value.items())
            elif isinstance(value, list):
                stack.extend(((*where, index), item) for index, item in enumerate(value))
        return OutlineSection(
            type=self.text_value(path, table, "type", required=True),
            number=self.text_value(path, table, "number"),
            heading=self.text_value(path, table, "heading"),
            guidance=self.guidance(path, table),
            wanted=wanted,
        )

    def guidance(self, path: tuple, table: dict) -> str:
        text = self.expect(
            (*path, "guidance"), table.get("guidance", ""), str, "một chuỗi văn bản"
        ).strip()
        self.check_characters((*path, "guidance"), text)
        return text


def wanted_problems(outline: Outline, host: PluginHost) -> list[Problem]:
    """The outline's sections checked by their plugins (`tongket_outline_check`): a type no
    plugin provides, or a `wanted` table the type does not accept. Each problem's path is the
    outline's own ("sections.3.wanted.indicators.1.unit") and its line is set."""
    from tongket.core.host.pluginhost import PluginFailure

    problems: list[Problem] = []
    for index, section in enumerate(outline.sections):
        path = ("sections", index)
        if section.type not in host.section_types:
            problems.append(Problem((*path, "type"), host.missing_type_message(section.type)))
            continue
        try:
            found = host.outline_check(
                section.type, copy.deepcopy(section.wanted), outline.request, section.label
            )
        except PluginFailure as failure:
            problems.append(Problem((*path, "type"), str(failure)))
            continue
        problems.extend(problem.within(*path, "wanted") for problem in found)
    if not problems:
        return problems
    try:
        locator = KeyLocator(Path(outline.file).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return problems
    return [
        Problem(problem.path, problem.message, problem.severity, locator.line(problem.path))
        for problem in problems
    ]
