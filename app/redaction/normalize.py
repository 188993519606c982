"""Text as the PHI detector should read it, with a map back to the text as typed.

Identifiers are hidden from a plain-ASCII detector by writing them with other characters that look
the same: full-width or other-script digits ("１２３-45-6789"), non-breaking or thin spaces, en
dashes and minus signs, Cyrillic or Greek letters that look Latin ("Ј\u043ehn"), letters carrying
combining marks, or invisible characters inside a word.  ``normalise(text)`` rewrites all of these
to the ASCII the detector knows and drops invisible characters; ``Normalised.to_original`` maps a
span of the rewritten text back to the exact characters typed, so findings land where the person
sees them.

The text is cut into units: a character with the combining marks that follow it.  Each unit is
rewritten on its own (NFKC, then digits by value, spaces, dashes, look-alike letters, and accents
dropped where that leaves ASCII), so the map is exact to the unit and the work is linear.  Runs of
ASCII are copied as they are: plain text costs one ``isascii()``.

``invisible_characters(text)`` lists the zero-width and direction-changing characters the gate
refuses outright (the detector sees through them either way).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "confusables.tsv"

# Zero-width and format characters that change nothing a reader sees, and the bidirectional
# controls that change the order a reader sees.  Both are refused by the gate.
ZERO_WIDTH = frozenset("\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063"
                       "\u2064\u3164\ufeff\uffa0")
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Dropped silently but not refused: variation selectors and deprecated format characters (an
# emoji such as a red heart carries U+FE0F).
_DROPPED = ZERO_WIDTH | BIDI_CONTROLS | frozenset(chr(c) for c in (*range(0xFE00, 0xFE10), *range(0x206A, 0x2070),
                                                                   *range(0x180B, 0x180E), *range(0xE0000, 0xE0080)))
_LINE_BREAKS = frozenset("\u0085\u2028\u2029")
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u02d7\u2796\ufe58\ufe63\uff0d\u2e3a\u2e3b")
# Latin letters that no accent can be taken off ("Złotnik", "Søren", "Đorđević", "Strauß"): their
# usual ASCII spelling, so a name or a place written with them reads as one word.
_LATIN_LETTERS = {
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ħ": "h", "Ħ": "H",
    "ı": "i", "ŧ": "t", "Ŧ": "T", "ŀ": "l", "Ŀ": "L", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
    "þ": "th", "Þ": "Th",
}
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
# Also refused: unpaired surrogates (JSON can carry them; they are no text and no database stores them).
_REFUSED = re.compile("[" + "".join(sorted(ZERO_WIDTH | BIDI_CONTROLS)) + "\ud800-\udfff]")


def _load_look_alikes() -> dict[str, str]:
    table = {}
    for line in DATA_FILE.read_text(encoding="utf-8").splitlines():
        code, _, target = line.partition("\t")
        table[chr(int(code, 16))] = target
    return table


_LOOK_ALIKES = _load_look_alikes()


def _rewrite_char(character: str) -> str:
    """One character of NFKC output as ASCII where it has an ASCII reading."""
    if character.isascii():
        return character
    if character in _DROPPED:
        return ""
    digit = unicodedata.decimal(character, None)
    if digit is not None:
        return str(digit)
    if character in _LOOK_ALIKES:
        return _LOOK_ALIKES[character]
    if character in _LATIN_LETTERS:
        return _LATIN_LETTERS[character]
    if character in _LINE_BREAKS:
        return "\n"
    category = unicodedata.category(character)
    if category == "Zs":
        return " "
    if category == "Cs":
        return "\ufffd"  # an unpaired surrogate: the detectors read a replacement character
    if category == "Pd" or character in _DASHES:
        return "-"
    return character


@lru_cache(maxsize=8192)
def _rewrite_unit(unit: str) -> str:
    """A character and its combining marks, as the detector should read them."""
    composed = unicodedata.normalize("NFKC", unit)
    rewritten = "".join(_rewrite_char(character) for character in composed)
    if rewritten.isascii():
        return rewritten
    # "José", "Jöhn", "J" + a stray combining acute: the accent hides nothing the detector needs.
    bare = "".join(c for c in unicodedata.normalize("NFD", rewritten) if not unicodedata.combining(c))
    bare = "".join(_rewrite_char(character) for character in bare)
    return bare if bare.isascii() else rewritten


@dataclass(frozen=True, slots=True)
class Normalised:
    """The rewritten text and its pieces: (normalised start, original start, normalised length,
    original length, copied as is), sorted, covering every normalised character."""

    text: str
    original: str
    pieces: tuple[tuple[int, int, int, int, bool], ...]
    starts: tuple[int, ...]  # the pieces' normalised starts, for bisect

    @property
    def unchanged(self) -> bool:
        return self.text is self.original

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span holding normalised characters start:end (end exclusive, end > start)."""
        if self.unchanged:
            return start, end
        return self._original_start(start), self._original_end(end)

    def _piece_at(self, position: int) -> tuple[int, int, int, int, bool]:
        return self.pieces[bisect_right(self.starts, position) - 1]

    def _original_start(self, position: int) -> int:
        norm_start, orig_start, _, _, copied = self._piece_at(position)
        return orig_start + (position - norm_start) if copied else orig_start

    def _original_end(self, position: int) -> int:
        norm_start, orig_start, _, orig_length, copied = self._piece_at(position - 1)
        return orig_start + (position - norm_start) if copied else orig_start + orig_length


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pieces: list[tuple[int, int, int, int, bool]] = []
        self.length = 0

    def copy(self, text: str, start: int, end: int) -> None:
        if end <= start:
            return
        self.parts.append(text[start:end])
        last = self.pieces[-1] if self.pieces else None
        if last and last[4] and last[0] + last[2] == self.length and last[1] + last[3] == start:
            self.pieces[-1] = (last[0], last[1], last[2] + end - start, last[3] + end - start, True)
        else:
            self.pieces.append((self.length, start, end - start, end - start, True))
        self.length += end - start

    def replace(self, replacement: str, start: int, end: int) -> None:
        if replacement:
            self.parts.append(replacement)
            self.pieces.append((self.length, start, len(replacement), end - start, False))
            self.length += len(replacement)


