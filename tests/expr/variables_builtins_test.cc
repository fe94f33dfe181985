#include <gtest/gtest.h>

#include <map>

#include "base/timestamp.h"
#include "expr/builtins.h"

namespace verity::expr {
namespace {

int64_t At(std::string_view iso) { return ParseIso8601(iso).value(); }

TimeZone Zone(std::string_view text) { return TimeZone::Parse(text).value(); }

// Every built-in, read in BuiltinNames() order (which fixes the order of random draws).
std::map<std::string, Json> All(const Builtins& builtins) {
  std::map<std::string, Json> out;
  for (std::string_view name : BuiltinNames()) out[std::string(name)] = builtins.Get(name).value();
  return out;
}

TEST(Builtins, GiveTheSpecifiedFormatsAtAFixedClockAndSeed) {
  FakeClock clock(At("2026-02-08T13:58:00Z"));
  ASSERT_EQ(1770559080000, clock.NowMillis());
  SeededRandom random(42);
  Builtins builtins(clock, random);
  std::map<std::string, Json> expected = {
      {"random_firstname", "APITest"},
      {"random_lastname", "User"},
      {"random_email", "apitest_1770559080000@example.com"},
      {"future_datetime", "2026-02-09T13:58:00.000Z"},
      {"future_datetime_48h", "2026-02-10T13:58:00.000Z"},
      {"unique_id", "1770559080000"},
      {"timestamp", "1770559080000"},
      {"random_phone", "+15555275413"},
      {"current_date", "2026-02-08"},
      {"random_string", "test_ji0y61w1"},
      {"random_number", "8974"},
      {"random_address", "3500 Test Street"},
      {"random_url", "https://test-1770559080000.example.com"},
      {"today_date", "2026-02-08"},
      {"tomorrow_date", "2026-02-09"},
      {"tomorrow_datetime", "2026-02-09T17:00:00.000Z"},
      {"next_week_date", "2026-02-15"},
      {"next_week_datetime", "2026-02-15T17:00:00.000Z"},
      {"next_month_date", "2026-03-08"},
      {"yesterday_date", "2026-02-07"},
      {"start_of_month_date", "2026-02-01"},
      {"end_of_month_date", "2026-02-28"},
      {"now_datetime", "2026-02-08T13:58:00.000Z"},
      {"now_timestamp", 1770559080},
      {"tomorrow_timestamp", 1770656400},
      {"current_year", "2026"},
      {"current_month", "02"},
  };
  EXPECT_EQ(expected, All(builtins));
}

TEST(Builtins, GeneratorsDrawAgainAtEveryOccurrence) {
  FakeClock clock(At("2026-02-08T13:58:00Z"));
  SeededRandom random(42);
  Builtins builtins(clock, random);
  EXPECT_EQ(Json("+15555275413"), builtins.Get("random_phone"));
  EXPECT_EQ(Json("+15556892291"), builtins.Get("random_phone"));
}

TEST(Builtins, DateVariablesStayFixedForTheRunWhileGeneratorsFollowTheClock) {
  FakeClock clock(At("2026-02-08T23:59:59.999Z"));
  SeededRandom random(1);
  Builtins builtins(clock, random);
  clock.Set(At("2026-02-09T00:00:01Z"));
  EXPECT_EQ(Json("2026-02-08"), builtins.Get("today_date"));
  EXPECT_EQ(Json("2026-02-08T23:59:59.999Z"), builtins.Get("now_datetime"));
  EXPECT_EQ(Json(1770595199), builtins.Get("now_timestamp"));
  EXPECT_EQ(Json("2026-02-09"), builtins.Get("current_date"));
  EXPECT_EQ(Json("1770595201000"), builtins.Get("unique_id"));
  EXPECT_EQ(builtins.dates()["today_date"], Json("2026-02-08"));
}

TEST(Builtins, AnEasternZoneMovesEveryDateToItsLocalCalendar) {
  // 23:30 UTC on the last day of February is already 1 March at +02:00.
  FakeClock clock(At("2026-02-28T23:30:00Z"));
  SeededRandom random(42);
  Builtins builtins(clock, random, Zone("+02:00"));
  std::map<std::string, Json> all = All(builtins);
  EXPECT_EQ("2026-03-01", all["today_date"]);
  EXPECT_EQ("2026-03-01", all["current_date"]);
  EXPECT_EQ("2026-03-02", all["tomorrow_date"]);
  EXPECT_EQ("2026-03-02T17:00:00.000+02:00", all["tomorrow_datetime"]);
  EXPECT_EQ(At("2026-03-02T15:00:00Z") / 1000, all["tomorrow_timestamp"]);
  EXPECT_EQ("2026-03-08", all["next_week_date"]);
  EXPECT_EQ("2026-03-08T17:00:00.000+02:00", all["next_week_datetime"]);
  EXPECT_EQ("2026-04-01", all["next_month_date"]);
  EXPECT_EQ("2026-02-28", all["yesterday_date"]);
  EXPECT_EQ("2026-03-01", all["start_of_month_date"]);
  EXPECT_EQ("2026-03-31", all["end_of_month_date"]);
  EXPECT_EQ("2026-03-01T01:30:00.000+02:00", all["now_datetime"]);
  EXPECT_EQ(1772321400, all["now_timestamp"]);
  EXPECT_EQ("2026", all["current_year"]);
  EXPECT_EQ("03", all["current_month"]);
  EXPECT_EQ("2026-03-02T01:30:00.000+02:00", all["future_datetime"]);
  EXPECT_EQ("1772321400000", all["timestamp"]);
}

TEST(Builtins, StartAndEndOfMonthAreNotADayEarlyEastOfUtc) {
  // Local midnight of the 1st printed as a UTC date would be "2026-01-31" here.
  FakeClock clock(At("2026-02-08T13:58:00Z"));
  SeededRandom random(1);
  Builtins builtins(clock, random, Zone("+05:30"));
  EXPECT_EQ(Json("2026-02-01"), builtins.Get("start_of_month_date"));
  EXPECT_EQ(Json("2026-02-28"), builtins.Get("end_of_month_date"));
}

TEST(Builtins, AWesternZoneCanStillBeInThePreviousMonthAndYear) {
  FakeClock clock(At("2026-01-01T03:00:00Z"));
  SeededRandom random(1);
  Builtins builtins(clock, random, Zone("-05:00"));
  EXPECT_EQ(Json("2025-12-31"), builtins.Get("today_date"));
  EXPECT_EQ(Json("2025"), builtins.Get("current_year"));
  EXPECT_EQ(Json("12"), builtins.Get("current_month"));
  EXPECT_EQ(Json("2025-12-01"), builtins.Get("start_of_month_date"));
  EXPECT_EQ(Json("2025-12-31"), builtins.Get("end_of_month_date"));
  EXPECT_EQ(Json("2026-01-31"), builtins.Get("next_month_date"));
  EXPECT_EQ(Json("2026-01-01T17:00:00.000-05:00"), builtins.Get("tomorrow_datetime"));
  EXPECT_EQ(Json(At("2026-01-01T22:00:00Z") / 1000), builtins.Get("tomorrow_timestamp"));
}

TEST(Builtins, NextMonthClampsToTheLastDayOfAShorterMonth) {
  SeededRandom random(1);
  FakeClock clock(At("2026-01-31T10:00:00Z"));
  EXPECT_EQ(Json("2026-02-28"), Builtins(clock, random).Get("next_month_date"));
  clock.Set(At("2028-01-31T10:00:00Z"));
  EXPECT_EQ(Json("2028-02-29"), Builtins(clock, random).Get("next_month_date"));
  clock.Set(At("2026-03-31T10:00:00Z"));
  EXPECT_EQ(Json("2026-04-30"), Builtins(clock, random).Get("next_month_date"));
  clock.Set(At("2026-12-15T10:00:00Z"));
  EXPECT_EQ(Json("2027-01-15"), Builtins(clock, random).Get("next_month_date"));
}

TEST(Builtins, UnknownNamesHaveNoValue) {
  FakeClock clock(0);
  SeededRandom random(1);
  Builtins builtins(clock, random);
  EXPECT_EQ(std::nullopt, builtins.Get("client_id"));
  EXPECT_EQ(std::nullopt, builtins.Get(""));
}

TEST(BuiltinNames, ListsEveryGeneratorAndDateVariableOnce) {
  const std::vector<std::string_view>& names = BuiltinNames();
  EXPECT_EQ(27u, names.size());
  EXPECT_EQ(names.size(), std::set<std::string_view>(names.begin(), names.end()).size());
  EXPECT_TRUE(IsBuiltin("tomorrow_timestamp"));
  EXPECT_TRUE(IsBuiltin("random_url"));
  EXPECT_FALSE(IsBuiltin("client_id"));
  FakeClock clock(0);
  SeededRandom random(1);
  Builtins builtins(clock, random);
  for (std::string_view name : names) EXPECT_TRUE(builtins.Get(name)) << name;
  for (const auto& [name, value] : builtins.dates().items()) EXPECT_TRUE(IsBuiltin(name)) << name;
}

TEST(TimeZone, AcceptsUtcAndFixedOffsets) {
  EXPECT_EQ(0, Zone("UTC").offset_minutes());
  EXPECT_EQ(0, Zone("utc").offset_minutes());
  EXPECT_EQ(0, Zone("Z").offset_minutes());
  EXPECT_EQ(0, Zone("GMT").offset_minutes());
  EXPECT_EQ(120, Zone("+02:00").offset_minutes());
  EXPECT_EQ(120, Zone("+0200").offset_minutes());
  EXPECT_EQ(120, Zone("+02").offset_minutes());
  EXPECT_EQ(-330, Zone("-05:30").offset_minutes());
  EXPECT_EQ(18 * 60, Zone("+18:00").offset_minutes());
  EXPECT_EQ(0, Zone("+00:00").offset_minutes());
  EXPECT_EQ(0, TimeZone::Utc().offset_minutes());
}

TEST(TimeZone, RefusesNamedZonesAndMalformedOffsets) {
  for (std::string_view bad : {"Europe/Paris", "", "+2", "+2:00", "+25:00", "+18:01", "+02:60",
                               "02:00", "+02:0", "+02:00x"}) {
    Result<TimeZone> z = TimeZone::Parse(bad);
    EXPECT_FALSE(z.ok()) << bad;
  }
  EXPECT_EQ("INVALID_ARGUMENT: time zone \"Europe/Paris\" is not UTC or an offset such as +02:00",
            TimeZone::Parse("Europe/Paris").status().ToString());
}

TEST(TimeZone, PrintsAsUtcOrAsAnOffset) {
  EXPECT_EQ("UTC", TimeZone::Utc().ToString());
  EXPECT_EQ("UTC", Zone("+00:00").ToString());
  EXPECT_EQ("+05:45", Zone("+0545").ToString());
  EXPECT_EQ("-03:30", Zone("-03:30").ToString());
}

TEST(FormatIso8601InAZone, WritesLocalTimeWithItsOffset) {
  int64_t t = At("2026-02-08T13:58:00.123Z");
  EXPECT_EQ("2026-02-08T13:58:00.123Z", FormatIso8601(t, 0));
  EXPECT_EQ("2026-02-08T15:58:00.123+02:00", FormatIso8601(t, 120));
  EXPECT_EQ("2026-02-07T23:28:00.123-14:30", FormatIso8601(t, -870));
  EXPECT_EQ(t, ParseIso8601(FormatIso8601(t, -870)));
}

}  // namespace
}  // namespace verity::expr
