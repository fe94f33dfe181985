#!/usr/bin/env bash
# Installs the large public OpenAPI descriptions that verity_spec_bench and the GitHub spec test
# use (bench/npm/package.json, pinned by its lock) into build/npm/, and prints the path of GitHub's
# description. Does nothing when that file is there and the lock has not changed since.
# Usage: tools/fetch-bench-specs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dest=build/npm
spec="$dest/node_modules/@octokit/openapi/generated/api.github.com.json"
if [ -f "$spec" ] && cmp -s bench/npm/package-lock.json "$dest/package-lock.json"; then
  echo "$PWD/$spec"
  exit 0
fi
mkdir -p "$dest"
cp bench/npm/package.json bench/npm/package-lock.json "$dest/"
# npm's progress goes to stderr, so the only line on stdout is the path.
(cd "$dest" && npm ci --no-audit --no-fund --loglevel=error >&2)
if [ ! -f "$spec" ]; then
  echo "fetch-bench-specs: $spec is missing after npm ci" >&2
  exit 1
fi
echo "$PWD/$spec"
