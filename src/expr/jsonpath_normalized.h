// Normalized paths (RFC 9535 §2.7): the canonical text of a node's location, e.g.
// `$['data']['clients'][0]['id']`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace verity::expr::jsonpath_detail {

/// Appends `['name']` with the escapes RFC 9535 §2.7 prescribes.
void AppendNameSegment(std::string_view name, std::string* out);
/// Appends `[index]`.
void AppendIndexSegment(size_t index, std::string* out);

}  // namespace verity::expr::jsonpath_detail
