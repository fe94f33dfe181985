// `verity kb new`: a new document in the canonical layout, ready to fill in and lint-clean.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace verity::doc {

struct ScaffoldOptions {
  std::string endpoint;  // "METHOD /path"
  std::string domain;
  std::vector<std::string> tags;  // default: the last literal path segment
  std::string token = "staff";
  std::string swagger;       // optional spec path
  int64_t now_ms = 0;        // savedAt
  std::string variant = {};  // empty: the endpoint's primary recipe
};

std::string ScaffoldDocument(const ScaffoldOptions& options);

/// "Get Client Package"-style title: action from the method, resource from the last literal path
/// segment.
std::string TitleFor(std::string_view method, std::string_view path);

}  // namespace verity::doc
