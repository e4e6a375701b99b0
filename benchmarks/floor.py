"""The floor: the benchmark report's blocks written to .docx as directly as python-docx allows.

No letterhead, no sanitising, no plugins: read the TOML with tomllib, copy prepared elements
(a heading, a body paragraph, a table row) and insert each before a fixed anchor (the body's
section properties), never calling `table.cell()` and never searching the body per insertion.
`tongket export` should stay within 2× of this whole-process time.

    python benchmarks/floor.py report-1000.toml out.docx [--naive]

`--naive` instead writes with python-docx's everyday API (`add_heading`, `add_paragraph`,
`add_table`, `table.cell(r, c).text`): quadratic, about a minute for 1.000 sections.
"""

from __future__ import annotations

import argparse
import copy
import time
import tomllib
from pathlib import Path

import docx
from docx.oxml.ns import qn


def _set_text(element, text: str) -> None:
    element.find(f".//{qn('w:t')}").text = text


def write_direct(sections: list[dict], target: Path) -> float:
    """Write with prepared elements before a fixed anchor; returns the build time in seconds."""
    document = docx.Document()
    body = document.element.body
    heading = document.add_heading("x", level=2)._p
    paragraph = document.add_paragraph("x")._p
    table = document.add_table(rows=2, cols=5, style="Table Grid")
    for cell in table.rows[0].cells + table.rows[1].cells:
        cell.text = "x"
    table_element = table._tbl
    row_template = table_element.findall(qn("w:tr"))[1]
    for prepared in (heading, paragraph, table_element):
        body.remove(prepared)
    for row in table_element.findall(qn("w:tr"))[1:]:
        table_element.remove(row)
    anchor = body.find(qn("w:sectPr"))
    started = time.perf_counter()
    for section in sections:
        element = copy.deepcopy(heading)
        _set_text(element, f"{section['number']} {section['heading']}")
        anchor.addprevious(element)
        for text in section["data"]["paragraphs"]:
            element = copy.deepcopy(paragraph)
            _set_text(element, text)
            anchor.addprevious(element)
        new_table = copy.deepcopy(table_element)
        for cell_text, t in zip(section["data"]["header"], new_table.iter(qn("w:t")), strict=False):
            t.text = cell_text
        for values in section["data"]["rows"]:
            row = copy.deepcopy(row_template)
            for cell_text, t in zip(values, row.iter(qn("w:t")), strict=True):
                t.text = cell_text
            new_table.append(row)
        anchor.addprevious(new_table)
    build = time.perf_counter() - started
    document.save(str(target))
    return build


def write_naive(sections: list[dict], target: Path) -> float:
    """Write with the everyday python-docx API; returns the build time in seconds."""
    document = docx.Document()
    started = time.perf_counter()
    for section in sections:
        document.add_heading(f"{section['number']} {section['heading']}", level=2)
        for text in section["data"]["paragraphs"]:
            document.add_paragraph(text)
        rows = section["data"]["rows"]
        table = document.add_table(rows=len(rows) + 1, cols=5, style="Table Grid")
        for column, text in enumerate(section["data"]["header"]):
            table.cell(0, column).text = text
        for row_index, values in enumerate(rows, start=1):
            for column, text in enumerate(values):
                table.cell(row_index, column).text = text
    build = time.perf_counter() - started
    document.save(str(target))
    return build


if __name__ == "__main__":
    started = time.perf_counter()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--naive", action="store_true")
    options = parser.parse_args()
    report = tomllib.loads(options.report.read_text(encoding="utf-8"))
    writer = write_naive if options.naive else write_direct
    build = writer(report["sections"], options.output)
    print(f"build {build:.3f} s, total in process {time.perf_counter() - started:.3f} s")
