"""The status of a consolidated report (báo cáo tổng hợp): who replied, who has not, whose reply
has errors or gaps, and which bodies each merged section came from.

Shown for a report with a `[consolidation]` table (written by `tongket merge`): Ctrl+T, `s` on
the outline, or "Tình hình báo cáo" in the palette. The rows are `tongket merge --status`'s,
read from the outline and the replies the table names (relative to the report), in a thread
so the screen opens at once.
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from tongket.core.host.pluginhost import PluginHost
from tongket.core.report.model import Project
from tongket.core.writers.terminal import terminal_safe

from .dialogs import Dialog
from .registry import bindings


def status_text(project: Project, folder: Path, host: PluginHost) -> str:
    """The status table, the details, then each merged section's sources, as plain lines."""
    from tongket.core.problems import ReportFileError
    from tongket.core.workflow.outline import load_outline
    from tongket.core.workflow.provenance import sources_text
    from tongket.core.workflow.replies import read_reply, status_rows, status_table

    consolidation = project.consolidation
    assert consolidation is not None
    lines: list[str] = []
    try:
        outline = load_outline(folder / consolidation.outline)
    except ReportFileError as error:
        lines.append(f"Không đọc được đề cương: {error}")
    else:
        host.load_types(section.type for section in outline.sections)  # Word replies' tables
        replies = [
            read_reply(folder / link.file, outline, folder, host) for link in consolidation.replies
        ]
        rows = status_rows(outline, replies, host)
        lines.extend(status_table(rows))
        missing = sum(1 for row in rows if row.body is not None and not row.replied)
        lines.append(f"\n{len(rows) - missing}/{len(rows)} đơn vị đã gửi; {missing} chưa gửi.")
        details = [f"{row.name}: {message}" for row in rows for message in [*row.errors, *row.gaps]]
        if details:
            lines.extend(["", "Lỗi và chỗ thiếu:", *details])
    lines.extend(["", "Nguồn số liệu theo mục:"])
    for section in project.sections:
        if section.provenance is not None and section.number:
            named = sources_text(section.provenance.sources) or "chưa đơn vị nào gửi"
            lines.append(f"{section.label}: {named}")
    return terminal_safe("\n".join(lines))


class MergeStatusScreen(Dialog):
    """The consolidated report's status (see the module's docstring)."""

    BINDINGS = bindings("plugins")  # the same keys as the other read-only list: Esc, q
    help_area = "plugins"
    HELP = (
        "Tình hình báo cáo: mỗi đơn vị trong đề cương với tệp báo cáo đã gửi (hoặc CHƯA GỬI), "
        "số lỗi và số chỗ thiếu so với đề cương, như lệnh `tongket merge --status`; sau đó là "
        "nguồn số liệu của từng mục đã tổng hợp. ↑/↓ để cuộn; Esc để đóng."
    )

    def __init__(self, project: Project, folder: Path, host: PluginHost) -> None:
        super().__init__()
        self.project = project
        self.folder = folder
        self.host = host
        self.plain = "Đang đọc các báo cáo…"  # what tests and readers get

    def compose(self) -> ComposeResult:
        with Vertical(classes="box help"):
            yield Label("Tình hình báo cáo tổng hợp", classes="dialog-title")
            with VerticalScroll(id="status-body"):
                yield Static(self.plain, id="status-list", markup=False)
            yield Static("Esc: đóng · ↑/↓ cuộn", classes="dialog-keys")

    def on_mount(self) -> None:
        # (Dialog's own on_mount runs too: Textual calls the handler of every class.)
        self.query_one("#status-body").focus()
        self.load_status()

    @work(thread=True, exclusive=True)
    def load_status(self) -> None:
        text = status_text(self.project, self.folder, self.host)
        self.app.call_from_thread(self.show_status, text)

    def show_status(self, text: str) -> None:
        self.plain = text
        self.query_one("#status-list", Static).update(text)
