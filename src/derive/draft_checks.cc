#include "derive/draft_checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <deque>
#include <optional>
#include <utility>

#include "base/strings.h"
#include "derive/shapes.h"

namespace verity::derive {
namespace {

// How deep below the answer's root an echoed resource may sit: `$.data.client` is two members
// down. Deeper objects are parts of the resource (an address), not the resource.
constexpr int kMaxWrapperDepth = 2;

// What the run's masking leaves where a secret was (run/checks.cc, the redactor).
constexpr std::string_view kMask = "****";

struct Place {
  std::string path;  // "$.data.client"
  const Json* object;
  int depth;
};

// The answer's objects down to kMaxWrapperDepth, breadth first: the shallowest one wins a tie.
std::vector<Place> Objects(const Json& answer) {
  std::vector<Place> out;
  if (!answer.is_object()) return out;
  out.push_back({"$", &answer, 0});
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i].depth >= kMaxWrapperDepth) continue;
    for (const auto& [key, value] : out[i].object->items())
      if (value.is_object())
        out.push_back({out[i].path + MemberPath(key), &value, out[i].depth + 1});
  }
  return out;
}

// A name `{{request.body.<name>}}` can spell: the template language's plain member names.
bool IsPlainName(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// A value worth comparing: a scalar that is not empty and that no masking touched.
bool IsComparable(const Json& value) {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    return !s.empty() && s.find(kMask) == std::string::npos;
  }
  return value.is_number() || value.is_boolean();
}

const run::StepResult* TestStep(const run::DocumentResult& result) {
  for (const run::StepResult& s : result.steps)
    if (s.section == "test_request") return &s;
  return nullptr;
}

// The path of the first non-empty array, breadth first, held under the member `name`.
std::optional<std::string> NamedList(const Json& answer, std::string_view name) {
  std::deque<std::pair<std::string, const Json*>> pending{{"$", &answer}};
  while (!pending.empty()) {
    auto [path, node] = pending.front();
    pending.pop_front();
    if (!node->is_object()) continue;
    for (const auto& [key, value] : node->items()) {
      std::string at = path + MemberPath(key);
      if (key == name && value.is_array() && !value.empty()) return at;
      if (value.is_object()) pending.emplace_back(at, &value);
    }
  }
  return std::nullopt;
}

// A list read whose answer held items: the items' list is not empty. The list is found as a
// producer finds it (shapes.h, FirstItem: under the collection's own name, else the first list
// of objects), or is a list of values under the collection's name (`tags: [vip]`).
void ListCheck(const std::vector<Segment>& segments, const Json& answer,
               std::vector<DraftCheck>* out) {
  if (segments.empty() || !segments.back().param.empty()) return;
  auto item = FirstItem(answer, segments.back().text);
  if (item && EndsWith(item->first, "[0]")) {
    out->push_back({item->first.substr(0, item->first.size() - 3), "not_empty", true});
    return;
  }
  if (std::optional<std::string> list = NamedList(answer, segments.back().text))
    out->push_back({*list, "not_empty", true});
}

// A read of an item whose id a producer extracted: the answer holds that id under one of the
// names an id of it may have.
void ItemCheck(const run::DocumentResult& result, const run::StepResult& test,
               const std::vector<Segment>& segments, const Json& answer,
               std::vector<DraftCheck>* out) {
  std::vector<Place> places = Objects(answer);
  for (const run::StepResult& step : result.steps) {
    if (step.section != "prerequisites" || !step.extracted.is_object()) continue;
    for (const auto& [variable, value] : step.extracted.items()) {
      if (!IsComparable(value) || value.is_boolean()) continue;
      if (test.endpoint.find("{{" + variable + "}}") == std::string::npos) continue;
      std::string singular = StripIdSuffix(variable);
      std::string param = variable;
      for (size_t i = 1; i < segments.size(); ++i) {
        if (VariableName(segments[i].param) != variable || !segments[i - 1].param.empty()) continue;
        param = segments[i].param;
        singular = Singular(segments[i - 1].text);
      }
      std::vector<std::string> fields = IdCandidates(param, singular);
      for (const Place& place : places) {
        auto field = std::find_if(fields.begin(), fields.end(), [&](const std::string& f) {
          auto it = place.object->find(f);
          return it != place.object->end() && *it == value;
        });
        if (field == fields.end()) continue;
        out->push_back({place.path + MemberPath(*field), "equals", "{{" + variable + "}}"});
        break;
      }
    }
  }
}

