"""Tracked changes (w:ins / w:del) between two DOCX packages tongket wrote: `tongket diff`.

`tracked_changes(old, new, author=…, when=…)` returns NEW's package whose `document.xml` holds
every difference from OLD as a Word revision, by `author` at `when`: accepting all changes gives
NEW's document, rejecting all gives OLD's. Both packages come from `docx_writer.build_docx`, so
their bodies share one structure and a plain alignment is enough: blocks, rows and cells in
`docx_diff_blocks`, words inside a paragraph in `docx_diff_runs` (7,7% → 7,1% is one replaced
token). The letterhead (số, date), Kính gửi and the signature are body blocks like the rest.

Pictures are compared by their image bytes, not their relationship ids; a deleted picture whose
image NEW lacks gets the image copied into NEW's package under a relationship of its own, so no
r:embed dangles. Headers and footers (the PAGE field) are NEW's, untouched. lxml loads only
when a diff is made.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import zipfile
from datetime import UTC, datetime

from tongket.core.writers.docx_package import write_package

__all__ = ["revision_count", "tracked_changes"]

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
W = f"{{{_W_NS}}}"
_REFERENCES = tuple(f"{{{_R_NS}}}{name}" for name in ("embed", "link", "id"))
_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_DECLARATION = re.compile(rb' xmlns(?::\w+)?="[^"]*"')
_REFERENCE = re.compile(rb'r:(?:embed|link)="([^"]*)"')
_PICTURE_NUMBER = re.compile(rb'(<wp:docPr) id="[^"]*" name="[^"]*"')
_REVISION = re.compile(rb"<w:(?:ins|del|pPrChange|rPrChange) ")


def tracked_changes(old_docx: bytes, new_docx: bytes, *, author: str, when: datetime) -> bytes:
    """NEW's package with `word/document.xml` showing every difference from OLD as a revision.

    `when` without a time zone is taken as UTC; revisions carry it to the second.
    """
    from lxml import etree

    from tongket.core.writers.docx_diff_blocks import BlockDiffer
    from tongket.core.writers.docx_diff_runs import Revisions

    old, new = _Package(old_docx, etree), _Package(new_docx, etree)
    stamp = (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
    taken = [int(value) for value in new.root.xpath("//@w:id", namespaces={"w": _W_NS})
             if value.lstrip("-").isdigit()]  # fmt: skip
    revisions = Revisions(
        etree, author, stamp.strftime("%Y-%m-%dT%H:%M:%SZ"), max(taken, default=0) + 1
    )
    references = _References(old, new)
    differ = BlockDiffer(revisions, old.key, new.key, references.adopt)
    body, old_body = new.root.find(W + "body"), old.root.find(W + "body")
    section = body.find(W + "sectPr")
    old_blocks = [child for child in old_body if child.tag != W + "sectPr"]
    new_blocks = [child for child in body if child.tag != W + "sectPr"]
    body[:] = differ.container(old_blocks, new_blocks) + ([section] if section is not None else [])
    if references.adopted:  # pictures from OLD sit beside NEW's: drawing ids must stay unique
        for number, properties in enumerate(new.root.iter(_DOC_PR), start=1):
            properties.set("id", str(number))
    return new.write()


def revision_count(docx: bytes) -> int:
    """How many revision marks (w:ins, w:del, format changes) a package's document holds."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return len(_REVISION.findall(package.read("word/document.xml")))