def normalise(text: str) -> Normalised:
    if text.isascii():
        return Normalised(text, text, (), ())
    builder = _Builder()
    position = 0
    for match in _NON_ASCII_RUN.finditer(text):
        start, end = match.span()
        if start > position and unicodedata.combining(text[start]):
            start -= 1  # the ASCII letter before a combining mark belongs to its unit
        builder.copy(text, position, start)
        _rewrite_run(text, start, end, builder)
        position = end
    builder.copy(text, position, len(text))
    pieces = tuple(builder.pieces)
    return Normalised("".join(builder.parts), text, pieces, tuple(piece[0] for piece in pieces))


def _rewrite_run(text: str, start: int, end: int, builder: _Builder) -> None:
    unit_start = start
    while unit_start < end:
        unit_end = unit_start + 1
        while unit_end < end and unicodedata.combining(text[unit_end]):
            unit_end += 1
        unit = text[unit_start:unit_end]
        rewritten = _rewrite_unit(unit)
        if rewritten == unit:
            builder.copy(text, unit_start, unit_end)
        else:
            builder.replace(rewritten, unit_start, unit_end)
        unit_start = unit_end


@dataclass(frozen=True, slots=True)
class InvisibleCharacter:
    position: int  # offset in the text, from 0
    character: str

    @property
    def description(self) -> str:
        fallback = "UNPAIRED SURROGATE" if unicodedata.category(self.character) == "Cs" else "FORMAT CHARACTER"
        name = unicodedata.name(self.character, fallback)
        return f"U+{ord(self.character):04X} {name}"


def invisible_characters(text: str) -> list[InvisibleCharacter]:
    """The zero-width characters and bidirectional controls in ``text``, in order."""
    if text.isascii():
        return []
    return [InvisibleCharacter(match.start(), match.group()) for match in _REFUSED.finditer(text)]
