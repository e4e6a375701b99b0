"""The contract a section type keeps, checked the way tongket itself will use it.

`check_section_type(plugin)` registers the plugin in a fresh host (next to the built-ins, so an
id clash shows), then for each section type it contributes: the defaults validate; the defaults
and the author's edge data render to well-formed blocks; the data survives a save and load
through `tongket.core.report.store`; older data migrates; and a report using the type exports to a
DOCX file that python-docx opens again. Every failure is collected, then raised together as one
`ContractError` that names the check, the data and the plugin's own message.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import io
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tongket.core.host.pluginhost import PluginFailure, PluginHost
from tongket.core.host.pluginhost import plugin_name as default_plugin_name
from tongket.core.host.sectiontypes import SectionType, repeated_field_names
from tongket.core.render.blocks import (
    Block,
    BlockDispatch,
    BulletList,
    Chart,
    ErrorBlock,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Table,
)
from tongket.core.render.citations import CitationBook
from tongket.core.render.context import RenderContext
from tongket.core.render.document import render_document, section_context
from tongket.core.report import store
from tongket.core.report.model import Particulars, Project, Section, Signer

if TYPE_CHECKING:
    from tongket.core.workflow.outline import Request


class ContractError(AssertionError):
    """A section type broke its contract; the message lists every failed check."""


@dataclass
class CheckResult:
    """One check: its name, whether it passed (None: skipped), and what was found."""

    name: str
    passed: bool | None
    detail: str = ""


@dataclass
class ContractReport:
    """Every check run on one plugin, in order."""

    plugin: str
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def failures(self) -> list[CheckResult]:
        return [check for check in self.checks if check.passed is False]

    @property
    def skipped(self) -> list[CheckResult]:
        return [check for check in self.checks if check.passed is None]

    def summary(self) -> str:
        """One line per check: ✓ passed, ✗ failed, – skipped."""
        marks = {True: "✓", False: "✗", None: "–"}
        return "\n".join(
            f"{marks[check.passed]} {check.name}" + (f": {check.detail}" if check.detail else "")
            for check in self.checks
        )


def example_particulars() -> Particulars:
    """Complete, valid particulars for a throwaway report (a dispatch from a provincial Sở)."""
    return Particulars(
        kind="cong-van",
        parent_agency="UBND TỈNH QUẢNG NGÃI",
        agency="SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
        symbol="SKHĐT-VP",
        place="Quảng Ngãi",
        date=dt.date(2024, 1, 15),
        subject="báo cáo kết quả thực hiện năm 2023",
        recipients=["Ủy ban nhân dân tỉnh"],
        closing="Sở Kế hoạch và Đầu tư kính báo cáo./.",
        signer=Signer(head_title="GIÁM ĐỐC", name="Nguyễn Văn A"),
        distribution=["Như trên", "Lưu: VT, VP"],
    )


def example_request(
    period_from: int | None = 2022,
    period_to: int | None = 2023,
    *,
    cutoff: dt.date | None = None,
) -> Request:
    """An outline's request letter for outline-hook tests: `request.years` is the period."""
    from tongket.core.workflow.outline import Request

    return Request(
        body="Sở Ngoại vụ",
        parent_body="UBND TỈNH QUẢNG NGÃI",
        number="1",
        symbol="SNgV-HTQT",
        date=dt.date(2024, 1, 5),
        subject="báo cáo kết quả hội nhập kinh tế quốc tế",
        deadline=None,
        period_from=period_from,
        period_to=period_to,
        cutoff=cutoff,
        contact="",
    )


def report_with(type_id: str, *datas: dict[str, Any], heading: str = "") -> Project:
    """A valid report holding one section of `type_id` per data table, numbered 1., 2., …"""
    sections = [
        Section(type_id, number=f"{index}.", heading=heading, data=copy.deepcopy(data))
        for index, data in enumerate(datas or ({},), start=1)
    ]
    return Project(document=example_particulars(), sections=sections)


@contextmanager
def registered_plugin(
    plugin: object, name: str | None = None, host: PluginHost | None = None
) -> Iterator[PluginHost]:
    """Register `plugin` (a module or object with hooks) for the `with` block, then remove it.

    Without a `host`, a fresh one with the built-ins is made. A plugin that is already
    registered there (a built-in under test) is used as it is and left in place.
    """
    host = host if host is not None else PluginHost.builtins()
    if host.manager.is_registered(plugin):
        yield host
        return
    info = host.add_plugin(plugin, name)
    try:
        yield host
    finally:
        host.remove_plugin(info.name)


