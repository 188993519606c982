"""Locations: street addresses, towns, counties, ZIP codes and named facilities or employers.

A US state or a country on its own is not PHI and is never flagged; a town is flagged after a
lead-in ("lives in", "from") or before a state ("Gallup, NM").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from app.redaction.addresses import find_foreign_addresses, find_neighbourhoods_and_roads
from app.redaction.clinical_terms import CLINICAL_ABBREVIATIONS, UNIT_ABBREVIATIONS, is_specialty
from app.redaction.care_sites import find_care_sites, site_findings, verbless_site_end
from app.redaction.facilities import CAPITALS_SUFFIX_TOKENS, FACILITY_TOKENS, find_facilities
from app.redaction.findings import LIKELY, PhiFinding
from app.redaction.lexicon import CLINICAL_ENDINGS, CLINICAL_WORDS, EPONYM_NOUNS, PEOPLE_WORDS, Lexicon, lexicon
from app.redaction.name_runs import EPONYM_AFTER
from app.redaction.place_words import (
    CAP_WORD,
    CAP_WORD_START,
    NOT_PHI_PLACES,
    REGION_NAMES,
    SINGLE_WORD_COUNTRIES,
    STATE_CODES,
    STATE_NAMES,
    TOWN_NAME_WORDS,
)
from app.redaction.scan import (
    KeywordPattern,
    LineReader,
    TextView,
    case_insensitive_alternation,
    find_all,
    line_in_capitals,
    matches_at,
)
from app.redaction.tagger_features import zipf_table

_STREET_SUFFIX = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl|circle|cir|"
    r"highway|hwy|parkway|pkwy|trail|trl|terrace|ter|loop|pike|square|sq|plaza|alley|row|run|path"
)
_SAFE_LOWER_SUFFIX = r"st|ave|rd|street|avenue|road|blvd|hwy|highway"
# Street words are capitalised or numbered ("5th"); lower-case ones only before an unmistakable
# suffix, so "45 yo M seen by Dr" is not an address.  Word runs are possessive ("*+"): only
# whitespace may follow them, which they never take.
_SUFFIX = case_insensitive_alternation(_STREET_SUFFIX)
# Lower-case street words never include a function word ("in July 2021 and is currently at St.
# Joseph" is no address), and lead only to a lower-case suffix.
_FUNCTION_WORD = r"(?:and|or|is|was|at|in|on|to|of|the|for|with|by|from|currently|now|then|but)\b"
_STREET_WORD = (
    rf"(?:(?!{_SUFFIX}\b)(?:[A-Z0-9][A-Za-z0-9'’.-]*+)"
    rf"|(?!{_FUNCTION_WORD})[a-z][a-z'’.-]*+(?=(?:\s+(?!{_FUNCTION_WORD})[a-z][a-z'’.-]*+)*\s+(?:{_SAFE_LOWER_SUFFIX})\b))"
)
# The other street suffixes of USPS Publication 28 (Appendix C1, "Street Suffix Abbreviations"),
# spelled out and capitalised: "2681 Phillips Bypass", "962 Connor Brook Suite 948".  Many are
# also ordinary words ("Center", "Station", "Park"), so they close an address only as its last
# word, capitalised, and only when no street word before them is a clinical one ("Level 1 Trauma
# Center" is no address).
USPS_SUFFIXES = (
    "Annex Arcade Bayou Beach Bend Bluff Bluffs Bottom Branch Bridge Brook Brooks Burg Burgs Bypass Camp "
    "Canyon Cape Causeway Center Centers Circles Cliff Cliffs Club Common Commons Corner Corners Course "
    "Courts Cove Coves Creek Crescent Crest Crossing Crossroad Crossroads Curve Dale Dam Divide Drives "
    "Estate Estates Expressway Extension Extensions Fall Falls Ferry Field Fields Flat Flats Ford Fords "
    "Forest Forge Forges Fork Forks Fort Freeway Garden Gardens Gateway Glen Glens Green Greens Grove "
    "Groves Harbor Harbors Haven Heights Hill Hills Hollow Inlet Island Islands Isle Junction Junctions "
    "Key Keys Knoll Knolls Lake Lakes Landing Light Lights Loaf Lock Locks Lodge Mall Manor Manors Meadow "
    "Meadows Mews Mill Mills Mission Motorway Mount Mountain Mountains Neck Orchard Oval Overpass Park "
    "Parks Parkways Pass Passage Pine Pines Plain Plains Point Points Port Ports Prairie Radial Ramp "
    "Ranch Rapid Rapids Rest Ridge Ridges River Roads Route Rue Shoal Shoals Shore Shores Skyway Spring "
    "Springs Spur Spurs Squares Station Stravenue Stream Streets Summit Throughway Trace Track "
    "Trafficway Trailer Tunnel Turnpike Underpass Union Unions Valley Valleys Viaduct View Views Village "
    "Villages Ville Vista Walk Walks Wall Ways Well Wells"
).split()
_USPS_SUFFIX = "(?-i:" + "|".join(sorted(USPS_SUFFIXES, key=len, reverse=True)) + ")"
STREET_ADDRESS = re.compile(
    # Hawaii numbers a house by its zone and lot: "87-112 Farrington Hwy"
    rf"[0-9](?<![\w/.-].)[0-9]{{0,5}}+(?:-[0-9]{{1,4}})?[A-Za-z]?\s+(?:[NSEW]\.?\s+|(?i:north|south|east|west)\s+)?"
    rf"(?:{_STREET_WORD}\s+){{1,4}}(?:{_SUFFIX}|(?P<usps>{_USPS_SUFFIX}))\b\.?"
    r"(?:\s+(?:[NSEW]|NE|NW|SE|SW)\b)?(?:,?\s*(?i:apt|apartment|unit|suite|ste|#|lot|space|trlr|trailer)\.?\s*#?\s*[A-Za-z0-9-]+)?"
)
_BOX = r"\s*box\s*#?\s*[0-9]{1,6}"
_MILITARY_POST = r"\s+(?:aa|ae|ap)\b(?:\s+[0-9]{5}(?:-[0-9]{4})?)?"
_ROAD_NUMBER = r"\s*[#-]?\s*[0-9]{1,4}[a-z]?(?![0-9]|\.[0-9])(?:\s+(?:mile\s+marker|mm)\s*[0-9]{1,4})?"
# "her name on the I-94 is ...", "I-693 completed today": immigration forms, not interstates.
_NOT_A_FORM = (r"(?![ \t]*(?:#|(?i:form|is|was|completed|done|signed|filed|number|no\.?|record|card|expires?|expired|"
               r"pending|application|receipt)\b))")
ROUTE_ADDRESS = KeywordPattern(
    (
        rf"po\.?{_BOX}|p\.\s?o\.?{_BOX}|hc\s?[0-9]{{1,3}}\s+{_BOX}|rr\s*[0-9]{{1,3}}{_BOX}|rural\s+route\s*[0-9]{{1,3}}(?:{_BOX})?"
        # "Rt 2 Box 118", Texas's farm-to-market roads ("FM 1015"), "County Rd 8110"
        rf"|rt\.?\s*[0-9]{{1,3}},?{_BOX}|fm\s*-?\s*[0-9]{{2,4}}(?![0-9]|\.[0-9])|county\s+rd\.?{_ROAD_NUMBER}"
        rf"|county\s+road{_ROAD_NUMBER}|cr{_ROAD_NUMBER}|state\s+road{_ROAD_NUMBER}|nm{_ROAD_NUMBER}"
        rf"|hwy{_ROAD_NUMBER}|highway{_ROAD_NUMBER}|route{_ROAD_NUMBER}|rte{_ROAD_NUMBER}|interstate{_ROAD_NUMBER}|i-{_ROAD_NUMBER}{_NOT_A_FORM}"
        # Military mail (USPS Publication 28, section 23): "PSC 4083, Box 2466", "Unit 8412 Box
        # 2209", "APO AE 09012", "FPO AP 96601", "DPO AA 34002".
        rf"|psc\s*[0-9]{{1,5}},?{_BOX}|unit\s*[0-9]{{1,5}},?{_BOX}"
        rf"|apo{_MILITARY_POST}|fpo{_MILITARY_POST}|dpo{_MILITARY_POST}"
    ),
    r"(?![0-9])",
)


def _case_sensitive_word_alternation(words: list[str]) -> str:
    """ "AL|AK|Arizona" -> "(?:A(?<![\\w].)(?:rizona|L|K))": every branch opens with a plain letter, so
    re scans quickly for those letters and, at each one, tries only the branch of that letter."""
    tails: dict[str, list[str]] = {}
    for word in words:
        tails.setdefault(word[0], []).append(re.escape(word[1:]).replace("\\ ", r"\s+"))
    branches = "|".join(
        f"{first}(?<![\\w].)(?:{'|'.join(sorted(group, key=len, reverse=True))})"
        for first, group in sorted(tails.items())
    )
    return f"(?:{branches})"


# A state (code or name), then look back for the town before it: "Gallup, NM 87301".
STATE = re.compile(
    _case_sensitive_word_alternation(STATE_CODES.split("|") + STATE_NAMES.split("|"))
    + r"\b\.?(?:,?\s+(?P<zip>[0-9]{5}(?:-[0-9]{4})?)(?![\w-]))?"
)
CITY_BEFORE = re.compile(rf"(?P<city>{TOWN_NAME_WORDS}),?\s+$")
CITY_LOOK_BACK = 40
# State codes that are also credentials or words ("Jones MD", "PA Smith"): a town needs a comma.
# "LA" is also a long-acting drug ("Bicillin LA").
STATE_CODES_NEEDING_COMMA = frozenset("MD PA MA DE ME OR IN OK ID MS CO HI AL LA".split())
# "the Chinle chapter house": Navajo Nation chapters are named after their community.
CHAPTER_HOUSE = re.compile(rf"{CAP_WORD_START}(?:\s+{CAP_WORD})?(?P<town_end>)\s+(?i:chapter)\b")
# A listed town typed in capitals after a word of place: "FROM: EAGLE BUTTE", "RESIDENT OF PEACHAM",
# "AT HOME IN BARRE".  A town named like a word ("IN MOBILE") only after a word of residence, and
# one on no list only when it is no word or name at all ("RESIDENT OF PEACHAM").
_CAPITALS_LEAD_INS = frozenset({"FROM", "IN", "OF", "NEAR", "TO"})
_CAPITALS_LEAD_WORDS = _CAPITALS_LEAD_INS | frozenset({"LIVES", "RESIDENT", "RESIDES", "HOME"})
_SPANISH_PARTICLE_AND_WORD = re.compile(r"[ \t]+(?:DE|DEL|DE[ \t]+LA|DE[ \t]+LOS|DE[ \t]+LAS)[ \t]+[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ'’-]+")
_TOWN_IN_CAPITALS = re.compile(
    r"(?<![\w'’-])(?P<lead>FROM|IN|OF|NEAR|TO|LIVES[ \t]+IN|RESIDENT[ \t]+OF|RESIDES[ \t]+IN|HOME[ \t]+IN):?[ \t]+"
    r"(?P<town>[A-Z][A-Z'’.-]*(?:[ \t]+[A-Z][A-Z'’.-]*){0,2})")


def _towns_in_capitals(view: TextView, words: Lexicon) -> Iterator[PhiFinding]:
    text = view.text
    lines = LineReader(text, line_in_capitals)  # each line read once: time stays linear
    # Tried only where a lead-in typed in capitals starts (a scan that opens with a look-behind
    # stops at every character).
    starts = sorted(position for lead in view.tokens & _CAPITALS_LEAD_WORDS for position in find_all(text, lead)
                    if not position or not text[position - 1].isalnum())
    for match in matches_at(_TOWN_IN_CAPITALS, text, starts):
        if not lines.at(match.start()):
            continue  # a line with small letters is read by the other rules
        residence = " " in match.group("lead") or match.group("lead") == "FROM"
        parts = match.group("town").split()
        first = parts[0].rstrip(".,;:")
        if len(first) < 4 or first in CLINICAL_ABBREVIATIONS or first.endswith("."):
            continue  # "FROM ST. AGNES", "FROM HTN": a saint's site, an abbreviation
        if residence and first.lower() not in words.places and _may_be_a_destination(first.title(), words):
            # a town on no list after a word of residence: "RESIDENT OF PEACHAM", "FROM JALPA DE MÉNDEZ"
            particle = _SPANISH_PARTICLE_AND_WORD.match(text, match.start("town") + len(first))
            end = particle.end() if particle else match.start("town") + len(first)
            yield PhiFinding(match.start("town"), end, "LOCATION", LIKELY)
            continue
        for count in range(len(parts), 0, -1):
            name = " ".join(parts[:count]).rstrip(".,;:").lower()
            end = match.start("town") + len(" ".join(parts[:count]).rstrip(".,;:"))
            if name not in words.places or name in NOT_PHI_PLACES or name.upper() in STATE_TOKENS or (
                    name in CLINICAL_WORDS and not _eponym_town(name, text, end)):
                continue
            if count == 1 and ((words.is_plain_word(name) and not _eponym_town(name, text, end))
                               or words.is_known_name(name)) and not residence:
                break
            start = match.start("town")
            yield PhiFinding(start, start + len(" ".join(parts[:count]).rstrip(".,;:")), "LOCATION", LIKELY)
            break


# A pueblo named with its word: "Santa Clara Pueblo" (the lists hold "Santa Clara"), "Isleta Pueblo"
# (a word no dictionary holds); not "the Pueblo Revival".
_PUEBLO = re.compile(rf"(?P<town>{CAP_WORD_START}(?:[ \t]+{CAP_WORD})?)[ \t]+Pueblo(?![\w'’-])")
# The Virgin Islands' neighbourhoods keep the names of the old estates: "lives in Estate Whim",
# "vive en Estate Profit" (not "real estate", "Estate planning").
_VIRGIN_ISLANDS_ESTATE = re.compile(
    r"(?<![\w'’-])(?i:in|en|at|from|de|near|to)[ \t]+(?P<estate>Estate)[ \t]+[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?(?![\w'’-])")
# The town that follows a street address: "2114 Aztec Ave, Window Rock", and the ZIP code after it
# when no state stands between ("12 Oak St, Nixon 50539").
TOWN_AFTER_STREET = re.compile(rf",?\s*(?P<town>{TOWN_NAME_WORDS})(?:,?\s+(?P<zip>[0-9]{{5}}(?:-[0-9]{{4}})?)(?![\w-]))?")
_ZIP_LEAD_INS = r"zip\s*code|zipcode|zip|postal\s+code|postal|postcode|post\s+code"
# After its label a postal code of any country: a US ZIP code, or groups of capitals and digits
# ("SW1A 1AA", "H2X 1Y4", "9117 TA", "449127", "38721-245").
ZIP_AFTER_LEAD_IN = KeywordPattern(
    _ZIP_LEAD_INS,
    # A few small words may stand between ("postal area 87301", "zip on file is 87301").
    r"(?:[ \t]+[a-z]+){0,3}?(?:\s*[:#,]|\s+(?i:is|was)|)\s*(?P<zip>[0-9]{5}(?:-[0-9]{4})?\b"
    r"|(?=[A-Z]{0,4}[0-9])[A-Z0-9]{2,8}(?:[ -](?=[A-Z]{0,3}[0-9])[A-Z0-9]{2,4}|[ ][A-Z]{2}|)(?![\w-]))",
)
COUNTY_TOKENS = frozenset({"County", "Parish", "Borough", "Co"})
# Found from its hyphen, which re finds far faster than a digit: "87301-1234".
ZIP_PLUS_FOUR = re.compile(r"-(?<=(?<![\w-])(?P<zip>[0-9]{5})-)[0-9]{4}(?![\w-])")
COUNTY_WORD = re.compile(r"[CPB](?<![\w].)(?:(?<=C)(?:ounty|o\.)|(?<=P)arish|(?<=B)orough)(?!\w)")
COUNTY_NAME_BEFORE = re.compile(rf"(?<![\w'’-]){CAP_WORD}(?:\s+{CAP_WORD}){{0,2}}\s+$")
COUNTY_LOOK_BACK = 40
# "mckinley county" typed in lower case: the word before "county".
LOWER_CASE_COUNTY = re.compile(r"c(?<![A-Za-z]c)ounty\b")
ALL_CAPS_COUNTY = re.compile(r"(?<![\w'’-])(?P<name>[A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,2}) (?:COUNTY|PARISH|BOROUGH)\b")
_WORD_BEFORE = re.compile(r"([a-z][a-z'’-]+)\s+$")
_NON_SPACE = re.compile(r"\S+")
_NOT_A_COUNTY_NAME = frozenset(
    "the a this same our their his her rural neighboring county each every which that other home adjacent "
    "nearby at in to from of for on near into by with".split()
)
_TOWN_WORD = (
    r"(?!(?i:in|at|on|and|or|to|with|for|the|of|but|since|where|who|near|from|by|is|was)\b)"
    r"(?:St\.|Ft\.|Mt\.|[A-Za-z][\w'’-]*)"
)
_STRONG_TOWN_LEAD_INS = (
    r"lives|living|live|resides|residing|located|stays|staying|moved|relocated|born|raised|grew\s+up|"
    r"from|town\s+of|city\s+of|village\s+of|community\s+of|chapter|pueblo\s+of|travels?\s+(?:to|from)|"
    r"drives?\s+(?:to|from)|north\s+of|south\s+of|east\s+of|west\s+of|"
    # in Spanish: "vive en Anthony", "cerca de Hatch", "viene de Socorro"
    r"vive\s+en|viven\s+en|reside\s+en|cerca\s+de|viene\s+de|nació\s+en|naci[oó]\s+en"
)
TOWN_AFTER_STRONG_LEAD_IN = KeywordPattern(
    _STRONG_TOWN_LEAD_INS,
    # "moved here from X", "lives out in X"
    rf"(?:\s+(?i:here|there|back|away|over|down))?"
    rf"(?:\s+(?i:in|to|from|near|at|of|out\s+in|up\s+in))?\s+(?P<town>{_TOWN_WORD}(?:\s+{_TOWN_WORD}){{0,2}})",
)
# "a 30 yo man from Ganaur", "Scallan, 53 yo, from X", "originally from X": where a person comes
# from, a capitalised word on no list is a town (not "switched from Humira").
ORIGIN_FROM = KeywordPattern(
    "yo|y/o|year-old|years?\\s+old|man|woman|male|female|boy|girl|patient|pt|originally|family|immigrated|"
    "came|comes|is|was|visiting|here|"
    # where refugees and migrants came from: "arrived from Kabul", "family of 7 from Kakuma", "fled Gambela"
    "arrived|arriving|fled|refugee|refugees|resettled|relocated|immigrant|immigrants|migrated|emigrated|flew|"
    # "parents from Kandahar", "she's from Hue"
    "parents|parent|mother|father|mom|dad|she['’]s|he['’]s|they['’]re",
    # not a switch "from X to Y" ("switch the family from Medtronic to ...")
    rf"(?:\s+of\s+[0-9]{{1,2}})?,?\s+from\s+(?P<town>{_TOWN_WORD}(?:\s+{_TOWN_WORD})?)(?![\w'’-]|\s+to\b)",
)
# Where a person goes: "wants to go back to Seoul for surgery", "flew home to Chuuk", "returned to
# Kandahar": a capitalised word on no list after it is a town, as after ORIGIN_FROM ("moved to
# Trelegy" is a switch of drugs: a move to a town is read by TOWN_AFTER_STRONG_LEAD_IN).
DESTINATION_TO = KeywordPattern(
    "go|goes|going|went|travel|travels|traveled|travelled|traveling|travelling|fly|flies|flew|flown|return|"
    "returns|returned|returning|deported|sent",
    rf"(?:\s+(?i:back|home))?\s+to\s+(?P<town>{_TOWN_WORD}(?:\s+{_TOWN_WORD})?)(?![\w'’-])",
)
# After a weak lead-in ("in", "at", "near") the town must be capitalised and listed: "in Farmington".
TOWN_WORDS = re.compile(
    r"[A-Z](?<![\w'’.-].)[\w'’-]*(?:\s(?:St\.|Ft\.|Mt\.|[A-Z][\w'’-]*|d['’][A-Z][\w'’-]*|du|de|la|le)){0,2}")
# "in", "at", "near", "to", "visiting", "outside (of)", "of" (and Spanish "en") before a capital, opening with a plain
# character set so that re scans quickly (see scan.py).  Each branch opens with its own next letter
# and checks the first one behind it ("n(?<=[Ii]n)"): re skips a branch whose first letter differs.
WEAK_TOWN_LEAD_IN = re.compile(
    r"[IiAaNnTtVvOoEe](?<![\w].)(?:n(?<=[IiOoEe]n)|t(?<=[Aa]t)|ear(?<=[Nn]ear)|o(?<=[Tt]o)|isiting(?<=[Vv]isiting)"
    r"|utside(?<=[Oo]utside)(?:\s+of)?|f(?<=[Oo]f))\s+(?=[A-Z])"
)
# Towns named like ordinary words that "in"/"at" alone does not make a town ("in General").
_ORDINARY_TOWN_NAMES_NEEDING_CONTEXT = frozenset(
    "spring summer fall winter autumn home general mobile independence hope friendship liberty unity "
    "commerce energy progress opportunity industry enterprise justice harmony plain plains union center "
    "march may june august christmas easter care medicine surgery rehab hospital school church college".split()
)
_RESIDENCE_LEAD_IN = re.compile(
    r"(?i:lives|living|live|resides|residing|moved|relocated|born|raised|grew|town|city|village|community|pueblo|"
    r"north|south|east|west)"
)
STRONG_TOWN_KEYWORDS = frozenset(
    "lives living live resides residing located stays staying moved relocated born raised grew from town "
    "city village community chapter pueblo travels travel drives drive north south east west vive viven reside "
    "cerca viene nació nacio".split()
)
STATE_TOKENS = frozenset(STATE_CODES.split("|")) | frozenset(
    word for name in STATE_NAMES.split("|") for word in name.split()
)
STATE_TOKENS_LOWER = frozenset(token.lower() for token in STATE_TOKENS)
STATE_NAMES_LOWER = frozenset(name.lower() for name in STATE_NAMES.split("|"))
STREET_KEYWORDS = frozenset(_STREET_SUFFIX.split("|")) | frozenset(word.lower() for word in USPS_SUFFIXES)
ROUTE_KEYWORDS = frozenset(
    "po p o box hc county road cr state nm hwy highway route rte interstate i rr rural psc unit apo fpo dpo rt fm".split()
)


# A street named without its number ("lives on Maple Avenue", "off Zuni Road"): capitalised words
# before a street word that is spelled out (the short forms "St", "Dr" are saints and doctors; a
# "Blood Drive" is no street).
_NAMED_STREET_WORDS = frozenset(
    "Street Avenue Ave Road Rd Boulevard Blvd Lane Ln Highway Hwy Parkway Pkwy Terrace Trail Circle".split()
)
NAMED_STREET = re.compile(
    r"[A-Z](?<![\w'’-].)[a-z]++(?:[ \t][A-Z][a-z]++){0,2}?[ \t](?:" + "|".join(sorted(_NAMED_STREET_WORDS)) + r")\b\.?"
)


# "the shelter on 3rd St.", "off 14th Avenue": a numbered street without a house number.
ORDINAL_STREET = re.compile(r"[0-9](?<![\w-].)[0-9]{0,2}(?:st|nd|rd|th)[ \t](?:Street|St|Avenue|Ave)\b\.?")
# A street named short, as people in town say it: "the shelter on 4th", "the Salvation Army on
# Third.", "Dollar Barn on Main and", "Sober Living on 3rd & Elm since".  Only after "on" or "off"
# and before the clause goes on or ends, so "on 3rd trimester" and "on 2nd-line therapy" stay.
_SHORT_STREET_NAME = r"(?:Main|First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Front|Broadway|[0-9]{1,3}(?:st|nd|rd|th))"
SHORT_STREET = re.compile(
    rf"(?<![\w'’-])o(?:n|ff)[ \t]+(?P<street>{_SHORT_STREET_NAME}"
    rf"(?:[ \t]*(?:&|and)[ \t]*(?:[A-Z][a-z]+|{_SHORT_STREET_NAME}))?)"
    r"(?=[ \t]*(?:[,.;:!?)]|$|\n|[ \t]+(?:and|for|since|near|by|in|where|with|when|but|so|until|till|across)\b))"
)
_SHORT_STREET_WORDS = frozenset(
    "Main First Second Third Fourth Fifth Sixth Seventh Eighth Ninth Tenth Front Broadway st nd rd th".split())
_ORDINAL_STREET_WORDS = frozenset("Street St Avenue Ave".split())


def _named_streets(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    for match in NAMED_STREET.finditer(text):
        start, named = match.start(), match.group().split()[:-1]
        while named and named[0].lower() in _SMALL_STREET_OPENERS:  # "The Main Street clinic"
            start += len(named.pop(0)) + 1
        # A word before the street word must be no clinical one ("Trail Making", "Brain Road").
        if not named or any(word.lower() in CLINICAL_WORDS for word in named):
            continue
        yield PhiFinding(start, match.end(), "LOCATION", LIKELY)


_SMALL_STREET_OPENERS = frozenset("the a an on off at near by in to from of and".split())

# A street with its short form and no number, after where a person lives, in any case: "home on s
# 14th st", "home on cumberland ave", "LIVES BIRCH ST, LEWISTON", "lives S Duke St, Lancaster".
# The words before the street word must be no small word or drug ("on aspirin st" is none), and not
# all clinical words unless they are names too (Duke St).
_STREET_SHORT_FORMS = "st|ave|rd|ln|blvd|hwy|pkwy"  # not "Dr", "Ct": doctors and scans
_STREET_SPELT_OUT = "street|avenue|road|lane|drive|court|place|highway|boulevard"
STREET_WITHOUT_NUMBER = KeywordPattern(
    "on|off|lives|living|resides|stays|staying|from|sou",  # "sou": Haitian Creole "on"
    r"[ \t]+(?P<street>(?:(?i:ne|nw|se|sw|n|s|e|w|north|south|east|west)\.?[ \t]+|)(?P<name>(?:[A-Za-z][a-z'’]+|[A-Z][A-Z'’]+|[0-9]{1,3}(?i:st|nd|rd|th))"
    r"(?:[ \t]+(?:[A-Za-z][a-z'’]+|[A-Z][A-Z'’]+)){0,2})[ \t]+"
    rf"(?P<kind>(?i:{_STREET_SHORT_FORMS}|{_STREET_SPELT_OUT})))(?![\w'’-])",
    before=r"(?<![\w'’-])",
)
_STREET_SHORT_FORMS_SET = frozenset(_STREET_SHORT_FORMS.split("|"))
_STREET_KIND_WORDS = _STREET_SHORT_FORMS_SET | frozenset(_STREET_SPELT_OUT.split("|"))


def _streets_without_numbers(view: TextView, words: Lexicon) -> Iterator[PhiFinding]:
    for match in STREET_WITHOUT_NUMBER.finditer(view):
        named = match.group("name").split()
        lower = [word.lower() for word in named]
        if any(word in _SMALL_STREET_OPENERS or word in SMALL_WORDS_OF_A_LIFE or word in words.drug_names for word in lower):
            continue
        if all(word in CLINICAL_WORDS and not (words.is_known_name(word) or word in words.places) for word in lower):
            continue  # "on the ICU st", not "lives S Duke St"
        if match.group("kind").lower() not in _STREET_SHORT_FORMS_SET and all(
                words.is_plain_word(word) and word not in words.places for word in lower):
            continue  # "lives 40 miles on dirt road", "ON GRAVEL ROAD": a kind of road, spelt out
        yield PhiFinding(match.start("street"), match.end("street"), "LOCATION", LIKELY)


SMALL_WORDS_OF_A_LIFE = frozenset("his her their my our your its this that same".split())


# "near mile marker 87 on Hwy 491", "MM 112": a point on a road as exact as an address.
MILE_MARKER = re.compile(r"(?<![\w])(?i:mile[ \t]+marker|mm)[ \t]*#?[ \t]*[0-9]{1,4}(?:\.[0-9])?(?![\w.])")


# A town of two or three words typed small after a word of place: "out of new bedford", "taxi driver
# in north miami", "psych in great falls", "deal island crabber" is left (no word of place).  Two
# words that together name a listed town say more than either alone ("pound", "wise" are words).
LOWER_CASE_TOWN_OF_WORDS = KeywordPattern(
    "in|from|of|near|outside|around|to|lives|living",
    r"[ \t]+(?P<town>[a-z]{2,}[ \t]+[a-z]{3,}(?:[ \t]+[a-z]{3,})?)(?![\w'’-])",
    before=r"(?<![\w'’-])",
)
_NOT_TOWNS_OF_WORDS = frozenset({"red cross", "white house", "new york", "good hope", "blue earth", "home health"})


_SMALL_PLACE_WORDS = frozenset("of in and the de la del los las el on at by to y".split())


@cache
def _later_words_of_towns() -> frozenset[str]:
    """The second and third words of the listed towns of two or three words ("bedford" of "new
    bedford"): a text with none of them holds no such town, and most texts hold none."""
    return frozenset(word for place in lexicon().places if 2 <= place.count(" ") + 1 <= 3
                     for word in place.split(" ")[1:]) - _SMALL_PLACE_WORDS


_LOWER_CASE_WORD = re.compile(r"[a-z]+")


def _lower_case_towns_of_words(view: TextView, words: Lexicon) -> Iterator[PhiFinding]:
    text = view.text
    for match in LOWER_CASE_TOWN_OF_WORDS.finditer(view):
        spans = [part.span() for part in _LOWER_CASE_WORD.finditer(text, *match.span("town"))]
        parts = [text[start:end] for start, end in spans]
        if parts[0] in SMALL_WORDS_OF_A_LIFE or parts[0] in ("the", "a", "an"):
            continue  # "stay in the village": a place of a kind, not "The Village", Oklahoma
        for count in (3, 2):
            name = " ".join(parts[:count])
            if len(parts) >= count and name in words.places and name not in NOT_PHI_PLACES and (
                    name not in _NOT_TOWNS_OF_WORDS and name not in REGION_NAMES):
                yield PhiFinding(spans[0][0], spans[count - 1][1], "LOCATION", LIKELY)
                break


def find_locations(view: TextView) -> Iterator[PhiFinding]:
    words, text = lexicon(), view.text
    if not view.tokens.isdisjoint(_NAMED_STREET_WORDS):
        yield from _named_streets(text, words)
    if not view.words.isdisjoint(_STREET_KIND_WORDS) and STREET_WITHOUT_NUMBER.occurs_in(view):
        yield from _streets_without_numbers(view, words)
    if ("on" in view.words or "off" in view.words) and not view.tokens.isdisjoint(_SHORT_STREET_WORDS):
        for match in SHORT_STREET.finditer(text):
            yield PhiFinding(match.start("street"), match.end("street"), "LOCATION", LIKELY)
    if view.has_digit and not view.tokens.isdisjoint(_ORDINAL_STREET_WORDS):
        for match in ORDINAL_STREET.finditer(text):
            yield PhiFinding(match.start(), match.end(), "LOCATION", LIKELY)
    if view.has_digit:
        if ADDRESS_LABEL.occurs_in(view):
            yield from _labelled_addresses(view)
        if view.has_any(STREET_KEYWORDS):
            yield from _street_addresses(text, words)
        if view.has_any(ROUTE_KEYWORDS):
            yield from _spans(ROUTE_ADDRESS.finditer(view))
        yield from _zip_codes(view)
        yield from find_foreign_addresses(view)
        if "marker" in view.words or "mm" in view.words:
            yield from _spans(MILE_MARKER.finditer(text))
    if not view.tokens.isdisjoint(STATE_TOKENS):
        yield from _cities_before_states(text, words)
    if not view.tokens.isdisjoint(COUNTY_TOKENS):
        yield from _counties(text)
    yield from find_neighbourhoods_and_roads(view)
    if "county" in view.words:
        yield from _lower_case_counties(text)
    if "COUNTY" in text or "PARISH" in text or "BOROUGH" in text:
        yield from _all_caps_counties(text, words)
    yield from _towns_after_lead_ins(view, words)
    unmistakable, lower_case_openers = _town_word_sets()
    if not view.words.isdisjoint(unmistakable):
        yield from _unmistakable_towns(view, unmistakable)
    if not view.tokens.isdisjoint(lower_case_openers):
        yield from _lower_case_towns(view, words)
    if not view.words.isdisjoint(_later_words_of_towns()) and LOWER_CASE_TOWN_OF_WORDS.occurs_in(view):
        yield from _lower_case_towns_of_words(view, words)
    if not view.tokens.isdisjoint(_SAINT_WORDS):
        yield from _saint_towns(text, words)
    if not view.tokens.isdisjoint(_CAPITALS_LEAD_INS):
        yield from _towns_in_capitals(view, words)
    if "Pueblo" in view.tokens:
        for match in _PUEBLO.finditer(text):
            town = match.group("town")
            if town.lower() in words.places or not any(words.is_plain_word(word) for word in town.split()):
                yield PhiFinding(match.start(), match.end(), "LOCATION", LIKELY)
    if "Estate" in view.tokens:
        for match in _VIRGIN_ISLANDS_ESTATE.finditer(text):
            yield PhiFinding(match.start("estate"), match.end(), "LOCATION", LIKELY)
    if "chapter" in view.words:
        for match in CHAPTER_HOUSE.finditer(text):
            yield PhiFinding(match.start(), match.start("town_end"), "LOCATION", LIKELY)
    yield from find_facilities(view, words)
    yield from find_care_sites(view, words)


@cache
def _town_word_sets() -> tuple[frozenset[str], frozenset[str]]:
    """(the listed towns of one word that are no English or clinical word, no person's name and no
    state or country; the words a listed place may open with when typed in lower case: such a town,
    or the first word of a place of several words that is no English word).  Made once: the
    detectors then ask one set intersection per text."""
    words = lexicon()
    unmistakable = frozenset(
        place for place in words.places
        if " " not in place and len(place) >= 4 and place.isalpha() and not words.is_plain_word(place)
        and not words.is_known_name(place) and place not in NOT_PHI_PLACES and place not in SINGLE_WORD_COUNTRIES
        and place.upper() not in CLINICAL_ABBREVIATIONS  # "MoCA 22/30", not Moca, Puerto Rico
    )
    # After "in" or "from", a town named like a surname is the town ("lives w/ son in merced").
    surname_towns = frozenset(
        place for place in words.places
        if " " not in place and len(place) >= 4 and place.isalpha() and not words.is_plain_word(place)
        and words.is_known_name(place) and not words.is_first_name(place) and place not in NOT_PHI_PLACES
        and place not in SINGLE_WORD_COUNTRIES and place not in CLINICAL_WORDS
    )
    # A town named like a disease or a scale ("in huntington and", "in glasgow (montana)").
    eponym_towns = frozenset(
        place for place in words.places
        if place in CLINICAL_WORDS and place.isalpha() and len(place) >= 4 and place not in words.english_words
        and not words.is_first_name(place) and place not in NOT_PHI_PLACES and place not in SINGLE_WORD_COUNTRIES
        and place not in _THINGS_IN_A_PATIENT
    )
    openers = unmistakable | surname_towns | eponym_towns | frozenset(
        place.split()[0] for place in words.places if " " in place and not words.is_plain_word(place.split()[0]))
    # "61 M, Muscogee, T2DM": a nation, though a county is named for it ("62f, zuni." typed small stays a town).
    return unmistakable - PEOPLE_WORDS, openers


def _unmistakable_towns(view: TextView, unmistakable: frozenset[str]) -> Iterator[PhiFinding]:
    """A listed town whose name is no English or clinical word, no person's name and no state or
    country ("Weslaco", "Prestonsburg", "Española", "Emmonak") is a place wherever it stands
    capitalised: "grandmother has custody, Weslaco, cel ...", "Delta Health Center, Mound Bayou /".
    A town that is also a word or a name ("Hope", "Kyle") still needs its context."""
    text = view.text
    for word in view.words & unmistakable:
        for spelling in {word.title(), word.upper()}:
            for position in find_all(text, spelling):
                end = position + len(spelling)
                if (position and (text[position - 1].isalnum() or text[position - 1] in "'’-")) or (
                        end < len(text) and (text[end].isalnum() or text[end] in "'’-")):
                    continue
                if EPONYM_AFTER.match(text, end) or _INSTRUMENT_AFTER.match(text, end):
                    continue  # "Bethesda criteria", "Ogallala Mobility Rule": an instrument's name
                yield PhiFinding(position, end, "LOCATION", LIKELY)


_INSTRUMENT_AFTER = re.compile(
    rf"(?:[ \t]+[A-Z][\w'’-]*){{1,3}}[ \t]+"
    rf"(?i:{EPONYM_NOUNS}|questionnaire|inventory|tool|survey|checklist|assessment)\b"
)


# "works at walgreens in mcallen", "lives in cameron park, brownsville": a listed place typed in
# lower case after "in", "from", "near" or "outside".  One word
# counts when it is no English word or name; a place of several words counts as listed.
LOWER_CASE_TOWN = KeywordPattern(
    "in|from|near|outside", r"[ \t]+(?P<place>[a-z][a-z'’.-]*+(?:[ \t]+[a-z][a-z'’.-]*+){0,2})", before=r"(?<![\w'’-])"
)


# Drugs and devices named like a town, which a patient is on or in ("weaning from norco", "in foley"),
# and the holiday ("in christmas week").
_THINGS_IN_A_PATIENT = frozenset("norco foley hickman posey christmas".split())


def _eponym_town(place: str, text: str, end: int) -> bool:
    """A town named like a disease or a scale, with nothing after it that makes it one: "the only open
    bed is in huntington and", "FAMILY WANTS HER HOME NOT IN GLASGOW" (not "in Huntington's", "Glasgow
    coma score")."""
    return (place in CLINICAL_WORDS and place not in lexicon().english_words and place not in _THINGS_IN_A_PATIENT
            and not EPONYM_AFTER.match(text, end)
            and text[end:end + 1] not in ("'", "’"))


def _lower_case_towns(view: TextView, words: Lexicon) -> Iterator[PhiFinding]:
    for match in LOWER_CASE_TOWN.finditer(view):
        parts = match.group("place").split()
        for size in range(len(parts), 0, -1):
            place = " ".join(parts[:size]).rstrip(".")
            if place not in words.places or place in NOT_PHI_PLACES or place in SINGLE_WORD_COUNTRIES:
                continue
            end = match.start("place") + len(place)
            if size == 1 and (len(place) < 4 or words.is_first_name(place) or (
                    words.is_plain_word(place) and not _eponym_town(place, view.text, end))):
                break
            start = match.start("place")
            yield PhiFinding(start, start + len(place), "LOCATION", LIKELY)
            break


# "St. Paul", "Saint George", "Ste. Genevieve": a town named for a saint, as the place lists have
# it ("saint paul", "st. louis"), wherever it stands ("..., St. Paul, direct line").
SAINT_TOWN = re.compile(  # opens with a plain "S", which re finds fast (see scan.py)
    r"S(?<![\w'’-]S)(?:t|te|aint)\.?[ \t]+(?P<rest>[A-Z][a-z]+(?:[ \t][A-Z][a-z]+)?)(?![\w'’])"
)
_SAINT_WORDS = frozenset({"St", "Ste", "Saint"})


def _saint_towns(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    for match in SAINT_TOWN.finditer(text):
        rest = match.group("rest")
        for name in (rest, rest.split()[0]) if " " in rest else (rest,):
            lower = name.lower()
            if f"saint {lower}" in words.places or f"st. {lower}" in words.places or f"st {lower}" in words.places:
                yield PhiFinding(match.start(), match.start("rest") + len(name), "LOCATION", LIKELY)
                break


# The last words of facility names, lower-cased: a sentence without one has no site to find.
SITE_HEADS = frozenset(word.lower() for word in FACILITY_TOKENS | CAPITALS_SUFFIX_TOKENS) | frozenset(
    "hospice pediatrics facility department".split())


def _spans(matches: Iterator[re.Match[str]]) -> Iterator[PhiFinding]:
    for match in matches:
        yield PhiFinding(match.start(), match.end(), "LOCATION", LIKELY)


# Street types that open an address in other languages, in lower case ("rue Perrin", "via Roma").
_STREET_TYPES = (
    "rue|boulevard|avenue|chemin|all[ée]e|impasse|place|quai|route|calle|avenida|via|viale|piazza|rua|"
    "travessa|strada|corso|vicolo|contrada|largo|stra[ßs]e|weg|straat|laan|plein"
)
# An address after its label, in any country's form ("Address on file: Vereda Alves, 72, Vila Fumec,
# 30883-694 Machado / PE", "Mail to 13, rue Perrin, 75001 Paris"): what follows "address:",
# "mail to" and the like up to the end of the sentence, when it starts with a capital or a digit and
# holds a digit (a house number or a postal code).  "Address" must be a noun: a colon or "is"
# follows it, or a word like "home" or "mailing" precedes it ("address the A1c of 9" is a verb).
ADDRESS_LABEL = KeywordPattern(
    r"address(?:es)?|addr|mail\s+to|mailed\s+to|send\s+to|ship\s+to|deliver\s+to",
    r"(?P<tail>\.?(?:[ \t]+(?i:on[ \t]+file|of[ \t]+record|is|was|now|changed[ \t]+to))*)[ \t]*(?P<colon>[:\-]|)[ \t]*"
    rf"(?P<value>(?=[^.;\n]{{0,100}}?[0-9])(?:[A-Z0-9]|(?i:{_STREET_TYPES})\b)[^;\n|]{{3,120}}?)"
    # it ends at a sentence's end or a field's: "ADDR: 114 BARTLETT ST, LEWISTON ME 04240 | INS:", "... 24228 / HOME PH"
    r"(?=\.(?:\s|$)|[;\n|]|[ \t]+/[ \t]|$|[ \t]+(?:with|since|until|for|now|last|per|and[ \t]+(?:is|was|has))\b)",
    group="label",
)
_OTHER_ADDRESS_BEFORE = re.compile(r"(?i:e-?mail|ip|ipv[46]|mac|web|hardware|network)[ \t]+$")
_ADDRESS_NOUN_BEFORE = re.compile(
    r"(?i:home|mailing|shipping|forwarding|street|new|current|old|her|his|their|our|my|your|the|billing|"
    r"delivery|postal|residential|permanent|temporary)[ \t]+$"
)


def _labelled_addresses(view: TextView) -> Iterator[PhiFinding]:
    text = view.text
    for match in ADDRESS_LABEL.finditer(view):
        label = match.group("label").lower()
        if label.startswith("addr") and _OTHER_ADDRESS_BEFORE.search(text, max(0, match.start() - 10), match.start()):
            continue  # "e-mail address:", "IP address": found by their own shapes
        if label.startswith("addr") and not (match.group("colon") or match.group("tail").strip(". \t")
                                             or _ADDRESS_NOUN_BEFORE.search(text, max(0, match.start() - 16),
                                                                            match.start())):
            continue
        # An address ends on a capitalised word, a number or a bracket: "Ohio 43210 please" is "Ohio 43210".
        value = match.group("value")
        value = _LOWER_CASE_TAIL.sub("", value)
        if STATE.fullmatch(value):
            continue  # "Mail to Ohio 43210": a state is no PHI; its ZIP code is found with the states
        yield PhiFinding(match.start("value"), match.start("value") + len(value), "LOCATION", LIKELY)


_LOWER_CASE_TAIL = re.compile(r"(?:[ \t,]+(?![A-Z0-9])[^\W\d_]+)+[ \t,]*$|[ \t,]+$")


def _street_addresses(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    for match in STREET_ADDRESS.finditer(text):
        if match.group("usps") and _not_a_usps_address(text, match):
            continue
        if _MEASURE_AFTER_NUMBER.match(text, match.start()):
            continue  # "45 MIN DRIVE TO OUR FQHC", "48 HRS AFTER CT": a measure, then words
        yield PhiFinding(match.start(), match.end(), "LOCATION", LIKELY)
        town = TOWN_AFTER_STREET.match(text, match.end())
        if town and _city_start(town.group("town"), words) == 0:
            yield PhiFinding(town.start("town"), town.end("town"), "LOCATION", LIKELY)
            if town.group("zip"):
                yield PhiFinding(town.start("zip"), town.end("zip"), "LOCATION", LIKELY)


_MEASURE_AFTER_NUMBER = re.compile(
    r"[0-9]+[ \t]*(?i:min|mins|minutes?|hrs?|hours?|days?|wks?|weeks?|months?|yrs?|years?|mg|mcg|ml|units?|lbs?|"
    r"kg|miles?|mi|km|times|x|pts?|patients?|pills?|tabs?|doses?|beds?|cases?|percent|am|pm)\b")
# A number that counts or ranks what follows is no house number: "Level 1 Trauma Center",
# "Tier 2 Health Center", "Exit 4 Station".
_RANK_BEFORE = re.compile(
    r"(?i:level|tier|grade|stage|type|class|phase|step|room|rm|floor|bed|ward|unit|zone|day|week|cycle|"
    r"group|lot|track|mile|exit|gate|building|bldg|region|district|area|site|cohort)\s+$"
)


def _not_a_usps_address(text: str, match: re.Match[str]) -> bool:
    """An address closed by a suffix that is also an ordinary word ("Center", "Station") is none
    when a word before that suffix is clinical (and no listed name) or a specialty, or when the
    number ranks something."""
    words = lexicon()
    named = match.string[match.start():match.start("usps")].split()[1:]
    # An eponym that is also a listed name ("Johnson Walk", "Ballard Green") may name a street.
    return (any((word.lower() in CLINICAL_WORDS and not words.is_known_name(word)) or is_specialty(word.lower())
                for word in named)
            or _RANK_BEFORE.search(text, max(0, match.start() - 12), match.start()) is not None)


def _cities_before_states(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    for state in STATE.finditer(text):
        before = CITY_BEFORE.search(text, max(0, state.start() - CITY_LOOK_BACK), state.start())
        state_word = state.group().split()[0].rstrip(".")
        needs_comma = state_word in STATE_CODES_NEEDING_COMMA or len(state_word) > 2  # "Ethan Washington"
        if state.group("zip"):  # "Ohio 60229": five digits after a state are a ZIP code, town or not
            yield PhiFinding(state.start("zip"), state.end("zip"), "LOCATION", LIKELY)
        if before is None or (needs_comma and "," not in before.group()):
            continue
        city_start = _city_start(before.group("city"), words)
        if city_start is None and "," in before.group():
            city_start = _word_town_start(text, before.start("city"), before.group("city"))
        if city_start is not None:
            yield PhiFinding(before.start("city") + city_start, before.end("city"), "LOCATION", LIKELY)


_PLACE_PREPOSITION_BEFORE = re.compile(r"(?<![\w'’-])(?i:in|from|near|to|of|out\s+in)[ \t]+$")
_PLACE_PREPOSITION = frozenset({"in", "from", "near", "to", "of"})
_NOT_A_TOWN_WORD = frozenset("clinic hospital center town city county home school jail".split())


def _word_town_start(text: str, start: int, candidate: str) -> int | None:
    """ "from Ordinary, Kentucky", "in Why, AZ": one word between a place preposition and its state is
    a town, even an English word (not a state, a country or a site word)."""
    parts = candidate.split()
    if len(parts) == 2 and parts[0].lower() in _PLACE_PREPOSITION:
        offset, town = len(parts[0]) + 1, parts[1]  # "From Ordinary, Kentucky" opens a sentence
    elif len(parts) == 1 and _PLACE_PREPOSITION_BEFORE.search(text, max(0, start - 12), start):
        offset, town = 0, parts[0]
    else:
        return None
    lower = town.lower()
    if lower in NOT_PHI_PLACES or lower in REGION_NAMES or lower in _NOT_A_TOWN_WORD:
        return None
    return offset


def _city_start(candidate: str, words: Lexicon) -> int | None:
    """Offset where the town starts in the capitalised words before a state, or None.

    The words may carry a sentence opener ("From Silver City, NM"): a known town among the
    trailing words wins, otherwise leading ordinary words are dropped.
    """
    offsets = [match.start() for match in _NON_SPACE.finditer(candidate)]
    for offset in offsets:
        # A town named like a country is a town before its state: "Cuba, NM", "Mexico, ME".
        lower = candidate[offset:].lower()
        if lower in words.places and (lower not in NOT_PHI_PLACES or lower in SINGLE_WORD_COUNTRIES):
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
    if ZIP_AFTER_LEAD_IN.occurs_in(view):
        for match in ZIP_AFTER_LEAD_IN.finditer(view):
            yield PhiFinding(match.start("zip"), match.end("zip"), "LOCATION", LIKELY)
    if "-" in view.text:
        for match in ZIP_PLUS_FOUR.finditer(view.text):
            yield PhiFinding(match.start("zip"), match.end(), "LOCATION", LIKELY)


def _counties(text: str) -> Iterator[PhiFinding]:
    # From "County" backwards: capitalised words are everywhere, "County" is not.
    for county in COUNTY_WORD.finditer(text):
        name = COUNTY_NAME_BEFORE.search(text, max(0, county.start() - COUNTY_LOOK_BACK), county.start())
        if name is None:
            continue
        # "The Harlan County health department": the words that name no county are left out.
        start, name_words = name.start(), name.group().split()
        while name_words and name_words[0].lower() in _NOT_A_COUNTY_NAME:
            start = text.index(name_words[1], start + len(name_words[0])) if len(name_words) > 1 else -1
            name_words.pop(0)
        if name_words:
            yield PhiFinding(start, county.end(), "LOCATION", LIKELY)


def _all_caps_counties(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    # "FROM ONONDAGA COUNTY": typed in capitals, the name is every capitalised word before it.
    # No case tells where the name starts: the word before "COUNTY", and the words before that
    # while they are no ordinary word ("ST. LANDRY PARISH"; "LIVES IN HARRIS COUNTY" is "HARRIS").
    for match in ALL_CAPS_COUNTY.finditer(text):
        name = match.group("name").split()
        if name[-1].lower() in _NOT_A_COUNTY_NAME:
            continue
        kept = 1
        while kept < len(name) and not words.is_plain_word(name[-kept - 1].strip(".'’")):
            kept += 1
        yield PhiFinding(match.end("name") - len(" ".join(name[-kept:])), match.end(), "LOCATION", LIKELY)


def _lower_case_counties(text: str) -> Iterator[PhiFinding]:
    words = lexicon()
    for match in LOWER_CASE_COUNTY.finditer(text):
        if text.startswith("-", match.end()):
            continue  # "county-wide"
        before = _WORD_BEFORE.search(text, max(0, match.start() - 30), match.start())
        # A county's name is a listed place or no English word: "mckinley county", not "a 40-bed
        # county jail" or "61 reversals county-wide".
        if (before and before.group(1) not in _NOT_A_COUNTY_NAME and text[before.start(1) - 1:before.start(1)] != "-"
                and (before.group(1) in words.places or not words.is_plain_word(before.group(1)))):
            yield PhiFinding(before.start(1), match.end(), "LOCATION", LIKELY)


# "in Choudwar?", "from Raebareli.", "near Ajegunle and": a rare capitalised word closing a clause
# after "in", "near", "from" or "outside" names a place, listed or not.  Rare means no English or
# clinical word, and a Zipf frequency under RARE_ZIPF (a drug, an insurer or a condition people write
# about, such as Suboxone or Medicaid, is common enough to pass).
RARE_PLACE_AFTER = re.compile(
    r"[IiNnFfOo](?<![\w'’-].)(?:n(?<=[Ii]n)|ear(?<=[Nn]ear)|rom(?<=[Ff]rom)|utside(?<=[Oo]utside)(?:\s+of)?)\s+"
    r"(?P<town>[A-Z][^\W\d_]*[^\W\d_A-Z](?:[-'’][A-Z][^\W\d_]+)?(?:\s[A-Z][^\W\d_]+){0,2}?|[A-Z]{5,}(?![\w'’-]))"
    r"(?=\s*(?:[?!;:,)]|\.(?:\s|$)|$|\s(?:and|or|to|takes|where|with|for|but|since|until|last|after|before|"
    r"every|each|twice|once|daily|weekly|monthly|now|today|because|when)\b))"
)
RARE_ZIPF = 2.0
_PERSON_AFTER = re.compile(r",?\s+(?:who|whose|whom)\b")
_SWITCHED_BEFORE = re.compile(
    r"(?i:\b(?:switch|switched|switching|change|changed|transition|transitioned|convert|converted|rotate|rotated|"
    r"taper|tapered|wean|weaned|titrate|titrated|stop|stopped|off|induct|inducted|induction|restart|restarted|"
    r"start|started|dose|doses|dosing|mg|units?))\s+$"
)


CAPITALS_PLACE_VOWELS = 0.3  # "SIKANDARPUR" 0.36, "PATIGI" 0.5; "HCAP" 0.25, "SBIRT" 0.2


def _vowel_share(word: str) -> float:
    return sum(char in "AEIOUY" for char in word) / len(word)


def _rare_places_closing_a_clause(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    zipf = zipf_table()
    for match in RARE_PLACE_AFTER.finditer(text):
        first = re.split(r"[\s'’-]", match.group("town"), maxsplit=1)[0]
        lower = first.lower()
        if (lower in words.english_words or lower in CLINICAL_WORDS or lower in NOT_PHI_PLACES
                or lower in STATE_TOKENS_LOWER or is_specialty(lower) or zipf.get(lower, 0.0) >= RARE_ZIPF
                or len(first) < 4 or words.is_known_name(first)):
            continue
        # A town typed in capitals in a sentence with lower case ("in SIKANDARPUR;"): a word that
        # can be said, not an acronym ("in HCAP;") nor an abbreviation anyone listed.
        if first.isupper() and (first in CLINICAL_ABBREVIATIONS or first in UNIT_ABBREVIATIONS
                                or _vowel_share(first) < CAPITALS_PLACE_VOWELS):
            continue
        if EPONYM_AFTER.match(text, match.end("town")) or _PERSON_AFTER.match(text, match.end("town")):
            continue  # "in Kaposi sarcoma"; "restart it in Ayotunde, who" is a person (names.py)
        if _SWITCHED_BEFORE.search(text, max(0, match.start() - 24), match.start()):
            continue  # "switched from Rinvoq.": a drug
        yield PhiFinding(match.start("town"), match.end("town"), "LOCATION", LIKELY)


# A town on no list, known by how English place names are made: a word that ends like one
# ("Tarachester", "Jessicastad", "Stevensonville") or a direction or landform before a name
# ("Port Andrew", "Lake Elizabethburgh", "West Edwardbury"), after "in", "from", "to", "near".
# The name must be rare (no English word, Zipf under TOWN_SHAPE_ZIPF): "England", "Finland" and
# "New York" are common, and a state or a country is no PHI.
_TOWN_PREFIXES = frozenset("Port New North South East West Lake Fort Mount Glen Grand Little Upper Lower".split())
_TOWN_SUFFIXES = tuple(
    "ton ville burg burgh borough boro bury berg field ford land port view side chester mouth haven stad fort "
    "town shire furt stead worth wick".split()
)
TOWN_SHAPE_AFTER = re.compile(
    r"[IiFfTtNnOo](?<![\w'’-].)(?:n(?<=[Ii]n)|rom(?<=[Ff]rom)|o(?<=[Tt]o)|ear(?<=[Nn]ear)|utside(?<=[Oo]utside))\s+"
    rf"(?P<town>(?P<prefix>(?:{'|'.join(sorted(_TOWN_PREFIXES))})\s+)?"
    r"[A-Z][a-z]+)(?![\w'’-])"
)
TOWN_SHAPE_ZIPF = 2.5
_COUNTRIES_AND_REGIONS = frozenset(
    "new zealand|new guinea|south africa|south korea|north korea|south sudan|east timor|north macedonia|"
    "new caledonia|new south wales|new england|south asia|east asia|west africa|east africa|north africa|"
    "south america|north america|west bank|new brunswick|upper egypt".split("|")
)


def _towns_by_shape(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    zipf = zipf_table()
    for match in TOWN_SHAPE_AFTER.finditer(text):
        name = match.group("town").split()[-1]
        if not (match.group("prefix") or name.endswith(_TOWN_SUFFIXES)):
            continue
        lower, town = name.lower(), match.group("town").lower()
        if (lower in words.english_words or lower in CLINICAL_WORDS or lower in NOT_PHI_PLACES
                or town in STATE_NAMES_LOWER or town in _COUNTRIES_AND_REGIONS):
            continue
        # A landform or direction before a person's name is a town named for someone ("Port Andrew").
        if zipf.get(lower, 0.0) >= TOWN_SHAPE_ZIPF and not (match.group("prefix") and words.is_known_name(name)):
            continue
        if EPONYM_AFTER.match(text, match.end("town")):
            continue
        yield PhiFinding(match.start("town"), match.end("town"), "LOCATION", LIKELY)


def _towns_after_lead_ins(view: TextView, words: Lexicon) -> Iterator[PhiFinding]:
    yield from _towns_after_weak_lead_ins(view.text, words)
    yield from _rare_places_closing_a_clause(view.text, words)
    # The scan stops at every "i", "f", "t", "n", "o": only run it when some word has a town's shape.
    # view.tokens - view.words: the words with a capital (a word in lower case is in both), few.
    if not view.tokens.isdisjoint(_TOWN_PREFIXES) or [
            token for token in view.tokens - view.words if token.endswith(_TOWN_SUFFIXES) and token[0].isupper()]:
        yield from _towns_by_shape(view.text, words)
    if "from" in view.words:
        for match in ORIGIN_FROM.finditer(view):
            town_end = _unlisted_town_end(match.group("town"), words)
            if town_end and not EPONYM_AFTER.match(view.text, match.start("town") + town_end):
                yield PhiFinding(match.start("town"), match.start("town") + town_end, "LOCATION", LIKELY)
    if "to" in view.words and DESTINATION_TO.occurs_in(view):
        for match in DESTINATION_TO.finditer(view):
            town = match.group("town").split()[0].rstrip(".,;:")
            if (town[0].isupper() and _may_be_a_destination(town, words)
                    and not EPONYM_AFTER.match(view.text, match.start("town") + len(town))):
                yield PhiFinding(match.start("town"), match.start("town") + len(town), "LOCATION", LIKELY)
    if not view.has_any(STRONG_TOWN_KEYWORDS):
        return
    for match in TOWN_AFTER_STRONG_LEAD_IN.finditer(view):
        if match.group().split(None, 1)[0].lower() in _SPANISH_LEAD_INS and not match.group("town")[0].isupper():
            continue  # "vive en el rancho": in Spanish only a capitalised town
        residence = _RESIDENCE_LEAD_IN.match(match.group()) is not None
        town_end = _known_town_end(match.group("town"), words, strong=True) or (
            _unlisted_town_end(match.group("town"), words) if residence else 0
        )
        if town_end:
            start = match.start("town")
            yield PhiFinding(start, start + town_end, "LOCATION", LIKELY)


_SPANISH_LEAD_INS = frozenset({"vive", "viven", "reside", "cerca", "viene", "nació", "nacio"})


def _towns_after_weak_lead_ins(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    for lead_in in WEAK_TOWN_LEAD_IN.finditer(text):
        candidate = TOWN_WORDS.match(text, lead_in.end())
        town_end = _known_town_end(candidate.group(), words, strong=False) if candidate else 0
        if town_end and EPONYM_AFTER.match(text, candidate.start() + town_end):
            continue  # "history of Graves disease"
        if town_end:
            yield PhiFinding(candidate.start(), candidate.start() + town_end, "LOCATION", LIKELY)
        elif candidate and text[lead_in.start() + 1] in "nN" and text[lead_in.start()] in "iI":
            unlisted = _UNLISTED_TOWN_AFTER_IN.match(text, candidate.start())
            if (unlisted and _is_unlisted_town_word(unlisted.group("town"), words)
                    and not EPONYM_AFTER.match(text, unlisted.end("town"))):  # "in Brelvinko disease"
                yield PhiFinding(unlisted.start("town"), unlisted.end("town"), "LOCATION", LIKELY)
        # "at Harborview", "at St. Brendan's", "at Reed Creek Frontier ED": a place on no list (the
        # longer finding wins over a town that opens it)
        if text[lead_in.start() + 1] in "tT":
            site_end = verbless_site_end(text, lead_in.end(), words)
            if site_end:
                yield from site_findings(text, lead_in.end(), lead_in.end() + site_end, words)


# "her sister in Terrazzo takes her", "lives in Wamsutter, WY": after "in", one capitalised word that
# no dictionary, name, drug or clinical list holds, before the clause goes on, is a town on no list.
_UNLISTED_TOWN_AFTER_IN = re.compile(
    r"(?P<town>[A-Z][a-z]{3,}(?:-[A-Z][a-z]+)?)(?=[ \t]*(?:[,.;:!?)]|$|\n|[ \t]+(?:[a-z]|[A-Z]{2}\b)))"
    r"(?![ \t]*,[ \t]*(?:who|whose|a|an|age|aged|[0-9]))")  # "in Besin, who was admitted": a person


def _on_no_list(word: str, words: Lexicon) -> bool:
    """No word of the dictionary, name, drug, clinical word, service (is_plain_word holds those) nor
    country: what a town on no list must be."""
    lower = word.lower()
    return not (lower in words.english_words or words.is_plain_word(word) or words.is_known_name(word)
                or lower in CLINICAL_WORDS or lower in words.drug_names or lower.endswith(CLINICAL_ENDINGS)
                or lower in NOT_PHI_PLACES or lower in SINGLE_WORD_COUNTRIES)


def _may_be_a_destination(word: str, words: Lexicon) -> bool:
    """A town on no list after "go back to": a word read often is still a town here ("Seoul"),
    unlike after "in"."""
    return not word.isupper() and _on_no_list(word, words)


def _is_unlisted_town_word(word: str, words: Lexicon) -> bool:
    lower = word.lower()
    compound = any(lower[:cut] in words.english_words and lower[cut:] in words.english_words
                   for cut in range(3, len(lower) - 2))  # "farmworker", read again with a capital
    return _on_no_list(word, words) and not compound and lower not in _zipf_common()


@cache
def _zipf_common() -> frozenset[str]:
    """Words read often enough in English text (Zipf 3.5+) to be no unheard-of town: "Spanish", "Lantus"."""
    return frozenset(word for word, zipf in zipf_table().items() if zipf >= 3.5)


_TOWN_PARTICLE = re.compile(r"d['’][A-Z][\w'’-]*|du|de|la|le")


def _known_town_end(candidate: str, words: Lexicon, *, strong: bool) -> int:
    """Length of the longest leading run of words that is a known US town, else 0."""
    tokens = candidate.split()
    # Every try below starts with the first word: if no town starts with it, none can match.
    first_words = _place_first_words()
    if tokens and tokens[0].lower() not in first_words and tokens[0].rstrip(".,;:").lower() not in first_words:
        return 0
    for count in range(len(tokens), 0, -1):
        name = " ".join(tokens[:count]).rstrip(".,;:")
        lower = name.lower()
        if lower not in words.places or lower in NOT_PHI_PLACES or lower in CLINICAL_WORDS:
            continue
        # "Coeur d'Alene", "Lac du Flambeau": a French particle inside a town's name
        capitalised = all(token[0].isupper() or _TOWN_PARTICLE.fullmatch(token) for token in name.split())
        ordinary = lower in words.english_words
        # After "in"/"at" only a capitalised, non-dictionary town counts ("in Farmington", not
        # "in Page"); after "lives in" a lower-case or dictionary-word town counts too.
        if strong and not (ordinary and not capitalised):
            return len(name)
        if not strong and capitalised and (not ordinary or lower not in _ORDINARY_TOWN_NAMES_NEEDING_CONTEXT):
            return len(name)
    return 0


@cache
def _place_first_words() -> frozenset[str]:
    """The first word of every listed town ("silver" of "silver city"), one-word towns included."""
    return frozenset(place.split(" ")[0] for place in lexicon().places)


def _unlisted_town_end(candidate: str, words: Lexicon) -> int:
    """After "lives in", "moved to": capitalised unlisted words are a town ("Yatahey")."""
    end = 0
    for token in candidate.split()[:2]:
        bare = token.rstrip(".,;:")
        lower = bare.lower()
        ordinary = lower in words.english_words or lower in CLINICAL_WORDS or lower in NOT_PHI_PLACES
        if not bare[:1].isupper() or bare.isupper() or ordinary:
            break
        end = candidate.index(token) + len(bare)
    return end


# "Iosefa Faleolo 52M, Tafuna, BMI 44", "Jerome Cash, 45M, Sandtown, new HIV dx", "Paciente Carmen Y.
# Ocasio, 48F, Bayamón, SLE", "Wilfredo Colón, 64, Juana Díaz.", "Luz Ortiz, 52F de Aibonito": a
# person's age, then a capitalised place set off by commas, is where the person lives.  Only after a
# name the detectors found; each word a listed place or no English or clinical word ("HTN", "Diabetic"
# and "Widowed" are none).
PLACE_AFTER_NAME_AND_AGE = re.compile(
    r",?[ \t]+(?:[0-9]{1,3}|[0-9]{1,3}[ \t]?(?i:[mf]|yo|y/o|yo[mf]|y/o[mf]|y\.o\.)),?[ \t]+(?:(?i:de|from)[ \t]+)?"
    r"(?P<place>(?:St\.[ \t]+)?[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,2})(?=[ \t]*(?:[,.;:]|$|\n))"
)


def places_after_name_and_age(text: str, candidates: list[PhiFinding]) -> list[PhiFinding]:
    words, places = lexicon(), []
    for candidate in candidates:
        if candidate.label != "NAME" or not (match := PLACE_AFTER_NAME_AND_AGE.match(text, candidate.end)):
            continue
        place = match.group("place")
        if all(_may_be_a_town_word(word, words) for word in place.split() if word != "St."):
            places.append(PhiFinding(match.start("place"), match.end("place"), "LOCATION", LIKELY))
    return places


def _may_be_a_town_word(word: str, words: Lexicon) -> bool:
    lower = word.lower()
    if (word.upper() in CLINICAL_ABBREVIATIONS or lower in CLINICAL_WORDS or lower in PEOPLE_WORDS
            or word.isupper() and len(word) <= 4):
        return False  # "Harrison Yazzie 58M, Navajo, visiting": a people, though a county is named for it
    if lower.endswith(("man", "men")) and len(lower) > 7 and lower[:-3] in words.english_words:
        return False  # "78M OYSTERMAN", "71 YO M WATERMAN": a trade, not a town
    return lower in words.places or not (words.is_plain_word(word) or lower in words.english_words)

