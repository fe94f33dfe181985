// Surgical frontmatter updates: changing a field rewrites only that field's value bytes; a new
// field is one line appended at the end of the frontmatter. Every other byte of the file (comments,
// quoting, key order, CRLF line ends, the body) stays identical, and setting a field to the value
// it already has changes nothing at all.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace verity::doc {

struct FieldUpdate {
  std::string key;
  std::string value;  // as typed on the command line: `verified`, `3`, `[staff, directory]`
};

/// Parses `key=value`.
Result<FieldUpdate> ParseFieldUpdate(std::string_view assignment);

/// Applies the updates in order and returns the new text. Known fields are type-checked (status
/// must be canonical, timestamps ISO-8601, counters integers, flags booleans) and refused with
/// kInvalidArgument otherwise; a document without readable frontmatter is refused with kParseError.
Result<std::string> ApplyFieldUpdates(std::string_view text,
                                      const std::vector<FieldUpdate>& updates);

/// A document without its fallback flag, and the lines taken out (without their line ends), in
/// order.
struct FallbackFlagRemoval {
  std::string text;
  std::vector<std::string> removed;
};

/// The quick fix of the base-URL scan (docs/scan-fallback.md): removes the frontmatter line
/// `useFallbackApi: true`, every `useFallback: true` line in a YAML block of the body, and every
/// fallback notice: a blockquote line that says "Fallback API Required", the blockquote lines
/// right after it that speak of the fallback, and one blank line after them. Whole lines go, line
/// ends included; every other byte stays. A step's `useFallbackApi: true` stays: it names that
/// step's base, which the document's flag does not decide.
/// kParseError: no frontmatter; kNotFound: the frontmatter does not set `useFallbackApi: true`.
Result<FallbackFlagRemoval> RemoveFallbackFlag(std::string_view text);

}  // namespace verity::doc
