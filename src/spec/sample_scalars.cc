// Strings (formats, patterns, lengths), numbers (bounds, multipleOf) and the values a schema
// gives itself (enum, example, default), varied per array item; realistic values by name or
// format come from the tables of sample_names.h.
#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spec/formats.h"
#include "spec/sample_internal.h"
#include "spec/sample_names.h"
#include "spec/schema_values.h"

namespace verity::spec::sample_detail {

using schema_detail::CountCodePoints;
using schema_detail::IsMultipleOf;
using schema_detail::JsonEqual;

namespace {

// A string matching a simple regular expression: literals, escapes, classes, groups (the first
// alternative is taken) and quantifiers (their minimum). nullopt for what it does not know
// (lookaround, backreferences); the caller checks the result with RE2 either way.
class PatternSampler {
 public:
  explicit PatternSampler(std::string_view pattern) : p_(pattern) {}

  std::optional<std::string> Run() {
    std::string out;
    if (!Alternatives(out, 0) || i_ != p_.size()) return std::nullopt;
    return out;
  }

 private:
  bool Alternatives(std::string& out, int depth) {
    if (depth > 32) return false;
    if (!Sequence(out, depth)) return false;
    while (i_ < p_.size() && p_[i_] == '|') {
      ++i_;
      std::string ignored;
      if (!Sequence(ignored, depth)) return false;
    }
    return true;
  }

  bool Sequence(std::string& out, int depth) {
    while (i_ < p_.size() && p_[i_] != '|' && p_[i_] != ')') {
      std::string atom;
      if (!Atom(atom, depth)) return false;
      size_t times = 1;
      bool quantified = false;
      if (i_ < p_.size()) {
        char c = p_[i_];
        if (c == '*' || c == '?') {
          times = 0;
          quantified = true;
          ++i_;
        } else if (c == '+') {
          quantified = true;
          ++i_;
        } else if (c == '{') {
          size_t close = p_.find('}', i_);
          if (close == std::string_view::npos) return false;
          std::string_view inside = p_.substr(i_ + 1, close - i_ - 1);
          size_t n = 0;
          size_t digits = 0;
          while (digits < inside.size() && inside[digits] >= '0' && inside[digits] <= '9') {
            n = n * 10 + static_cast<size_t>(inside[digits] - '0');
            if (n > kMaxPatternRepeat) return false;
            ++digits;
          }
          if (digits == 0) return false;
          times = n;
          quantified = true;
          i_ = close + 1;
        }
      }
      // Lazy and possessive forms ("a+?", "a*+") repeat as often at the minimum.
      if (quantified && i_ < p_.size() && (p_[i_] == '?' || p_[i_] == '+')) ++i_;
      for (size_t k = 0; k < times; ++k) out += atom;
      if (out.size() > 4096) return false;
    }
    return true;
  }

  static char ClassEscape(char c) {
    switch (c) {
      case 'd':
        return '0';
      case 'w':
        return 'a';
      case 's':
        return ' ';
      case 'D':
      case 'S':
        return 'a';
      case 'W':
        return '-';
      case 'n':
        return '\n';
      case 't':
        return '\t';
      default:
        return c;
    }
  }

  bool Atom(std::string& out, int depth) {
    char c = p_[i_++];
    switch (c) {
      case '^':
      case '$':
        return true;
      case '.':
        out += 'a';
        return true;
      case '*':
      case '+':
      case '?':
      case '{':
        return false;
      case '(': {
        if (i_ < p_.size() && p_[i_] == '?') {
          if (p_.substr(i_, 2) == "?:") {
            i_ += 2;
          } else if (p_.substr(i_, 2) == "?<" || p_.substr(i_, 3) == "?P<") {
            size_t close = p_.find('>', i_);
            if (close == std::string_view::npos || p_.substr(i_, 3) == "?<=" ||
                p_.substr(i_, 3) == "?<!") {
              return false;
            }
            i_ = close + 1;
          } else {
            return false;  // lookaround, flags
          }
        }
        if (!Alternatives(out, depth + 1)) return false;
        if (i_ >= p_.size() || p_[i_] != ')') return false;
        ++i_;
        return true;
      }
      case '[':
        return Class(out);
      case '\\': {
        if (i_ >= p_.size()) return false;
        char e = p_[i_++];
        if (e == 'b' || e == 'B' || e == 'A' || e == 'z' || e == 'Z') return true;
        if ((e >= '1' && e <= '9') || e == 'x' || e == 'u' || e == 'p' || e == 'P') return false;
        out += ClassEscape(e);
        return true;
      }
      default:
        out += c;
        return true;
    }
  }

