#include "expr/predicate.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cmath>

#include "base/strings.h"

namespace verity::expr {

namespace {

struct OpInfo {
  PredicateOp op;
  std::string_view name;
};

constexpr OpInfo kOps[] = {
    {PredicateOp::kEquals, "equals"},
    {PredicateOp::kNotEquals, "not_equals"},
    {PredicateOp::kExists, "exists"},
    {PredicateOp::kAbsent, "absent"},
    {PredicateOp::kContains, "contains"},
    {PredicateOp::kNotContains, "not_contains"},
    {PredicateOp::kMatches, "matches"},
    {PredicateOp::kIn, "in"},
    {PredicateOp::kType, "type"},
    {PredicateOp::kCount, "count"},
    {PredicateOp::kLength, "length"},
    {PredicateOp::kLt, "lt"},
    {PredicateOp::kLe, "le"},
    {PredicateOp::kGt, "gt"},
    {PredicateOp::kGe, "ge"},
    {PredicateOp::kIsEmpty, "is_empty"},
    {PredicateOp::kNotEmpty, "not_empty"},
};

bool IsComparison(PredicateOp op) {
  return op == PredicateOp::kLt || op == PredicateOp::kLe || op == PredicateOp::kGt ||
         op == PredicateOp::kGe;
}

bool IsFlag(PredicateOp op) {
  return op == PredicateOp::kExists || op == PredicateOp::kAbsent || op == PredicateOp::kIsEmpty ||
         op == PredicateOp::kNotEmpty;
}

// "the string \"42\"", "the number 42", "an array of 3 items": how a value is named in messages.
std::string Kind(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::discarded:
    case Json::value_t::binary:
      return "a value";
    default:
      return "a number";
  }
}

std::string TypeName(const Json& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return "integer";
  if (v.is_number_float()) {
    double d = v.get<double>();
    return std::isfinite(d) && d == std::floor(d) ? "integer" : "number";
  }
  switch (v.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::string:
      return "string";
    case Json::value_t::array:
      return "array";
    default:
      return "object";
  }
}

// Any JSON integer, signed or not, as one type that orders them all.
__int128 Wide(const Json& v) {
  return v.is_number_unsigned() ? static_cast<__int128>(v.get<uint64_t>())
                                : static_cast<__int128>(v.get<int64_t>());
}

bool NumbersEqual(const Json& a, const Json& b) {
  if (a.is_number_integer() && b.is_number_integer()) return Wide(a) == Wide(b);
  return a.get<double>() == b.get<double>();
}

// JSON equality, numbers by value at any depth.
bool Same(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return NumbersEqual(a, b);
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!Same(a[i], b[i])) return false;
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto other = b.find(it.key());
      if (other == b.end() || !Same(*it, *other)) return false;
    }
    return true;
  }
  return a == b;
}

// Why two values are not the same when their types differ: the case a reader cannot see in two
// JSON texts that look alike ("42" and 42).
std::string Mismatch(const Json& expected, const Json& actual) {
  if (expected.is_number() != actual.is_number() || expected.type() != actual.type()) {
    if (!(expected.is_number() && actual.is_number()))
      return fmt::format("expected {}, got {}", Kind(expected), Kind(actual));
  }
  return "the values differ";
}

// -1, 0, 1; nullopt when the two cannot be ordered (not both numbers, not both strings).
std::optional<int> Order(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) {
    if (NumbersEqual(a, b)) return 0;
    // Integers past 2^53 are distinct values that doubles would round together.
    if (a.is_number_integer() && b.is_number_integer()) return Wide(a) < Wide(b) ? -1 : 1;
    return a.get<double>() < b.get<double>() ? -1 : 1;
  }
  if (a.is_string() && b.is_string()) {
    int c = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  return std::nullopt;
}

bool Holds(PredicateOp op, int order) {
  switch (op) {
    case PredicateOp::kLt:
      return order < 0;
    case PredicateOp::kLe:
      return order <= 0;
    case PredicateOp::kGt:
      return order > 0;
    case PredicateOp::kGe:
      return order >= 0;
    default:
      return order == 0;
  }
}

