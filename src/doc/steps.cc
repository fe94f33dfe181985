#include "doc/steps.h"

#include <fmt/format.h>

#include <string>

#include "base/edit_distance.h"
#include "base/strings.h"
#include "base/yaml.h"
#include "base/yaml_json.h"
#include "doc/expect.h"
#include "doc/flow.h"
#include "doc/status_vocabulary.h"
#include "doc/templates.h"
#include "expr/extract.h"

namespace verity::doc {

namespace {

using yaml::Describe;
using yaml::Node;

class StepReader {
 public:
  StepReader(DiagnosticSink& sink, Budget& budget) : sink_(sink), budget_(budget) {}

  Step Read(const Node& item) {
    Step step;
    step.pos = sink_.Map(item.pos);
    for (const auto& [key_node, value] : item.entries) {
      if (!key_node.is_scalar()) {
        sink_.Error("STEP_FIELD_TYPE", "step keys must be plain names", key_node.pos);
        continue;
      }
      ReadField(key_node, value, &step);
      if (key_node.value == "shared") shared_pos_ = key_node.pos;
    }
    return step;
  }

  /// Where the last step read wrote `shared`, as the sink takes positions.
  SourcePos shared_pos() const { return shared_pos_; }

 private:
  void ReadField(const Node& key_node, const Node& v, Step* step) {
    const std::string& key = key_node.value;
    if (key == "id") {
      String(key, v, &step->id);
    } else if (key == "description") {
      String(key, v, &step->description);
    } else if (key == "method") {
      String(key, v, &step->method);
    } else if (key == "path") {
      if (String(key, v, &step->path)) Scan(v, "path", &step->refs);
    } else if (key == "token") {
      std::string token;
      if (String(key, v, &token)) {
        step->token = token;
        Scan(v, "token", &step->refs);
      }
    } else if (key == "params" || key == "headers" || key == "form_fields") {
      if (!v.is_mapping()) {
        if (!v.is_null()) TypeError(key, "a mapping of names to values", v);
        return;
      }
      Json& target = key == "params"    ? step->params
                     : key == "headers" ? step->headers
                                        : step->form_fields;
      target = yaml::ToJson(v);
      ScanTree(v, key, &step->refs);
    } else if (key == "body") {
      step->body = BodyJson(v);
      ScanTree(v, "body", &step->refs);
    } else if (key == "extract") {
      ReadExtract(v, step);
    } else if (key == "expect") {
      doc::ReadExpect(v, step, sink_, [&](const Node& value, const std::string& where) {
        ScanTree(value, where, &step->refs);
      });
    } else if (key == "onFail") {
      if (String(key, v, &step->on_fail_text)) step->on_fail = ParseOnFail(step->on_fail_text);
    } else if (key == "skipReason") {
      std::string reason;
      if (String(key, v, &reason)) {
        step->skip_reason = reason;
        step->skip_reason_pos = sink_.Map(key_node.pos);
      }
    } else if (key == "skip") {
      std::optional<bool> skip;
      Bool(key, v, &skip);
      step->skip = skip.value_or(false);
    } else if (key == "shared") {
      std::optional<bool> shared;
      Bool(key, v, &shared);
      step->shared = shared.value_or(false);
    } else if (key == "useFallbackApi" || key == "useFallback") {
      if (step->use_fallback)
        sink_.Warning("STEP_FIELD_DUPLICATE",
                      "both useFallbackApi and useFallback are set; the last one wins",
                      key_node.pos);
      Bool(key, v, &step->use_fallback);
    } else if (key == "x_on_behalf_of") {
      Bool(key, v, &step->x_on_behalf_of);
    } else if (key == "content_type") {
      std::string ct;
      if (String(key, v, &ct)) step->content_type = ct;
    } else if (key == "file_fields") {
      ReadFileFields(v, step);
    } else if (key == "use") {
      std::string endpoint;
      if (String(key, v, &endpoint)) {
        step->use = endpoint;
        step->use_pos = sink_.Map(v.pos);
      }
    } else if (key == "useWorkflow") {
      std::string id;
      if (String(key, v, &id)) {
        step->use_workflow = id;
        step->use_pos = sink_.Map(v.pos);
      }
    } else if (key == "onSuccess" || key == "onFailure") {
      bool failure = key == "onFailure";
      (failure ? step->on_failure : step->on_success) = ReadActions(v, key, failure, sink_);
    } else if (key == "with") {
      if (!v.is_mapping()) {
        if (!v.is_null()) TypeError(key, "a mapping of variable names to values", v);
        return;
      }
      step->with = yaml::ToJson(v);
      ScanTree(v, key, &step->refs);
    } else if (key == "sleep") {
      Json j = v.is_scalar() ? yaml::ScalarToJson(v) : Json();
      if (j.is_number_integer() && j.get<int64_t>() >= 0)
        step->sleep_ms = j.get<int64_t>();
      else
        TypeError(key, "a non-negative number of milliseconds", v);
    } else {
      std::string hint = ClosestMatch(key, KnownStepKeys());
      sink_.Warning("STEP_KEY_UNKNOWN",
                    hint.empty()
                        ? fmt::format("unknown step key \"{}\" (kept, not used)", key)
                        : fmt::format("unknown step key \"{}\"; did you mean \"{}\"?", key, hint),
                    key_node.pos);
      step->extra[key] = yaml::ToJson(v);
    }
  }

