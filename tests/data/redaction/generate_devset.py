"""Generate the synthetic part of the redaction development set (no real patients).

    python tests/data/redaction/generate_devset.py

Writes ``generated_phi.jsonl`` (ECHO-style case fields with every PHI label annotated) and
``generated_phi_free.jsonl``.  Hand-written examples live in ``handwritten_*.txt`` (markup, one
example per line) and are converted to JSONL by the same run.  The seed is fixed so the output is
reproducible; the JSONL is committed.

Names and places are drawn from hand-made pools that deliberately include names absent from the
Census lists the detector ships (Navajo, Vietnamese, West African surnames, rare first names).
"""

from __future__ import annotations

import json
import random
import string
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from markup import parse_markup
from templates import PHI_FREE_SENTENCES, PHI_TEMPLATES

FIRST_NAMES = """James Maria Keisha DeShawn Tyrone Jasmine Thuy Shandiin Kateri Dakota Winona Guadalupe
Juan Jose Anna Priya Aaliyah Mohammed Fatima Wei Hiroshi Olga Dmitri Brittany Cody Travis Darlene
Loretta Tammy Dwayne Marisol Esperanza Yolanda Ignacio Kaden Jayden Destiny Ashley Tyler Hannah Ethan
Colton Skyler Rosalind Leticia Ahanu Nizhoni Deshawna Latoya Bao Linh Chidi Ngozi Amara Rahul Sunita
Brenda Harold Eugene Mildred Gertrude Vernon Wanda Delbert Velma Jolene Raymond Lorenzo Consuelo""".split()
SURNAMES = """Smith Begay Yazzie Tsosie Benally Nez Etsitty Chee Lopez Garcia Martinez Nguyen Tran Patel Kim
O'Neil McKinney Washington Jefferson Johnson Williams Castillo Romero Sandoval Trujillo Kowalski
Schmidt Okafor Adeyemi Mendoza Harjo Redhouse Whitehorse Manygoats Yellowhair Atcitty Pham Le Ortiz
Gonzales Baca Archuleta Montoya Vigil Tafoya Lucero Chavez Jaramillo Hernandez Abeyta Bitsui Largo
Thompson Anderson Robinson McAllister Fitzgerald Delgado Quintana Oyelaran Mwangi""".split()
DOCTOR_SURNAMES = """Patel Shah Okonkwo Rosenberg Liu Alvarez Weinstein Chowdhury Kaplan Arora Goldberg
Nakamura Fernandez Oduya Brennan""".split()
TOWNS = """Gallup Farmington Shiprock Chinle Crownpoint Kayenta Tuba City Window Rock Grants Socorro
Espanola Taos Raton Clovis Hobbs Roswell Deming Lordsburg Silver City Truth or Consequences Belen
Los Lunas Bernalillo Aztec Bloomfield Cuba Zuni Laguna Acoma Ganado Kirtland Cortez Durango
Page Flagstaff Winslow Holbrook Show Low Globe Safford Nogales Yuma Bisbee""".split("\n")
TOWNS = [t for line in TOWNS for t in line.split(" ") if t] + [
    "Tuba City",
    "Window Rock",
    "Silver City",
    "Los Lunas",
    "Show Low",
]
TOWNS = [
    t
    for t in TOWNS
    if t
    not in {"Tuba", "City", "Window", "Rock", "Silver", "Los", "Lunas", "Show", "Low", "Truth", "or", "Consequences"}
]
COUNTIES = [
    "McKinley County",
    "San Juan County",
    "Apache County",
    "Navajo County",
    "Cibola County",
    "Rio Arriba County",
    "Sandoval County",
    "Dona Ana County",
    "Coconino County",
    "Lea County",
]
STREETS = [
    "Main St",
    "Aztec Ave",
    "Maple Street",
    "E. Nizhoni Blvd",
    "Church Rock Rd",
    "N 2nd St",
    "Coal Avenue",
    "Route 66 Loop",
    "Pinon Dr",
    "Cedar Lane",
    "Mesa Verde Way",
    "W Broadway Blvd",
]
FACILITIES = [
    "Gallup Indian Medical Center",
    "St. Mary's Hospital",
    "Northern Navajo Medical Center",
    "Presbyterian Hospital",
    "Chinle Comprehensive Health Care Facility",
    "San Juan Regional Medical Center",
    "Crownpoint Health Care Facility",
    "Rehoboth McKinley Christian Hospital",
    "First Choice Community Healthcare",
    "Turquoise Lodge",
    "Four Winds Recovery Center",
    "Zuni Comprehensive Community Health Center",
    "Kayenta Health Center",
    "Tuba City Regional Health Care",
    "St. Joseph's Medical Center",
    "Lovelace Medical Center",
    "Miners' Colfax Medical Center",
    "Shiprock Service Unit",
]
EMPLOYERS = [
    "Walmart",
    "McDonald's",
    "Home Depot",
    "Safeway",
    "Peabody Energy",
    "the Navajo Transitional Energy Company",
    "Allsup's",
    "Dollar General",
    "Love's Travel Stop",
    "Bashas'",
    "Arizona Public Service",
    "Tyson Foods",
]
STATES = ["NM", "AZ", "New Mexico", "Arizona", "CO", "UT"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTH_ABBREVIATIONS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DEA_LETTERS = "ABFGM"


def ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def random_date(rng: random.Random) -> str:
    month, day, year = rng.randint(1, 12), rng.randint(1, 28), rng.randint(1935, 2025)
    short = year % 100
    forms = [
        f"{month}/{day}/{short:02d}",
        f"{month:02d}/{day:02d}/{year}",
        f"{year}-{month:02d}-{day:02d}",
        f"{day}-{MONTH_ABBREVIATIONS[month - 1]}-{year}",
        f"{MONTHS[month - 1]} {ordinal(day)}, {year}",
        f"{MONTHS[month - 1]} {day}",
        f"{MONTH_ABBREVIATIONS[month - 1]} {day}",
        f"{ordinal(day)} of {MONTHS[month - 1]}",
        f"{day:02d}{MONTH_ABBREVIATIONS[month - 1].upper()}{year}",
        f"{MONTHS[month - 1]} {day}, {year}",
        f"{day} {MONTHS[month - 1]} {year}",
        f"{MONTH_ABBREVIATIONS[month - 1]}. {day}",
        f"{MONTHS[month - 1]} {year}",
        f"{month}-{day}-{year}",
        f"{month}/{day}",
    ]
    return rng.choice(forms)


def random_phone(rng: random.Random) -> str:
    area, exchange, line = rng.randint(200, 989), rng.randint(200, 989), rng.randint(0, 9999)
    forms = [
        f"({area}) {exchange}-{line:04d}",
        f"{area}-{exchange}-{line:04d}",
        f"{area}.{exchange}.{line:04d}",
        f"+1 {area} {exchange} {line:04d}",
        f"{area}-{exchange}-{line:04d} ext. {rng.randint(10, 999)}",
        f"1-{area}-{exchange}-{line:04d}",
        f"({area}){exchange}-{line:04d}",
    ]
    return rng.choice(forms)


def random_dea(rng: random.Random) -> str:
    digits = [rng.randint(0, 9) for _ in range(6)]
    check = (digits[0] + digits[2] + digits[4] + 2 * (digits[1] + digits[3] + digits[5])) % 10
    return rng.choice(DEA_LETTERS) + rng.choice(string.ascii_uppercase) + "".join(map(str, digits)) + str(check)


def random_vin(rng: random.Random) -> str:
    alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ"
    chars = [rng.choice(alphabet) for _ in range(4)] + [str(rng.randint(0, 9)) for _ in range(13)]
    return "1" + "".join(chars[:16])


def random_mbi(rng: random.Random) -> str:
    letters = "ACDEFGHJKMNPQRTUVWXY"
    return (
        f"{rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}{rng.randint(0, 9)}-"
        f"{rng.choice(letters)}{rng.randint(0, 9)}{rng.randint(0, 9)}-{rng.choice(letters)}{rng.choice(letters)}{rng.randint(10, 99)}"
    )


def person_name(rng: random.Random) -> str:
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    middle = rng.choice("ABCDEJKLMRST")
    forms = [
        f"{first} {last}",
        f"{last.upper()}, {first.upper()}",
        f"{last}, {first}",
        f"{first} {middle}. {last}",
        f"{first} {last}",
    ]
    return rng.choice(forms)


def slot_values(rng: random.Random) -> dict[str, tuple[str, str]]:
    """Each slot name -> (label, value).  Values are fresh per case."""
    first, last, doctor = rng.choice(FIRST_NAMES), rng.choice(SURNAMES), rng.choice(DOCTOR_SURNAMES)
    zip_code = f"{rng.choice(['87', '86', '85', '81'])}{rng.randint(100, 999)}"
    return {
        "NAME": ("NAME", person_name(rng)),
        "LOWERNAME": ("NAME", f"{first.lower()} {last.lower()}"),
        "FIRST": ("NAME", first),
        "LAST": ("NAME", last),
        "DOCTOR": (
            "NAME",
            rng.choice(
                [
                    f"Dr. |{doctor}",
                    f"Dr |{doctor}",
                    f"dr. |{doctor.lower()}",
                    f"Dr. |{rng.choice(FIRST_NAMES)} {doctor}",
                ]
            ),
        ),
        "TITLED": ("NAME", rng.choice([f"Mr. |{last}", f"Mrs. |{last}", f"Ms. |{last}", f"Mr |{last}"])),
        "INITIALS": ("NAME", rng.choice([f"{first[0]}.{last[0]}.", f"{first[0]}{last[0]}"])),
        "DATE": ("DATE", random_date(rng)),
        "DATE2": ("DATE", random_date(rng)),
        "DOB": ("DATE", f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(1930, 2020)}"),
        "MD": ("DATE", f"{rng.randint(1, 12)}/{rng.randint(1, 28)}"),
        "ORD": ("DATE", ordinal(rng.randint(1, 28))),
        "AGE": ("AGE", str(rng.randint(90, 104))),
        "PHONE": ("PHONE", random_phone(rng)),
        "FAX": ("FAX", random_phone(rng)),
        "EMAIL": (
            "EMAIL",
            f"{first.lower()}.{last.lower().replace(chr(39), '')}{rng.randint(1, 99)}@{rng.choice(['gmail.com', 'yahoo.com', 'nnhospital.org', 'ihs.gov', 'outlook.com'])}",
        ),
        "SSN": ("SSN", f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"),
        "MRN": (
            "MRN",
            rng.choice(
                [
                    str(rng.randint(100000, 99999999)),
                    f"A{rng.randint(100000, 999999)}",
                    f"{rng.randint(10, 99)}-{rng.randint(10000, 99999)}",
                ]
            ),
        ),
        "HEALTHPLAN": (
            "HEALTHPLAN",
            rng.choice(
                [
                    f"W{rng.randint(100000000, 999999999)}",
                    str(rng.randint(100000000, 999999999)),
                    random_mbi(rng),
                    f"XJH{rng.randint(1000000, 9999999)}",
                ]
            ),
        ),
        "ACCOUNT": (
            "ACCOUNT",
            rng.choice([str(rng.randint(1000000, 99999999)), f"{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"]),
        ),
        "LICENSE": (
            "LICENSE",
            rng.choice(
                [
                    f"{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.randint(1000000, 99999999)}",
                    str(rng.randint(100000000, 999999999)),
                ]
            ),
        ),
        "DEA": ("LICENSE", random_dea(rng)),
        "PLATE": (
            "VEHICLE",
            rng.choice(
                [
                    f"{rng.choice(['ABC', 'NMX', 'KTZ', 'BHR'])}-{rng.randint(1000, 9999)}",
                    f"{rng.randint(100, 999)} {rng.choice(['RKL', 'TWA', 'JDB'])}",
                ]
            ),
        ),
        "VIN": ("VEHICLE", random_vin(rng)),
        "SERIAL": (
            "DEVICE",
            rng.choice(
                [
                    f"SN{rng.randint(10000000, 99999999)}",
                    f"{rng.choice(['PJN', 'RNH', 'G4S'])}{rng.randint(100000, 999999)}H",
                    f"{rng.randint(1000, 9999)}-{rng.randint(100000, 999999)}",
                ]
            ),
        ),
        "URL": (
            "URL",
            rng.choice(
                [
                    f"https://www.facebook.com/{first.lower()}.{last.lower().replace(chr(39), '')}",
                    f"www.{last.lower().replace(chr(39), '')}family.com",
                    f"http://mychart.example.org/patient/{rng.randint(1000, 99999)}",
                    f"https://tiktok.com/@{first.lower()}{rng.randint(1, 99)}",
                ]
            ),
        ),
        "IP": (
            "IP",
            rng.choice(
                [
                    f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                    f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                    f"2001:db8:{rng.randint(1, 9999):x}::{rng.randint(1, 999):x}",
                    f"fe80::{rng.randint(256, 65535):x}:{rng.randint(256, 65535):x}",
                ]
            ),
        ),
        "ID": (
            "ID",
            rng.choice(
                [
                    str(rng.randint(1000000000, 1999999999)),
                    f"{rng.randint(100000, 999999)}",
                    f"C-{rng.randint(10000, 99999)}",
                ]
            ),
        ),
        "STREET": ("LOCATION", f"{rng.randint(2, 9999)} {rng.choice(STREETS)}"),
        "TOWN": ("LOCATION", rng.choice(TOWNS)),
        "TOWN2": ("LOCATION", rng.choice(TOWNS)),
        "COUNTY": ("LOCATION", rng.choice(COUNTIES)),
        "ZIP": ("LOCATION", zip_code),
        "ZIP9": ("LOCATION", f"{zip_code}-{rng.randint(1000, 9999)}"),
        "FACILITY": ("LOCATION", rng.choice(FACILITIES)),
        "EMPLOYER": ("LOCATION", rng.choice(EMPLOYERS)),
        "STATE": ("", rng.choice(STATES)),
    }


def fill(template: str, values: dict[str, tuple[str, str]]) -> str:
    marked = template
    for slot, (label, value) in values.items():
        prefix, _, value = value.rpartition("|")  # a title stays outside the span: "Dr. [[NAME|Patel]]"
        replacement = value if not label else f"{prefix}[[{label}|{value}]]"
        marked = marked.replace("{" + slot + "}", replacement)
    return marked


def generate_phi_cases(rng: random.Random, count: int) -> list[dict]:
    cases = []
    for _ in range(count):
        domain = rng.choice(sorted(PHI_TEMPLATES))
        sentences = rng.sample(PHI_TEMPLATES[domain], k=min(3, len(PHI_TEMPLATES[domain])))
        filler = rng.sample(PHI_FREE_SENTENCES[domain], k=min(2, len(PHI_FREE_SENTENCES[domain])))
        parts = sentences[: rng.randint(1, 3)] + filler[: rng.randint(0, 2)]
        rng.shuffle(parts)
        cases.append(parse_markup(" ".join(fill(part, slot_values(rng)) for part in parts)))
    return cases


def generate_phi_free(rng: random.Random, count: int) -> list[dict]:
    fields = []
    for _ in range(count):
        domain = rng.choice(sorted(PHI_FREE_SENTENCES))
        pool = PHI_FREE_SENTENCES[domain]
        fields.append({"text": " ".join(rng.sample(pool, k=min(len(pool), rng.randint(1, 4)))), "spans": []})
    return fields


def convert_handwritten(file_name: str) -> list[dict]:
    lines = (HERE / file_name).read_text(encoding="utf-8").splitlines()
    examples = [line.replace("\\n", "\n") for line in lines if line.strip() and not line.startswith("#")]
    return [parse_markup(example) for example in examples]


def write_jsonl(file_name: str, records: list[dict]) -> None:
    with (HERE / file_name).open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{file_name}: {len(records)} records")


def main() -> None:
    rng = random.Random(20261127)
    write_jsonl("generated_phi.jsonl", generate_phi_cases(rng, 450))
    write_jsonl("generated_phi_free.jsonl", generate_phi_free(rng, 300))
    write_jsonl("handwritten_phi.jsonl", convert_handwritten("handwritten_phi.txt"))
    write_jsonl("handwritten_phi_free.jsonl", convert_handwritten("handwritten_phi_free.txt"))


if __name__ == "__main__":
    main()