std::string_view Symbol(PredicateOp op) {
  switch (op) {
    case PredicateOp::kLt:
      return "<";
    case PredicateOp::kLe:
      return "<=";
    case PredicateOp::kGt:
      return ">";
    case PredicateOp::kGe:
      return ">=";
    default:
      return "==";
  }
}

bool Contains(const Json& subject, const Json& operand) {
  if (subject.is_string())
    return operand.is_string() && subject.get_ref<const std::string&>().find(
                                      operand.get_ref<const std::string&>()) != std::string::npos;
  if (subject.is_array()) {
    for (const Json& item : subject)
      if (Same(item, operand)) return true;
    return false;
  }
  if (subject.is_object()) {
    if (operand.is_string()) return subject.contains(operand.get_ref<const std::string&>());
    if (!operand.is_object()) return false;
    for (auto it = operand.begin(); it != operand.end(); ++it) {
      auto found = subject.find(it.key());
      if (found == subject.end() || !Same(*found, *it)) return false;
    }
    return true;
  }
  return false;
}

bool IsEmptyValue(const Json& v) {
  return (v.is_string() && v.get_ref<const std::string&>().empty()) ||
         ((v.is_array() || v.is_object()) && v.empty());
}

class Judge {
 public:
  Judge(const Predicate& p, const Json* subject, const PredicateOptions& options)
      : p_(p), subject_(subject), options_(options) {}

  PredicateResult Run() {
    result_.expected = Show(p_.operand);
    result_.actual = subject_ ? Show(*subject_) : "(nothing)";
    if (IsFlag(p_.op)) return Flag();
    if (!subject_) return Fail("the path selected nothing");
    const Json& s = *subject_;
    switch (p_.op) {
      case PredicateOp::kEquals:
        return Same(s, p_.operand) ? Pass() : Fail(Mismatch(p_.operand, s));
      case PredicateOp::kNotEquals:
        return !Same(s, p_.operand) ? Pass() : Fail("the values are equal");
      case PredicateOp::kContains:
      case PredicateOp::kNotContains:
        return ContainsCheck(s);
      case PredicateOp::kMatches:
        return MatchesCheck(s);
      case PredicateOp::kIn:
        for (const Json& option : p_.operand)
          if (Same(s, option)) return Pass();
        return Fail("the value is none of those listed");
      case PredicateOp::kType: {
        std::string type = TypeName(s);
        const std::string& want = p_.operand.get_ref<const std::string&>();
        bool ok = type == want || (want == "number" && type == "integer");
        return ok ? Pass() : Fail(fmt::format("expected type {}, got {}", want, type));
      }
      case PredicateOp::kCount:
      case PredicateOp::kLength:
        return SizeCheck(s);
      default:
        return CompareCheck(s);
    }
  }

 private:
  std::string Show(const Json& v) const {
    return BoundedExcerpt(v, options_.max_chars, options_.mask, options_.mask_margin);
  }

  PredicateResult Pass() {
    result_.passed = true;
    return result_;
  }
  PredicateResult Fail(std::string why) {
    result_.passed = false;
    result_.why = options_.mask ? options_.mask(why) : std::move(why);
    return result_;
  }

  PredicateResult Flag() {
    bool want = p_.operand.is_boolean() ? p_.operand.get<bool>() : true;
    switch (p_.op) {
      case PredicateOp::kExists:
      case PredicateOp::kAbsent: {
        bool exists_wanted = (p_.op == PredicateOp::kExists) == want;
        if ((subject_ != nullptr) == exists_wanted) return Pass();
        return Fail(exists_wanted ? "the path selected nothing" : "the path selected a value");
      }
      default: {
        if (!subject_) return Fail("the path selected nothing");
        if (!subject_->is_string() && !subject_->is_array() && !subject_->is_object())
          return Fail(fmt::format("{} applies to a string, an array or an object, got {}",
                                  PredicateOpName(p_.op), Kind(*subject_)));
        bool empty_wanted = (p_.op == PredicateOp::kIsEmpty) == want;
        if (IsEmptyValue(*subject_) == empty_wanted) return Pass();
        return Fail(empty_wanted ? "the value is not empty" : "the value is empty");
      }
    }
  }

