// Frontmatter: the YAML between a document's leading "---" line and the next "---" (or "...")
// line. LF and CRLF line ends are both accepted, as is a UTF-8 byte-order mark.
#pragma once

#include <optional>
#include <string_view>

#include "base/line_index.h"
#include "base/yaml.h"
#include "doc/diagnostic.h"
#include "doc/limits.h"
#include "doc/model.h"

namespace verity::doc {

struct FrontmatterSpan {
  bool present = false;     // the text starts with a "---" line
  bool terminated = false;  // and a closing line was found
  size_t yaml_begin = 0;    // byte range of the YAML text
  size_t yaml_end = 0;
  size_t close_begin = 0;  // byte offset of the closing "---" line
  size_t body_begin = 0;   // byte offset where the markdown body starts
  uint32_t open_line = 0;  // 1-based line of the opening "---"
};

FrontmatterSpan FindFrontmatter(std::string_view text);

/// Parses and types the frontmatter. Returns the YAML tree, or nullopt when the YAML could not be
/// read. Empty frontmatter (`---` then `---`, or only comments) is read as a null tree, and
/// frontmatter that is not a mapping as what it is (FRONTMATTER_SHAPE): both have no fields, and
/// lint reports each required one missing.
std::optional<yaml::Node> ParseFrontmatter(std::string_view text, const FrontmatterSpan& span,
                                           const LineIndex& lines, Frontmatter* out,
                                           DiagnosticSink& sink, Budget& budget);

/// Every frontmatter field Verity reads, for "did you mean" and for docs.
const std::vector<std::string_view>& KnownFrontmatterKeys();

}  // namespace verity::doc
