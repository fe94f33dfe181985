#include "mock/answer_hints.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "base/strings.h"

namespace verity::mock {

namespace {

bool ExpectsSuccess(const doc::Step& step) {
  return step.expect_status.empty() ||
         std::any_of(step.expect_status.begin(), step.expect_status.end(),
                     [](int status) { return status >= 200 && status < 300; });
}

bool NameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// The node `path` names in `value`, or null.
const Json* Walk(const Json& value, const HintPath& path) {
  const Json* at = &value;
  for (const auto& segment : path.segments) {
    if (const std::string* name = std::get_if<std::string>(&segment)) {
      if (!at->is_object()) return nullptr;
      auto it = at->find(*name);
      if (it == at->end()) return nullptr;
      at = &*it;
    } else {
      size_t index = std::get<size_t>(segment);
      if (!at->is_array() || index >= at->size()) return nullptr;
      at = &(*at)[index];
    }
  }
  return at;
}

// Puts `value` at the first `count` segments of `path`, making the objects and arrays on the way
// (an index one past a list's end appends). False when something on the way is not a container
// or the place already holds a value: what the spec's shape put there stays as it is.
bool SetAt(Json& root, const HintPath& path, size_t count, Json value) {
  Json* at = &root;
  for (size_t i = 0; i < count; ++i) {
    const auto& segment = path.segments[i];
    if (const std::string* name = std::get_if<std::string>(&segment)) {
      if (at->is_null()) *at = Json::object();
      if (!at->is_object()) return false;
      at = &(*at)[*name];
    } else {
      size_t index = std::get<size_t>(segment);
      if (at->is_null()) *at = Json::array();
      if (!at->is_array() || index > at->size()) return false;
      if (index == at->size()) at->push_back(nullptr);
      at = &(*at)[index];
    }
  }
  if (!at->is_null()) return false;
  *at = std::move(value);
  return true;
}

// The first member named `name`, depth first in document order.
const Json* FindMember(const Json& value, const std::string& name) {
  if (value.is_object()) {
    if (auto it = value.find(name); it != value.end()) return &*it;
    for (const auto& [key, member] : value.items()) {
      if (const Json* found = FindMember(member, name)) return found;
    }
  } else if (value.is_array()) {
    for (const Json& item : value) {
      if (const Json* found = FindMember(item, name)) return found;
    }
  }
  return nullptr;
}

}  // namespace

std::vector<AnswerHint> AnswerHintsOf(const std::vector<doc::Document>& documents) {
  std::vector<AnswerHint> hints;
  for (const doc::Document& document : documents) {
    if (document.frontmatter.status != doc::WorkflowStatus::kVerified) continue;
    for (const doc::Step& step : document.steps) {
      if (step.method.empty() || step.path.empty() || !ExpectsSuccess(step)) continue;
      std::string path = step.path.substr(0, step.path.find('?'));
      for (const doc::Extract& extract : step.extract) {
        if (extract.path.empty() || !extract.header.empty() || !extract.copy_of.empty()) continue;
        hints.push_back({ToUpper(step.method), path, extract.path,
                         fmt::format("{}:{}", document.file, extract.pos.line)});
      }
    }
  }
  return hints;
}

std::optional<HintPath> ParseHintPath(std::string_view text) {
  if (!text.starts_with('$')) return std::nullopt;
  HintPath path;
  size_t i = 1;
  while (i < text.size()) {
    if (text[i] == '.') {
      size_t start = ++i;
      while (i < text.size() && NameChar(text[i])) ++i;
      if (i == start) return std::nullopt;
      path.segments.emplace_back(std::string(text.substr(start, i - start)));
    } else if (text[i] == '[' && i + 1 < text.size() &&
               (text[i + 1] == '\'' || text[i + 1] == '"')) {
      char quote = text[i + 1];
      size_t start = i + 2;
      size_t end = text.find(quote, start);
      if (end == std::string_view::npos || end + 1 >= text.size() || text[end + 1] != ']')
        return std::nullopt;
      std::string_view name = text.substr(start, end - start);
      if (name.find('\\') != std::string_view::npos) return std::nullopt;
      path.segments.emplace_back(std::string(name));
      i = end + 2;
    } else if (text[i] == '[') {
      size_t start = ++i;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
      if (i == start || i >= text.size() || text[i] != ']' || i - start > 6) return std::nullopt;
      path.segments.emplace_back(static_cast<size_t>(std::stoul(std::string(text.substr(start)))));
      ++i;
    } else {
      return std::nullopt;
    }
  }
  if (path.segments.empty()) return std::nullopt;
  return path;
}

bool Materialize(Json& answer, const HintPath& path, std::string_view list_pointer) {
  if (Walk(answer, path) != nullptr) return false;
  // Through a list: the answer's own list, where the path expects it.
  auto last_index = std::find_if(path.segments.rbegin(), path.segments.rend(),
                                 [](const auto& s) { return std::holds_alternative<size_t>(s); });
  if (last_index != path.segments.rend() && !list_pointer.empty()) {
    size_t list_depth = static_cast<size_t>(path.segments.rend() - last_index) - 1;
    Json::json_pointer pointer(std::string{list_pointer});
    if (answer.contains(pointer) && answer[pointer].is_array() && !answer[pointer].empty()) {
      Json changed = answer;
      if (SetAt(changed, path, list_depth, answer[pointer]) && Walk(changed, path) != nullptr) {
        answer = std::move(changed);
        return true;
      }
    }
  }
  // By the last member's name, from wherever the answer has it.
  const std::string* name = std::get_if<std::string>(&path.segments.back());
  if (name == nullptr) return false;
  const Json* found = FindMember(answer, *name);
  if (found == nullptr) return false;
  Json changed = answer;
  if (!SetAt(changed, path, path.segments.size(), *found)) return false;
  answer = std::move(changed);
  return true;
}

}  // namespace verity::mock
