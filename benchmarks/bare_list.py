"""The yardstick for bench_tui.py: a bare Textual app showing a list of outline labels.

    python benchmarks/bare_list.py LABELS.json [--text]

It shows an `OptionList` of the labels in a 30-column left pane (as tongket's outline) beside
a `TextArea`, with a header and a footer; `--text` focuses the TextArea instead of the list.
The labels are read from a JSON list (bench_tui.py writes tongket's own outline labels), so
both apps draw the same text; reading them costs far less than tongket reading its TOML.
"""

from __future__ import annotations

import json
import sys

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Footer, Header, OptionList, TextArea


class BareList(App):
    """A list and a text area, nothing else."""

    CSS = """
    OptionList { width: 30; height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    TextArea { width: 1fr; height: 1fr; }
    """

    def __init__(self, labels: list[str], focus_text: bool) -> None:
        super().__init__()
        self.labels = labels
        self.focus_text = focus_text

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield OptionList(*self.labels, markup=False)
            yield TextArea("Sở Công Thương nhận được công văn.")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TextArea if self.focus_text else OptionList).focus()


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as source:
        BareList(json.load(source), "--text" in sys.argv[2:]).run()
