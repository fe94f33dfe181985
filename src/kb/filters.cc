#include "kb/filters.h"

#include "base/strings.h"
#include "doc/status_vocabulary.h"

namespace verity::kb {

namespace {

bool AnyEquals(const std::vector<std::string>& wanted, std::string_view value) {
  for (const std::string& w : wanted)
    if (IEquals(w, value)) return true;
  return false;
}

}  // namespace

bool DocumentFilter::Matches(const doc::Document& d) const {
  const doc::Frontmatter& fm = d.frontmatter;
  if (!domains.empty() && !AnyEquals(domains, fm.domain)) return false;
  if (!statuses.empty()) {
    bool ok = AnyEquals(statuses, fm.raw_status) ||
              (fm.status && AnyEquals(statuses, doc::StatusName(*fm.status)));
    if (!ok) return false;
  }
  if (!tags.empty()) {
    bool ok = false;
    for (const std::string& t : fm.tags) ok = ok || AnyEquals(tags, t);
    if (!ok) return false;
  }
  if (!tokens.empty()) {
    bool ok = false;
    for (const std::string& t : fm.tokens) ok = ok || AnyEquals(tokens, t);
    for (const doc::Step& s : d.steps) ok = ok || (s.token && AnyEquals(tokens, *s.token));
    if (!ok) return false;
  }
  return true;
}

}  // namespace verity::kb
