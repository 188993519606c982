"""The detector on the whole development set (tests/data/redaction/): recall, precision, quiet.

Scoring lives in benchmarks/redaction.py so the test and the printed figures agree.  The
thresholds are what the detector meets today, with a little slack; lowering one needs a reason.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from app.redaction import LABELS, find_phi, redact

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "redaction.py"


def _benchmark():
    if "redaction_benchmark" not in sys.modules:
        spec = importlib.util.spec_from_file_location("redaction_benchmark", BENCHMARK)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules["redaction_benchmark"]


@pytest.fixture(scope="module")
def scores():
    return _benchmark().evaluate()


def test_devset_overall_span_recall_is_at_least_98_percent(scores) -> None:
    assert scores.recall() >= 0.98


@pytest.mark.parametrize("label", LABELS)
def test_devset_span_recall_per_label_is_at_least_95_percent(scores, label: str) -> None:
    assert scores.gold[label] > 0, f"the development set has no {label} example"
    assert scores.recall(label) >= 0.95


def test_devset_character_precision_is_at_least_95_percent(scores) -> None:
    assert scores.precision() >= 0.95


def test_devset_flags_at_most_2_percent_of_phi_free_fields(scores) -> None:
    assert scores.free_fields >= 400
    assert scores.free_flag_rate() <= 0.02


def test_devset_redacted_text_has_nothing_left_to_find() -> None:
    # A text the user redacted with one click must pass the check: placeholders such as "[NAME]"
    # and the age bucket "90+" are never findings themselves.
    texts = [record["text"] for record in _benchmark().load(_benchmark().PHI_FILES)]

    leftovers = [redact(text, find_phi(text)) for text in texts]

    assert [text for text in leftovers if find_phi(text)] == []