  // A block scalar that holds JSON is how people paste a JSON body; anything else keeps its YAML
  // value and type.
  Json BodyJson(const Node& v) {
    if (v.is_scalar() &&
        (v.style == yaml::ScalarStyle::kLiteral || v.style == yaml::ScalarStyle::kFolded)) {
      std::string_view t = Trim(v.value);
      if (!t.empty() && (t.front() == '{' || t.front() == '[')) {
        Json parsed = Json::parse(t, nullptr, /*allow_exceptions=*/false);
        if (!parsed.is_discarded()) return parsed;
        sink_.Warning("BODY_NOT_JSON",
                      "body block looks like JSON but does not parse; sent as text", v.pos);
      }
    }
    return yaml::ToJson(v);
  }

  void ReadExtract(const Node& v, Step* step) {
    if (v.is_null()) return;
    if (!v.is_mapping()) return TypeError("extract", "a mapping of variable names to JSONPath", v);
    for (const auto& [k, entry] : v.entries) {
      // `name: "$.path"`, or `name: {path: "$.path", optional: true, default: value}`.
      const Node* path = &entry;
      const Node* header = nullptr;
      const Node* match = nullptr;
      bool optional = false;
      std::optional<Json> default_value;
      if (entry.is_mapping()) {
        path = nullptr;
        for (const auto& [ek, ev] : entry.entries) {
          if (ek.value == "path") {
            path = &ev;
          } else if (ek.value == "header") {
            header = &ev;
          } else if (ek.value == "match") {
            match = &ev;
          } else if (ek.value == "default") {
            default_value = yaml::ToJson(ev);
          } else if (ek.value == "optional") {
            if (!ev.is_scalar() || !yaml::ScalarToJson(ev).is_boolean())
              TypeError(fmt::format("extract.{}.optional", k.value), "true or false", ev);
            else
              optional = yaml::ScalarToJson(ev).get<bool>();
          } else {
            sink_.Error("STEP_FIELD_TYPE",
                        fmt::format("extract.{}: unknown key {} (expected path or header, "
                                    "optional, default, match)",
                                    k.value, Quoted(ek.value)),
                        ek.pos);
          }
        }
        if (header != nullptr || match != nullptr) {
          ReadHeaderExtract(k, entry, header, match, path, optional, std::move(default_value),
                            step);
          continue;
        }
        if (path == nullptr) {
          TypeError(fmt::format("extract.{}", k.value),
                    "a JSONPath string or {path, optional, default}", entry);
          continue;
        }
      }
      if (!path->is_scalar() || path->is_null()) {
        TypeError(fmt::format("extract.{}", k.value), "a JSONPath string", *path);
        continue;
      }
      if (IsRuntimeExpression(path->value)) {
        if (!CheckRuntimeExpression(path->value, path->pos, fmt::format("extract.{}", k.value),
                                    sink_))
          continue;
        doc::Extract e{k.value, "", sink_.Map(k.pos), sink_.Map(path->pos), false, optional};
        e.default_value = std::move(default_value);
        e.expression = path->value;
        step->extract.push_back(std::move(e));
        continue;
      }
      expr::ExtractText text = expr::ReadExtractText(path->value);
      doc::Extract e{k.value, text.path, sink_.Map(k.pos), sink_.Map(path->pos), false, optional};
      e.copy_of = std::move(text.copy_of);
      e.default_shorthand = text.default_value.has_value();
      e.default_value = default_value ? std::move(default_value) : std::move(text.default_value);
      bool quoted = path->style == yaml::ScalarStyle::kSingleQuoted ||
                    path->style == yaml::ScalarStyle::kDoubleQuoted;
      if (quoted) ++e.path_pos.col;
      e.path_columns_exact =
          path->pos.line == path->end.line &&
          (path->style == yaml::ScalarStyle::kPlain || quoted) &&
          path->end.col - path->pos.col == CodePointCount(path->value) + (quoted ? 2 : 0) &&
          StartsWith(path->value, e.path);
      step->extract.push_back(std::move(e));
    }
  }

