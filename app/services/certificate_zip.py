"""A session's certificates as a ZIP, streamed: stored PDFs are written out as they are read (one
query, a few rows at a time), so the first bytes leave at once and memory does not grow with the
session. Certificates whose PDF is not stored yet are rendered in the warm render processes at
the end of the archive and stored; any that cannot be rendered are named in NOT-INCLUDED.txt
inside the archive, never silently left out.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterator

from sqlmodel import Session

from app.db import utcnow
from app.models import Certificate, EchoSession
from app.services import certificate_files
from app.services.certificates import certificates_of_session, file_name

log = logging.getLogger("telementor.certificates")

# Certificates rendered (and stored) per batch when a ZIP finds them missing.
RENDER_CHUNK = 50
NOT_INCLUDED = "NOT-INCLUDED.txt"


class _Chunks:
    """A write-only file for zipfile: it keeps what was written until taken. zipfile sees that it
    cannot seek and writes each entry's sizes after its data, as streamed ZIPs do."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def session_zip(db: Session, session: EchoSession, *, base_url: str, workers: int | None = None) -> Iterator[bytes]:
    """The ZIP of every valid certificate of the session, one PDF per learner named after them,
    as an iterator of byte chunks. The list is read now (in the caller's session); the PDFs are
    read while the archive streams, in a session of its own."""
    valid = [c for c in certificates_of_session(db, session) if not c.revoked]
    taken: set[str] = set()
    names = {c.id: file_name(c.learner_name, taken) for c in valid}
    return _stream(Session(db.get_bind(), expire_on_commit=False), valid, names, base_url=base_url, workers=workers)


def _stream(reader: Session, valid: list[Certificate], names: dict[int, str], *, base_url: str,
            workers: int | None) -> Iterator[bytes]:
    sink = _Chunks()
    archive = zipfile.ZipFile(sink, "w", zipfile.ZIP_STORED)  # PDFs are compressed already
    stamp = utcnow().timetuple()[:6]
    with reader:
        written: set[int] = set()
        for certificate_id, pdf in certificate_files.stored_pdfs(reader, list(names)):
            archive.writestr(zipfile.ZipInfo(names[certificate_id], stamp), pdf)
            written.add(certificate_id)
            yield sink.take()
        missing = [c for c in valid if c.id not in written]
        not_included: list[tuple[Certificate, str]] = []
        for start in range(0, len(missing), RENDER_CHUNK):
            chunk = missing[start:start + RENDER_CHUNK]
            pdfs = certificate_files.render_many(reader, chunk, base_url=base_url, workers=workers)
            rendered = [(c, pdf) for c, pdf in zip(chunk, pdfs, strict=True) if isinstance(pdf, bytes)]
            certificate_files.store(reader, rendered)
            reader.commit()
            for certificate, pdf in zip(chunk, pdfs, strict=True):
                if isinstance(pdf, bytes):
                    archive.writestr(zipfile.ZipInfo(names[certificate.id], stamp), pdf)
                    yield sink.take()
                else:
                    log.warning("session ZIP: certificate %s left out: %s", certificate.id, pdf)
                    not_included.append((certificate, "its PDF could not be rendered"))
        if not_included:
            lines = [f"{c.learner_name}\t{c.code}\t{reason}" for c, reason in not_included]
            report = ("These certificates are valid but their PDFs are not in this archive; download them "
                      "one by one or try again later:\n" + "\n".join(lines) + "\n")
            archive.writestr(zipfile.ZipInfo(NOT_INCLUDED, stamp), report.encode("utf-8"))
    archive.close()
    yield sink.take()
