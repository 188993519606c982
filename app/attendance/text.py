"""From uploaded bytes to rows of cells: encodings, BOMs, delimiters, header normalisation."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from app.attendance.report import ReportError

# Byte-order marks decide the encoding outright: Teams writes UTF-16 (LE on most machines,
# BE in the shared sample), Zoom writes UTF-8 with a BOM.
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Control characters never occur in a genuine report; their presence means a binary file
# (a spreadsheet, an image) or a wrong encoding guess.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DELIMITERS = (",", "\t", ";")
# No genuine cell (a name, an address, a topic) comes near this; refusing longer cells
# keeps every later regular expression's work small whatever the upload holds.
MAX_CELL_CHARS = 1000


@dataclass(frozen=True)
class Record:
    """One CSV record: its 1-based first physical line and its cells, stripped."""

    line: int
    cells: tuple[str, ...]

    @property
    def is_blank(self) -> bool:
        # Excel re-saves turn a blank separator line into ",,,,,,"
        return not any(self.cells)

    def cell(self, index: int | None) -> str:
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]


def decode(data: bytes) -> str:
    """The text of the file, or ReportError when it is not a text file we can read."""
    if not data.strip():
        raise ReportError(None, "the file is empty")
    text = _decode_bytes(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL_CHARS.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise ReportError(line, "the file contains binary data, not text (is it a CSV export?)")
    if not text.strip():
        raise ReportError(None, "the file is empty")
    return text


def _decode_bytes(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding)
    utf16 = _guess_utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" as cp1252; accept it rather than refuse every
        # re-saved file with an accented name. Bytes cp1252 leaves undefined still fail.
        return _strict(data, "cp1252")


def _guess_utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 of mostly ASCII text has a NUL in every other byte."""
    sample = data[:2000]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ReportError(
            None, f"the file is not valid {encoding.upper()} text (byte {error.start + 1})"
        ) from None


def read_records(text: str, delimiter: str) -> list[Record]:
    """Every record of the text split on `delimiter`, quotes honoured, cells stripped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[Record] = []
    first_line = 1
    try:
        for cells in reader:
            if any(len(cell) > MAX_CELL_CHARS for cell in cells):
                raise ReportError(first_line, f"a cell is longer than {MAX_CELL_CHARS} characters")
            records.append(Record(first_line, tuple(cell.strip() for cell in cells)))
            first_line = reader.line_num + 1
    except csv.Error:
        raise ReportError(first_line, "a quoted cell is not closed or is malformed") from None
    return records


_SPACES = re.compile(r"\s+")
_SPACE_AROUND_PARENTHESES = re.compile(r"\s*([()])\s*")


def normalise_header(cell: str) -> str:
    """A header cell reduced to a comparable key: case, spacing, BOM and full-width forms.

    NFKC folds the Japanese full-width parentheses `（分）` to `(分)`; curly apostrophes
    (French `Heure d’arrivée`) become straight ones; spaces around parentheses vanish so
    `名前 (元の名前)` and `名前(元の名前)` compare equal.
    """
    # Headers are short and repeat on every row lookup; long cells are data, not worth
    # caching (and would make the cache's memory depend on the upload).
    return _normalise_short(cell) if len(cell) <= 100 else _normalise(cell)


@lru_cache(maxsize=2048)
def _normalise_short(cell: str) -> str:
    return _normalise(cell)


def _normalise(cell: str) -> str:
    key = unicodedata.normalize("NFKC", cell).replace("\ufeff", "")
    key = key.replace("\u2019", "'").replace("\u2018", "'").casefold()
    key = _SPACES.sub(" ", key).strip().strip(":").strip()
    return _SPACE_AROUND_PARENTHESES.sub(r"\1", key).strip()
