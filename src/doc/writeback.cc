#include "doc/writeback.h"

#include <fmt/format.h>

#include <cctype>

#include "base/line_index.h"
#include "base/strings.h"
#include "base/timestamp.h"
#include "base/yaml.h"
#include "base/yaml_json.h"
#include "doc/frontmatter.h"
#include "doc/status_vocabulary.h"

namespace verity::doc {

namespace {

using yaml::Node;

enum class FieldType { kString, kList, kBool, kCount, kTimestamp, kStatus, kStatusCodes };

FieldType TypeOf(std::string_view key) {
  if (key == "tags" || key == "tokens") return FieldType::kList;
  if (key == "useFallbackApi" || key == "requiresTestData") return FieldType::kBool;
  if (key == "timesReused" || key == "consecutiveFailures") return FieldType::kCount;
  if (key == "savedAt" || key == "verifiedAt") return FieldType::kTimestamp;
  if (key == "status") return FieldType::kStatus;
  if (key == "expectedOutcome") return FieldType::kStatusCodes;
  return FieldType::kString;
}

// Plain scalars are kept plain only when a reader gets the same string back: no YAML indicators,
// no ": " or " #", and nothing the core schema would type as null, bool or number.
bool SafeAsPlain(std::string_view s) {
  if (s.empty() || s != Trim(s)) return false;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(s.front()) != std::string_view::npos)
    return false;
  if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos ||
      s.back() == ':')
    return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20) return false;
  Node n;
  n.value = std::string(s);
  return yaml::ScalarToJson(n).is_string();
}

std::string DoubleQuoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string SingleQuoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string RenderString(std::string_view s, yaml::ScalarStyle existing) {
  bool multiline = s.find('\n') != std::string_view::npos;
  if (existing == yaml::ScalarStyle::kSingleQuoted && !multiline) return SingleQuoted(s);
  if (existing == yaml::ScalarStyle::kDoubleQuoted || !SafeAsPlain(s)) return DoubleQuoted(s);
  return std::string(s);
}

Result<std::vector<std::string>> ParseList(std::string_view key, std::string_view value) {
  std::string_view v = Trim(value);
  std::vector<std::string> items;
  if (v.empty()) return items;
  if (!v.starts_with('[')) {  // "a,b" is accepted as shorthand for [a, b]
    for (std::string_view part : Split(v, ','))
      if (!Trim(part).empty()) items.emplace_back(Trim(part));
    return items;
  }
  yaml::LoadResult loaded = yaml::Load(v);
  if (!loaded.root || !loaded.root->is_sequence())
    return Status::InvalidArgument(fmt::format("{} must be a list such as [a, b]", key));
  for (const Node& item : loaded.root->items) {
    if (!item.is_scalar() || item.is_null())
      return Status::InvalidArgument(fmt::format("{} items must be plain strings", key));
    items.push_back(item.value);
  }
  return items;
}

// What the new value means and how to write it, given the style of the value it replaces.
struct Rendered {
  std::string text;
  Json meaning;
};

Result<Rendered> Render(std::string_view key, std::string_view value, const Node* existing) {
  yaml::ScalarStyle style =
      existing && existing->is_scalar() ? existing->style : yaml::ScalarStyle::kPlain;
  switch (TypeOf(key)) {
    case FieldType::kList: {
      Result<std::vector<std::string>> items = ParseList(key, value);
      if (!items.ok()) return items.status();
      std::vector<std::string> rendered;
      for (const std::string& item : *items)
        rendered.push_back(RenderString(item, yaml::ScalarStyle::kPlain));
      return Rendered{"[" + Join(rendered, ", ") + "]", Json(*items)};
    }
    case FieldType::kBool:
      if (value != "true" && value != "false")
        return Status::InvalidArgument(fmt::format("{} must be true or false", key));
      return Rendered{std::string(value), Json(value == "true")};
    case FieldType::kCount:
      if (value.empty() || value.size() > 15 ||
          value.find_first_not_of("0123456789") != std::string_view::npos)
        return Status::InvalidArgument(fmt::format("{} must be a non-negative integer", key));
      return Rendered{std::string(value), Json(std::stoll(std::string(value)))};
    case FieldType::kTimestamp:
      if (!ParseIso8601(value))
        return Status::InvalidArgument(
            fmt::format("{} must be an ISO-8601 timestamp such as 2026-02-08T13:58:00.000Z", key));
      return Rendered{RenderString(value, style), Json(std::string(value))};
    case FieldType::kStatus:
      if (!ParseCanonicalStatus(value))
        return Status::InvalidArgument(
            "status must be one of verified, pending, failed, skipped, deprecated");
      return Rendered{RenderString(value, style), Json(std::string(value))};
    case FieldType::kStatusCodes: {
      if (Trim(value).empty()) return Rendered{"\"\"", Json("")};
      Result<std::vector<std::string>> items = ParseList(key, value);
      if (!items.ok()) return items.status();
      Json codes = Json::array();
      for (const std::string& item : *items) {
        if (item.size() != 3 || item.find_first_not_of("0123456789") != std::string::npos)
          return Status::InvalidArgument("expectedOutcome must be status codes such as 422");
        codes.push_back(std::stoi(item));
      }
      if (codes.size() == 1 && !Trim(value).starts_with('['))
        return Rendered{codes[0].dump(), codes[0]};
      return Rendered{codes.dump(), codes};
    }
    case FieldType::kString:
      return Rendered{RenderString(value, style), Json(std::string(value))};
  }
  return Status::InvalidArgument("unreachable");
}

