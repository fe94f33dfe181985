#include "spec/validate.h"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>

#include "spec/formats.h"
#include "spec/schema_node.h"
#include "spec/schema_values.h"
#include "spec/schema_walker.h"

namespace verity::spec {

using schema_detail::SchemaNode;

size_t ValidationResult::error_count() const {
  return static_cast<size_t>(std::count_if(issues.begin(), issues.end(), [](const SchemaIssue& i) {
    return i.severity == Severity::kError;
  }));
}

size_t ValidationResult::warning_count() const { return issues.size() - error_count(); }

SchemaValidator::SchemaValidator(SpecSet& specs, ValidationOptions options)
    : specs_(specs),
      options_(options),
      cache_(std::make_unique<schema_detail::SchemaCache>(specs)) {}

SchemaValidator::~SchemaValidator() = default;
SchemaValidator::SchemaValidator(SchemaValidator&&) noexcept = default;

ValidationResult SchemaValidator::Validate(const SchemaRef& schema, const Json& value) {
  ValidationResult result;
  SchemaNode* root = cache_->Root(schema);
  if (!root) return result;
  schema_detail::Walker walker(*cache_, options_, result);
  walker.Run(root, value);
  return result;
}

bool KnownIssueMatches(std::string_view pattern, std::string_view instance_path) {
  if (!pattern.empty() && pattern.back() == '/') pattern.remove_suffix(1);
  if (pattern.empty() || instance_path.empty()) return pattern.empty() && instance_path.empty();
  // A pattern copied without its leading '/' ("data/*/type") still means the same place.
  if (pattern.front() == '/') pattern.remove_prefix(1);
  if (instance_path.front() != '/') return false;
  instance_path.remove_prefix(1);
  while (true) {
    size_t p_end = std::min(pattern.find('/'), pattern.size());
    size_t i_end = std::min(instance_path.find('/'), instance_path.size());
    std::string_view p = pattern.substr(0, p_end);
    std::string_view i = instance_path.substr(0, i_end);
    if (p == "*") {
      if (i.empty() ||
          !std::all_of(i.begin(), i.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return false;
      }
    } else if (p != i) {
      return false;
    }
    bool p_last = p_end == pattern.size();
    bool i_last = i_end == instance_path.size();
    if (p_last || i_last) return p_last && i_last;
    pattern.remove_prefix(p_end + 1);
    instance_path.remove_prefix(i_end + 1);
  }
}

size_t SuppressKnownIssues(std::vector<SchemaIssue>& issues,
                           const std::vector<std::string>& patterns) {
  if (patterns.empty()) return 0;
  auto known = [&](const SchemaIssue& issue) {
    return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& pattern) {
      return KnownIssueMatches(pattern, issue.instance_path);
    });
  };
  auto kept = std::remove_if(issues.begin(), issues.end(), known);
  size_t removed = static_cast<size_t>(issues.end() - kept);
  issues.erase(kept, issues.end());
  return removed;
}

