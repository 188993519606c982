"""Inline annotation markup for the redaction development set.

``"seen by [[NAME|Dr. Patel]] on [[DATE|3/14]]"`` -> text without brackets plus
``[[start, end, "NAME"], ...]`` spans.  Hand-written examples are easier to read and to keep
correct this way than with character offsets.
"""

from __future__ import annotations

import re

MARKUP = re.compile(r"\[\[([A-Z]+)\|(.*?)\]\]", re.DOTALL)


def parse_markup(marked: str) -> dict:
    pieces: list[str] = []
    spans: list[list] = []
    length = 0
    cursor = 0
    for match in MARKUP.finditer(marked):
        plain = marked[cursor : match.start()]
        pieces.append(plain)
        length += len(plain)
        value = match.group(2)
        spans.append([length, length + len(value), match.group(1)])
        pieces.append(value)
        length += len(value)
        cursor = match.end()
    pieces.append(marked[cursor:])
    return {"text": "".join(pieces), "spans": spans}
