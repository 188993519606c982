r"""A text prepared once per find_phi() call, and lead-in patterns tried only where they can match.

Two facts about Python's re shape every pattern in this package:

* A scan is fast only when the pattern opens with a plain character set (``[0-9]``, ``[A-Z]``):
  re then skips ahead in C.  A pattern that opens with ``\b``, a look-behind or an alternation is
  tried at every position, 5-10 times slower.  So patterns open with a set and check what precedes
  with a look-behind right after it: ``[0-9](?<![\w/.-].)...``.
* Asking whether a word occurs at all (a set lookup) costs far less than any scan, so detectors
  first check ``view.has_any(KEYWORDS)``, and lead-in patterns (``KeywordPattern``) are matched
  only where one of their words starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_WORD = re.compile(r"[A-Za-z]+")
_DIGIT = re.compile(r"\d")
_WORD_CHARACTER = re.compile(r"\w").match


@dataclass(frozen=True, slots=True)
class TextView:
    text: str
    lower: str  # same length as text, so offsets agree
    tokens: frozenset[str]  # words as written, for case-sensitive checks ("NM", "County")
    words: frozenset[str]  # the same words lower-cased
    has_digit: bool
    # Where each lead-in prefix starts a word, filled on demand and shared by all patterns.
    prefix_starts: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, text: str) -> TextView:
        lower = text.lower()
        if len(lower) != len(text):  # a few characters ("İ") lower-case to two
            lower = "".join(char if len(char.lower()) != 1 else char.lower() for char in text)
        tokens = frozenset(_WORD.findall(text))
        return cls(text, lower, tokens, frozenset(map(str.lower, tokens)), _DIGIT.search(text) is not None)

    def has_any(self, keywords: frozenset[str]) -> bool:
        return not self.words.isdisjoint(keywords)

    def starts_of(self, prefix: str) -> list[int]:
        starts = self.prefix_starts.get(prefix)
        if starts is None:
            starts = []
            lower = self.lower
            position = lower.find(prefix)
            while position != -1:
                if position == 0 or not _WORD_CHARACTER(lower[position - 1]):
                    starts.append(position)
                position = lower.find(prefix, position + 1)
            self.prefix_starts[prefix] = starts
        return starts


def split_alternatives(alternation: str) -> list[str]:
    """Top-level alternatives of a regex alternation ("a|b(?:c|d)|e" -> ["a", "b(?:c|d)", "e"])."""
    parts, depth, current = [], 0, []
    escaped = False
    for char in alternation:
        if escaped:
            current.append(char)
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char in "([":
            depth += 1
        elif char in ")]":
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

    def finditer(self, view: TextView) -> Iterator[re.Match[str]]:
        last_end = -1
        for position in sorted(self._word_starts(view)):
            if position < last_end:
                continue
            match = self.regex.match(view.text, position)
            if match:
                last_end = match.end()
                yield match

    def _word_starts(self, view: TextView) -> set[int]:
        starts: set[int] = set()
        for word in self.gate_words & view.words:
            for prefix in self.prefixes_by_word[word]:
                starts.update(view.starts_of(prefix))
        for prefix, gate_word in self.partial_gates:
            if gate_word in view.lower:
                starts.update(view.starts_of(prefix))
        return starts


def _gate(alternative: str) -> tuple[str, str, bool]:
    """(literal prefix, its first word, whether that word is complete) for one alternative."""
    prefix = literal_prefix(alternative)
    gate_word = _PLAIN_WORD.match(prefix).group().lower()
    if len(gate_word) < len(prefix):
        return prefix, gate_word, True  # "s/n", "pa-c": punctuation ends the word
    rest = alternative[len(prefix) :]
    continues_word = rest[:1].isalpha() or rest[:1] in ("(", "[") or rest[:1] in ("?", "*")
    return prefix, gate_word, not continues_word


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
