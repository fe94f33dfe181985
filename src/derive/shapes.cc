#include "derive/shapes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <set>
#include <tuple>

#include "base/strings.h"

namespace verity::derive {

std::vector<Segment> Segments(std::string_view path) {
  std::vector<Segment> out;
  for (std::string_view part : Split(path, '/')) {
    if (part.empty()) continue;
    Segment s{std::string(part), {}};
    if (part.size() > 2 && part.front() == '{' && part.back() == '}')
      s.param = std::string(part.substr(1, part.size() - 2));
    out.push_back(std::move(s));
  }
  return out;
}

std::string VariableName(std::string_view name) {
  std::string out;
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "p_" + out;
  return out;
}

std::string StripIdSuffix(const std::string& name) {
  for (std::string_view suffix : {"_uid", "_id", "Uid", "Id", "UID", "ID"}) {
    if (name.size() > suffix.size() && EndsWith(name, suffix))
      return name.substr(0, name.size() - suffix.size());
  }
  return name;
}

std::string Singular(std::string_view plural) {
  std::string s(plural);
  if (EndsWith(s, "ies") && s.size() > 3) return s.substr(0, s.size() - 3) + "y";
  if (EndsWith(s, "sses") || EndsWith(s, "uses") || EndsWith(s, "xes") || EndsWith(s, "ches") ||
      EndsWith(s, "shes"))
    return s.substr(0, s.size() - 2);
  if (EndsWith(s, "s") && !EndsWith(s, "ss") && s.size() > 1) return s.substr(0, s.size() - 1);
  return s;
}

std::string MemberPath(const std::string& key) {
  bool plain = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  return plain ? "." + key : "[" + Json(key).dump() + "]";
}

std::optional<std::pair<std::string, const Json*>> FirstItem(const Json& answer,
                                                             std::string_view collection) {
  std::optional<std::pair<std::string, const Json*>> first;
  // Each pending node with the key it was found under.
  std::deque<std::tuple<std::string, std::string, const Json*>> pending{{"$", "", &answer}};
  while (!pending.empty()) {
    auto [path, key, node] = pending.front();
    pending.pop_front();
    if (node->is_array()) {
      if (node->empty() || !node->front().is_object()) continue;
      std::pair<std::string, const Json*> item{path + "[0]", &node->front()};
      if (!collection.empty() && key == collection) return item;
      if (!first) first = item;
      continue;
    }
    if (!node->is_object()) continue;
    for (const auto& [member, value] : node->items())
      if (value.is_structured()) pending.emplace_back(path + MemberPath(member), member, &value);
  }
  return first;
}

std::string PathText(const Json& value) {
  std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::vector<std::string> IdCandidates(const std::string& name, const std::string& singular) {
  std::vector<std::string> out;
  for (std::string field : {name, std::string("id"), std::string("uid"), singular + "_id",
                            singular + "_uid", StripIdSuffix(name) + "_id"}) {
    if (std::find(out.begin(), out.end(), field) == out.end()) out.push_back(field);
  }
  return out;
}

std::optional<std::pair<std::string, std::string>> FindId(const Json& answer,
                                                          const std::vector<std::string>& fields) {
  std::deque<std::pair<std::string, const Json*>> pending{{"$", &answer}};
  while (!pending.empty()) {
    auto [path, node] = pending.front();
    pending.pop_front();
    if (node->is_array()) {
      if (!node->empty()) pending.emplace_back(path + "[0]", &node->front());
      continue;
    }
    if (!node->is_object()) continue;
    for (const std::string& field : fields) {
      const auto it = node->find(field);
      if (it != node->end() && (it->is_string() || it->is_number_integer()))
        return std::make_pair(path, field);
    }
    for (const auto& [key, value] : node->items())
      if (value.is_structured()) pending.emplace_back(path + MemberPath(key), &value);
  }
  return std::nullopt;
}

namespace {

// `2026-01-05T10:00:00Z`, `2026-01-05T10:00:00.123+02:00`: the shape, not the calendar.
bool IsDateTime(std::string_view s) {
  auto digits = [&](size_t at, size_t n) {
    if (s.size() < at + n) return false;
    for (size_t i = at; i < at + n; ++i)
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
  };
  if (!digits(0, 4) || s[4] != '-' || !digits(5, 2) || s[7] != '-' || !digits(8, 2) ||
      (s[10] != 'T' && s[10] != 't') || !digits(11, 2) || s[13] != ':' || !digits(14, 2))
    return false;
  size_t at = 16;
  if (at < s.size() && s[at] == ':') {
    if (!digits(at + 1, 2)) return false;
    at += 3;
    if (at < s.size() && s[at] == '.') {
      size_t end = at + 1;
      while (end < s.size() && std::isdigit(static_cast<unsigned char>(s[end]))) ++end;
      if (end == at + 1) return false;
      at = end;
    }
  }
  std::string_view zone = s.substr(at);
  if (zone == "Z" || zone == "z") return true;
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digits(at + 1, 2) &&
         zone[3] == ':' && digits(at + 4, 2);
}

// The words of a member name: `endsAt`, `ends_at` and `ends-at` are "ends", "at".
std::vector<std::string> Words(std::string_view name) {
  std::vector<std::string> words(1);
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    bool upper = std::isupper(c) && i > 0 && !std::isupper(static_cast<unsigned char>(name[i - 1]));
    if ((!std::isalnum(c) || upper) && !words.back().empty()) words.emplace_back();
    if (std::isalnum(c)) words.back() += static_cast<char>(std::tolower(c));
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

bool NamesAnEnd(std::string_view name) {
  static const std::set<std::string, std::less<>> ends = {
      "end",     "ends",   "ending",     "ended",  "until",    "till", "to",    "expire",
      "expires", "expiry", "expiration", "finish", "finishes", "stop", "stops", "deadline"};
  for (const std::string& word : Words(name))
    if (ends.count(word)) return true;
  return false;
}

}  // namespace

void DateTimesFromNow(Json* value, std::string_view name) {
  if (value->is_string()) {
    if (IsDateTime(value->get_ref<const std::string&>()))
      *value = NamesAnEnd(name) ? "{{future_datetime_48h}}" : "{{future_datetime}}";
    return;
  }
  if (value->is_array()) {
    for (Json& item : *value) DateTimesFromNow(&item, name);
    return;
  }
  if (value->is_object()) {
    for (auto& [key, member] : value->items()) DateTimesFromNow(&member, key);
  }
}

std::string JsonTypeName(const Json& value) {
  if (value.is_number_integer()) return "integer";
  if (value.is_number()) return "number";
  if (value.is_string()) return "string";
  if (value.is_boolean()) return "boolean";
  if (value.is_array()) return "array";
  if (value.is_object()) return "object";
  return "null";
}

Json CoercedTo(const Json& value, std::string_view type) {
  if (value.is_string() && value.get<std::string>().find("{{") != std::string::npos) return value;
  std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  if (type == "string") return text;
  if (type == "boolean") return !(text == "false" || text == "0" || text.empty());
  if (type == "array") return value.is_array() ? value : Json::array({value});
  if (type == "integer" || type == "number") {
    if (value.is_boolean()) return value.get<bool>() ? 1 : 0;
    if (value.is_number())
      return type == "integer" ? Json(std::llround(value.get<double>())) : value;
    char* end = nullptr;
    double parsed = std::strtod(text.c_str(), &end);
    bool whole = end != text.c_str() && *end == '\0' && std::isfinite(parsed);
    if (!whole) parsed = 1;
    if (type == "integer") return std::llround(parsed);
    return parsed;
  }
  return value;
}

void CoerceMembers(Json* value, const std::map<std::string, std::string>& types) {
  if (types.empty() || value == nullptr) return;
  if (value->is_array()) {
    for (Json& item : *value) CoerceMembers(&item, types);
    return;
  }
  if (!value->is_object()) return;
  for (auto& [key, member] : value->items()) {
    auto it = types.find(key);
    if (it != types.end()) {
      member = CoercedTo(member, it->second);
      continue;
    }
    CoerceMembers(&member, types);
  }
}

}  // namespace verity::derive