  bool Class(std::string& out) {
    bool negated = i_ < p_.size() && p_[i_] == '^';
    if (negated) ++i_;
    std::vector<std::pair<char, char>> ranges;
    bool first = true;
    while (i_ < p_.size() && (p_[i_] != ']' || first)) {
      first = false;
      char lo = p_[i_++];
      if (lo == '\\') {
        if (i_ >= p_.size()) return false;
        char e = p_[i_++];
        if (e == 'd') {
          ranges.emplace_back('0', '9');
          continue;
        }
        if (e == 'w') {
          ranges.emplace_back('a', 'z');
          ranges.emplace_back('A', 'Z');
          ranges.emplace_back('0', '9');
          ranges.emplace_back('_', '_');
          continue;
        }
        if (e == 's') {
          ranges.emplace_back(' ', ' ');
          continue;
        }
        if (e == 'x' || e == 'u' || e == 'p' || e == 'P') return false;
        lo = ClassEscape(e);
      } else if (lo == '[' && i_ < p_.size() && p_[i_] == ':') {
        return false;  // [:alpha:]
      }
      char hi = lo;
      if (i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
        hi = p_[i_ + 1];
        if (hi == '\\') return false;
        i_ += 2;
      }
      ranges.emplace_back(lo, hi);
    }
    if (i_ >= p_.size()) return false;
    ++i_;  // ']'
    if (ranges.empty()) return false;
    if (!negated) {
      out += ranges.front().first;
      return true;
    }
    for (char candidate : std::string_view("aA0_-x.!")) {
      bool excluded = std::any_of(ranges.begin(), ranges.end(), [&](auto r) {
        return candidate >= r.first && candidate <= r.second;
      });
      if (!excluded) {
        out += candidate;
        return true;
      }
    }
    return false;
  }

  std::string_view p_;
  size_t i_ = 0;
};

}  // namespace

Json Sampler::FromEnum(const Facts& f) {
  const Json& values = *f.enums.front();
  uint8_t mask = f.typed ? f.types : 0xff;
  size_t n = values.size();
  size_t start = ordinal_ % n;
  // A null enum member last: "nullable: true, enum: [a, null]" reads best with "a".
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t k = 0; k < n; ++k) {
      const Json& v = values[(start + k) % n];
      if (v.is_null() != (pass == 1)) continue;
      if (!v.is_null() && !(ValueType(v) & mask)) continue;
      bool everywhere = std::all_of(f.enums.begin() + 1, f.enums.end(), [&](const Json* other) {
        return std::any_of(other->begin(), other->end(),
                           [&](const Json& o) { return JsonEqual(o, v); });
      });
      if (everywhere) return v;
    }
  }
  return values.front();
}

bool Sampler::StringFits(const Facts& f, std::string_view s) {
  auto length = static_cast<int64_t>(CountCodePoints(s));
  if (length < f.min_length || (f.max_length >= 0 && length > f.max_length)) return false;
  if (f.format && !MatchesFormat(ParseStringFormat(*f.format), s)) return false;
  for (const std::string* pattern : f.patterns) {
    const re2::RE2* regex = Regex(*pattern);
    if (regex && !RE2::PartialMatch(s, *regex)) return false;
  }
  return true;
}

bool Sampler::NumberFits(const Facts& f, const Json& v) {
  double d = v.get<double>();
  if (f.low && (d < *f.low || (f.low_exclusive && d == *f.low))) return false;
  if (f.high && (d > *f.high || (f.high_exclusive && d == *f.high))) return false;
  return std::all_of(f.multiples.begin(), f.multiples.end(),
                     [&](const Json* m) { return IsMultipleOf(v, *m); });
}

const re2::RE2* Sampler::Regex(const std::string& pattern) {
  auto it = regexes_.find(&pattern);
  if (it == regexes_.end()) {
    RE2::Options o;
    o.set_log_errors(false);
    auto regex = std::make_unique<re2::RE2>(pattern, o);
    // The validator ignores a pattern RE2 cannot compile; so does the sampler.
    if (!regex->ok()) regex.reset();
    it = regexes_.emplace(&pattern, std::move(regex)).first;
  }
  return it->second.get();
}

