"""The learned part of the PHI detector: its model, its corpus and the honesty of its evaluation."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pycrfsuite
import pytest

from app.redaction.lexicon import lexicon
from app.redaction.tagger import find_tagged, spans_of
from app.redaction.tagger_features import tokenize
from app.redaction.training.build import SEED, bio_labels
from app.redaction.training.corpus import fragments_of, make_corpus, template_id
from app.redaction.training.sources import TEST, TRAIN, pools

DATA = Path(__file__).resolve().parents[1] / "data" / "redaction"
HELD_OUT = DATA / "synthetic_test_half.jsonl"


def _held_out() -> list[dict]:
    with HELD_OUT.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def test_model_ships_inside_the_package_with_name_and_place_tags() -> None:
    model = files("app.redaction") / "data" / "phi_tagger.crfsuite"
    tagger = pycrfsuite.Tagger()

    tagger.open(str(model))

    assert set(tagger.labels()) == {"O", "B-NAME", "I-NAME", "B-LOCATION", "I-LOCATION"}


def test_tagger_finds_a_name_and_a_facility_on_no_list_and_in_no_training_pool() -> None:
    text = "Pt Zorvanta Quellinix was referred from Brakkenholt Recovery Center on Monday."
    words = ("zorvanta", "quellinix", "brakkenholt")
    listed = lexicon().first_names | lexicon().surnames | lexicon().places
    trained = {name.lower() for name in (*pools(TRAIN).first_names, *pools(TRAIN).surnames, *pools(TRAIN).towns)}
    assert [word for word in words if word in listed or word in trained] == []

    found = [(text[f.start : f.end], f.label, f.certainty) for f in find_tagged(text)]

    assert found == [
        ("Zorvanta Quellinix", "NAME", "likely"),
        ("Brakkenholt Recovery Center", "LOCATION", "likely"),
    ]


def test_tagger_leaves_redacted_placeholders_and_id_labels_alone() -> None:
    text = "Medicare [HEALTHPLAN], SS# [SSN]; seen by Dr. [NAME] at [LOCATION] on [DATE]."

    assert find_tagged(text) == []


def test_train_and_test_halves_share_no_name_place_facility_word_or_template() -> None:
    train, test = pools(TRAIN).named(), pools(TEST).named()

    overlaps = {kind: set(train[kind]) & set(test[kind]) for kind in train}
    train_frames, test_frames = fragments_of(TRAIN), fragments_of(TEST)

    assert {kind: shared for kind, shared in overlaps.items() if shared} == {}
    assert all(train[kind] and test[kind] for kind in train)
    assert {kind: set(train_frames[kind]) & set(test_frames[kind]) for kind in train_frames} == {
        "case_phi": set(),
        "case_free": set(),
        "question": set(),
    }
    # A word falls in one half whatever its role: a surname of one half is no town of the other.
    assert set(map(str.lower, train["surnames"])) & set(map(str.lower, test["towns"])) == set()


def test_held_out_file_is_written_from_test_half_frames_only() -> None:
    test_ids = {template_id(f) for frames in fragments_of(TEST).values() for f in frames}
    train_ids = {template_id(f) for frames in fragments_of(TRAIN).values() for f in frames}

    used = {template for record in _held_out() for template in record["templates"]}

    assert used <= test_ids
    assert used & train_ids == set()
    assert len(used) >= 40


def test_corpus_is_the_same_for_the_same_seed_and_reproduces_the_shipped_file() -> None:
    first = make_corpus(TEST, 60, 7)

    assert make_corpus(TEST, 60, 7) == first
    assert make_corpus(TEST, 60, 8) != first
    assert make_corpus(TEST, 60, SEED + 1) == _held_out()[:60]


def test_bio_labels_leave_commas_digits_and_titles_outside_runs() -> None:
    text = "Dr. Ruiz saw Lucero, Ana at 12 Oak St."
    spans = [[4, 8, "NAME"], [13, 24, "NAME"], [28, 37, "LOCATION"]]
    tokens = tokenize(text)

    labels = bio_labels(tokens, spans)

    assert labels == ["O", "O", "B-NAME", "O", "B-NAME", "O", "B-NAME", "O", "O", "B-LOCATION", "I-LOCATION", "O"]
    assert spans_of(tokens, labels) == [(4, 8, "NAME"), (13, 19, "NAME"), (21, 24, "NAME"), (31, 37, "LOCATION")]


@pytest.mark.parametrize("label", ["NAME", "LOCATION"])
def test_tagger_alone_catches_most_held_out_names_and_places(label: str) -> None:
    # The tagger without the rules, on names, places and frames it never saw.  A span counts when
    # the tagger flags 80% of its letters; the floors sit a few points under today's figures.
    floors = {"NAME": 0.66, "LOCATION": 0.58}
    gold = caught = 0
    for record in _held_out():
        text = record["text"]
        flagged = {p for f in find_tagged(text) for p in range(f.start, f.end)}
        for start, end, span_label in record["spans"]:
            letters = [p for p in range(start, end) if text[p].isalpha()]
            if span_label != label or not letters:
                continue
            gold += 1
            caught += sum(p in flagged for p in letters) / len(letters) >= 0.8

    assert gold >= 500
    assert caught / gold >= floors[label]


@pytest.mark.parametrize("text", [
    "Should he step up to a daily ICS-formoterol, and how do we make it work at school?",
    "Cirrhosis (Child-Pugh A) from chronic HCV genotype 2, ready to start treatment.",
    "Dx: Tavernier tumor (ICD-10 pending).",
    "Treatment options for Haverford's in a 48-year-old?",
    "PMH: HTN, DM2, Kessler Fall Risk Tool.",
])
def test_tagger_leaves_compound_terms_eponyms_and_instruments_alone(text: str) -> None:
    assert find_tagged(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Seen at Cedars-Sinai last week.", "Cedars-Sinai"),
    ("Her mother Yareli Quintanar-Batz called.", "Quintanar-Batz"),
    ("She was admitted to Tallgrass-Ewing on Monday.", "Tallgrass-Ewing"),
])
def test_tagger_still_tags_hyphenated_names_and_places(text: str, expected: str) -> None:
    tagged = [text[f.start:f.end] for f in find_tagged(text)]
    assert any(expected in span for span in tagged), tagged


def test_the_tagger_trains_on_studied_text_written_elsewhere_and_never_on_held_out_text() -> None:
    from app.redaction.training import independent

    studied = {record["text"] for record in independent.studied()}
    held_out = {record["text"] for record in independent.held_out()}
    assert len(studied) > 2000 and len(held_out) > 2000
    assert not set(independent.STUDIED) & set(independent.HELD_OUT)
    assert not studied & held_out  # no held-out text, even one written twice, reaches the model


@pytest.mark.parametrize("text", [
    "Presented at the GYOO ECHO session last month; hub suggested Flovent.",
    "• pt's dog bit the home health nurse so agency dropped him",
])
def test_the_tagger_reads_no_place_from_an_echo_program_nor_a_name_from_the_patient(text: str) -> None:
    assert find_tagged(text) == []
