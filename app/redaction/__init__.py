"""The PHI detector: pure Python plus python-crfsuite, no network, word lists and model shipped in ``data/``.

``find_phi(text)`` returns sorted, non-overlapping findings; ``redact(text, findings)`` replaces
them by placeholders such as ``[NAME]`` (an age over 89 becomes ``90+``), and redacted text is
never flagged again.  "certain" findings have a fixed shape (SSN, phone, record numbers ...);
"likely" ones (names, places, most dates) may be marked "not PHI" by the person who typed them.

Modules: ``detector`` runs the detectors and settles overlaps; ``identifiers`` (fixed shapes and
numbers behind a lead-in), ``dates`` (dates and ages over 89), ``names`` and ``name_runs``
(people), ``locations`` and ``facilities`` (places, facilities, employers) find candidates;
``lexicon`` and ``clinical_terms`` hold the word lists; ``scan`` holds what makes it fast.
``tagger`` (features in ``tagger_features``) adds a CRF's names and places beside the rules'; its
model is rebuilt from declared sources by ``python -m app.redaction.training.build``.
Measure with ``python benchmarks/redaction.py``; the development set is in tests/data/redaction/.
"""

from app.redaction.cli import format_findings
from app.redaction.detector import find_phi
from app.redaction.findings import CERTAIN_LABELS, LABELS, PhiFinding, placeholder, redact

__all__ = ["CERTAIN_LABELS", "LABELS", "PhiFinding", "find_phi", "format_findings", "placeholder", "redact"]
