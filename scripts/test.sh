#!/usr/bin/env bash
# Install everything the tests need, then run the whole suite. Arguments go to pytest.
# SQLite by default; set TELEMENTOR_TEST_DATABASE_URL=postgresql://... to run on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)          # browser tests
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)    # reading certificate PDFs
# WeasyPrint subsets fonts with HarfBuzz when it can; without it, fontTools takes ~0.5 s per font.
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset\.so\.0' || missing+=(libharfbuzz-subset0)
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

python3 -m pip install -q --disable-pip-version-check -e '.[dev]'
if [ -f tests/icaljs/package-lock.json ] && command -v npm >/dev/null 2>&1; then
  npm ci --prefix tests/icaljs --silent --no-audit --no-fund
fi
# axe-core for the browser accessibility tests (tests/e2e/test_accessibility.py fails without it).
if [ -f tests/axe/package-lock.json ] && command -v npm >/dev/null 2>&1; then
  npm ci --prefix tests/axe --silent --no-audit --no-fund
fi
# One worker process per core (pytest-xdist), each with its own database: a SQLite file in its own
# temporary directory, or its own PostgreSQL database beside the one given (tests/conftest.py).
# TELEMENTOR_TEST_WORKERS=0 runs everything in this process.
exec python3 -m pytest -n "${TELEMENTOR_TEST_WORKERS:-auto}" --dist loadfile "$@"
