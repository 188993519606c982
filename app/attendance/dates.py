"""Date-time cells of attendance reports, read as naive local wall-clock times.

Reports print dates in the exporting user's locale, and numeric dates such as
`01/10/2026` are ambiguous. The rule, applied once per file:

1. A first field of four digits means year/month/day (`2020/12/8 8:35`, ISO 8601).
2. Otherwise collect every numeric date in the file. If some first field is above 12 the
   file is day-first (`14/11/22`); if some second field is above 12 it is month-first
   (`11/19/2021`). Both at once is a contradiction and the file is refused.
3. When no value decides it, a locale hint decides: day-first when the headers are
   Spanish, French, German or Portuguese or the dates use dots (`19.11.2021`),
   month-first otherwise (the US default of English Zoom and Teams exports).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from app.attendance.report import ReportError, quote_cell

_TIME = r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
_MERIDIEM = r"(?:\s*(?P<meridiem>[AaPp])\.?\s?[Mm]\.?)?"
_NUMERIC = re.compile(
    r"(?P<a>\d{1,4})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})\.?,?\s+" + _TIME + _MERIDIEM
)
_MONTH_FIRST_NAMED = re.compile(
    r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4}),?\s+" + _TIME + _MERIDIEM
)
_DAY_FIRST_NAMED = re.compile(
    r"(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,9})\.?,?\s+(?P<year>\d{4}),?\s+" + _TIME + _MERIDIEM
)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


class DateReader:
    """Reads the date cells of one file with one day/month order for all of them."""

    def __init__(self, samples: Iterable[tuple[int, str]], *, day_first_hint: bool = False) -> None:
        """`samples` are (line, cell) pairs of the whole file; non-dates are ignored."""
        self.order = _decide_order(samples, day_first_hint)
        self.saw_offset = False
        self.saw_naive = False

    def parse(self, cell: str, line: int, what: str) -> datetime:
        """The cell as a naive datetime; ReportError naming the line and the cell if not."""
        value = cell.strip()
        try:
            moment = self._parse(value)
        except ValueError:
            moment = None
        if moment is None:
            raise ReportError(line, f"{what} {quote_cell(value)} is not a date and time")
        return moment

    def _parse(self, value: str) -> datetime | None:
        if _ISO.fullmatch(value):
            return self._from_iso(value)
        self.saw_naive = True
        match = _NUMERIC.fullmatch(value)
        if match:
            return _from_numeric(match, self.order)
        match = _MONTH_FIRST_NAMED.fullmatch(value) or _DAY_FIRST_NAMED.fullmatch(value)
        if match:
            month = _MONTHS.get(match["month"].casefold())
            if month is None:
                return None
            return _combine(int(match["year"]), month, int(match["day"]), match)
        return None

    def _from_iso(self, value: str) -> datetime:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            self.saw_naive = True
            return moment
        # A file that states offsets is converted to naive UTC once, here; the report then
        # says times_are_utc so the caller does not apply the meeting's zone again.
        self.saw_offset = True
        return moment.astimezone(UTC).replace(tzinfo=None)


def _decide_order(samples: Iterable[tuple[int, str]], day_first_hint: bool) -> str:
    """Apply the module's rule to every (line, cell) of the file."""
    day_first_line = month_first_line = None
    for line, sample in samples:
        match = _NUMERIC.fullmatch(sample.strip())
        if not match or len(match["a"]) == 4:
            continue
        first, second = int(match["a"]), int(match["b"])
        if match["sep"] == "." and first <= 12 and second <= 12:
            day_first_hint = True
        if first > 12 and day_first_line is None:
            day_first_line = line
        if second > 12 and month_first_line is None:
            month_first_line = line
    if day_first_line is not None and month_first_line is not None:
        raise ReportError(
            max(day_first_line, month_first_line),
            "the dates mix day/month and month/day order, so none can be trusted",
        )
    if day_first_line is not None:
        return "dmy"
    if month_first_line is not None:
        return "mdy"
    return "dmy" if day_first_hint else "mdy"


def _from_numeric(match: re.Match[str], order: str) -> datetime | None:
    first, second, third = match["a"], match["b"], match["c"]
    if len(first) == 4:
        year, month, day = int(first), int(second), int(third)
    elif len(third) in (2, 4):
        day, month = (int(first), int(second)) if order == "dmy" else (int(second), int(first))
        # Two-digit years are this century: reports are from 2000 on.
        year = int(third) + 2000 if len(third) == 2 else int(third)
    else:
        return None
    return _combine(year, month, day, match)


def _combine(year: int, month: int, day: int, match: re.Match[str]) -> datetime | None:
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second"] or 0)
    meridiem = (match["meridiem"] or "").casefold()
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    return datetime(year, month, day, hour, minute, second)


def date_order_of(reader: DateReader, samples: Iterable[tuple[int, str]]) -> str:
    """The order to report: "ymd" when every numeric date had a four-digit year first."""
    numeric = [m for _, cell in samples if (m := _NUMERIC.fullmatch(cell.strip()))]
    if numeric and all(len(m["a"]) == 4 for m in numeric):
        return "ymd"
    return reader.order if numeric else ""
