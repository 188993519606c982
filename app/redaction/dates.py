"""Dates finer than a year, and ages over 89.

A year alone is not PHI, and slashes are everywhere in clinical text (BP 148/92, pain 6/10,
8/2 mg, 2/3 doses), so a month/day without a year needs a date lead-in ("on 3/14", "since 3/14").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from app.redaction.clinical_terms import CLINICAL_ABBREVIATIONS
from app.redaction.findings import CERTAIN, LIKELY, PhiFinding
from app.redaction.lexicon import RELATION_WORDS, lexicon
from app.redaction.scan import KeywordPattern, TextView, case_insensitive_alternation

# Patterns open with a plain character set (see scan.py for why); numeric
# ranges (month 1-12, day 1-31) are checked in Python on the few candidates.
_MONTH_NAMES = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    "oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTH_WORD = rf"(?P<month>(?i:{_MONTH_NAMES}))\.?"
# The same, first checking the letter a month name can start with: one test instead of twelve.
_GUARDED_MONTH_WORD = rf"(?=(?i:[jfmasond])){_MONTH_WORD}"
_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
_ORDINAL_DAY = rf"{_DAY}(?i:st|nd|rd|th)?"
_YEAR = r"(?:(?:19|20)[0-9][0-9]|'?[0-9][0-9])"
_FULL_YEAR = r"(?:19|20)[0-9][0-9]"

_MONTH_SLASH_DAY_BODY = (
    r"[0-9]?/[0-9]{1,2}(?![\w/%]|\.[0-9]|\s*(?i:mg|mcg|ml|mmhg|units?|doses?|tabs?|pills?|times|of\b))"
)
# Every digit-led date shape in one scan, most specific first; each branch re-checks the first
# character, which the opening character set consumed (fast scanning, see scan.py).
DIGIT_DATE = re.compile(
    # The shared look-behind rejects digits inside numbers once, not once per branch.  "?+" is
    # possessive: what follows a second digit or a "th" never starts with one, so re need not retry
    # without them.
    r"[0-9](?<![\w.].)(?:"
    # m/d/y, d/m/y, m-d-y, m.d.y with a two- or four-digit year
    r"(?P<numeric>(?<![\w/.-].)[0-9]?+(?P<separator>[/.-])[0-9]{1,2}(?P=separator)(?:[0-9]{4}|[0-9]{2})(?![\w/%]|[.-][0-9]))"
    # 2025-03-14, 2025/3/14, optionally with a time
    r"|(?P<iso>(?<![\w/.-].)(?<=[12])[0-9]{3}(?P<iso_separator>[-/.])[0-9]{1,2}(?P=iso_separator)[0-9]{1,2}"
    r"(?:T[0-9][0-9]:[0-9][0-9](?::[0-9][0-9])?)?(?![\w/]|[.-][0-9]))"
    # 20250314
    r"|(?P<compact>(?<![\w.].)(?<=[12])[0-9]{3}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])(?![\w]|\.[0-9]))"
    # 14-Mar-2025, 14 March, 5th of January, 23JUN2024
    rf"|(?P<day_month>(?<![\w/.].)[0-9]?+(?i:st|nd|rd|th)?+(?:\s*(?:-|/|\s|(?i:of))\s*|(?=[A-Za-z])){_GUARDED_MONTH_WORD}"
    rf"(?:(?:[\s,/-]|(?<=[A-Za-z]))\s*{_YEAR})?(?!\w))"
    # 6/2024
    r"|(?P<month_year>(?<![\w/.-].)[0-9]?/(?:19|20)[0-9][0-9](?![\w/]))"
    # 2024-06
    r"|(?P<iso_month>(?<![\w/.-].)(?<=[12])[0-9]{3}-(?:0[1-9]|1[0-2])(?![\w/-]))"
    # 3/14, only a date with a lead-in ("on 3/14"): checked in Python
    r"|(?P<month_day>(?<![\w/.-].)" + _MONTH_SLASH_DAY_BODY + "))"
)
# After a month word: "March 14th, 2025", "Jan 5", "May 2024", or the month alone.
MONTH_WORD_DATE = KeywordPattern(
    _MONTH_NAMES,
    rf"\.?(?:(?P<month_day_year>(?:\s+|-|/)(?:(?i:the)\s+)?{_ORDINAL_DAY}(?:(?:\s*,\s*|\s+|-|/){_YEAR})?(?![\w/%]|\.[0-9]))"
    rf"|(?P<month_year>(?:\s+of|,)?\s*(?:{_FULL_YEAR}\b|['’][0-9]{{2}}(?![\w'’])))"  # "March 2021", "Aug '24"
    r"|(?P<month_alone>\b))",
    group="month",
)
_SPANISH_MONTH_NAMES = (
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
)
FULL_MONTH_NAMES = frozenset(
    "january february march april june july august september october november december".split()
)
FULL_MONTH_NAMES_LOWER = frozenset(
    "january february march april may june july august september october november december".split()
)
# A month alone typed in lower case, or in Spanish, is a date after a word that sets a time by it:
# "tapering since august", "wedding trip in june", "amputación en julio", "desde enero" ("may" and
# "march" are words, so left; "last june" is RELATIVE_DATE's).
_NO_DAY_AFTER = r"(?![\w'’-])(?![ \t]+(?:[0-9]|de[ \t]+[0-9]))"
LOWER_CASE_MONTH_ALONE = KeywordPattern(
    "since|in|until|till|til|by|during|through|thru|early|mid|late",
    rf"[ \t]+(?P<month>january|february|april|june|july|august|september|october|november|december){_NO_DAY_AFTER}",
    before=r"(?<![\w'’-])",
)
SPANISH_MONTH_ALONE = KeywordPattern(
    "en|desde|hasta|durante", rf"[ \t]+(?P<month>{_SPANISH_MONTH_NAMES}){_NO_DAY_AFTER}", before=r"(?<![\w'’-])")
MAY_ALONE = KeywordPattern("in|since|until|early|late|mid|last|next|of|during", r" (?P<may>May)\b")
_NOT_A_DAY_AFTER = (
    r"(?:dose|doses|time|times|trimester|line|degree|grade|visit|attempt|round|cycle|injection|"
    r"floor|generation|percentile|rib|toe|finger|digit|nerve|ventricle|sound|heart|week|month|day|"
    r"year|decade|child|pregnancy|episode|admission|hospitali[sz]ation|course|session|opinion|party|"
    r"tier|stage|cranial|intercostal|lumbar|dorsal|metatarsal|class|century|centuries|percentile|place|birthday|"
    r"anniversary|edition|amendment|floor|street|st|avenue|ave|precinct|district|ward|grader|graders|fraction)"
)
# "due the 19th", "on the 3rd": a day of the month after "the", unless a noun makes it a count.
ORDINAL_DAY_ALONE = re.compile(
    rf"[Tt](?<![\w].)(?:he|HE)\s+(?P<day>{_DAY}(?i:st|nd|rd|th))\b(?!\s+(?i:{_NOT_A_DAY_AFTER})\b|-|\s+(?i:of\s+(?!{_MONTH_NAMES})))"
)
# "the twelfth of March", "the twenty-first of June": a day in words before its month.
_ORDINAL_WORD_LIST = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth"
).split()
_ORDINAL_WORDS = frozenset(_ORDINAL_WORD_LIST) | {"twenty", "thirty"}
ORDINAL_WORD_OF_MONTH = KeywordPattern(
    "|".join(_ORDINAL_WORD_LIST) + "|twenty|thirty",
    r"(?:[ \t-](?i:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|)"
    r"[ \t]+(?i:of)[ \t]+(?i:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?)"
    # and its year: "sixth of Dec. '33", "the twelfth of March, 1931"
    r"(?:,?[ \t]+(?:['’][0-9]{2}|(?:19|20)[0-9]{2})(?![0-9]))?(?![\w])",
    before=r"(?<![\w'’-])",
)
_THE_BEFORE = re.compile(r"(?i:the)[ \t]+$")
_EL_BEFORE = re.compile(r"(?<![\w'’-])(?i:el)[ \t]+$")
# A day in words alone after what sets a day, where nothing follows that it could count ("requests
# records by the twenty-first.", "due on the fifth, so"); not "after the second dose".
ORDINAL_WORD_DAY_ALONE = KeywordPattern(
    "by|on|until|till|before|after|since|due",
    r"[ \t]+(?P<day>(?i:the)[ \t]+"
    r"(?i:(?:twenty|thirty)[ \t-]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|"
    + "|".join(_ORDINAL_WORD_LIST) + r"))"
    r"(?=[ \t]*(?:[.,;:!?)]|$)|[ \t]+(?i:at|when|and|so|but|or|if|unless)\b)",
    before=r"(?<![\w'’-])",
)
# A day past the twentieth in words names a day wherever it stands, before the clause goes on ("cut
# by an oyster knife the twenty-second; cellulitis now"): no dose or rank is counted so far.
LATE_ORDINAL_WORD_DAY = KeywordPattern(
    "the",
    r"[ \t]+(?i:twenty|thirty)[ \t-]?(?i:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"(?=[ \t]*(?:[.,;:!?)]|$)|[ \t]+(?i:at|when|and|so|but|or|if|unless)\b)",
    before=r"(?<![\w'’-])",
)
# A week or a part of a month names its days ("school refusing since the first week of October", "the
# end of March"): the whole phrase is the date, not its month alone.
PART_OF_A_MONTH = KeywordPattern(
    "first|second|third|fourth|last|final|end|beginning|start|middle",
    r"(?:[ \t]+(?i:week|weekend))?[ \t]+(?i:of|in)[ \t]+"
    r"(?P<month>(?i:january|february|march|april|may|june|july|august|september|october|november|december))\b",
    before=r"(?<![\w'’-])",
)
# A month and day joined by a hyphen after what a day is set for, before the clause goes on:
# "seen 3-14 for a hook laceration", "DOS: 11-2" (not "on 3-4 occasions", "seen 2-3 times").
HYPHEN_MONTH_DAY = KeywordPattern(
    "seen|admitted|discharged|dated|dos|dob|visit|appt|born|died|injured|on",
    r"\.?:?[ \t]+(?P<day>(?:1[0-2]|0?[1-9])-(?:3[01]|[12][0-9]|0?[1-9]))(?![\w-])"
    r"(?=[ \t]*(?:[,.;:)]|$|\n|(?i:for|at|in|with|and|to|by|when|after|before|per)\b))",
    before=r"(?<![\w'’-])",
)
# A season with its year: "stayed at the shelter in spring 2022", "winter of 2019".
SEASON_OF_A_YEAR = KeywordPattern(
    "spring|summer|fall|autumn|winter", r"[ \t]+(?:of[ \t]+)?(?:19|20)[0-9]{2}(?![0-9])", before=r"(?<![\w'’-])")
# Dates written in Spanish, as patients and staff on the border write them: "en marzo 2019",
# "marzo de 2019", "15 de marzo", "el 3 de mayo del 2021".  A month alone is no date.
SPANISH_MONTHS = frozenset(_SPANISH_MONTH_NAMES.split("|"))
SPANISH_MONTH_DATE = KeywordPattern(_SPANISH_MONTH_NAMES, r"[ \t]+(?:(?i:de|del)[ \t]+)?(?:19|20)[0-9]{2}(?![0-9])")
# A day and its month in Spanish, Portuguese, French or Haitian Creole without "de", and a month
# then its day: "15 janvye", "4 avril", "15 jen 2024", "diciembre 4", "ENERO 22" ("mayo", "mars",
# "me", "mas", "out" are also words, so not after a day or before one).
_FOREIGN_MONTH_NAMES = (
    "|".join(month for month in _SPANISH_MONTH_NAMES.split("|") if month != "mayo") + "|"
    "janeiro|fevereiro|março|marco|maio|junho|julho|setembro|outubro|novembro|dezembro|"
    "janvier|février|fevrier|avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|"
    "janvye|fevriye|jen|jiyè|jiye|septanm|oktòb|oktob|novanm|desanm"
)
FOREIGN_MONTH_KEYWORDS = frozenset(_FOREIGN_MONTH_NAMES.split("|"))
FOREIGN_DAY_MONTH = re.compile(
    rf"[0-9](?<![\w.,/:-].)[0-9]?[ \t]+(?i:{_FOREIGN_MONTH_NAMES})(?![\w'’-])"
    r"(?:,?[ \t]+(?:(?i:de|del)[ \t]+)?(?:19|20)[0-9]{2}(?![0-9]))?")
FOREIGN_MONTH_DAY = KeywordPattern(
    _FOREIGN_MONTH_NAMES,
    r"[ \t]+(?:3[01]|[12][0-9]|0?[1-9])(?![\w/:%-]|[.,][0-9]|[ \t]*(?i:mg|mcg|ml|kg|lbs?|%|años|anos|ans|hrs?|horas|h)\b)"
    r"(?:,?[ \t]+(?:19|20)[0-9]{2}(?![0-9]))?",
    before=r"(?<![\w'’-])",
)
# Dates written in Vietnamese: "ngày 5 tháng 3 năm 1948", "mổ ngày 18 tháng 9", "tháng 3 năm 2024"
# (read in the normalised text, without their marks: "ngay 5 thang 3 nam 1948").
VIETNAMESE_DATE = re.compile(
    r"(?:(?i:ngay)[ \t]+(?:3[01]|[12][0-9]|0?[1-9])[ \t]+)?(?i:thang)[ \t]+(?:1[0-2]|0?[1-9])(?![0-9])"
    r"(?:[ \t]+(?i:nam)[ \t]+(?:19|20)[0-9]{2}(?![0-9]))?")
# A weekday and its day of the month in Spanish, after "el"/"del": "no vino a su cita del martes 14".
_SPANISH_WEEKDAYS = "lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo"
_SPANISH_WEEKDAY_WORDS = frozenset(_SPANISH_WEEKDAYS.split("|"))
SPANISH_WEEKDAY_AND_DAY = re.compile(
    rf"(?<![\w'’-])(?i:del?)[ \t]+(?P<date>(?i:{_SPANISH_WEEKDAYS})[ \t]+"
    r"(?:3[01]|[12][0-9]|0?[1-9]))(?![\w/:%]|[.,][0-9]|[ \t]*(?i:de)\b)")
SPANISH_DAY_DATE = re.compile(
    rf"[0-9](?<![\w.].)[0-9]?[ \t]+(?i:de)[ \t]+(?i:{_SPANISH_MONTH_NAMES})\b"
    r"(?:[ \t]+(?i:de|del)[ \t]+(?:19|20)[0-9]{2}(?![0-9]))?"
)
# A holiday after a preposition pins a day of the year: "her last drink was on the Fourth of July",
# "relapsed over Christmas", "since Thanksgiving", "over Easter weekend", "last drink was Thanksgiving
# 2023" (a holiday named in passing, "Christmas cards", is none).
_HOLIDAY_NAMES = (
    r"(?:Fourth|4th)[ \t]+of[ \t]+July|(?:Christmas|Xmas)(?:[ \t]+(?:Eve|Day))?"
    r"|New[ \t]+Year['’]?s(?:[ \t]+(?:Eve|Day))?|Thanksgiving(?:[ \t]+Day)?|Halloween|Valentine['’]?s[ \t]+Day"
    r"|Independence[ \t]+Day|Memorial[ \t]+Day|Labor[ \t]+Day|Veterans['’]?[ \t]+Day|Easter(?:[ \t]+Sunday)?"
    r"|Mother['’]?s[ \t]+Day|Father['’]?s[ \t]+Day|Juneteenth|Cinco[ \t]+de[ \t]+Mayo|Mardi[ \t]+Gras"
    r"|St\.?[ \t]+Patrick['’]?s[ \t]+Day|Good[ \t]+Friday"
    # days of a state, a territory or a community: "since Decoration Day", "on Kamehameha Day",
    # "Three Kings Day", "el Día de los Muertos"
    r"|Kamehameha[ \t]+Day|(?:Prince[ \t]+)?Kuhio[ \t]+Day|Decoration[ \t]+Day|Emancipation[ \t]+Day|Pioneer[ \t]+Day"
    r"|Columbus[ \t]+Day|Presidents['’]?[ \t]+Day|MLK[ \t]+Day|Martin[ \t]+Luther[ \t]+King(?:[ \t]+Jr\.?)?[ \t]+Day"
    r"|Three[ \t]+Kings['’]?[ \t]+Day|D[ií]a[ \t]+de[ \t]+(?:los[ \t]+)?(?:Reyes|Muertos)|Nochebuena"
    r"|Transfer[ \t]+Day|Liberation[ \t]+Day|Derby[ \t]+Day"
    # and of faiths and peoples: "DKA twice since Diwali", "kicked by a horse on Ascension Day"
    r"|Diwali|Eid(?:[ \t]+al[ \t-](?:Fitr|Adha))?|Lunar[ \t]+New[ \t]+Year|Rosh[ \t]+Hashanah|Yom[ \t]+Kippur|Passover"
    r"|Hanukkah|Chanukah|Ascension[ \t]+Day|Pentecost|Ash[ \t]+Wednesday|Palm[ \t]+Sunday|Boxing[ \t]+Day"
    # "on Holy Thursday", "not on Bajram", "fast for Khmer New Year", "On Vaisakhi", "come Groundhog Day"
    r"|(?:Holy|Maundy)[ \t]+Thursday|Holy[ \t]+Saturday|Groundhog[ \t]+Day|All[ \t]+(?:Saints|Souls)['’]?[ \t]+Day"
    r"|(?:Khmer|Lao|Hmong|Chinese|Vietnamese|Cambodian|Thai)[ \t]+New[ \t]+Year|T[eế]t|Nowruz|Norooz"
    r"|Vaisakhi|Baisakhi|Holi|Navratri|Dashain|Tihar|Teej|Losar|Bajram|Bayram|Kurban[ \t]+Bayram|Purim|Kwanzaa"
    r"|Epiphany|Candlemas|D[ií]a[ \t]+de[ \t]+(?:las[ \t]+Madres|la[ \t]+Madre|los[ \t]+Padres|la[ \t]+Virgen)"
    r"|A[ñn]o[ \t]+Nuevo|Navidad|Songkran|Holy[ \t]+Friday|Meskel|Timkat|Garifuna[ \t]+Settlement[ \t]+Day|Settlement[ \t]+Day"
)
# and its year ("since Thanksgiving 2023", "was Christmas of 2021", "Xmas Eve '22"), or the days
# around it ("Easter weekend", "Christmas morning")
_HOLIDAY_YEAR = r",?[ \t]+(?:of[ \t]+)?(?:19|20)[0-9]{2}(?![0-9])|[ \t]+['’][0-9]{2}(?![0-9])"
_HOLIDAY_AROUND = r"[ \t]+(?i:weekend|morning|night|evening|afternoon)\b"
# A part of the holiday's day pins that day without a year or a lead-in ("cut leg thanksgiving
# morning", "injury Halloween night"); "Memorial Day weekend plans" names none.
_HOLIDAY_PART_OF_DAY = r"[ \t]+(?i:morning|night|evening|afternoon)\b"
_A_HOLIDAY = (rf"(?:the[ \t]+)?(?i:{_HOLIDAY_NAMES})(?:[ \t]+(?i:day)(?![\w'’]))?(?:{_HOLIDAY_AROUND})?(?:{_HOLIDAY_YEAR})?(?![\w'’])"
              # "on the Fourth": the fourth of July, written with its capital, ending a clause
              r"|the[ \t]+Fourth(?=[ \t]*(?:[,.;:!?)]|$)|[ \t]+(?:weekend|and|when|while)\b)")
HOLIDAY = KeywordPattern(
    "on|over|since|after|before|until|till|til|around|at|by|during|from|through|was|is|for|started|stopped|quit|"
    "relapsed|died|fell|come|desde|para|en",
    rf"[ \t]+(?P<holiday>{_A_HOLIDAY})",
)
# Without a preposition, a holiday that is one day, with its year or beside the days around it:
# "seen Christmas Eve at Rosebud ER", "the 4th of July weekend 2023", "Mardi Gras 2024", and a weekday
# set by one: "the Monday before Thanksgiving", "the Tuesday after Easter".
HOLIDAY_DAY = re.compile(
    r"(?<![\w'’])(?:(?:the[ \t]+)?(?i:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun|)day|week(?:end)?|night|morning)[ \t]+(?i:before|after)[ \t]+"
    rf"(?:the[ \t]+)?(?i:{_HOLIDAY_NAMES})(?:{_HOLIDAY_YEAR})?"
    rf"|(?:the[ \t]+)?(?i:(?:Christmas|Xmas)[ \t]+(?:Eve|Day)|New[ \t]+Year['’]?s[ \t]+(?:Eve|Day)|Easter[ \t]+Sunday"
    r"|(?:Fourth|4th)[ \t]+of[ \t]+July)(?:" + _HOLIDAY_AROUND + "|" + _HOLIDAY_YEAR + ")*"
    rf"|(?i:{_HOLIDAY_NAMES})(?:{_HOLIDAY_PART_OF_DAY}(?:{_HOLIDAY_YEAR})?|(?:{_HOLIDAY_AROUND})?(?:{_HOLIDAY_YEAR})))(?![\w'’])"
)
# The words only a holiday holds; "New Year's", "Mother's Day" and the like also need their day word.
HOLIDAY_KEYWORDS = frozenset(
    "christmas xmas thanksgiving halloween valentine valentines independence juneteenth cinco easter mardi "
    "patrick kamehameha kuhio nochebuena muertos mlk diwali eid rosh kippur passover hanukkah chanukah ascension "
    "pentecost derby holy maundy groundhog saints souls khmer lao hmong chinese vietnamese cambodian thai tet tết "
    "nowruz norooz vaisakhi baisakhi holi navratri dashain tihar teej losar bajram bayram purim kwanzaa epiphany "
    "candlemas madres madre padres virgen nuevo navidad songkran meskel timkat settlement".split()
)
_HOLIDAY_PAIRS = ((frozenset({"fourth", "july"}), frozenset({"th", "july"})),  # "4th" reads as "th"
                  (frozenset({"new", "year"}), frozenset({"new", "years"})),
                  (frozenset({"memorial", "day"}), frozenset({"labor", "day"}), frozenset({"veterans", "day"}),
                   frozenset({"mother", "day"}), frozenset({"father", "day"}), frozenset({"good", "friday"}),
                   frozenset({"decoration", "day"}), frozenset({"emancipation", "day"}), frozenset({"pioneer", "day"}),
                   frozenset({"columbus", "day"}), frozenset({"presidents", "day"}), frozenset({"kings", "day"}),
                   frozenset({"king", "day"}), frozenset({"transfer", "day"}), frozenset({"liberation", "day"}),
                   frozenset({"reyes", "día"}), frozenset({"reyes", "dia"}), frozenset({"ash", "wednesday"}),
                   frozenset({"palm", "sunday"}), frozenset({"boxing", "day"})))


_HOLIDAY_DAY_WORDS = frozenset({"july", "year", "years", "day", "friday", "día", "dia", "wednesday", "sunday"})


def _may_name_a_holiday(view: TextView) -> bool:
    if view.has_any(HOLIDAY_KEYWORDS):
        return True
    return not view.words.isdisjoint(_HOLIDAY_DAY_WORDS) and any(
        pair <= view.words for pairs in _HOLIDAY_PAIRS for pair in pairs)
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
# "last Friday", "next July", "this past Monday": a weekday or month pinned to one week or year.
RELATIVE_DATE = KeywordPattern(
    "last|next|this|past|previous|coming|early|late|mid",
    rf"(?:\s+past|)[\s-]+(?P<when>(?i:{_WEEKDAYS}|january|february|march|april|june|july|august|september|"
    r"october|november|december)|May)\b",
)
RELATIVE_KEYWORDS = frozenset(_WEEKDAYS.split("|")) | FULL_MONTH_NAMES_LOWER
# Weekdays as clinicians write them, short and long.
_WEEKDAY_WORDS = f"mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun|{_WEEKDAYS}"
SECOND_MONTH_SLASH_DAY = re.compile(rf"[0-9]{_MONTH_SLASH_DAY_BODY}")
_DATE_LEAD_IN_WORDS = (
    "on|in|since|from|until|till|to|through|thru|by|dated?|dos|dob|doi|doa|lmp|edd|edc|seen|admitted|discharged|"
    "started|stopped|visit|appt|appointment|last|next|week|before|after|starting|effective|due|"
    "dc|d/c|discharge|adm|f/u|fu|rtc|"
    "and|or|born|birth|birthday|surgery|admit|scheduled|labs?|drawn|between|collected|filled|"
    "fill|refill|refilled|presented|exposure|exposed|uds|vm|voicemail|sched|scheduled|set|planned|"
    f"{_WEEKDAY_WORDS}|"
    "today|yesterday|tomorrow|as of|is|was|signed|done|given|completed|received|sent|called|"
    "faxed|returned|missed|held|again|restarted|resumed|changed|increased|decreased|until|expires?|"
    "injected|used|relapsed|overdosed?|od|er|ed|hospitalized|transferred|flown|arrested|"
    # events of a life that carry their day: "booked 11/02", "opened 10/10", "had a baby 12/30"
    "booked|opened|closed|left|delivered|baby|flew|moved|released|arrived|died|fell|enrolled|referred|"
    "terminated|ended|expired|renewed|medevaced|medevac'd|medevac’d|intubated|extubated|evacuated|hosp|"
    # an injury's day and a message's subject: "tree stand fall 11/16", "MVA 3/2", "RE: 12/3 APPT"
    "fall|injury|injured|accident|mva|crash|wreck|re"
)
_DATE_LEAD_IN_BEFORE = re.compile(rf"(?:\b{case_insensitive_alternation(_DATE_LEAD_IN_WORDS)}\.?|[-–,(]|^|\n)\s*:?\s*$")
_STRONG_DATE_LEAD_IN = re.compile(
    rf"\b{case_insensitive_alternation('on|since|from|until|dated|dos|dob|doi|seen|admitted|discharged|' + _WEEKDAY_WORDS)}"
    r"\.?,?\s*:?\s*$"
)
_SCALE_BEFORE = re.compile(
    rf"\b{case_insensitive_alternation('bp|pain|score|scale|rated|rates|graded|strength|power|ratio|mmhg|phq|gad|teacher|parent')}"
    r"\W{0,12}$"
)

# A month and day set by what happened then: "since the 2/3 visit", "seen 2/3 labs", "pump failed 11/2",
# "was hospitalized 1/9" (not "scored 3/5", "titrated 1/2").
_EVENT_AFTER = re.compile(r"[ \t]+(?i:visit|appt|appointment|admission|admit|discharge|encounter|labs)\b"
                          # a part of that day: "FELL OUT OF DEER STAND 11/23 AM"
                          r"|[ \t]+(?:AM|PM|am|pm|morning|night|evening|afternoon)\b"
                          # and a time of that day: "ride to cardiology 4/22 at 8am", "3/9 @ 0900"
                          r"|[ \t]+(?:at|@)[ \t]*(?:[01]?[0-9](?::[0-5][0-9])?[ \t]*(?i:am|pm|a\.m\.|p\.m\.)|[0-2][0-9][0-5][0-9]\b|[0-9]{1,2}:[0-5][0-9])")
_PAST_VERB_BEFORE = re.compile(
    r"(?<![\w'’-])(?!(?i:scored|rated|graded|titrated|weighed|measured|tapered|dosed|recalled|answered|improved|"
    r"increased|decreased|reduced|needed|used|required|completed)\b)[a-z]{3,}ed[ \t]+$")

# What a score is followed by: "3/5 on the Mini-Cog", "5/5 criteria met", "7/9 inattentive", "2/3 words".
_SCORE_AFTER = re.compile(
    r"[ \t]+(?:on[ \t]+the[ \t]+(?!(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*day)[A-Z]|(?i:criteria|points?|pts|correct|items?|words?|recall(?:ed)?|domains?"
    r"|inattentive|hyperactive|symptoms?|questions?)\b)")

# 90-119.  Each branch opens with its plain first digit: re then scans for "1" and "9" quickly and
# tries only the branch of the digit found.
AGE_WITH_UNIT = re.compile(
    r"(?:9(?<![\w.].)[0-9]|1(?<![\w.].)[01][0-9])"
    r"(?P<unit>\s*(?:-\s*)?(?i:yo\b|y/o|y\.o\.?|yrs?\b|years?\b|year-old|yr-old|"
    r"yo[mfw]\b|y\.?o\.?\s*[mf]\b|[mf]\b|y(?=\s*[).,;])|a[ñn]os\b|tuoi\b|ans\b))"  # "(93 y)", "91 años", "91 tuổi" (normalised "tuoi")
)
AGE_AFTER_LEAD_IN = KeywordPattern(
    # "mother lived to 98", "a nonagenarian, 96", "made it to 101"
    r"age|aged|ages|edad|turned|turns|lived[ \t]+to|made[ \t]+it[ \t]+to|nonagenarian,?|centenarian,?",
    r"\s*(?i:of\s*|is\s*|:\s*)?(?P<age>9[0-9]|1[01][0-9])(?![\w%/]|\.[0-9])"
)
# "she is 95", "Ms. Tsosie is 95 and ...", "my lady is 97", "LANDLADY IS 96": only 90+ counts, so a
# bare number after a person is safe enough, but not after a vital sign ("HR is 95") or before a
# unit ("the man is 95 kg").
AGE_AFTER_PERSON = KeywordPattern(
    f"she|he|pt|patient|who|mr|mrs|ms|lady|landlady|gentleman|woman|man|{RELATION_WORDS}",
    r"\.?(?:\s+[A-Za-z][\w'’-]+)?(?:(?:\s+(?i:is|was|turned|turns|is\s+now)|['’](?i:s))\s+(?P<age>9[0-9]|1[01][0-9])"
    r"(?![\w%/]|\.[0-9]|\s*(?:/|%|(?i:mg|bpm|mmhg|kg|lbs?|pounds?|percent|degrees?|mi|miles?|min|mins|minutes?"
    r"|hrs?|hours?|days?|wks?|weeks?|months?|units?|pts?|points?)\b))"
    # In apposition: "Mr. Smith, 93, lives alone", "The patient, 92, has CHF".
    r"|,[ \t]*(?P<apposed>9[0-9]|1[01][0-9]),)",
)
# "grandmother 92 also HBsAg+", "pt 94, lives alone": a number over 89 right after a relative or
# the patient, before a word or the end of a clause, not before a unit ("patient 95 kg").
AGE_BESIDE_PERSON = KeywordPattern(
    rf"{RELATION_WORDS}|pt|patient|resident|veteran|elder",
    r"[ \t]+(?P<age>9[0-9]|1[01][0-9])(?![\w%/.,]?[0-9])"
    r"(?=[ \t]*[,;)]|\.(?:\s|$)|$|[ \t]+(?!(?i:mg|mcg|lbs?|kg|pounds?|units?|minutes?|mins?|hours?|hrs?|days?"
    r"|weeks?|months?|percent|bpm|times|beats|mmhg|ml|cc|mm|cm|meq)\b)[a-z])",
)
# "100th birthday": the age of a birthday over 89.
AGE_BIRTHDAY = re.compile(r"(?:9(?<![\w.].)[0-9]|1(?<![\w.].)[01][0-9])(?=(?:st|nd|rd|th)[ \t]+(?i:birthday)\b)")
# "pt Hoang (ninety)": a spelled-out age in brackets after a person.
AGE_WORDS_IN_BRACKETS = re.compile(
    r"\((?P<age>(?i:ninety(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|(?:one|a)\s+hundred"
    r"(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten))?))\)"
)
# "ninety-four year old", "one hundred years old": ages spelled out.
AGE_IN_WORDS = KeywordPattern(
    r"ninety(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|one\s+hundred(?:\s+(?:and\s+)?\w+)?|hundred",
    r"(?=[\s-]+(?i:years?|yrs?|y/?o)\b)",
    group="age",
)
# "she is ninety-four", "turned one hundred": after a verb of age, a number in words is an age
# unless a unit follows ("was ninety minutes late").
_NUMBER_WORDS_OVER_89 = (
    r"ninety(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|(?:one|a)\s+hundred"
    r"(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen)\b)?"
)
AGE_IN_WORDS_AFTER_VERB = KeywordPattern(
    "is|was|aged|age|turned|turns|turning|now",
    rf"\s+(?P<age>(?i:{_NUMBER_WORDS_OVER_89}))\b"
    r"(?![\s-]+(?i:minutes?|mins?|seconds?|hours?|days?|weeks?|months?|percent|mg|mcg|units?|ml|pounds?|lbs?|kg|"
    r"dollars?|times|degrees?|beats|feet|miles|patients|people|cases))",
)
# "he's ninety-one", "(ninety?)", "is "ninety-three and counting"": ninety and over, spelled out, is
# a person's age in case text, unless a unit or a measure follows ("ninety minutes", "ninety-eight
# point six") or a vital sign or "over" comes before ("sats ninety-two", "one fifty over ninety").
AGE_IN_WORDS_ALONE = re.compile(
    rf"(?<![\w'’-])(?P<age>(?i:{_NUMBER_WORDS_OVER_89}))(?![\w'’-])"
    r"(?![\s-]+(?i:minutes?|mins?|seconds?|hours?|days?|weeks?|months?|percent|mg|mcg|units?|ml|pounds?|lbs?|kg|"
    r"dollars?|times|degrees?|beats|feet|miles|patients|people|cases|point|over|per|thousand|million|cc|%))"
)
_MEASURE_BEFORE = re.compile(
    r"(?i:\b(?:over|sats?|spo2|o2|hr|pulse|rate|bp|pressure|temp|temperature|glucose|sugars?|weight|weighs|score"
    r"|scored|about|around|approximately|nearly|almost|than|under|of|x|times))[ \t:]*$")
# "Father (92)", "Mrs. Ortiz (96)": a bare age in brackets right after a person.
AGE_IN_BRACKETS = re.compile(r"\((?P<age>9[0-9]|1[01][0-9])\)")
AGE_BRACKET_PERSON_BEFORE = re.compile(r"([^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*)\.?\s*$")
# An age over 89 in Spanish or Portuguese words before its years: "noventa y tres años", "cien años
# cumplidos", "noventa e dois anos".
AGE_IN_SPANISH_WORDS = KeywordPattern(
    "noventa|cien|ciento|cem|cento",
    r"(?:[ \t]+[ye][ \t]+(?i:un|uno|una|um|uma|dos|dois|duas|tres|três|cuatro|quatro|cinco|seis|siete|sete|ocho|oito|"
    r"nueve|nove)|[ \t]+(?i:y[ \t]+)?(?i:un|uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|um|dois|três))?"
    r"(?=[ \t]+(?i:a[ñn]os)\b)",
    group="age",
    before=r"(?<![\w'’-])",
)
# "in her 90s": the whole phrase becomes "90+".
AGE_DECADE = KeywordPattern(
    "in", r"\s+(?i:his|her|their)\s+(?i:early\s+|mid\s+|mid-|late\s+)?(?P<age>9[0-9][sS]|1[01][0-9][sS]|(?i:nineties))\b"
)


MONTH_KEYWORDS = frozenset(
    "jan january feb february mar march apr april may jun june jul july aug august sep sept september "
    "oct october nov november dec december".split()
)
AGE_KEYWORDS = frozenset(
    "yo y o yr yrs year years old m f yom yof yow age aged ages turned turns his her their is was s años anos lived made "
    "tuoi ans".split()
) | frozenset(AGE_AFTER_LEAD_IN.gate_words) | frozenset(AGE_AFTER_PERSON.gate_words) | frozenset(AGE_BESIDE_PERSON.gate_words) | {"birthday"}
# ("Mr. Smith, 93, lives alone", "grandmother 92 also": the person word is the only clue)


PERSON_NOUNS = frozenset("pt patient woman man female male lady gentleman she he resident client veteran elder".split())
RELATION_WORD = re.compile(rf"(?:{RELATION_WORDS})")
# "90+" is what redact() leaves for an age over 89: finding it again would make redaction endless.
REDACTED_AGE_MARK = "+"
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
_NUMBER_OVER_89 = re.compile(r"(?:9(?<![0-9.].)[0-9]|1(?<![0-9.].)[01][0-9])(?![0-9])")
_RANGE_JOINER = re.compile(r"\s*(?:-|–|to|through|thru|and)\s*", re.IGNORECASE)
_NUMBERS = re.compile(r"[0-9]+")


def find_dates(view: TextView) -> Iterator[PhiFinding]:
    """Dates; one that follows its weekday ("Tuesday, January 5th", "Mon 4/2") includes it."""
    text = view.text
    timed = ":" in text and view.has_digit
    for finding in _dates(view):
        weekday = _WEEKDAY_BEFORE.search(text, max(0, finding.start - _WEEKDAY_REACH), finding.start)
        if weekday:
            finding = PhiFinding(weekday.start(), finding.end, finding.label, finding.certainty)
        elif _ORDINAL_DAY.match(text, finding.start) and (the := _THE_BEFORE.search(text, max(0, finding.start - 5),
                                                                                     finding.start)):
            finding = PhiFinding(the.start(), finding.end, finding.label, finding.certainty)  # "the 2nd of June"
        if timed and (time := _TIME_AFTER.match(text, finding.end) or _SECONDS_AFTER.match(text, finding.end)):
            finding = PhiFinding(finding.start, time.end(), finding.label, finding.certainty)
        yield finding


# A time of day right after a date is part of that timestamp ("05/21/2007 11:28 PM",
# "1979-11-27 12:19:48", "2024-03-05T08:15:00Z").
_TIME_AFTER = re.compile(
    r"(?:[ \t]+(?i:at[ \t]+)?|T)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"
    r"(?:[ \t]*(?i:[ap]\.?m\.?)(?![\w])|Z|[+-][0-9]{2}:?[0-9]{2}|)(?![\w:])"
)
# The seconds and zone after an ISO date's "T08:15" (found with the date): ":00Z", ":07+02:00".
_SECONDS_AFTER = re.compile(
    r"(?<=[0-9]:[0-9][0-9])(?=[:Z+-])(?::[0-9]{2}(?:\.[0-9]{1,6})?|)(?:Z|[+-][0-9]{2}:?[0-9]{2}|)(?![\w:])"
)
_ORDINAL_DAY = re.compile(r"[0-9]{1,2}(?:st|nd|rd|th)\b")
# Weekdays in Spanish, Portuguese, French and Haitian Creole, as families and staff write them
# before a date: "el lunes 14 de abril", "jedi 4 avril", "terça-feira, 3 de maio".
_FOREIGN_WEEKDAYS = (
    f"{_SPANISH_WEEKDAYS}|"
    "segunda-feira|terça-feira|terca-feira|quarta-feira|quinta-feira|sexta-feira|"
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lendi|madi|mèkredi|mekredi|jedi|vandredi|samdi|dimanch|"
    # Vietnamese, as the normalised text has it without its marks: "sáng thứ Hai 6/17" reads "thu Hai 6/17"
    "thu[ \t]+(?:hai|ba|tu|nam|sau|bay)|chu[ \t]+nhat"
)
_WEEKDAY_BEFORE = re.compile(
    rf"(?<![\w])(?:(?i:el)[ \t]+)?(?i:{_WEEKDAY_WORDS}|{_FOREIGN_WEEKDAYS})\.?,?[ \t]+$")
_WEEKDAY_REACH = len("el segunda-feira., ") + 2  # ("thứ Hai " is shorter)


def _dates(view: TextView) -> Iterator[PhiFinding]:
    text = view.text
    if view.has_digit:
        yield from _digit_dates(text)
        if "the" in view.words and not view.words.isdisjoint(_ORDINAL_SUFFIXES):
            for match in ORDINAL_DAY_ALONE.finditer(text):  # "the 19th" as a whole, as people mark it
                yield PhiFinding(match.start(), match.end("day"), "DATE", LIKELY)
    if view.has_any(RELATIVE_KEYWORDS):
        for match in RELATIVE_DATE.finditer(view):
            yield PhiFinding(match.start(), match.end(), "DATE", LIKELY)
    if "of" in view.words and view.has_any(MONTH_KEYWORDS) and not view.words.isdisjoint(_ORDINAL_WORDS):
        for match in ORDINAL_WORD_OF_MONTH.finditer(view):
            the = _THE_BEFORE.search(text, max(0, match.start() - 5), match.start())
            yield PhiFinding(the.start() if the else match.start(), match.end(), "DATE", LIKELY)
    if view.has_any(SPANISH_MONTHS):
        for match in SPANISH_MONTH_DATE.finditer(view):
            yield PhiFinding(match.start(), match.end(), "DATE", LIKELY)
        if view.has_digit:
            for match in SPANISH_DAY_DATE.finditer(text):  # "el 2 de mayo" with its "el", as "the 2nd of May"
                el = _EL_BEFORE.search(text, max(0, match.start() - 4), match.start())
                yield PhiFinding(el.start() if el else match.start(), match.end(), "DATE", LIKELY)
    if view.has_digit and "thang" in view.words:
        for match in VIETNAMESE_DATE.finditer(text):
            if match.group().lower().startswith("ngay") or " nam" in match.group().lower():
                yield PhiFinding(match.start(), match.end(), "DATE", LIKELY)
    if view.has_digit and "el" in view.words and view.has_any(_SPANISH_WEEKDAY_WORDS):
        for match in SPANISH_WEEKDAY_AND_DAY.finditer(text):  # "su cita del martes 14", "el martes 15, herida"
            yield PhiFinding(match.start("date"), match.end(), "DATE", LIKELY)
    if view.has_digit and view.has_any(FOREIGN_MONTH_KEYWORDS):
        for match in FOREIGN_DAY_MONTH.finditer(text):
            yield PhiFinding(match.start(), match.end(), "DATE", LIKELY)
        for match in FOREIGN_MONTH_DAY.finditer(view):
            yield PhiFinding(match.start(), match.end(), "DATE", LIKELY)
    if view.has_digit and "-" in text and HYPHEN_MONTH_DAY.occurs_in(view):
        for match in HYPHEN_MONTH_DAY.finditer(view):
            yield PhiFinding(match.start("day"), match.end("day"), "DATE", LIKELY)
    if "the" in view.words and not view.words.isdisjoint(_ORDINAL_WORDS):
        for match in ORDINAL_WORD_DAY_ALONE.finditer(view):
            yield PhiFinding(match.start("day"), match.end("day"), "DATE", LIKELY)
        if "twenty" in view.words or "thirty" in view.words:
            for match in LATE_ORDINAL_WORD_DAY.finditer(view):
                yield PhiFinding(match.start(), match.end(), "DATE", LIKELY)
    if view.has_digit and SEASON_OF_A_YEAR.occurs_in(view):
        for match in SEASON_OF_A_YEAR.finditer(view):
            yield PhiFinding(match.start(), match.end(), "DATE", LIKELY)
    if _may_name_a_holiday(view):
        for match in HOLIDAY.finditer(view):
            yield PhiFinding(match.start("holiday"), match.end(), "DATE", LIKELY)
        for match in HOLIDAY_DAY.finditer(text):
            yield PhiFinding(match.start(), match.end(), "DATE", LIKELY)
    elif "Fourth" in view.tokens:
        for match in HOLIDAY.finditer(view):
            yield PhiFinding(match.start("holiday"), match.end(), "DATE", LIKELY)
    for months, month_alone in ((MONTH_KEYWORDS, LOWER_CASE_MONTH_ALONE), (SPANISH_MONTHS, SPANISH_MONTH_ALONE)):
        if view.has_any(months) and month_alone.occurs_in(view):
            for match in month_alone.finditer(view):
                if match.group("month").islower():
                    yield PhiFinding(match.start("month"), match.end("month"), "DATE", LIKELY)
    if view.has_any(MONTH_KEYWORDS):
        yield from _month_word_dates(view)
        for match in PART_OF_A_MONTH.finditer(view):
            if match.group("month") in ("may", "march"):
                continue  # "by the end of may be", typed small: the verbs
            start = match.start()
            the = _THE_BEFORE.search(view.text, max(0, start - 4), start)
            yield PhiFinding(the.start() if the else start, match.end(), "DATE", LIKELY)
        if "May" in view.tokens:  # the only word MAY_ALONE can match
            for match in MAY_ALONE.finditer(view):
                yield PhiFinding(match.start("may"), match.end("may"), "DATE", LIKELY)


_DIGIT_DATE_CHECKS = {
    "numeric": (lambda m: _is_numeric_date(m), CERTAIN),
    "iso": (lambda m: _is_iso_date(m), CERTAIN),
    "compact": (lambda m: True, CERTAIN),
    "day_month": (lambda m: _is_day_then_month(m), LIKELY),
    "month_year": (lambda m: _starts_with_month(m), LIKELY),
    "iso_month": (lambda m: True, LIKELY),
}


# Two dates joined by a dash, with no space ("12/28/23-1/4/24"): the single-date shapes refuse a
# dash and a digit beside a date (a longer number), so the range is read on its own.
NUMERIC_DATE_RANGE = re.compile(
    r"[0-9](?<![\w/.-].)[0-9]?/[0-9]{1,2}/(?:[0-9]{4}|[0-9]{2})-[0-9]{1,2}/[0-9]{1,2}/(?:[0-9]{4}|[0-9]{2})(?![\w/%]|[.-][0-9])")


def _digit_dates(text: str) -> Iterator[PhiFinding]:
    if "-" in text and "/" in text:
        for match in NUMERIC_DATE_RANGE.finditer(text):
            first, second = match.group().split("-")
            if all(_is_month_slash_day(date.rsplit("/", 1)[0]) for date in (first, second)):
                yield PhiFinding(match.start(), match.start() + len(first), "DATE", CERTAIN)
                yield PhiFinding(match.end() - len(second), match.end(), "DATE", CERTAIN)
    for match in DIGIT_DATE.finditer(text):
        # Each branch is one named group around the inner ones, so it is the last group to close.
        kind = match.lastgroup
        if kind == "month_day":
            yield from _month_slash_day(text, match)
            continue
        is_date, certainty = _DIGIT_DATE_CHECKS[kind]
        if is_date(match):
            yield PhiFinding(match.start(), match.end(), "DATE", certainty)


def _month_word_dates(view: TextView) -> Iterator[PhiFinding]:
    for match in MONTH_WORD_DATE.finditer(view):
        month = match.group("month")
        if match.group("month_alone") is not None:
            if month.lower() in FULL_MONTH_NAMES and month[0].isupper():
                yield PhiFinding(match.start(), match.start() + len(month), "DATE", LIKELY)
        elif _is_month_word(match):
            yield PhiFinding(match.start(), match.end(), "DATE", LIKELY)


def _is_numeric_date(match: re.Match[str]) -> bool:
    first, second, year = (int(n) for n in _NUMBERS.findall(match.group()))
    four_digit_year_ok = year < 100 or 1900 <= year <= 2099
    month_day = 1 <= first <= 12 and 1 <= second <= 31
    day_month = 1 <= first <= 31 and 1 <= second <= 12
    return four_digit_year_ok and (month_day or day_month)


def _is_iso_date(match: re.Match[str]) -> bool:
    _, month, day = (int(n) for n in _NUMBERS.findall(match.group())[:3])
    return 1 <= month <= 12 and 1 <= day <= 31


def _starts_with_month(match: re.Match[str]) -> bool:
    return 1 <= int(_NUMBERS.match(match.group()).group()) <= 12


def _is_day_then_month(match: re.Match[str]) -> bool:
    return 1 <= int(_NUMBERS.match(match.group()).group()) <= 31 and _is_month_word(match)


def _is_month_word(match: re.Match[str]) -> bool:
    # Lower-case "may" is the verb ("dose 3 may be given"); "May", "MAY" are the month, and so is
    # "may" with a year or an ordinal day ("since may 15, 1998", "may 3rd" in text typed in lower case).
    return match.group("month") != "may" or _YEAR_OR_ORDINAL.search(match.group()) is not None


_YEAR_OR_ORDINAL = re.compile(r"(?<![0-9])(?:(?:19|20)[0-9][0-9]|[0-9]{1,2}(?:st|nd|rd|th))(?![0-9])")


# "admitted to Providence 4/9?", "discharge planned 3/22.", "exposure 6/30 - strep or gent?": a
# month and day that ends a clause is a date whatever comes before it (a scale or a count is
# followed by its noun: "3/6 murmur", "2/3 doses"), unless it reads as a fraction ("3/4.", "2/2,").
_CLAUSE_END_AFTER = re.compile(r"[ \t]*(?:[?!;,)]|\.(?![0-9])|[-–—][ \t]|\n|$)")


_FRACTION_DENOMINATORS = frozenset({2, 3, 4, 5, 6, 8, 10})  # halves ... eighths, tenths (a pain score)


_WORD_BEFORE_NUMBER = re.compile(r"([A-Za-z][A-Za-z'’-]*)[ \t]*[:=]?[ \t]*$")
_SITE_WORDS = frozenset(
    "center hospital clinic ed er icu unit home facility va ihs memorial regional general medical arh rmc mc "
    "hosp snf".split()
)


# Events, tests and images that are done on a day, not scored out of a total: "f/u after NSTEMI 12/2,",
# "CXR 9/6, sputum AFB x3 neg".
_EVENT_WORDS = frozenset(
    "nstemi stemi mi cva tia stroke dvt pe cxr ct cta mri mra pet egd echo tte tee ekg ecg eeg emg xr cath pci cabg "
    "orif tkr thr tka tha lp biopsy bx colonoscopy mammogram dexa surgery dx".split()
)


def _named_score_before(text: str, start: int) -> bool:
    """A capitalised word before a clause-ending "7/9" names a score ("Beighton 7/9.", "BIMS
    6/15,"), unless it is a place or a site ("admitted to Providence 4/9?", "Mercy Medical Center 11/3 -")
    or an event or a test that is done on a day ("NSTEMI 12/2,", "CXR 9/6,")."""
    before = _WORD_BEFORE_NUMBER.search(text, max(0, start - 30), start)
    if before is None or before.group(1)[0].islower():
        return False
    if _WEEKDAY_BEFORE.search(text, max(0, start - _WEEKDAY_REACH), start):
        return False  # "sáng thứ Hai 6/17.": a weekday, not a score's name
    word = before.group(1).lower()
    return word not in _SITE_WORDS and word not in _EVENT_WORDS and (
        word not in lexicon().places or word.upper() in CLINICAL_ABBREVIATIONS)


# A day past the twelfth cannot be a month, and few scores are out of 13 to 31 without their name:
# "pesticide drift 7/22 on the raspberry rows", "seen 6/3 ... 2/14 f/u wound".
_SCORED_BEFORE = re.compile(
    r"(?i:\b(?:scored?|scores|scoring|moca|mmse|slums|bims|phq|gad|ess|audit|dast|pcl|aims|asrs|epds|cows|ciws|"
    r"out[ \t]+of|of|x|over|correct|recalled?))(?:-?[0-9]{1,2})?\W{0,8}$")  # "GAD-7 11/21"


# A test, an image or a visit a few words before a month and day is done on that day: "CT chest 2/7
# shows", "CXR at Clinch River Regional 2/9 w/", "missed his colonoscopy 2/6 cause", "texted by village
# clinic 2/3:".
_EVENT_NEAR_BEFORE = re.compile(
    r"(?<![\w'’-])(?i:ct|cta|cxr|mri|echo|ekg|ecg|egd|eeg|colonoscopy|mammogram|biopsy|x-ray|xray|ultrasound|"
    r"dexa|pet|scan|pap|clinic|hospital|er|ed|surgery|procedure|labs?|drawn|collected|texted|called|faxed|"
    r"seen|visit|appt|appointment)\b[^\n.;:!?0-9/]{0,28}$")


def _an_event_before(text: str, match: re.Match[str]) -> bool:
    return (_EVENT_NEAR_BEFORE.search(text, max(0, match.start() - 40), match.start()) is not None
            and not _SCORED_BEFORE.search(text, max(0, match.start() - 16), match.start())
            and not _reads_as_a_fraction(match.group()))


def _a_late_day(text: str, match: re.Match[str]) -> bool:
    month, _, day = match.group().partition("/")
    return (13 <= int(day) <= 31 and not match.group().startswith("0") and int(month) >= 1
            and not _SCORED_BEFORE.search(text, max(0, match.start() - 16), match.start())
            and not _named_score_before(text, match.start()))


def _reads_as_a_fraction(month_day: str) -> bool:
    month, _, day = month_day.partition("/")
    return (month.isdigit() and day.isdigit() and int(day) in _FRACTION_DENOMINATORS
            and int(month) <= int(day))


def _month_slash_day(text: str, match: re.Match[str]) -> Iterator[PhiFinding]:
    """A month and day: after a lead-in, before a clause's end, in a range, or written with a
    leading zero as no fraction or score is ("11/02", "03/7")."""
    if not _is_month_slash_day(match.group()):
        return
    if match.group().endswith("/10") and not _STRONG_DATE_LEAD_IN.search(
        text, max(0, match.start() - 12), match.start()
    ):
        return  # "9/10" is a score unless "on 9/10"
    window_start = max(0, match.start() - 24)
    if _SCALE_BEFORE.search(text, window_start, match.start()) or _SCORE_AFTER.match(text, match.end()):
        return
    range_end = _date_range_end(text, match.end())
    if range_end or match.group().startswith("0") or "/0" in match.group() or _DATE_LEAD_IN_BEFORE.search(text, window_start, match.start()) or (
            _EVENT_AFTER.match(text, match.end()) or _PAST_VERB_BEFORE.search(text, window_start, match.start())) or (
            _CLAUSE_END_AFTER.match(text, match.end()) and not _reads_as_a_fraction(match.group())
            and not _named_score_before(text, match.start())) or _a_late_day(text, match) or _an_event_before(text, match):
        yield PhiFinding(match.start(), match.end(), "DATE", LIKELY)
    if range_end:
        yield PhiFinding(_skip_range_joiner(text, match.end()), range_end, "DATE", LIKELY)


def _is_month_slash_day(candidate: str) -> bool:
    month, day = (int(n) for n in candidate.split("/"))
    return 1 <= month <= 12 and 1 <= day <= 31


def _date_range_end(text: str, end: int) -> int:
    # "3/14-3/20" and "3/14 to 3/20": a second month/day right after makes both dates.
    second = SECOND_MONTH_SLASH_DAY.match(text, _skip_range_joiner(text, end))
    return second.end() if second and _is_month_slash_day(second.group()) else 0


def _skip_range_joiner(text: str, position: int) -> int:
    joiner = _RANGE_JOINER.match(text, position)
    return joiner.end() if joiner else position


def find_ages(view: TextView) -> Iterator[PhiFinding]:
    # Ages in words the digit scan below does not gate on: "noventa y tres años", "in her nineties"
    # (marked whole like "in her 90s").
    in_other_words = []
    if ("anos" in view.words or "años" in view.words) and AGE_IN_SPANISH_WORDS.occurs_in(view):
        in_other_words += [PhiFinding(match.start(), match.end(), "AGE", LIKELY) for match in AGE_IN_SPANISH_WORDS.finditer(view)]
    if "nineties" in view.words:
        in_other_words += [PhiFinding(match.start(), match.end("age"), "AGE", LIKELY) for match in AGE_DECADE.finditer(view)]
    ages = _ages_in_digits_or_words(view)
    return itertools.chain(in_other_words, ages) if in_other_words else ages


def _ages_in_digits_or_words(view: TextView) -> Iterator[PhiFinding]:
    in_words = "ninety" in view.words or "hundred" in view.words
    # The cheap tests first: a number over 89 is looked for only where an age could be written.
    could_be = view.has_digit and (view.has_any(AGE_KEYWORDS) or "(" in view.text or "," in view.text)
    over_89 = could_be and _NUMBER_OVER_89.search(view.text) is not None
    in_digits = over_89 and view.has_any(AGE_KEYWORDS)
    in_brackets = over_89 and "(" in view.text
    in_apposition = over_89 and "," in view.text
    if not (in_words or in_digits or in_brackets or in_apposition):
        return iter(())  # most fields: no age over 89 written either way
    return (
        age
        for age in _age_candidates(view, in_words, in_digits, in_brackets, in_apposition)
        if not view.text.startswith(REDACTED_AGE_MARK, age.end)
    )


def _age_candidates(view: TextView, in_words: bool, in_digits: bool, in_brackets: bool,
                    in_apposition: bool = False) -> Iterator[PhiFinding]:
    if in_words:
        for pattern in (AGE_IN_WORDS, AGE_IN_WORDS_AFTER_VERB):
            for match in pattern.finditer(view):
                yield PhiFinding(match.start("age"), match.end("age"), "AGE", LIKELY)
        for match in AGE_IN_WORDS_ALONE.finditer(view.text):
            if not _MEASURE_BEFORE.search(view.text, max(0, match.start() - 16), match.start()):
                yield PhiFinding(match.start("age"), match.end("age"), "AGE", LIKELY)
        if "(" in view.text:
            for match in AGE_WORDS_IN_BRACKETS.finditer(view.text):
                if _after_a_person(view.text, match.start()):
                    yield PhiFinding(match.start("age"), match.end("age"), "AGE", LIKELY)
    if in_brackets:
        yield from _ages_in_brackets(view.text)
    if in_apposition:
        yield from _ages_after_names(view.text)
    if not in_digits:
        return
    for match in AGE_WITH_UNIT.finditer(view.text):
        yield PhiFinding(match.start(), match.start("unit"), "AGE", LIKELY)
    # "90s" is a number and the word "s": without that word AGE_DECADE cannot match.
    patterns = (
        (AGE_AFTER_LEAD_IN, AGE_DECADE, AGE_AFTER_PERSON)
        if "s" in view.words
        else (AGE_AFTER_LEAD_IN, AGE_AFTER_PERSON)
    )
    for pattern in patterns:
        for match in pattern.finditer(view):
            group = "apposed" if pattern is AGE_AFTER_PERSON and match.group("apposed") else "age"
            # "in her late 90s" is marked whole, as writers mark it
            start = match.start() if pattern is AGE_DECADE else match.start(group)
            yield PhiFinding(start, match.end(group), "AGE", LIKELY)
    if AGE_BESIDE_PERSON.occurs_in(view):
        for match in AGE_BESIDE_PERSON.finditer(view):
            yield PhiFinding(match.start("age"), match.end("age"), "AGE", LIKELY)
    if "birthday" in view.words:
        for match in AGE_BIRTHDAY.finditer(view.text):
            yield PhiFinding(match.start(), match.end(), "AGE", LIKELY)


# "Winona Little Sky, 93, lives in Kyle", "Hastiin Ben Tsosie is 97", "Ada Koezuna, one hundred,",
# "pt verna harjo 90 on amitriptyline", "Pt | Lucille Crain | 97 | SSN": a number over 89, in digits or
# words, set off right after a name the name detectors found (with only a space, in digits and before
# a word that is no unit; or as the next field of a form).
AGE_AFTER_A_NAME = re.compile(
    rf"(?:[ \t]*,[ \t]*|,?[ \t]+(?i:is|was|turned|turns|is[ \t]+now)[ \t]+|[ \t]*\([ \t]*|[ \t]+(?=[0-9])|[ \t]*[|—–][ \t]*)"
    rf"(?P<age>9[0-9]|1[01][0-9]|(?i:{_NUMBER_WORDS_OVER_89}))(?![\w%/.]|[ \t]*(?:%|/|(?i:mg|mcg|kg|lbs?|mi|miles?|"
    r"min|mins|minutes?|km|hrs?|hours?|ml|units?|u|beds?|days?|wks?|weeks?|mos?|months?|percent|pts?|points?)\b))"
    r"(?=[ \t]*(?:[,;)|—–]|\.(?:\s|$)|$|-?(?i:y/?o|yrs?|years?)\b|[ \t]+[a-z]))"
)


def ages_after_names(text: str, candidates: list[PhiFinding]) -> list[PhiFinding]:
    ages = []
    for candidate in candidates:
        if candidate.label == "NAME" and (match := AGE_AFTER_A_NAME.match(text, candidate.end)):
            ages.append(PhiFinding(match.start("age"), match.end("age"), "AGE", LIKELY))
    return ages


def _ages_in_brackets(text: str) -> Iterator[PhiFinding]:
    for match in AGE_IN_BRACKETS.finditer(text):
        if _after_a_person(text, match.start()):
            yield PhiFinding(match.start("age"), match.end("age"), "AGE", LIKELY)


# "Yusuf Al-Hakim, 91, admitted", "Graciela Montoya, 103; DNR", "Ms. Begay, 94F": a number over 89
# set off by commas right after a name is the person's age (a lab value follows its test's name,
# which is no name: "Cl, 95," is not read).
AGE_AFTER_NAME = re.compile(
    r",[ \t]*(?P<age>9[0-9]|1[01][0-9])(?![0-9])"
    r"(?=[ \t]*(?:[,;)]|$|\.(?:\s|$)|[ \t]*(?:[MFmf]\b|(?i:yo\b|y/o|years?\b|yrs?\b))|[ \t]+[A-Z]))"
)


def _ages_after_names(text: str) -> Iterator[PhiFinding]:
    for match in AGE_AFTER_NAME.finditer(text):
        if _after_a_person(text, match.start()):
            yield PhiFinding(match.start("age"), match.end("age"), "AGE", LIKELY)


_TITLE_AND_WORD_BEFORE = re.compile(r"(?<![\w])(?i:mr|mrs|ms|miss|mx)\.?[ \t]+[A-Za-z][A-Za-z'’-]*\.?\s*$")


def _after_a_person(text: str, end: int) -> bool:
    """Whether a person is named right before ``end``: a relative or patient ("Grandmother (94)"),
    a name ("Mrs. Siobhán Ní Bhriain (94)", a word no dictionary holds), or a title and a word in
    any case ("mr petrenko (96)")."""
    before = AGE_BRACKET_PERSON_BEFORE.search(text, max(0, end - 30), end)
    return bool(before and _is_person_word(before.group(1), text, before.start())
                or _TITLE_AND_WORD_BEFORE.search(text, max(0, end - 40), end))


_CAPITALISED_WORD_BEFORE = re.compile(r"[A-ZÀ-Þ][^\W\d_]*[.'’-]?[^\W\d_]*[ \t]+$")


def _is_person_word(word: str, text: str = "", start: int = 0) -> bool:
    """A relative, a patient or a name: what an age in brackets can follow ("Grandmother (94)").
    A word no dictionary holds is a name only as the last of two capitalised words ("Siobhán Ní
    Bhriain (94)"): alone it is as likely an abbreviation ("Sats (92)")."""
    lower = word.lower()
    if lower in PERSON_NOUNS or RELATION_WORD.fullmatch(lower):
        return True
    if not word[0].isupper() or word.isupper():
        return False
    words = lexicon()
    return words.is_bare_name(word) or (words.is_name_like(word) and text != "" and bool(
        _CAPITALISED_WORD_BEFORE.search(text, max(0, start - 30), start)))
