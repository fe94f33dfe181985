// The one glob the project writes: '*' matches any run of characters ('/' and '?' included) and
// every other character matches only itself. Named bases' `paths` (docs/config.md), the mock's
// `match.path` (docs/mock-rules.md), `verity run "GET /path/*"` targets (docs/run.md) and the
// scripted transport's URL rules all use it; none of them needs '?' or classes, and a '?' is
// common in what they match (a query), so it is a plain character here.
#pragma once

#include <string>
#include <string_view>

namespace verity {

/// Whether all of `text` matches `glob`. Linear in practice and never exponential, whatever the
/// number of stars: with '*' as the only wildcard, taking each literal run at its leftmost place
/// never loses a match.
bool GlobMatches(std::string_view glob, std::string_view text);

/// A glob kept with its text, for rules that are read once and matched often.
class Glob {
 public:
  Glob() = default;
  explicit Glob(std::string text) : text_(std::move(text)) {}
  bool Matches(std::string_view text) const { return GlobMatches(text_, text); }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

}  // namespace verity