  // `name: {header: Location, match: "[^/]+$", optional, default}`.
  void ReadHeaderExtract(const Node& k, const Node& entry, const Node* header, const Node* match,
                         const Node* path, bool optional, std::optional<Json> default_value,
                         Step* step) {
    std::string where = fmt::format("extract.{}", k.value);
    if (path != nullptr) {
      sink_.Error("STEP_FIELD_TYPE", where + ": path and header both given; an extract reads one",
                  entry.pos);
      return;
    }
    if (header == nullptr || !header->is_scalar() || header->is_null() || header->value.empty())
      return TypeError(where + ".header", "a header name", header ? *header : entry);
    doc::Extract e{k.value, "", sink_.Map(k.pos), sink_.Map(header->pos), false, optional};
    e.default_value = std::move(default_value);
    e.header = header->value;
    if (match != nullptr) {
      if (!match->is_scalar() || match->is_null())
        return TypeError(where + ".match", "a regular expression", *match);
      e.match = match->value;
      e.match_pos = sink_.Map(match->pos);
    }
    step->extract.push_back(std::move(e));
  }

  void ReadFileFields(const Node& v, Step* step) {
    if (v.is_null()) return;
    if (!v.is_sequence()) return TypeError("file_fields", "a list of files", v);
    for (size_t i = 0; i < v.items.size(); ++i) {
      const Node& item = v.items[i];
      if (!item.is_mapping()) {
        TypeError("file_fields item", "a mapping with field_name and file_path", item);
        continue;
      }
      FileField f;
      f.pos = sink_.Map(item.pos);
      for (const auto& [k, val] : item.entries) {
        std::string* target = k.value == "field_name"  ? &f.field_name
                              : k.value == "file_path" ? &f.file_path
                              : k.value == "filename"  ? &f.filename
                                                       : nullptr;
        if (!target) {
          sink_.Warning("STEP_KEY_UNKNOWN", fmt::format("unknown file_fields key \"{}\"", k.value),
                        k.pos);
          continue;
        }
        if (String("file_fields." + k.value, val, target))
          Scan(val, fmt::format("file_fields/{}/{}", i, k.value), &step->refs);
      }
      if (f.field_name.empty() || f.file_path.empty())
        sink_.Error("FILE_FIELD_INCOMPLETE", "a file_fields item needs field_name and file_path",
                    item.pos);
      step->file_fields.push_back(std::move(f));
    }
  }

  bool String(std::string_view key, const Node& v, std::string* out) {
    if (!v.is_scalar() || v.is_null()) {
      TypeError(key, "a string", v);
      return false;
    }
    *out = v.value;
    return true;
  }

  void Bool(std::string_view key, const Node& v, std::optional<bool>* out) {
    Json j = v.is_scalar() ? yaml::ScalarToJson(v) : Json();
    if (j.is_string() &&
        (IEquals(j.get<std::string>(), "true") || IEquals(j.get<std::string>(), "false")))
      j = IEquals(j.get<std::string>(), "true");
    if (j.is_boolean())
      *out = j.get<bool>();
    else
      TypeError(key, "true or false", v);
  }

  void TypeError(std::string_view key, std::string_view expected, const Node& v) {
    sink_.Error("STEP_FIELD_TYPE", fmt::format("{} must be {}, got {}", key, expected, Describe(v)),
                v.pos);
  }

  void Scan(const Node& v, std::string_view where, std::vector<TemplateRef>* refs) {
    if (!v.is_scalar()) return;
    SourcePos pos = sink_.Map(v.pos);
    bool quoted =
        v.style == yaml::ScalarStyle::kSingleQuoted || v.style == yaml::ScalarStyle::kDoubleQuoted;
    if (quoted) ++pos.col;
    // Columns can be counted in the value only when it is its source text: one line, no escapes.
    bool single_line = v.pos.line == v.end.line &&
                       (v.style == yaml::ScalarStyle::kPlain || quoted) &&
                       v.end.col - v.pos.col == CodePointCount(v.value) + (quoted ? 2 : 0);
    // `pos` is a file position already: errors must not be mapped a second time.
    DiagnosticSink file_sink = sink_.WithOffset(0);
    ScanTemplates(v.value, where, pos, single_line, refs, &file_sink, &budget_);
  }

