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

/// Formats as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC, milliseconds), the form the original tool wrote.
std::string FormatIso8601(int64_t epoch_ms);

/// Formats the UTC calendar date as `YYYY-MM-DD`.
std::string FormatDate(int64_t epoch_ms);

}  // namespace verity
