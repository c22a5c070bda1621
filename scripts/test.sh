#!/usr/bin/env bash
# Install what the tests need, then lint, type-check and run every test.
# This is the README's test command and exactly what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
ruff check .
ruff format --check .
mypy src/
python3 -m pytest "$@"
