r"""A text prepared once per find_phi() call, and lead-in patterns tried only where they can match.

A few facts about Python's re shape every pattern in this package:

* A scan is fast only when the pattern opens with a plain character set (``[0-9]``, ``[A-Z]``):
  re then skips ahead in C.  A pattern that opens with ``\b``, a look-behind or an alternation is
  tried at every position, 5-10 times slower.  So patterns open with a set and check what precedes
  with a look-behind right after it: ``[0-9](?<![\w/.-].)...``.
* re runs "(?:X)?" and "(?:X)*" through its general repeat machinery, costly at every position
  tried, but "(?:X|)" (the same thing) as a cheap branch: hot patterns use that form, and guard
  a repeated group with a look-ahead ("(?:(?=\s[A-Z])(?:\s...)+|)" instead of "(?:\s...)*").
* Asking whether a word occurs at all (a set lookup) costs far less than any scan, so detectors
  first check ``view.has_any(KEYWORDS)``, and lead-in patterns (``KeywordPattern``) are matched
  only where one of their words starts.
* Even a fast scan stops at every character of its opening set, and each stop costs.  Patterns
  that may start at any letter (e-mail and web addresses, "Last, First") are matched instead only
  where they can start (``matches_at``), found from a rarer character they contain ("@", a comma):
  the start is the beginning of the run of characters before it (``TextView.run_start``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

_WORD = re.compile(r"[A-Za-z]+")
# For ASCII text, str.translate and str.split find the same words as _WORD, faster: every ASCII
# character that is not a letter becomes a space (a full table keeps translate on its fast path).
_ASCII_LETTERS_ONLY = {code: chr(code) if chr(code).isalpha() else " " for code in range(128)}
_DIGIT = re.compile(r"\d")


# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__, which is
# slow enough to matter when a view is made for every field.  Treat a view as read-only.
@dataclass(slots=True)
class TextView:
    text: str
    lower: str  # same length as text, so offsets agree
    tokens: frozenset[str]  # words as written, for case-sensitive checks ("NM", "County")
    words: frozenset[str]  # the same words lower-cased
    has_digit: bool
    # Where each lead-in prefix starts a word, filled on demand and shared by all patterns.
    prefix_starts: dict[str, list[int]] = field(default_factory=dict)
    reversed_text: str | None = None  # made on demand by run_start

    @classmethod
    def of(cls, text: str) -> TextView:
        lower = text.lower()
        if len(lower) != len(text):  # a few characters ("İ") lower-case to two
            lower = "".join(char if len(char.lower()) != 1 else char.lower() for char in text)
        tokens = frozenset(text.translate(_ASCII_LETTERS_ONLY).split() if text.isascii() else _WORD.findall(text))
        return cls(text, lower, tokens, frozenset(map(str.lower, tokens)), _DIGIT.search(text) is not None)

    def has_any(self, keywords: frozenset[str]) -> bool:
        return not self.words.isdisjoint(keywords)

    def run_start(self, end: int, run: re.Pattern[str]) -> int:
        """Where the run of characters that ends at ``end`` starts: ``run`` matches any number of
        characters of one set ("[\\w.+-]*").  re reads forwards only, so it reads the text reversed."""
        if self.reversed_text is None:
            self.reversed_text = self.text[::-1]
        reversed_end = len(self.text) - end
        return end - (run.match(self.reversed_text, reversed_end).end() - reversed_end)

    def starts_of(self, prefix: str) -> list[int]:
        starts = self.prefix_starts.get(prefix)
        if starts is None:
            starts = []
            lower = self.lower
            position = lower.find(prefix)
            while position != -1:
                # A word starts here unless a word character (re's \w: alphanumeric or "_") precedes.
                if position == 0 or not (lower[position - 1].isalnum() or lower[position - 1] == "_"):
                    starts.append(position)
                position = lower.find(prefix, position + 1)
            self.prefix_starts[prefix] = starts
        return starts


def find_all(text: str, sub: str) -> list[int]:
    """Every position where ``sub`` occurs, overlapping occurrences included."""
    positions = []
    position = text.find(sub)
    while position != -1:
        positions.append(position)
        position = text.find(sub, position + 1)
    return positions


def matches_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """The matches pattern.finditer(text) finds, given (ascending, repeats allowed) every position
    where one can start: each is tried unless inside the previous match.  The pattern must not
    match the empty string."""
    match_at, last_end = pattern.match, -1
    for start in starts:
        if start < last_end:
            continue
        match = match_at(text, start)
        if match:
            last_end = match.end()
            yield match


def split_alternatives(alternation: str) -> list[str]:
    """Top-level alternatives of a regex alternation ("a|b(?:c|d)|e" -> ["a", "b(?:c|d)", "e"])."""
    parts, depth, current = [], 0, []
    escaped = in_class = False
    for char in alternation:
        if escaped:
            current.append(char)
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif in_class:  # "(", "|" and "]" are plain characters in "[(|]" (a "]" first is not handled)
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return [part for part in (p.strip() for p in parts) if part]


_PLAIN_WORD = re.compile(r"[A-Za-z]+")
_REGEX_META = set(".^$*+?{}[]()|\\")


def literal_prefix(alternative: str) -> str:
    """The plain text an alternative must start with: "med(?:ical)?" -> "med", "s/n" -> "s/n"."""
    prefix = []
    index = 0
    while index < len(alternative):
        char = alternative[index]
        if char == "\\" and index + 1 < len(alternative) and alternative[index + 1] in ".#-/'":
            prefix.append(alternative[index + 1])
            index += 2
            continue
        if char in _REGEX_META:
            break
        prefix.append(char)
        index += 1
    # A following "?" or "*" makes the last character optional.
    if index < len(alternative) and alternative[index] in "?*" and prefix:
        prefix.pop()
    return "".join(prefix).lower()


class KeywordPattern:
    """A regex that opens with one of several lead-in words, tried only where they occur.

    Scanning a text with a long case-insensitive alternation is slow in Python's re; finding the
    few places where a lead-in word starts (str.find) and matching there is fast.  Every
    alternative must open with a literal of two or more characters ("pt", "med(?:ical)?").
    """

    def __init__(self, alternation: str, rest: str, *, group: str | None = None, before: str = "") -> None:
        alternatives = split_alternatives(alternation)
        prefixes = {literal_prefix(alternative) for alternative in alternatives}
        if any(len(prefix) < 2 for prefix in prefixes):
            raise ValueError(f"every alternative needs a literal start of 2+ characters: {alternation!r}")
        # Before scanning for a prefix, ask whether its word occurs at all: a set lookup when the
        # prefix is a whole word ("pt" in "pt\\.?"), a substring test when it is not ("med").
        gates = {_gate(alternative) for alternative in alternatives}
        self.prefixes_by_word: dict[str, tuple[str, ...]] = {}
        for prefix, gate_word, whole in gates:
            if whole:
                self.prefixes_by_word[gate_word] = (*self.prefixes_by_word.get(gate_word, ()), prefix)
        self.gate_words = frozenset(self.prefixes_by_word)
        self.partial_gates = tuple(sorted((prefix, gate_word) for prefix, gate_word, whole in gates if not whole))
        grouped = _group_by_first_letter(alternatives)
        lead = grouped if group is None else f"(?P<{group}>{grouped})"
        self.regex = re.compile(before + lead + rest)

    def occurs_in(self, view: TextView) -> bool:
        """Whether a lead-in word occurs at all (the test finditer starts with, without the lists):
        a cheap gate for a detector that does more than iterate over the matches."""
        if not self.gate_words.isdisjoint(view.words):
            return True
        return bool(self.partial_gates) and any(gate_word in view.lower for _, gate_word in self.partial_gates)

    def finditer(self, view: TextView) -> Iterator[re.Match[str]]:
        lists = self._word_start_lists(view)
        if not lists:
            return iter(())
        # One list (the usual case) is already sorted and free of repeats.
        return matches_at(self.regex, view.text, lists[0] if len(lists) == 1 else sorted(set().union(*lists)))

    def _word_start_lists(self, view: TextView) -> list[list[int]]:
        """Where the lead-in words start, as one sorted list per prefix that occurs."""
        lists = []
        starts_of = view.starts_of
        for word in self.gate_words & view.words:
            for prefix in self.prefixes_by_word[word]:
                if starts := starts_of(prefix):
                    lists.append(starts)
        if self.partial_gates:
            lower = view.lower
            for prefix, gate_word in self.partial_gates:
                if gate_word in lower and (starts := starts_of(prefix)):
                    lists.append(starts)
        return lists


def _gate(alternative: str) -> tuple[str, str, bool]:
    """(literal prefix, its first word, whether that word is complete) for one alternative."""
    prefix = literal_prefix(alternative)
    gate_word = _PLAIN_WORD.match(prefix).group().lower()
    if len(gate_word) < len(prefix):
        return prefix, gate_word, True  # "s/n", "pa-c": punctuation ends the word
    rest = alternative[len(prefix) :]
    # Whitespace after the prefix, or an optional group that opens with it, ends the word ("goes[ \t]+by",
    # "badgercare(?: plus)?"): the word is then looked up whole, not searched for in the text.
    ends_word = rest.startswith(_WHITESPACE_OPENINGS) and "|" not in rest.split(")", 1)[0]
    continues_word = not ends_word and (rest[:1].isalpha() or rest[:1] in ("(", "[") or rest[:1] in ("?", "*"))
    return prefix, gate_word, not continues_word


_WHITESPACE_OPENINGS = ("[ \\t]", "\\s", " ", "(?: ", "(?:[ \\t]", "(?:\\s")


# Characters that re's IGNORECASE matches to an ASCII letter besides its two cases (re docs).
_OTHER_CASES = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def case_insensitive_alternation(alternation: str) -> str:
    """ "on|since|once" -> "(?:[oO](?i:n|nce)|[sS\u017f](?i:ince))": matches as "(?i:on|since|once)" does.

    re tries each alternative of a case-insensitive alternation in turn, but passes over a branch
    that opens with a plain character set when the set does not match, so grouping a long list of
    words by first letter makes each failed attempt cheap.  The set holds every character that
    (?i:letter) matches, and the alternatives keep their order within a letter, so the matches
    (and which alternative wins) are exactly those of the plain alternation.  Every alternative
    must open with a letter that is not optional ("dated?" is fine, "a?b" is not).
    """
    tails: dict[str, list[str]] = {}
    for alternative in split_alternatives(alternation):
        first = alternative[0].lower()
        if not ("a" <= first <= "z") or alternative[1:2] in ("?", "*", "+", "{"):
            raise ValueError(f"every alternative must open with a letter: {alternative!r}")
        tails.setdefault(first, []).append(alternative[1:])
    branches = (
        f"[{letter}{letter.upper()}{_OTHER_CASES.get(letter, '')}](?i:{'|'.join(group)})"
        for letter, group in tails.items()
    )
    return f"(?:{'|'.join(branches)})"


def _group_by_first_letter(alternatives: list[str]) -> str:
    """ "pt|patient|son" -> "(?:[pP](?i:atient|t)|[sS](?i:on))": re then tries one group, not all."""
    tails: dict[str, list[str]] = {}
    for alternative in alternatives:
        tails.setdefault(alternative[0].lower(), []).append(alternative[1:])
    branches = (
        f"[{letter}{letter.upper()}](?i:{'|'.join(sorted(set(group), key=len, reverse=True))})"
        for letter, group in sorted(tails.items())
    )
    return f"(?:{'|'.join(branches)})"


class LineReader:
    """``reads(text, line_start, line_end)`` of the line holding each position asked about, each
    line read once.  Positions must be asked about in order: a line's start is searched for only
    back to the last position asked about (searching back to the text's start every time, and
    reading the whole line every time, was quadratic on one long line: 50 s/MB)."""

    __slots__ = ("text", "reads", "answers", "searched", "line_start")

    def __init__(self, text: str, reads: Callable[[str, int, int], bool]) -> None:
        self.text, self.reads = text, reads
        self.answers: dict[int, bool] = {}  # by line start
        self.searched = self.line_start = 0

    def at(self, position: int) -> bool:
        text = self.text
        self.line_start = text.rfind("\n", self.searched, position) + 1 or self.line_start
        self.searched = position
        answer = self.answers.get(self.line_start)
        if answer is None:
            line_end = text.find("\n", position)
            answer = self.answers[self.line_start] = self.reads(text, self.line_start, len(text) if line_end == -1 else line_end)
        return answer


def line_in_capitals(text: str, start: int, end: int) -> bool:
    return text[start:end].isupper()


# A line whose sentences open with a capital ("Social history: 12 yo, school nurse helps with insulin",
# "Mini-Cog 2/5; referred to memory clinic") is written by someone who capitalises: a word of it in
# lower case is no name written small.  Text typed on a phone opens with none ("pt sunny okafor
# 17F, junior at jefferson high"), whatever abbreviations it holds in capitals.
CAPITALISED_OPENING = re.compile(r"(?:^|[.!?]\s+|\n)[ \t\"'(•*-]*[A-Z][a-z]")


def writes_capitals(text: str, start: int, end: int) -> bool:
    return CAPITALISED_OPENING.search(text, start, end) is not None
