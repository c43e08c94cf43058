#!/bin/sh
# Installs what the tests need, then runs the whole test suite:
# mypy --strict over packages, tests, fuzz harnesses and examples; pytest;
# a bounded fuzz run (FUZZ_SECONDS, default 60).
set -eu
cd "$(dirname "$0")"
PYTHON="${PYTHON:-python3}"
# Editable in setuptools' strict mode: a link tree under build/ on a .pth path, which mypy
# follows (the default mode's import hook is invisible to mypy, so user code could not be
# type-checked against this install).  A module added later appears at the next run.
"$PYTHON" -m pip install --quiet --disable-pip-version-check -e '.[test]' --config-settings editable_mode=strict
echo "== mypy --strict"
"$PYTHON" -m mypy --strict
echo "== pytest"
# No -q here: pyproject's addopts already has one, and -qq hides the "N passed" line.
"$PYTHON" -m pytest -p no:cacheprovider "$@"
echo "== fuzz (${FUZZ_SECONDS:-60} s)"
"$PYTHON" -m fuzz.run --seconds "${FUZZ_SECONDS:-60}"