// The existing value read the way Verity's frontmatter reader types it, for the no-op test.
Json Meaning(std::string_view key, const Node& node) {
  Json j = yaml::ToJson(node);
  FieldType t = TypeOf(key);
  if (j.is_string() && (t == FieldType::kBool || t == FieldType::kCount)) {
    const std::string& s = j.get_ref<const std::string&>();
    if (s == "true" || s == "false") return s == "true";
    if (!s.empty() && s.size() < 16 && s.find_first_not_of("0123456789") == std::string::npos)
      return std::stoll(s);
  }
  if (t == FieldType::kList && j.is_string()) return Json::array({j});
  return j;
}

std::string_view LineEnding(std::string_view text, size_t line_start) {
  size_t eol = text.find('\n', line_start);
  return eol != std::string_view::npos && eol > 0 && text[eol - 1] == '\r' ? "\r\n" : "\n";
}

Result<std::string> ApplyOne(std::string_view text, const FieldUpdate& update) {
  FrontmatterSpan span = FindFrontmatter(text);
  if (!span.present || !span.terminated)
    return Status::ParseError("the document has no complete frontmatter to update");
  std::string_view yaml_text = text.substr(span.yaml_begin, span.yaml_end - span.yaml_begin);
  // The reader's bound on YAML nodes holds here too: a write-back never costs more than a parse.
  yaml::Limits limits;
  limits.max_nodes = ParseOptions{}.max_yaml_nodes;
  yaml::LoadResult loaded = yaml::Load(yaml_text, limits);
  if (!loaded.errors.empty())
    return Status::ParseError(
        fmt::format("frontmatter has YAML errors ({}: line {}); fix them first",
                    loaded.errors[0].message, loaded.errors[0].pos.line + span.open_line));
  if (loaded.root && !loaded.root->is_mapping() && !loaded.root->is_null())
    return Status::ParseError("frontmatter is not a mapping of fields");

  const Node* key_node = nullptr;
  const Node* value_node = nullptr;
  if (loaded.root)
    for (const auto& [k, v] : loaded.root->entries)
      if (k.is_scalar() && k.value == update.key) key_node = &k, value_node = &v;

  // Writing back exactly the text that is there is a no-op even where the value would not pass
  // validation today (status: skip): nothing changes, so nothing is judged.
  if (value_node && value_node->is_scalar() &&
      (value_node->value == update.value || (value_node->is_null() && Trim(update.value).empty())))
    return std::string(text);

  Result<Rendered> rendered = Render(update.key, update.value, value_node);
  if (!rendered.ok()) return rendered.status();

  std::string out;
  if (!value_node) {
    std::string line = fmt::format("{}: {}{}", update.key, rendered->text, LineEnding(text, 0));
    out.reserve(text.size() + line.size());
    out.append(text.substr(0, span.close_begin));
    out.append(line);
    out.append(text.substr(span.close_begin));
    return out;
  }
  if (Meaning(update.key, *value_node) == rendered->meaning) return std::string(text);

  LineIndex lines(yaml_text);
  size_t begin, end;
  bool inline_value = value_node->pos.line == key_node->pos.line && !value_node->is_null() &&
                      (value_node->is_scalar() || value_node->flow);
  if (inline_value) {
    begin = lines.OffsetOf(value_node->pos);
    end = lines.OffsetOf(value_node->end);
  } else {
    // Empty value or a block collection on the following lines: the new value goes right after
    // the colon, replacing everything up to the end of the old value.
    begin = lines.OffsetOf(key_node->end);
    while (begin < yaml_text.size() && yaml_text[begin] != ':') ++begin;
    ++begin;
    end = value_node->is_null() ? begin : lines.OffsetOf(value_node->end);
    if (value_node->is_null()) {
      while (end < yaml_text.size() && yaml_text[end] != '\n' && yaml_text[end] != '\r') ++end;
    } else {
      while (end > begin && (yaml_text[end - 1] == '\n' || yaml_text[end - 1] == '\r' ||
                             yaml_text[end - 1] == ' '))
        --end;
    }
    rendered->text = " " + rendered->text;
  }
  begin += span.yaml_begin;
  end += span.yaml_begin;
  out.reserve(text.size() + rendered->text.size());
  out.append(text.substr(0, begin));
  out.append(rendered->text);
  out.append(text.substr(end));
  return out;
}

}  // namespace

Result<FieldUpdate> ParseFieldUpdate(std::string_view assignment) {
  size_t eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0)
    return Status::InvalidArgument(fmt::format("expected key=value, got {}", Quoted(assignment)));
  std::string key(Trim(assignment.substr(0, eq)));
  for (char c : key)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
      return Status::InvalidArgument(fmt::format("invalid field name {}", Quoted(key)));
  return FieldUpdate{key, std::string(assignment.substr(eq + 1))};
}

