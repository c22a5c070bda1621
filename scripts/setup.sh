#!/usr/bin/env bash
# The README's run command, first half: the workbench bundle, then munikg itself.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/workbench.sh
python3 -m pip install --quiet --disable-pip-version-check -e .
