#!/usr/bin/env bash
# The site's workbench (SPARQL editor, result views, map): its npm packages installed exactly
# as frontend/package-lock.json pins them, then bundled into src/munikg/serve/static/vendor/
# (generated, not committed; the wheel carries it).
set -euo pipefail
cd "$(dirname "$0")/../frontend"
npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
