"""The NĐ30/2020/NĐ-CP Word file: letterhead, Kính gửi, body blocks, signature, phụ lục.

`build_docx` turns a `RenderedDocument` into the bytes of a .docx file; the same input always
gives the same bytes. The page is A4 portrait with margins 20/20/30/15 mm, Times New Roman
throughout, sizes from the "14-pair" profile (Quốc hiệu 13, Tiêu ngữ 14, date 14, body 14).
Fixed wording comes from `letterhead`; the body and phụ lục come from the blocks.

The body is written as XML strings (see `docx_xml`) and spliced as bytes into the
serialised `document.xml` (see `docx_package.splice_body`): neither python-docx nor lxml ever
parses it, so export time grows linearly with the document, one big table included.

Pictures are read through `images.ImageFolders` (regular image files in the report's folder,
of bounded size); a picture that cannot be embedded prints as an error paragraph in its place.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator

import docx
from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.shared import Cm, Twips
from lxml import etree

from . import docx_styles as styles
from .blocks import (
    Appendix,
    Block,
    BulletList,
    ErrorBlock,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Run,
    Table,
)
from .document import RenderedDocument
from .docx_letterhead import (
    HEADER_DISTANCE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TEXT_WIDTH,
    fmt,
    letterhead,
    recipients,
    report_title,
    signature,
)
from .docx_package import prune_template, set_core_properties, splice_body, stable_zip
from .docx_xml import (
    NSDECLS,
    ParagraphFormat,
    RunFormat,
    cell,
    column_widths,
    page_break,
    page_field,
    paragraph,
    row,
    table_open,
    text_cell_frame,
    text_paragraph,
)
from .docx_xml import run as run_xml
from .images import ImageFolders, ImageRefused
from .letterhead import appendix_reference_line, subject_line
from .model import Particulars
from .store import atomic_write

__all__ = ["DocxExportError", "build_docx", "export_docx"]

TABLE_CELL_MARGIN = 85

_STYLE_OF_PARAGRAPH = {"body": styles.BODY.id, "note": styles.NOTE.id, "center": styles.CENTER.id}


class DocxExportError(Exception):
    """The document cannot be written (e.g. an unknown block type); the message says why."""


def build_docx(rendered: RenderedDocument, *, images: ImageFolders | None = None) -> bytes:
    """The complete .docx file for a rendered report, byte-identical for identical input.

    images: where pictures may be read from; by default the current folder (a caller with a
    report file passes `ImageFolders.for_report(report)`).
    """
    document = docx.Document()
    prune_template(document)
    styles.setup_styles(document)
    header_ids = _page_headers(document)
    writer = _BodyWriter(document, header_ids, images or ImageFolders.for_report(None))
    # Before saving: pictures in the body add their parts to the package as they are written.
    document_xml = splice_body(document, writer.body_parts(rendered))
    particulars = rendered.project.document
    set_core_properties(
        document,
        title=subject_line(particulars),
        author=particulars.agency,
        day=particulars.date,
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue(), {document.part.partname.lstrip("/"): document_xml})


def export_docx(
    rendered: RenderedDocument,
    path: str | os.PathLike[str],
    *,
    images: ImageFolders | None = None,
) -> None:
    """Write the .docx atomically: an existing file stays whole if anything fails.

    images: where pictures may be read from; by default the folder the document is written to
    (the app writes FILE.docx next to FILE.toml, so that is the report's folder).
    """
    atomic_write(path, build_docx(rendered, images=images or ImageFolders.for_report(path)))


def _page_headers(document: Document) -> dict[str, str]:
    # The page number sits centred in the top margin; page 1 shows none (its own empty header).
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.header.is_linked_to_previous = False
    section.first_page_header.is_linked_to_previous = False
    for header, content in (
        (section.header, page_field(14, styles.HEADER)),
        (section.first_page_header, paragraph(ParagraphFormat(style=styles.HEADER))),
    ):
        root = header.part.element
        for child in list(root):
            root.remove(child)
        root.extend(_parse_fragment(content))
    references = section._sectPr.findall(qn("w:headerReference"))
    return {ref.get(qn("w:type")): ref.get(qn("r:id")) for ref in references}


def _parse_fragment(xml: str) -> list[etree._Element]:
    return list(parse_xml(f"<w:body {NSDECLS}>{xml}</w:body>"))


def _separate_tables(parts: Iterable[str]) -> Iterator[str]:
    # Word merges two tables with nothing between them into one; keep a small gap paragraph.
    previous = ""
    for part in parts:
        if not part:
            continue
        if previous.endswith("</w:tbl>") and part.startswith("<w:tbl>"):
            yield paragraph(fmt(styles.RULE, before=120))
        yield part
        previous = part


def _run_format(item: Run) -> RunFormat:
    return RunFormat(bold=True if item.bold else None, italic=True if item.italic else None)


def _runs(items: tuple[Run, ...], prefix: str = "") -> str:
    return (run_xml(prefix) if prefix else "") + "".join(
        run_xml(item.text, _run_format(item)) for item in items if item.text
    )


class _BodyWriter:
    """Builds the XML of the document body; keeps the picture counter and header ids."""

    def __init__(
        self, document: Document, header_ids: dict[str, str], images: ImageFolders
    ) -> None:
        self.document = document
        self.header_ids = header_ids
        self.images = images
        self.picture_count = 0

    def section_xml(self, *, restart: bool) -> str:
        """A <w:sectPr>: A4, NĐ30 margins, page numbers in the header, none on the first page."""
        references = "".join(
            f'<w:headerReference w:type="{kind}" r:id="{rid}"/>'
            for kind, rid in sorted(self.header_ids.items())
        )
        numbering = '<w:pgNumType w:start="1"/>' if restart else ""
        return (
            f"<w:sectPr>{references}"
            f'<w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'
            f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}"'
            f' w:left="{MARGIN_LEFT}" w:header="{HEADER_DISTANCE}" w:footer="{HEADER_DISTANCE}"'
            ' w:gutter="0"/>'
            f'{numbering}<w:cols w:space="720"/><w:titlePg/><w:docGrid w:linePitch="360"/>'
            "</w:sectPr>"
        )

    def body_parts(self, rendered: RenderedDocument) -> Iterator[str]:
        """The content of <w:body> in reading order, block by block, ending with its sectPr.

        A generator, so the whole body never sits in memory as one string.
        """
        return _separate_tables(self._parts(rendered))

    def _parts(self, rendered: RenderedDocument) -> Iterator[str]:
        particulars = rendered.project.document
        yield letterhead(particulars)
        if particulars.kind == "bao-cao":
            yield report_title(particulars)
        yield recipients(particulars)
        for block in rendered.body:
            yield self.block(block)
        if particulars.closing:
            yield text_paragraph(particulars.closing, fmt(styles.BODY))
        yield signature(particulars)
        for index, appendix in enumerate(rendered.appendices):
            # A section ends with the paragraph holding its properties: the main text's
            # section first, then each phụ lục but the last (the body's final sectPr).
            restart = index > 0
            yield paragraph(fmt(styles.RULE), section=self.section_xml(restart=restart))
            yield from self.appendix(appendix, particulars)
        yield self.section_xml(restart=bool(rendered.appendices))

    def appendix(self, appendix: Appendix, particulars: Particulars) -> Iterator[str]:
        """A phụ lục: its label, title in capitals, the reference line, then its blocks."""
        yield text_paragraph(appendix.label, fmt(styles.APPENDIX_LABEL))
        yield text_paragraph(appendix.title.upper(), fmt(styles.APPENDIX_TITLE))
        yield text_paragraph(appendix_reference_line(particulars), fmt(styles.APPENDIX_REFERENCE))
        for block in appendix.blocks:
            yield self.block(block)

    def block(self, block: Block) -> str:
        """One body block as XML."""
        if isinstance(block, Heading):
            style = f"Heading{min(max(block.level, 1), 4)}"
            return paragraph(ParagraphFormat(style=style), run_xml(block.line))
        if isinstance(block, Paragraph):
            style = _STYLE_OF_PARAGRAPH.get(block.style, styles.BODY.id)
            return paragraph(ParagraphFormat(style=style), _runs(block.runs))
        if isinstance(block, BulletList):
            return "".join(
                paragraph(fmt(styles.LIST), _runs(item, f"{number}. " if block.ordered else "- "))
                for number, item in enumerate(block.items, start=1)
            )
        if isinstance(block, Table):
            return data_table(block)
        if isinstance(block, Image):
            return self.picture(block)
        if isinstance(block, PageBreak):
            return page_break()
        if isinstance(block, ErrorBlock):
            return text_paragraph(block.text, fmt(styles.ERROR))
        raise DocxExportError(f"khối nội dung không được hỗ trợ: {type(block).__name__}")

    def picture(self, image: Image) -> str:
        """An inline picture, centred, with its caption underneath; an error line if refused."""
        try:
            blob = self.images.read(image.path)
        except ImageRefused as refused:
            return text_paragraph(f"[LỖI hình {image.path}: {refused}]", fmt(styles.ERROR))
        rid, picture = self.document.part.get_or_add_image(io.BytesIO(blob))
        self.picture_count += 1
        width = min(Cm(image.width_cm), Twips(TEXT_WIDTH))
        cx, cy = picture.scaled_dimensions(width, None)
        inline = CT_Inline.new_pic_inline(self.picture_count, rid, picture.filename, cx, cy)
        drawing = f"<w:r><w:drawing>{etree.tostring(inline, encoding='unicode')}</w:drawing></w:r>"
        xml = paragraph(fmt(styles.CENTER, keep_next=bool(image.caption)), drawing)
        if image.caption:
            xml += text_paragraph(image.caption, fmt(styles.CAPTION, keep_next=False))
        return xml


def data_table(table: Table) -> str:
    """A bordered table: caption above, bold header row repeated on each page, note below."""
    count = len(table.header)
    widths = column_widths(table.widths, TEXT_WIDTH, count)
    aligns = list(table.align) + ["left"] * (count - len(table.align))
    parts = []
    if table.caption:
        parts.append(text_paragraph(table.caption, fmt(styles.CAPTION)))
    if count:
        header_fmt = fmt(styles.TABLE_HEADER)
        # Each column's cell XML up to the runs is built once: a long table costs its text.
        frames = [
            text_cell_frame(width, fmt(styles.TABLE_TEXT, align=align))
            for width, align in zip(widths, aligns, strict=False)
        ]
        parts.append(table_open(widths, borders=True, cell_margin=TABLE_CELL_MARGIN))
        parts.append(
            row(
                (
                    cell(width, text_paragraph(title, header_fmt), center=True)
                    for width, title in zip(widths, table.header, strict=True)
                ),
                header=True,
            )
        )
        parts.extend(
            row(
                [
                    f"{opening}{run_xml(value) if value else ''}{closing}"
                    for (opening, closing), value in zip(frames, values, strict=False)
                ]
            )
            for values in table.rows
        )
        parts.append("</w:tbl>")
    if table.note:
        parts.append(text_paragraph(table.note, fmt(styles.NOTE)))
    return "".join(parts)