namespace schema_detail {
namespace {

uint8_t ActualType(const Json& v) {
  switch (v.type()) {
    case Json::value_t::string:
      return kTypeString;
    case Json::value_t::boolean:
      return kTypeBoolean;
    case Json::value_t::null:
      return kTypeNull;
    case Json::value_t::object:
      return kTypeObject;
    case Json::value_t::array:
      return kTypeArray;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return kTypeInteger | kTypeNumber;
    case Json::value_t::number_float:
      return IsIntegral(v) ? kTypeInteger | kTypeNumber : kTypeNumber;
    default:
      return 0;
  }
}

std::string ExpectedTypes(const SchemaNode& n) {
  static constexpr std::pair<uint8_t, const char*> kNames[] = {
      {kTypeString, "string"},   {kTypeInteger, "integer"}, {kTypeNumber, "number"},
      {kTypeBoolean, "boolean"}, {kTypeObject, "object"},   {kTypeArray, "array"},
      {kTypeNull, "null"}};
  uint8_t types = n.types;
  if (n.nullable) types |= kTypeNull;
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if (!(types & bit)) continue;
    if (!out.empty()) out += " or ";
    out += name;
  }
  return out;
}

const char* FormatDescription(StringFormat format) {
  switch (format) {
    case StringFormat::kDateTime:
      return "an RFC 3339 date-time";
    case StringFormat::kDate:
      return "an RFC 3339 full-date (YYYY-MM-DD)";
    case StringFormat::kUuid:
      return "a UUID";
    case StringFormat::kEmail:
      return "an email address";
    case StringFormat::kUri:
      return "an absolute URI";
    case StringFormat::kNone:
      break;
  }
  return "a value";
}

std::string Plural(int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string EnumList(const Json& values) {
  constexpr size_t kShown = 5;
  std::string out;
  for (size_t i = 0; i < values.size() && i < kShown; ++i) {
    if (i) out += ", ";
    out += ShortJson(values[i]);
  }
  if (values.size() > kShown) out += ", … (" + std::to_string(values.size()) + " values)";
  return out;
}

}  // namespace

std::string_view RefName(std::string_view ref) {
  size_t hash = ref.find('#');
  std::string_view fragment = hash == std::string_view::npos ? "" : ref.substr(hash + 1);
  if (!fragment.empty()) return fragment.substr(fragment.rfind('/') + 1);
  std::string_view file = ref.substr(0, hash);
  file = file.substr(file.rfind('/') + 1);
  for (std::string_view ext : {".json", ".yaml", ".yml"}) {
    if (file.size() > ext.size() && file.substr(file.size() - ext.size()) == ext) {
      return file.substr(0, file.size() - ext.size());
    }
  }
  return file;
}

Walker::Walker(SchemaCache& cache, const ValidationOptions& options, ValidationResult& result)
    : cache_(cache), options_(options), sink_(&real_) {
  real_.result = &result;
  real_.max_issues = options.max_issues;
  path_.reserve(256);
}

void Walker::PushIndex(size_t index) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, index);
  path_ += '/';
  path_.append(digits, end);
}

void Walker::Value(SchemaNode* node, const Json& v) {
  if (Stopped()) return;
  struct Tracked {
    std::vector<std::pair<SchemaNode*, const Json*>>* objects = nullptr;
    ~Tracked() {
      if (objects) objects->pop_back();
    }
  } tracked;
  if (v.is_object() && options_.knobs.optional_nullable) {
    objects_.emplace_back(node, &v);
    tracked.objects = &objects_;
  }
  bool undocumented =
      options_.undocumented_fields && options_.knobs.undocumented_fields != FindingLevel::kIgnore;
  if (!v.is_object() || v.empty() || !undocumented || Trial()) {
    Apply(node, v, nullptr, 0);
    return;
  }
  Scope scope;
  scope.marks = marks_.size();
  marks_.resize(scope.marks + v.size(), 0);
  Apply(node, v, &scope, 0);
  if (scope.declared_by && !scope.open && !Stopped()) ReportUndocumented(v, scope);
  marks_.resize(scope.marks);
}

