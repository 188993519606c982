"""Word lists: the shipped name and place data, and the hand-kept clinical stoplists.

The data files are built by ``data/build_data.py`` (provenance and licences there) and read once,
lazily, on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from app.redaction.clinical_terms import is_specialty
from app.redaction.place_words import SINGLE_WORD_COUNTRIES

DATA_DIR = Path(__file__).resolve().parent / "data"
MAX_MEMOISED_WORDS = 200_000  # bounds memory on adversarial input

# Census first names that are also dictionary words but are, in practice, read as names.
# Every other name that is an English word ("hope", "frank", "will") needs name context.
NAMES_READ_AS_NAMES = frozenset(
    """
john maria peter mike matt josh tom tony harry jimmy billy bobby bob ken nick rick roger
terry victor hector homer derrick garret jasper marina sally sue carol colleen heather phoebe meg
deb chuck randy troy warren wade mason eddy ed gene earl ester eve gale glen dick barney
dolly kitty patsy patty sherry misty sandy rob brad chad curt dirk hank jay sibyl tad tam van
""".split()
)

# Census surnames that are also dictionary words but, right after a first name, are surnames.
SURNAMES_READ_AS_NAMES = frozenset(
    """
smith brown jones miller davis wilson moore taylor thomas white harris martin thompson young allen
king wright hill green baker adams nelson carter mitchell roberts turner phillips campbell parker
evans edwards collins stewart morris rogers reed cook morgan bell murphy bailey cooper howard ward
cox wood watson brooks bennett gray grey james hughes price sanders myers long ross foster powell
jenkins perry russell sullivan fisher henderson coleman hunt black stone hawkins wells west cole
ford day marshall fox rose rice warren mills knight burns gordon shaw holmes grant dean lane mason
hart little lee hunter walker page bird sparks waters banks woods freeman frost small wolf crane
""".split()
)

POSSESSIVE = ("'s", "’s")  # the ending of a possessive, straight or curly apostrophe

# Health insurers and drug makers: no PHI ("Aetna Better Health denied it", "Sanofi and Pfizer").
INSURER_WORDS = frozenset(
    "molina aetna cigna humana anthem centene ambetter wellcare amerigroup optum unitedhealthcare caresource "
    "highmark healthnet".split()
)
# Health plans by name: state Medicaid and CHIP programs and the managed-care plans that run them
# (the states' and CMS's public program lists).  A plan is no place and no person, even when it bears
# a town's, a state's or a system's name ("Sanford Health Plan", "Tufts Health Together", "Carolina
# Complete Health", "Denali KidCare").  Words joined by spaces; matched whole, in any case.
HEALTH_PLAN_NAMES = (
    "masshealth(?: standard| commonhealth| careplus| family assistance| limited)?|mainecare|soonercare|kancare|tenncare|"
    "badgercare(?: plus)?|peachcare(?: for kids)?|husky(?: health| a| b| d)?|minnesotacare|medi-cal|ahcccs|"
    "denali kidcare|apple health|oregon health plan|health first colorado|centennial care|turquoise care|"
    "healthy louisiana|healthy connections|healthy michigan plan|healthy indiana plan|hoosier healthwise|"
    "mo healthnet|nj familycare|green mountain care|dr\\.? dynasaur|rite care|texas star(?:\\+plus| plus| kids)?|"
    "star\\+plus|nevada check up|health safety net|med-quest|hawki|ia health link|arkids first|"
    "tufts health (?:together|direct|unify|plan|public plans)|bmc healthnet(?: plan)?|fallon health|"
    "neighborhood health plan|sunshine health|simply healthcare|superior healthplan|buckeye health plan|"
    "peach state health plan|carolina complete(?: health)?|amerihealth caritas|healthy blue|meridian health(?: plan)?|"
    "priority health|unitedhealthcare community plan|sanford health plan|presbyterian health plan|western sky community care|"
    "careoregon|anthem healthkeepers(?: plus)?|virginia premier|optima health|home state health|"
    "louisiana healthcare connections|magnolia health|nebraska total care|iowa total care|sunflower health plan|"
    "passport health plan|wellcare(?: of [a-z]+)?|ambetter(?: from [a-z ]+)?"
)

DRUG_MAKER_WORDS = frozenset(
    "pfizer novartis sanofi gilead abbvie amgen genentech janssen astrazeneca nordisk teva mylan viatris "
    "indivior alkermes boehringer ingelheim lundbeck otsuka takeda biogen regeneron moderna novo".split()
)
# Inhalers, pens and release forms named after the drug: "Trelegy Ellipta", "MS Contin".
DRUG_DEVICE_WORDS = frozenset(
    "ellipta respimat handihaler diskus flexpen kwikpen solostar pressair aerosphere inhub contin".split()
)

# Capitalised words that are Census names but in clinical text are eponyms, scores, drugs,
# institutions or abbreviations.  They are names only after a title ("Dr. Graves").
CLINICAL_WORDS = frozenset(
    """
