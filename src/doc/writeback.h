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

}  // namespace verity::doc