// Where a body sent may hold the resource's members: at its root, or in one member that wraps
// them (`{"client": {"first_name": …}}`); each with the template that names it.
std::vector<std::pair<std::string, const Json*>> SentObjects(const Json& sent) {
  std::vector<std::pair<std::string, const Json*>> out{{"request.body", &sent}};
  for (const auto& [name, value] : sent.items())
    if (value.is_object() && IsPlainName(name) && !NamesACredential(name))
      out.emplace_back("request.body." + name, &value);
  return out;
}

// A write whose answer echoed members of the body it sent: the object that echoed the most,
// and each member it echoed.
void EchoChecks(const run::StepResult& test, const Json& answer, std::vector<DraftCheck>* out) {
  if (!test.request) return;
  Result<Json> sent = ParseJson(test.request->body);
  if (!sent.ok() || !sent->is_object()) return;
  auto echoed = [](const Json& from, const Place& place) {
    std::vector<std::string> members;
    for (const auto& [name, value] : from.items()) {
      if (!IsPlainName(name) || NamesACredential(name) || !IsComparable(value)) continue;
      auto it = place.object->find(name);
      if (it != place.object->end() && *it == value) members.push_back(name);
    }
    return members;
  };
  std::string best_template;
  const Place* best = nullptr;
  std::vector<std::string> best_members;
  std::vector<Place> places = Objects(answer);
  for (const auto& [prefix, from] : SentObjects(*sent)) {
    for (const Place& place : places) {
      std::vector<std::string> members = echoed(*from, place);
      if (members.size() <= best_members.size()) continue;
      best_template = prefix;
      best = &place;
      best_members = std::move(members);
    }
  }
  for (const std::string& name : best_members) {
    out->push_back(
        {best->path + MemberPath(name), "equals", "{{" + best_template + "." + name + "}}"});
  }
}

}  // namespace

std::vector<DraftCheck> ChecksFromResult(const run::DocumentResult& result) {
  const run::StepResult* test = TestStep(result);
  if (test == nullptr || !test->response || test->response->body_truncated) return {};
  Result<Json> answer = ParseJson(test->response->body);
  if (!answer.ok() || !answer->is_structured()) return {};
  std::vector<Segment> segments = Segments(result.path);
  std::vector<DraftCheck> out;
  if (result.method == "GET") {
    ListCheck(segments, *answer, &out);
    ItemCheck(result, *test, segments, *answer, &out);
  } else if (result.method == "POST" || result.method == "PUT" || result.method == "PATCH") {
    EchoChecks(*test, *answer, &out);
  }
  if (out.size() > kMaxDraftChecks) out.resize(kMaxDraftChecks);
  return out;
}

std::string WithChecks(const std::string& text, const std::vector<DraftCheck>& checks) {
  if (checks.empty()) return text;
  size_t section = text.find("\n## Test Request\n");
  if (section == std::string::npos) return text;
  size_t expect = text.find("\n    expect:\n      status: [", section);
  if (expect == std::string::npos) return text;
  size_t line_end = text.find('\n', expect + 1 + std::string_view("    expect:\n").size());
  if (line_end == std::string::npos) return text;
  std::string body = "      body:\n";
  for (const DraftCheck& c : checks)
    body += fmt::format("        - {{path: {}, {}: {}}}\n", Json(c.path).dump(), c.op,
                        c.operand.dump());
  std::string out = text;
  out.insert(line_end + 1, body);
  return out;
}

std::string Describe(const DraftCheck& check) {
  return fmt::format("body {} {} {}", check.path, check.op, check.operand.dump());
}

}  // namespace verity::derive
