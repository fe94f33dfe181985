// What the base-URL scan (run/fallback_scan.h) found, as plain values: per document the outcome of
// the recipe on each base and what to do about its `useFallbackApi`. The event stream, the CLI and
// the dashboard read these; like every run result they hold no secret.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "run/outcome.h"

namespace verity::run {

enum class Recommendation {
  kPrimaryNowWorks,      // both bases pass: the flag can go
  kFallbackStillNeeded,  // only the fallback passes: keep the flag
  kFallbackBroken,       // only the primary passes: the flag now hurts
  kBothFailing,          // neither passes: the recipe is broken whatever the base
  kNoWorkflow,           // no prerequisites and no test request: nothing to try
  kSkipped,              // skipped on both bases (`status: skipped`, a disabled delete): untried
};

/// "PRIMARY_NOW_WORKS", "FALLBACK_STILL_NEEDED", "FALLBACK_BROKEN", "BOTH_FAILING", "NO_WORKFLOW",
/// "SKIPPED".
const char* RecommendationName(Recommendation recommendation);
std::optional<Recommendation> ParseRecommendation(std::string_view name);

/// The recipe run once with every request sent to one base.
struct ScanSide {
  std::string base;  // "fallback" or "primary"
  std::string url;   // that base's URL
  Outcome outcome = Outcome::kSkip;
  int http_status = 0;  // the test request's final status, 0 when none
  std::string reason;
  std::string message;
  double duration_ms = 0;
  /// PASS or WARN: the recipe did what it says.
  bool passed() const { return outcome == Outcome::kPass || outcome == Outcome::kWarn; }
};

struct ScanResult {
  std::string file;
  std::string endpoint;
  std::string domain;
  bool use_fallback_api = false;              // the document's frontmatter flag
  std::optional<ScanSide> fallback, primary;  // both empty for NO_WORKFLOW
  Recommendation recommendation = Recommendation::kNoWorkflow;
};

/// Both-pass, fallback-only, primary-only, neither; SKIPPED when both sides were skipped (a
/// recipe that was not tried has not failed).
Recommendation Recommend(const ScanSide& fallback, const ScanSide& primary);

struct ScanCounts {
  size_t total = 0;
  size_t primary_now_works = 0;
  size_t fallback_still_needed = 0;
  size_t fallback_broken = 0;
  size_t both_failing = 0;
  size_t no_workflow = 0;
  size_t skipped = 0;
  void Add(Recommendation recommendation);
};

/// {"file", "endpoint", "domain", "useFallbackApi", "fallback": Side|null, "primary": Side|null,
/// "recommendation"}; Side = {"base", "url", "outcome", "status", "reason", "message",
/// "durationMs"}.
Json ToJson(const ScanResult& result);
/// {"total", "PRIMARY_NOW_WORKS", "FALLBACK_STILL_NEEDED", "FALLBACK_BROKEN", "BOTH_FAILING",
/// "NO_WORKFLOW", "SKIPPED"}.
Json ToJson(const ScanCounts& counts);

}  // namespace verity::run
