#include "serve/views.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "base/strings.h"
#include "base/timestamp.h"
#include "derive/draft_checks.h"
#include "doc/markdown_blocks.h"
#include "doc/status_vocabulary.h"
#include "doc/to_json.h"
#include "kb/spec_links.h"
#include "run/totals_json.h"
#include "store/history_json.h"

namespace verity::serve {

namespace {

constexpr size_t kTimelineRuns = 30;
constexpr size_t kFlakyWindow = 10;

std::vector<std::string> Values(const QueryParams& query, const std::string& key, bool lower) {
  std::vector<std::string> out;
  auto [first, last] = query.equal_range(key);
  for (auto it = first; it != last; ++it) {
    for (std::string_view part : Split(it->second, ',')) {
      std::string value(Trim(part));
      if (value.empty()) continue;
      out.push_back(lower ? ToLower(value) : value);
    }
  }
  return out;
}

bool Accepts(const std::vector<std::string>& allowed, const std::string& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

bool AcceptsAny(const std::vector<std::string>& allowed, const std::vector<std::string>& values) {
  if (allowed.empty()) return true;
  for (const std::string& v : values)
    if (Accepts(allowed, v)) return true;
  return false;
}

std::string KbStatus(const doc::Document* d) {
  if (d == nullptr) return "none";
  if (!d->frontmatter.status) return "pending";
  return doc::StatusName(*d->frontmatter.status);
}

Json OperationJson(const spec::Operation& op) {
  return Json{{"key", op.Key()},
              {"method", op.method},
              {"path", op.path},
              {"domain", op.domain},
              {"summary", op.summary},
              {"tags", op.tags},
              {"tokens", op.tokens.tokens},
              {"deprecated", op.deprecated},
              {"spec", op.file ? Json(op.file->path) : Json(nullptr)}};
}

struct LatestResults {
  std::map<std::string, store::TimelinePoint> by_file;  // recipes'
  std::map<std::string, store::TimelinePoint> spec_by_endpoint;
};

/// A recipe's last result is its file's; a row without one shows its operation's last run from
/// the spec, which has no file of its own.
const store::TimelinePoint* LastResult(const spec::Operation* op, const doc::Document* d,
                                       const LatestResults& latest) {
  const auto& results = d && !d->from_spec ? latest.by_file : latest.spec_by_endpoint;
  std::string key = d ? (d->from_spec ? d->frontmatter.endpoint : d->file) : op->Key();
  auto found = results.find(key);
  return found == results.end() ? nullptr : &found->second;
}

/// One row of the coverage: an operation (null for a document that matches none) and the
/// document that covers it (null for none).
Json Row(const spec::Operation* op, const doc::Document* d, const LatestResults& latest,
         const std::set<std::string>& flaky) {
  Json row;
  if (op != nullptr) {
    row = OperationJson(*op);
  } else {
    const doc::Frontmatter& f = d->frontmatter;
    row = Json{{"key", f.endpoint},
               {"method", f.method},
               {"path", f.path},
               {"domain", f.domain},
               {"summary", d->title.value_or("")},
               {"tags", f.tags},
               {"tokens", f.tokens},
               {"deprecated", false},
               {"spec", nullptr}};
  }
  // A document built from the spec has no file to open, and no knowledge-base status.
  bool recipe = d && !d->from_spec;
  row["document"] = recipe ? Json(d->file) : Json(nullptr);
  // Several recipes of one operation are one row each; the variant tells them apart.
  row["variant"] = d && !d->frontmatter.variant.empty() ? Json(d->frontmatter.variant) : Json();
  row["kbStatus"] = KbStatus(recipe ? d : nullptr);
  row["useFallbackApi"] = d && d->frontmatter.use_fallback_api.value_or(false);
  if (d && !d->frontmatter.tokens.empty()) row["tokens"] = d->frontmatter.tokens;
  // The recipe's domain is the curated one; a spec's comes from its folder name.
  if (d && !d->frontmatter.domain.empty()) row["domain"] = d->frontmatter.domain;
  const store::TimelinePoint* last = LastResult(op, d, latest);
  // "recipe": the row's document; "spec": its last result is of a request built from the spec
  // (no recipe); null: no recipe and never run.
  if (recipe) {
    row["source"] = "recipe";
  } else {
    row["source"] = d || last ? Json("spec") : Json(nullptr);
  }
  if (last != nullptr) {
    row["lastOutcome"] = run::OutcomeName(last->outcome);
    row["lastReason"] = last->reason;
    row["lastRunId"] = last->run_id;
  } else {
    row["lastOutcome"] = nullptr;
    row["lastReason"] = "";
    row["lastRunId"] = nullptr;
  }
  row["flaky"] = recipe && flaky.count(d->file) > 0;
  return row;
}

bool Matches(const Json& row, const OperationFilter& f) {
  if (!Accepts(f.domains, ToLower(row["domain"].get<std::string>()))) return false;
  if (!Accepts(f.methods, ToLower(row["method"].get<std::string>()))) return false;
  if (!Accepts(f.kb_statuses, row["kbStatus"].get<std::string>())) return false;
  std::string outcome =
      row["lastOutcome"].is_null() ? "none" : ToLower(row["lastOutcome"].get<std::string>());
  if (!Accepts(f.outcomes, outcome)) return false;
  std::vector<std::string> tokens;
  for (const Json& t : row["tokens"]) tokens.push_back(ToLower(t.get<std::string>()));
  if (!AcceptsAny(f.tokens, tokens)) return false;
  if (f.flaky_only && !row["flaky"].get<bool>()) return false;
  if (!f.text.empty()) {
    std::string haystack = row["key"].get<std::string>() + "\n" +
                           row["summary"].get<std::string>() + "\n" +
                           row["domain"].get<std::string>();
    if (row["document"].is_string()) haystack += "\n" + row["document"].get<std::string>();
    if (row["variant"].is_string()) haystack += "\n" + row["variant"].get<std::string>();
    for (const Json& tag : row["tags"]) haystack += "\n" + tag.get<std::string>();
    if (ToLower(haystack).find(f.text) == std::string::npos) return false;
  }
  return true;
}

void Count(Json& counts, const char* facet, const std::string& value) {
  Json& bucket = counts[facet];
  bucket[value] = bucket.value(value, 0) + 1;
}

Json BlocksJson(const std::vector<doc::MarkdownBlock>& blocks) {
  Json out = Json::array();
  for (const doc::MarkdownBlock& b : blocks) {
    Json j = Json{{"type", doc::BlockKindName(b.kind)}};
    switch (b.kind) {
      case doc::MarkdownBlock::Kind::kHeading:
        j["level"] = b.level;
        j["text"] = b.text;
        break;
      case doc::MarkdownBlock::Kind::kCode:
        j["language"] = b.language;
        j["text"] = b.text;
        break;
      case doc::MarkdownBlock::Kind::kList:
      case doc::MarkdownBlock::Kind::kTable:
        j["items"] = b.items;
        break;
      default:
        j["text"] = b.text;
    }
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

OperationFilter ParseOperationFilter(const QueryParams& query) {
  OperationFilter f;
  f.domains = Values(query, "domain", true);
  f.methods = Values(query, "method", true);
  f.tokens = Values(query, "token", true);
  f.kb_statuses = Values(query, "kbStatus", true);
  f.outcomes = Values(query, "outcome", true);
  for (const std::string& v : Values(query, "flaky", true))
    f.flaky_only = f.flaky_only || v == "true" || v == "1";
  for (const std::string& v : Values(query, "q", false)) f.text += (f.text.empty() ? "" : " ") + v;
  f.text = ToLower(f.text);
  return f;
}

Json HealthJson(Dashboard& dashboard, bool auth_required) {
  Dashboard::Snapshot snapshot = dashboard.snapshot();
  const run::RunSettings& s = dashboard.config().settings;
  return Json{{"status", "ok"},
              {"version", "0.1.0"},
              {"environment", s.environment},
              {"baseUrl", s.base_url},
              {"fallbackUrl", s.fallback_url.empty() ? Json(nullptr) : Json(s.fallback_url)},
              {"knowledgeBase", dashboard.config().kb_roots},
              {"documents", snapshot.kb->documents.size()},
              {"operations", snapshot.catalog->operations().size()},
              {"authRequired", auth_required},
              {"tokenTypes", dashboard.config().token_types},
              {"rateLimit", s.rate_limit.ToString()},
              {"run", RunStateJson(dashboard.run_state())}};
}

Result<Json> OperationsJson(Dashboard& dashboard, const OperationFilter& filter) {
  Dashboard::Snapshot snapshot = dashboard.snapshot();
  LatestResults latest;
  auto by_file = dashboard.history().LatestOutcomes();
  if (!by_file.ok()) return by_file.status();
  latest.by_file = std::move(*by_file);
  auto spec = dashboard.history().LatestSpecOutcomes();
  if (!spec.ok()) return spec.status();
  latest.spec_by_endpoint = std::move(*spec);
  auto flaky_docs = dashboard.history().Flaky(kFlakyWindow);
  if (!flaky_docs.ok()) return flaky_docs.status();
  std::set<std::string> flaky;
  for (const store::FlakyDocument& f : *flaky_docs) flaky.insert(f.file);

  kb::Coverage coverage = kb::ComputeCoverage(*snapshot.catalog, *snapshot.kb);
  std::vector<Json> rows;
  for (const kb::CoveredOperation& op : coverage.operations) {
    // An operation with several recipes is listed once per recipe: each runs on its own. Every
    // row also carries the operation's coverage state, which is its primary recipe's: a passing
    // negative variant does not make the operation green, and a failing one keeps its own row.
    if (op.documents.empty()) rows.push_back(Row(op.operation, nullptr, latest, flaky));
    for (const doc::Document* d : op.documents) rows.push_back(Row(op.operation, d, latest, flaky));
    for (size_t i = op.documents.empty() ? 1 : op.documents.size(); i > 0; --i)
      rows[rows.size() - i]["operationState"] = op.state;
  }
  std::set<const doc::Document*> listed;
  for (const kb::CoveredOperation& op : coverage.operations)
    listed.insert(op.documents.begin(), op.documents.end());
  for (const doc::Document& d : snapshot.kb->documents) {
    if (!listed.count(&d)) {
      rows.push_back(Row(nullptr, &d, latest, flaky));
      rows.back()["operationState"] = nullptr;
    }
  }
  // A primary before its variants, the variants by name, so the rows of one operation keep one
  // order from one load to the next.
  auto order = [](const Json& row) {
    return std::tuple(row["domain"].get<std::string>(), row["path"].get<std::string>(),
                      row["method"].get<std::string>(), row["variant"].is_string(),
                      row["variant"].is_string() ? row["variant"].get<std::string>() : "");
  };
  std::stable_sort(rows.begin(), rows.end(),
                   [&](const Json& a, const Json& b) { return order(a) < order(b); });

  Json counts = Json{{"domain", Json::object()},
                     {"kbStatus", Json::object()},
                     {"outcome", Json::object()},
                     {"method", Json::object()},
                     {"token", Json::object()}};
  Json matched = Json::array();
  for (Json& row : rows) {
    Count(counts, "domain", row["domain"].get<std::string>());
    Count(counts, "kbStatus", row["kbStatus"].get<std::string>());
    Count(counts, "outcome",
          row["lastOutcome"].is_null() ? "none" : row["lastOutcome"].get<std::string>());
    Count(counts, "method", row["method"].get<std::string>());
    for (const Json& t : row["tokens"]) Count(counts, "token", t.get<std::string>());
    if (Matches(row, filter)) matched.push_back(std::move(row));
  }
  return Json{{"total", rows.size()},
              {"matched", matched.size()},
              {"counts", counts},
              {"operations", matched}};
}

Result<Json> DocumentJson(Dashboard& dashboard, const std::string& file) {
  Dashboard::Snapshot snapshot = dashboard.snapshot();
  const doc::Document* document = nullptr;
  for (const doc::Document& d : snapshot.kb->documents)
    if (d.file == file) document = &d;
  if (document == nullptr) {
    return Status::NotFound(fmt::format("'{}' is not a document of the knowledge base", file));
  }
  // Confined like the loading was: a document that is a link out of the knowledge base answers
  // an error that names neither the target nor its bytes.
  Result<std::string> text = dashboard.fs().ReadFileInside(file, snapshot.kb->confinement);
  if (!text.ok()) return text.status();
  auto timeline = dashboard.history().Timeline(file, kTimelineRuns);
  if (!timeline.ok()) return timeline.status();

  Json model = doc::DocumentToJson(*document);
  // The body after the frontmatter is what a reader sees rendered.
  std::string_view body = *text;
  if (document->has_frontmatter && body.starts_with("---")) {
    size_t close = body.find("\n---", 3);
    if (close != std::string_view::npos) {
      size_t after = body.find('\n', close + 4);
      body = after == std::string_view::npos ? std::string_view() : body.substr(after + 1);
    }
  }
  const spec::Operation* op = snapshot.catalog->FindEndpoint(document->frontmatter.endpoint);
  return Json{
      {"file", file},
      {"endpoint", document->frontmatter.endpoint},
      {"variant",
       document->frontmatter.variant.empty() ? Json(nullptr) : Json(document->frontmatter.variant)},
      {"frontmatter", model.value("frontmatter", Json::object())},
      {"model", model},
      {"markdown", *text},
      {"blocks", BlocksJson(doc::MarkdownBlocks(body))},
      {"operation", op ? OperationJson(*op) : Json(nullptr)},
      {"timeline", store::TimelineJson(*timeline)}};
}

Result<RunRequest> ParseRunRequest(const Json& body, const run::RateLimit& environment_limit) {
  RunRequest request;
  if (!body.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  if (body.contains("targets")) {
    if (!body["targets"].is_array())
      return Status::InvalidArgument("targets: expected an array of operation keys or files");
    for (const Json& t : body["targets"]) {
      if (!t.is_string()) return Status::InvalidArgument("targets: every entry must be a string");
      request.targets.push_back(t.get<std::string>());
    }
  }
  for (auto [key, flag] : {std::pair{"includeDelete", &request.include_delete},
                           std::pair{"allOperations", &request.all_operations},
                           std::pair{"allowWrites", &request.allow_writes},
                           std::pair{"writeDrafts", &request.write_drafts}}) {
    if (!body.contains(key)) continue;
    if (!body[key].is_boolean())
      return Status::InvalidArgument(fmt::format("{}: expected true or false", key));
    *flag = body[key].get<bool>();
  }
  if (body.contains("healTries")) {
    const Json& tries = body["healTries"];
    if (!tries.is_number_integer() || tries.get<int64_t>() < 1 ||
        tries.get<int64_t>() > derive::kMaxHealTries) {
      return Status::InvalidArgument(
          fmt::format("healTries: expected a whole number from 1 to {}", derive::kMaxHealTries));
    }
    request.heal_tries = tries.get<int>();
  }
  // As on the command line: these say how requests built from the spec are sent, and without
  // allOperations none is built.
  if (!request.all_operations &&
      (request.allow_writes || request.write_drafts || body.contains("healTries")))
    return Status::InvalidArgument("allowWrites, healTries and writeDrafts apply to allOperations");
  if (body.contains("rateLimit")) {
    const Json& limit = body["rateLimit"];
    if (limit.is_string()) {
      std::string name = limit.get<std::string>();
      if (name != "default") {
        Result<run::RateLimit> parsed = run::ParseRateLimit(name, environment_limit);
        if (!parsed.ok()) return Status::InvalidArgument("rateLimit: " + parsed.status().message());
        request.rate_limit = *parsed;
      }
    } else if (limit.is_object()) {
      run::RateLimit custom = environment_limit;
      custom.preset = "custom";
      auto number = [&](const char* key, double min, double max) -> Result<double> {
        const Json& v = limit[key];
        if (!v.is_number() || v.get<double>() < min || v.get<double>() > max) {
          return Status::InvalidArgument(
              fmt::format("rateLimit.{}: expected a number from {} to {}", key, min, max));
        }
        return v.get<double>();
      };
      if (limit.contains("requestsPerSecond")) {
        auto v = number("requestsPerSecond", 0, 1000);
        if (!v.ok()) return v.status();
        custom.requests_per_second = *v;
      }
      if (limit.contains("concurrency")) {
        auto v = number("concurrency", 1, 64);
        if (!v.ok()) return v.status();
        custom.max_in_flight = static_cast<int>(*v);
        request.concurrency = static_cast<size_t>(*v);
      }
      if (limit.contains("gapMs")) {
        auto v = number("gapMs", 0, 60000);
        if (!v.ok()) return v.status();
        custom.min_gap_ms = static_cast<int64_t>(*v);
      }
      if (limit.contains("burst")) {
        auto v = number("burst", 1, 1000);
        if (!v.ok()) return v.status();
        custom.burst = static_cast<int>(*v);
      }
      request.rate_limit = custom;
    } else {
      return Status::InvalidArgument(
          "rateLimit: expected a preset name or {requestsPerSecond, concurrency, gapMs, burst}");
    }
  }
  return request;
}

Json RunStateJson(const RunState& s) {
  return Json{{"kind", s.kind},
              {"state", s.state},
              {"phase", s.phase.empty() ? Json(nullptr) : Json(s.phase)},
              {"runId", s.run_id.empty() ? Json(nullptr) : Json(s.run_id)},
              {"planned", s.planned},
              {"done", s.done},
              {"totals", run::TotalsJson(s.totals)},
              {"startedAt", s.started_at_ms ? Json(FormatIso8601(s.started_at_ms)) : Json(nullptr)},
              {"durationMs", s.duration_ms},
              {"drafts", s.drafts ? DraftsJson(s.run_id, *s.drafts) : Json(nullptr)}};
}

Json DraftsJson(const std::string& run_id, const DraftsOutcome& drafts) {
  auto described = [](const std::vector<derive::DraftCheck>& checks) {
    Json out = Json::array();
    for (const derive::DraftCheck& c : checks) out.push_back(derive::Describe(c));
    return out;
  };
  auto text_or_null = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  Json list = Json::array();
  for (const derive::Draft& d : drafts.written.drafts) {
    list.push_back(Json{{"endpoint", d.endpoint},
                        {"file", text_or_null(d.file)},
                        {"error", text_or_null(d.error)},
                        {"exists", d.exists},
                        {"checks", described(d.checks)},
                        {"dropped", described(d.dropped)},
                        {"droppedWhy", text_or_null(d.dropped_why)},
                        {"stopped", d.stopped}});
  }
  return Json{{"runId", run_id},
              {"written", drafts.written.written},
              {"proved", drafts.written.proved},
              {"ok", drafts.written.ok},
              {"stopped", drafts.written.stopped},
              {"notTried", text_or_null(drafts.not_tried)},
              {"drafts", list}};
}

}  // namespace verity::serve