// An example or default for the current array item: the item's number appended or added where
// the schema still accepts it, so that a thousand items do not all say the same thing.
Json Sampler::Vary(const Json& value, const Facts& f) {
  if (ordinal_ == 0 || !f.enums.empty()) return value;
  std::string n = std::to_string(ordinal_);
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    StringFormat format = f.format ? ParseStringFormat(*f.format) : StringFormat::kNone;
    std::string varied;
    if (format == StringFormat::kNone || format == StringFormat::kUri) {
      varied = s + "-" + n;
    } else if (format == StringFormat::kEmail) {
      size_t at = s.rfind('@');
      if (at != std::string::npos) varied = s.substr(0, at) + "-" + n + s.substr(at);
    } else if (format == StringFormat::kUuid) {
      varied = Uuid();
    }
    if (!varied.empty() && StringFits(f, varied)) return varied;
    return value;
  }
  if (value.is_number_integer() || value.is_number_unsigned()) {
    int64_t base =
        value.is_number_unsigned()
            ? static_cast<int64_t>(std::min<uint64_t>(value.get<uint64_t>(), INT64_MAX / 2))
            : value.get<int64_t>();
    if (base < INT64_MAX / 2 && base > INT64_MIN / 2) {
      Json varied = base + static_cast<int64_t>(ordinal_);
      if (NumberFits(f, varied)) return varied;
    }
    return value;
  }
  if (value.is_number_float()) {
    Json varied = value.get<double>() + static_cast<double>(ordinal_);
    if (NumberFits(f, varied)) return varied;
  }
  return value;
}

std::string Sampler::Uuid() const { return RealisticString(ValueKind::kUuid, ordinal_, ""); }

// The value a `format` asks for ("date-time", "phone", "currency"); empty for a format no table
// knows, and, while realistic values are off, for one the sampler did not fill before they existed.
std::string Sampler::FormatSample(std::string_view format, std::string_view hint) const {
  FormatKind kind = KindOfFormat(format);
  if (plain_ && !kind.established) return {};
  return RealisticString(kind.kind, ordinal_, hint);
}

// The value a property's name asks for ("billing_city" → a city), when it fits every keyword of
// the schema; empty otherwise, and the name itself is used as before.
std::string Sampler::NamedSample(const Facts& f, std::string_view hint) {
  if (plain_ || hint.empty()) return {};
  std::string s = RealisticString(KindOfName(hint), ordinal_, hint);
  if (s.empty() || !StringFits(f, s)) return {};
  return s;
}

Json Sampler::MakeString(const Facts& f, std::string_view hint, const SchemaRef& where) {
  std::string s;
  if (f.format) {
    s = FormatSample(*f.format, hint);
    // A value for a format the validator does not check, and that does not fit the schema,
    // gives way to the name's value or the name: both are as good for that format.
    if (!s.empty() && ParseStringFormat(*f.format) == StringFormat::kNone &&
        !KindOfFormat(*f.format).established && !StringFits(f, s)) {
      s.clear();
    }
  }
  if (s.empty()) s = NamedSample(f, hint);
  if (s.empty()) {
    s = hint.empty() ? "string" : std::string(hint);
    if (ordinal_) s += "-" + std::to_string(ordinal_);
  }
  if (static_cast<uint64_t>(f.min_length) > options_.max_string_length) {
    if (error_.ok()) {
      error_ =
          Status::LimitExceeded(where.Location() + ": minLength " + std::to_string(f.min_length) +
                                " is longer than " + std::to_string(options_.max_string_length));
    }
    return "";
  }
  if (!f.patterns.empty() && !StringFits(f, s)) {
    std::optional<std::string> matching = PatternSampler(*f.patterns.front()).Run();
    if (matching) s = std::move(*matching);
  }
  Fit(f, s);
  AddUniqueSuffix(f, s, hint);
  if (!StringFits(f, s)) Note(where.Location() + ": no string found that satisfies the schema");
  Spend(s.size() / 64);
  return s;
}