void Walker::Apply(SchemaNode* n, const Json& v, Scope* scope, int depth) {
  if (!n || Stopped()) return;
  if (frames_ >= kMaxFrames) {
    aborted_ = true;
    Sink* sink = sink_;
    sink_ = &real_;  // even from inside a trial: this ends the walk and must be seen
    Emit(kSchemaMismatch, Severity::kError, *n, "", [] {
      return "body and schema nest too deep together (more than " + std::to_string(kMaxFrames) +
             " levels); validation stopped here";
    });
    sink_ = sink;
    return;
  }
  if (depth > kMaxSchemaDepth) {
    ++context_events_;
    Emit(kSchemaMismatch, Severity::kError, *n, "", [] {
      return "schema nesting too deep (more than " + std::to_string(kMaxSchemaDepth) +
             " levels at one place in the body); not checked further";
    });
    return;
  }
  for (auto it = active_.rbegin(); it != active_.rend() && it->second == &v; ++it) {
    if (it->first == n) {
      ++context_events_;
      return;
    }
  }
  struct Frame {
    Walker& w;
    Frame(Walker& walker, const SchemaNode* n, const Json* v) : w(walker) {
      ++w.frames_;
      w.active_.emplace_back(n, v);
    }
    ~Frame() {
      --w.frames_;
      w.active_.pop_back();
    }
  } frame(*this, n, &v);

  if (n->is_bool) {
    if (!n->bool_value) {
      Emit(kSchemaMismatch, Severity::kError, *n, "",
           [] { return std::string("the schema is false: no value is allowed here"); });
    }
    return;
  }
  // Lenient on purpose: `nullable` is honoured in every version, beside `$ref` and `allOf` too.
  if (n->nullable && v.is_null()) return;
  if (n->ref) {
    ApplyRef(*n, v, scope, depth);
    if (n->ref_only) return;
  }
  if (n->types) {
    bool mismatch = false;
    CheckType(*n, v, mismatch);
    if (mismatch) return;  // the other keywords would only repeat it
  }
  if (n->enum_values || n->const_value) CheckEnum(*n, v);
  switch (v.type()) {
    case Json::value_t::string:
      if (n->has_string) CheckString(*n, v.get_ref<const std::string&>());
      break;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      if (n->has_number) CheckNumber(*n, v);
      break;
    case Json::value_t::array:
      if (n->has_array) ApplyArray(*n, v);
      break;
    case Json::value_t::object:
      if (n->has_object) ApplyObject(*n, v, scope);
      break;
    default:
      break;
  }
  if (n->all_of) {
    for (size_t i = 0; i < n->all_of_nodes.size() && !Stopped(); ++i) {
      Apply(cache_.AllOf(*n, i), v, scope, depth + 1);
    }
  }
  if (n->any_of) ApplyChoice(*n, v, scope, depth, /*one_of=*/false);
  if (n->one_of) ApplyChoice(*n, v, scope, depth, /*one_of=*/true);
  if (n->not_schema && Passes(cache_.Not(*n), v, depth + 1)) {
    Emit(kSchemaMismatch, Severity::kError, *n, "not", [&] {
      return "expected a value that does not match the schema under not, got " + Describe(v);
    });
  }
}

void Walker::ReportUnresolved(SchemaNode& n, const std::string& why) {
  // Once per ref and body: an unresolvable item schema would otherwise repeat for every item and
  // crowd the real findings out of max_issues.
  if (Trial() || !reported_refs_.insert(&n).second) return;
  Emit(kRefUnresolved, Severity::kWarning, n, "$ref", [&] { return why + "; not checked"; });
}

void Walker::ApplyRef(SchemaNode& n, const Json& v, Scope* scope, int depth) {
  cache_.ResolveRef(n);
  if (!n.ref_target) {
    ReportUnresolved(n, n.ref_error);
    return;
  }
  Apply(n.ref_target, v, scope, depth + 1);
}

void Walker::CheckType(SchemaNode& n, const Json& v, bool& mismatch) {
  if (n.types & ActualType(v)) return;
  mismatch = true;
  Emit(kTypeMismatch, Severity::kError, n, "type",
       [&] { return "expected " + ExpectedTypes(n) + ", got " + Describe(v); });
}

void Walker::CheckEnum(SchemaNode& n, const Json& v) {
  // A nullable enum does not have to list null.
  if (v.is_null() && (n.nullable || (n.types & kTypeNull))) return;
  if (n.enum_values) {
    const Json& values = *n.enum_values;
    bool found = std::any_of(values.begin(), values.end(),
                             [&](const Json& allowed) { return JsonEqual(allowed, v); });
    if (!found) {
      Emit(kEnumMismatch, Severity::kError, n, "enum",
           [&] { return "expected one of " + EnumList(values) + ", got " + Describe(v); });
    }
  }
  if (n.const_value && !JsonEqual(*n.const_value, v)) {
    Emit(kEnumMismatch, Severity::kError, n, "const",
         [&] { return "expected " + ShortJson(*n.const_value) + ", got " + Describe(v); });
  }
}

