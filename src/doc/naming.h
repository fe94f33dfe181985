// The knowledge base's naming convention: `<domain>/<method>_<path>.md`, derived from the
// endpoint exactly as the existing knowledge bases name their files, so they keep their names.
#pragma once

#include <string>
#include <string_view>

namespace verity::doc {

/// `GET /platform/v1/businesses/{business_uid}/staffs` →
/// `get_platform_v1_businesses_business_uid_staffs.md`. Braces are dropped, every other character
/// outside [a-z0-9._-] becomes '_', runs of '_' collapse, a trailing slash leaves a trailing '_'.
std::string ConventionalFileName(std::string_view endpoint);

/// True for the HTTP methods a recipe may use.
bool IsHttpMethod(std::string_view method);

}  // namespace verity::doc
