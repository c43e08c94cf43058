#!/bin/sh
# Installs what the tests need, then runs the whole test suite:
# mypy --strict over packages, tests, fuzz harnesses and examples; pytest;
# a bounded fuzz run (FUZZ_SECONDS, default 60).
set -eu
cd "$(dirname "$0")"
PYTHON="${PYTHON:-python3}"
"$PYTHON" -m pip install --quiet --disable-pip-version-check -e '.[test]'
echo "== mypy --strict"
"$PYTHON" -m mypy --strict
echo "== pytest"
# No -q here: pyproject's addopts already has one, and -qq hides the "N passed" line.
"$PYTHON" -m pytest -p no:cacheprovider "$@"
echo "== fuzz (${FUZZ_SECONDS:-60} s)"
"$PYTHON" -m fuzz.run --seconds "${FUZZ_SECONDS:-60}"
