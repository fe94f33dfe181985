#include "report/report_diff.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>

#include "report/text.h"

namespace verity::report {

namespace {

using Key = std::pair<std::string, std::string>;  // (file or endpoint, variant)

// The documents of `documents` not yet paired, by key, keeping only keys that name one document:
// a key two documents share cannot say which of them a document of the other report is.
std::map<Key, size_t> UniqueKeys(const std::vector<ReportDocument>& documents,
                                 const std::vector<bool>& paired, bool by_file) {
  std::map<Key, size_t> keys;
  std::set<Key> repeated;
  for (size_t i = 0; i < documents.size(); ++i) {
    if (paired[i]) continue;
    Key key{by_file ? documents[i].file : documents[i].endpoint, documents[i].variant};
    if (!keys.emplace(key, i).second) repeated.insert(key);
  }
  for (const Key& key : repeated) keys.erase(key);
  return keys;
}

bool SameStep(const ReportStep& a, const ReportStep& b) {
  return a.id == b.id && a.status == b.status && a.reason == b.reason &&
         a.http_status == b.http_status;
}

std::optional<StepDifference> FirstDifferentStep(const ReportDocument& a, const ReportDocument& b) {
  size_t n = std::max(a.steps.size(), b.steps.size());
  for (size_t i = 0; i < n; ++i) {
    bool in_a = i < a.steps.size(), in_b = i < b.steps.size();
    if (in_a && in_b && SameStep(a.steps[i], b.steps[i])) continue;
    StepDifference difference;
    if (in_a) difference.a = a.steps[i];
    if (in_b) difference.b = b.steps[i];
    return difference;
  }
  return std::nullopt;
}

// Pairs by `by_file` key what is still unpaired on both sides, appending to `pairs` in A's order.
void PairBy(const RunReportView& a, const RunReportView& b, bool by_file,
            std::vector<bool>& paired_a, std::vector<bool>& paired_b,
            std::vector<std::pair<size_t, size_t>>& pairs, std::vector<std::string>& how) {
  std::map<Key, size_t> keys_a = UniqueKeys(a.documents, paired_a, by_file);
  std::map<Key, size_t> keys_b = UniqueKeys(b.documents, paired_b, by_file);
  for (const auto& [key, i] : keys_a) {
    auto match = keys_b.find(key);
    if (match == keys_b.end()) continue;
    paired_a[i] = paired_b[match->second] = true;
    pairs.emplace_back(i, match->second);
    how.push_back(by_file ? "file" : "endpoint");
  }
}

std::string Label(const ReportDocument& d) {
  return d.variant.empty() ? d.endpoint : d.endpoint + " [" + d.variant + "]";
}

// `FAIL 400 VALIDATION_ERROR: message`, each part only when there is one.
std::string OutcomeText(const std::string& status, const std::optional<int>& http_status,
                        const std::string& reason, const std::string& message) {
  std::string text = status;
  if (http_status) text += " " + std::to_string(*http_status);
  if (!reason.empty()) text += " " + reason;
  if (!message.empty()) text += ": " + message;
  return OneLine(text);
}

std::string StepText(const std::optional<ReportStep>& step) {
  if (!step) return "(no such step)";
  return OutcomeText(step->status, step->http_status, step->reason, "");
}

Json OrNull(const std::string& s) { return s.empty() ? Json() : Json(s); }
Json OrNull(const std::optional<int>& n) { return n ? Json(*n) : Json(); }

Json DocumentSideJson(const ReportDocument& d) {
  return Json{{"file", d.file},
              {"status", d.status},
              {"reason", OrNull(d.reason)},
              {"message", OrNull(d.message)},
              {"httpStatus", OrNull(d.http_status)}};
}

Json StepSideJson(const std::optional<ReportStep>& step) {
  if (!step) return Json();
  return Json{{"id", step->id},
              {"section", step->section},
              {"status", step->status},
              {"reason", OrNull(step->reason)},
              {"message", OrNull(step->message)},
              {"httpStatus", OrNull(step->http_status)}};
}

Json UnpairedJson(const std::vector<ReportDocument>& documents) {
  Json out = Json::array();
  for (const ReportDocument& d : documents) {
    Json j{{"endpoint", d.endpoint}, {"variant", OrNull(d.variant)}};
    j.update(DocumentSideJson(d));
    out.push_back(std::move(j));
  }
  return out;
}

void AppendPairText(const DocumentPair& pair, std::string& out) {
  out += "DISAGREE  " + OneLine(Label(pair.a)) + "\n";
  if (pair.a.file == pair.b.file) {
    out += "  file:  " + OneLine(pair.a.file) + "\n";
  } else {
    out += "  files: A " + OneLine(pair.a.file) + ", B " + OneLine(pair.b.file) + "\n";
  }
  out +=
      "  A:     " + OutcomeText(pair.a.status, pair.a.http_status, pair.a.reason, pair.a.message) +
      "\n";
  out +=
      "  B:     " + OutcomeText(pair.b.status, pair.b.http_status, pair.b.reason, pair.b.message) +
      "\n";
  if (!pair.first_step) return;
  const StepDifference& step = *pair.first_step;
  const ReportStep& named = step.a ? *step.a : *step.b;
  out += "  first differing step: " + OneLine(named.id) + " (" + OneLine(named.section) + ")";
  if (step.a && step.b && step.a->id != step.b->id) out += " vs " + OneLine(step.b->id);
  out += ": A " + StepText(step.a) + ", B " + StepText(step.b) + "\n";
  // A failing step's message says what the server answered differently; it is not repeated when
  // the document's message, printed above, already is that text.
  for (const auto* side : {&step.a, &step.b}) {
    const ReportDocument& document = side == &step.a ? pair.a : pair.b;
    if (*side && !(*side)->message.empty() && (*side)->message != document.message) {
      out += std::string("    ") + (side == &step.a ? "A" : "B") + ": " +
             OneLine((*side)->message) + "\n";
    }
  }
}

}  // namespace

std::optional<double> ReportDiff::AgreementPercent() const {
  if (pairs.empty()) return std::nullopt;
  return std::round(1000.0 * static_cast<double>(agreed) / static_cast<double>(pairs.size())) /
         10.0;
}

ReportDiff DiffReports(const RunReportView& a, const RunReportView& b) {
  ReportDiff diff;
  diff.a_name = a.name;
  diff.b_name = b.name;
  diff.a_run_id = a.run_id;
  diff.b_run_id = b.run_id;
  diff.a_base_url = a.base_url;
  diff.b_base_url = b.base_url;
  std::vector<bool> paired_a(a.documents.size()), paired_b(b.documents.size());
  std::vector<std::pair<size_t, size_t>> indices;
  std::vector<std::string> how;
  PairBy(a, b, /*by_file=*/true, paired_a, paired_b, indices, how);
  PairBy(a, b, /*by_file=*/false, paired_a, paired_b, indices, how);
  std::map<size_t, size_t> order;  // A's index → position in `indices`
  for (size_t k = 0; k < indices.size(); ++k) order[indices[k].first] = k;
  for (const auto& [i, k] : order) {
    DocumentPair pair;
    pair.a = a.documents[i];
    pair.b = b.documents[indices[k].second];
    pair.paired_by = how[k];
    pair.agree = pair.a.status == pair.b.status && pair.a.reason == pair.b.reason;
    if (pair.agree) {
      ++diff.agreed;
    } else {
      pair.first_step = FirstDifferentStep(pair.a, pair.b);
    }
    diff.pairs.push_back(std::move(pair));
  }
  for (size_t i = 0; i < a.documents.size(); ++i)
    if (!paired_a[i]) diff.only_in_a.push_back(a.documents[i]);
  for (size_t i = 0; i < b.documents.size(); ++i)
    if (!paired_b[i]) diff.only_in_b.push_back(b.documents[i]);
  return diff;
}

std::string AgreementLine(const ReportDiff& diff) {
  std::optional<double> percent = diff.AgreementPercent();
  return fmt::format("agreement: {} of {} documents ({})", diff.agreed, diff.pairs.size(),
                     percent ? fmt::format("{:.1f} %", *percent) : "N/A");
}

std::string ReportDiffText(const ReportDiff& diff) {
  std::string out;
  auto side = [&out](const char* letter, const std::string& name, const std::string& run_id,
                     const std::string& base_url) {
    out += fmt::format("{}: {}", letter, OneLine(name));
    if (!run_id.empty()) out += "  run " + OneLine(run_id);
    if (!base_url.empty()) out += "  " + OneLine(base_url);
    out += "\n";
  };
  side("A", diff.a_name, diff.a_run_id, diff.a_base_url);
  side("B", diff.b_name, diff.b_run_id, diff.b_base_url);
  out += "\n";
  for (const DocumentPair& pair : diff.pairs)
    if (!pair.agree) AppendPairText(pair, out);
  for (const auto* only : {&diff.only_in_a, &diff.only_in_b}) {
    for (const ReportDocument& d : *only) {
      out += fmt::format("ONLY IN {}  {}  ({})  {}\n", only == &diff.only_in_a ? "A" : "B",
                         OneLine(Label(d)), OneLine(d.file),
                         OutcomeText(d.status, std::nullopt, d.reason, ""));
    }
  }
  if (!diff.only_in_a.empty() || !diff.only_in_b.empty()) {
    out += fmt::format("{} documents only in A, {} only in B (not counted below)\n",
                       diff.only_in_a.size(), diff.only_in_b.size());
  }
  out += AgreementLine(diff) + "\n";
  return out;
}

Json ReportDiffJson(const ReportDiff& diff) {
  Json pairs = Json::array();
  for (const DocumentPair& pair : diff.pairs) {
    Json j{{"endpoint", pair.a.endpoint},   {"variant", OrNull(pair.a.variant)},
           {"pairedBy", pair.paired_by},    {"agree", pair.agree},
           {"a", DocumentSideJson(pair.a)}, {"b", DocumentSideJson(pair.b)},
           {"firstDifferentStep", Json()}};
    if (pair.first_step) {
      j["firstDifferentStep"] =
          Json{{"a", StepSideJson(pair.first_step->a)}, {"b", StepSideJson(pair.first_step->b)}};
    }
    pairs.push_back(std::move(j));
  }
  std::optional<double> percent = diff.AgreementPercent();
  return Json{{"format", "verity-report-diff"},
              {"version", 1},
              {"a",
               {{"file", diff.a_name},
                {"runId", OrNull(diff.a_run_id)},
                {"baseUrl", OrNull(diff.a_base_url)}}},
              {"b",
               {{"file", diff.b_name},
                {"runId", OrNull(diff.b_run_id)},
                {"baseUrl", OrNull(diff.b_base_url)}}},
              {"summary",
               {{"paired", diff.pairs.size()},
                {"agreed", diff.agreed},
                {"disagreed", diff.disagreed()},
                {"agreementPercent", percent ? Json(*percent) : Json()},
                {"onlyInA", diff.only_in_a.size()},
                {"onlyInB", diff.only_in_b.size()}}},
              {"pairs", std::move(pairs)},
              {"onlyInA", UnpairedJson(diff.only_in_a)},
              {"onlyInB", UnpairedJson(diff.only_in_b)}};
}

}  // namespace verity::report
