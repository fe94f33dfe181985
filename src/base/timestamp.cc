#include "base/timestamp.h"

#include <fmt/format.h>

namespace verity {

namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

// H. Hinnant's algorithms (howardhinnant.github.io/date_algorithms.html).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

unsigned DaysInMonth(int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

int64_t DaysOf(int64_t epoch_ms) {
  return epoch_ms >= 0 ? epoch_ms / 86400000 : (epoch_ms - 86399999) / 86400000;
}

std::optional<int64_t> ParseIso8601(std::string_view s) {
  int y, mo, d;
  if (!Digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > DaysInMonth(y, mo))
    return std::nullopt;
  int64_t ms = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400000;
  if (s.size() == 10) return ms;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
  int hh, mm, ss = 0;
  if (!Digits(s, 11, 2, &hh) || s.size() < 16 || s[13] != ':' || !Digits(s, 14, 2, &mm))
    return std::nullopt;
  size_t i = 16;
  int64_t frac_ms = 0;
  if (i < s.size() && s[i] == ':') {
    if (!Digits(s, i + 1, 2, &ss)) return std::nullopt;
    i += 3;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      ++i;
      size_t start = i;
      int64_t scale = 100;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        frac_ms += (s[i] - '0') * scale;
        scale /= 10;
        ++i;
      }
      if (i == start) return std::nullopt;
    }
  }
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  ms += ((hh * 60 + mm) * 60 + ss) * int64_t{1000} + frac_ms;
  if (i == s.size()) return ms;
  if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == s.size()) return ms;
  if (s[i] != '+' && s[i] != '-') return std::nullopt;
  int oh, om = 0;
  if (!Digits(s, i + 1, 2, &oh)) return std::nullopt;
  size_t j = i + 3;
  if (j < s.size() && s[j] == ':') ++j;
  if (j < s.size()) {
    if (!Digits(s, j, 2, &om)) return std::nullopt;
    j += 2;
  }
  if (j != s.size() || oh > 23 || om > 59) return std::nullopt;
  int64_t offset = (oh * 60 + om) * int64_t{60000};
  return s[i] == '+' ? ms - offset : ms + offset;
}

std::string FormatIso8601(int64_t epoch_ms) {
  int64_t days = DaysOf(epoch_ms);
  int64_t rem = epoch_ms - days * 86400000;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", y, m, d, rem / 3600000,
                     rem / 60000 % 60, rem / 1000 % 60, rem % 1000);
}

std::string FormatDate(int64_t epoch_ms) { return FormatIso8601(epoch_ms).substr(0, 10); }

std::string FormatIso8601(int64_t epoch_ms, int32_t offset_minutes) {
  std::string text = FormatIso8601(epoch_ms + int64_t{offset_minutes} * 60000);
  if (offset_minutes == 0) return text;
  int32_t magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  text.pop_back();  // the 'Z'
  text +=
      fmt::format("{}{:02}:{:02}", offset_minutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
  return text;
}

}  // namespace verity
