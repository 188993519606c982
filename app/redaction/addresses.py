"""Street addresses written the way other countries write them, with what follows them.

The US forms ("123 Main St") are read in ``locations``.  Elsewhere a street is named:

* by a type word before its name, in the Romance languages: "rue Daniel Leclercq", "Via Roma",
  "Calzada Posada", "Rua das Flores" (types from La Poste's address standard NF Z 10-011, ISTAT's
  generic street names (DUG), INEGI's street types (Norma Técnica sobre Domicilios Geográficos)
  and the Correios' types of logradouro);
* by a type glued to its end, in German, Dutch and the Nordic languages: "Birnbaumstraße",
  "Ursula-Pechel-Platz", "Charlottestraat", "Mickdreef";
* by a house number before it and a comma, in India and the UK: "62/701, Goyal Road", "H.No. 12,
  Narayanan Zila", "Flat 1, Dawson Parkway".

A street counts only with its house number, or with a postal code after it: a type word alone
("Place 2 drops", "via Zoom") is no address.  The finding runs on over the house number, the
flat or floor ("Edif. 058, Depto. 898", "Piano 2"), the postal code, the town and the province,
so "Rosemanngasse 2-1, 34268 Dinslaken" or "Vicolo Argan, 799 Appartamento 98, 41059,
Montetortore (MO)" is one finding, never a street with its town left in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.redaction.findings import LIKELY, PhiFinding
from app.redaction.lexicon import lexicon
from app.redaction.scan import KeywordPattern, TextView

# Types that are no English word: they open a street in any case ("rue Perrin", "Calle Luna").
_FOREIGN_TYPES = (
    # French
    "rue|allée|allee|impasse|quai|chemin|faubourg|boulevard|avenue|"
    # Spanish (Spain, Mexico)
    "calle|callejón|callejon|calzada|cerrada|circuito|circunvalación|circunvalacion|continuación|continuacion|"
    "corredor|privada|prolongación|prolongacion|retorno|viaducto|andador|periférico|periferico|pasaje|paseo|"
    "carretera|avenida|travesía|travesia|"
    "glorieta|eje\\s+vial|"
    # Italian
    "viale|vicolo|contrada|piazza|piazzale|corso|borgo|strada|stretto|rotonda|lungomare|salita|traversa|"
    # Portuguese (Brazil)
    "rua|travessa|alameda|praça|praca|rodovia|estrada|vereda|viela|passarela|núcleo|nucleo|ladeira|chácara|"
    "chacara|fazenda|condomínio|condominio|loteamento|recanto|colônia|colonia"
)
# Types that are also English words or names: they open a street only capitalised, before a name
# that is no English word ("Via Roma", "Place Bellecour"; not "Via Zoom", "Plaza Pharmacy").
_ENGLISH_LOOKING_TYPES = (
    "place|route|square|passage|via|plaza|camino|ronda|cours|diagonal|largo|vale|campo|parque|jardim|"
    "lago|morro|setor|quadra|conjunto|trecho|vila|rampa|feira|distrito|residencial|sítio|sitio|esplanade|"
    "promenade"
)
_ENGLISH_LOOKING = frozenset(_ENGLISH_LOOKING_TYPES.split("|")) | {"avenue", "boulevard"}
# Small words inside a street's or a town's name: "Vale de da Conceição", "Andrade da Mata".
_PARTICLE = (
    r"(?:de|da|do|das|dos|del|della|delle|degli|dei|di|du|des|la|le|les|lo|los|las|el|y|e|van|von|der|den|am|an|"
    r"im|zum|zur|sur|en)"
)
# A capitalised word in any Latin script ("Conceição", "Łódź", "VéroniqueVille", "d'Italia").
_CAPITAL = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
_NAME_WORD = rf"(?:[dDlL]['’])?[{_CAPITAL}][^\W\d_]*+(?:['’-][^\W\d_]++)*+"
_NAME = rf"(?:[ \t]+{_PARTICLE}){{0,2}}[ \t]+{_NAME_WORD}(?:(?:[ \t]+{_PARTICLE}){{0,2}}[ \t]+{_NAME_WORD}){{0,3}}"

STREET_AFTER_TYPE = KeywordPattern(f"{_FOREIGN_TYPES}|{_ENGLISH_LOOKING_TYPES}", rf"(?P<name>{_NAME})", group="type")

# A house number of up to four digits (five are a postal code): "15", "2-1", "3/4", "21x", "No. 7",
# "001 794"; never a dose or a count.
_HOUSE = re.compile(
    r"[ \t]*,?[ \t]*(?:(?:No\.?|N[º°o]\.?|#)[ \t]*)?(?P<number>[0-9]{1,4}[A-Za-z]?(?![\w.,]?[0-9])"
    r"(?:[ \t]?[/-][ \t]?[0-9]{1,5}[A-Za-z]?|[ \t][0-9]{1,5}(?=[ \t]*(?:[,.;]|$)))?)(?![\w/-])"
    r"(?![ \t]*(?i:mg|mcg|g|ml|l|%|x|y/?o|yrs?|years?|days?|weeks?|wks?|months?|mos?|times|hours?|hrs?|min|"
    r"visits?|sessions?|tabs?|tablets?|units?|doses?|refills?|cm|mm|kg|lbs?|am|pm)\b)"
)
# A flat, floor, building or door after the number: "Edif. 058 , Depto. 898", "Appartamento 98".
_UNIT = re.compile(
    r"[ \t]*,?[ \t]*(?i:apt|apto|apartment|appartamento|suite|ste|unit|flat|studio|edif|edificio|depto|dpto|"
    r"departamento|interior|int|piano|scala|bus|top|stiege|etage|bloco|bloque|casa|lote|sala|andar|piso|"
    r"puerta|room|rm)\.?[ \t]*#?[ \t]*[0-9]{1,5}[A-Za-z]?(?![\w])"
)
# What may follow, in any order, each after a comma or a space: a postal code ("34268", "8937 AP",
# "30883-694", "TF5H 4PZ", "L4S 7R9"), a province ("(MO)", "/ PE", "SON 20777") or a town.
_POSTAL = (
    r"[0-9]{5}(?:-[0-9]{3,4})?|[0-9]{4}[ \t]?[A-Z]{2}|[0-9]{4,6}"
    r"|[A-Z]{1,2}[0-9][A-Z0-9]?[ \t]?[0-9][A-Z]{2}|[A-Z][0-9][A-Z][ \t]?[0-9][A-Z][0-9]"
)
_PIECE = re.compile(
    rf"(?:[ \t]*,[ \t]*|[ \t]+)(?:(?P<postal>(?:{_POSTAL})(?![\w-]))|(?P<province>\([A-Z]{{2,3}}\)|/[ \t]*[A-Z]{{2}}\b"
    rf"|[A-Z]{{2,4}}(?=[ \t]+[0-9]))|(?P<town>{_NAME_WORD}(?:(?:[ \t]+{_PARTICLE}){{0,2}}[ \t]+{_NAME_WORD}){{0,3}}))"
)
MAX_PIECES = 5

# House number, comma, then a street closed by a suffix: "62/701, Goyal Road", "H.No. 12, Narayanan
# Zila", "514, Krish Nagar"; or a flat first: "Flat 1, Dawson Parkway", "Studio 21X, Archer Wall".
_SUFFIXES = (
    "Street|Road|Lane|Avenue|Circle|Marg|Nagar|Zila|Chowk|Ganj|Colony|Layout|Puram|Path|Gali|Vihar|Enclave|"
    "Bazaar|Bazar|Peth|Wadi|Cross|Parkway|Drive|Way|Court|Close|Crescent|Grove|Groves|Gardens|Terrace|Row|"
    "Walk|Walks|Wall|Mews|Square|Place|Hill|Rise|View|Route|Pike|Canyon|Lakes|Courts|Green|Park|Vale"
)
_STREET_AFTER_NUMBER = rf"\s+{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}[ \t]+(?:{_SUFFIXES})\b"
NUMBER_THEN_STREET = re.compile(
    rf"[0-9](?<![\w/.-].)[0-9]{{0,4}}(?:/[0-9]{{1,5}}[A-Za-z]?,?|[A-Za-z]?,){_STREET_AFTER_NUMBER}"
)
FLAT_THEN_STREET = KeywordPattern(
    r"flat|studio|apartment|apt\.?|unit|suite", rf"[ \t]+[0-9]{{1,4}}[A-Za-z]?,?{_STREET_AFTER_NUMBER}"
)
_HOUSE_NUMBER_LABEL_BEFORE = re.compile(r"(?<![\w.])H\.[ \t]?No\.[ \t]?$")
_NUMBER_THEN_STREET_WORDS = frozenset(word.lower() for word in _SUFFIXES.split("|"))

# Types glued to the street's name: "Kranzgasse 8084", "Magdalena-Dörr-Ring 4873".
GLUED_SUFFIXES = (
    "straße", "strasse", "str.", "weg", "allee", "platz", "gasse", "ring", "damm", "ufer", "steig", "pfad",
    "markt", "graben", "hof", "chaussee", "straat", "laan", "plein", "gracht", "singel", "dreef", "kade",
    "dijk", "steeg", "boulevard", "vej", "gade", "gatan", "vägen", "veien",
)
# A number after a word that ends as a suffix does ("-weg", "-straße", "str."), and a space.
_NUMBER_AFTER_WORD = re.compile(r"[0-9](?<=[egtzmrdnflkjEGTZMRDNFLKJ.][ \t][0-9])")
_WORD_BEFORE = re.compile(r"[^\W\d_]++(?:-[^\W\d_]++)*+\.?[ \t]$")


def find_foreign_addresses(view: TextView) -> Iterator[PhiFinding]:
    if not view.has_digit:
        return
    text = view.text
    if STREET_AFTER_TYPE.occurs_in(view):
        yield from _streets_after_types(view)
    if not view.words.isdisjoint(_NUMBER_THEN_STREET_WORDS):
        for match in NUMBER_THEN_STREET.finditer(text):
            start = match.start()
            if label := _HOUSE_NUMBER_LABEL_BEFORE.search(text, max(0, start - 8), start):
                start = label.start()  # "H.No. 12, Narayanan Zila"
            end = _address_end(text, match.end(), number=True)
            yield PhiFinding(start, end, "LOCATION", LIKELY)
        if FLAT_THEN_STREET.occurs_in(view):
            for match in FLAT_THEN_STREET.finditer(view):
                yield PhiFinding(match.start(), _address_end(text, match.end(), number=True), "LOCATION", LIKELY)
    yield from _glued_streets(view)


def _streets_after_types(view: TextView) -> Iterator[PhiFinding]:
    text, words = view.text, lexicon()
    for match in STREET_AFTER_TYPE.finditer(view):
        start = match.start()
        head = _HOUSE_BEFORE.search(text, max(0, start - 16), start)
        street_type = match.group("type")
        if street_type.lower() in _ENGLISH_LOOKING:
            # "Via Roma": capitalised, before a name no English word ("Via Zoom", "Plaza Pharmacy"
            # are none); "38, avenue de Bourgeois": in lower case after a house number, as in French.
            if not (street_type[0].isupper() or head) or street_type[0].isupper() and all(
                    words.is_plain_word(word) for word in match.group("name").split() if word[0].isupper()):
                continue
        if head:
            start = head.start()
        end = _address_end(text, match.end(), number=head is not None)
        if end is not None:
            yield PhiFinding(start, end, "LOCATION", LIKELY)


# A house number before the street: "84, rue Daniel Leclercq", "Núm. 12 Calle Luna".
_HOUSE_BEFORE = re.compile(r"(?<![\w/.-])(?:(?:No\.?|N[º°o]\.?)[ \t]*)?[0-9]{1,5}[A-Za-z]?(?:/[0-9]{1,5})?,?[ \t]+$")


def _glued_streets(view: TextView) -> Iterator[PhiFinding]:
    text, lower, words = view.text, view.lower, lexicon()
    for number in _NUMBER_AFTER_WORD.finditer(text):
        space = number.start() - 1
        if not lower.endswith(GLUED_SUFFIXES, 0, space):
            continue
        word = _WORD_BEFORE.search(text, max(0, space - 60), number.start())
        if word is None:
            continue
        street = word.group().rstrip(" \t")
        last = street.rsplit("-", 1)[-1].lower().rstrip(".")
        # A word made of its type alone ("Ring 3") or an English word ("During 2 weeks") is no street.
        if not street[0].isupper() or "-" not in street and (
                last in GLUED_SUFFIXES or last + "." in GLUED_SUFFIXES or words.is_plain_word(street.rstrip("."))):
            continue
        end = _address_end(text, word.end() - 1, number=False)
        if end is not None:
            yield PhiFinding(word.start(), end, "LOCATION", LIKELY)


def _address_end(text: str, end: int, *, number: bool) -> int | None:
    """Where the address that has a street ending at ``end`` ends: past its house number, flats and
    floors, then past the postal code, towns and province that follow it, when a postal code or a
    province is among them.  None when it has neither a house number (``number``: one came before
    the street) nor a postal code: a street's name alone is too weak."""
    house = _HOUSE.match(text, end)
    if house:
        end, number = house.end(), True
    while unit := _UNIT.match(text, end):
        end = unit.end()
    position, last_code, pieces = end, None, 0
    while pieces < MAX_PIECES and (piece := _PIECE.match(text, position)):
        position, pieces = piece.end(), pieces + 1
        if piece.group("postal") or piece.group("province"):
            last_code = position
    if last_code is not None:
        end = position  # towns after the code belong to it: "34268 Dinslaken"
    elif not number:
        return None
    return end


