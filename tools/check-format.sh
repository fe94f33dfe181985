#!/usr/bin/env bash
# Fails when a C++ file is not clang-formatted (the repo's .clang-format).
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files '*.cc' '*.h' | xargs clang-format --dry-run -Werror
