#include "expr/jsonpath_iregexp.h"

#include <re2/re2.h>

#include <cstdint>
#include <vector>

#include "base/strings.h"

namespace verity::expr::jsonpath_detail {
namespace {

// RE2's \p{C} is Cc|Cf|Co|Cs; I-Regexp's (after XML Schema) also holds the unassigned code points
// (Cn), which RE2 has no name for. Both are expressed through what *is* assigned.
constexpr std::string_view kAssignedButC = R"(\p{L}\p{M}\p{N}\p{P}\p{S}\p{Z})";
constexpr std::string_view kAssigned = R"(\p{L}\p{M}\p{N}\p{P}\p{S}\p{Z}\p{C})";

// A set of characters as the text inside an RE2 `[…]`, possibly complemented.
struct CharSet {
  std::string items;
  bool complement = false;
};

class Translator {
 public:
  explicit Translator(std::string_view p) : p_(p) {}

  bool Run(std::string* out) {
    int depth = 0;
    // A quantifier needs something to repeat, and I-Regexp allows one quantifier per atom.
    bool after_atom = false;
    while (i_ < p_.size()) {
      char c = p_[i_];
      switch (c) {
        case '(':
          ++i_;
          ++depth;
          out->append("(?:");
          after_atom = false;
          break;
        case ')':
          if (depth == 0) return false;
          ++i_;
          --depth;
          out->push_back(')');
          after_atom = true;
          break;
        case '|':
          ++i_;
          out->push_back('|');
          after_atom = false;
          break;
        case '*':
        case '+':
        case '?':
          if (!after_atom) return false;
          ++i_;
          out->push_back(c);
          after_atom = false;
          break;
        case '{':
          if (!after_atom || !Quantifier(out)) return false;
          after_atom = false;
          break;
        case '.':
          ++i_;
          out->append("[^\\n\\r]");
          after_atom = true;
          break;
        case '^':
        case '$':
          // Not I-Regexp atoms, but the JSONPath compliance suite expects them to anchor (as the
          // ECMAScript mapping in RFC 9485 §5.3 does); RE2 anchors at the text's ends by default.
          ++i_;
          out->push_back(c);
          after_atom = false;
          break;
        case '[': {
          ++i_;
          if (!Class(out)) return false;
          after_atom = true;
          break;
        }
        case '\\': {
          CharSet set;
          if (!Escape(&set)) return false;
          EmitSet(set, out);
          after_atom = true;
          break;
        }
        case ']':
        case '}':
          return false;
        default: {
          uint32_t cp = 0;
          if (!NextCodePoint(&cp)) return false;
          AppendLiteral(cp, out);
          after_atom = true;
          break;
        }
      }
    }
    return depth == 0;
  }

 private:
  // `{n}`, `{n,}` or `{n,m}`, copied through; RE2 itself refuses counts above 1000 or n > m.
  bool Quantifier(std::string* out) {
    size_t j = i_ + 1;
    auto digits = [&] {
      size_t from = j;
      while (j < p_.size() && p_[j] >= '0' && p_[j] <= '9') ++j;
      return j > from;
    };
    if (!digits()) return false;
    if (j < p_.size() && p_[j] == ',') {
      ++j;
      digits();
    }
    if (j >= p_.size() || p_[j] != '}') return false;
    out->append(p_.substr(i_, j + 1 - i_));
    i_ = j + 1;
    return true;
  }

  // At a backslash: a single-character escape or a category escape.
  bool Escape(CharSet* set) {
    if (i_ + 1 >= p_.size()) return false;
    char e = p_[i_ + 1];
    i_ += 2;
    switch (e) {
      case 'n':
        set->items = "\\n";
        return true;
      case 'r':
        set->items = "\\r";
        return true;
      case 't':
        set->items = "\\t";
        return true;
      case '(':
      case ')':
      case '*':
      case '+':
      case '-':
      case '.':
      case '?':
      case '[':
      case '\\':
      case ']':
      case '^':
      case '{':
      case '|':
      case '}':
        set->items = {'\\', e};
        return true;
      case 'p':
      case 'P':
        return Category(e == 'P', set);
      default:
        return false;
    }
  }

  // After `\p` or `\P`: `{` IsCategory `}`.
  bool Category(bool negated, CharSet* set) {
    size_t close = p_.find('}', i_);
    if (i_ >= p_.size() || p_[i_] != '{' || close == std::string_view::npos) return false;
    std::string_view name = p_.substr(i_ + 1, close - i_ - 1);
    i_ = close + 1;
    static const std::vector<std::string_view> kDirect = {
        "L",  "Ll", "Lm", "Lo", "Lt", "Lu", "M",  "Mc", "Me", "Mn", "N", "Nd",
        "Nl", "No", "P",  "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc",
        "Sk", "Sm", "So", "Z",  "Zl", "Zp", "Zs", "Cc", "Cf", "Co"};
    for (std::string_view d : kDirect) {
      if (d == name) {
        set->items = std::string(negated ? "\\P{" : "\\p{") + std::string(name) + "}";
        return true;
      }
    }
    if (name == "C") {
      set->items = std::string(kAssignedButC);
      set->complement = !negated;
      return true;
    }
    if (name == "Cn") {
      set->items = std::string(kAssigned);
      set->complement = !negated;
      return true;
    }
    return false;
  }

