"""The preview's tables: true-minus numbers never wrap; a total row is bold and ruled off."""

from __future__ import annotations

from rich.console import Console

from tongket.core.render.blocks import Table
from tongket.tui.preview_table import PreviewTable, column_widths

TABLE = Table(
    header=("Năm", "Thay đổi so với năm trước (%)", "Giá trị"),
    rows=(("2019", "−12.345,6", "10"), ("2020", "7,7", "20"), ("Tổng cộng", "–", "30")),
    total_rows=(-1,),
)


def test_a_true_minus_is_a_number_so_it_never_wraps():
    layout = column_widths(TABLE, 20)
    assert layout.widths[1] >= len("−12.345,6")


def test_the_total_row_is_bold_and_ruled_off():
    console = Console(width=60, record=True, color_system="truecolor")
    console.print(PreviewTable(TABLE))
    lines = console.export_text().splitlines()
    total = next(i for i, line in enumerate(lines) if "Tổng cộng" in line)
    assert set(lines[total - 1].strip()) <= set("─━╴╶ ┼╋╇╈┿╂") and lines[total - 1].strip()
    segments = list(console.render(PreviewTable(TABLE)))
    bold = {s.text.strip() for s in segments if s.style and s.style.bold and s.text.strip()}
    assert "Tổng cộng" in bold and "30" in bold
    assert "2019" not in bold
