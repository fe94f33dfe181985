#include "expr/builtins.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "base/timestamp.h"

namespace verity::expr {

namespace {

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kHourMs = 60 * kMinuteMs;
constexpr int64_t kDayMs = 24 * kHourMs;
// "tomorrow" and "next week" mean a working hour, 17:00 on that day, so a booking made for then
// falls inside business hours.
constexpr int64_t kDeadlineMs = 17 * kHourMs;

bool TwoDigits(std::string_view s, int32_t* out) {
  if (s.size() != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9') return false;
  *out = (s[0] - '0') * 10 + (s[1] - '0');
  return true;
}

// Local wall-clock arithmetic in one fixed offset: an instant shifted by the offset reads, in
// UTC terms, as the local date and time.
class LocalTime {
 public:
  LocalTime(int64_t utc_ms, const TimeZone& zone)
      : offset_ms_(zone.offset_minutes() * kMinuteMs), local_ms_(utc_ms + offset_ms_) {
    days_ = DaysOf(local_ms_);
    CivilFromDays(days_, &year_, &month_, &day_);
  }

  int64_t year() const { return year_; }
  unsigned month() const { return month_; }
  /// Local midnight of the day `delta` days away, as a local-ms value.
  int64_t Day(int64_t delta) const { return (days_ + delta) * kDayMs; }
  /// The same local wall-clock time `months` months later; the day is clamped to the month's
  /// length (31 January + 1 month is 28 or 29 February, not 3 March as JavaScript's Date has it).
  int64_t PlusMonths(int64_t months) const {
    int64_t index = year_ * 12 + (month_ - 1) + months;
    int64_t y = index >= 0 ? index / 12 : (index - 11) / 12;
    auto m = static_cast<unsigned>(index - y * 12 + 1);
    unsigned d = std::min(day_, DaysInMonth(y, m));
    return DaysFromCivil(y, m, d) * kDayMs + (local_ms_ - days_ * kDayMs);
  }
  int64_t MonthDay(unsigned day) const { return DaysFromCivil(year_, month_, day) * kDayMs; }
  unsigned DaysInThisMonth() const { return DaysInMonth(year_, month_); }
  /// A local-ms value back to the instant it names.
  int64_t ToUtc(int64_t local_ms) const { return local_ms - offset_ms_; }

 private:
  int64_t offset_ms_;
  int64_t local_ms_;
  int64_t days_;
  int64_t year_;
  unsigned month_;
  unsigned day_;
};

int64_t FloorSeconds(int64_t ms) { return ms >= 0 ? ms / 1000 : (ms - 999) / 1000; }

Json DateVariables(int64_t now_ms, const TimeZone& zone) {
  LocalTime t(now_ms, zone);
  int32_t offset = zone.offset_minutes();
  int64_t tomorrow_at_five = t.ToUtc(t.Day(1) + kDeadlineMs);
  int64_t next_week_at_five = t.ToUtc(t.Day(7) + kDeadlineMs);
  Json d = Json::object();
  AppendMember(d, "today_date", FormatDate(t.Day(0)));
  AppendMember(d, "tomorrow_date", FormatDate(t.Day(1)));
  AppendMember(d, "tomorrow_datetime", FormatIso8601(tomorrow_at_five, offset));
  AppendMember(d, "next_week_date", FormatDate(t.Day(7)));
  AppendMember(d, "next_week_datetime", FormatIso8601(next_week_at_five, offset));
  AppendMember(d, "next_month_date", FormatDate(t.PlusMonths(1)));
  AppendMember(d, "yesterday_date", FormatDate(t.Day(-1)));
  AppendMember(d, "start_of_month_date", FormatDate(t.MonthDay(1)));
  AppendMember(d, "end_of_month_date", FormatDate(t.MonthDay(t.DaysInThisMonth())));
  AppendMember(d, "now_datetime", FormatIso8601(now_ms, offset));
  AppendMember(d, "now_timestamp", FloorSeconds(now_ms));
  AppendMember(d, "tomorrow_timestamp", FloorSeconds(tomorrow_at_five));
  AppendMember(d, "current_year", fmt::format("{:04}", t.year()));
  AppendMember(d, "current_month", fmt::format("{:02}", t.month()));
  return d;
}

}  // namespace

Result<TimeZone> TimeZone::Parse(std::string_view text) {
  std::string_view s = Trim(text);
  if (IEquals(s, "UTC") || IEquals(s, "Z") || IEquals(s, "GMT")) return Utc();
  int32_t hours = 0;
  int32_t minutes = 0;
  bool ok = s.size() >= 3 && (s[0] == '+' || s[0] == '-') && TwoDigits(s.substr(1, 2), &hours);
  std::string_view rest = ok ? s.substr(3) : std::string_view();
  if (ok && !rest.empty()) {
    if (rest[0] == ':') rest.remove_prefix(1);
    ok = TwoDigits(rest, &minutes) && minutes < 60;
  }
  if (!ok || hours * 60 + minutes > 18 * 60)
    return Status::InvalidArgument(
        fmt::format("time zone {} is not UTC or an offset such as +02:00", Quoted(text)));
  return TimeZone(s[0] == '-' ? -(hours * 60 + minutes) : hours * 60 + minutes);
}

std::string TimeZone::ToString() const {
  if (offset_minutes_ == 0) return "UTC";
  int32_t m = offset_minutes_ < 0 ? -offset_minutes_ : offset_minutes_;
  return fmt::format("{}{:02}:{:02}", offset_minutes_ < 0 ? '-' : '+', m / 60, m % 60);
}

const std::vector<std::string_view>& BuiltinNames() {
  static const std::vector<std::string_view> kNames = {
      // generators
      "random_firstname", "random_lastname", "random_email", "future_datetime",
      "future_datetime_48h", "unique_id", "timestamp", "random_phone", "current_date",
      "random_string", "random_number", "random_address", "random_url",
      // date variables
      "today_date", "tomorrow_date", "tomorrow_datetime", "next_week_date", "next_week_datetime",
      "next_month_date", "yesterday_date", "start_of_month_date", "end_of_month_date",
      "now_datetime", "now_timestamp", "tomorrow_timestamp", "current_year", "current_month"};
  return kNames;
}

bool IsBuiltin(std::string_view name) {
  const std::vector<std::string_view>& names = BuiltinNames();
  return std::find(names.begin(), names.end(), name) != names.end();
}

Builtins::Builtins(const Clock& clock, Random& random, TimeZone zone)
    : clock_(&clock),
      random_(&random),
      zone_(zone),
      dates_(DateVariables(clock.NowMillis(), zone)) {}

std::optional<Json> Builtins::Get(std::string_view name) const {
  auto it = dates_.find(std::string(name));
  if (it != dates_.end()) return *it;
  return Generate(name);
}

std::optional<Json> Builtins::Generate(std::string_view name) const {
  int64_t now = clock_->NowMillis();
  int32_t offset = zone_.offset_minutes();
  if (name == "random_firstname") return Json("APITest");
  if (name == "random_lastname") return Json("User");
  if (name == "random_email") return Json(fmt::format("apitest_{}@example.com", now));
  if (name == "future_datetime") return Json(FormatIso8601(now + kDayMs, offset));
  if (name == "future_datetime_48h") return Json(FormatIso8601(now + 2 * kDayMs, offset));
  if (name == "unique_id" || name == "timestamp") return Json(std::to_string(now));
  if (name == "random_phone") return Json(fmt::format("+1555{:07}", random_->Below(10'000'000)));
  if (name == "current_date") return Json(FormatDate(LocalTime(now, zone_).Day(0)));
  if (name == "random_string") {
    static constexpr char kBase36[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::string s = "test_";
    for (int i = 0; i < 8; ++i) s += kBase36[random_->Below(36)];
    return Json(std::move(s));
  }
  if (name == "random_number") return Json(std::to_string(random_->Below(10'000)));
  if (name == "random_address") return Json(fmt::format("{} Test Street", random_->Below(9'999)));
  if (name == "random_url") return Json(fmt::format("https://test-{}.example.com", now));
  return std::nullopt;
}

}  // namespace verity::expr