parkinson parkinsons crohn crohns hashimoto hashimotos tinel glasgow bells cushing lewy
cushings addison addisons wilsons hodgkin hodgkins alzheimer alzheimers down
marfan huntington huntingtons barretts paget pagets epstein barr pugh
apgar whipple kaposi bartter cheyne stokes kussmaul brugada wolff guillain barre stevens
johnson reye reyes raynaud raynauds sjogren tourette asperger kawasaki lyme meniere dupuytren osgood
schlatter colles horner homan homans babinski romberg kernig brudzinski lachman
mcmurray phalen finkelstein spurling hoffman hoffmann trendelenburg valsalva heimlich
ganz holter doppler pap gram bence coombs edinburgh ranson braden
morse mallampati snellen rinne kegel heberden bouchard charcot wernicke
korsakoff broca ludwig meckel hirschsprung ewing wilms burkitt hurthle warthin zenker mallory weiss
budd chiari klinefelter prader willi angelman noonan rett tay sachs gaucher
fabry pompe niemann krabbe hurler duchenne tooth friedreich gehrig
creutzfeldt jakob cotard capgras munchausen sheehan riedel quervain plummer vinson
peutz jeghers zollinger ellison virchow trousseau chvostek kehr mcburney
rovsing courvoisier boerhaave schatzki dieulafoy ogilvie hartmann billroth nissen
heller fontan norwood blalock taussig fallot ebstein eisenmenger takayasu buerger wegener
churg strauss henoch schonlein behcet felty reiter scheuermann legg perthes kienbock pott
monteggia galeazzi boxer lisfranc salter gleason breslow dukes
karnofsky lansky ballard bristol rome geneva padua caprini ottawa centor curb gail framingham
mayo kaiser emory vanderbilt baylor stanford duke cornell columbia harvard yale
medicaid medicare tricare ihs echo project
suboxone sublocade zubsolv subutex vivitrol narcan
eliquis xarelto harvoni epclusa mavyret sovaldi zepatier vosevi lantus levemir tresiba humalog
novolog ozempic trulicity victoza jardiance farxiga januvia glucophage metformin allegra claritin
zyrtec flonase advair symbicort dulera qvar singulair albuterol xanax ativan valium klonopin
zoloft paxil prozac lexapro celexa wellbutrin abilify seroquel risperdal zyprexa lithium depakote
lamictal lyrica neurontin norco percocet vicodin dilaudid oxycontin tramadol ultram toradol
tylenol advil motrin aleve lasix coreg lipitor crestor zocor plavix coumadin warfarin chantix
lucemyra sprinkle fentanyl methadone buprenorphine naloxone naltrexone nicotine
pylori coli diff difficile aureus aeruginosa pneumoniae influenzae tuberculosis epidermidis pyogenes
agalactiae faecalis faecium cloacae jejuni vulgaris marcescens baumannii mirabilis gonorrhoeae
trachomatis pallidum vaginalis albicans jirovecii gondii lamblia burgdorferi henselae
christmas easter thanksgiving halloween hanukkah ramadan
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
pt dr mr mrs ms
god lord jesus christ allah
foley fleischner hickman groshong penrose bovie na perrla perrl eomi hbsag hbeag hbsab medi-cal
dravet cipro colace fragmin urso meth ahcccs barthel waterlow epworth coxsackie libre mon
peth maddrey lille finnegan rph medica medihoney similac thu thur thurs tues weds dx hx rx tx sx fx
px pharmd lcsw lmsw fnp aprn dnp mph hoehn yahr somogyi moro ortolani dakin dakins rasmussen kidd conners
kaplan-meier cockcroft-gault kayser-fleischer child-pugh guillain-barre guillain-barré creutzfeldt-jakob
wolff-parkinson-white stevens-johnson mallory-weiss ehlers-danlos charcot-marie-tooth osgood-schlatter
brown-sequard brown-séquard dubin-johnson budd-chiari prader-willi peutz-jeghers zollinger-ellison
henoch-schonlein henoch-schönlein legg-calve-perthes swan-ganz wernicke-korsakoff arnold-chiari
niemann-pick sturge-weber von-hippel-lindau hippel-lindau waterhouse-friderichsen wiskott-aldrich
hardy-weinberg frank-starling kubler-ross kübler-ross mantel-haenszel bland-altman mann-whitney
kruskal-wallis hosmer-lemeshow roux-en-y jarisch-herxheimer lambert-eaton lesch-nyhan osler-weber-rendu
crigler-najjar klippel-trenaunay jackson-pratt stanley-brown lennox-gastaut greulich-pyle
jamar posey westley stoss
thal pacer quantiferon achilles epley humphrey dix-hallpike
""".split()
) | INSURER_WORDS | DRUG_MAKER_WORDS | DRUG_DEVICE_WORDS

# Words of Spanish that English text seldom uses: a text where three of them make a quarter of the
# words is Spanish, and its words off the English dictionary ("ansiedad", "pareja") are no names.
# (Not those English clinical text also has: "y/o", "LOS", "MI", "LE", "LA", "de novo".)
SPANISH_WORDS = frozenset(
    "el las que con por para su sus una del pero tiene dice vive quiere muy esta esto como cuando porque "
    "desde hasta sobre tambien nos les "
    # words of a Spanish case ("paciente de 36 años, embarazada de 20 semanas")
    "paciente años anos embarazada semanas meses días dias hija hijo esposo esposa hermana hermano está "
    "estaba usando tomando ahora sin cerca casa y pregunta preguntas niña niño niños cada mañana noche "
    "semana hace metas barreras tratamiento medicamentos día dia segundo señora senora señor senor tenía tenia un unos unas trae traen lleva saludos remedios hierbas ampollas".split()
)


def may_hold_spanish(words: frozenset[str]) -> bool:
    """Whether a text with these (lower-cased) words can be Spanish: a set test before any count."""
    return len(SPANISH_WORDS.intersection(words)) >= 3


def in_spanish(text: str, words: frozenset[str] | None = None) -> bool:
    """``words``: the text's words, lower-cased, when known (a set test spares the count)."""
    if words is not None and not may_hold_spanish(words):
        return False
    tokens = text.lower().split()
    hits = sum(token.strip(".,;:!?()\"'") in SPANISH_WORDS for token in tokens)
    return hits >= 3 and 4 * hits >= len(tokens)


