#include "run/scan_result.h"

#include <cmath>

namespace verity::run {

namespace {

constexpr Recommendation kAll[] = {
    Recommendation::kPrimaryNowWorks, Recommendation::kFallbackStillNeeded,
    Recommendation::kFallbackBroken,  Recommendation::kBothFailing,
    Recommendation::kNoWorkflow,      Recommendation::kSkipped};

Json SideJson(const std::optional<ScanSide>& side) {
  if (!side) return nullptr;
  Json j = Json::object();
  j["base"] = side->base;
  j["url"] = side->url;
  j["outcome"] = OutcomeName(side->outcome);
  j["status"] = side->http_status;
  j["reason"] = side->reason;
  j["message"] = side->message;
  j["durationMs"] = side->duration_ms <= 0 ? 0 : std::llround(side->duration_ms);
  return j;
}

}  // namespace

const char* RecommendationName(Recommendation recommendation) {
  switch (recommendation) {
    case Recommendation::kPrimaryNowWorks:
      return "PRIMARY_NOW_WORKS";
    case Recommendation::kFallbackStillNeeded:
      return "FALLBACK_STILL_NEEDED";
    case Recommendation::kFallbackBroken:
      return "FALLBACK_BROKEN";
    case Recommendation::kBothFailing:
      return "BOTH_FAILING";
    case Recommendation::kSkipped:
      return "SKIPPED";
    case Recommendation::kNoWorkflow:
      break;
  }
  return "NO_WORKFLOW";
}

std::optional<Recommendation> ParseRecommendation(std::string_view name) {
  for (Recommendation r : kAll) {
    if (name == RecommendationName(r)) return r;
  }
  return std::nullopt;
}

Recommendation Recommend(const ScanSide& fallback, const ScanSide& primary) {
  if (fallback.passed() && primary.passed()) return Recommendation::kPrimaryNowWorks;
  if (fallback.passed()) return Recommendation::kFallbackStillNeeded;
  if (primary.passed()) return Recommendation::kFallbackBroken;
  if (fallback.outcome == Outcome::kSkip && primary.outcome == Outcome::kSkip)
    return Recommendation::kSkipped;
  return Recommendation::kBothFailing;
}

void ScanCounts::Add(Recommendation recommendation) {
  ++total;
  switch (recommendation) {
    case Recommendation::kPrimaryNowWorks:
      ++primary_now_works;
      break;
    case Recommendation::kFallbackStillNeeded:
      ++fallback_still_needed;
      break;
    case Recommendation::kFallbackBroken:
      ++fallback_broken;
      break;
    case Recommendation::kBothFailing:
      ++both_failing;
      break;
    case Recommendation::kNoWorkflow:
      ++no_workflow;
      break;
    case Recommendation::kSkipped:
      ++skipped;
      break;
  }
}

Json ToJson(const ScanResult& result) {
  Json j = Json::object();
  j["file"] = result.file;
  j["endpoint"] = result.endpoint;
  j["domain"] = result.domain;
  j["useFallbackApi"] = result.use_fallback_api;
  j["fallback"] = SideJson(result.fallback);
  j["primary"] = SideJson(result.primary);
  j["recommendation"] = RecommendationName(result.recommendation);
  return j;
}

Json ToJson(const ScanCounts& counts) {
  Json j = Json::object();
  j["total"] = counts.total;
  j["PRIMARY_NOW_WORKS"] = counts.primary_now_works;
  j["FALLBACK_STILL_NEEDED"] = counts.fallback_still_needed;
  j["FALLBACK_BROKEN"] = counts.fallback_broken;
  j["BOTH_FAILING"] = counts.both_failing;
  j["NO_WORKFLOW"] = counts.no_workflow;
  j["SKIPPED"] = counts.skipped;
  return j;
}

}  // namespace verity::run
