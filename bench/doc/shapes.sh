#!/usr/bin/env bash
# Writes the hostile document shapes of the memory benchmark into DIR, each just under the 4 MiB
# document limit (4 194 304 bytes), one file per shape: the shape that made `kb show --json` take
# 2.6 GB (a step path of 830 000 placeholders) and its siblings, each aimed at one thing the
# parser keeps per piece of input (steps, diagnostics, sections, code blocks, table rows, list
# items, YAML nodes, alias expansions, nesting, one long line).
# Usage: bench/doc/shapes.sh DIR
set -eu  # no pipefail: `yes` ends by SIGPIPE
dir=${1:?usage: shapes.sh DIR}
mkdir -p "$dir"
limit=4150000
fm=$'---\nendpoint: GET /x\ndomain: d\nstatus: verified\n---\n'

# repeat TEXT COUNT: TEXT written COUNT times.
repeat() { yes -- "$1" | head -n "$2" | tr -d '\n'; }
# fill PREFIX UNIT SUFFIX FILE: PREFIX, UNIT as many times as fits under the limit, SUFFIX.
# UNIT may hold "\n" (printf %b).
fill() {
  local unit
  unit=$(printf '%b.' "$2")  # the '.' keeps a trailing newline from being stripped
  local n=$(((limit - ${#1} - ${#3}) / (${#unit} - 1)))
  {
    printf '%s' "$1"
    yes -- "$2" | head -n "$n" | tr -d '\n' | sed 's/\\n/\n/g'
    printf '%s' "$3"
  } >"$dir/$4"
}

fill "$fm"$'## Test Request\n```yaml\nsteps:\n  - id: a\n    method: GET\n    path: /x/' '{{a}}' \
  $'\n```\n' placeholders.md
fill "$fm"$'## Test Request\n```yaml\nsteps:\n' '- {}\n' $'```\n' steps.md
fill "$fm"$'## Test Request\n```yaml\nsteps: [' '{},' $']\n```\n' steps_flow.md
fill $'---\nendpoint: GET /x\ndomain: d\nstatus: verified\n' 'a: 1\n' $'---\n' duplicate_keys.md
fill "$fm"$'## Test Request\n```yaml\nsteps:\n  - id: a\n    method: GET\n    path: /x\n    body: {' \
  'k: 1, ' $'}\n```\n' unknown_keys_dup.md
fill "$fm" '## a\n' '' sections.md
fill "$fm" '```\n```\n' '' code_blocks.md
fill "$fm"$'## T\n|a|\n|---|\n' '|a|\n' '' table_rows.md
fill "$fm" '- a\n' '' list_items.md
fill "$fm"$'## Test Request\n```yaml\nsteps:\n  - id: a\n    method: GET\n    path: /x\n    body: [' \
  '1,' $']\n```\n' yaml_nodes.md
fill "$fm" '>' $'a\n' deep_quotes.md
fill "$fm" 'x' $'\n' long_line.md
fill "$fm" '- ' $'a\n' deep_lists.md
# A 1 MB scalar anchored once, then aliased as many times as fits: few nodes, many bytes.
{
  printf '%s' "$fm"$'## Test Request\n```yaml\nsteps:\n  - id: a\n    method: GET\n    path: /x\n'
  printf '    headers: {a: &a "'
  repeat x 1000000
  printf '"}\n    body: ['
  repeat '*a,' 9000
  printf ']\n```\n'
} >"$dir/alias_bytes.md"
# Long mapping keys nested 100 deep above many placeholders: each placeholder's "where" names
# the keys of its path.
{
  printf '%s' "$fm"$'## Test Request\n```yaml\nsteps:\n  - id: a\n    method: GET\n    path: /x\n'
  printf '    body: '
  for _ in $(seq 100); do printf '{'; repeat k 1000; printf ': '; done
  printf '['
  repeat '"{{a}}",' 500000
  printf ']'
  repeat '}' 100
  printf '\n```\n'
} >"$dir/long_where.md"
# A 2 MB step id and 300 000 placeholders: every warning about a placeholder names its step.
{
  printf '%s' "$fm"$'## Test Request\n```yaml\nsteps:\n  - id: '
  repeat i 2000000
  printf '\n    method: GET\n    path: /x/'
  repeat '{{a}}' 300000
  printf '\n```\n'
} >"$dir/long_id.md"
ls -l "$dir"
