#!/usr/bin/env bash
# Verity's main job on the bundled example knowledge base. Until the runner exists that is: check
# every document, list them, and search them.
set -euo pipefail
cd "$(dirname "$0")/.."
verity=build/release/src/verity
run() { printf '\n$ %s\n' "$*"; "$@"; }
run "$verity" kb lint examples/kb
run "$verity" kb ls examples/kb
run "$verity" kb search examples/kb "client package fallback" --limit 3
