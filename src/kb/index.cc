#include "kb/index.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/file_system.h"
#include "base/strings.h"
#include "base/timestamp.h"
#include "doc/status_vocabulary.h"

namespace verity::kb {

std::vector<int> ExpectedStatuses(const doc::Document& d) {
  if (!d.frontmatter.expected_outcome.empty()) return d.frontmatter.expected_outcome;
  for (const doc::Step& s : d.steps)
    if (s.section_kind == doc::SectionKind::kTestRequest && !s.expect_status.empty())
      return s.expect_status;
  return {200};
}

Json BuildIndex(const KnowledgeBase& kb, const std::string& root) {
  std::map<std::string, const doc::Document*> by_key;  // first file in path order wins
  for (const doc::Document& d : kb.documents)
    if (!d.frontmatter.endpoint.empty()) by_key.emplace(d.frontmatter.endpoint, &d);

  std::string prefix = root.empty() || root.back() == '/' ? root : root + "/";
  std::optional<int64_t> newest;
  Json workflows = Json::object();
  std::map<std::string, std::set<std::string>> by_domain, by_tag;
  for (const auto& [key, d] : by_key) {
    const doc::Frontmatter& fm = d->frontmatter;
    std::vector<int> expected = ExpectedStatuses(*d);
    bool all_2xx = !expected.empty() && std::all_of(expected.begin(), expected.end(),
                                                    [](int s) { return s >= 200 && s < 300; });
    std::string file = StartsWith(d->file, prefix) ? d->file.substr(prefix.size()) : d->file;
    std::string domain = fm.domain.empty() ? "unknown" : fm.domain;
    Json e;
    e["file"] = file;
    e["domain"] = domain;
    e["tags"] = fm.tags;
    e["status"] = fm.raw_status.empty() ? "pending" : fm.raw_status;
    e["displayStatus"] = fm.status ? doc::StatusName(*fm.status) : "pending";
    e["expectedStatuses"] = expected;
    e["is2xxExpected"] = all_2xx;
    e["skipReason"] = fm.skip_reason ? Json(*fm.skip_reason) : Json(nullptr);
    e["timesReused"] = fm.times_reused.value_or(0);
    e["savedAt"] = fm.saved_at ? Json(fm.saved_at->text) : Json(nullptr);
    e["verifiedAt"] = fm.verified_at ? Json(fm.verified_at->text) : Json(nullptr);
    e["expectedOutcome"] = fm.expected_outcome.empty() ? Json(nullptr) : Json(fm.expected_outcome);
    e["expectedOutcomeReason"] =
        fm.expected_outcome_reason ? Json(*fm.expected_outcome_reason) : Json(nullptr);
    AppendMember(workflows, key, std::move(e));  // by_key is sorted and unique
    by_domain[domain].insert(key);
    for (const std::string& t : fm.tags) by_tag[t].insert(key);
    for (const auto& ts : {fm.saved_at, fm.verified_at})
      if (ts && (!newest || ts->epoch_ms > *newest)) newest = ts->epoch_ms;
  }
  Json index;
  index["version"] = "1.0";
  index["lastUpdated"] = newest ? Json(FormatIso8601(*newest)) : Json(nullptr);
  index["workflows"] = std::move(workflows);
  Json domains = Json::object(), tags = Json::object();
  for (const auto& [k, v] : by_domain) AppendMember(domains, k, Json(v));
  for (const auto& [k, v] : by_tag) AppendMember(tags, k, Json(v));
  index["byDomain"] = std::move(domains);
  index["byTag"] = std::move(tags);
  return index;
}

}  // namespace verity::kb
