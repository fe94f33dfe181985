#!/usr/bin/env bash
# Peak memory of reading hostile documents just under the 4 MiB limit (bench/doc/shapes.sh), in
# each command that reads a document: `kb show --json`, `kb lint`, `kb ls`. Prints one line per
# shape and command: the peak RSS, the ratio to the document's size (the goal is at most ~50x),
# the wall time and the exit code. Each run is capped at 6 GB of address space and 120 s, so a
# regression shows as a failed run instead of taking the machine down.
# Usage: bench/doc/memory.sh VERITY [SHAPE...]   (tools/bench.sh --doc-memory builds VERITY)
set -eu
verity=$(realpath "${1:?usage: memory.sh VERITY [SHAPE...]}")
shift
here=$(dirname "$0")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/shapes.sh" "$work/shapes" >/dev/null
shapes=("$@")
if [ ${#shapes[@]} -eq 0 ]; then
  for f in "$work"/shapes/*.md; do shapes+=("$(basename "$f" .md)"); done
fi
printf '%-18s %-13s %8s %7s %8s %4s\n' shape command "peak MB" ratio seconds exit
for shape in "${shapes[@]}"; do
  file="$work/shapes/$shape.md"
  # Each document alone in a folder named like its domain, as in a knowledge base.
  mkdir -p "$work/kb_$shape/d"
  cp "$file" "$work/kb_$shape/d/get_x.md"
  size=$(stat -c %s "$file")
  for command in "kb show --json" "kb lint" "kb ls"; do
    read -r -a words <<<"$command"
    target="$work/kb_$shape"
    [ "${words[1]}" = show ] && target="$work/kb_$shape/d/get_x.md"
    set +e
    (
      ulimit -v 6000000
      exec /usr/bin/time -f '%M %e' -o "$work/time" timeout 120 \
        "$verity" "${words[0]}" "${words[1]}" "$target" "${words[@]:2}" >/dev/null 2>&1
    )
    code=$?
    set -e
    read -r kb seconds < <(tail -n 1 "$work/time")
    awk -v s="$shape" -v c="$command" -v kb="$kb" -v size="$size" -v t="$seconds" -v code="$code" \
      'BEGIN { printf "%-18s %-13s %8d %6.1fx %8.2f %4d\n", s, c, kb / 1024, kb * 1024 / size, t, code }'
  done
done
