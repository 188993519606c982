"""Named facilities and employers: "St. Mary's Hospital", "Gallup Indian Medical Center",
"works at Walmart".

A facility is found from its suffix ("Hospital", "Medical Center") backwards, and counts only when
some word before the suffix makes it specific: "Pain Clinic" and "the Health Center" do not.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from app.redaction.findings import LIKELY, PhiFinding
from app.redaction.lexicon import CLINICAL_WORDS, INSURER_WORDS, PEOPLE_WORDS, SPANISH_WORDS, Lexicon
from app.redaction.name_runs import EPONYM_AFTER
from app.redaction.clinical_terms import CLINICAL_ABBREVIATIONS
from app.redaction.place_words import CAP_WORD, NOT_PHI_PLACES, PLACE_WORDS, STATE_CODE_SET
from app.redaction.scan import KeywordPattern, LineReader, TextView, find_all, writes_capitals

_FACILITY_TOKEN = re.compile(r"[A-Za-z][\w'’.-]*")
_POSSESSIVE_END = re.compile(r"['’]s?$")
# Missions, councils and co-ops, plural heads, a bare "Home" after its name ("Good Shepherd Home",
# "Hatch Chile Co-op", "Golden Valley Health Centers", "Love's Travel Stop", "Shady Acres Mobile Home
# Park"): heads read only as typed with a capital (CASED_FACILITY_TOKENS).
_CASED_ONLY_HEADS = (
    # services ("Harlan Springs Dialysis", "Coastal Home Infusion", "Diagnostic Lab Services", "Island Rx")
    r"Dialysis(?:\s+(?:Center|Unit))?|Home\s+Infusion|Infusion|Lab(?:oratory)?\s+Services|Laboratory|Outreach|Rx|"
    r"Mission|Council|Consortium|Co-?op|Co-?operative|Penitentiary|Schools|Centers|Clinics|Hospitals|"
    r"(?:Mobile\s+Home|Trailer|RV)\s+(?:Park|Court)|Apartments|Home|"
    r"Travel\s+(?:Stop|Center|Plaza)|Truck\s+Stop|"
    # "Fort Peck Reservation", "Pendleton Correctional", "Villa Serena ALF", "Hilltop Drug" (not "Food
    # and Drug Administration"), "Rio Grande Auto Body"
    r"Reservation|Rancheria|Correctional|ALF|SNF|Drug(?![ \t]+[A-Z])|Auto\s+Body|Body\s+Shop|Auto\s+Parts|"
    # houses and villages, imaging and specialty practices, and the trades patients work in ("Hozho
    # House", "Red Mesa Imaging", "Riverbend Pediatric Endocrinology", "Hermanos Ruiz Roofing")
    r"House|Village|Imaging|Radiology|(?:Pediatric\s+)?(?:Endocrinology|Cardiology|Oncology|Neurology|Nephrology|"
    r"Gastroenterology|Dermatology|Urology|Pulmonology|Rheumatology|Orthopedics|Hepatology)|"
    r"Roofing|Plumbing|Electric|Timber|Lumber|Supply|Seafood|Dairy|Orchards?|Vineyards?|Towing|Landscaping|"
    r"Staffing|Systems|Salon|Diner|Cafe|Restaurant|Grill|Bakery|"
    # agencies, programs and the places people work, live or are held ("Mid-Delta Counseling Services",
    # "Campesinos Unidos Health Outreach", "Lobster Cove Recovery Residence", "Sage Hills Travel Plaza",
    # "Sunny Grove Tomato Packers", "Cumberland Youth Detention", "Blue Ridge Visiting Nurses")
    r"Services|Outreach|Residence|Plaza|Packers|Growers|Packing|Detention|Nurses|Convent|Resettlement|Program|"
    # "Spokane Regional Health District", "Marshallese Assembly of God", "Caribbean Blue Charters",
    # "Good Samaritan Society"
    r"District|Assembly[ \t]+of[ \t]+God|Charters|Society|"
    # "Williston Regional Medical", "Southcoast Seafood Processing", "Aero Precision Machining", "Feather
    # River Ortho Center", "Honolulu Children's Pulmonary", "Villa Lakay Adult Day Care", "Casa dos Avós Rest Home"
    r"Medical(?![ \t]+(?i:assistance|assistant|records?|director|necessity|marijuana|cannabis|examiner|home|cards?|exams?|"
    r"certificates?|clearance)\b)|Processing|Machining|Fabrication|Welding|Hauling|Excavating|Sawmill|Poultry|Seafoods|Fisheries|Cannery|"
    r"Pulmonary|Ortho(?:pa?edics)?(?:\s+Center)?|(?:Adult\s+)?Day\s+Care|Daycare|Rest\s+Home"
)
_FACILITY_SUFFIX = (
    # Listed before their first word ("Health", "Home"), which is a suffix of its own.
    r"(?:Health|Nursing)\s+(?:and|&)\s+Rehab(?:ilitation)?(?:\s+Center)?|"
    r"Rehab\s+(?:and|&)\s+Nursing|Planned\s+Parenthood|"  # "Caribou Rehab & Nursing", "Billings Planned Parenthood"
    r"Health\s+Services|Health\s+Station|Home\s+Health|Home\s+Care|Food\s+Pantry|Food\s+Bank|Soup\s+Kitchen|"
    r"Pantry|Memorial|Club|Network|Tabernacle|Temple|Mosque|Synagogue|Ministries|Ministry|"
    r"Hospital|Medical\s+Center|Health\s+Center|Health\s*care\s+Center|Health\s+Care\s+Facility|Clinic|"
    r"Health\s+System|Indian\s+Hospital|Service\s+Unit|IHS|Treatment\s+Center|Recovery\s+Center|"
    r"Rehabilitation\s+Center|Rehab|Nursing\s+Home|Care\s+Center|Behavioral\s+Health|Counseling\s+Center|"
    r"Pharmacy|Urgent\s+Care|Elementary(?:\s+School)?|Middle\s+School|High\s+School|School|Academy|"
    r"University|College|Church|Chapter\s+House|Shelter|Jail|Prison|Detention\s+Center|Correctional\s+Facility|"
    r"Lodge|Company|Corporation|Inc\.?|LLC|Mine|Casino|Store|Market|Center|Health\s*care|Health\s+Care|Health|Medical\s+Group|Family\s+Practice|Healing\s+Center|Wellness\s+Center|"
    r"Med\.?\s+C(?:e?n)?tr\.?|Med\.?\s+Center|Institute|OTP|Assisted\s+Living|Senior\s+Living|Memory\s+Care|"
    r"Group\s+Home|Dialysis\s+(?:Center|Unit)|Emergency\s+Department|Detox|Sober\s+Living|Sons|"
    r"Manufacturing|Logistics|Industries|Enterprises|Foods|Farms|Construction|Trucking|Motors|"
    # "Nafada Recovery Services", "Luna Family Medicine", "St. Patrick ED", "Boyertown High"
    r"Recovery\s+Services|Family\s+Medicine|Head\s+Start|Rescue\s+Mission|ED|ER|High(?![ \t]+[A-Za-z])|"
    # the other heads a care site's name ends in ("Mapleton Pediatrics", "Oak Skilled Nursing Facility")
    r"Hospice|Pediatrics|Skilled\s+Nursing\s+Facility|Nursing\s+Facility|Facility|Department|Associates|"
    r"Physicians|"
    # employers by their legal form (ISO 20275 entity legal forms): "Richards PLC", "Heß Etzold AG",
    # "Faggiani-Simeoni e figli", "Moreira Castro e Filhos", "Ribeiro Moraes Ltda."
    r"PLC|Plc|Ltd\.?|Limited|LLP|GmbH|KGaA|AG(?:[ \t]+&[ \t]+Co\.(?:[ \t]+KGaA|[ \t]+KG)?)?|SpA|Srl|Ltda\.?|SARL|"
    r"Group|Holdings|Partners|Brothers|Corp\.?|[Ff]igli|Filhos|"
    # hospitals called by their town and kind ("Phoenix Children's", "Rapid City Regional", "Phoenix
    # VA"), homes and lodgings ("Laurel Fork Manor", "El Rancho Hotel"), services ("Perry County EMS")
    r"Children['’]s|Regional|VA|Manor|Hotel|Motel|Inn|Correctional\s+Institution|Institution|EMS|Kidney\s+Care|"
    # police and fire by their town ("found by Hazard PD", "Gallup Police Department")
    r"PD|Police\s+Department|Sheriff['’]s\s+Office|Fire\s+Department|"
    # and the heads read only as typed with a capital (above)
    + _CASED_ONLY_HEADS
)
# Found from the suffix backwards: suffixes are rare, capitalised words are not.
# A suffix may be several heads in a row ("Health Clinic", "Health Service Unit"): all of them end the name.
FACILITY_SUFFIX_END = re.compile(
    rf"(?:{_FACILITY_SUFFIX})(?:[ \t]+(?:{_FACILITY_SUFFIX}))*(?:\s+of\s+{PLACE_WORDS}|\s+on\s+Aging)?(?![\w'’])")
_FACILITY_NAME_WORD = re.compile(rf"(?:{CAP_WORD})(?:['’]s|(?<=s)['’])?|of|the|and|&|\+|for|e|dos|das|do|da|de|del")
# Words that end a facility name: a name is not read back across another facility.
_FACILITY_END_WORDS = frozenset(
    "Hospital Center Clinic Healthcare Health Unit IHS Rehab Home Pharmacy Care School Academy University "
    "College Church House Shelter Jail Prison Facility Lodge Group Practice".split()
)
MAX_FACILITY_NAME_WORDS = 5
FACILITY_LOOK_BACK = 80
# A trade right before where it is plied: "FORMER MILL WORKER AT WESTPORT PLYWOOD", "miner at Blue Diamond"
# ("health worker helping with DOT" has a verb between).
_TRADES = (
    "worker|miner|laborer|labourer|machinist|welder|mechanic|operator|deckhand|foreman|janitor|housekeeper|"
    "waitress|waiter|dishwasher|packer|trucker|lineman|cleaner|guard"
)
_TRADE_WORDS = frozenset(_TRADES.split("|"))
# An employer's name: up to four capitalised words, "&" or "and" joining two ("Hocking Valley Pipe &
# Steel", "Brockton Fish and Poultry"), a short form with its dot ("Yoder Bros. Sawmill"), a letter
# ("Double L Dairy").
_EMPLOYER_NAME = (
    rf"{CAP_WORD}(?:['’]s|(?<=Bros)\.)?"
    rf"(?:\s+(?:(?:&|and)\s+)?(?!(?:AND|OR|IN|AT)\b)(?:{CAP_WORD}(?:['’]s|(?<=Bros)\.)?|[A-Z](?![\w'’.-]))){{0,3}}"
)
_FOREIGN_WORK_VERBS = frozenset("trabaja trabajaba trabalha trabalhava".split())
_FOREIGN_PREPOSITIONS = frozenset("en em na no para".split())
_EMPLOYER_LEAD_INS = (
    f"works?|worked|working|employed|job|cashier|clerk|manager|driver|cook|teacher|aide|nurse|drives|drove|{_TRADES}|"
    "boss|supervisor|retired|"  # "HIS BOSS AT OUACHITA POULTRY", "RETIRED FROM RIVERBEND PAPER"
    + "|".join(sorted(_FOREIGN_WORK_VERBS))  # "trabaja en Lawrence Plating", "trabalha na Cape Seafood"
)
EMPLOYER_LEAD_IN = KeywordPattern(
    _EMPLOYER_LEAD_INS,
    # "works at X", "works as a welder for X": up to three words between (one after a job title).
    r"(?P<between>\s+(?:[\w-]+\s+){0,3}?)(?P<preposition>(?i:at|for|by|with|from|en|em|na|no|para))\s+(?:the\s+)?"
    rf"(?P<employer>{_EMPLOYER_NAME})",
    group="lead",
)
_WORK_VERBS = frozenset("work works worked working employed drives drove".split()) | _FOREIGN_WORK_VERBS
# "Employer: Peabody Western Coal", "School: Escalante Middle School": a field label before a name.
PLACE_LABEL = KeywordPattern(
    "employer|workplace|school|pharmacy|shelter|facility",
    # "Employer: X", "his employer, X, cut his hours", "her pharmacy is X", "Employer Weyerhaeuser drug-tests"
    # (no separator: the name must still hold a word off the dictionary).
    r"(?:\s*[:,]|\s+(?i:is|was)|(?<=[Ee]mployer)(?=[ \t]+[A-Z]))\s*"
    rf"(?P<employer>{_EMPLOYER_NAME})",
)
PLACE_LABEL_KEYWORDS = frozenset("employer workplace school pharmacy shelter facility".split())
_NO_EMPLOYER_ANSWERS = frozenset(
    "none self employed unemployed retired disabled disability homemaker student n/a na unknown not applicable "
    "ssi ssdi".split())
_INSTITUTION_NAMES = frozenset("mayo cleveland hopkins kaiser emory vanderbilt baylor stanford duke".split())
# Words that open a facility-looking run but are generic ("Pain Clinic", "the Health Center").
GENERIC_FACILITY_WORDS = frozenset(
    """
