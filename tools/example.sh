#!/usr/bin/env bash
# Verity's main job on the bundled example knowledge base. Until the runner exists that is: check
# every document (against the example specs too), list and search them, show coverage of the
# specs, and check a saved response against its operation's schema.
set -euo pipefail
cd "$(dirname "$0")/.."
verity=build/release/src/verity
run() { printf '\n$ %s\n' "$*"; "$@"; }
# For commands whose findings are the point of the demo: report the exit code, keep going.
show() {
  printf '\n$ %s\n' "$*"
  local status=0
  "$@" || status=$?
  printf '(exit %d)\n' "$status"
}
run "$verity" kb lint examples/kb --spec-root examples/specs
run "$verity" kb ls examples/kb
run "$verity" kb search examples/kb "client package fallback" --limit 3
run "$verity" spec ls examples/specs/swagger
run "$verity" coverage --specs examples/specs/swagger --kb examples/kb
# The saved body is the example the real spec gives for this endpoint; it disagrees with the schema.
show "$verity" spec check examples/specs/swagger \
  "GET /business/payments/v1/client_packages/m73jkvg4bf2z71b2" 200 examples/responses/client_package.json
# The runner. There is no API to call yet (the mock server comes with `verity demo`), so this shows
# the configuration and the exact requests a run would send, tokens masked. The tokens below are
# the example mocks' fake demo values. The directory token is first left unset on purpose, and
# config check says so (exit 1); the dry run has both, since two recipes use the directory token.
export VERITY_EXAMPLE_STAFF_TOKEN=demo-staff-token
show "$verity" config check --config examples/verity.yaml
export VERITY_EXAMPLE_DIRECTORY_TOKEN=demo-directory-token
run "$verity" run --config examples/verity.yaml --dry-run
