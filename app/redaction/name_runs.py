"""Names in runs of capitalised words: "Maria Lopez", "Keisha reports", "Aaliyah is a 7 yo".

A run is split into "First [M.] Last" pairs and single words; a word alone is a name when it is a
listed first name or surname that is not also an ordinary word, or an unlisted word in the
subject position of an age ("Chidi is a 7 yo", "Ahanu (8 yo)").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.redaction.findings import LIKELY, PhiFinding
from app.redaction.lexicon import (
    CLINICAL_ENDINGS, CLINICAL_WORDS, EPONYM_NOUNS, PEOPLE_WORDS, POSSESSIVE, RELATION_WORDS, SPANISH_WORDS, Lexicon,
)
from app.redaction.scan import case_insensitive_alternation

# Capitalised name word: Smith, O'Neil, D'Angelo, McDonald, DeShawn, Tre'Von, Mary-Kate.  CAP_TAIL is
# the same word after its first capital, so the run pattern can open with a plain [A-Z], which
# Python's re scans for quickly.  The letter runs are possessive ("++"): nothing that may follow
# a word here starts with a lower-case letter, so giving letters back could never help, and
# re would otherwise retry every shorter run when the word is not followed by, say, a comma.
# Optional parts are written "(?:X|)", not "(?:X)?" (see scan.py).
# A hyphen may join a second part in lower case, as Korean given names are written ("Soo-ah", "Hye-jin").
CAP_TAIL = r"(?:[a-z]?['’][A-Z]|)[a-z]++(?:[A-Z][a-z]++|['’][A-Z][a-z]++|)(?:-[A-Za-z][a-z]++|)"
CAP_WORD = rf"[A-Z]{CAP_TAIL}"
# Further words, "(?:\s(?:[A-Z]\.?\s)?{CAP_WORD})*", are only tried where a space and a capital
# follow: most runs are one word.
# Particles inside a name: "Johannes van der Berg", "Ahmad bin Ismail", "Khalid al-Harbi".
RUN_PARTICLES = frozenset("van von der den de del della di da du la le bin ibn bint abu al el dos das ten ter".split())
_PARTICLE = "(?:" + "|".join(sorted(RUN_PARTICLES, key=lambda particle: (-len(particle), particle))) + ")"
CAPITALISED_RUN = re.compile(
    rf"[A-Z](?<![\w'’-].){CAP_TAIL}(?:(?=\s(?:[A-Z]|{_PARTICLE}[\s-][A-Z]|{_PARTICLE}\s{_PARTICLE}\s[A-Z]))"
    rf"(?:\s(?:[A-Z]\.?\s|{_PARTICLE}\s(?:{_PARTICLE}\s|)|)(?:(?:al|el)-|){CAP_WORD})+|)(?![\w-])"
)
# Census first names that open sentences as words: "In Gallup, ...", "So Smith said".
_FUNCTION_WORDS = frozenset("in an so my the and or of to at on by for if is it as".split())
# "Tom B.": a first name and the initial of the surname (not "J.S." or "B. Smith", read elsewhere).
INITIAL_AFTER = re.compile(r" [A-Z]\.(?![\w.]| [A-Z][a-z])")
# Case-insensitive word lists are grouped by first letter (see scan.case_insensitive_alternation).
EPONYM_NOUN = re.compile(rf"(?i:{EPONYM_NOUNS})")
EPONYM_AFTER = re.compile(rf"(?i:['’]s)?[\s-]+{case_insensitive_alternation(EPONYM_NOUNS)}\b")
# "X is a 7 yo", "X (8 yo)", "X, a 92-year-old", "X called", "X reports": X is a person.
_SUBJECT_VERBS = (
    r"called|calls|reports|reported|states|stated|says|said|denies|denied|presents|presented|"
    r"endorses|endorsed|complains|complained|admits|admitted\s+to|came|comes|returned|declined|agreed|"
    r"wants|wanted|prefers|asked|tells|told|lives|works|drives|helps|visits"
)
# "X's mother", "X's labs": what only a person has.
_PERSON_POSSESSIONS = (
    rf"{RELATION_WORDS}|labs?|chart|notes?|meds|medications|insurance|pcp|doctor|provider|appointment|visit|"
    r"caseworker|case\s+manager|family|home|house"
)
SUBJECT_AFTER = re.compile(
    r"(?i:\s+(?:is|was)\s+an?\s+[0-9]|\s*\([0-9]{1,3}\s*(?:yo|y/o|y|m|f|mo|years?)|,\s+an?\s+[0-9]"
    # "X, 43 yo", "X, 78 y/o", "X, 55, with ...", "X, who was admitted"
    r"|,\s*[0-9]{1,3}(?:\s*(?:yo|y/o|y\.o\.|years?|yrs?|-year|[mf])\b|,)|,\s+who\b"
    # "X (DOB 3/16)", "X (MRN 86364)", "X, evaluated at ..."
    r"|\s*\(\s*(?:dob|mrn|age)\b|,\s+(?:evaluated|seen|admitted|treated|diagnosed|referred)\b)"
    rf"|\s+{case_insensitive_alternation(_SUBJECT_VERBS)}\b"
    rf"|['’]s\s+{case_insensitive_alternation(_PERSON_POSSESSIONS)}\b"
)


_CHURCH_TITLES = frozenset({"Bro", "Sis"})
# Spanish words that name lists also hold, read as words in Spanish text before a word in lower case.
_SPANISH_WORDS_ALSO_NAMES = frozenset(
    "Ella Toma Tomo Pesa Familia Niña Nina Niño Nino Dice Llora Vive Trae Lleva Vino Viene Come Usa Sigue Fue Esta "
    "Como Hola Pero Cuando Donde Tiene Toda Todo".split())
_LOWER_CASE_WORD_AFTER = re.compile(r"[ \t]+(?:[a-zá-úñ]|[0-9])")


def _holds_spanish(text: str) -> bool:
    """Three words of Spanish or more: enough beside one of _SPANISH_WORDS_ALSO_NAMES opening a clause."""
    return sum(token.strip(".,;:!?¿¡()\"'") in SPANISH_WORDS for token in text.lower().split()) >= 3


def find_names_in_capitalised_runs(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    for run in CAPITALISED_RUN.finditer(text):
        run_text = run.group()
        if " " not in run_text:  # one word, the common case: cheap set lookups before any regex
            if run_text in _CHURCH_TITLES and text.startswith(".", run.end()):
                continue  # "pastor Bro. Lyle": a title (names.py reads the name after it)
            if run_text in _SPANISH_WORDS_ALSO_NAMES and _LOWER_CASE_WORD_AFTER.match(text, run.end()) and _holds_spanish(text):
                continue  # "Ella teme que ...", "Toma lorazepam", "Pesa 80 kg": a Spanish word opening a clause
            # A word on no name list that is not name-like ("Denies", "Plan") is never a name alone.
            if words.may_be_name(run_text):
                if (name := _one_word_name(text, *run.span(), words)) is not None:
                    yield name
            elif (text.startswith((",", " is ", " was ", " ("), run.end()) and AGE_OR_WHO_AFTER.match(text, run.end())
                  and _may_be_a_name(run_text, words)):
                yield PhiFinding(run.start(), run.end(), "NAME", LIKELY)  # "in Easter, who was admitted"
            continue
        # The run's words (first/last names, middle initials) lie one whitespace character apart.
        run_words = run_text.split()
        run_start = run.start()
        # A sentence opener is no part of a name ("For Elhan (DOB ...)", "Should Wilfrido F. be ...").
        while len(run_words) > 1 and (_is_opener(run_words[0], words) or run_words[0] in RUN_PARTICLES):
            run_start += len(run_words.pop(0)) + 1  # and a particle left first: "Paciente de Guaynabo"
        if len(run_words) == 1:
            if (name := _one_word_name(text, run_start, run.end(), words)) is not None:
                yield name
            continue
        if all(map(words.is_plain_word, run_words)):
            continue  # "Follow Up", "Blood Pressure": every test below needs a word that is not ordinary
        if all(map(words.is_name_like, run_words)) and SUBJECT_AFTER.match(text, run.end()):
            yield PhiFinding(run_start, run.end(), "NAME", LIKELY)
            continue
        tokens = []
        start = run_start
        for word in run_words:
            tokens.append((start, word))
            start += len(word) + 1
        if EPONYM_AFTER.match(text, run.end()):
            if not text.startswith(POSSESSIVE, run.end()):
                continue  # "Lou Gehrig disease", "Austin Flint murmur": the whole run names the eponym
            tokens.pop()  # "Wilson's disease": the last word is an eponym
        # "McGill Pain Index", "Glasgow Coma Scale": the words before an eponym noun name no one.
        nouns = [index for index, (_, word) in enumerate(tokens) if index and EPONYM_NOUN.fullmatch(word)]
        if nouns:
            tokens = tokens[nouns[-1] + 1 :]
        yield from _names_in_run(tokens, words)


def _one_word_name(text: str, start: int, end: int, words: Lexicon) -> PhiFinding | None:
    """The name a one-word run is, if any (a function, not a generator: it runs for most
    capitalised words of every field)."""
    word = text[start:end]
    bare_name, name_like = words.name_flags(word)
    initial = INITIAL_AFTER.match(text, end) if text.startswith(" ", end) else None
    if initial and _is_first_name_before_initial(word, words, text, initial.end()):
        return PhiFinding(start, initial.end(), "NAME", LIKELY)  # "Tom B.", "Azizi P., 43"
    if bare_name:
        # "with Wilson's.": an eponym's possessive is the disease even with no noun after it.
        eponym_possessive = text.startswith(POSSESSIVE, end) and f"{word.lower()}s" in CLINICAL_WORDS
        if not (eponym_possessive or EPONYM_AFTER.match(text, end)):
            return PhiFinding(start, end, "NAME", LIKELY)
        return None
    if ((name_like or _is_word_first_name(word, words)) and SUBJECT_AFTER.match(text, end)
            and word.lower() not in _KINDS_OF_PERSON):  # not "Son lives out of state"
        return PhiFinding(start, end, "NAME", LIKELY)  # "Keisha reports", "Hope reports"
    if AGE_OR_WHO_AFTER.match(text, end) and words.may_be_name(word) and _may_be_a_name(word, words):
        return PhiFinding(start, end, "NAME", LIKELY)  # "Haddock, 59 yo": a listed name that is also a word
    if name_like and text.startswith(("'s ", "’s "), end) and _owner_of_what_follows(text, start, end + 3, words):
        return PhiFinding(start, end, "NAME", LIKELY)  # "for Skyler's w/d", "Jaxon's inhaler"
    return None


_OPENS_SENTENCE_BEFORE = re.compile(r"(?:^|[.!?:;\n])[ \t\"'(•*-]*$")
_OWNED = re.compile(r"[a-z/]+|[A-Z]{2,5}\b")
_NOT_OWNED = frozenset("because and or but since as if when while with in on at of for to is was has had".split())


def _owner_of_what_follows(text: str, start: int, after: int, words: Lexicon) -> bool:
    """A word no list holds, owning what follows in lower case or an abbreviation ("Skyler's w/d",
    "Jaxon's MRI"), inside a sentence: a person.  Not a drug, a place or a clinical word."""
    word = text[start:after - 3]
    lower = word.lower()
    if lower in words.drug_names or lower in words.places or lower in CLINICAL_WORDS or lower.endswith(CLINICAL_ENDINGS):
        return False
    if _OPENS_SENTENCE_BEFORE.search(text, max(0, start - 6), start) or EPONYM_AFTER.match(text, after - 3):
        return False  # "Srvanampatti's phenomenon": an eponym
    owned = _OWNED.match(text, after)
    return owned is not None and owned.group() not in _NOT_OWNED


# An age, not a duration ("3 years" may be how long a pain lasted): "yo", "y/o", "-year-old", "years old".
_AGE = r"(?:\s*(?:yo|y/o|y\.o\.)\b|[\s-]*years?[\s-]+old\b|-year-old\b)"
# What only a person is followed by: an age ("X, 59 yo", "X (8 yo)", "X is a 7 yo") or ", who".
# After these even a word of the dictionary is a name, unless it names a kind of person.
AGE_OR_WHO_AFTER = re.compile(
    r"(?i:\s+(?:is|was)\s+an?\s+[0-9]{1,3}" + _AGE + r"|\s*\([0-9]{1,3}" + _AGE + r"\)"
    r"|,\s*an?\s+[0-9]{1,3}" + _AGE + r"|,\s*[0-9]{1,3}" + _AGE + r"|,\s+who\s+(?:is|was|has|had|lives|presents|presented|comes|came|reports|takes|took)\b)"
)
_KINDS_OF_PERSON = frozenset(
    "patient pt client male female man woman boy girl child infant baby teen adult veteran resident "
    "mother father mom dad son daughter sister brother wife husband partner grandma grandpa aunt uncle "
    "someone everyone nobody anyone person people other another case clinician provider doctor nurse".split()
)


def _may_be_a_name(word: str, words: Lexicon) -> bool:
    lower = word.lower()
    return (len(word) >= 3 and lower not in _KINDS_OF_PERSON and lower not in CLINICAL_WORDS
            and lower not in PEOPLE_WORDS and lower not in _FUNCTION_WORDS and not word.isupper())


def is_listed_or_unknown(word: str, words: Lexicon) -> bool:
    """Laxer than Lexicon.is_name_like, for name-shaped context ("SMITH, JOHN"): a listed name even if it
    is also an ordinary word, or an unknown word."""
    lower = word.lower()
    if lower in CLINICAL_WORDS or not word.replace("'", "").replace("’", "").replace("-", "").isalpha():
        return False
    return words.is_known_name(word) or lower not in words.english_words


def _names_in_run(tokens: list[tuple[int, str]], words: Lexicon) -> Iterator[PhiFinding]:
    index = 0
    while index < len(tokens):
        start, word = tokens[index]
        last = _full_name_end(tokens, index, words)
        if last is not None:
            end_start, end_word = tokens[last]
            yield PhiFinding(start, end_start + len(end_word), "NAME", LIKELY)
            index = last + 1
            continue
        if words.is_bare_name(word):
            yield PhiFinding(start, start + len(word), "NAME", LIKELY)
        index += 1


def _full_name_end(tokens: list[tuple[int, str]], index: int, words: Lexicon) -> int | None:
    """Index of the surname when tokens[index] starts "First [M.] Last", else None."""
    first = tokens[index][1]
    if len(first) < 2 or first.lower() in CLINICAL_WORDS or first.lower() in _FUNCTION_WORDS:
        return None
    # An unlisted first name ("Ahanu", "Aaliyah") counts before a listed, non-English surname.  A
    # first word the lists hold only as a surname ("Yusuf", "Hassan": the lists come from one
    # country's census) is listed too when both words are name-like ("Yusuf Demir").
    unlisted_first = not words.is_first_name(first)
    if unlisted_first and (len(first) < 3 or not words.is_name_like(first)):
        return None
    following = index + 1
    if following < len(tokens) and len(tokens[following][1].rstrip(".")) == 1:
        following += 1  # middle initial
    particles = 0
    while following < len(tokens) - 1 and particles < 2 and tokens[following][1] in RUN_PARTICLES:
        following, particles = following + 1, particles + 1  # "van der Berg", "bin Ismail"
    if following >= len(tokens):
        return None
    last = tokens[following][1]
    if particles and (words.is_known_name(first) or words.is_name_like(first)) and last.lower() not in CLINICAL_WORDS:
        return following  # particles between two capitalised words make them one name
    if unlisted_first and words.is_surname(first) and words.is_name_like(last):
        unlisted_first = False
    if len(last) < 2 or (last.lower() in CLINICAL_WORDS and not _is_eponym_surname(first, last, words)):
        return None
    surname_like = words.is_surname(last) or last.lower() not in words.english_words
    # "Ozana V. Hagen-Jerez", "Onkar P. Golden": a middle initial between a name-like first word and
    # a capitalised one makes them a name, even when the last is also a word.
    initialled = following == index + 2 and (words.is_name_like(last) or (
        words.is_name_like(first) and last.lower() not in CLINICAL_WORDS and last.lower() not in _FUNCTION_WORDS))
    listed_last = words.is_surname(last) and words.is_name_like(last)
    if (unlisted_first and not initialled and not listed_last and following == index + 1
            and _unlisted_name_pair(first, last, words)):
        return following  # "Abdirahman Warsame", "Oluwaseun Adeyemi": two words no list or dictionary holds
    if not (surname_like or initialled) or (unlisted_first and not initialled and not listed_last):
        return None
    if words.is_plain_word(first) and words.is_plain_word(last) and following == index + 1:
        return None  # "Grace Period", "Will Price", but "Will B. Price" is a person
    return following


def _unlisted_name_pair(first: str, last: str, words: Lexicon) -> bool:
    """Two capitalised words, each of three letters or more, on no list and in no dictionary (not a
    drug, a place, a clinical word), spelt like names: lower case after the capital, with vowels."""
    return all(
        len(word) >= 3 and word[1:].islower() and word.isalpha() and words.is_name_like(word)
        and word.lower() not in words.places and not word.lower().endswith(CLINICAL_ENDINGS)
        and any(char in "aeiouy" for char in word[1:])
        for word in (first, last)
    )


def _is_eponym_surname(first: str, last: str, words: Lexicon) -> bool:
    """ "Mary Johnson", "Lena Addison": a listed surname that is also an eponym, after a listed
    first name that is not an ordinary word (an eponym noun after it was already dropped)."""
    return words.is_surname(last) and words.is_first_name(first) and not words.is_plain_word(first)


def _is_word_first_name(word: str, words: Lexicon) -> bool:
    """A first name that is also a word ("Hope", "Will", "Grace"): a name only as a subject."""
    return words.is_first_name(word) and len(word) >= 3 and word.lower() not in CLINICAL_WORDS


def _is_first_name_before_initial(word: str, words: Lexicon, text: str, end: int) -> bool:
    """ "Tom B.", "Grace K.", "Wilfrido F.": a first name, listed or not, that is no ordinary word."""
    if word.lower() in CLINICAL_WORDS:
        return words.is_known_name(word)  # "Johnson L.", "April K."
    return words.is_first_name(word) or words.is_name_like(word)  # "Wilfrido F.", "Tom B."


def _is_opener(word: str, words: Lexicon) -> bool:
    """An ordinary word that opens a sentence or question and is no first name ("For", "Should",
    "Paciente")."""
    return len(word) > 1 and (words.is_plain_word(word) or word.lower() in SPANISH_WORDS) and not words.is_first_name(word)
