"""Splitting a batch of certificates, laid out as one PDF, into one small PDF per certificate.

Each output is written directly from the batch's objects: those every certificate shares (font
subsets, the background layer) are serialised once per batch and their bytes reused, where
pypdf's PdfWriter would parse, clone and renumber them again for every certificate (that was
~7 ms of a ~30 ms certificate). Objects keep their batch numbers; the classic cross-reference
table lists them in subsections, which PDF allows for non-contiguous numbers.
"""

from __future__ import annotations

import re
from io import BytesIO

from pypdf import PageObject, PdfReader
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    TextStringObject,
)

BACKGROUND_NAME = "/TelementorBackground"

# A name operand in a content stream, e.g. the "/i3f0" of "/i3f0 Do".
_CONTENT_NAME = re.compile(rb"/([^\s/\[\]()<>{}%]+)")
# Resource categories WeasyPrint fills per page; fonts and colour spaces are used by every page.
_PER_PAGE_RESOURCES = ("/XObject", "/ExtGState", "/Pattern", "/Shading")
# Page entries carried over; anything else (annotations, /Parent…) could point back into the
# batch's page tree and so to other learners' pages.
_PAGE_GEOMETRY = ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox", "/Rotate", "/Group")


class BatchSplitter:
    def __init__(self, pdf_bytes: bytes) -> None:
        self.reader = PdfReader(BytesIO(pdf_bytes))
        self.header = self.reader.pdf_header.encode()
        self.language = self.reader.trailer["/Root"].get("/Lang")
        # New objects of each output are numbered after the batch's own.
        self.first_new = int(self.reader.trailer["/Size"])
        self._bodies: dict[int, bytes] = {}
        self._references: dict[int, set[int]] = {}
        self._forms: dict[int, tuple[bytes, set[int]]] = {}

    def part(self, background_index: int, foreground_index: int, title: str) -> bytes:
        catalog, pages, page, prefix, info, form = range(self.first_new, self.first_new + 6)
        foreground = self.reader.pages[foreground_index]
        resources = own_resources(foreground)
        xobjects = resources.setdefault(NameObject("/XObject"), DictionaryObject())
        xobjects[NameObject(BACKGROUND_NAME)] = IndirectObject(form, 0, self.reader)
        contents = [IndirectObject(prefix, 0, self.reader), *content_references(foreground)]
        page_dict = DictionaryObject({
            NameObject("/Type"): NameObject("/Page"),
            NameObject("/Parent"): IndirectObject(pages, 0, self.reader),
            NameObject("/Resources"): resources,
            NameObject("/Contents"): ArrayObject(contents),
        })
        for key in _PAGE_GEOMETRY:
            if key in foreground:
                page_dict[NameObject(key)] = dict.__getitem__(foreground, key)
        catalog_dict = DictionaryObject({
            NameObject("/Type"): NameObject("/Catalog"),
            NameObject("/Pages"): IndirectObject(pages, 0, self.reader)})
        if self.language is not None:
            catalog_dict[NameObject("/Lang")] = self.language
        form_body, form_references = self._background_form(background_index)
        new_objects = {
            catalog: serialise(catalog_dict),
            pages: b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page,
            page: serialise(page_dict),
            prefix: stream_body(f"q {BACKGROUND_NAME} Do Q\n".encode()),
            info: serialise(DictionaryObject({
                NameObject("/Title"): TextStringObject(title),
                NameObject("/Producer"): TextStringObject("Telementor")})),
            form: form_body,
        }
        shared = self._closure(references_in(page_dict) | form_references)
        bodies = {number: self._body(number) for number in shared} | new_objects
        return assemble(self.header, bodies, root=catalog, info=info)

    def _background_form(self, background_index: int) -> tuple[bytes, set[int]]:
        """The background page as a Form XObject; built once per background page."""
        if background_index not in self._forms:
            background = self.reader.pages[background_index]
            resources = own_resources(background)
            content = background.get_contents().get_data()
            plain = DecodedStreamObject()
            plain.set_data(content)
            form = plain.flate_encode()
            form.update({
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(background.mediabox),
                NameObject("/Resources"): resources,
            })
            self._forms[background_index] = (serialise(form), references_in(resources))
        return self._forms[background_index]

    def _body(self, number: int) -> bytes:
        if number not in self._bodies:
            self._bodies[number] = serialise(self.reader.get_object(number))
        return self._bodies[number]

    def _closure(self, roots: set[int]) -> set[int]:
        """Every batch object reachable from roots. Refuses pages: reaching one would mean a
        reference back into the batch, i.e. to other learners' certificates."""
        seen: set[int] = set()
        pending = [number for number in roots if number < self.first_new]
        while pending:
            number = pending.pop()
            if number in seen:
                continue
            seen.add(number)
            if number not in self._references:
                target = self.reader.get_object(number)
                if isinstance(target, DictionaryObject) and target.get("/Type") in ("/Page",
                                                                                    "/Pages"):
                    raise RuntimeError(f"certificate part would include batch page object {number}")
                self._references[number] = references_in(target)
            pending.extend(self._references[number] - seen)
        return seen


def own_resources(page: PageObject) -> DictionaryObject:
    """A resource dictionary holding only what the page's own content uses.

    WeasyPrint gives every page of a document one shared resource dictionary; copied as is it
    would carry every other page's images along: in a batch, every other learner's QR code,
    i.e. their verification code.
    """
    content = page.get_contents().get_data()
    used_names = {"/" + name.decode("latin-1") for name in _CONTENT_NAME.findall(content)}
    shared = page["/Resources"]
    own = DictionaryObject()
    for category, entries in dict.items(shared):
        if category not in _PER_PAGE_RESOURCES:
            own[NameObject(category)] = entries
            continue
        # Look up the names the page uses rather than scanning the shared dictionary, which has
        # an entry for every page of the batch; dict.get keeps indirect references unresolved.
        available = entries.get_object()
        own[NameObject(category)] = DictionaryObject({
            NameObject(name): dict.get(available, name) for name in used_names
            if name in available})
    return own


def content_references(page: PageObject) -> list[IndirectObject]:
    contents = dict.__getitem__(page, "/Contents")
    resolved = contents.get_object()
    return list(resolved) if isinstance(resolved, ArrayObject) else [contents]


def references_in(value: PdfObject) -> set[int]:
    found: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            found.add(item.idnum)
        elif isinstance(item, dict):
            stack.extend(dict.values(item))
        elif isinstance(item, list):
            stack.extend(item)
    return found


def serialise(value: PdfObject) -> bytes:
    output = BytesIO()
    value.write_to_stream(output)
    return output.getvalue()


def stream_body(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def assemble(header: bytes, bodies: dict[int, bytes], *, root: int, info: int) -> bytes:
    output = BytesIO()
    output.write(header + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(bodies):
        offsets[number] = output.tell()
        output.write(b"%d 0 obj\n%s\nendobj\n" % (number, bodies[number]))
    xref_offset = output.tell()
    output.write(b"xref\n0 1\n0000000000 65535 f \n")
    for first, run in consecutive_runs(sorted(offsets)):
        output.write(b"%d %d\n" % (first, len(run)))
        output.write(b"".join(b"%010d 00000 n \n" % offsets[number] for number in run))
    output.write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                 % (max(bodies) + 1, root, info, xref_offset))
    return output.getvalue()


def consecutive_runs(numbers: list[int]) -> list[tuple[int, list[int]]]:
    runs: list[tuple[int, list[int]]] = []
    for number in numbers:
        if runs and runs[-1][1][-1] == number - 1:
            runs[-1][1].append(number)
        else:
            runs.append((number, [number]))
    return runs
