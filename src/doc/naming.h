// The knowledge base's naming convention: `<domain>/<method>_<path>.md`, derived from the
// endpoint exactly as the existing knowledge bases name their files, so they keep their names.
// A variant recipe of an endpoint (frontmatter `variant: NAME`) is `<method>_<path>__NAME.md`.
#pragma once

#include <string>
#include <string_view>

namespace verity::doc {

/// `GET /platform/v1/businesses/{business_uid}/staffs` →
/// `get_platform_v1_businesses_business_uid_staffs.md`. Braces are dropped, every other character
/// outside [a-z0-9._-] becomes '_', runs of '_' collapse, a trailing slash leaves a trailing '_'.
/// With a variant, `__<variant>` goes before `.md`: `post_v3_kv_put__missing_key.md`.
std::string ConventionalFileName(std::string_view endpoint, std::string_view variant = {});

/// True for a variant name: one or more of a-z, 0-9, '-' and '_'. The name is part of a file name
/// and of every label that shows the result, so it stays plain.
bool IsVariantName(std::string_view name);

/// How results name a recipe: the endpoint, then the variant in brackets when there is one
/// ("POST /v3/kv/put [missing-key]"), so several recipes of one endpoint can be told apart.
std::string RecipeLabel(std::string_view endpoint, std::string_view variant);

/// True for the HTTP methods a recipe may use.
bool IsHttpMethod(std::string_view method);

}  // namespace verity::doc