def is_mixed_case_abbreviation(word: str) -> bool:
    """Two capitals or more after the first letter, not all capitals: "HBsAg", "HFrEF", "RASs" (a
    name has one at most: "McAllister", "DeShawn"); or a short word of two capitals and small
    letters: "QTc", "PRx"."""
    rest = word[1:]
    if word.isupper() or rest.islower() or not rest:  # most words: one C-speed test each
        return False
    return sum(char.isupper() for char in rest) >= 2 or (len(word) <= 4 and word[:2].isupper())


# Endings of clinical words that end no name: "Malrotation", "Cholangitis", "Nephropathy", "hematuria".
CLINICAL_ENDINGS = (
    "tion", "itis", "osis", "emia", "aemia", "ectomy", "otomy", "ostomy", "plasty", "opathy", "algia",
    "uria", "penia", "plasia", "scopy", "graphy", "metry", "otic", "lysis", "ectasis", "ism", "ness", "ment", "oma", "sion",
)

# Eponyms that are also common surnames: not names when an eponym noun follows ("Wilson's
# disease", "Murphy sign", "Bishop score", "Tanner stage"); names otherwise.
EPONYM_NOUNS = (
    r"disease|syndrome|sign|signs|test|score|scale|stage|staging|criteria|classification|maneuver|"
    r"manoeuvre|procedure|fracture|palsy|phenomenon|reflex|triad|law|rule|rules|index|equation|"
    r"formula|catheter|tube|node|nodes|nodule|cyst|ulcer|tear|lesion|esophagus|class|type|grade|operation|"
    r"lymphoma|sarcoma|tumou?r|anomaly|contracture|deformity|dementia|chorea|encephalopathy|"
    r"thyroiditis|point|lamp|light|solution|loop|pouch|incision|position|gauge|protocol|method|body|bodies|"
    r"wort|palsy|phenomenon|nerve|ligament|duct|canal|gland|space|area|zone|valve|block|flap|repair|graft|"
    r"tendon|tendinopathy|tendinitis|tendonitis|rupture|muscle|fascia|heel|artery|vein|membrane|capsule|"
    r"curve|curves|estimator|estimate|plot|model|spotted|fever|virus|act|inventory|questionnaire|part|murmur"
)