void Sampler::AddUniqueSuffix(const Facts& f, std::string& s, std::string_view hint) const {
  const std::string& suffix = options_.unique_suffix;
  if (suffix.empty() || !f.patterns.empty()) return;
  bool email = f.format ? *f.format == "email" || *f.format == "idn-email"
                        : KindOfName(hint) == ValueKind::kEmail;
  if (f.format && !email) return;
  // Only what a server may hold unique (a name, a title, a handle) gets it: a code such as a
  // currency or a country would no longer be one.
  switch (email || f.format ? ValueKind::kNone : KindOfName(hint)) {
    case ValueKind::kNone:
    case ValueKind::kFirstName:
    case ValueKind::kLastName:
    case ValueKind::kFullName:
    case ValueKind::kUsername:
    case ValueKind::kCompany:
    case ValueKind::kJobTitle:
    case ValueKind::kProduct:
    case ValueKind::kTitle:
    case ValueKind::kSentence:
    case ValueKind::kTag:
    case ValueKind::kSlug:
      break;
    default:
      return;
  }
  // The suffix is a template: what it renders to (a timestamp, at most 20 digits) must fit too.
  if (f.max_length >= 0 && static_cast<int64_t>(CountCodePoints(s) + 21) > f.max_length) return;
  size_t at = email ? s.find('@') : std::string::npos;
  if (at == std::string::npos) {
    s += "-" + suffix;
  } else {
    s.insert(at, "+" + suffix);
  }
}

void Sampler::Fit(const Facts& f, std::string& s) {
  auto length = static_cast<int64_t>(CountCodePoints(s));
  if (length < f.min_length) s.append(static_cast<size_t>(f.min_length - length), 'x');
  if (f.max_length >= 0 && length > f.max_length) {
    // Back to a code point boundary: made-up strings start from property names, which may be
    // any Unicode.
    size_t cut = 0;
    for (int64_t kept = 0; cut < s.size() && kept < f.max_length; ++kept) {
      ++cut;
      while (cut < s.size() && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) ++cut;
    }
    s.resize(cut);
  }
}

Json Sampler::MakeNumber(const Facts& f, bool integer, std::string_view hint) {
  // A plausible value for the name ("age", "price", "latitude") when the bounds allow it.
  if (std::optional<double> named = plain_ ? std::nullopt : RealisticNumber(hint, ordinal_)) {
    double v = integer ? std::round(*named) : *named;
    Json out;
    if (v == std::floor(v) && std::fabs(v) < 9e15) {
      out = static_cast<int64_t>(v);
    } else {
      out = v;
    }
    if (NumberFits(f, out)) return out;
  }
  const double inf = std::numeric_limits<double>::infinity();
  double low = f.low ? *f.low : -inf;
  double high = f.high ? *f.high : inf;
  auto in_range = [&](double x) {
    return (f.low_exclusive ? x > low : x >= low) && (f.high_exclusive ? x < high : x <= high);
  };
  double step = 0;
  for (const Json* m : f.multiples) step = std::max(step, m->get<double>());
  if (integer && step > 0 && step < 1) step = 1;
  double v = (integer ? 1.0 : 1.5) + static_cast<double>(ordinal_);
  if (!in_range(v)) {
    if (std::isfinite(low))
      v = f.low_exclusive ? low + 1 : low;
    else
      v = f.high_exclusive ? high - 1 : high;
    if (!in_range(v)) v = low + (high - low) / 2;  // a narrow range: 0 < x < 1
  }
  if (step > 0) {
    double k = std::ceil(v / step);
    for (double candidate : {k, k + 1, std::floor(high / step), std::floor(high / step) - 1}) {
      if (in_range(candidate * step)) {
        v = candidate * step;
        break;
      }
    }
    if (!integer) {
      // 3 * 0.01 is 0.030000000000000002: rounded to the step's decimals, as a person writes it.
      double scale = std::pow(10.0, std::max(0.0, std::ceil(-std::log10(step))) + 2);
      if (scale < 1e12) v = std::round(v * scale) / scale;
    }
  } else if (integer && v != std::floor(v)) {
    v = in_range(std::ceil(v)) ? std::ceil(v) : std::floor(v);
  }
  Json out;
  if ((integer || v == std::floor(v)) && std::fabs(v) < 9e15) {
    out = static_cast<int64_t>(v);
  } else {
    out = v;
  }
  if (!NumberFits(f, out)) Note("no number found within the bounds and multipleOf of a schema");
  return out;
}

}  // namespace verity::spec::sample_detail
