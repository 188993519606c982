"""Measure the PHI detector on the development set in tests/data/redaction/.

    python benchmarks/redaction.py [--misses]

Prints, per label and overall: span recall (a gold span counts as caught when findings of any
label cover at least COVERAGE of its characters; "label recall" also requires the right label),
character precision (flagged characters that lie inside gold spans), the share of PHI-free fields
with any finding, and throughput in MB/s on one core.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.redaction import LABELS, find_phi

DATA_DIR = ROOT / "tests" / "data" / "redaction"
PHI_FILES = ("generated_phi.jsonl", "handwritten_phi.jsonl")
PHI_FREE_FILES = ("generated_phi_free.jsonl", "handwritten_phi_free.jsonl")
COVERAGE = 0.8
THROUGHPUT_BYTES = 2_000_000
THROUGHPUT_RUNS = 3
JOINED_FIELDS = 20


@dataclass
class Scores:
    gold: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    caught: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    caught_with_label: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    flagged_chars: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    true_chars: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    free_fields: int = 0
    characters: int = 0
    texts: int = 0
    free_fields_flagged: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    false_alarms: list[tuple[str, str, str]] = field(default_factory=list)

    def recall(self, label: str | None = None, *, with_label: bool = False) -> float:
        counts = self.caught_with_label if with_label else self.caught
        numerator = sum(counts.values()) if label is None else counts[label]
        denominator = sum(self.gold.values()) if label is None else self.gold[label]
        return numerator / denominator if denominator else 1.0

    def precision(self, label: str | None = None) -> float:
        flagged = sum(self.flagged_chars.values()) if label is None else self.flagged_chars[label]
        true = sum(self.true_chars.values()) if label is None else self.true_chars[label]
        return true / flagged if flagged else 1.0

    @property
    def mean_length(self) -> float:
        return self.characters / self.texts if self.texts else 0.0

    def free_flag_rate(self) -> float:
        return self.free_fields_flagged / self.free_fields if self.free_fields else 0.0


def load(file_names: tuple[str, ...]) -> list[dict]:
    records = []
    for file_name in file_names:
        with (DATA_DIR / file_name).open(encoding="utf-8") as lines:
            records.extend(json.loads(line) for line in lines if line.strip())
    return records


def score_record(scores: Scores, record: dict) -> None:
    text = record["text"]
    findings = find_phi(text)
    scores.characters += len(text)
    scores.texts += 1
    covered_by: list[str | None] = [None] * len(text)
    for finding in findings:
        for position in range(finding.start, finding.end):
            covered_by[position] = finding.label
    gold_chars = set()
    for start, end, label in record["spans"]:
        gold_chars.update(range(start, end))
        scores.gold[label] += 1
        covered = [covered_by[p] for p in range(start, end) if not text[p].isspace()]
        hits = [c for c in covered if c is not None]
        if covered and len(hits) / len(covered) >= COVERAGE:
            scores.caught[label] += 1
            scores.caught_with_label[label] += hits.count(label) / len(covered) >= COVERAGE
        else:
            scores.misses.append((label, text[start:end], text))
    for finding in findings:
        scores.flagged_chars[finding.label] += finding.end - finding.start
        true = sum(1 for p in range(finding.start, finding.end) if p in gold_chars)
        scores.true_chars[finding.label] += true
        if true == 0:
            scores.false_alarms.append((finding.label, text[finding.start : finding.end], text))
    if not record["spans"]:
        scores.free_fields += 1
        scores.free_fields_flagged += bool(findings)


def evaluate() -> Scores:
    scores = Scores()
    for record in load(PHI_FILES) + load(PHI_FREE_FILES):
        score_record(scores, record)
    return scores


def throughput_mb_per_s(fields_per_text: int = 1) -> float:
    """Best of THROUGHPUT_RUNS passes over about 2 MB, in CPU seconds of this process (so other
    work on a shared machine disturbs the figure less).  ``fields_per_text`` > 1 joins fields into
    longer texts, like a whole case presentation checked at once."""
    fields = [record["text"] for record in load(PHI_FILES) + load(PHI_FREE_FILES)]
    texts = ["\n".join(fields[i : i + fields_per_text]) for i in range(0, len(fields), fields_per_text)]
    find_phi("warm-up so the word lists are loaded")
    batch, size = [], 0
    while size < THROUGHPUT_BYTES:
        for text in texts:
            batch.append(text)
            size += len(text.encode("utf-8"))
    best = float("inf")
    for _ in range(THROUGHPUT_RUNS):
        started = time.process_time()
        for text in batch:
            find_phi(text)
        best = min(best, time.process_time() - started)
    return size / 1_000_000 / best


def print_report(scores: Scores, mb_per_s: float, mb_per_s_joined: float) -> None:
    print(f"{'label':<11}{'gold':>6}{'recall':>9}{'lbl-rec':>9}{'flagged':>9}{'char-prec':>11}")
    for label in LABELS:
        if scores.gold[label] or scores.flagged_chars[label]:
            print(
                f"{label:<11}{scores.gold[label]:>6}{scores.recall(label):>9.3f}"
                f"{scores.recall(label, with_label=True):>9.3f}{scores.flagged_chars[label]:>9}{scores.precision(label):>11.3f}"
            )
    print(
        f"{'OVERALL':<11}{sum(scores.gold.values()):>6}{scores.recall():>9.3f}"
        f"{scores.recall(with_label=True):>9.3f}{sum(scores.flagged_chars.values()):>9}{scores.precision():>11.3f}"
    )
    print(f"PHI-free fields flagged: {scores.free_fields_flagged}/{scores.free_fields} = {scores.free_flag_rate():.3f}")
    print(f"throughput: {mb_per_s:.2f} MB/s (one core, field by field, fields average {scores.mean_length:.0f} chars)")
    print(f"throughput: {mb_per_s_joined:.2f} MB/s (one core, {JOINED_FIELDS} fields joined per text)")


def main() -> None:
    scores = evaluate()
    print_report(scores, throughput_mb_per_s(), throughput_mb_per_s(JOINED_FIELDS))
    if "--misses" in sys.argv:
        for label, snippet, text in scores.misses:
            print(f"MISS {label:<10} {snippet!r:<40} in {text[:160]!r}")
        for label, snippet, text in scores.false_alarms:
            print(f"FALSE {label:<9} {snippet!r:<40} in {text[:160]!r}")


if __name__ == "__main__":
    main()
