"""How long certificates take: one batched document for a whole session versus one document per
certificate. Prints its figures; run with `python benchmarks/certificates.py [--learners 500]`.
With --service (--learners 200), the PDFs as the service stores and serves them: first byte of a
session ZIP, a single download and a 150-certificate transcript over HTTP (certificates_service.py).

The batch is timed twice: in this one process (its CPU time is the cost of the work), and as the
service renders it, in worker processes (one per CPU, at most 4; wall time, with the workers
already started, and once more including their start). The per-document figure is measured on a
sample and extrapolated (the output says so). Wall time on a shared machine moves with its load,
so CPU time of this process is printed beside it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

# Run as a script, Python puts benchmarks/ first on the path, where a sibling script's name (such
# as calendar.py) would shadow the standard library module; import from the repository root.
BENCHMARKS_DIR = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCHMARKS_DIR]
sys.path.insert(0, str(BENCHMARKS_DIR.parent))

from weasyprint.text.ffi import harfbuzz_subset  # noqa: E402

from app.exports import pdf, pdf_workers  # noqa: E402
from app.exports.pdf_engine import Renderer, _thread_state, write_pdf  # noqa: E402

PROVIDER = "University Health Sciences Center"
# A session's mix: mostly physicians, some nurses, a few other professions, a few revoked.
CREDIT_MIX = ("ama_pra_1",) * 7 + ("nursing",) * 2 + ("participation",)


def sample_certificates(count: int) -> list[pdf.CertificateData]:
    certificates = []
    for index in range(count):
        credit_type = CREDIT_MIX[index % len(CREDIT_MIX)]
        kind = "ama_pra_1" if credit_type == "participation" else credit_type
        statements = pdf.default_statements(PROVIDER, kind, Decimal("52"))
        code = f"Q{index:05d}-7KX2-M9PD"
        certificates.append(pdf.CertificateData(
            code=code, learner_name=f"Learner {index} Hernández-Okafor",
            learner_degree={"nursing": "RN"}.get(credit_type, "MD"),
            activity_title="Hepatitis C ECHO: Treatment in Primary Care",
            activity_type="Live activity, regularly scheduled series",
            session_date=date(2026, 3, 4), session_topic="Drug interactions of DAAs",
            credit_type=credit_type, credits=Decimal("1.25"), provider_name=PROVIDER,
            provider_address="1 Medical Center Drive, Albuquerque, NM 87131",
            accreditation_statement=statements.accreditation,
            designation_statement=statements.designation,
            verify_url=f"https://telementor.example.org/verify/{code}",
            issued_on=date(2026, 3, 6), revoked=index % 50 == 49))
    return certificates


def timed(action: Callable[[], object]) -> tuple[object, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def measure_batch(certificates: list[pdf.CertificateData], workers: int) -> tuple[list[bytes], float, float]:
    parts, wall, cpu = timed(lambda: pdf.render_certificates_batch(certificates, workers=workers))
    return parts, wall, cpu


def measure_batch_in_workers(certificates: list[pdf.CertificateData], workers: int) -> tuple[float, float]:
    """Wall seconds with freshly started workers, then with warm ones (as in a running server,
    where a worker that finished a batch has been replaced by a warm one long before the next)."""
    pdf_workers.pool.shutdown()
    _, cold_wall, _ = timed(lambda: pdf.render_certificates_batch(certificates, workers=workers))
    time.sleep(3)  # the replacement workers start and warm up
    _, warm_wall, _ = timed(lambda: pdf.render_certificates_batch(certificates, workers=workers))
    return cold_wall, warm_wall


def measure_batch_phases(certificates: list[pdf.CertificateData]) -> dict[str, float]:
    """The same steps render_certificates_batch takes, timed one by one (CPU seconds)."""
    pages, _, plan = timed(lambda: pdf.plan_batch(certificates))
    document, _, layout = timed(lambda: pdf.lay_out_certificates(pages, "Certificates"))
    _, _, write_and_split = timed(lambda: pdf.split_batch(document, pages, certificates))
    _, _, write = timed(lambda: write_pdf(document))
    return {"data + QR codes": plan, "layout": layout, "PDF writing": write,
            "splitting": write_and_split - write}


def measure_single(certificates: list[pdf.CertificateData], *, cold: bool) -> tuple[float, float]:
    """Seconds per certificate, rendering each as its own document. Cold: a new renderer (fonts
    loaded and stylesheets parsed again) per certificate, as code without sharing would do."""
    wall = cpu = 0.0
    for certificate in certificates:
        if cold:
            _thread_state.renderer = Renderer()
        _, one_wall, one_cpu = timed(lambda one=certificate: pdf.render_certificate(one))
        wall, cpu = wall + one_wall, cpu + one_cpu
    return wall / len(certificates), cpu / len(certificates)


def print_report(learners: int, sample: int, cold_sample: int) -> None:
    certificates = sample_certificates(learners)
    workers = pdf_workers.default_workers()
    chunks = pdf_workers.chunk_count(learners, workers)
    pdf.render_certificates_batch(certificates[:3])  # warm up: fonts, stylesheets, imports
    parts, batch_wall, batch_cpu = measure_batch(certificates, workers=1)
    phases = measure_batch_phases(certificates)
    workers_first_wall, workers_wall = measure_batch_in_workers(certificates, workers)
    pdf_workers.pool.shutdown()
    warm_wall, warm_cpu = measure_single(certificates[:sample], cold=False)
    single_size = len(pdf.render_certificate(certificates[0]))
    cold_wall, cold_cpu = measure_single(certificates[:cold_sample], cold=True)
    _thread_state.renderer = Renderer()

    per = 1000 / learners
    print(f"Certificates: {learners} learners, credit types {dict(_mix(certificates))}, "
          f"{sum(c.revoked for c in certificates)} revoked")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; font subsetting by "
          f"{'HarfBuzz' if harfbuzz_subset else 'fontTools (install libharfbuzz-subset0 for HarfBuzz)'}")
    print(f"batched in one process, one document split into {len(parts)} PDFs: {batch_wall:.2f} s wall "
          f"({batch_cpu:.2f} s CPU) = {batch_wall * per:.1f} ms/certificate wall, "
          f"{batch_cpu * per:.1f} ms CPU")
    print("  per certificate, CPU: " + ", ".join(
        f"{name} {seconds * per:.1f} ms" for name, seconds in phases.items()))
    print(f"  size per PDF: median {statistics.median(map(len, parts)) / 1024:.0f} KiB "
          f"(single-document render: {single_size / 1024:.0f} KiB)")
    if chunks > 1:
        print(f"batched in {chunks} worker processes (one batched document each), as the service does: "
              f"{workers_wall:.2f} s wall = {workers_wall * per:.1f} ms/certificate with the workers "
              f"running; {workers_first_wall:.2f} s for the first batch, which starts them")
    else:
        print(f"worker processes: none ({workers} CPU(s) available or a batch too small to share)")
        workers_wall = batch_wall
    print(f"one document per certificate, shared fonts and stylesheets (render_certificate): "
          f"{warm_wall * 1000:.1f} ms wall ({warm_cpu * 1000:.1f} ms CPU) per certificate, "
          f"timed on a sample of {sample} and extrapolated to {learners}: "
          f"{warm_wall * learners:.1f} s wall")
    print(f"one document per certificate, cold (fonts and stylesheets reloaded each time): "
          f"{cold_wall * 1000:.1f} ms wall ({cold_cpu * 1000:.1f} ms CPU), sample of "
          f"{cold_sample} extrapolated to {learners}: {cold_wall * learners:.1f} s wall")
    print(f"speed-up of batching in one process, CPU: {warm_cpu * learners / batch_cpu:.1f}x over shared "
          f"single documents, {cold_cpu * learners / batch_cpu:.1f}x over cold ones (target 10x)")
    print(f"speed-up as the service renders (workers running), wall: {warm_wall * learners / workers_wall:.1f}x "
          f"over shared single documents, {cold_wall * learners / workers_wall:.1f}x over cold ones "
          f"(single documents rendered one after another in one process)")
    budget = 10 * learners / 500
    print(f"target {learners} certificates in under {budget:.0f} s batched: "
          f"{'met' if batch_wall < budget else 'NOT met'} in one process, "
          f"{'met' if workers_first_wall < budget else 'NOT met'} in worker processes (first batch)")


def _mix(certificates: list[pdf.CertificateData]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for certificate in certificates:
        counts[certificate.credit_type] = counts.get(certificate.credit_type, 0) + 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--sample", type=int, default=50,
                        help="certificates rendered one document each, then extrapolated")
    parser.add_argument("--cold-sample", type=int, default=10)
    parser.add_argument("--service", action="store_true",
                        help="instead: stored PDFs served over HTTP (ZIP first byte, one download, a transcript)")
    parser.add_argument("--transcript-rows", type=int, default=150)
    parser.add_argument("--postgres", help="with --service: a PostgreSQL server URL; a scratch database is "
                                           "created on it and dropped afterwards (default: a SQLite file)")
    arguments = parser.parse_args()
    if arguments.service:
        from benchmarks.certificates_service import report

        report(arguments.learners, arguments.transcript_rows, arguments.postgres)
        return
    print_report(arguments.learners, arguments.sample, arguments.cold_sample)


if __name__ == "__main__":
    main()