# Puerto Rico's addresses name the neighbourhood and the road, not a street and a house: "Urb.
# Villa del Carmen, Calle 5 #23, Cayey", "Carr. 149 km 18.2, Bo. Toro Negro, Ciales", "barrio
# caonillas", "Res. Luis Llorens Torres".  A neighbourhood's word opens a name of one to four
# words; the abbreviations ("Bo.", "Urb.", "Res.", "Cond.") only capitalised with their stop, and
# the words that are no English word ("barrio", "urbanización") before a name in lower case too.
_NEIGHBOURHOOD_WORDS = (
    "urbanizaci[oó]n|barrio|parcelas|residencial|condominio|comunidad|reparto|sector|urb\\.|bo\\.|res\\.|cond\\."
    "|sect\\.|ext\\."
)
_LOWER_NAME_WORD = r"[a-zà-öø-ÿ][^\W\d_]{2,}+"
NEIGHBOURHOOD = KeywordPattern(
    _NEIGHBOURHOOD_WORDS,
    rf"[ \t]+(?P<name>{_NAME_WORD}(?:(?:[ \t]+{_PARTICLE}){{0,2}}[ \t]+{_NAME_WORD}){{0,3}}|{_LOWER_NAME_WORD})",
    group="kind",
    before=r"(?<![\w'’-])",
)
_CAPITALISED_ONLY = frozenset({"urb.", "bo.", "res.", "cond.", "sect.", "ext.", "sector", "residencial", "comunidad"})
# A road by its number and kilometre ("Carr. 149 km 18.2", "carretera 2"), a street by its number
# and house ("Calle 5 #23").
PUERTO_RICAN_ROAD = KeywordPattern(
    "carr\\.|carretera|calle",
    r"[ \t]+[0-9]{1,4}[A-Z]?(?:[ \t]*,?[ \t]*(?i:km|kil[oó]metro)\.?[ \t]*[0-9]{1,3}(?:\.[0-9])?|[ \t]*#[ \t]*[0-9]{1,5}[A-Z]?|)"
    r"(?![\w/.-]|[ \t]+de[ \t]|[ \t]*(?i:mg|mcg|g|ml|l|%|x|units?|tabs?|days?|d[ií]as|weeks?|semanas|hours?|horas)\b)",
    before=r"(?<![\w'’-])",
)


def find_neighbourhoods_and_roads(view: TextView) -> Iterator[PhiFinding]:
    words = lexicon()
    if NEIGHBOURHOOD.occurs_in(view):
        for match in NEIGHBOURHOOD.finditer(view):
            kind, name = match.group("kind"), match.group("name")
            if kind.lower() in _CAPITALISED_ONLY and not (kind[0].isupper() and name[0].isupper()):
                continue
            if name[0].islower() and (words.is_plain_word(name) or name in _SPANISH_SMALL_WORDS):
                continue  # "barrio pobre", "en el barrio donde"
            if all(words.is_plain_word(word) for word in name.split()) and not kind[0].isupper():
                continue
            yield PhiFinding(match.start(), match.end(), "LOCATION", LIKELY)
    if view.has_digit and PUERTO_RICAN_ROAD.occurs_in(view):
        for match in PUERTO_RICAN_ROAD.finditer(view):
            yield PhiFinding(match.start(), match.end(), "LOCATION", LIKELY)


_SPANISH_SMALL_WORDS = frozenset("donde que del los las una uno por para con sin muy mas más".split())
