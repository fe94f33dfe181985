// I-Regexp (RFC 9485) for the JSONPath functions match() and search(), run by RE2. Patterns are
// translated rather than handed to RE2 as they are: I-Regexp's `.` excludes only \n and \r, its
// \p{C} includes unassigned code points, and RE2 accepts much syntax that I-Regexp does not.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace re2 {
class RE2;
}

namespace verity::expr::jsonpath_detail {

/// Translates `pattern` into RE2 syntax. False when it is not an I-Regexp, or when it combines
/// complemented categories inside one character class in a way RE2 cannot express
/// (docs/jsonpath.md lists those).
bool TranslateIRegexp(std::string_view pattern, std::string* re2_pattern);

/// The compiled pattern, or null when it is not an I-Regexp or RE2 refuses it (for instance a
/// repetition count above 1000). The same object serves match() (full) and search() (partial).
std::shared_ptr<const re2::RE2> CompileIRegexp(std::string_view pattern);

/// match(): the whole string; search(): any substring. `regex` may be null (never matches).
bool RegexMatches(const re2::RE2* regex, std::string_view text, bool whole);

/// Compiled patterns that only appear at evaluation time (taken from the document). Bounded, and
/// safe to share between threads evaluating the same query.
class RegexCache {
 public:
  std::shared_ptr<const re2::RE2> Get(const std::string& pattern);

 private:
  static constexpr size_t kMaxEntries = 256;
  std::mutex mu_;
  // Holds null for patterns that failed, so a bad pattern is translated only once.
  std::unordered_map<std::string, std::shared_ptr<const re2::RE2>> entries_;
};

}  // namespace verity::expr::jsonpath_detail