def check_section_type(
    plugin: object,
    type_id: str | None = None,
    *,
    edge_cases: Iterable[dict[str, Any]] = (),
    older_data: Mapping[int, dict[str, Any]] | None = None,
    name: str | None = None,
    docx: bool = True,
) -> ContractReport:
    """Check a plugin's section type(s) against tongket's contract; raise `ContractError` if broken.

    `type_id` limits the check to one of the plugin's types; `edge_cases` are extra data tables
    that must validate without crashing and, when they validate, render; `older_data` maps an
    old version to data written by it, which must migrate to data that renders. `docx=False`
    skips the export check (it is also skipped while no DOCX writer is installed).
    """
    plugin_name = name or default_plugin_name(plugin)
    report = ContractReport(plugin_name)
    with registered_plugin(plugin, plugin_name) as host:
        owner = _owner_name(host, plugin)
        info = host.plugins.get(owner)
        types = [t for t, o in host.owners.items() if o == owner and type_id in (None, t)]
        problem = _registration_problem(info, types, type_id)
        report.checks.append(CheckResult("đăng ký loại mục", problem is None, problem or ""))
        if problem is None:
            for registered in types:
                checker = _TypeChecker(host, host.section_types[registered], report)
                checker.run(list(edge_cases), dict(older_data or {}), docx)
    if report.failures:
        lines = [f"plugin {plugin_name}: {len(report.failures)} kiểm tra không đạt", ""]
        lines.append(report.summary())
        raise ContractError("\n".join(lines))
    return report


def _owner_name(host: PluginHost, plugin: object) -> str:
    return host.manager.get_name(plugin) or default_plugin_name(plugin)


def _registration_problem(info: Any, types: list[str], type_id: str | None) -> str | None:
    if info is None:
        return "plugin không được đăng ký"
    if info.error:
        return info.error
    if not types:
        wanted = f"loại mục '{type_id}'" if type_id else "loại mục nào"
        return f"tongket_section_types không đăng ký {wanted}"
    return None


class _TypeChecker:
    """The checks for one registered section type."""

    def __init__(self, host: PluginHost, section_type: SectionType, report: ContractReport):
        self.host = host
        self.type = section_type
        self.report = report
        self.rendered = False

    def record(self, name: str, problem: str | None, skipped: bool = False) -> None:
        label = f"{self.type.id}: {name}"
        passed = None if skipped else problem is None
        self.report.checks.append(CheckResult(label, passed, problem or ""))

    def run(self, edge_cases: list[dict], older_data: dict[int, dict], docx: bool) -> None:
        self.record("mô tả loại mục", self.description_problem())
        defaults = self.type.new_data()
        rendered_ok = []
        problem = self.validate_and_render(defaults, must_validate=True)
        self.record("dữ liệu mặc định hợp lệ và hiển thị được", problem)
        if problem is None:
            rendered_ok.append(defaults)
        # `{}` is what a drafter gets by deleting the section's table: it may be invalid, but
        # checking it must not crash.
        for index, data in enumerate([{}, *edge_cases]):
            label = "dữ liệu trống {}" if index == 0 else f"dữ liệu biên #{index}"
            outcome = self.validate_and_render(copy.deepcopy(data), must_validate=False)
            self.record(f"{label} được kiểm tra và hiển thị an toàn", outcome)
            if outcome is None and index > 0 and self.rendered:
                rendered_ok.append(data)
        round_trip = self.round_trip_problem(rendered_ok)
        self.record("lưu rồi đọc lại TOML giữ nguyên dữ liệu", round_trip)
        for version, data in sorted(older_data.items()):
            migrated = self.migrate_problem(version, data)
            self.record(f"nâng cấp dữ liệu phiên bản {version}", migrated)
        if not docx:
            self.record("xuất DOCX", "bỏ qua theo yêu cầu (docx=False)", skipped=True)
        elif importlib.util.find_spec("tongket.core.writers.docx_writer") is None:
            self.record("xuất DOCX", "chưa có tongket.core.writers.docx_writer", skipped=True)
        else:
            self.record("xuất DOCX mở lại được", self.docx_problem(rendered_ok or [defaults]))

    def description_problem(self) -> str | None:
        section_type = self.type
        if not section_type.id or section_type.id != section_type.id.strip():
            return "id rỗng hoặc có khoảng trắng ở đầu/cuối"
        if not section_type.title.strip():
            return "thiếu tiêu đề (title) tiếng Việt"
        if not isinstance(section_type.version, int) or section_type.version < 1:
            return f"version cần là số nguyên từ 1, gặp {section_type.version!r}"
        if not isinstance(section_type.default_data, dict):
            return "default_data cần là một bảng (dict)"
        repeated = repeated_field_names(section_type.fields)
        if repeated:
            return f"tên trường bị lặp: {', '.join(repeated)}"
        described = {spec.name for spec in section_type.fields}
        undescribed = sorted(key for key in section_type.default_data if key not in described)
        if undescribed:
            # The drafting app builds its form from `fields`: such a key is never shown.
            return (
                f"default_data có khóa không thuộc trường nào trong fields: "
                f"{', '.join(map(str, undescribed))}"
            )
        return None

    def context(self, data: dict) -> RenderContext:
        project = report_with(self.type.id, data)
        citations = CitationBook(project.citations)
        return section_context(project, project.sections[0], citations)

    def validate_and_render(self, data: dict, *, must_validate: bool) -> str | None:
        """What is wrong with validating and rendering `data`; `self.rendered` says if it did."""
        self.rendered = False
        context = self.context(data)
        try:
            problems = self.host.validate(self.type.id, data, context)
            errors = [problem for problem in problems if problem.severity == "error"]
            if errors:
                if must_validate:
                    return "; ".join(f"{p.where or '(gốc)'}: {p.message}" for p in errors)
                return None  # invalid edge data is fine, as long as it is reported, not raised
            blocks = self.host.render(self.type.id, data, context)
        except PluginFailure as failure:
            return str(failure)
        self.rendered = True
        return _text_problem(blocks)

    def round_trip_problem(self, datas: list[dict]) -> str | None:
        for index, data in enumerate(datas):
            project = report_with(self.type.id, data)
            try:
                loaded = store.loads(store.dumps(project))
            except Exception as error:  # tomli-w refuses None, sets, objects …
                return f"bộ dữ liệu #{index + 1}: không ghi được ra TOML: {error}"
            difference = _difference(store.normalize_text(data), loaded.sections[0].data)
            if difference:
                return f"bộ dữ liệu #{index + 1}: {difference}"
        return None

    def migrate_problem(self, version: int, data: dict) -> str | None:
        if version >= self.type.version:
            return f"phiên bản {version} không cũ hơn phiên bản hiện tại {self.type.version}"
        project = report_with(self.type.id, data)
        project.sections[0].version = version
        rendered = render_document(project, self.host)
        messages = [str(failure) for failure in rendered.failures]
        messages += [f"{p.where}: {p.message}" for p in rendered.errors]
        if messages:
            return "; ".join(messages)
        if project.sections[0].version != self.type.version:
            return "sau khi nâng cấp, mục không ghi nhận phiên bản hiện tại"
        return None

    def docx_problem(self, datas: list[dict]) -> str | None:
        import docx as python_docx

        from tongket.core.writers.docx_writer import build_docx

        project = report_with(self.type.id, *datas, heading=self.type.title)
        rendered = render_document(project, self.host)
        if rendered.failures:
            return "; ".join(str(failure) for failure in rendered.failures)
        try:
            opened = python_docx.Document(io.BytesIO(build_docx(rendered)))
        except Exception as error:
            return f"{type(error).__name__}: {error}"
        text = "\n".join(paragraph.text for paragraph in opened.paragraphs)
        if self.type.title not in text:
            return f"tệp DOCX không có tiêu đề mục '{self.type.title}'"
        return None


