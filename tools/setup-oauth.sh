#!/usr/bin/env bash
# Installs the OAuth2 server the token-lifecycle test starts (tests/oauth/package.json, pinned by
# its lock: oauth2-mock-server) into tests/oauth/node_modules with `npm ci`. Does nothing when the
# installed lock matches the committed one.
# Usage: tools/setup-oauth.sh
set -euo pipefail
cd "$(dirname "$0")/../tests/oauth"
installed=node_modules/.package-lock.json
if [ -d node_modules/oauth2-mock-server ] && [ -f "$installed" ] &&
  node -e '
    const a = require("./package-lock.json").packages, b = require("./node_modules/.package-lock.json").packages;
    const keys = Object.keys(a).filter((k) => k !== "");
    process.exit(keys.every((k) => b[k] && b[k].version === a[k].version) ? 0 : 1);'; then
  exit 0
fi
echo "setup-oauth: npm ci in tests/oauth" >&2
npm ci --no-audit --no-fund --loglevel=error >&2
