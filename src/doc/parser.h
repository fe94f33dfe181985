// Reading a workflow document: text in, Document out. Never fails as a function: whatever is wrong
// with the text is in Document::diagnostics, and as much of the model as could be read is filled.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "doc/model.h"

namespace verity::doc {

struct ParseOptions {
  /// Larger documents are refused (DOCUMENT_TOO_LARGE) before any parsing. Real recipes are a few
  /// kilobytes; the limit keeps a stray 20 MB file from costing seconds and memory.
  size_t max_bytes = 4u << 20;
};

Document ParseDocument(std::string_view text, std::string file, const ParseOptions& options = {});

}  // namespace verity::doc
