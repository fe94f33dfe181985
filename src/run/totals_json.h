// The run totals as JSON: one form for every output that carries them (the JSON report's summary
// and byDomain, the history, the dashboard's run state and events), so a script or the page reads
// the same member names and the same rounded pass rate wherever they come from.
#pragma once

#include <optional>

#include "base/json.h"
#include "run/result.h"

namespace verity::run {

/// Appends `total`, `passed`, `failed`, `warned`, `errored` and `skipped` to `object`, in that
/// order (the JSON report's, which scripts already read).
void AppendTotals(const Totals& totals, Json& object);
/// Those six members alone.
Json TotalsJson(const Totals& totals);

/// A percentage rounded to one decimal: the number "66.7%" shows, so the text and the number
/// never disagree.
std::optional<double> RoundPassRate(std::optional<double> percent);
/// The pass rate rounded to one decimal, or null when nothing was testable.
Json PassRatePercentJson(const Totals& totals);

}  // namespace verity::run
