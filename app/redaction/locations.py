"""Locations: street addresses, towns, counties, ZIP codes and named facilities or employers.

A US state or a country on its own is not PHI and is never flagged; a town is flagged after a
lead-in ("lives in", "from") or before a state ("Gallup, NM").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.redaction.findings import LIKELY, PhiFinding
from app.redaction.lexicon import CLINICAL_WORDS, Lexicon, lexicon
from app.redaction.scan import KeywordPattern, TextView

_STATE_CODES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|"
    "NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR"
)
_STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|"
    "Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|"
    "Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|"
    "New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|"
    "South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|"
    "Wisconsin|Wyoming|Puerto Rico"
)
# Regions, states and countries are not PHI even when a town shares their name.
NOT_PHI_PLACES = frozenset(
    {s.lower() for s in _STATE_NAMES.split("|")}
    | set("""america usa mexico canada china india japan vietnam philippines guatemala honduras
    el salvador cuba haiti africa europe asia navajo nation hopi apache rural urban downtown
    reservation the a an our his her their my town city county home work school""".split())
    | {"navajo nation", "el salvador", "united states", "four corners", "the us", "indian country"}
)

_CAP_WORD = r"(?:St\.|Ft\.|Mt\.|(?:[A-Z]['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:['’-][A-Za-z]+)*|[A-Z]{2,5})"
# The same word after its first capital, so patterns can open with a plain [A-Z] (fast in re).
_CAP_WORD_TAIL = r"(?:(?<=[SFM])t\.|(?:['’][A-Z])?[a-z]+(?:[A-Z][a-z]+)?(?:['’-][A-Za-z]+)*|[A-Z]{1,4})"
_CAP_WORD_START = rf"[A-Z](?<![\w'’-].){_CAP_WORD_TAIL}"
_PLACE_WORDS = rf"{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}}"
# Town names are not written in capitals; "NM" after "Farmington" is the state.
_TOWN_WORD_CAPITALISED = r"(?:St\.|Ft\.|Mt\.|(?:[A-Z]['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:['’-][A-Za-z]+)*)"
_TOWN_NAME_WORDS = rf"{_TOWN_WORD_CAPITALISED}(?:\s+{_TOWN_WORD_CAPITALISED}){{0,2}}"

_STREET_SUFFIX = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl|circle|cir|"
    r"highway|hwy|parkway|pkwy|trail|trl|terrace|ter|loop|pike|square|sq|plaza|alley|row|run|path"
)
_SAFE_LOWER_SUFFIX = r"st|ave|rd|street|avenue|road|blvd|hwy|highway"
# Street words are capitalised or numbered ("5th"); lower-case ones only before an unmistakable
# suffix, so "45 yo M seen by Dr" is not an address.
_STREET_WORD = (
    rf"(?:(?!(?i:{_STREET_SUFFIX})\b)(?:[A-Z0-9][A-Za-z0-9'’.-]*)"
    rf"|[a-z][a-z'’.-]*(?=(?:\s+[a-z][a-z'’.-]*)*\s+(?i:{_SAFE_LOWER_SUFFIX})\b))"
)
STREET_ADDRESS = re.compile(
    rf"[0-9](?<![\w/.-].)[0-9]{{0,5}}[A-Za-z]?\s+(?:[NSEW]\.?\s+|(?i:north|south|east|west)\s+)?"
    rf"(?:{_STREET_WORD}\s+){{1,4}}(?i:{_STREET_SUFFIX})\b\.?"
    r"(?:\s+(?:[NSEW]|NE|NW|SE|SW)\b)?(?:,?\s*(?i:apt|apartment|unit|suite|ste|#|lot|space|trlr|trailer)\.?\s*#?\s*[A-Za-z0-9-]+)?"
)
_BOX = r"\s*box\s*#?\s*[0-9]{1,6}"
_ROAD_NUMBER = r"\s*[#-]?\s*[0-9]{1,4}[a-z]?(?![0-9]|\.[0-9])(?:\s+(?:mile\s+marker|mm)\s*[0-9]{1,4})?"
ROUTE_ADDRESS = KeywordPattern(
    (
        rf"po\.?{_BOX}|p\.\s?o\.?{_BOX}|hc\s?[0-9]{{1,3}}\s+{_BOX}|rr\s*[0-9]{{1,3}}{_BOX}|rural\s+route\s*[0-9]{{1,3}}(?:{_BOX})?"
        rf"|county\s+road{_ROAD_NUMBER}|cr{_ROAD_NUMBER}|state\s+road{_ROAD_NUMBER}|nm{_ROAD_NUMBER}"
        rf"|hwy{_ROAD_NUMBER}|highway{_ROAD_NUMBER}|route{_ROAD_NUMBER}|rte{_ROAD_NUMBER}|interstate{_ROAD_NUMBER}|i-{_ROAD_NUMBER}"
    ),
    r"(?![0-9])",
)
def _case_sensitive_word_alternation(words: list[str]) -> str:
    """ "AL|AK|Arizona" -> "[AA](?<![\\w].)(?:L|K|rizona)": opens with a plain set for fast scanning."""
    tails: dict[str, list[str]] = {}
    for word in words:
        tails.setdefault(word[0], []).append(re.escape(word[1:]).replace("\\ ", r"\s+"))
    branches = "|".join(
        f"(?<={first}){'(?:' + '|'.join(sorted(group, key=len, reverse=True)) + ')'}" for first, group in sorted(tails.items())
    )
    return f"[{''.join(sorted(tails))}](?<![\\w].)(?:{branches})"


# A state (code or name), then look back for the town before it: "Gallup, NM 87301".
STATE = re.compile(
    _case_sensitive_word_alternation(_STATE_CODES.split("|") + _STATE_NAMES.split("|"))
    + r"\b\.?(?:,?\s+(?P<zip>[0-9]{5}(?:-[0-9]{4})?)(?![\w-]))?"
)
CITY_BEFORE = re.compile(rf"(?P<city>{_TOWN_NAME_WORDS}),?\s+$")
CITY_LOOK_BACK = 40
# State codes that are also credentials or words ("Jones MD", "PA Smith"): a town needs a comma.
STATE_CODES_NEEDING_COMMA = frozenset("MD PA MA DE ME OR IN OK ID MS CO HI AL".split())
# "the Chinle chapter house": Navajo Nation chapters are named after their community.
CHAPTER_HOUSE = re.compile(rf"{_CAP_WORD_START}(?:\s+{_CAP_WORD})?(?P<town_end>)\s+(?i:chapter)\b")
# The town that follows a street address: "2114 Aztec Ave, Window Rock".
TOWN_AFTER_STREET = re.compile(rf",?\s*(?P<town>{_TOWN_NAME_WORDS})")
_ZIP_LEAD_INS = r"zip\s*code|zipcode|zip|postal\s+code"
ZIP_AFTER_LEAD_IN = KeywordPattern(_ZIP_LEAD_INS, r"\s*[:#]?\s*(?P<zip>[0-9]{5}(?:-[0-9]{4})?)\b")
ZIP_KEYWORDS = frozenset({"zip", "zipcode", "postal"})
COUNTY_TOKENS = frozenset({"County", "Parish", "Borough", "Co"})
ZIP_PLUS_FOUR = re.compile(r"[0-9](?<![\w-].)[0-9]{4}-[0-9]{4}(?![\w-])")
COUNTY = re.compile(rf"{_CAP_WORD_START}(?:\s+{_CAP_WORD}){{0,2}}\s+(?:County|Parish|Borough|Co\.)(?!\w)")
# "mckinley county" typed in lower case: the word before "county".
LOWER_CASE_COUNTY = re.compile(r"c(?<![A-Za-z]c)ounty\b")
_WORD_BEFORE = re.compile(r"([a-z][a-z'’-]+)\s+$")
_FACILITY_TOKEN = re.compile(r"[A-Za-z][\w'’.-]*")
_NOT_A_COUNTY_NAME = frozenset({"the", "a", "this", "same", "our", "their", "his", "her", "rural", "neighboring", "county", "each", "every", "which", "that", "other", "home", "adjacent", "nearby"})
_TOWN_WORD = (
    r"(?!(?i:in|at|on|and|or|to|with|for|the|of|but|since|where|who|near|from|by|is|was)\b)"
    r"(?:St\.|Ft\.|Mt\.|[A-Za-z][\w'’-]*)"
)
_STRONG_TOWN_LEAD_INS = (
    r"lives|living|live|resides|residing|located|stays|staying|moved|relocated|born|raised|grew\s+up|"
    r"from|town\s+of|city\s+of|village\s+of|community\s+of|chapter|pueblo\s+of|travels?\s+(?:to|from)|"
    r"drives?\s+(?:to|from)"
)
TOWN_AFTER_STRONG_LEAD_IN = KeywordPattern(
    _STRONG_TOWN_LEAD_INS,
    rf"(?:\s+(?i:in|to|from|near|at|of|out\s+in|up\s+in))?\s+(?P<town>{_TOWN_WORD}(?:\s+{_TOWN_WORD}){{0,2}})"
)
# After a weak lead-in ("in", "at", "near") the town must be capitalised: "in Farmington".  Found
# from capitalised words backwards, since "in" and "to" are everywhere.
TOWN_WORDS = re.compile(r"[A-Z](?<![\w'’.-].)[\w'’-]*(?:\s(?:St\.|Ft\.|Mt\.|[A-Z][\w'’-]*)){0,2}")
_WEAK_TOWN_LEAD_INS = frozenset({"in", "at", "near", "to", "visiting", "outside", "of"})
# Towns named like ordinary words that "in"/"at" alone does not make a town ("in General").
_ORDINARY_TOWN_NAMES_NEEDING_CONTEXT = frozenset(
    "spring summer fall winter autumn home general mobile independence hope friendship liberty unity "
    "commerce energy progress opportunity industry enterprise justice harmony plain plains union center "
    "march may june august christmas easter care medicine surgery rehab hospital school church college".split()
)
_RESIDENCE_LEAD_IN = re.compile(
    r"(?i:lives|living|live|resides|residing|moved|relocated|born|raised|grew|town|city|village|community|pueblo)"
)
STRONG_TOWN_KEYWORDS = frozenset(
    "lives living live resides residing located stays staying moved relocated born raised grew from town "
    "city village community chapter pueblo travels travel drives drive".split()
)
_FACILITY_SUFFIX = (
    r"Hospital|Medical\s+Center|Health\s+Center|Health\s*care\s+Center|Health\s+Care\s+Facility|Clinic|"
    r"Health\s+System|Indian\s+Hospital|Service\s+Unit|IHS|Treatment\s+Center|Recovery\s+Center|"
    r"Rehabilitation\s+Center|Rehab|Nursing\s+Home|Care\s+Center|Behavioral\s+Health|Counseling\s+Center|"
    r"Pharmacy|Urgent\s+Care|Elementary(?:\s+School)?|Middle\s+School|High\s+School|School|Academy|"
    r"University|College|Church|Chapter\s+House|Shelter|Jail|Prison|Detention\s+Center|Correctional\s+Facility|"
    r"Lodge|Company|Corporation|Inc\.?|LLC|Mine|Casino|Store|Market|Center|Health\s*care|Health\s+Care|Health|Medical\s+Group|Family\s+Practice|Healing\s+Center|Wellness\s+Center"
)
# Found from the suffix backwards: suffixes are rare, capitalised words are not.
FACILITY_SUFFIX_END = re.compile(rf"(?:{_FACILITY_SUFFIX})(?:\s+of\s+{_PLACE_WORDS})?(?![\w'’])")
_FACILITY_NAME_WORD = re.compile(rf"(?:{_CAP_WORD})(?:['’]s|(?<=s)['’])?|of|the|and|&|for")
# Words that end a facility name: a name is not read back across another facility.
_FACILITY_END_WORDS = frozenset(
    "Hospital Center Clinic Healthcare Health Unit IHS Rehab Home Pharmacy Care School Academy University "
    "College Church House Shelter Jail Prison Facility Lodge Group Practice".split()
)
MAX_FACILITY_NAME_WORDS = 5
FACILITY_LOOK_BACK = 80
_EMPLOYER_LEAD_INS = "works?|worked|working|employed|job|cashier|clerk|manager|driver|cook|teacher|aide|nurse"
EMPLOYER_LEAD_IN = KeywordPattern(
    _EMPLOYER_LEAD_INS,
    r"\s+(?:\w+\s+)?(?i:at|for|by|with)\s+(?:the\s+)?"
    rf"(?P<employer>{_CAP_WORD}(?:['’]s)?(?:\s+(?:{_CAP_WORD}(?:['’]s)?|&|and\s+(?=[A-Z]))){{0,3}})"
)
_INSTITUTION_NAMES = frozenset("mayo cleveland hopkins kaiser emory vanderbilt baylor stanford duke".split())
# Words that open a facility-looking run but are generic ("Pain Clinic", "the Health Center").
GENERIC_FACILITY_WORDS = frozenset("""
the our their his her a an and of for & pain hcv hepatitis liver diabetes endocrine family medicine
internal pediatric pediatrics peds primary care behavioral health mental dental eye specialty
community rural tribal indian public county state regional memorial general medical university
children's childrens women's womens veterans va urgent emergency walk-in walk in mobile hub spoke
echo telehealth virtual wound methadone suboxone opioid addiction recovery treatment
wellness cancer heart kidney dialysis infusion sleep asthma allergy lung pulmonary cardiology
clinic center hospital program this that local nearest nearby same outside new old main north
south east west central upper lower hiv id gi ob gyn ent psych psychiatry psychiatric oud sud mat
moud high school middle elementary church jail prison home nursing rehab pharmacy lodge college
healthcare services service unit system systems group practice facility comprehensive surgery surgical
orthopedic infectious disease diseases gastroenterology neurology nephrology oncology transplant
dermatology ophthalmology podiatry rheumatology integrated counseling psychology outpatient inpatient
residential detox crisis substance use abuse alcohol drug harm reduction support prenatal maternal
child adolescent youth senior geriatric adult student campus district area my your another other any
some big large small closest good private federal teaching academic critical access nonprofit city
town women men ihs health-care primary-care same-day day night weekend after-hours appointment my
""".split())


STATE_TOKENS = frozenset(_STATE_CODES.split("|")) | frozenset(
    word for name in _STATE_NAMES.split("|") for word in name.split()
)
STREET_KEYWORDS = frozenset(_STREET_SUFFIX.split("|"))
ROUTE_KEYWORDS = frozenset("po p o box hc county road cr state nm hwy highway route rte interstate i rr rural".split())
# Facility names end in a capitalised word ("... Medical Center"); without one, skip the scan.
FACILITY_TOKENS = frozenset(
    "Hospital Medical Health Healthcare Clinic Indian Service IHS Treatment Recovery Rehabilitation Rehab "
    "Nursing Care Behavioral Counseling Pharmacy Urgent Elementary Middle High School Academy University "
    "College Church Chapter Shelter Jail Prison Detention Correctional Lodge Center Family Healing Wellness "
    "Company Corporation Inc LLC Mine Casino Store Market".split()
)
EMPLOYER_KEYWORDS = frozenset("works work worked working employed job cashier clerk manager driver cook teacher aide nurse".split())


def find_locations(view: TextView) -> Iterator[PhiFinding]:
    words, text = lexicon(), view.text
    if view.has_digit:
        if view.has_any(STREET_KEYWORDS):
            yield from _street_addresses(text, words)
        if view.has_any(ROUTE_KEYWORDS):
            yield from _spans(ROUTE_ADDRESS.finditer(view))
        yield from _zip_codes(view)
    if not view.tokens.isdisjoint(STATE_TOKENS):
        yield from _cities_before_states(text, words)
    if not view.tokens.isdisjoint(COUNTY_TOKENS):
        yield from _counties(text)
    if "county" in view.words:
        yield from _lower_case_counties(text)
    yield from _towns_after_lead_ins(view, words)
    if "chapter" in view.words:
        for match in CHAPTER_HOUSE.finditer(text):
            yield PhiFinding(match.start(), match.start("town_end"), "LOCATION", LIKELY)
    suffix_words = view.tokens & FACILITY_TOKENS
    if suffix_words:
        yield from _facilities(text, suffix_words, words)
    if view.has_any(EMPLOYER_KEYWORDS):
        yield from _employers(view)


def _spans(matches: Iterator[re.Match[str]]) -> Iterator[PhiFinding]:
    for match in matches:
        yield PhiFinding(match.start(), match.end(), "LOCATION", LIKELY)


def _street_addresses(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    for match in STREET_ADDRESS.finditer(text):
        yield PhiFinding(match.start(), match.end(), "LOCATION", LIKELY)
        town = TOWN_AFTER_STREET.match(text, match.end())
        if town and _city_start(town.group("town"), words) == 0:
            yield PhiFinding(town.start("town"), town.end("town"), "LOCATION", LIKELY)


def _cities_before_states(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    for state in STATE.finditer(text):
        before = CITY_BEFORE.search(text, max(0, state.start() - CITY_LOOK_BACK), state.start())
        state_word = state.group().split()[0].rstrip(".")
        needs_comma = state_word in STATE_CODES_NEEDING_COMMA or len(state_word) > 2  # "Ethan Washington"
        if before is None or (needs_comma and "," not in before.group()):
            continue
        city_start = _city_start(before.group("city"), words)
        if city_start is None:
            continue
        yield PhiFinding(before.start("city") + city_start, before.end("city"), "LOCATION", LIKELY)
        if state.group("zip"):
            yield PhiFinding(state.start("zip"), state.end("zip"), "LOCATION", LIKELY)


def _city_start(candidate: str, words: Lexicon) -> int | None:
    """Offset where the town starts in the capitalised words before a state, or None.

    The words may carry a sentence opener ("From Silver City, NM"): a known town among the
    trailing words wins, otherwise leading ordinary words are dropped.
    """
    offsets = [match.start() for match in re.finditer(r"\S+", candidate)]
    for offset in offsets:
        if candidate[offset:].lower() in words.places and candidate[offset:].lower() not in NOT_PHI_PLACES:
            return offset
    for offset in offsets:
        first_word = candidate[offset:].split()[0]
        if _is_city(first_word, words):
            return offset
    return None


def _is_city(word: str, words: Lexicon) -> bool:
    lower = word.lower()
    if lower in NOT_PHI_PLACES or lower in CLINICAL_WORDS or word.isupper():
        return False
    return lower in words.places or lower not in words.english_words  # not "In New Mexico"


def _zip_codes(view: TextView) -> Iterator[PhiFinding]:
    if view.has_any(ZIP_KEYWORDS):
        for match in ZIP_AFTER_LEAD_IN.finditer(view):
            yield PhiFinding(match.start("zip"), match.end("zip"), "LOCATION", LIKELY)
    if "-" in view.text:
        yield from _spans(ZIP_PLUS_FOUR.finditer(view.text))


def _counties(text: str) -> Iterator[PhiFinding]:
    for match in COUNTY.finditer(text):
        if match.group().split()[0].lower() not in _NOT_A_COUNTY_NAME:
            yield PhiFinding(match.start(), match.end(), "LOCATION", LIKELY)


def _lower_case_counties(text: str) -> Iterator[PhiFinding]:
    for match in LOWER_CASE_COUNTY.finditer(text):
        before = _WORD_BEFORE.search(text, max(0, match.start() - 30), match.start())
        if before and before.group(1) not in _NOT_A_COUNTY_NAME:
            yield PhiFinding(before.start(1), match.end(), "LOCATION", LIKELY)


def _towns_after_lead_ins(view: TextView, words: Lexicon) -> Iterator[PhiFinding]:
    yield from _towns_after_weak_lead_ins(view.text, words)
    if not view.has_any(STRONG_TOWN_KEYWORDS):
        return
    for match in TOWN_AFTER_STRONG_LEAD_IN.finditer(view):
        residence = _RESIDENCE_LEAD_IN.match(match.group()) is not None
        town_end = _known_town_end(match.group("town"), words, strong=True) or (
            _unlisted_town_end(match.group("town"), words) if residence else 0
        )
        if town_end:
            start = match.start("town")
            yield PhiFinding(start, start + town_end, "LOCATION", LIKELY)


def _towns_after_weak_lead_ins(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    for candidate in TOWN_WORDS.finditer(text):
        start = candidate.start()
        if start < 3 or text[start - 1] != " ":
            continue
        word_before = text[text.rfind(" ", 0, start - 1) + 1:start - 1].lower()
        if word_before not in _WEAK_TOWN_LEAD_INS:
            continue
        town_end = _known_town_end(candidate.group(), words, strong=False)
        if town_end:
            yield PhiFinding(candidate.start(), candidate.start() + town_end, "LOCATION", LIKELY)


def _known_town_end(candidate: str, words: Lexicon, *, strong: bool) -> int:
    """Length of the longest leading run of words that is a known US town, else 0."""
    tokens = candidate.split()
    for count in range(len(tokens), 0, -1):
        name = " ".join(tokens[:count]).rstrip(".,;:")
        lower = name.lower()
        if lower not in words.places or lower in NOT_PHI_PLACES or lower in CLINICAL_WORDS:
            continue
        capitalised = all(token[0].isupper() for token in name.split())
        ordinary = lower in words.english_words
        # After "in"/"at" only a capitalised, non-dictionary town counts ("in Farmington", not
        # "in Page"); after "lives in" a lower-case or dictionary-word town counts too.
        if strong and not (ordinary and not capitalised):
            return len(name)
        if not strong and capitalised and (not ordinary or lower not in _ORDINARY_TOWN_NAMES_NEEDING_CONTEXT):
            return len(name)
    return 0


def _unlisted_town_end(candidate: str, words: Lexicon) -> int:
    """After "lives in", "moved to": capitalised unlisted words are a town ("Yatahey")."""
    end = 0
    for token in candidate.split()[:2]:
        bare = token.rstrip(".,;:")
        lower = bare.lower()
        if not bare[:1].isupper() or lower in words.english_words or lower in CLINICAL_WORDS or lower in NOT_PHI_PLACES:
            break
        end = candidate.index(token) + len(bare)
    return end


def _facilities(text: str, suffix_words: frozenset[str], words: Lexicon) -> Iterator[PhiFinding]:
    for suffix_start in sorted(_word_positions(text, suffix_words)):
        suffix = FACILITY_SUFFIX_END.match(text, suffix_start)
        name_start = _facility_name_start(text, suffix_start) if suffix else None
        if name_start is None:
            continue
        tokens = [(m.start(), m.group()) for m in _FACILITY_TOKEN.finditer(text, name_start, suffix.end())]
        while tokens and _is_facility_opener(text, tokens[0], words):
            tokens.pop(0)
        # The suffix ("Hospital") is not enough; some word before it must make the name specific.
        name_words = [token for start, token in tokens if start < suffix_start]
        if name_words and any(_is_proper_word(token, words) for token in name_words):
            yield PhiFinding(tokens[0][0], suffix.end(), "LOCATION", LIKELY)


def _facility_name_start(text: str, suffix_start: int) -> int | None:
    """Start of the capitalised words right before a facility suffix, read backwards."""
    window_start = max(0, suffix_start - FACILITY_LOOK_BACK)
    pieces = list(re.finditer(r"\S+", text[window_start:suffix_start]))
    start = None
    for piece in reversed(pieces[-MAX_FACILITY_NAME_WORDS:]):
        word = piece.group()
        if not _FACILITY_NAME_WORD.fullmatch(word) or word in _FACILITY_END_WORDS:
            break
        start = window_start + piece.start()
    return start


def _word_positions(text: str, words_to_find: frozenset[str]) -> set[int]:
    """Where these case-sensitive words start in the text."""
    positions = set()
    for word in words_to_find:
        position = text.find(word)
        while position != -1:
            if position == 0 or not text[position - 1].isalnum():
                positions.add(position)
            position = text.find(word, position + 1)
    return positions


def _is_facility_opener(text: str, token: tuple[int, str], words: Lexicon) -> bool:
    """A leading word that is not part of the name: "The", or a capitalised sentence opener
    such as "Discharged" in "Discharged Home"."""
    start, word = token
    lower = word.lower()
    if lower in {"the", "of", "and", "for", "&"}:
        return True
    sentence_start = start == 0 or text[:start].rstrip().endswith((".", ":", ";", "\n")) or not text[:start].strip()
    ordinary = lower in words.english_words and not words.is_known_name(word) and lower not in words.places
    return sentence_start and ordinary


def _is_proper_word(token: str, words: Lexicon) -> bool:
    """A word that makes a facility name specific: "Gallup", "St. Mary's", "Turquoise"."""
    lower = token.lower().rstrip(".")
    bare = re.sub(r"['’]s?$", "", lower)
    if lower in {"st", "saint"}:
        return True  # "St. Mary's Hospital"
    if bare in GENERIC_FACILITY_WORDS or lower in GENERIC_FACILITY_WORDS:
        return False
    return bare not in CLINICAL_WORDS or bare in _INSTITUTION_NAMES or bare in words.places


def _employers(view: TextView) -> Iterator[PhiFinding]:
    for match in EMPLOYER_LEAD_IN.finditer(view):
        employer = match.group("employer")
        if employer.lower() in NOT_PHI_PLACES or employer.lower() in CLINICAL_WORDS:
            continue
        yield PhiFinding(match.start("employer"), match.end("employer"), "LOCATION", LIKELY)