  // After `[`: the class up to its `]`.
  bool Class(std::string* out) {
    bool negated = false;
    if (i_ < p_.size() && p_[i_] == '^') {
      negated = true;
      ++i_;
    }
    std::string positive;
    std::vector<std::string> complements;
    bool first = true;
    while (true) {
      if (i_ >= p_.size()) return false;
      char c = p_[i_];
      if (c == ']' && !first) {
        ++i_;
        break;
      }
      if (c == '-') {
        // Only first or last: `[-a]`, `[a-]`.
        bool last = i_ + 1 < p_.size() && p_[i_ + 1] == ']';
        if (!first && !last) return false;
        ++i_;
        positive.append("\\-");
        first = false;
        continue;
      }
      first = false;
      if (c == '\\' && i_ + 1 < p_.size() && (p_[i_ + 1] == 'p' || p_[i_ + 1] == 'P')) {
        CharSet set;
        if (!Escape(&set)) return false;
        if (set.complement) {
          complements.push_back(std::move(set.items));
        } else {
          positive.append(set.items);
        }
        continue;
      }
      std::string low;
      if (!ClassChar(&low)) return false;
      if (i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
        ++i_;
        std::string high;
        if (!ClassChar(&high)) return false;
        positive.append(low).append("-").append(high);
      } else {
        positive.append(low);
      }
    }
    if (complements.empty()) {
      out->append(negated ? "[^" : "[").append(positive).append("]");
      return true;
    }
    if (negated) {
      // Not (P or not C) is (C and not P): RE2 has no intersection, so only P empty with one C.
      if (!positive.empty() || complements.size() != 1) return false;
      out->append("[").append(complements[0]).append("]");
      return true;
    }
    out->append("(?:");
    bool bar = false;
    if (!positive.empty()) {
      out->append("[").append(positive).append("]");
      bar = true;
    }
    for (const std::string& c : complements) {
      if (bar) out->push_back('|');
      out->append("[^").append(c).append("]");
      bar = true;
    }
    out->push_back(')');
    return true;
  }

  // One CCchar: any character but `-`, `[`, `\`, `]`, or a single-character escape.
  bool ClassChar(std::string* out) {
    char c = p_[i_];
    if (c == '[' || c == ']' || c == '-') return false;
    if (c == '\\') {
      if (i_ + 1 < p_.size() && (p_[i_ + 1] == 'p' || p_[i_ + 1] == 'P')) return false;
      CharSet set;
      if (!Escape(&set)) return false;
      *out = std::move(set.items);
      return true;
    }
    uint32_t cp = 0;
    if (!NextCodePoint(&cp)) return false;
    AppendLiteral(cp, out);
    return true;
  }

  bool NextCodePoint(uint32_t* cp) { return verity::NextCodePoint(p_, &i_, cp); }

  static void AppendLiteral(uint32_t cp, std::string* out) {
    if (cp < 0x20 || cp == 0x7F) {
      static const char kHex[] = "0123456789abcdef";
      out->append("\\x{");
      out->push_back(kHex[cp >> 4]);
      out->push_back(kHex[cp & 15]);
      out->push_back('}');
    } else if (cp < 0x80) {
      char c = static_cast<char>(cp);
      bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!alnum && c != ' ' && c != '_') out->push_back('\\');
      out->push_back(c);
    } else {
      AppendUtf8(cp, out);
    }
  }

  static void EmitSet(const CharSet& set, std::string* out) {
    if (set.complement) {
      out->append("[^").append(set.items).append("]");
    } else {
      out->append(set.items);
    }
  }

  std::string_view p_;
  size_t i_ = 0;
};

}  // namespace

bool TranslateIRegexp(std::string_view pattern, std::string* re2_pattern) {
  re2_pattern->clear();
  return Translator(pattern).Run(re2_pattern);
}

std::shared_ptr<const re2::RE2> CompileIRegexp(std::string_view pattern) {
  std::string translated;
  if (!TranslateIRegexp(pattern, &translated)) return nullptr;
  RE2::Options options;
  options.set_log_errors(false);
  auto regex = std::make_shared<const RE2>(translated, options);
  if (!regex->ok()) return nullptr;
  return regex;
}

bool RegexMatches(const re2::RE2* regex, std::string_view text, bool whole) {
  if (regex == nullptr) return false;
  return whole ? RE2::FullMatch(text, *regex) : RE2::PartialMatch(text, *regex);
}

std::shared_ptr<const re2::RE2> RegexCache::Get(const std::string& pattern) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(pattern);
  if (it != entries_.end()) return it->second;
  // Dropping everything is crude but keeps a document full of distinct patterns from growing
  // the cache without bound; real queries use a handful.
  if (entries_.size() >= kMaxEntries) entries_.clear();
  std::shared_ptr<const re2::RE2> regex = CompileIRegexp(pattern);
  entries_.emplace(pattern, regex);
  return regex;
}

}  // namespace verity::expr::jsonpath_detail