# Peoples, languages and faiths: capitalised, unlisted, and never a person's name on their own
# ("Patient is Navajo"), but some are also towns ("Zuni"), so they only veto names.
PEOPLE_WORDS = frozenset(
    """
navajo hopi zuni apache dine pueblo tewa keres lakota sioux cherokee ojibwe tohono oodham yaqui
hispanic latino latina latinx spanish english native american white black asian catholic christian
mormon lds jewish muslim mexican guatemalan vietnamese filipino somali
mixteco mixtec zapoteco zapotec triqui trique mam kiche q'anjob'al chuj akateko marshallese chuukese
pohnpeian palauan samoan tongan hmong mien khmer burmese nepali tigrinya amharic oromo swahili kinyarwanda
kirundi arabic farsi persian dari pashto urdu hindi punjabi gujarati bengali tamil telugu malayalam
tagalog ilocano cebuano cantonese mandarin toishanese korean japanese russian ukrainian polish haitian
kreyol creole portuguese french german italian greek armenian bosnian serbian croatian albanian romanian
yiddish hebrew nigerian ethiopian eritrean congolese afghan syrian iraqi honduran salvadoran canadian
cuban haitian dominican puerto rican amish mennonite hutterite pentecostal adventist evangelical lutheran
methodist cyrillic latin braille
osage muscogee choctaw chickasaw seminole comanche kiowa arapaho blackfeet shoshone paiute
yupik yup'ik cupik inupiaq inupiat athabascan tlingit haida aleut alutiiq ho-chunk oneida mohawk seneca
lumbee pawnee ponca menominee potawatomi kickapoo shawnee caddo yakama umatilla salish kootenai
assiniboine mandan hidatsa arikara carolinian kanaka
hunkpapa oglala sicangu dakota-speaking gwich'in gwichin koyukon dena'ina athabaskan yup'ik cup'ik
brazilian colombian venezuelan peruvian ecuadorian chilean argentinian argentine bolivian paraguayan uruguayan
nicaraguan panamanian belizean guyanese jamaican trinidadian bahamian ghanaian liberian sudanese burundian
rwandan ugandan kenyan tanzanian egyptian moroccan algerian yemeni saudi jordanian lebanese palestinian
turkish kurdish iranian pakistani bangladeshi nepalese bhutanese thai lao laotian cambodian indonesian
malaysian chinese taiwanese mongolian tibetan uzbek tajik chechen belarusian moldovan lithuanian latvian
czech slovak hungarian bulgarian slovenian dutch belgian swedish norwegian danish finnish british
australian rohingya karenni hazara basque
verdean capeverdean mixteca mixtecas sikh sikhs coharie garifuna kriolu tuscarora
indian alaskan african caucasian hawaiian islander indigenous european arab
anishinaabe anishinabe ojibwa chippewa passamaquoddy penobscot maliseet mikmaq mi'kmaq wabanaki siletz coquille
chamorro chamoru kosraean yapese micronesian polynesian melanesian cree metis michif acadian cajun gullah geechee
yurok hupa karuk pomo miwok washoe goshute quechan mohave havasupai hualapai pima akimel tiwa lummi makah quinault
puyallup tulalip nisqually maay k'iche denaina kama'aina palagi haole ohana keiki franco-american
""".split()
)

