"""The export bar: runs an export in a worker thread and shows its steps under the panes.

The main screen decides whether to export (errors, unsaved changes: `MainScreen.action_export`)
and hands the bar a copy of the report; the bar renders, writes the DOCX (and the PDF), shows
each step and says how it ended. It is hidden while no export runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static
from textual.worker import Worker, WorkerState


class ExportBar(Horizontal):
    """A label and a progress bar, shown while an export runs."""

    _target: Path | None = None  # the file being exported to

    def compose(self) -> ComposeResult:
        yield Static("", id="export-label")
        yield ProgressBar(total=3, show_eta=False, id="export-progress")

    def start(self, project: Any, target: Path, *, pdf: bool, report: Path | None) -> None:
        """Export `project` (a copy the drafter cannot change meanwhile) to `target`, and to
        the PDF beside it when `pdf`; new files are shared as the `report` file is."""
        self.display = True
        self._target = target
        self.query_one(ProgressBar).update(total=3 if pdf else 2, progress=0)
        self.query_one("#export-label", Static).update(Text(f"Đang xuất {target.name} …"))
        self._export(project, target, pdf, report)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, project: Any, target: Path, pdf: bool, report: Path | None) -> Path:
        from tongket.core.render.document import render_document

        app, step = self.app, self._step
        rendered = render_document(project, app.host)  # type: ignore[attr-defined]
        app.call_from_thread(step, 1, f"Đang ghi {target.name} …")
        from tongket.core.writers.docx_writer import export_docx  # python-docx loads only now

        export_docx(rendered, target, report=report)
        if not pdf:
            app.call_from_thread(step, 2, "")
            return target
        pdf_target = target.with_suffix(".pdf")
        app.call_from_thread(step, 2, f"Đang chuyển sang PDF {pdf_target.name} …")
        from tongket.core.writers.pdf import PdfMetadata, convert_to_pdf

        convert_to_pdf(target, pdf_target, metadata=PdfMetadata.for_document(project.document))
        app.call_from_thread(step, 3, "")
        return pdf_target

    def _step(self, done: int, label: str) -> None:
        self.query_one(ProgressBar).update(progress=done)
        if label:
            self.query_one("#export-label", Static).update(Text(label))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "export":
            return
        if event.state == WorkerState.SUCCESS:
            self.display = False
            self.app.notify(f"Đã xuất {event.worker.result}", timeout=8)
        elif event.state == WorkerState.ERROR:
            self.display = False
            error = event.worker.error
            if isinstance(error, OSError):
                # Not "[Errno 22] …": why, in Vietnamese, naming the file the drafter asked
                # for rather than the temporary file written beside it.
                from tongket.core.oserrors import os_reason

                error = os_reason(error, self._target)
            self.app.notify(f"Xuất không thành: {error}", severity="error", timeout=12)
