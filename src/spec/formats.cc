#include "spec/formats.h"

#include <cstddef>

namespace verity::spec {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Reads exactly `n` digits at `text[at]`, or returns -1.
int Digits(std::string_view text, size_t at, size_t n) {
  if (at + n > text.size()) return -1;
  int value = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (!IsDigit(text[i])) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool IsLeapYear(int year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// "YYYY-MM-DD" at the start of `text`; the caller checks what follows.
bool FullDatePrefix(std::string_view text) {
  int year = Digits(text, 0, 4);
  if (year < 0 || text.size() < 10 || text[4] != '-' || text[7] != '-') return false;
  int month = Digits(text, 5, 2);
  int day = Digits(text, 8, 2);
  if (month < 1 || month > 12) return false;
  return day >= 1 && day <= DaysInMonth(year, month);
}

// "HH:MM:SS[.frac](Z|±HH:MM)", all of `text`.
bool FullTime(std::string_view text) {
  int hour = Digits(text, 0, 2);
  if (hour < 0 || hour > 23 || text.size() < 8 || text[2] != ':' || text[5] != ':') return false;
  int minute = Digits(text, 3, 2);
  int second = Digits(text, 6, 2);
  if (minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  size_t at = 8;
  if (at < text.size() && text[at] == '.') {
    size_t start = ++at;
    while (at < text.size() && IsDigit(text[at])) ++at;
    if (at == start) return false;
  }
  if (at == text.size()) return false;  // RFC 3339 requires an offset
  char zone = text[at];
  if (zone == 'Z' || zone == 'z') return at + 1 == text.size();
  if (zone != '+' && zone != '-') return false;
  if (text.size() != at + 6 || text[at + 3] != ':') return false;
  int offset_hour = Digits(text, at + 1, 2);
  int offset_minute = Digits(text, at + 4, 2);
  return offset_hour >= 0 && offset_hour <= 23 && offset_minute >= 0 && offset_minute <= 59;
}

bool IsControlOrSpace(unsigned char c) { return c <= 0x20 || c == 0x7F; }

bool IsDomainLabelChar(unsigned char c) {
  // Bytes ≥ 0x80 are the UTF-8 of an internationalized domain name.
  return IsAlpha(static_cast<char>(c)) || IsDigit(static_cast<char>(c)) || c == '-' || c >= 0x80;
}

}  // namespace

StringFormat ParseStringFormat(std::string_view name) {
  if (name == "date-time") return StringFormat::kDateTime;
  if (name == "date") return StringFormat::kDate;
  if (name == "uuid") return StringFormat::kUuid;
  if (name == "email") return StringFormat::kEmail;
  if (name == "uri") return StringFormat::kUri;
  return StringFormat::kNone;
}

const char* StringFormatName(StringFormat format) {
  switch (format) {
    case StringFormat::kNone:
      return "";
    case StringFormat::kDateTime:
      return "date-time";
    case StringFormat::kDate:
      return "date";
    case StringFormat::kUuid:
      return "uuid";
    case StringFormat::kEmail:
      return "email";
    case StringFormat::kUri:
      return "uri";
  }
  return "";
}

bool IsDate(std::string_view text) { return text.size() == 10 && FullDatePrefix(text); }

bool IsDateTime(std::string_view text) {
  if (text.size() < 20 || !FullDatePrefix(text)) return false;
  if (text[10] != 'T' && text[10] != 't') return false;
  return FullTime(text.substr(11));
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !IsHex(text[i])) return false;
  }
  return true;
}

bool IsEmail(std::string_view text) {
  size_t at = text.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= text.size()) return false;
  if (text.find('@', at + 1) != std::string_view::npos) return false;
  for (size_t i = 0; i < at; ++i) {
    if (IsControlOrSpace(static_cast<unsigned char>(text[i]))) return false;
  }
  std::string_view domain = text.substr(at + 1);
  if (domain.front() == '[') {  // an address literal
    if (domain.size() < 3 || domain.back() != ']') return false;
    for (char c : domain.substr(1, domain.size() - 2)) {
      if (!IsHex(c) && c != '.' && c != ':' && !IsAlpha(c)) return false;
    }
    return true;
  }
  size_t label = 0;
  for (char c : domain) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
    } else if (IsDomainLabelChar(static_cast<unsigned char>(c))) {
      ++label;
    } else {
      return false;
    }
  }
  return label > 0;
}

bool IsUri(std::string_view text) {
  if (text.empty() || !IsAlpha(text[0])) return false;
  size_t i = 1;
  while (i < text.size() && (IsAlpha(text[i]) || IsDigit(text[i]) || text[i] == '+' ||
                             text[i] == '-' || text[i] == '.')) {
    ++i;
  }
  if (i == text.size() || text[i] != ':') return false;
  for (++i; i < text.size(); ++i) {
    if (IsControlOrSpace(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

bool MatchesFormat(StringFormat format, std::string_view text) {
  switch (format) {
    case StringFormat::kNone:
      return true;
    case StringFormat::kDateTime:
      return IsDateTime(text);
    case StringFormat::kDate:
      return IsDate(text);
    case StringFormat::kUuid:
      return IsUuid(text);
    case StringFormat::kEmail:
      return IsEmail(text);
    case StringFormat::kUri:
      return IsUri(text);
  }
  return true;
}

}  // namespace verity::spec