def _table_strings(table: Table) -> Iterator[str]:
    yield from (table.caption, table.note, *table.header)
    yield from (cell for row in table.rows for cell in row)


#: The text a block prints that a plugin wrote, for the NFC check. An error block's text is the
#: host's own wording (and the plugin's exception message), not the plugin's output.
_STRINGS: BlockDispatch[Iterable[str]] = BlockDispatch(
    "tongket.testing.contract._text_problem",
    {
        Heading: lambda heading: (heading.text,),
        Paragraph: lambda paragraph: (run.text for run in paragraph.runs),
        BulletList: lambda bullets: (run.text for item in bullets.items for run in item),
        Table: _table_strings,
        Image: lambda image: (image.caption,),
        Chart: lambda chart: (
            chart.title,
            chart.unit,
            chart.caption,
            *chart.categories,
            *(series.name for series in chart.series),
        ),
        PageBreak: lambda page_break: (),
        ErrorBlock: lambda error: (),
    },
)


def _text_problem(blocks: list[Block]) -> str | None:
    # Vietnamese typed in NFD looks right on screen but breaks search and sorting in Word.
    for index, block in enumerate(blocks, start=1):
        for text in _STRINGS[type(block)](block):
            if unicodedata.normalize("NFC", text) != text:
                return f"khối {index}: văn bản chưa chuẩn hóa NFC: {text[:40]!r}"
    return None


def _difference(before: Any, after: Any, path: str = "") -> str | None:
    where = path or "(gốc)"
    if isinstance(before, dict) and isinstance(after, dict):
        for key in before.keys() | after.keys():
            if key not in after:
                return f"{path}{key}: mất khi lưu TOML (giá trị {before[key]!r})"
            if key not in before:
                return f"{path}{key}: xuất hiện sau khi đọc lại"
            found = _difference(before[key], after[key], f"{path}{key}.")
            if found:
                return found
        return None
    if isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            return f"{where}: {len(before)} phần tử thành {len(after)}"
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            found = _difference(old, new, f"{path}{index + 1}.")
            if found:
                return found
        return None
    if before != after or type(before) is not type(after):
        return f"{where.rstrip('.')}: {before!r} thành {after!r} sau khi lưu TOML"
    return None