  PredicateResult ContainsCheck(const Json& s) {
    bool want = p_.op == PredicateOp::kContains;
    if (!s.is_string() && !s.is_array() && !s.is_object())
      return Fail(fmt::format("{} applies to a string, an array or an object, got {}",
                              PredicateOpName(p_.op), Kind(s)));
    if (s.is_string() && !p_.operand.is_string())
      return Fail(
          fmt::format("a string contains only strings, and the operand is {}", Kind(p_.operand)));
    if (Contains(s, p_.operand) == want) return Pass();
    return Fail(want ? "the value does not contain it" : "the value contains it");
  }

  PredicateResult MatchesCheck(const Json& s) {
    if (!s.is_string()) return Fail(fmt::format("matches applies to a string, got {}", Kind(s)));
    std::shared_ptr<const re2::RE2> regex = p_.regex;
    if (!regex) {
      auto compiled = std::make_shared<re2::RE2>(p_.operand.get<std::string>(), re2::RE2::Quiet);
      if (!compiled->ok())
        return Fail("the pattern is not a valid RE2 expression: " + compiled->error());
      regex = std::move(compiled);
    }
    if (re2::RE2::PartialMatch(s.get_ref<const std::string&>(), *regex)) return Pass();
    return Fail("the string does not match the pattern");
  }

  PredicateResult SizeCheck(const Json& s) {
    std::optional<int64_t> size;
    if (p_.op == PredicateOp::kLength && s.is_string())
      size = CodePointCount(s.get_ref<const std::string&>());
    else if (s.is_array() || (p_.op == PredicateOp::kCount && s.is_object()))
      size = static_cast<int64_t>(s.size());
    if (!size)
      return Fail(p_.op == PredicateOp::kCount
                      ? fmt::format("count applies to an array or an object, got {}", Kind(s))
                      : fmt::format("length applies to a string or an array, got {}", Kind(s)));
    result_.actual = fmt::format("{} ({} {})", result_.actual, PredicateOpName(p_.op), *size);
    std::optional<int> order = Order(Json(*size), p_.operand);
    if (order && Holds(p_.compare, *order)) return Pass();
    return Fail(fmt::format("{} is {}, expected {} {}", PredicateOpName(p_.op), *size,
                            Symbol(p_.compare), p_.operand.dump()));
  }

  PredicateResult CompareCheck(const Json& s) {
    std::optional<int> order = Order(s, p_.operand);
    if (!order)
      return Fail(fmt::format("{} compares numbers with numbers and strings with strings; got {}",
                              PredicateOpName(p_.op), Kind(s)));
    if (Holds(p_.op, *order)) return Pass();
    return Fail(fmt::format("expected a value {} the operand", Symbol(p_.op)));
  }

  const Predicate& p_;
  const Json* subject_;
  const PredicateOptions& options_;
  PredicateResult result_;
};

void AppendBounded(const Json& v, size_t limit, std::string* out) {
  if (out->size() >= limit) return;
  if (v.is_array()) {
    out->push_back('[');
    bool first = true;
    for (const Json& item : v) {
      if (out->size() >= limit) return;
      if (!first) out->push_back(',');
      first = false;
      AppendBounded(item, limit, out);
    }
    out->push_back(']');
  } else if (v.is_object()) {
    out->push_back('{');
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (out->size() >= limit) return;
      if (!first) out->push_back(',');
      first = false;
      *out += Json(it.key()).dump(-1, ' ', false, Json::error_handler_t::replace);
      out->push_back(':');
      AppendBounded(*it, limit, out);
    }
    out->push_back('}');
  } else if (v.is_string() && v.get_ref<const std::string&>().size() > limit) {
    // A long string is cut before it is escaped: dumping 10 MB to show 200 characters is waste.
    const std::string& text = v.get_ref<const std::string&>();
    size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    std::string head =
        Json(text.substr(0, cut)).dump(-1, ' ', false, Json::error_handler_t::replace);
    head.pop_back();  // the closing quote: the string goes on
    *out += head;
  } else {
    *out += v.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

// `text` (serialized up to `limit` bytes) through `mask`, then cut to `max_chars` code points.
std::string CutExcerpt(std::string text, size_t limit, size_t max_chars, const TextMask& mask) {
  bool cut_short = text.size() >= limit;
  if (mask) text = mask(text);
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars++ == max_chars) return text.substr(0, i) + "…";
  }
  return cut_short ? text + "…" : text;
}

