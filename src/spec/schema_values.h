// JSON value semantics the schema validator needs and nlohmann's operators do not give: JSON
// Schema equality (1 == 1.0, objects equal whatever their member order), number comparison
// without losing 64-bit integers to doubles, and short descriptions of values for messages.
// Internal to src/spec.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "base/json.h"

namespace verity::spec::schema_detail {

/// JSON Schema equality: numbers by value, objects by members regardless of order.
bool JsonEqual(const Json& a, const Json& b);
/// Consistent with JsonEqual (equal values hash alike).
size_t JsonHash(const Json& value);

/// An integer, or a float with no fraction (2.0).
bool IsIntegral(const Json& value);
/// <0, 0, >0 for two numbers.
int CompareNumbers(const Json& a, const Json& b);
/// `value` is a whole multiple of `divisor` (a positive number); floats with a relative tolerance.
bool IsMultipleOf(const Json& value, const Json& divisor);

/// Code points of UTF-8 text (continuation bytes are not counted).
size_t CountCodePoints(std::string_view text);

using QuoteMask = std::function<std::string(std::string_view)>;

/// Compact JSON (through `mask` when given), abbreviated past `max_chars` with "…"; invalid UTF-8
/// is replaced, never thrown.
std::string ShortJson(const Json& value, size_t max_chars = 40, const QuoteMask* mask = nullptr);
/// "string \"12\"", "number 3", "boolean true", "null", "object", "array": the "got …" part of
/// messages.
std::string DescribeValue(const Json& value, const QuoteMask* mask = nullptr);

}  // namespace verity::spec::schema_detail