void Walker::CheckString(SchemaNode& n, const std::string& s) {
  FindingLevel formats = options_.knobs.check_formats;
  if (n.format != StringFormat::kNone && formats != FindingLevel::kIgnore &&
      !MatchesFormat(n.format, s)) {
    bool warn = formats == FindingLevel::kWarning;
    Emit(
        kFormatMismatch, warn ? Severity::kWarning : Severity::kError, n, "format",
        [&] {
          return std::string("expected ") + FormatDescription(n.format) + " (format " +
                 StringFormatName(n.format) + "), got string " + Shown(Json(s)) +
                 (warn ? "; a warning because check_formats is warn" : "");
        },
        warn ? kKnobCheckFormats : nullptr);
  }
  if (n.min_length >= 0 || n.max_length >= 0) {
    auto length = static_cast<int64_t>(CountCodePoints(s));
    if (n.min_length >= 0 && length < n.min_length) {
      Emit(kSchemaMismatch, Severity::kError, n, "minLength", [&] {
        return "expected at least " + Plural(n.min_length, "character", "characters") + ", got " +
               std::to_string(length);
      });
    }
    if (n.max_length >= 0 && length > n.max_length) {
      Emit(kSchemaMismatch, Severity::kError, n, "maxLength", [&] {
        return "expected at most " + Plural(n.max_length, "character", "characters") + ", got " +
               std::to_string(length);
      });
    }
  }
  if (n.pattern) {
    const re2::RE2* regex = cache_.Pattern(n);
    if (regex && !RE2::PartialMatch(s, *regex)) {
      Emit(kSchemaMismatch, Severity::kError, n, "pattern", [&] {
        return "expected a string matching the pattern " + *n.pattern + ", got string " +
               Shown(Json(s));
      });
    }
  }
}

void Walker::CheckNumber(SchemaNode& n, const Json& v) {
  auto bound = [&](const Json* limit, bool exclusive, bool lower, const char* keyword) {
    if (!limit) return;
    int c = CompareNumbers(v, *limit);
    bool bad = lower ? (exclusive ? c <= 0 : c < 0) : (exclusive ? c >= 0 : c > 0);
    if (!bad) return;
    Emit(kSchemaMismatch, Severity::kError, n, keyword, [&] {
      const char* relation =
          lower ? (exclusive ? "greater than" : "at least") : (exclusive ? "less than" : "at most");
      return std::string("expected a number ") + relation + " " + ShortJson(*limit) + ", got " +
             ShortJson(v);
    });
  };
  bound(n.minimum, n.minimum_exclusive, /*lower=*/true, "minimum");
  bound(n.maximum, n.maximum_exclusive, /*lower=*/false, "maximum");
  bound(n.exclusive_minimum, true, /*lower=*/true, "exclusiveMinimum");
  bound(n.exclusive_maximum, true, /*lower=*/false, "exclusiveMaximum");
  if (n.multiple_of && !IsMultipleOf(v, *n.multiple_of)) {
    Emit(kSchemaMismatch, Severity::kError, n, "multipleOf", [&] {
      return "expected a multiple of " + ShortJson(*n.multiple_of) + ", got " + ShortJson(v);
    });
  }
}

bool Walker::Passes(SchemaNode* node, const Json& v, int depth) {
  MemoKey key{node, &v};
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  Sink trial;
  trial.fail_fast = true;
  trial.max_issues = 1;
  Sink* saved = sink_;
  sink_ = &trial;
  size_t events = context_events_;
  Apply(node, v, nullptr, depth);
  sink_ = saved;
  bool ok = trial.errors == 0;
  if (events == context_events_) memo_.emplace(key, ok);
  return ok;
}

size_t Walker::CountErrors(SchemaNode* node, const Json& v, int depth) {
  Sink trial;
  trial.max_issues = std::max<size_t>(options_.max_issues, 1);
  Sink* saved = sink_;
  sink_ = &trial;
  Apply(node, v, nullptr, depth);
  sink_ = saved;
  return trial.errors;
}

}  // namespace schema_detail
}  // namespace verity::spec
