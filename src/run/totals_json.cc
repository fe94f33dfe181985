#include "run/totals_json.h"

#include <cmath>

namespace verity::run {

void AppendTotals(const Totals& totals, Json& object) {
  object["total"] = totals.total;
  object["passed"] = totals.passed;
  object["failed"] = totals.failed;
  object["warned"] = totals.warned;
  object["errored"] = totals.errored;
  object["skipped"] = totals.skipped;
}

Json TotalsJson(const Totals& totals) {
  Json object = Json::object();
  AppendTotals(totals, object);
  return object;
}

std::optional<double> RoundPassRate(std::optional<double> percent) {
  if (!percent) return std::nullopt;
  return std::round(*percent * 10.0) / 10.0;
}

Json PassRatePercentJson(const Totals& totals) {
  std::optional<double> rate = RoundPassRate(totals.PassRate());
  return rate ? Json(*rate) : Json(nullptr);
}

}  // namespace verity::run
