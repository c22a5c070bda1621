#!/usr/bin/env bash
# Install what the tests need, then lint, type-check and run every test.
# This is the README's test command and exactly what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian packages the tests start: headless Chromium and its WebDriver (browser tests) and
# OpenLink Virtuoso's server binary (publish tests; the -bin package, without a system service).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
  || ! command -v virtuoso-t >/dev/null; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    chromium chromium-driver virtuoso-opensource-7-bin >/dev/null
fi
bash scripts/workbench.sh
python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
ruff check .
ruff format --check .
mypy src/
lint-imports  # the layering contract in pyproject.toml (docs/architecture.md)
python3 -m pytest "$@"