# Words that introduce a person: a capitalised word after them is read as a name.
RELATION_WORDS = (
    "daughter|son|wife|husband|mother|father|mom|dad|mum|sister|brother|grandmother|grandfather|"
    "grandma|grandpa|granddaughter|grandson|aunt|uncle|niece|nephew|cousin|partner|boyfriend|"
    "girlfriend|fianc[eé]e?|spouse|caregiver|guardian|friend|neighbou?r|roommate|stepmother|"
    "stepfather|stepdaughter|stepson|sibling|twin|baby|infant|newborn|child|kid|grandchild|"
    # as families say them, and in Spanish: "mama Ocean", "Mamaw Ruth", "la tía Cuca", "su hija Maria"
    "mama|papa|granny|nana|mamaw|memaw|meemaw|papaw|pawpaw|auntie|aunty|stepmom|stepdad|godmother|godfather|"
    "abuela|abuelo|tia|tía|tio|tío|hija|hijo|esposa|esposo|hermana|hermano|nieta|nieto|sobrina|sobrino|"
    "madrina|padrino|"
    # and in Hawaiian: "His Tutu Pualani", "Kupuna lives with ohana"
    "tutu|kupuna"
)


# Capitalised words that look like unknown names but are places, states or agencies.
PLACE_WORDS_NOT_NAMES = frozenset(
    "nm az co ut tx ca ny ok usa us ihs va navajo hopi zuni apache alabama alaska arizona arkansas "
    "california colorado connecticut delaware florida georgia hawaii idaho illinois indiana iowa kansas "
    "kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri montana "
    "nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington "
    "wisconsin wyoming mexico canada america".split()
) | SINGLE_WORD_COUNTRIES

_CONTRACTION = re.compile(r"([a-z]+)(?:n['’]t|['’](?:s|ll|re|ve|d|m))")

# Positions in a word's memoised flags (see Lexicon._remember).
_PLAIN, _FIRST_NAME, _SURNAME, _KNOWN_NAME, _NAME_LIKE, _BARE_NAME = range(6)


