"""The package around a document's body: built by python-docx, shipped pre-built.

python-docx builds tongket's package from its default template (`new_document`): unused parts
and revision ids pruned, the NĐ30 styles of `docx_styles` set up, the page-number headers added.
Importing python-docx and doing that work cost about 70 ms, more than half the time of
exporting a small report, and the result depends on nothing in the report except its
pictures. So the package python-docx builds for a report without pictures is kept in the
source tree (`docx_template.zip`, next to this module) and `shipped_package` reads it back in
about a millisecond, without importing python-docx or lxml. Reports with pictures are built
by python-docx each time (`python_docx_package`), since their images are parts of it.

The core properties (title, author, date) are the only part that depends on the report; they
are written by `core_properties_xml` for both kinds, in the bytes python-docx would write.

`tests/core/test_docx_template.py` rebuilds the package with python-docx and fails if the shipped
copy differs; after changing the styles, headers or settings, rewrite it with

    python -m tongket.core.writers.docx_template
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from tongket.core.host.fieldcheck import YEAR_RANGE
from tongket.core.report.tomlread import parse_toml
from tongket.core.writers import docx_styles as styles
from tongket.core.writers.docx_package import write_package
from tongket.core.writers.docx_xml import (
    NAMESPACES,
    NSDECLS,
    ParagraphFormat,
    page_field,
    paragraph,
)
from tongket.core.writers.sanitize import clean_text

if TYPE_CHECKING:
    from docx.document import Document

__all__ = [
    "CORE_PROPERTIES",
    "SHIPPED",
    "PackageTemplate",
    "build_package",
    "core_properties_xml",
    "new_document",
    "python_docx_package",
    "shipped_package",
    "write_shipped",
]

SHIPPED = Path(__file__).with_name("docx_template.zip")
CORE_PROPERTIES = "docProps/core.xml"
FIXED_DATE = dt.date(2000, 1, 1)
# The entry of the shipped zip that is not a part. TOML, read by the parser every export has
# loaded anyway: `json` would be three more modules and six regular expressions at start-up.
_MANIFEST = "tongket-template.toml"
_EMPTY_BODY = b"<w:body/>"
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_THEME_FONTS = (b'typeface="Calibri"', b'typeface="Cambria"')
_DROPPED_SETTINGS = ("w:rsids", "w:savePreviewPicture", "w:proofState")


# A NamedTuple: cheaper to define at every start than a frozen dataclass (developer guide).
class PackageTemplate(NamedTuple):
    """Everything of a .docx but the content of its body and its core properties."""

    #: Every other part, uncompressed, by zip entry name.
    parts: Mapping[str, bytes]
    #: The entry name of the main document ("word/document.xml").
    document_name: str
    #: The document's bytes up to and including <w:body>, and from </w:body> on.
    head: bytes
    tail: bytes
    #: The page headers' relationship ids by kind ("default", "first").
    header_ids: Mapping[str, str]


# -- the core properties ---------------------------------------------------------------------

_CORE_HEAD = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
)


def core_properties_xml(*, title: str, author: str, day: dt.date | None) -> bytes:
    """`docProps/core.xml`: title and author (cleaned, at most 255 characters), the document's
    own date (or 2000-01-01), revision 1, language vi-VN, and no machine or user names.

    A date outside `YEAR_RANGE` (`tongket check` reports it) is not written: 2000-01-01 stands
    in. The date is always four-digit W3CDTF, which Word requires.
    """
    if day is None or not YEAR_RANGE[0] <= day.year <= YEAR_RANGE[1]:
        day = FIXED_DATE
    stamp = f"{day.year:04d}-{day.month:02d}-{day.day:02d}T00:00:00Z"
    stamped = f'xsi:type="dcterms:W3CDTF">{stamp}'
    xml = (
        f"{_CORE_HEAD}<dc:title>{_escape(clean_text(title)[:255])}</dc:title>"
        "<dc:subject></dc:subject>"
        f"<dc:creator>{_escape(clean_text(author)[:255])}</dc:creator>"
        "<cp:keywords></cp:keywords><dc:description></dc:description>"
        "<cp:lastModifiedBy></cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f"<dcterms:created {stamped}</dcterms:created>"
        f"<dcterms:modified {stamped}</dcterms:modified>"
        f"<cp:category></cp:category><dc:language>{styles.LANGUAGE}</dc:language>"
        "</cp:coreProperties>"
    )
    return xml.encode()


def _escape(text: str) -> str:
    # What lxml writes for element text: the three markup characters, and CR as a reference.
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


# -- the shipped package ---------------------------------------------------------------------


@cache
def shipped_package() -> PackageTemplate:
    """The package python-docx builds for a report without pictures, read from the copy
    shipped beside this module (see the module's docstring).

    A missing or damaged copy (an installation repackaged without its data files) costs time,
    not the export: python-docx then builds the same package.
    """
    try:
        return _read_shipped(SHIPPED)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return build_package()


def _read_shipped(path: Path) -> PackageTemplate:
    # Its names are ASCII: read as UTF-8, not zipfile's default cp437 (a codec module to import).
    with zipfile.ZipFile(path, metadata_encoding="utf-8") as source:
        manifest = parse_toml(source.read(_MANIFEST).decode())
        parts = {name: source.read(name) for name in manifest["parts"]}
    document_name = manifest["document"]
    head, tail = _split_document(parts.pop(document_name))
    return PackageTemplate(parts, document_name, head, tail, manifest["headers"])


def write_shipped(package: PackageTemplate, target: Path = SHIPPED) -> None:
    """Store `package` as the shipped copy, with fixed bytes (a rebuild changes nothing)."""
    import tomli_w

    manifest = {
        "document": package.document_name,
        "headers": dict(sorted(package.header_ids.items())),
        "parts": sorted([*package.parts, package.document_name]),
    }
    parts = {
        **package.parts,
        package.document_name: package.head.removesuffix(b"<w:body>")
        + _EMPTY_BODY
        + package.tail.removeprefix(b"</w:body>"),
        _MANIFEST: tomli_w.dumps(manifest).encode(),
    }
    buffer = io.BytesIO()
    write_package(buffer, parts, {})
    target.write_bytes(buffer.getvalue())


def _split_document(document: bytes) -> tuple[bytes, bytes]:
    head, marker, tail = document.partition(_EMPTY_BODY)
    if not marker or _EMPTY_BODY in tail:
        raise ValueError("document.xml: không tìm thấy đúng một <w:body/> để ghép nội dung")
    return head + b"<w:body>", b"</w:body>" + tail


# -- the package built by python-docx --------------------------------------------------------


def build_package() -> PackageTemplate:
    """The package python-docx builds now for a report without pictures."""
    return python_docx_package(new_document())


def new_document() -> Document:
    """python-docx's default document, made tongket's: pruned, styled, with page headers.

    Pictures may then be added to it (`Document.part.get_or_add_image`) before
    `python_docx_package` takes its parts.
    """
    import docx

    document = docx.Document()
    _prune_template(document)
    _setup_styles(document)
    _add_page_headers(document)
    return document


def python_docx_package(document: Document) -> PackageTemplate:
    """The parts of `document` as python-docx saves them, its body emptied."""
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml.ns import qn

    references = document.sections[0]._sectPr.findall(qn("w:headerReference"))
    header_ids = {ref.get(qn("w:type")): ref.get(qn("r:id")) for ref in references}
    element = document.element
    for child in list(element.body):  # the section properties too: the writer writes them
        element.body.remove(child)
    head, tail = _split_document(serialize_part_xml(element))
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    for name in [name for name in parts if name.startswith("word/theme/")]:
        for typeface in _THEME_FONTS:  # the theme's own fonts, for whoever picks "theme font"
            parts[name] = parts[name].replace(typeface, f'typeface="{styles.FONT}"'.encode())
    document_name = document.part.partname.lstrip("/")
    del parts[document_name], parts[CORE_PROPERTIES]
    return PackageTemplate(parts, document_name, head, tail, header_ids)


def _prune_template(document: Document) -> None:
    """Drop the template's thumbnail, custom XML, duplicate styles and revision ids."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn
    from lxml import etree

    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype in (_STYLES_WITH_EFFECTS, RT.CUSTOM_XML):
            part.rels.pop(rid)
    package_rels = part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # a picture of an empty page would mislead
            package_rels.pop(rid)
    settings = document.settings.element
    for tag in _DROPPED_SETTINGS:
        for element in settings.findall(qn(tag)):
            settings.remove(element)
    language = settings.find(qn("w:themeFontLang"))
    if language is not None:
        language.attrib.clear()
        language.set(qn("w:val"), styles.LANGUAGE)
    for tag, value in (("w:decimalSymbol", ","), ("w:listSeparator", ";")):
        element = settings.find(qn(tag))
        if element is not None:
            element.set(qn("w:val"), value)
    rsid = qn("w:rsid")
    for root in (document.element, document.styles.element):
        for element in list(root.iter(rsid)):
            element.getparent().remove(element)
        # Visiting each of the styles' nine thousand elements costs more than all the rest
        # here, and python-docx's template holds no such attribute: look only if the
        # serialised XML (a few milliseconds) mentions one at all.
        if b"rsid" not in etree.tostring(root):
            continue
        for element in root.iter():
            for name in [name for name in element.attrib if name.startswith(rsid)]:
                del element.attrib[name]


def _add_page_headers(document: Document) -> None:
    # The page number sits centred in the top margin; page 1 shows none (its own empty header).
    from docx.oxml import parse_xml

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
        root.extend(parse_xml(f"<w:body {NSDECLS}>{content}</w:body>"))


# -- styles ----------------------------------------------------------------------------------


def _setup_styles(document: Document) -> None:
    """Set the defaults, redefine the headings and add the TK styles (before any content)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import RGBColor
    from docx.styles.style import ParagraphStyle

    element = document.styles.element
    named = document.styles
    _set_style_defaults(element)
    for spec in styles.HEADINGS:
        _apply(named[spec.name], spec)
    # Each `styles[name]` runs an XPath over every style: look "Normal" up once.
    added: dict[str, ParagraphStyle] = {"Normal": named["Normal"]}
    for spec in styles.NEW_STYLES:
        # What `styles.add_style` does, without its check for a clash: that compares the name
        # with every style in the template (python-docx's, which holds no "TK …" style), one
        # scan per new style.
        style = ParagraphStyle(element.add_style_of_type(spec.name, WD_STYLE_TYPE.PARAGRAPH, False))
        style.base_style = added[spec.base] if spec.base in added else named[spec.base]
        style.quick_style = True
        _apply(style, spec)
        added[spec.name] = style
    added[styles.ERROR.name].font.color.rgb = RGBColor.from_string(styles.ERROR_COLOR)
    _only_times_new_roman(element)


def _apply(style, spec: styles.StyleSpec) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, Twips

    font = style.font
    if spec.size is not None:
        font.size = Pt(spec.size)
    if spec.bold is not None:
        font.bold = spec.bold
    if spec.italic is not None:
        font.italic = spec.italic
    paragraph_format = style.paragraph_format
    if spec.align is not None:
        paragraph_format.alignment = getattr(WD_ALIGN_PARAGRAPH, spec.align.upper())
    if spec.left is not None:
        paragraph_format.left_indent = Twips(spec.left)
    if spec.hanging is not None:
        paragraph_format.first_line_indent = Twips(-spec.hanging)
    elif spec.first_line is not None:
        paragraph_format.first_line_indent = Twips(spec.first_line)
    if spec.before is not None:
        paragraph_format.space_before = Twips(spec.before)
    if spec.after is not None:
        paragraph_format.space_after = Twips(spec.after)
    if spec.line is not None:
        paragraph_format.line_spacing = spec.line
    if spec.keep_next:
        paragraph_format.keep_with_next = True


def _set_style_defaults(element) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    run_defaults = element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    for child in list(run_defaults):
        run_defaults.remove(child)
    w = f'xmlns:w="{NAMESPACES["w"]}"'
    font = styles.FONT
    half_points = styles.BODY_SIZE * 2
    for xml in (
        f'<w:rFonts {w} w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>',
        f'<w:color {w} w:val="auto"/>',
        f'<w:sz {w} w:val="{half_points}"/>',
        f'<w:szCs {w} w:val="{half_points}"/>',
        f'<w:lang {w} w:val="{styles.LANGUAGE}" w:eastAsia="en-US" w:bidi="ar-SA"/>',
    ):
        run_defaults.append(parse_xml(xml))
    spacing = element.find(
        qn("w:docDefaults") + "/" + qn("w:pPrDefault") + "/" + qn("w:pPr") + "/" + qn("w:spacing")
    )
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")


def _only_times_new_roman(element) -> None:
    # Theme fonts (Calibri/Cambria) and theme colours (accent blue headings) come from the
    # template; replace them so every style resolves to Times New Roman in automatic colour.
    from docx.oxml.ns import qn
    from lxml import etree

    namespaces = {"w": NAMESPACES["w"]}
    kept = " or ".join(f"@w:styleId={name!r}" for name in styles.KEPT_TABLE_STYLES)
    dropped = etree.XPath(f"w:style[@w:type='table'][not({kept})]", namespaces=namespaces)
    for style in dropped(element):
        element.remove(style)
    for fonts in element.iter(qn("w:rFonts")):
        fonts.attrib.clear()
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{slot}"), styles.FONT)
    colours = etree.XPath(
        f"w:style[not(@w:styleId={styles.ERROR.id!r})]//w:color", namespaces=namespaces
    )
    for color in colours(element):
        color.getparent().remove(color)


def main(argv: list[str] | None = None) -> int:
    """Rebuild the shipped package with python-docx (`--check`: only say whether it differs)."""
    check = "--check" in (sys.argv[1:] if argv is None else argv)
    built = build_package()
    try:
        current = _read_shipped(SHIPPED)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        current = None
    if current == built:
        print(f"{SHIPPED.name}: up to date")
        return 0
    if check:
        print(f"{SHIPPED.name}: differs from what python-docx builds; run without --check")
        return 1
    write_shipped(built)
    print(f"{SHIPPED.name}: rewritten")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
