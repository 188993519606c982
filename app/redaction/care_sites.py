"""Places named by where care happens, listed or not: "admitted to Cedars-Sinai", "seen at UCSF",
"treated at Riverbend Med Ctr", "our Dallas clinic", "the Hazard ED", "St. Perpetua's".

Word lists cannot hold every hospital, and need not: after a care verb and "at", "to", "from" or
"in", a run of capitalised words is a place unless every word in it is an ordinary or clinical
word ("admitted to Medicine", "seen in GI Clinic"), a person's title opens it ("referred to Dr.
Lee"), it is a state or country ("moved from Texas"), a dose follows it ("held at Lantus 20
units") or it names a study, a team or an eponym ("the GUSTO trial", "the Dawson Pain Index").
After "at" alone a place needs a word on no list.  Between "our"/"the" and a site noun ("clinic",
"office", "ED", "police"), a capitalised word that is not ordinary, or a listed town, is a town.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.redaction.clinical_terms import CLINICAL_ABBREVIATIONS, DOSE_AFTER, UNIT_ABBREVIATIONS, is_specialty
from app.redaction.facilities import GENERIC_FACILITY_WORDS
from app.redaction.findings import LIKELY, PhiFinding
from app.redaction.lexicon import CLINICAL_WORDS, PEOPLE_WORDS, Lexicon
from app.redaction.place_words import NOT_PHI_PLACES, STATE_CODE_SET, TOWN_NAME_WORDS
from app.redaction.scan import KeywordPattern, TextView, find_all

# Whole words only, optional endings spelt out: a KeywordPattern then gates each on a set lookup
# instead of a substring scan of the text.
_CARE_VERBS = (
    r"seen|evaluated|treated|tx'd|txd|admitted|admit|readmitted|discharged|transferred|presented|presents|"
    r"hospitalized|hospitalised|assessed|reviewed|consulted|followed|managed|diagnosed|dx'd|dxd|operated|referred|"
    r"ref'd|refd|delivered|examined|visited|visit|visits|appointment|appointments|appt|appts|surgery|procedure|"
    r"dialysis|checked\s+in|care|cared\s+for|works|work|worked|working|employed|lives|lived|living|resides|"
    r"residing|stays|staying|born|underwent|undergoing|went|goes|receives|received|receiving|imaging|biopsy|"
    r"scan|infusion|infusions|rehab|placed|housed|incarcerated|detained|enrolled|attends|attended|inpatient|"
    r"outpatient|stay|stayed|ed\s+visit|er\s+visit|tested|vaccinated|f/u|follow\s+up|follow-up|followup|"
    r"treatment|therapy|chemo|radiation|replacement|transplant|consultation|consult|intake|"
    # records and transfers carry their site too: "records from Banner Desert", "transfer to Abbott
    # Northwestern"
    r"transfer|records"
)
# A care verb, up to five short words ("seen by Dr. Smith", "last week"), then the preposition.
_SITE_WORD = (
    r"(?:St\.|Ft\.|Mt\.|Med\.|Ctr\.?|Hosp\.|Univ\.|Gen\.|&|of|the|de|del|la|las|los|y|"
    r"(?:[A-Z]['’])?[A-Z][A-Za-z'’]*(?:-[A-Za-z][A-Za-z'’]*)*\.?)"
)
_SITE_RUN = rf"(?=[A-Z]){_SITE_WORD}(?:[ \t]+{_SITE_WORD}){{0,5}}"
# What a site cannot open with: a month or weekday ("seen in March"), a title ("referred to Dr. Lee").
_NOT_A_SITE_START = (
    r"(?!(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|Mon(?:day)?|Tues?(?:day)?|Wed(?:nesday)?|Thu(?:rs?)?(?:day)?|"
    r"Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?|Dr|Mr|Mrs|Ms|Miss|Prof|Doctor)\b)"
)
CARE_SITE = KeywordPattern(
    _CARE_VERBS,
    r"\b(?:[ \t]+(?!(?i:and|but|then)\b)[\w.'’/-]+){0,7}?[ \t]*(?:@|[ \t](?i:at|to|from|in|into))[ \t]+"
    rf"(?:(?i:the)[ \t]+|){_NOT_A_SITE_START}(?P<site>{_SITE_RUN})",
)
NEXT_SITE = re.compile(
    rf"[ \t]*,?[ \t]+(?:(?:and|then)[ \t]+|)(?:to|from|at)[ \t]+(?:the[ \t]+|){_NOT_A_SITE_START}(?P<site>{_SITE_RUN})"
)
# The same run where "at" alone leads in ("a visit at Harborview"), for locations.py.
SITE_RUN = re.compile(rf"{_NOT_A_SITE_START}{_SITE_RUN}")
# "seen in Boston clinic": a lower-case site noun belongs to the place.
SITE_NOUN_AFTER = re.compile(r"[ \t]+(?:clinic|office|facility|branch|campus|site|location|hospital|hub)\b")
# "Cedars Grove, Bayfield": a listed town after a site and a comma.
TOWN_AFTER_SITE = re.compile(rf",[ \t]*(?P<town>{TOWN_NAME_WORDS})")
# Words that end a run before they are read: dates, weekdays, titles and a lone conjunction.
_STOP_WORDS = frozenset(
    """
