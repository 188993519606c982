"""Score the PHI detector on generic PII text made with Faker, like the generic synthetic PII
corpora the issue names: one value of one kind (a name, a street address, a phone number in a
locale's own form, a user name ...) in a short sentence.

    python benchmarks/generic_pii.py [--seed N] [--count N] [--locales en_US,en_GB] [--misses]

The sentence frames come in two halves.  STUDIED frames are those whose misses were read while
the rules for generic PII were written (#10): three rounds of frames, each read only after the
rules of the round before were in; HELD_OUT frames were written after the last round and only
ever scored, never read for misses.  The gap between the two is what the rules learnt of the frames rather than of
the values.  Values come from Faker's providers (MIT), never from the
detector's own lists; a value counts as caught when findings cover COVERAGE of its letters and
digits, as in benchmarks/redaction.py.
"""

from __future__ import annotations

import random
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from faker import Faker  # noqa: E402

from app.redaction import find_phi  # noqa: E402

COVERAGE = 0.8
US_LOCALES = ("en_US",)
ALL_LOCALES = ("en_US", "en_US", "en_US", "en_GB", "en_CA", "es_MX", "de_DE", "fr_FR", "it_IT", "en_IN",
               "pt_BR", "nl_NL")
DATE_FORMATS = ("%m/%d/%Y", "%B %d, %Y", "%d %b %Y", "%Y-%m-%d", "%d.%m.%Y")

VALUES: dict[str, Callable[[Faker, random.Random], str]] = {
    "name": lambda fake, rng: fake.name(),
    "first": lambda fake, rng: fake.first_name(),
    "last": lambda fake, rng: fake.last_name(),
    "street": lambda fake, rng: fake.street_address(),
    "city": lambda fake, rng: fake.city(),
    "postcode": lambda fake, rng: fake.postcode(),
    "address": lambda fake, rng: fake.address().replace("\n", ", "),
    "phone": lambda fake, rng: fake.phone_number(),
    "email": lambda fake, rng: fake.email(),
    "ssn": lambda fake, rng: fake.ssn(),
    "card": lambda fake, rng: fake.credit_card_number(),
    "iban": lambda fake, rng: fake.iban(),
    "ipv4": lambda fake, rng: fake.ipv4(),
    "ipv6": lambda fake, rng: fake.ipv6(),
    "mac": lambda fake, rng: fake.mac_address(),
    "url": lambda fake, rng: fake.url(),
    "user": lambda fake, rng: fake.user_name(),
    "birth": lambda fake, rng: fake.date_of_birth().strftime(rng.choice(DATE_FORMATS)),
    "passport": lambda fake, rng: (fake.passport_number() if hasattr(fake, "passport_number")
                                   else fake.bothify("?########")),
    "plate": lambda fake, rng: fake.license_plate(),
    "company": lambda fake, rng: fake.company(),
}

