#!/usr/bin/env bash
# Dependencies between modules point one way. Each module may include only itself and the modules
# listed for it; a violation fails the build check.
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A allowed=(
  [base]="base"
  [expr]="base expr"
  [http]="base http"
  [net]="base net"
  [doc]="base expr doc"
  [spec]="base expr doc spec http"
  [arazzo]="base expr doc spec kb arazzo"
  [kb]="base expr doc spec kb http"
  [derive]="base expr doc spec kb http run derive"
  [run]="base expr doc spec kb http run"
  [report]="base expr doc spec kb http run report"
  [store]="base expr doc spec kb http run report store"
  [mock]="base expr doc spec http net mock"
  [serve]="base expr doc spec kb derive http run report store net serve"
  [cli]="base expr doc spec arazzo kb derive cli http net mock run report store serve"
)
status=0
for module in "${!allowed[@]}"; do
  [ -d "src/$module" ] || continue
  while IFS=: read -r file include; do
    target=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$include")
    if [[ " ${allowed[$module]} " != *" $target "* ]]; then
      echo "check-deps: $file includes $target/, which $module/ may not depend on" >&2
      status=1
    fi
  done < <(grep -rHE '^#include "[a-z_]+/' "src/$module" || true)
done
exit $status