@dataclass(frozen=True, slots=True)
class Lexicon:
    first_names: frozenset[str]
    surnames: frozenset[str]
    english_words: frozenset[str]
    places: frozenset[str]
    # Drug names, generic and brand ("entresto", "keytruda"): ordinary words here, never names.
    drug_names: frozenset[str] = frozenset()
    # Word -> its flags (plain, first name, surname, ...), memoised: the same words recur in every
    # field, and the name detectors ask about each capitalised word several times.
    _flags: dict[str, tuple[bool, ...]] = field(default_factory=dict)

    def _remember(self, word: str) -> tuple[bool, ...]:
        lower = word.lower()
        plain = (
            lower in CLINICAL_WORDS
            or lower in PEOPLE_WORDS
            or (lower in self.english_words and lower not in NAMES_READ_AS_NAMES)
            or lower in self.drug_names
            or is_specialty(lower)  # "Ortho wants us to stop it", "Nephrology is a 6 month wait"
        )
        if not plain and (contraction := _CONTRACTION.fullmatch(lower)):
            plain = self.is_plain_word(contraction.group(1))  # "can't", "she'll": a word and its contraction
        if not plain and is_mixed_case_abbreviation(word):
            plain = True  # "HBsAg", "HFrEF", "RASs"
        if not plain and "-" in lower:
            # A compound of ordinary words is one too ("Child-Pugh", "Follow-Up"); "Smith-Jones"
            # and "Garcia-Hernandez" hold a part that is none.
            parts = [part for part in lower.split("-") if part]
            plain = len(parts) > 1 and all(part.isalpha() and self.is_plain_word(part) for part in parts)
        first_name, surname = lower in self.first_names, lower in self.surnames
        # A listed name or an unknown word, but not an ordinary, clinical (both in plain) or place word.
        spelt_like_a_name = word.replace("-", "").isalpha() or "'" in word or "’" in word
        name_like = not plain and lower not in PLACE_WORDS_NOT_NAMES and spelt_like_a_name
        # A state alone ("moved from Florida") is a place, even when it is also a name.
        bare_name = len(word) >= 3 and not plain and (first_name or surname) and lower not in PLACE_WORDS_NOT_NAMES
        flags = (plain, first_name, surname, first_name or surname, name_like, bare_name)
        if len(self._flags) < MAX_MEMOISED_WORDS:
            self._flags[word] = flags
        return flags

    # Each test reads the memo inline (a tuple is never empty, so "or" only runs on a miss): these
    # are called for nearly every capitalised word of every field.
    def is_plain_word(self, word: str) -> bool:
        """An ordinary English or clinical word, so a bare capitalised match is not a name."""
        return (self._flags.get(word) or self._remember(word))[_PLAIN]

    def is_first_name(self, word: str) -> bool:
        return (self._flags.get(word) or self._remember(word))[_FIRST_NAME]

    def is_surname(self, word: str) -> bool:
        return (self._flags.get(word) or self._remember(word))[_SURNAME]

    def is_known_name(self, word: str) -> bool:
        return (self._flags.get(word) or self._remember(word))[_KNOWN_NAME]

    def is_name_like(self, word: str) -> bool:
        """A listed name or an unknown word, but not an ordinary ("He", "Case"), clinical or place word."""
        return (self._flags.get(word) or self._remember(word))[_NAME_LIKE]

    def is_bare_name(self, word: str) -> bool:
        """A name even without context: a listed first name or surname of 3+ letters that is not
        also an ordinary word ("Keisha", not "Hope")."""
        return (self._flags.get(word) or self._remember(word))[_BARE_NAME]

    def may_be_name(self, word: str) -> bool:
        """A listed name or a name-like word: the least a capitalised word alone needs to be read
        as a name anywhere (most capitalised words of a field are ordinary and fail this)."""
        flags = self._flags.get(word) or self._remember(word)
        return flags[_KNOWN_NAME] or flags[_NAME_LIKE]

    def name_flags(self, word: str) -> tuple[bool, bool]:
        """(is_bare_name, is_name_like) in one look-up, for the one-word runs of every field."""
        flags = self._flags.get(word) or self._remember(word)
        return flags[_BARE_NAME], flags[_NAME_LIKE]


def _read_words(file_name: str) -> frozenset[str]:
    text = (DATA_DIR / file_name).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line)


@cache
def lexicon() -> Lexicon:
    places = _read_words("us_places.txt")
    return Lexicon(
        first_names=_read_words("first_names.txt"),
        surnames=_read_words("surnames.txt"),
        english_words=_read_words("english_words.txt"),
        places=places,
        drug_names=_read_words("drug_names.txt"),
    )
