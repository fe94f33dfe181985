#!/usr/bin/env bash
# Installs the Debian packages Verity needs to build and test. Idempotent: silent when everything
# is present, installs only what is missing otherwise.
#   tools/setup.sh           what building and testing need (CI)
#   tools/setup.sh --bench   that, plus nginx, wrk and curl for the runner and mock benchmarks
#                            (tools/bench.sh --run and --mock, bench/compare/run.sh), and jq for
#                            bench/vcita_mock_agreement.sh. Debian starts the packaged
#                            nginx service on port 80 after installing it; the benchmark never uses
#                            it (it runs its own nginx on a free port), so stop it if unwanted.
set -euo pipefail
case "${1:-}" in
  "") bench=0 ;;
  --bench) bench=1 ;;
  *) echo "usage: tools/setup.sh [--bench]" >&2; exit 2 ;;
esac

packages=(
  g++ cmake ninja-build pkg-config git
  libyaml-dev libmd4c-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-format libre2-dev clang libclang-rt-14-dev
  libcurl4-openssl-dev libcpp-httplib-dev libexpat1-dev libssl-dev libsqlite3-dev
  chromium
  # A real API and its published Swagger description (Debian embeds it in the Go sources) for the
  # end-to-end test tests/e2e/alertmanager_test.cc. Debian may start the packaged service on
  # :9093; the test never uses it (it starts its own server on a free port).
  prometheus-alertmanager golang-github-prometheus-alertmanager-dev
  # An RPC-style API (etcd's JSON gateway) and its published Swagger description, which the same
  # package ships under /usr/share/doc, for tests/e2e/etcd_agreement_test.cc. Debian may start the
  # packaged service on :2379; the test never uses it (it starts its own member on free ports).
  etcd-server
)
# npm installs the large public OpenAPI descriptions the spec benchmark and the GitHub spec test
# use (tools/fetch-bench-specs.sh). A Node.js installed outside Debian's packages is fine too.
command -v npm >/dev/null || packages+=(npm)
if [ "$bench" = 1 ]; then
  packages+=(nginx-light wrk curl jq)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
