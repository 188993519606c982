"""Case text written outside the project (benchmarks/independent/, its README gives provenance).

Writers who never saw the detector wrote ECHO case fields, clinician questions and tricky
snippets in the development set's markup.  The sets a reader has studied also train the tagger,
next to the synthetic corpus: they are the only text it learns from that nobody here wrote.  The
held-out sets (HELD_OUT) are never read for misses and never trained on, so their figures in
benchmarks/redaction.py stay the ones to trust.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
INDEPENDENT_DIR = ROOT / "benchmarks" / "independent"
KINDS = ("echo_fields", "questions", "tricky")
HELD_OUT = "bhlnptvz"  # set b of each kind; h, l, n, p, t, v and z, each written after a session's work and scored on first sight
STUDIED = "acdfgimosuxyABC"
PHI_FREE = ("phi_free", "ejk")  # 620 PHI-free case fields, studied
HELD_OUT_PHI_FREE = ("phi_free", "qrw")  # 600 PHI-free case fields as they usually read, held out


def load(kind: str, sets: str) -> list[dict]:
    """The texts of ``{kind}_{set}.txt`` for each set letter in ``sets``, as {"text", "spans"}."""
    sys.path.insert(0, str(ROOT / "tests" / "data" / "redaction"))
    from markup import parse_markup  # tests/data/redaction/markup.py

    records = []
    for letter in sets:
        path = INDEPENDENT_DIR / f"{kind}_{letter}.txt"
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()
            records += [parse_markup(line.replace("\\n", "\n")) for line in lines if line.strip()]
    return records


def studied() -> list[dict]:
    """Every studied text, the PHI-free set included; never a held-out one."""
    assert not set(STUDIED) & set(HELD_OUT) and not set(PHI_FREE[1]) & set(HELD_OUT_PHI_FREE[1])
    return [record for kind in KINDS for record in load(kind, STUDIED)] + load(*PHI_FREE)


def held_out() -> list[dict]:
    """Every held-out text, the held-out PHI-free fields included."""
    return [record for kind in KINDS for record in load(kind, HELD_OUT)] + load(*HELD_OUT_PHI_FREE)