STUDIED = {
    "name": ["Patient {} was seen today.", "Spoke with {} about the plan.", "{} reports worse pain.",
             "Caller: {}", "Referred to us by {}, her PCP.", "Emergency contact is {}.",
             "I am writing on behalf of {}, who asked me to.", "Name: {}", "The form was signed by {} yesterday.",
             "Interpreter requested by {} for the next visit.", "Per {}, the pharmacy was closed.",
             "We got a voicemail from {} this morning."],
    "first": ["Her daughter {} drives her.", "{} missed two visits.", "Son {} is the caregiver.",
              "Please ask {} to bring her pill bottles.", "Her roommate {} found her on the floor.",
              "Her grandson {} translates at visits.", "Ask for {} at the front desk."],
    "last": ["Mr. {} is stable.", "The {} family asked for an interpreter.", "Ms. {} called back.",
             "Dear Dr. {},", "Please forward the notes to Mrs. {} today.",
             "Seen with her neighbor, Mr. {}, present.", "Chart shows the {} household has no phone."],
    "street": ["Home address: {}.", "He lives at {} with his mother.", "Moved to {} last spring.",
               "Please send the kit to {}.", "Her new place is at {}, second floor.",
               "Patient now stays at {} with a cousin.", "Delivery address changed to {}."],
    "city": ["She drives in from {} every week.", "Lives in {} with her husband.", "Born in {}.",
             "The family recently moved to {}.", "He works construction in {} during the week.",
             "Her sister in {} takes her on weekends.", "Originally from {}, moved here in May."],
    "postcode": ["Postal code {}.", "ZIP {}", "postcode: {}", "Zip code: {}", "Her postal code is {}.",
                 "Mailing zip {} per the intake form.", "Lives in postal area {}."],
    "address": ["Address on file: {}.", "Mail to {}", "Lives at {}.", "Shipping address: {}",
                "They rent a house at {} now.", "Forwarding address is {}.", "Home: {}"],
    "phone": ["Call back at {}.", "Phone: {}", "Her cell is {} if anything changes.",
              "You can reach her daughter at {}.", "Tel.: {}", "Mobile number {}, texts are fine.",
              "Best number: {}", "Pharmacy called from {} about the refill."],
    "email": ["Email {} with the results.", "Contact: {}", "Her e-mail address is {}.",
              "Send the forms to {} please.", "Reply to {} with questions.", "E-mail on file {}"],
    "ssn": ["SSN {}", "Social security number: {}.", "SSN: {} (verified)", "His social is {}.",
            "Last SSN on file was {}.", "SSN# {}"],
    "card": ["Card on file {}.", "Paid with credit card {}.", "The copay went on card {}.",
             "Credit card number: {}", "Visa ending in a full number {} was charged.", "Pays with {} each month."],
    "iban": ["Bank account {} for reimbursement.", "IBAN: {}", "Please refund to account {}.",
             "Her bank details: IBAN {}", "Reimburse via IBAN {} when approved.", "Account (IBAN) {}"],
    "ipv4": ["Logged in from {}.", "Device IP {}", "The portal flagged a login from IP address {}.",
             "Access log shows {} at noon.", "Telehealth call dropped, client IP {}.",
             "Portal access from {} was blocked."],
    "ipv6": ["Connected from {}", "IPv6 address {}.", "The last session came from {}.", "IP: {}",
             "Video visit connected over {}.", "Source address {} in the audit log."],
    "mac": ["Pump MAC {}.", "Monitor address {}", "The CGM receiver has MAC address {}.",
            "Device hardware address: {}", "Glucometer {} paired to her phone.", "Router MAC is {}."],
    "url": ["Her blog is {}", "See {} for the photos.", "Her fundraiser page is at {}.", "Profile: {}",
            "Photos were posted at {}.", "Link: {}"],
    "user": ["Portal username {}.", "She posts as @{} on social media.", "Her login is {}.", "Username: {}",
             "Her screen name is {}.", "Logs in to the app as {}."],
    "birth": ["DOB {}.", "Date of birth: {}", "Born {}.", "She was born on {}.", "D.O.B.: {}",
              "Birthdate {} per the ID.", "DOB: {} (confirmed)"],
    "passport": ["Passport number {}.", "Passport # {}", "His passport no. is {}.", "Passport: {}",
                 "Travel document (passport) {} on file.", "passport no {}"],
    "plate": ["Drives a car with plate {}.", "License plate: {}", "The van's plate number is {}.",
              "Tag {} was seen in the lot.", "Car tag {} was towed.", "The plate on her truck reads {}."],
    "company": ["Works at {} as a cashier.", "Employer: {}.", "She cleans offices for {}.",
                "His employer, {}, cut his hours.", "He drives for {} at night.",
                "Insured through her job at {}."],
}