on in at for with and but or to from by after before since until during via per as
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
saturday sunday mon tue tues wed thu thur thurs fri sat sun today yesterday tomorrow last next this
twice once daily weekly monthly tonight now again
""".split()
)
# Words that make a capitalised run a meeting, a team or a clinical eponym, never a place.
_NOT_SITE_NOUNS = frozenset(
    "session sessions specialist specialists team worker workers services conference rounds index scale score "
    "criteria syndrome disease sign test stage classification maneuver reflex triad rule rules equation "
    "formula protocol method grade type class".split()
)
_TITLES = frozenset("dr dr. doctor mr mr. mrs mrs. ms ms. miss prof prof. nurse pa np rn md".split())
# Lower-case words inside a name: "Children's Hospital of X", "Casa de Oro Assisted Living".
_JOINERS = frozenset({"&", "of", "the", "de", "del", "la", "las", "los", "y"})
# "X General", "St. Mary's": shapes that are a hospital even when each word is ordinary.
_NAMING_HEADS = frozenset({"general", "memorial", "presbyterian", "methodist", "baptist", "regional"})
# Words that end a facility's name ("Riverbend Med Ctr", "Juniper Flats OTP").
FACILITY_HEADS = frozenset(
    "Hospital Hosp Clinic Center Centre Ctr Health Healthcare Medical Med Institute OTP Living Home Pharmacy "
    "University Univ College Lodge Hospice Shelter Jail Prison Residence Manor Village".split()
)
# Words that name a facility when a head noun follows after a care verb: "admitted to Central
# Medical Center", "seen at General Hospital" (never on their own: "Pain Clinic" stays quiet).
_NAMING_ADJECTIVES = frozenset(
    "central memorial regional general city mercy coastal valley northern southern eastern western".split()
)
_EMERGENCY_HEADS = frozenset({"ED", "ER"})
_SAINT = frozenset({"st.", "saint", "mt.", "mount", "ft.", "fort"})

# "our Dallas clinic", "the Hazard ED", "at the Gallup office": found from the site noun (rare)
# backwards, since "the" is everywhere.
_SITE_NOUNS = (
    "clinic office facility branch campus site location hospital ED ER ward practice satellite hub police "
    "sheriff jail school library".split()
)
SITE_NOUN_TOKENS = frozenset(_SITE_NOUNS)
TOWN_BEFORE_SITE_NOUN = re.compile(
    rf"(?<![\w'’-])(?i:our|the|their|his|her|my)[ \t]+(?P<town>{TOWN_NAME_WORDS})[ \t]+$"
)
SITE_NOUN_LOOK_BACK = 48


# A run followed by one of these names a study or a document, not a place ("the GUSTO trial").
NOT_A_SITE_AFTER = re.compile(
    r"[ \t]+(?i:trials?|study|studies|protocols?|guidelines?|criteria|registry|cohort|score|scale|classification|"
    r"sessions?|conference|rounds|specialists?|team|call|webinar|curriculum|services)\b"
)


# "St. Rose's", "ST. CATHERINE'S", "st. james's": a saint's name with "'s" is a hospital or a church
# wherever it stands (not "St. John's wort").
SAINTS_PLACE = re.compile(
    r"[Ss](?<![\w].)(?:[Tt]\.?|aint|AINT)[ \t]+(?P<name>[A-Za-z][a-z]+|[A-Z]+)['’][sS]\b"
    r"(?![ \t]+(?i:wort|day|disease|dance))"
)


# "d/c'd from St. Brendan on 4/2", "AT ST. AGNES", "transferred to Saint Alphonsus": a saint's name
# right after a word of place is a hospital, a church or a town, not the person it honours.
SAINT_AFTER_PLACE_WORD = re.compile(
    r"[Ss](?<![\w].)(?:[Tt]\.?|aint|AINT)[ \t]+(?P<name>[A-Z][a-z]+|[A-Z]{3,})(?![\w'’-])"
    r"(?![ \t]+(?i:wort|day|disease|dance|fire)\b)(?:[ \t]+(?:[A-Z][a-z]+|[A-Z]{2,})(?![\w'’-])){0,3}")
_PLACE_WORD_BEFORE = re.compile(r"(?<![\w'’-])(?i:at|from|to|into|in|near)[ \t]+$")


def find_care_sites(view: TextView, words: Lexicon) -> Iterator[PhiFinding]:
    text = view.text
    if "st" in view.words or "saint" in view.words:
        for match in SAINTS_PLACE.finditer(text):
            yield PhiFinding(match.start(), match.end(), "LOCATION", LIKELY)
        for match in SAINT_AFTER_PLACE_WORD.finditer(text):
            if _PLACE_WORD_BEFORE.search(text, max(0, match.start() - 8), match.start()):
                yield PhiFinding(match.start(), match.end(), "LOCATION", LIKELY)
    for match in CARE_SITE.finditer(view):
        if NOT_A_SITE_AFTER.match(text, match.end("site")) or _inside_a_name(text, match.start()):
            continue  # "presented at the DV ECHO session", "Centennial Care need in KJ"
        start, end = match.start("site"), match.start("site") + _site_end(match.group("site"), words)
        while end > start:
            yield from site_findings(text, start, end, words)
            # "transferred from UNMH to Lovelace Westside": the next site of the same verb.
            following = NEXT_SITE.match(text, end)
            if following is None:
                break
            start = following.start("site")
            end = start + _site_end(following.group("site"), words)
    nouns = view.tokens & SITE_NOUN_TOKENS
    if nouns:
        yield from _towns_before_site_nouns(view.text, nouns, words)
    areas = view.tokens & AREA_NOUN_TOKENS
    if areas:
        yield from _towns_before_site_nouns(view.text, areas, words, with_noun=False)


# "from the Pikeville area", "our Navajo Mountain community": the town is the place, not the noun.
AREA_NOUN_TOKENS = frozenset("area region valley reservation community".split())


def _towns_before_site_nouns(text: str, nouns: frozenset[str], words: Lexicon, *,
                             with_noun: bool = True) -> Iterator[PhiFinding]:
    for noun in nouns:
        for position in find_all(text, noun):
            end = position + len(noun)
            if (position and text[position - 1].isalnum()) or text[end : end + 1].isalnum():
                continue
            match = TOWN_BEFORE_SITE_NOUN.search(text, max(0, position - SITE_NOUN_LOOK_BACK), position)
            if match and _is_town_before_site_noun(match.group("town"), words):
                yield PhiFinding(match.start("town"), end if with_noun else match.end("town"), "LOCATION", LIKELY)


def _inside_a_name(text: str, verb_start: int) -> bool:
    """A capitalised care word mid-sentence is part of a name ("Presbyterian Centennial Care")."""
    if not text[verb_start].isupper():
        return False
    before = text[max(0, verb_start - 3) : verb_start].rstrip()
    return bool(before) and before[-1].isalpha()


def site_findings(text: str, start: int, end: int, words: Lexicon) -> Iterator[PhiFinding]:
    """The site, with a lower-case site noun after it, and a listed town after a comma."""
    if NOT_A_SITE_AFTER.match(text, end) or DOSE_AFTER.match(text, end):
        return  # "held at Lantus 20 units", "went up to Celex 40 mg"
    noun = SITE_NOUN_AFTER.match(text, end)
    yield PhiFinding(start, noun.end() if noun else end, "LOCATION", LIKELY)
    town = TOWN_AFTER_SITE.match(text, end)
    if town:
        town_end = _listed_town_end(town.group("town"), words)
        if town_end:
            yield PhiFinding(town.start("town"), town.start("town") + town_end, "LOCATION", LIKELY)


def verbless_site_end(text: str, start: int, words: Lexicon) -> int:
    """After "at" alone, a place on no list needs a word on no list ("Harborview", "UCSF") or a
    saint ("St. Brendan's"): listed names and ordinary words are too often something else."""
    run = SITE_RUN.match(text, start)
    if run is None or NOT_A_SITE_AFTER.match(text, run.end()):
        return 0
    tokens = _run_tokens(run.group())
    while tokens and tokens[-1][1].lower() in _JOINERS:
        tokens.pop()
    if not tokens or tokens[0][1].lower() in _TITLES:
        return 0
    bare = [token.rstrip(".") for _, token in tokens if token.lower() not in _JOINERS]
    saint = tokens[0][1].lower() in _SAINT and len(tokens) > 1
    if not (saint or any(_is_unlisted_proper(token, words) for token in bare)):
        return 0
    last_start, last = tokens[-1]
    return last_start + len(last.rstrip(".") if last.lower().rstrip(".") not in _ABBREVIATED_ENDS else last)


def _is_unlisted_proper(token: str, words: Lexicon) -> bool:
    if len(token) < 3 or not _is_proper(token, words):
        return False
    return token.isupper() or not words.is_known_name(token.replace("’", "'").removesuffix("'s"))


def _listed_town_end(candidate: str, words: Lexicon) -> int:
    tokens = candidate.split()
    for count in range(len(tokens), 0, -1):
        name = " ".join(tokens[:count])
        if name.lower() in words.places and name.lower() not in NOT_PHI_PLACES:
            return len(name)
    return 0


def _site_end(site: str, words: Lexicon) -> int:
    """Length of the place at the start of a capitalised run after a care verb, or 0."""
    tokens = _run_tokens(site)
    if not tokens or tokens[0][1].lower() in _TITLES:
        return 0
    # Joiners ("of", "&") may not end a name: "Children's Hospital of Philadelphia", not "X of".
    while tokens and tokens[-1][1].lower() in _JOINERS:
        tokens.pop()
    if not tokens or not _is_named_site([token for _, token in tokens], words):
        return 0
    start, last = tokens[-1]
    return start + len(last.rstrip(".") if last.lower().rstrip(".") not in _ABBREVIATED_ENDS else last)


_ABBREVIATED_ENDS = frozenset({"st", "mt", "ft", "med", "ctr", "hosp", "univ", "gen", "inc", "co"})
# Abbreviations that end a name ("Med Ctr."), unlike "St." and "Mt.", which open one.
_NAME_ENDING_ABBREVIATIONS = frozenset({"med.", "ctr.", "hosp.", "univ.", "gen.", "inc.", "co."})
_NON_SPACE = re.compile(r"\S+")


def _run_tokens(site: str) -> list[tuple[int, str]]:
    """The run's words up to a date word, a lower-case word or a full stop that ends a sentence
    ("... Medical Center. She"); trailing unit abbreviations ("Memorial Hospital ED") are dropped."""
    tokens: list[tuple[int, str]] = []
    for match in _NON_SPACE.finditer(site):
        token = match.group()
        bare = token.lower().rstrip(".")
        if bare in _STOP_WORDS or not (token[0].isupper() or token in _JOINERS):
            break
        if bare in _NOT_SITE_NOUNS:
            return []  # "THE MMSE ECHO SESSION", "IOP SPECIALISTS", "the Dawson Pain Index"
        if token.endswith(".") and bare not in _ABBREVIATED_ENDS and len(bare) > 1:
            tokens.append((match.start(), token[:-1]))
            break
        if tokens and tokens[-1][1].endswith(".") and tokens[-1][1].lower() in _NAME_ENDING_ABBREVIATIONS:
            if token.rstrip(".") not in FACILITY_HEADS:
                break  # "Med Ctr. Glucose was ...": the full stop ended the sentence too
        tokens.append((match.start(), token))
    while tokens and (tokens[-1][1] in UNIT_ABBREVIATIONS or tokens[-1][1] in CLINICAL_ABBREVIATIONS):
        if len(tokens) > 1 and tokens[-1][1] in _EMERGENCY_HEADS and tokens[-2][1] not in FACILITY_HEADS:
            break  # "Reed Creek ED" names an emergency department; "Mercy Hospital ED" is a unit of one
        tokens.pop()
    return tokens


def _is_named_site(tokens: list[str], words: Lexicon) -> bool:
    bare = [token.rstrip(".").replace("’", "'") for token in tokens if token.lower() not in _JOINERS]
    if not bare:
        return False
    phrase = " ".join(bare).lower()
    if phrase in NOT_PHI_PLACES or all(token in STATE_CODE_SET for token in bare):
        return False  # "moved from Texas", "transferred to NM"
    if tokens[0].lower() in _SAINT and len(tokens) > 1:
        return True  # "St. Mary's", "Mt. Sinai"
    if len(bare) == 1 and phrase in words.places and bare[0][0].isupper() and not bare[0].isupper():
        return True  # "transferred to Hazard": a listed town, even when it is also a word
    if len(bare) > 1 and bare[-1].lower() in _NAMING_HEADS:
        return True  # "Mass General", "Brooklyn General"
    if len(bare) > 1 and (bare[-1] in FACILITY_HEADS or bare[-1] in _EMERGENCY_HEADS):
        # "Sagebrush Assisted Living": ordinary words before a head noun name a facility unless
        # they are generic ("Pain Clinic", "Behavioral Health").
        named = [token for token in bare[:-1] if token not in FACILITY_HEADS]
        if any(_names_a_facility(token, words) for token in named):
            return True
    return any(_is_proper(token, words) for token in bare)


def _names_a_facility(token: str, words: Lexicon) -> bool:
    """A word before a head noun that names it: unlisted ("Verde"), or an ordinary word that is also
    a place or a name ("Cedar" Ridge OTP) -- not a service ("Pain", "Cardiac" Care Clinic), not a
    state or country ("the NM ED", "the Mexico ED")."""
    lower = token.lower()
    if lower in _NAMING_ADJECTIVES:
        return True
    if lower in GENERIC_FACILITY_WORDS or is_specialty(token) or lower in NOT_PHI_PLACES:
        return False
    if token in STATE_CODE_SET or token in CLINICAL_ABBREVIATIONS:
        return False
    return not _is_ordinary(token, words) or lower in words.places or words.is_known_name(token)


def _is_ordinary(token: str, words: Lexicon) -> bool:
    """An ordinary word, hyphenated compounds of ordinary words included ("Walk-in", "Long-Term")."""
    parts = [part for part in token.lower().split("-") if part]
    return all(words.is_plain_word(part) for part in parts) if parts else True


def _is_proper(token: str, words: Lexicon) -> bool:
    """A word that names something: not ordinary, clinical, a people or a unit abbreviation."""
    lower = token.lower()
    base = lower[:-2] if lower.endswith("'s") else lower
    if is_specialty(token) or base in GENERIC_FACILITY_WORDS or token in FACILITY_HEADS:
        return False  # "HEPATOLOGY", "Indian" Health Service, "the OTP"
    if token.isupper():
        return (
            len(token) >= 2
            and (len(token) <= 3 or not _is_ordinary(base, words))  # "VOCATIONAL REHABILITATION"
            and token not in CLINICAL_ABBREVIATIONS
            and token not in UNIT_ABBREVIATIONS
            and token not in STATE_CODE_SET
        )
    if base in CLINICAL_WORDS:
        return base in words.places or words.is_surname(base)  # "Lyme", "Baylor" ... a name after all
    if base in PEOPLE_WORDS or base in NOT_PHI_PLACES:
        return False
    return not _is_ordinary(base, words)


def _is_town_before_site_noun(town: str, words: Lexicon) -> bool:
    tokens = town.split()
    lower = town.lower()
    if lower in NOT_PHI_PLACES or any(token.lower() in _STOP_WORDS for token in tokens):
        return False
    if lower in words.places:
        return True  # "the Hazard ED", "our Lyme clinic"
    return any(_is_proper(token, words) for token in tokens) and not any(
        token.lower() in CLINICAL_WORDS for token in tokens
    )
