"""The workbook embedded with a chart: its figures as a small, deterministic .xlsx.

A chart part in a Word file caches its figures, but "Edit Data" (Word) and editing the chart
(LibreOffice) open the workbook linked to it. This writes the smallest workbook both accept:
one sheet ("Sheet1") with the series names in row 1 and one category a row (text in column A,
the values to its right, formatted with the chart's number format), a style sheet, and the
package's content types and relationships, zipped by `docx_package` with fixed times and
order. Text cells are inline strings (no shared-string table to keep in step).
"""

from __future__ import annotations

import io

from tongket.core.render.charts import Chart
from tongket.core.writers.docx_package import write_package
from tongket.core.writers.docx_xml import NAMESPACES, text

__all__ = [
    "SHEET",
    "XML_HEAD",
    "cell_number",
    "column_letters",
    "relationships_xml",
    "workbook_xlsx",
]

SHEET = "Sheet1"
FONT = "Times New Roman"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_OFFICE_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_SPREADSHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def cell_number(value: float) -> str:
    """A number as a cell or a chart cache holds it (xsd:double): 1409, 7.68."""
    # xsd:double as Excel writes it: 1409, not 1409.0; repr round-trips any other float.
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def column_letters(index: int) -> str:
    """Spreadsheet column letters: 0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def relationships_xml(*entries: tuple[str, str, str]) -> bytes:
    """A relationships part from (id, type, target) entries."""
    rows = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>'
        for rid, kind, target in entries
    )
    return (
        f'{XML_HEAD}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">{rows}</Relationships>'.encode()
    )


_WORKBOOK_TYPES = (
    f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/></Types>'
).encode()


def _styles(code: str) -> bytes:
    # The smallest style sheet Excel accepts (two fills are required), plus the figures' format.
    return (
        f'{XML_HEAD}<styleSheet xmlns="{_SPREADSHEET}">'
        f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{text(code)}"/></numFmts>'
        f'<fonts count="1"><font><sz val="12"/><name val="{FONT}"/><family val="1"/></font>'
        '</fonts><fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '</cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"'
        ' xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0"'
        ' applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ).encode()


def _text_cell(reference: str, value: str) -> str:
    return (
        f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{text(value)}</t></is></c>'
    )


def _sheet(chart: Chart) -> bytes:
    """The figures as a sheet: series names in row 1, a category and its values per row."""
    last_column = column_letters(len(chart.series))
    rows = [
        '<row r="1">'
        + "".join(
            _text_cell(f"{column_letters(index + 1)}1", series.name)
            for index, series in enumerate(chart.series)
        )
        + "</row>"
    ]
    for position, category in enumerate(chart.categories):
        row = position + 2
        cells = [_text_cell(f"A{row}", category)]
        for index, series in enumerate(chart.series):
            value = series.values[position]
            if value is not None:  # a missing year stays an empty cell
                cells.append(
                    f'<c r="{column_letters(index + 1)}{row}" s="1"><v>{cell_number(value)}</v></c>'
                )
        rows.append(f'<row r="{row}">{"".join(cells)}</row>')
    last_row = len(chart.categories) + 1
    return (
        f'{XML_HEAD}<worksheet xmlns="{_SPREADSHEET}" xmlns:r="{NAMESPACES["r"]}">'
        f'<dimension ref="A1:{last_column}{last_row}"/>'
        '<cols><col min="1" max="1" width="10" customWidth="1"/>'
        f'<col min="2" max="{len(chart.series) + 1}" width="24" customWidth="1"/></cols>'
        f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    ).encode()


def workbook_xlsx(chart: Chart, format_code: str) -> bytes:
    """The chart's figures as an .xlsx (one sheet, "Sheet1"), values in `format_code`, with
    fixed bytes."""
    workbook = (
        f'{XML_HEAD}<workbook xmlns="{_SPREADSHEET}" xmlns:r="{NAMESPACES["r"]}"><sheets>'
        f'<sheet name="{SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ).encode()
    parts = {
        "[Content_Types].xml": _WORKBOOK_TYPES,
        "_rels/.rels": relationships_xml(
            ("rId1", f"{_OFFICE_RELATIONSHIPS}/officeDocument", "xl/workbook.xml")
        ),
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": relationships_xml(
            ("rId1", f"{_OFFICE_RELATIONSHIPS}/worksheet", "worksheets/sheet1.xml"),
            ("rId2", f"{_OFFICE_RELATIONSHIPS}/styles", "styles.xml"),
        ),
        "xl/styles.xml": _styles(format_code),
        "xl/worksheets/sheet1.xml": _sheet(chart),
    }
    buffer = io.BytesIO()
    write_package(buffer, parts, {})
    return buffer.getvalue()
