"""Text cells for files people open in Excel or another spreadsheet (pure).

OWASP "CSV Injection": a cell starting with = + - @ (or a tab or carriage return, which some
spreadsheets skip before reading a formula) is run as a formula; a leading apostrophe makes it
text. Excel reads a CSV as UTF-8 only when it starts with a byte order mark."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def guard(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
