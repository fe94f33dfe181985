// Durations and sizes as people write them in configuration files: verity.yaml, mock rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace verity {

/// "250ms", "30s", "1.5s", "2m", "1h" or a bare integer of milliseconds. Zero is allowed (a
/// caller that needs a positive value checks).
std::optional<int64_t> ParseDurationMs(std::string_view text);
/// An integer of bytes, or one with a B, KiB, MiB or GiB suffix ("64MiB", "512 KiB").
std::optional<uint64_t> ParseByteSize(std::string_view text);

}  // namespace verity