Result<std::string> ApplyFieldUpdates(std::string_view text,
                                      const std::vector<FieldUpdate>& updates) {
  std::string current(text);
  for (const FieldUpdate& u : updates) {
    Result<std::string> next = ApplyOne(current, u);
    if (!next.ok()) return next.status();
    current = std::move(next).value();
  }
  return current;
}

namespace {

std::string_view TrimLeft(std::string_view s) {
  size_t first = s.find_first_not_of(" \t");
  return first == std::string_view::npos ? std::string_view() : s.substr(first);
}

// A line of text: [begin, end) without its line end, `next` where the following line starts. Lines
// end where the YAML reader ends them (a lone CR too): a line removed is never two to a reader.
struct Line {
  size_t begin = 0, end = 0, next = 0;
};

Line LineFrom(std::string_view text, size_t begin) {
  Line line{begin, text.size(), text.size()};
  for (size_t i = begin; i < text.size(); ++i) {
    if (size_t n = LineBreakAt(text, i)) {
      line.end = i;
      line.next = i + n;
      break;
    }
  }
  return line;
}

// `key: true` on a line of its own (quoted true too, a trailing comment allowed); `indented`
// says whether leading blanks are allowed (step keys) or not (top-level frontmatter keys).
bool IsTrueFlag(std::string_view line, std::string_view key, bool indented) {
  std::string_view rest = indented ? TrimLeft(line) : line;
  if (!rest.starts_with(key)) return false;
  rest.remove_prefix(key.size());
  if (!rest.starts_with(':')) return false;
  rest.remove_prefix(1);
  size_t comment = rest.find(" #");
  if (comment != std::string_view::npos) rest = rest.substr(0, comment);
  rest = Trim(rest);
  return rest == "true" || rest == "\"true\"" || rest == "'true'";
}

bool MentionsFallback(std::string_view line) {
  return ToLower(line).find("fallback") != std::string::npos;
}

}  // namespace

Result<FallbackFlagRemoval> RemoveFallbackFlag(std::string_view text) {
  FrontmatterSpan span = FindFrontmatter(text);
  if (!span.present || !span.terminated)
    return Status::ParseError("not a knowledge-base document: no frontmatter");
  std::vector<Line> drop;
  for (size_t pos = span.yaml_begin; pos < span.yaml_end;) {
    Line line = LineFrom(text, pos);
    if (IsTrueFlag(text.substr(line.begin, line.end - line.begin), "useFallbackApi", false))
      drop.push_back(line);
    pos = line.next;
  }
  if (drop.empty()) return Status::NotFound("useFallbackApi not set");

  std::string fence;  // the open fence's marker ("```", "~~~~"); empty outside fences
  bool yaml_fence = false;
  for (size_t pos = span.body_begin; pos < text.size();) {
    Line line = LineFrom(text, pos);
    std::string_view content = text.substr(line.begin, line.end - line.begin);
    std::string_view stripped = TrimLeft(content);
    pos = line.next;
    if (fence.empty() && (stripped.starts_with("```") || stripped.starts_with("~~~"))) {
      size_t n = stripped.find_first_not_of(stripped[0]);
      fence = std::string(stripped.substr(0, n));
      std::string info = ToLower(Trim(stripped.substr(fence.size())));
      yaml_fence = info.starts_with("yaml") || info.starts_with("yml");
      continue;
    }
    if (!fence.empty()) {
      if (stripped.starts_with(fence) &&
          Trim(stripped.substr(fence.size())).find_first_not_of(fence[0]) ==
              std::string_view::npos) {
        fence.clear();
      } else if (yaml_fence && IsTrueFlag(content, "useFallback", true)) {
        // Never `- useFallback: true`: that line opens a step, and taking it would take the dash.
        drop.push_back(line);
      }
      continue;
    }
    if (!stripped.starts_with('>') || content.find("Fallback API Required") == std::string::npos)
      continue;
    drop.push_back(line);
    while (pos < text.size()) {
      Line more = LineFrom(text, pos);
      std::string_view more_text = TrimLeft(text.substr(more.begin, more.end - more.begin));
      if (!more_text.starts_with('>') || !MentionsFallback(more_text)) break;
      drop.push_back(more);
      pos = more.next;
    }
    if (pos < text.size()) {
      Line blank = LineFrom(text, pos);
      if (Trim(text.substr(blank.begin, blank.end - blank.begin)).empty()) {
        drop.push_back(blank);
        pos = blank.next;
      }
    }
  }

  FallbackFlagRemoval out;
  size_t kept_from = 0;
  for (const Line& line : drop) {
    out.text.append(text.substr(kept_from, line.begin - kept_from));
    out.removed.emplace_back(text.substr(line.begin, line.end - line.begin));
    kept_from = line.next;
  }
  out.text.append(text.substr(kept_from));
  return out;
}

}  // namespace verity::doc
