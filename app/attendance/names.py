"""Name normalisation for matching report rows to members. Pure string work."""

from __future__ import annotations

import re
import unicodedata

# The part before the parentheses is a device, not a person: "iPhone (Brian Smith)",
# "Eric's iPad (Clapton)", "Galaxy S21 (Ana Ruiz)". The person is inside.
_DEVICE = re.compile(
    r"(?:.+['’]s\s+)?(?:iphone|ipad|ipod|android|galaxy|samsung|pixel|huawei|xiaomi|"
    r"oneplus|moto|motorola|sm-|macbook|windows|zoom\s+user|zoom\s+rooms?)\b.*",
    re.IGNORECASE,
)
_PARENTHESISED = re.compile(r"^(?P<outer>.*?)\s*\((?P<inner>[^()]*)\)\s*$")
# Roster numbers that programs ask people to put in front of their name: "015_Loki",
# "12 - Ana", "3. Bo".
_ROSTER_PREFIX = re.compile(r"^\s*\d+\s*(?:[_.:)\-]\s*|\s+)")
# Latin letters with no Unicode decomposition, spelt as people type them without the key.
_PLAIN_LATIN = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)
_NOT_WORD = re.compile(r"[\W_]+")
# Clinicians often add credentials ("Jane Doe, MD, PhD") or a title ("Dr. Jane Doe").
# Credentials are dropped only after a comma, so a surname such as "Ma" or "Do" survives.
_CREDENTIALS = re.compile(
    r"(?:,\s*(?:md|do|phd|rn|np|pa|pa-c|pharmd|mph|msn|fnp|fnp-c|dnp|aprn|crnp|bsn|lcsw|"
    r"lpc|msw|mba|facp|faafp|faap|psyd|dds|dmd|cnm|mbbs|ms|ma)\.?)+\s*$",
    re.IGNORECASE,
)
_TITLE = re.compile(r"^(?:dr|prof|mr|mrs|ms|mx)\.?\s+", re.IGNORECASE)


def normalise_name(name: str) -> str:
    """A key under which the spellings of one person's name compare equal.

    Casefolds, strips Latin accents (Japanese kana keep their voicing marks), swaps
    "Last, First" to "first last", drops credentials after a comma (", MD") and a
    leading title ("Dr."), drops roster prefixes ("015_"), replaces a device name by
    the person in its parentheses, drops any other trailing parenthetical ("(EXT)",
    "(she/her)"), and turns punctuation and runs of spaces into single spaces.
    """
    text = unicodedata.normalize("NFKC", name).strip()
    text = _person_part(text)
    text = _ROSTER_PREFIX.sub("", text)
    text = _TITLE.sub("", _without_credentials(text)).strip()
    if text.count(",") == 1:
        last, first = text.split(",")
        text = f"{first} {last}"
    text = _strip_latin_accents(text).casefold().translate(_PLAIN_LATIN)
    text = re.sub(r"['’`]", "", text)  # O'Brien and OBrien are one spelling
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _without_credentials(text: str) -> str:
    """Drop ", MD, PhD" unless that would leave a single word: "Nguyen, Do" is a name."""
    stripped = _CREDENTIALS.sub("", text).strip()
    return stripped if len(re.split(r"[\s,]+", stripped)) >= 2 else text


def _person_part(text: str) -> str:
    match = _PARENTHESISED.match(text)
    if not match:
        return text
    outer, inner = match["outer"].strip(), match["inner"].strip()
    outer_without_prefix = _ROSTER_PREFIX.sub("", outer)
    if inner and (not outer_without_prefix or _DEVICE.fullmatch(outer_without_prefix)):
        return inner
    return outer or inner


def _strip_latin_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    kept: list[str] = []
    for char in decomposed:
        # A combining mark after a Latin letter is an accent (é -> e); after kana it is
        # part of the letter (が is not か), so it stays.
        if unicodedata.combining(char) and kept and kept[-1] < "\u0250":
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))
