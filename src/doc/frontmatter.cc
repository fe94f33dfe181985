#include "doc/frontmatter.h"

#include <fmt/format.h>

#include <string>

#include "base/edit_distance.h"
#include "base/strings.h"
#include "base/timestamp.h"
#include "base/yaml_json.h"
#include "doc/flow.h"
#include "doc/naming.h"
#include "doc/status_vocabulary.h"

namespace verity::doc {

namespace {

using yaml::Describe;
using yaml::Node;

// The line starting at `pos` without its terminator, and the offset of the next line.
std::string_view LineAt(std::string_view text, size_t pos, size_t* next) {
  size_t eol = text.find('\n', pos);
  size_t end = eol == std::string_view::npos ? text.size() : eol;
  *next = eol == std::string_view::npos ? text.size() : eol + 1;
  std::string_view line = text.substr(pos, end - pos);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool IsFence(std::string_view line, std::string_view fence) {
  return line.starts_with(fence) && Trim(line.substr(fence.size())).empty();
}

class FieldReader {
 public:
  FieldReader(Frontmatter* fm, DiagnosticSink& sink) : fm_(fm), sink_(sink) {}

  void Read(const std::string& key, const Node& v, const Node& key_node) {
    if (key == "endpoint") {
      if (String(key, v, &fm_->endpoint)) SplitEndpoint();
    } else if (key == "variant") {
      Variant(v);
    } else if (key == "domain") {
      String(key, v, &fm_->domain);
    } else if (key == "tags") {
      StringList(key, v, &fm_->tags);
    } else if (key == "tokens") {
      StringList(key, v, &fm_->tokens);
    } else if (key == "swagger") {
      OptString(key, v, &fm_->swagger);
    } else if (key == "status") {
      if (String(key, v, &fm_->raw_status)) fm_->status = ParseStatus(fm_->raw_status);
    } else if (key == "savedAt") {
      Time(key, v, &fm_->saved_at);
    } else if (key == "verifiedAt") {
      Time(key, v, &fm_->verified_at);
    } else if (key == "timesReused" || key == "consecutiveFailures") {
      Json j = Typed(v);
      std::optional<int64_t>& target =
          key == "timesReused" ? fm_->times_reused : fm_->consecutive_failures;
      if (j.is_number_integer() && j.get<int64_t>() >= 0)
        target = j.get<int64_t>();
      else if (!v.is_null())
        TypeError(key, "a non-negative integer", v);
    } else if (key == "useFallbackApi") {
      Bool(key, v, &fm_->use_fallback_api);
    } else if (key == "requiresTestData") {
      Bool(key, v, &fm_->requires_test_data);
    } else if (key == "skipReason") {
      OptString(key, v, &fm_->skip_reason);
    } else if (key == "skip_reason") {
      sink_.Warning("FIELD_ALIAS", "skip_reason is read as skipReason; rename it", key_node.pos);
      if (!fm_->skip_reason) OptString(key, v, &fm_->skip_reason);
    } else if (key == "skip") {
      std::optional<bool> skip;
      Bool(key, v, &skip);
      if (skip.value_or(false)) {
        sink_.Warning("FIELD_ALIAS", "skip: true is read as status: skipped; set status instead",
                      key_node.pos);
        skip_flag_ = true;
      }
    } else if (key == "expectedOutcome") {
      ExpectedOutcome(v);
    } else if (key == "expectedOutcomeReason") {
      OptString(key, v, &fm_->expected_outcome_reason);
    } else if (key == "testDataDescription") {
      OptString(key, v, &fm_->test_data_description);
    } else if (key == "notes") {
      OptString(key, v, &fm_->notes);
    } else if (key == "knownIssues") {
      KnownIssues(v);
    } else if (key == "workflow") {
      String(key, v, &fm_->workflow);
    } else if (key == "dependsOn") {
      StringList(key, v, &fm_->depends_on);
    } else if (key == "inputs" || key == "outputs") {
      if (!v.is_mapping()) return TypeError(key, "a mapping", v);
      (key == "inputs" ? fm_->inputs : fm_->outputs) = yaml::ToJson(v);
    } else if (key == "successActions" || key == "failureActions") {
      bool failure = key == "failureActions";
      (failure ? fm_->failure_actions : fm_->success_actions) = ReadActions(v, key, failure, sink_);
    } else {
      std::string hint = ClosestMatch(key, KnownFrontmatterKeys());
      if (!hint.empty())
        sink_.Warning("FIELD_UNKNOWN",
                      fmt::format("unknown field \"{}\"; did you mean \"{}\"?", key, hint),
                      key_node.pos);
    }
  }

  void Finish() {
    if (skip_flag_ && fm_->status != WorkflowStatus::kSkipped)
      fm_->status = WorkflowStatus::kSkipped;
  }

 private:
  void SplitEndpoint() {
    std::string_view e = Trim(fm_->endpoint);
    size_t space = e.find_first_of(" \t");
    if (space == std::string_view::npos) return;  // lint reports the malformed endpoint
    fm_->method = ToUpper(e.substr(0, space));
    fm_->path = std::string(Trim(e.substr(space)));
  }

  void Variant(const Node& v) {
    std::string name;
    if (!String("variant", v, &name)) return;
    if (IsVariantName(name)) {
      fm_->variant = std::move(name);
      return;
    }
    sink_.Error("VARIANT_INVALID",
                fmt::format("variant {} must be lower-case letters, digits, '-' and '_' "
                            "(it becomes part of the file name: METHOD_path__NAME.md)",
                            Quoted(Abbreviate(name, 80))),
                v.pos);
  }

  static Json Typed(const Node& v) {
    Json j = v.is_scalar() ? yaml::ScalarToJson(v) : Json();
    // Quoted numbers and booleans ("0", "true") are common in existing knowledge bases; their
    // meaning is not in doubt.
    if (j.is_string()) {
      const std::string& s = j.get_ref<const std::string&>();
      if (IEquals(s, "true") || IEquals(s, "false")) return IEquals(s, "true");
      if (!s.empty() && s.size() < 12 && s.find_first_not_of("0123456789") == std::string::npos)
        return std::stoll(s);
    }
    return j;
  }

  bool String(std::string_view key, const Node& v, std::string* out) {
    if (!v.is_scalar()) {
      TypeError(key, "a string", v);
      return false;
    }
    if (v.is_null()) return false;
    *out = v.value;
    return true;
  }

  void OptString(std::string_view key, const Node& v, std::optional<std::string>* out) {
    std::string s;
    if (String(key, v, &s)) *out = std::move(s);
  }

  void StringList(std::string_view key, const Node& v, std::vector<std::string>* out) {
    if (v.is_null()) return;
    if (v.is_scalar()) {  // "tags: payments" — a list of one, written loosely
      out->push_back(v.value);
      return;
    }
    if (!v.is_sequence()) return TypeError(key, "a list of strings", v);
    for (const Node& item : v.items) {
      if (item.is_scalar() && !item.is_null())
        out->push_back(item.value);
      else
        TypeError(fmt::format("{} item", key), "a string", item);
    }
  }

  void Bool(std::string_view key, const Node& v, std::optional<bool>* out) {
    Json j = Typed(v);
    if (j.is_boolean())
      *out = j.get<bool>();
    else if (!v.is_null())
      TypeError(key, "true or false", v);
  }

  void Time(std::string_view key, const Node& v, std::optional<Timestamp>* out) {
    if (v.is_null()) return;
    if (v.is_scalar()) {
      if (auto ms = ParseIso8601(Trim(v.value))) {
        *out = Timestamp{v.value, *ms};
        return;
      }
    }
    TypeError(key, "an ISO-8601 timestamp (2026-02-08T13:58:00.000Z)", v);
  }

  void ExpectedOutcome(const Node& v) {
    if (v.is_null() || (v.is_scalar() && Trim(v.value).empty())) return;
    std::vector<const Node*> items;
    if (v.is_sequence())
      for (const Node& item : v.items) items.push_back(&item);
    else
      items.push_back(&v);
    for (const Node* item : items) {
      Json j = Typed(*item);
      if (j.is_number_integer())
        fm_->expected_outcome.push_back(static_cast<int>(j.get<int64_t>()));
      else
        TypeError("expectedOutcome", "an HTTP status code or a list of them", *item);
    }
  }

  void KnownIssues(const Node& v) {
    if (v.is_null()) return;
    if (!v.is_sequence()) return TypeError("knownIssues", "a list", v);
    for (const Node& item : v.items) {
      KnownIssue issue;
      issue.detail = yaml::ToJson(item);
      if (item.is_scalar()) {
        issue.path = item.value;
      } else if (const Node* path = item.Find("path"); path && path->is_scalar()) {
        issue.path = path->value;
      } else {
        TypeError("knownIssues item", "a JSON Pointer pattern or a mapping with path", item);
        continue;
      }
      fm_->known_issues.push_back(std::move(issue));
    }
  }

  void TypeError(std::string_view key, std::string_view expected, const Node& v) {
    sink_.Error("FIELD_TYPE", fmt::format("{} must be {}, got {}", key, expected, Describe(v)),
                v.pos);
  }

  Frontmatter* fm_;
  DiagnosticSink& sink_;
  bool skip_flag_ = false;
};

}  // namespace

const std::vector<std::string_view>& KnownFrontmatterKeys() {
  static const std::vector<std::string_view> kKeys = {"endpoint",
                                                      "variant",
                                                      "domain",
                                                      "tags",
                                                      "swagger",
                                                      "status",
                                                      "savedAt",
                                                      "verifiedAt",
                                                      "timesReused",
                                                      "consecutiveFailures",
                                                      "tokens",
                                                      "useFallbackApi",
                                                      "skipReason",
                                                      "expectedOutcome",
                                                      "expectedOutcomeReason",
                                                      "requiresTestData",
                                                      "testDataDescription",
                                                      "notes",
                                                      "knownIssues",
                                                      "workflow",
                                                      "dependsOn",
                                                      "inputs",
                                                      "outputs",
                                                      "successActions",
                                                      "failureActions",
                                                      "arazzo"};
  return kKeys;
}

FrontmatterSpan FindFrontmatter(std::string_view text) {
  FrontmatterSpan span;
  size_t start = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  size_t next;
  std::string_view first = LineAt(text, start, &next);
  if (!IsFence(first, "---")) return span;
  span.present = true;
  span.open_line = 1;
  span.yaml_begin = next;
  size_t pos = next;
  while (pos < text.size()) {
    std::string_view line = LineAt(text, pos, &next);
    if (IsFence(line, "---") || IsFence(line, "...")) {
      span.terminated = true;
      span.yaml_end = pos;
      span.close_begin = pos;
      span.body_begin = next;
      return span;
    }
    pos = next;
  }
  span.yaml_end = text.size();
  span.body_begin = text.size();
  return span;
}

std::optional<yaml::Node> ParseFrontmatter(std::string_view text, const FrontmatterSpan& span,
                                           const LineIndex& lines, Frontmatter* out,
                                           DiagnosticSink& file_sink, Budget& budget) {
  out->pos = {span.open_line, 1};
  DiagnosticSink sink = file_sink.WithOffset(span.open_line);
  yaml::LoadResult loaded =
      LoadDocumentYaml(text.substr(span.yaml_begin, span.yaml_end - span.yaml_begin), budget);
  sink.YamlErrors(loaded.errors, "frontmatter: ");
  if (!loaded.root) {
    if (!loaded.errors.empty()) return std::nullopt;
    return Node();  // nothing but blank lines and comments: empty, as `~` would be
  }
  const Node& root = *loaded.root;
  if (root.is_null()) return root;
  if (!root.is_mapping()) {
    sink.Error("FRONTMATTER_SHAPE", "frontmatter must be a mapping of fields", root.pos);
    return root;
  }
  FieldReader reader(out, sink);
  for (const auto& [k, v] : root.entries) {
    Field f;
    f.key = k.value;
    f.key_pos = sink.Map(k.pos);
    f.value_pos = sink.Map(v.pos);
    f.value_end = sink.Map(v.end);
    size_t b = lines.OffsetOf(f.value_pos), e = lines.OffsetOf(f.value_end);
    if (b < e) f.raw = std::string(Trim(text.substr(b, e - b)));
    f.value = yaml::ToJson(v);
    out->fields.push_back(std::move(f));
    reader.Read(k.value, v, k);
  }
  reader.Finish();
  return root;
}

}  // namespace verity::doc