HELD_OUT = {
    "name": ["Her surrogate decision maker is {}.", "Seen together with her husband, {}.",
             "Message left for {} at home."],
    "first": ["Niece {} helps with insulin at night.", "Thanks, {}, for the update."],
    "last": ["Called the {} residence twice, no answer.", "Plan discussed with Dr. {} on rounds."],
    "street": ["She gave her address as {}.", "The shelter on {} has a bed for him."],
    "city": ["He grew up in {} and still has family there.", "Travelled to {} for the funeral."],
    "postcode": ["The letter came back; zip was {}.", "Area postcode {} per her form."],
    "address": ["New mailing address: {}.", "Please update her address to {}."],
    "phone": ["Daughter's number is {}.", "Leave a message on {} after 5."],
    "email": ["Please cc {} on the letter.", "Her contact e-mail: {}"],
    "ssn": ["Verified SSN {} with the patient.", "social security no. {}"],
    "card": ["Charged the card ending {}.", "CC# {}"],
    "iban": ["Direct deposit to IBAN {}.", "Refund sent to {} (IBAN)."],
    "ipv4": ["Video visit originated from {}.", "Blocked address: {}"],
    "ipv6": ["Session source {} flagged.", "Her router's v6 address is {}."],
    "mac": ["Pump reported MAC {} at pairing.", "Hardware ID {}"],
    "url": ["She shares updates on {}.", "Fundraiser: {}"],
    "user": ["Telehealth account user name {}.", "Her portal login is {}."],
    "birth": ["Date of birth {} (per ID).", "She was born {} in the county hospital."],
    "passport": ["Passport No. {} was copied for the file.", "Her passport number {} expires soon."],
    "plate": ["Parking log: plate {}.", "His license plate is {}."],
    "company": ["She works the night shift at {}.", "Benefits come through {}."],
}


def make_texts(
    frames: dict[str, list[str]], locales: tuple[str, ...], count: int, seed: int
) -> list[tuple[str, str, int, int]]:
    """(kind, text, start, end) of ``count`` sentences, each with one value of one kind."""
    rng = random.Random(seed)
    fakers = {}
    texts = []
    for _ in range(count):
        kind = rng.choice(sorted(frames))
        locale = rng.choice(locales)
        if locale not in fakers:
            fakers[locale] = Faker(locale)
            fakers[locale].seed_instance(seed * 1000 + len(fakers))
        value = VALUES[kind](fakers[locale], rng)
        frame = rng.choice(frames[kind])
        text = frame.format(value)
        start = frame.index("{}")
        texts.append((kind, text, start, start + len(value)))
    return texts


def score(texts: list[tuple[str, str, int, int]]) -> tuple[Counter, Counter, dict[str, list[str]]]:
    gold, caught, misses = Counter(), Counter(), defaultdict(list)
    for kind, text, start, end in texts:
        findings = find_phi(text)
        flagged = [any(f.start <= i < f.end for f in findings) for i in range(len(text))]
        letters = [i for i in range(start, end) if text[i].isalnum()]
        gold[kind] += 1
        if letters and sum(flagged[i] for i in letters) >= COVERAGE * len(letters):
            caught[kind] += 1
        else:
            misses[kind].append(text)
    return gold, caught, misses


def report(title: str, gold: Counter, caught: Counter, misses: dict[str, list[str]], *, show_misses: bool) -> None:
    total = sum(gold.values())
    print(f"\n{title}: span recall {sum(caught.values()) / total:.3f} over {total} values")
    for kind in sorted(gold, key=lambda kind: (caught[kind] / gold[kind], kind)):
        print(f"  {kind:9s} {caught[kind]:4d}/{gold[kind]:<4d} {caught[kind] / gold[kind]:.2f}")
        if show_misses:
            for text in misses[kind][:5]:
                print(f"      {text!r}")


def main() -> None:
    args = sys.argv[1:]
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 1
    count = int(args[args.index("--count") + 1]) if "--count" in args else 1500
    locale_sets = ([("chosen locales", tuple(args[args.index("--locales") + 1].split(",")))] if "--locales" in args
                   else [("en_US", US_LOCALES), ("twelve locales", ALL_LOCALES)])
    for half, frames in (("held-out frames", HELD_OUT), ("studied frames", STUDIED)):
        for name, locales in locale_sets:
            # Misses are shown for the studied frames only: the held-out ones stay unread.
            show = "--misses" in args and frames is STUDIED
            report(f"generic PII, {half}, {name}, seed {seed}", *score(make_texts(frames, locales, count, seed)),
                   show_misses=show)


if __name__ == "__main__":
    main()