// The selected nodes shown as the array they are judged as, without copying them into one.
std::string SelectionExcerpt(const std::vector<const Json*>& nodes,
                             const PredicateOptions& options) {
  size_t limit = options.max_chars * 6 + options.mask_margin;
  std::string text = "[";
  for (size_t i = 0; i < nodes.size() && text.size() < limit; ++i) {
    if (i > 0) text.push_back(',');
    AppendBounded(*nodes[i], limit, &text);
  }
  if (text.size() < limit) text.push_back(']');
  return CutExcerpt(std::move(text), limit, options.max_chars, options.mask);
}

}  // namespace

std::string_view PredicateOpName(PredicateOp op) {
  for (const OpInfo& info : kOps)
    if (info.op == op) return info.name;
  return "?";
}

std::optional<PredicateOp> ParsePredicateOp(std::string_view name) {
  for (const OpInfo& info : kOps)
    if (info.name == name) return info.op;
  return std::nullopt;
}

const std::vector<std::string_view>& PredicateOpNames() {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> names;
    for (const OpInfo& info : kOps) names.push_back(info.name);
    return names;
  }();
  return kNames;
}

const std::vector<std::string_view>& JsonTypeNames() {
  static const std::vector<std::string_view> kNames = {"string", "number", "integer", "boolean",
                                                       "null",   "array",  "object"};
  return kNames;
}

std::string OperandProblem(const Predicate& p) {
  const Json& v = p.operand;
  std::string_view name = PredicateOpName(p.op);
  if (IsFlag(p.op))
    return v.is_boolean() ? "" : fmt::format("{} takes true or false, got {}", name, Kind(v));
  switch (p.op) {
    case PredicateOp::kMatches: {
      if (!v.is_string())
        return fmt::format("matches takes a regular expression string, got {}", Kind(v));
      if (p.regex) return "";
      re2::RE2 regex(v.get<std::string>(), re2::RE2::Quiet);
      return regex.ok() ? "" : "matches: not a valid RE2 expression: " + regex.error();
    }
    case PredicateOp::kIn:
      return v.is_array() ? "" : fmt::format("in takes a list of values, got {}", Kind(v));
    case PredicateOp::kType: {
      for (std::string_view t : JsonTypeNames())
        if (v.is_string() && v.get_ref<const std::string&>() == t) return "";
      return fmt::format(
          "type takes one of string, number, integer, boolean, null, array, "
          "object; got {}",
          v.dump());
    }
    case PredicateOp::kCount:
    case PredicateOp::kLength:
      if (v.is_number_integer() || v.is_number_unsigned()) return "";
      return fmt::format("{} takes a whole number or one comparison ({{gt: 0}}), got {}", name,
                         Kind(v));
    case PredicateOp::kLt:
    case PredicateOp::kLe:
    case PredicateOp::kGt:
    case PredicateOp::kGe:
      if (v.is_number() || v.is_string()) return "";
      return fmt::format("{} takes a number or a string, got {}", name, Kind(v));
    default:
      return "";
  }
}

Result<Predicate> MakePredicate(std::string_view name, const Json& operand,
                                bool operand_is_template) {
  std::optional<PredicateOp> op = ParsePredicateOp(name);
  if (!op) return Status::InvalidArgument(fmt::format("unknown operator \"{}\"", name));
  Predicate p;
  p.op = *op;
  p.operand = operand;
  if ((*op == PredicateOp::kCount || *op == PredicateOp::kLength) && operand.is_object()) {
    // `count: {gt: 0}`: one comparison of the number.
    if (operand.size() != 1)
      return Status::InvalidArgument(fmt::format(
          "{} takes one comparison (eq, lt, le, gt, ge), got {} entries", name, operand.size()));
    auto it = operand.begin();
    std::optional<PredicateOp> compare = it.key() == "eq" || it.key() == "equals"
                                             ? PredicateOp::kEquals
                                             : ParsePredicateOp(it.key());
    if (!compare || (*compare != PredicateOp::kEquals && !IsComparison(*compare)))
      return Status::InvalidArgument(
          fmt::format("{}: \"{}\" is not a comparison (eq, lt, le, gt, ge)", name, it.key()));
    p.compare = *compare;
    p.operand = *it;
  }
  if (operand_is_template) return p;
  if (*op == PredicateOp::kMatches && operand.is_string()) {
    auto regex = std::make_shared<re2::RE2>(operand.get<std::string>(), re2::RE2::Quiet);
    if (regex->ok()) p.regex = std::move(regex);
  }
  if (std::string problem = OperandProblem(p); !problem.empty())
    return Status::InvalidArgument(problem);
  return p;
}

