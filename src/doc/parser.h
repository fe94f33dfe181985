// Reading a workflow document: text in, Document out. Never fails as a function: whatever is wrong
// with the text is in Document::diagnostics, and as much of the model as could be read is filled.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "doc/limits.h"
#include "doc/model.h"

namespace verity::doc {

Document ParseDocument(std::string_view text, std::string file, const ParseOptions& options = {});

}  // namespace verity::doc
