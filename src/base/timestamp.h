// ISO-8601 timestamps as the knowledge base writes them ("2026-02-08T13:58:00.000Z"), without the
// locale or the process time zone getting involved.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace verity {

/// Parses `YYYY-MM-DD`, or a date with `THH:MM[:SS[.fraction]]` and an optional `Z` or `±HH[:MM]`
/// offset (no offset means UTC). Returns milliseconds since the Unix epoch, or nullopt.
std::optional<int64_t> ParseIso8601(std::string_view text);

/// Formats as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC, milliseconds), the form existing knowledge bases
/// and reports hold (`verifiedAt`, `timestamp`).
std::string FormatIso8601(int64_t epoch_ms);

/// Formats the UTC calendar date as `YYYY-MM-DD`.
std::string FormatDate(int64_t epoch_ms);

/// Formats the wall-clock time at a fixed UTC offset: `YYYY-MM-DDTHH:MM:SS.mmm+HH:MM`, or with `Z`
/// when the offset is 0 (then the same text as FormatIso8601(epoch_ms)).
std::string FormatIso8601(int64_t epoch_ms, int32_t offset_minutes);

/// Calendar arithmetic on the proleptic Gregorian calendar, for callers that move by days and
/// months. Days count from 1970-01-01; months and days are 1-based.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day);
unsigned DaysInMonth(int64_t year, unsigned month);
/// Floor division of milliseconds into days, right for instants before 1970 too.
int64_t DaysOf(int64_t epoch_ms);

}  // namespace verity