PredicateResult Evaluate(const Predicate& predicate, const Json* subject,
                         const PredicateOptions& options) {
  if (std::string problem = OperandProblem(predicate); !problem.empty()) {
    PredicateResult r;
    r.expected =
        BoundedExcerpt(predicate.operand, options.max_chars, options.mask, options.mask_margin);
    r.actual = subject
                   ? BoundedExcerpt(*subject, options.max_chars, options.mask, options.mask_margin)
                   : "(nothing)";
    r.why = options.mask ? options.mask(problem) : problem;
    return r;
  }
  return Judge(predicate, subject, options).Run();
}

PredicateResult EvaluateSelection(const Predicate& p, const std::vector<const Json*>& nodes,
                                  const PredicateOptions& options) {
  bool sized = p.op == PredicateOp::kCount || p.op == PredicateOp::kLength;
  bool emptiness = p.op == PredicateOp::kIsEmpty || p.op == PredicateOp::kNotEmpty;
  bool containment = p.op == PredicateOp::kContains || p.op == PredicateOp::kNotContains;
  if ((!sized && !emptiness && !containment) || !OperandProblem(p).empty()) {
    Json all = Json::array();
    for (const Json* node : nodes) all.push_back(*node);
    return Evaluate(p, &all, options);
  }
  PredicateResult r;
  r.expected = BoundedExcerpt(p.operand, options.max_chars, options.mask, options.mask_margin);
  r.actual = SelectionExcerpt(nodes, options);
  std::string why;
  if (sized) {
    int64_t size = static_cast<int64_t>(nodes.size());
    r.actual = fmt::format("{} ({} {})", r.actual, PredicateOpName(p.op), size);
    std::optional<int> order = Order(Json(size), p.operand);
    r.passed = order && Holds(p.compare, *order);
    if (!r.passed)
      why = fmt::format("{} is {}, expected {} {}", PredicateOpName(p.op), size, Symbol(p.compare),
                        p.operand.dump());
  } else if (emptiness) {
    bool want = p.operand.is_boolean() ? p.operand.get<bool>() : true;
    bool empty_wanted = (p.op == PredicateOp::kIsEmpty) == want;
    r.passed = nodes.empty() == empty_wanted;
    if (!r.passed) why = empty_wanted ? "the value is not empty" : "the value is empty";
  } else {
    bool found = std::any_of(nodes.begin(), nodes.end(),
                             [&](const Json* node) { return Same(*node, p.operand); });
    bool want = p.op == PredicateOp::kContains;
    r.passed = found == want;
    if (!r.passed) why = want ? "the value does not contain it" : "the value contains it";
  }
  r.why = options.mask ? options.mask(why) : why;
  return r;
}

PredicateResult EvaluateSelected(const Predicate& p, bool singular,
                                 const std::vector<const Json*>& nodes,
                                 const PredicateOptions& options) {
  bool presence = p.op == PredicateOp::kExists || p.op == PredicateOp::kAbsent;
  if (singular || (presence && nodes.empty()))
    return Evaluate(p, nodes.empty() ? nullptr : nodes.front(), options);
  return EvaluateSelection(p, nodes, options);
}

std::string BoundedExcerpt(const Json& value, size_t max_chars, const TextMask& mask,
                           size_t mask_margin) {
  // A secret that starts inside the part shown ends within `mask_margin` bytes of it; masking
  // needs the whole secret, so that much beyond the cut is serialized too. A code point shown
  // takes at most 6 bytes of JSON text (\uXXXX).
  size_t limit = max_chars * 6 + mask_margin;
  std::string text;
  AppendBounded(value, limit, &text);
  return CutExcerpt(std::move(text), limit, max_chars, mask);
}

}  // namespace verity::expr