class _Package:
    """One .docx: its parts, main document tree, and the relationships of that document."""

    def __init__(self, data: bytes, etree) -> None:
        self.etree = etree
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            self.parts = {name: package.read(name) for name in package.namelist()}
        parser = etree.XMLParser(huge_tree=True, remove_blank_text=False)
        package_rels = etree.fromstring(self.parts["_rels/.rels"])
        main = next(
            rel.get("Target")
            for rel in package_rels
            if rel.get("Type", "").endswith("/officeDocument")
        )
        self.document_name = main.lstrip("/")
        self.root = etree.fromstring(self.parts[self.document_name], parser)
        folder, name = posixpath.split(self.document_name)
        self.rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
        self.rels = (
            etree.fromstring(self.parts[self.rels_name]) if self.rels_name in self.parts else None
        )
        self.rels_changed = False
        self._digests: dict[str, bytes] = {}

    def relationship(self, rid: str):
        if self.rels is None:
            return None
        return next((rel for rel in self.rels if rel.get("Id") == rid), None)

    def part_name(self, rel) -> str:
        folder = posixpath.dirname(self.document_name)
        return posixpath.normpath(posixpath.join(folder, rel.get("Target", ""))).lstrip("/")

    def digest(self, rid: str) -> bytes:
        """What a reference points at, for comparing: the target part's hash, or the target."""
        if rid not in self._digests:
            rel = self.relationship(rid)
            if rel is None:
                value = rid.encode()
            elif rel.get("TargetMode") == "External":
                value = rel.get("Target", "").encode()
            else:
                value = hashlib.sha1(self.parts.get(self.part_name(rel), b"")).hexdigest().encode()
            self._digests[rid] = value
        return self._digests[rid]

    def key(self, element) -> bytes:
        """The element's XML with relationship ids replaced by what they point at."""
        data = self.etree.tostring(element)
        # The declarations the root has in scope are written on the first tag: drop them, the
        # two packages' roots may declare different sets.
        end = data.index(b">")
        data = _DECLARATION.sub(b"", data[:end]) + data[end:]
        if b"<wp:docPr " in data:  # a picture's number in the document is no difference
            data = _PICTURE_NUMBER.sub(rb"\1", data)
        if b"r:embed=" in data or b"r:link=" in data:
            data = _REFERENCE.sub(
                lambda match: b'r:x="' + self.digest(match[1].decode()) + b'"', data
            )
        return data

    def content_type(self, part: str) -> str | None:
        types = self.etree.fromstring(self.parts["[Content_Types].xml"])
        extension = posixpath.splitext(part)[1].lstrip(".").lower()
        for entry in types:
            if entry.get("PartName", "").lstrip("/") == part:
                return entry.get("ContentType")
        for entry in types:
            if entry.get("Extension", "").lower() == extension:
                return entry.get("ContentType")
        return None

    def write(self) -> bytes:
        etree = self.etree
        self.parts[self.document_name] = etree.tostring(
            self.root, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        if self.rels_changed:
            self.parts[self.rels_name] = etree.tostring(
                self.rels, xml_declaration=True, encoding="UTF-8", standalone=True
            )
        buffer = io.BytesIO()
        write_package(buffer, self.parts, {})
        return buffer.getvalue()


class _References:
    """Re-points relationship ids of OLD's elements at NEW's package, copying parts it lacks."""

    def __init__(self, old: _Package, new: _Package) -> None:
        self.old, self.new = old, new
        self.adopted = False
        self._rid_map: dict[str, str] = {}

    def adopt(self, element) -> None:
        """Point OLD's relationship ids in `element` at NEW's package (copying parts if needed)."""
        for node in element.iter():
            for name in _REFERENCES:
                value = node.get(name)
                if value is not None:
                    node.set(name, self.new_reference(value))

    def new_reference(self, rid: str) -> str:
        if rid in self._rid_map:
            return self._rid_map[rid]
        self.adopted = True
        rel = self.old.relationship(rid)
        if rel is None or self.new.rels is None:
            self._rid_map[rid] = rid
            return rid
        digest = self.old.digest(rid)
        same = next(
            (
                other.get("Id")
                for other in self.new.rels
                if other.get("Type") == rel.get("Type")
                and self.new.digest(other.get("Id")) == digest
            ),
            None,
        )
        if same is None:
            same = self._copy_relationship(rel)
        self._rid_map[rid] = same
        return same

    def _copy_relationship(self, rel) -> str:
        new = self.new
        taken = {other.get("Id") for other in new.rels}
        number = len(taken) + 1
        while f"rIdDiff{number}" in taken:
            number += 1
        copied = new.rels.makeelement(f"{{{_REL_NS}}}Relationship", dict(rel.attrib))
        copied.set("Id", f"rIdDiff{number}")
        if rel.get("TargetMode") != "External":
            source = self.old.part_name(rel)
            extension = posixpath.splitext(source)[1]
            target = f"media/tongket-diff-{number}{extension}"
            part = posixpath.join(posixpath.dirname(new.document_name), target)
            new.parts[part] = self.old.parts.get(source, b"")
            copied.set("Target", target)
            self._declare_type(part, self.old.content_type(source))
        new.rels.append(copied)
        new.rels_changed = True
        return copied.get("Id")

    def _declare_type(self, part: str, content_type: str | None) -> None:
        if content_type is None or self.new.content_type(part) == content_type:
            return
        types = self.new.etree.fromstring(self.new.parts["[Content_Types].xml"])
        override = types.makeelement(f"{{{_CT_NS}}}Override", {})
        override.set("PartName", "/" + part)
        override.set("ContentType", content_type)
        types.append(override)
        self.new.parts["[Content_Types].xml"] = self.new.etree.tostring(
            types, xml_declaration=True, encoding="UTF-8", standalone=True
        )