the our their his her a an and of for & on in at to from with by into near pain hcv hepatitis liver diabetes endocrine family medicine early
social protective vocational intensive crisis team management coordination education purchased referred
services programs program adult foot bone joint spine skin brain breast vascular respiratory cardiac
critical nutrition
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
bridge drop-in walk-up navigation transitions hospice rescue mission
""".split()
)


# Facility names end in a capitalised word ("... Medical Center"); without one, skip the scan.
FACILITY_TOKENS = frozenset(
    "Planned "
    "Hospital Medical Health Healthcare Clinic Indian Service IHS Treatment Recovery Rehabilitation Rehab "
    "Nursing Care Behavioral Counseling Pharmacy Urgent Elementary Middle High School Academy University "
    "College Church Chapter Shelter Jail Prison Detention Correctional Lodge Center Family Healing Wellness "
    "Company Corporation Inc LLC Mine Casino Store Market Med Institute OTP Assisted Senior Memory Group "
    "Dialysis Emergency Detox Sober Sons Manufacturing Logistics Industries Enterprises Foods Farms "
    "Construction Trucking Motors Recovery Family Head Rescue ED ER High Hospice Pediatrics Skilled Facility "
    "Department Associates Physicians PLC Plc Ltd Limited LLP GmbH KGaA AG SpA Srl Ltda SARL Holdings Partners "
    "Brothers Corp figli Figli Filhos Children Regional VA Manor Hotel Motel Inn Institution EMS Kidney Home Food "
    "Soup Pantry Memorial Club Network Tabernacle Temple Mosque Synagogue Ministries Ministry PD Police Sheriff "
    "Fire".split()
)
# Heads read only as typed with a capital: a sentence in lower case with "home" in it
# ("wants to go home") is no facility, so the caseless reading neither looks for them nor rereads
# a sentence because of them.
CASED_FACILITY_TOKENS = frozenset(
    "Dialysis Infusion Lab Laboratory Outreach Rx "
    "Mission Council Consortium Co Coop Cooperative Penitentiary Schools Centers Clinics Hospitals Home Travel "
    "Truck Mobile Trailer RV Apartments Reservation Rancheria Correctional ALF SNF Drug Auto Body House Village "
    "Imaging Radiology Pediatric Endocrinology Cardiology Oncology Neurology Nephrology Gastroenterology "
    "Dermatology Urology Pulmonology Rheumatology Orthopedics Hepatology Roofing Plumbing Electric Timber Lumber "
    "Supply Seafood Dairy Orchard Orchards Vineyard Vineyards Towing Landscaping Staffing Systems Salon Diner Cafe "
    "Restaurant Grill Bakery Services Outreach Residence Plaza Packers Growers Packing Detention Nurses Convent "
    "Resettlement Program District Assembly Charters Society Medical Processing Machining Fabrication Welding "
    "Hauling Excavating Sawmill Poultry Seafoods Fisheries Cannery Pulmonary Ortho Orthopedics Orthopaedics Day "
    "Daycare Rest".split()
)
_ALL_FACILITY_TOKENS = FACILITY_TOKENS | CASED_FACILITY_TOKENS
_CASED_ONLY_SUFFIXES = re.compile(f"(?:{_CASED_ONLY_HEADS})")
# These heads also name kinds and national bodies ("Federally Qualified Health Centers", "a
# Patient-Centered Medical Home", "the American Indian Health Council"): the name before them needs
# two words or one off the dictionary, and none that names a nation's body or a kind ("Both Public
# Schools", "the Navajo Nation Council").
_WEAK_SUFFIXES = re.compile(
    r"(?:(?:Health|Community|Medical|Family|Pediatric)[ \t]+)?(?:Dialysis|Infusion|Outreach|Laboratory|Mission|Council|Schools|Centers|Clinics|Hospitals|Home|House|Village|Systems|Supply|Electric|"
    r"Dairy|Grill|Cafe|Restaurant|Imaging|Radiology|Endocrinology|Cardiology|Oncology|Neurology|Nephrology|"
    r"Gastroenterology|Dermatology|Urology|Pulmonology|Rheumatology|Orthopedics|Hepatology)"
    r"|Services|Outreach|Residence|Plaza|Program|Nurses|Detention|District|Society|Charters")
_KIND_WORDS = frozenset(
    "american national federal federally state states united international world us u.s. america qualified "
    "critical access rural community public private both all many several nation tribal interventional "
    "diagnostic pediatric adult general surgical clinical outpatient inpatient".split()
)


# Spanish names put the kind first: "Hospital Comunitario de Madera", "Centro de Salud Familiar de
# Utuado", "Hogar Santa Teresa", "Escuela Luis Muñoz Rivera", "Clínica Familiar del Valle".  The
# words after the head name the site when one of them is capitalised and is neither English nor a
# word for a kind of care ("Hospital Medicine", "Centro de Salud" alone are no site).
_SPANISH_HEADS = ("Hospital|Centro|Cl[ií]nica|Hogar|Escuela|Colegio|Farmacia|Iglesia|Parroquia|Asilo|Residencial|"
                  # where people work: "trabaja en el Salón Bella Luna", "la Taquería El Güero"
                  # (find_phi reads text with its accents folded: "Salón" is read as "Salon")
                  "Sal[oó]n|Taller|Tienda|Panader[ií]a|Taquer[ií]a|Restaurante|Carnicer[ií]a|Lecher[ií]a|Granja")
SPANISH_FACILITY = re.compile(
    rf"(?<![\w'’-])(?:{_SPANISH_HEADS})(?:[ \t]+(?:(?:de|del|la|las|los|el|y)[ \t]+)*[A-ZÁÉÍÓÚÑ][\w'’.-]*){{1,6}}"
)
_SPANISH_HEAD_WORDS = frozenset("Hospital Centro Clínica Clinica Hogar Escuela Colegio Farmacia Iglesia Parroquia "
                                "Asilo Residencial Salón Salon Taller Tienda Panadería Panaderia Taquería Taqueria Restaurante "
                                "Carnicería Carniceria Lechería Lecheria Granja".split())
SPANISH_KIND_WORDS = frozenset(
    "salud familiar comunitario comunitaria medico médico medica médica mental general regional diagnostico "
    "diagnóstico cardiovascular pediatrico pediátrico integral rural municipal publico público privado "
    "especialidades urgencias emergencias ancianos envejecientes cuido adultos mayores".split())
_SPANISH_PARTICLES = frozenset("de del la las los el y".split())
_SENTENCE_END = re.compile(r"\.[ \t]")
_CAPITALISED_WORD_BEFORE = re.compile(r"[A-Z][\w'’.-]*[ \t]+$")


def _spanish_facilities(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    for match in SPANISH_FACILITY.finditer(text):
        if _CAPITALISED_WORD_BEFORE.search(text, max(0, match.start() - 40), match.start()):
            continue  # "Children's Hospital Colorado": an English name that ends in its head
        found = _SENTENCE_END.split(match.group(), 1)[0]  # "el Salón Bella Luna. Tel 504...": the sentence ends
        tail = [word.rstrip(".,") for word in found.split()[1:]]
        while tail and tail[-1] in _SPANISH_PARTICLES:
            tail.pop()
        named = [word for word in tail if word not in _SPANISH_PARTICLES]
        if any(word.lower() not in SPANISH_KIND_WORDS and not words.is_plain_word(word) for word in named):
            end = match.start() + len(found.rstrip(".,"))
            yield PhiFinding(match.start(), end, "LOCATION", LIKELY)


def find_facilities(view: TextView, words: Lexicon, *, recased: bool = False) -> Iterator[PhiFinding]:
    """``recased``: the view is a sentence typed in one case, written again with capitals
    (caseless.py), where the heads of CASED_FACILITY_TOKENS are not read."""
    suffix_words = view.tokens & (FACILITY_TOKENS if recased else _ALL_FACILITY_TOKENS)
    if suffix_words:
        yield from _facilities(view.text, suffix_words, words, recased)
    if not view.tokens.isdisjoint(CAPITALS_SUFFIX_TOKENS):
        yield from _facilities_in_capitals(view.text, words)
    if not recased and not view.tokens.isdisjoint(_SPANISH_HEAD_WORDS):
        yield from _spanish_facilities(view.text, words)
    if EMPLOYER_LEAD_IN.occurs_in(view) or view.has_any(PLACE_LABEL_KEYWORDS):
        yield from _employers(view, words)
    if not recased and not view.words.isdisjoint(_LOWER_CASE_HEADS):
        yield from _workplaces_named_before_a_lower_case_head(view, words)
    if not recased and "at" in view.words and LOWER_CASE_EMPLOYER.occurs_in(view):
        yield from _lower_case_employers(view, words)
    if not recased and CHAIN_STORE.occurs_in(view):
        for match in CHAIN_STORE.finditer(view):
            if not match.group("chain").endswith("'s") or _LEAD_IN_BEFORE.search(
                    view.text, max(0, match.start() - 6), match.start()):
                yield PhiFinding(match.start(), match.end(), "LOCATION", LIKELY)


def _facilities(text: str, suffix_words: frozenset[str], words: Lexicon, recased: bool) -> Iterator[PhiFinding]:
    for suffix_start in sorted(_word_positions(text, suffix_words)):
        suffix = FACILITY_SUFFIX_END.match(text, suffix_start)
        if recased and suffix and _CASED_ONLY_SUFFIXES.fullmatch(suffix.group()):
            continue
        name_start = _facility_name_start(text, suffix_start) if suffix else None
        if name_start is None:
            continue
        tokens = [(m.start(), m.group()) for m in _FACILITY_TOKEN.finditer(text, name_start, suffix.end())]
        while tokens and _is_facility_opener(text, tokens[0], words):
            tokens.pop(0)
        if tokens and tokens[0][1].lower() in INSURER_WORDS:
            continue  # a health plan's product: "Aetna Better Health", "Molina Healthcare"
        # The suffix ("Hospital") is not enough; some word before it must make the name specific.
        name_words = [token for start, token in tokens if start < suffix_start]
        if suffix.group() in _SHORT_SUFFIXES:  # "the NM ED", "Mexico ED", "SEEN IN THE ED": no names
            name_words = [token for token in name_words if not (_is_state_or_abbreviation(token) or token.isupper())]
        if suffix.group() in _TOWN_SUFFIXES:  # "Phoenix VA", not "Call the VA"
            if " ".join(name_words).lower() not in words.places:
                name_words = [token for token in name_words if token.lower().rstrip(".") in words.places]
        if (name_words and suffix.group() in _ABBREVIATED_SUFFIXES and suffix.group() not in _TOWN_SUFFIXES
                and all(words.is_plain_word(token.rstrip(".")) for token in name_words)):
            # Ordinary words before an abbreviation name no site: "ARRIVED VIA EMS", "Methylphenidate
            # ER" (the caseless reading capitalises them); a town before "VA" or "PD" is checked below.
            continue
        if name_words and _WEAK_SUFFIXES.fullmatch(suffix.group()) and (
                any(token.lower() in _KIND_WORDS for token in name_words)
                or (len(name_words) < 2 and words.is_plain_word(name_words[0].rstrip("'’s")))) and not (
                _a_town_s(name_words, words)):
            continue  # a kind of site ("Both Public Schools", "Navajo Nation Council"), not a town's
        if name_words and any(_is_proper_word(token, words) for token in name_words):
            yield PhiFinding(tokens[0][0], suffix.end(), "LOCATION", LIKELY)


# Facilities typed in capitals ("SATER URGENT CARE", "DEININGER AND SONS"): found from the suffix.
CAPITALS_SUFFIX = re.compile(
    r"(?:HOSPITAL|CLINIC|MEDICAL CENTER|HEALTH CENTER|COUNSELING CENTER|CARE CENTER|URGENT CARE|SOBER LIVING|"
    r"ASSISTED LIVING|NURSING HOME|FAMILY PRACTICE|FAMILY MEDICINE|AND SONS|RECOVERY SERVICES|DETOX|PHARMACY|"
    r"HIGH SCHOOL|ELEMENTARY|ACADEMY|LODGE|SHELTER|EMERGENCY DEPARTMENT|SKILLED NURSING FACILITY|"
    r"NURSING FACILITY|PEDIATRICS|HOSPICE|REHAB|MEDICAL GROUP|RESCUE MISSION|HEAD START|SERVICE UNIT|"
    # where people are held, live and work, as typed on a face sheet in capitals
    r"PENITENTIARY|CORRECTIONAL (?:CENTER|FACILITY|INSTITUTION|COMPLEX)|DETENTION CENTER|JAIL|PRISON|"
    r"RECOVERY(?: CENTER| HOUSE| SERVICES)?|TREATMENT CENTER|COMMUNITY SERVICES|HOUSE|VILLAGE|MANOR|APARTMENTS|"
    r"MOTEL|CASINO|TRAVEL (?:PLAZA|CENTER|STOP)|TIMBER CO|LUMBER CO|"
    # "ROBESON VALLEY MEDICAL", "FEATHER RIVER ORTHO CENTER", "VILLA LAKAY ADULT DAY CARE", "TULSA HEART
    # & VASCULAR", "PAWHUSKA DRUG", "GULF COAST DIALYSIS", "MERCED SUBACUTE"
    r"MEDICAL(?! (?:ASSISTANCE|ASSISTANT|RECORDS?|DIRECTOR|NECESSITY|MARIJUANA|CANNABIS|EXAMINER|HOME|HX|HISTORY|"
    r"DECISION|POWER|TEAM|CARE|BILLS?|ISSUES?|PROBLEMS?|CONDITIONS?|CARDS?|EXAMS?|CERTIFICATES?|CLEARANCE))|ORTHO(?:PEDICS)? CENTER|ORTHOPEDICS|"
    r"(?:ADULT )?DAY CARE|DAYCARE|REST HOME|HEART (?:&|AND) VASCULAR|DRUG(?! (?:SCREENS?|TESTS?|USE|SEEKING|INTERACTIONS?|LEVELS?|COVERAGE|PLAN|PROGRAM))|DIALYSIS|"
    r"SUBACUTE|IMAGING|RADIOLOGY|PROCESSING|MACHINING|SEAFOODS?|POULTRY|PACKING)(?![\w'’])"
)
CAPITALS_SUFFIX_TOKENS = frozenset(
    "HOSPITAL CLINIC CENTER CARE LIVING HOME PRACTICE MEDICINE SONS SERVICES DETOX PHARMACY SCHOOL "
    "ELEMENTARY ACADEMY LODGE SHELTER DEPARTMENT FACILITY PEDIATRICS HOSPICE REHAB GROUP MISSION START "
    "UNIT PENITENTIARY CORRECTIONAL DETENTION JAIL PRISON RECOVERY TREATMENT HOUSE VILLAGE MANOR APARTMENTS MOTEL "
    "CASINO TRAVEL CO MEDICAL ORTHOPEDICS DAYCARE VASCULAR DRUG DIALYSIS SUBACUTE IMAGING RADIOLOGY PROCESSING "
    "MACHINING SEAFOOD SEAFOODS POULTRY PACKING".split()
)
CAPITALS_NAME_BEFORE = re.compile(r"(?<![\w'’-])(?P<name>(?:[A-Z][A-Z'’-]+[ \t]+){1,4})$")


def _a_town_s(name_words: list[str], words: Lexicon) -> bool:
    """The words before a weak head, its kind words aside, are a listed town that is no word or
    people: "Boise City Public Schools", "Hayward Community Schools" (not "White House")."""
    town = [token for token in name_words if token.lower() not in _KIND_WORDS]
    return (bool(town) and " ".join(town).lower() in words.places
            and not all(words.is_plain_word(token) for token in town))


def _facilities_in_capitals(text: str, words: Lexicon) -> Iterator[PhiFinding]:
    for suffix in CAPITALS_SUFFIX.finditer(text):
        before = CAPITALS_NAME_BEFORE.search(text, max(0, suffix.start() - FACILITY_LOOK_BACK), suffix.start())
        if before is None:
            continue
        tokens = [(m.start(), m.group()) for m in re.finditer(r"\S+", before.group("name"))]
        # The name starts after the sentence's last small word ("FROM X TO Y CLINIC") and after
        # ordinary words that open it ("ATTENDS", "REFERRED").
        cut = [index for index, (_, token) in enumerate(tokens) if token.lower() in _SENTENCE_WORDS]
        tokens = tokens[cut[-1] + 1 :] if cut else tokens
        while (tokens and words.is_plain_word(tokens[0][1]) and tokens[0][1].lower() not in words.places
               and tokens[0][1].lower() not in PEOPLE_WORDS  # "SOMALI BANTU COMMUNITY SERVICES" keeps its people
               and tokens[0][1].lower() not in _LANDFORM_WORDS  # "VILLA LAKAY ADULT DAY CARE"
               and not (len(tokens) > 1 and tokens[1][1].lower() in _LANDFORM_WORDS)):  # "FEATHER RIVER ORTHO CENTER"
            tokens.pop(0)
        if tokens and any(_names_in_capitals(token, words) or token.lower() in _LANDFORM_WORDS for _, token in tokens):
            yield PhiFinding(before.start("name") + tokens[0][0], suffix.end(), "LOCATION", LIKELY)


_SENTENCE_WORDS = frozenset("to from at in the on for with by of is was or".split())
# The land a site is named for: a name of plain words with one of these is a name ("FEATHER RIVER ORTHO
# CENTER", "GREEN VALLEY MANOR", "VILLA LAKAY ADULT DAY CARE").
_LANDFORM_WORDS = frozenset(
    "river valley mountain mountains lake creek ridge hill hills villa park bay springs mesa canyon prairie pines "
    "oaks cedar cedars maple willow willows sunrise sunset coastal gulf harbor island meadow meadows forest woods "
    "bluff bluffs hollow grove heights plains summit shores".split())


def _names_in_capitals(token: str, words: Lexicon) -> bool:
    lower = token.lower()
    return not (
        lower in GENERIC_FACILITY_WORDS
        or lower.endswith(("ology", "iatry"))
        or _is_state_or_abbreviation(token)
        or (words.is_plain_word(token) and lower not in words.places and lower not in PEOPLE_WORDS)
    )  # a people names a community's own organisation ("EAST AFRICAN COMMUNITY SERVICES")


def _facility_name_start(text: str, suffix_start: int) -> int | None:
    """Start of the capitalised words right before a facility suffix, read backwards."""
    window_start = max(0, suffix_start - FACILITY_LOOK_BACK)
    # A name stays on its line: the line before a signature's "Family Medicine" is the signer.
    window_start = text.rfind("\n", window_start, suffix_start) + 1 or window_start
    window = text[window_start:suffix_start]
    start = None
    end = len(window)
    # The last words of the window, read backwards; each word is the last occurrence of itself
    # before the previous one, since only spaces lie between them.
    for word in reversed(window.rsplit(None, MAX_FACILITY_NAME_WORDS)[-MAX_FACILITY_NAME_WORDS:]):
        opened = word.lstrip("(\"“'‘[")  # "(Keweenaw Memorial, faxed 7 March)": the name opens after it
        if not _FACILITY_NAME_WORD.fullmatch(opened) or opened in _FACILITY_END_WORDS:
            break
        end = window.rindex(word, 0, end) + len(word) - len(opened)
        start = window_start + end
        if opened is not word:
            break
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
    if lower in {"the", "of", "and", "for", "&"} or word in {"de", "del", "da", "do", "dos", "das"}:
        return True
    window = text[max(0, start - 4) : start]  # a short window: text[:start] would be O(n)
    at_text_start = start < FACILITY_LOOK_BACK and not text[:start].strip()
    # A field's label ("Site: Commonwealth Health Center") opens no sentence: its value follows.
    sentence_start = at_text_start or "\n" in window or window.rstrip().endswith((".", ";", "?", "!"))
    ordinary = lower in words.english_words and not words.is_known_name(word) and lower not in words.places
    return sentence_start and ordinary


_SHORT_SUFFIXES = frozenset({"ED", "ER", "High"})
_ABBREVIATED_SUFFIXES = frozenset({"ED", "ER", "EMS", "VA", "PD", "IHS", "ALF", "SNF"})
_TOWN_SUFFIXES = frozenset({"VA", "Regional", "PD"})  # named by their town: "Phoenix VA", "Hazard PD"


def _is_state_or_abbreviation(token: str) -> bool:
    bare = token.rstrip(".")
    return bare.lower() in NOT_PHI_PLACES or bare in STATE_CODE_SET or bare.upper() in CLINICAL_ABBREVIATIONS


def _is_proper_word(token: str, words: Lexicon) -> bool:
    """A word that makes a facility name specific: "Gallup", "St. Mary's", "Turquoise"."""
    lower = token.lower().rstrip(".")
    bare = _POSSESSIVE_END.sub("", lower)
    if lower in {"st", "saint"}:
        return True  # "St. Mary's Hospital"
    if bare in GENERIC_FACILITY_WORDS or lower in GENERIC_FACILITY_WORDS:
        return False
    return bare not in CLINICAL_WORDS or bare in _INSTITUTION_NAMES or bare in words.places


def _employers(view: TextView, words: Lexicon) -> Iterator[PhiFinding]:
    if view.has_any(PLACE_LABEL_KEYWORDS):
        for match in PLACE_LABEL.finditer(view):
            # A name, not an answer ("Employer: None", "School: Home"): some word off the dictionary.
            employer = match.group("employer").split()
            # An employer of two words or more is named even in plain words ("EMPLOYER: RAVEN RIDGE
            # ENERGY"), unless it is an answer ("Employer: Self Employed").
            named = len(employer) >= 2 and ":" in match.group(0) and match.group(0)[:8].lower().startswith(
                ("employer", "workplace")) and not (
                {word.lower() for word in employer} & _NO_EMPLOYER_ANSWERS)
            if named or not all(words.is_plain_word(word) or word.upper() in CLINICAL_ABBREVIATIONS for word in employer):
                yield PhiFinding(match.start("employer"), match.end("employer"), "LOCATION", LIKELY)
    for match in EMPLOYER_LEAD_IN.finditer(view):
        employer, lead, between = match.group("employer"), match.group("lead").lower(), match.group("between")
        # "HIS BOSS AT OUACHITA POULTRY WILL FIRE HIM" (read with capitals, too): the name ends at a verb
        parts = list(itertools.takewhile(lambda word: word.lower() not in _VERBS_AFTER_AN_EMPLOYER, employer.split()))
        if not parts:
            continue
        employer = employer[:employer.index(parts[-1]) + len(parts[-1])]
        if employer.lower() in NOT_PHI_PLACES or employer.lower() in CLINICAL_WORDS:
            continue
        if all(word.lower() in GENERIC_FACILITY_WORDS for word in parts):
            continue  # "works at Adult Medicine", "works as a CNA at Behavioral Health"
        if all(word.upper() in CLINICAL_ABBREVIATIONS for word in parts):
            continue  # "health worker helping with DOT"
        if lead in ("drives", "drove") and all(words.is_plain_word(word) for word in parts):
            continue  # "drives himself to church for Mass"
        if lead not in _WORK_VERBS and len(between.split()) > 1:
            continue  # "the nurse be screened for Brame disease": a job title, then a verb
        preposition = match.group("preposition").lower()
        if (preposition in _FOREIGN_PREPOSITIONS) != (lead in _FOREIGN_WORK_VERBS):
            continue  # "trabaja en", "trabalha na"; "works no Fridays" names nothing
        if (preposition == "from") != (lead == "retired"):
            continue  # "retired from" names an employer; "works from home", "retired at 62" none
        if lead in ("boss", "supervisor", "retired") and between.strip():
            continue
        if lead in _TRADE_WORDS and (between.strip() or parts[0].title() in _FACILITY_END_WORDS):
            continue  # "social worker at the clinic called" (read with capitals for its sites)
        if EPONYM_AFTER.match(view.text, match.end("employer")):
            continue
        yield PhiFinding(match.start("employer"), match.start("employer") + len(employer), "LOCATION", LIKELY)


# An employer typed in lower case after work and "at", in a line typed without capitals: "works at
# sonic in filer", "nail tech at lucky nails in escanaba", "works nights at pinnacle poultry" (the
# name holds a word off the dictionary, or a town follows it: "at golden nails in marianna").
LOWER_CASE_EMPLOYER = KeywordPattern(
    f"works?|worked|working|employed|job|cashier|clerk|manager|cook|tech|{_TRADES}",
    r"(?:[ \t]+(?:nights|days|weekends|overnights|part[ \t-]time|full[ \t-]time|graveyard|there))?[ \t]+at[ \t]+"
    r"(?P<employer>[a-z][a-z'’&-]+(?:[ \t]+[a-z][a-z'’&-]+){0,2}?)"
    r"(?P<after>[ \t]+(?:in|on|near|outside|out[ \t]+of)[ \t]+(?P<town>[a-z][a-z'’ -]{2,30}?)(?=[ \t]*(?:[,.;:!?)]|$|\n|[ \t]+[a-z]))"
    r"|(?=[ \t]*(?:[,.;:!?)]|$|\n)))",
    before=r"(?<![\w'’-])",
)
_NO_EMPLOYER_WORDS = frozenset(
    "a an the his her their my our home night nights day days work school church least times first last same "
    "all it this that one two three".split())


def _lower_case_employers(view: TextView, words: Lexicon) -> Iterator[PhiFinding]:
    lines = LineReader(view.text, writes_capitals)  # a line that capitalises would capitalise a name
    for match in LOWER_CASE_EMPLOYER.finditer(view):
        if lines.at(match.start()):
            continue
        employer = match.group("employer").split()
        if employer[0] in _NO_EMPLOYER_WORDS or any(word in CLINICAL_WORDS for word in employer):
            continue
        town = match.group("town")
        listed_town = town is not None and any(
            " ".join(town.split()[:size]) in words.places for size in range(len(town.split()), 0, -1))
        if listed_town or any(not words.is_plain_word(word) and word not in SPANISH_WORDS for word in employer):
            yield PhiFinding(match.start("employer"), match.end("employer"), "LOCATION", LIKELY)


_VERBS_AFTER_AN_EMPLOYER = frozenset(
    "will would can could should is was are were has had have says said wants wanted does did may might must".split())


# Chains where patients work, shop, fill prescriptions, dialyse or sleep in the car park: the
# largest US retail, grocery, pharmacy, convenience, restaurant, dialysis and laboratory chains
# (the National Retail Federation's top retailers and the chains' own names), with a store number
# and the street it stands on ("Rite Aid #4412", "walgreens on 10th st", "Dollar General on Route
# 9").  A name that is also a possessive ("McDonald's", "Wendy's", "Casey's") only after "at",
# "from", "to", "near" or "the".  Names that are words ("Target", "Subway") are left out.
_CHAINS = (
    "walgreens|walmart|wal-mart|dollar general|family dollar|dollar tree|rite aid|kroger|safeway|albertsons|"
    "publix|h-e-b|piggly wiggly|food lion|meijer|hy-vee|winco|aldi|wegmans|circle k|wawa|sheetz|"
    "quiktrip|maverik|flying j|costco|sam's club|home depot|burger king|taco bell|chick-fil-a|dairy queen|"
    "whataburger|davita|fresenius|labcorp|quest diagnostics|tyson foods|cvs pharmacy|"
    "mcdonald's|wendy's|arby's|casey's|love's|lowe's|hardee's|dillard's"
)
_NUMBERED_STREET = r"[0-9]{1,3}(?:st|nd|rd|th)"
_STREET_TYPE = r"(?i:st|street|ave|avenue|rd|road|dr|drive|blvd|hwy|highway|pkwy|ln|lane|way)(?![\w'’])\.?"
_STREET_OF_A_STORE = (
    rf"(?:(?:{_NUMBERED_STREET}|[A-Z][a-z]+)[ \t]*(?:&|and)[ \t]*(?:{_NUMBERED_STREET}|[A-Z][a-z]+)"
    rf"|{_NUMBERED_STREET}(?:[ \t]+{_STREET_TYPE})?|(?:[A-Z][a-z]+[ \t]+){{1,2}}{_STREET_TYPE}"
    r"|(?i:route|rt\.?|hwy|highway)[ \t]*[0-9]{1,4})"
)
CHAIN_STORE = KeywordPattern(
    _CHAINS,
    r"(?![\w'’-])(?:[ \t]+(?i:pharmacy|supercenter|neighborhood market|store|dialysis|kidney care|psc))?"
    r"(?:[ \t]*(?:#|no\.?)[ \t]?[0-9]{1,6})?"
    rf"(?:[ \t]+(?i:on|off|at)[ \t]+(?:the[ \t]+corner[ \t]+of[ \t]+)?{_STREET_OF_A_STORE}(?![\w'’]))?",
    group="chain",
    before=r"(?<![\w'’-])",
)
_LEAD_IN_BEFORE = re.compile(r"(?i:\b(?:at|from|to|near|the|by))[ \t]+$")


# A workplace named before its kind in lower case: "the Cascade Poultry plant", "Austal shipyard",
# "the Stinnett sawmill", "Baca County feedlot", "Turquoise Village trading post", "Round Rock
# chapter house", "Sutter Yuba clinic".  The name must be specific: a word no dictionary holds, a
# listed place or a surname, or two capitalised words in the middle of a sentence ("Cascade
# Poultry"); a clinic's name must hold a listed place or a word off the dictionary, since "the HIV
# clinic", "the Coumadin clinic" and "the Memory clinic" name services.
_HEADS_IN_LOWER_CASE = (
    "plant shipyard sawmill mill feedlot cannery factory warehouse refinery quarry mine casino dairy ranch farm "
    "orchard packinghouse slaughterhouse trading_post truck_stop chapter_house clinic "
    # shops, lodgings and the like: "Seoul Garden restaurant", "TeleServe call center", "St. Anne's shelter"
    "restaurant cafe diner salon motel hotel shelter creamery bakery call_center gas_station feed_store bait_shop "
    # where people are held and live: "Cherokee County jail", "Eden Park trailer 9C" (below), "Pine Haven
    # trailer court"
    "jail detention_center trailer_park trailer_court mobile_home_park rv_park apartments"
).split()
_LOWER_CASE_HEAD = re.compile(
    "(?:" + "|".join(head.replace("_", r"[ \t]+") for head in _HEADS_IN_LOWER_CASE) + r")(?![\w'’-])")
_LOWER_CASE_HEADS = frozenset(head.split("_")[0] for head in _HEADS_IN_LOWER_CASE)  # where a head can start
_OPENS_A_SENTENCE = re.compile(r"(?:^|[.!?;:\n])[ \t\"'(]*$")
# One word of kind in lower case between a workplace's name and its head.
_KIND_BEFORE_HEAD = re.compile(
    r"(?<![\w'’-])(?:refugee|dental|walk-in|pork|poultry|meat|chicken|beef|turkey|packing|processing|paper|steel|"
    r"lumber|feed|prenatal|free|methadone|tribal|county|community|rural|migrant)[ \t]+$")
_NAME_BEFORE_HEAD = re.compile(rf"(?<![\w'’-])(?P<name>(?:{CAP_WORD}(?:['’]s)?(?:[ \t]+&)?[ \t]+){{1,3}})$")


def _workplaces_named_before_a_lower_case_head(view: TextView, words: Lexicon) -> Iterator[PhiFinding]:
    text = view.text
    for head_word in view.words & _LOWER_CASE_HEADS:
        for position in find_all(text, head_word):
            head = _LOWER_CASE_HEAD.match(text, position)
            if head is None or (position and (text[position - 1].isalnum() or text[position - 1] in "'’-")):
                continue
            kind = _KIND_BEFORE_HEAD.search(text, max(0, position - 24), position)
            name_end = kind.start() if kind else position  # "the Seaboard pork plant", "the Minnehaha County refugee clinic"
            before = _NAME_BEFORE_HEAD.search(text, max(0, name_end - 60), name_end)
            if before is None:
                continue
            tokens = [(before.start("name") + m.start(), m.group()) for m in _FACILITY_TOKEN.finditer(before.group("name"))]
            while tokens and (_is_facility_opener(text, tokens[0], words) or (
                    words.is_plain_word(tokens[0][1]) and _OPENS_A_SENTENCE.search(text, max(0, tokens[0][0] - 4), tokens[0][0]))):
                tokens.pop(0)  # "The", and a word opening a sentence ("Steel plant fumes")
            bare = [_POSSESSIVE_END.sub("", token.rstrip(".")) for _, token in tokens]
            county = len(bare) >= 2 and bare[-1].lower() == "county"  # "Cherokee County jail": a county named for a people
            if not bare or any(word.lower() not in ("st", "ste", "saint") and (
                               word.lower() in CLINICAL_WORDS or word.upper() in CLINICAL_ABBREVIATIONS
                               or word.lower() in words.drug_names or (word.lower() in PEOPLE_WORDS and not county)
                               or (word.lower() != "county" and (word.lower() in GENERIC_FACILITY_WORDS
                                                                 or _is_state_or_abbreviation(word))))
                               for word in bare):
                continue
            if head.group() == "clinic":  # "the Mohs clinic", "Parkinson clinic": a town's clinic only
                specific = any(word.lower() in words.places for word in bare)
            else:
                specific = any(word.lower() in words.places or not words.is_plain_word(word) or words.is_surname(word)
                               for word in bare) or len(bare) >= 2
            if specific:
                yield PhiFinding(tokens[0][0], head.end(), "LOCATION", LIKELY)
