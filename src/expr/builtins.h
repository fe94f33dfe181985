// The built-in variables every workflow sees: generators (random_email, unique_id, …), evaluated at
// every occurrence, and date variables (today_date, tomorrow_datetime, …), computed once per run
// so that every step of a run agrees on "tomorrow". docs/templates.md lists them with examples
// and their formats, the ones existing recipes expect.
//
// One time zone, UTC unless configured, governs every date and time: mixing the machine's local
// zone with UTC would put start_of_month_date a day early east of UTC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/json.h"
#include "base/random.h"
#include "base/status.h"

namespace verity::expr {

/// A fixed offset from UTC. Named zones (Europe/Paris) are not supported: GCC 12's <chrono> has
/// no time-zone database, and a run is short enough that a daylight-saving change inside it does
/// not matter; configure the offset in force.
class TimeZone {
 public:
  static TimeZone Utc() { return TimeZone(0); }
  /// "UTC", "Z", or an offset "+02:00", "-05:30", "+0200", "+02". Offsets up to ±18:00.
  static Result<TimeZone> Parse(std::string_view text);

  int32_t offset_minutes() const { return offset_minutes_; }
  /// "UTC" or "+02:00".
  std::string ToString() const;

 private:
  explicit TimeZone(int32_t offset_minutes) : offset_minutes_(offset_minutes) {}
  int32_t offset_minutes_;
};

/// Every generator and date variable name, in the order of the specification.
const std::vector<std::string_view>& BuiltinNames();
bool IsBuiltin(std::string_view name);

class Builtins {
 public:
  /// Fixes the date variables at `clock`'s present time. `clock` and `random` must outlive this;
  /// generators read both on every call.
  Builtins(const Clock& clock, Random& random, TimeZone zone = TimeZone::Utc());

  /// The value of built-in `name`, or nullopt when there is none. Generators give a new value per
  /// call (and draw from the Random), so two occurrences of {{random_phone}} differ.
  std::optional<Json> Get(std::string_view name) const;

  /// The date variables of this run, in specification order.
  const Json& dates() const { return dates_; }
  const TimeZone& zone() const { return zone_; }

 private:
  std::optional<Json> Generate(std::string_view name) const;

  const Clock* clock_;
  Random* random_;
  TimeZone zone_;
  Json dates_;
};

}  // namespace verity::expr
