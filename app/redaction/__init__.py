"""The PHI detector: pure Python, no network, data files shipped in ``data/``.

``find_phi(text)`` returns sorted, non-overlapping findings; ``redact(text, findings)`` replaces
them by placeholders such as ``[NAME]`` (an age over 89 becomes ``90+``).
"""

from app.redaction.cli import format_findings
from app.redaction.detector import find_phi
from app.redaction.findings import (
    CERTAIN_LABELS,
    LABELS,
    PhiFinding,
    placeholder,
    redact,
)

__all__ = ["CERTAIN_LABELS", "LABELS", "PhiFinding", "find_phi", "format_findings", "placeholder", "redact"]