  // Placeholders may sit in values and in keys (dynamic form-field names) at any depth.
  void ScanTree(const Node& v, const std::string& where, std::vector<TemplateRef>* refs) {
    if (budget_.placeholders_reported) return;
    if (v.is_scalar()) return Scan(v, where, refs);
    for (size_t i = 0; i < v.items.size(); ++i)
      ScanTree(v.items[i], ChildWhere(where, std::to_string(i)), refs);
    for (const auto& [k, val] : v.entries) {
      std::string child = ChildWhere(where, k.value);
      Scan(k, child + " (key)", refs);
      ScanTree(val, child, refs);
    }
  }

  DiagnosticSink& sink_;
  Budget& budget_;
  SourcePos shared_pos_;
};

}  // namespace

const std::vector<std::string_view>& KnownStepKeys() {
  static const std::vector<std::string_view> kKeys = {
      "id",           "description",    "method",      "path",
      "token",        "params",         "headers",     "body",
      "extract",      "expect",         "onFail",      "skip",
      "skipReason",   "useFallbackApi", "useFallback", "x_on_behalf_of",
      "content_type", "form_fields",    "file_fields", "sleep",
      "use",          "with",           "shared",      "useWorkflow",
      "onSuccess",    "onFailure"};
  return kKeys;
}

bool IsStepBlock(const CodeBlock& block) {
  if (block.lang != "yaml" && block.lang != "yml") return false;
  size_t pos = 0;
  while (pos < block.text.size()) {
    size_t eol = block.text.find('\n', pos);
    std::string_view line(block.text.data() + pos,
                          (eol == std::string::npos ? block.text.size() : eol) - pos);
    if (line.starts_with("steps:") || line.starts_with("steps :")) return true;
    if (eol == std::string::npos) break;
    pos = eol + 1;
  }
  return false;
}

std::vector<Step> ParseStepBlock(const CodeBlock& block, int block_index, SectionKind kind,
                                 DiagnosticSink& sink, Budget& budget) {
  std::vector<Step> steps;
  yaml::LoadResult loaded = LoadDocumentYaml(block.text, budget);
  sink.YamlErrors(loaded.errors);
  if (!loaded.root) return steps;
  const Node& root = *loaded.root;
  if (!root.is_mapping()) {
    sink.Error("STEP_BLOCK_SHAPE", "a step block must be a mapping with a steps: list", root.pos);
    return steps;
  }
  for (const auto& [k, v] : root.entries) {
    if (k.value == "steps") continue;
    sink.Warning("STEP_BLOCK_KEY_UNKNOWN",
                 fmt::format("unknown key \"{}\" next to steps: (ignored)", k.value), k.pos);
  }
  const Node* list = root.Find("steps");
  if (!list || list->is_null()) return steps;
  if (!list->is_sequence()) {
    sink.Error("STEP_BLOCK_SHAPE", fmt::format("steps must be a list, got {}", Describe(*list)),
               list->pos);
    return steps;
  }
  StepReader reader(sink, budget);
  for (const Node& item : list->items) {
    if (budget.steps_reported) break;
    if (budget.steps == 0) {
      sink.Error("STEP_LIMIT",
                 fmt::format("more than {} steps in the document; the rest are not read",
                             budget.options.max_steps),
                 item.pos);
      budget.steps_reported = true;
      break;
    }
    --budget.steps;
    if (!item.is_mapping()) {
      sink.Error("STEP_BLOCK_SHAPE",
                 fmt::format("a step must be a mapping, got {}", Describe(item)), item.pos);
      continue;
    }
    Step step = reader.Read(item);
    step.section_kind = kind;
    // A shared DELETE outside the cleanup would remove what later documents take from the
    // shared answer.
    if (step.shared && ToUpper(step.method) == "DELETE" && kind != SectionKind::kCleanup) {
      sink.Warning("SHARED_DELETE",
                   "shared: true on a DELETE applies to cleanup steps (deferred to the end of the "
                   "run); this one is sent by every document",
                   reader.shared_pos());
      step.shared = false;
    }
    step.section = block.section;
    step.block = block_index;
    steps.push_back(std::move(step));
  }
  return steps;
}

}  // namespace verity::doc
