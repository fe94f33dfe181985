// The run totals have one JSON form: the report's summary and byDomain, the history's run records
// and the dashboard's run state all carry the same members, in the same order, with the same
// rounded pass rate.
#include "run/totals_json.h"

#include <gtest/gtest.h>

#include "report/json_report.h"
#include "serve/views.h"
#include "store/history_json.h"

namespace verity::run {
namespace {

// 2 passed + 1 warned of 7 testable (8 total, 1 skipped): 42.857…%, shown as 42.9.
Totals SomeTotals() {
  Totals t;
  t.total = 8;
  t.passed = 2;
  t.warned = 1;
  t.errored = 1;
  t.failed = 3;
  t.skipped = 1;
  return t;
}

std::vector<std::string> Keys(const Json& object) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.push_back(key);
  return keys;
}

// The six count members of `object`, in the order they appear.
Json CountsOf(const Json& object) {
  Json counts = Json::object();
  for (const auto& [key, value] : object.items()) {
    if (key == "total" || key == "passed" || key == "failed" || key == "warned" ||
        key == "errored" || key == "skipped")
      counts[key] = value;
  }
  return counts;
}

TEST(TotalsJson, NamesEveryCountInTheReportsOrder) {
  Json j = TotalsJson(SomeTotals());
  EXPECT_EQ((std::vector<std::string>{"total", "passed", "failed", "warned", "errored", "skipped"}),
            Keys(j));
  EXPECT_EQ(8, j["total"]);
  EXPECT_EQ(3, j["failed"]);
  EXPECT_EQ(1, j["warned"]);
}

TEST(TotalsJson, PassRatePercentIsRoundedToOneDecimalAndNullWhenNothingWasTestable) {
  EXPECT_EQ(Json(42.9), PassRatePercentJson(SomeTotals()));
  Totals skipped_only;
  skipped_only.total = skipped_only.skipped = 2;
  EXPECT_TRUE(PassRatePercentJson(skipped_only).is_null());
}

TEST(TotalsJson, ReportHistoryAndDashboardCarryTheSameTotals) {
  Totals t = SomeTotals();
  RunSummary summary;
  summary.run_id = "run-1";
  summary.totals = t;
  Json report = report::SummaryReportJson(summary);

  store::RunRecord record;
  record.run_id = "run-1";
  record.totals = t;
  Json history = store::RunRecordJson(record);

  serve::RunState state;
  state.totals = t;
  Json dashboard = serve::RunStateJson(state)["totals"];

  EXPECT_EQ(TotalsJson(t), CountsOf(report));
  EXPECT_EQ(TotalsJson(t), CountsOf(history));
  EXPECT_EQ(TotalsJson(t), dashboard);
  EXPECT_EQ(Keys(TotalsJson(t)), Keys(dashboard));
  EXPECT_EQ(report["passRatePercent"], history["passRatePercent"]);
  EXPECT_EQ(Json(42.9), history["passRatePercent"]);
}

}  // namespace
}  // namespace verity::run
