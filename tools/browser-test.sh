#!/usr/bin/env bash
# The dashboard's browser tests (tests/browser/): real Chromium (Debian's package) driven by
# playwright-core, against `verity serve` and two mocks of the example API, all started by the
# tests on loopback. Installs what is missing first: chromium with apt-get, the npm packages with
# `npm ci` (the lock file pins them). Screenshots go to build/browser-artifacts/ (BROWSER_ARTIFACTS
# overrides). VERITY_BINARY names the binary under test (default build/release/src/verity).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "browser-test: installing chromium (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
command -v node >/dev/null || { echo "browser-test: node is missing (Node 20 or later)" >&2; exit 1; }

# npm ci again only when the installed playwright-core is not the pinned one.
installed_matches() {
  node -e '
    const fs = require("fs");
    const want = require("./tests/browser/package.json").devDependencies["playwright-core"];
    const file = "tests/browser/node_modules/playwright-core/package.json";
    process.exit(fs.existsSync(file) && JSON.parse(fs.readFileSync(file, "utf8")).version === want ? 0 : 1);'
}
if ! installed_matches; then
  echo "browser-test: npm ci in tests/browser"
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

export VERITY_BINARY=${VERITY_BINARY:-$root/build/release/src/verity}
export BROWSER_ARTIFACTS=${BROWSER_ARTIFACTS:-$root/build/browser-artifacts}
export CHROMIUM=$chromium
if [ ! -x "$VERITY_BINARY" ]; then
  echo "browser-test: no verity binary at $VERITY_BINARY (build first, or set VERITY_BINARY)" >&2
  exit 1
fi
mkdir -p "$BROWSER_ARTIFACTS"

echo "browser-test: $("$chromium" --version 2>/dev/null | head -1), node $(node --version), verity $VERITY_BINARY"
status=0
(cd tests/browser && node --test --test-concurrency=1 --test-reporter=spec ./*.test.mjs) || status=$?
echo
if [ "$status" -eq 0 ]; then
  echo "browser-test: all browser tests passed; screenshots in $BROWSER_ARTIFACTS"
else
  echo "browser-test: FAILED (exit $status); screenshots of where each test stopped in $BROWSER_ARTIFACTS" >&2
fi
exit "$status"
