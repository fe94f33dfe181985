// Reading a rules file (docs/mock-rules.md) into Rules. Like verity.yaml's reader, it walks the
// tree once and keeps every problem with the position of the node it is about, so one run of the
// mock shows all of a file's mistakes. Token values are secrets in form if not in fact: problems
// about them name the entry's line, never its text. The values inside a rule are read in
// rules_values.cc.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <tuple>

#include "base/edit_distance.h"
#include "base/strings.h"
#include "base/yaml.h"
#include "base/yaml_json.h"
#include "mock/rules.h"
#include "mock/rules_reader.h"

namespace verity::mock {

namespace {

using rules_internal::IsName;
using rules_internal::JoinNames;
using rules_internal::Problem;
using rules_internal::Problems;
using rules_internal::ReadCount;
using rules_internal::ReadLatency;
using rules_internal::ReadRateLimit;
using rules_internal::ReadResponse;
using yaml::Node;

// A rules file is a page of YAML; anything this large is not one.
constexpr uint64_t kMaxRulesBytes = 1 << 20;
// Nor is anything with this many YAML nodes (a rule is about ten): a node costs ~140 bytes for as
// little as two bytes of text, so the size limit alone would let `[1,1,…]` take 70 MB. Aliases
// are bounded by the YAML reader's defaults (10 000 nodes, 1 MiB of text).
constexpr size_t kMaxRulesNodes = 100'000;
constexpr int64_t kMaxCount = 1'000'000'000'000;

const std::vector<std::string_view> kTopKeys = {"seed", "tokens", "rules", "credentials",
                                                "resources"};
const std::vector<std::string_view> kTokenKeys = {"value", "prefix", "env", "type"};
const std::vector<std::string_view> kRuleKeys = {"name",    "match",   "accept_tokens",   "reject",
                                                 "respond", "latency", "drop_connection", "every",
                                                 "times",   "after",   "rate_limit"};
const std::vector<std::string_view> kMatchKeys = {"method", "path",  "token",
                                                  "body",   "query", "headers"};
const std::vector<std::string_view> kMethodNames = {"GET",    "HEAD",    "POST",  "PUT",    "PATCH",
                                                    "DELETE", "OPTIONS", "TRACE", "CONNECT"};
constexpr uint32_t kAllMethods = ~0u;

// A scalar or a list of scalars, as the items to check one by one.
std::vector<const Node*> OneOrMany(const Node& v) {
  std::vector<const Node*> items;
  if (v.is_sequence())
    for (const Node& item : v.items) items.push_back(&item);
  else
    items.push_back(&v);
  return items;
}

class RulesReader {
 public:
  explicit RulesReader(std::string file) : file_(std::move(file)) {}

  Result<Rules> Read(std::string_view text) {
    yaml::Limits limits;
    limits.max_nodes = kMaxRulesNodes;
    yaml::LoadResult loaded = yaml::Load(text, limits);
    bool broken = !loaded.root.has_value() && !loaded.errors.empty();
    const Node* tokens = loaded.root ? loaded.root->Find("tokens") : nullptr;
    for (const yaml::Error& e : loaded.errors) {
      if (e.code != "YAML_DUPLICATE_KEY")
        problems_.Add(e.pos, "MOCK_RULE_PARSE_ERROR", fmt::format("{} ({})", e.message, e.code));
      else if (tokens && Inside(e.pos, *tokens))  // the key is a token value: not repeated
        problems_.Add(e.pos, "MOCK_RULE_DUPLICATE_KEY",
                      fmt::format("tokens: the same token value as line {}; the first is kept",
                                  e.first_defined.line));
      else
        problems_.Add(e.pos, "MOCK_RULE_DUPLICATE_KEY", e.message);
    }
    rules_.file = file_;
    if (loaded.root) ReadTop(*loaded.root);
    std::vector<Problem>& problems = problems_.list();
    if (problems.empty()) return std::move(rules_);
    std::stable_sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
      return std::tie(a.pos.line, a.pos.col) < std::tie(b.pos.line, b.pos.col);
    });
    std::vector<std::string> lines;
    for (const Problem& p : problems)
      lines.push_back(
          fmt::format("{}:{}:{}: {} [{}]", file_, p.pos.line, p.pos.col, p.message, p.code));
    std::string message = Join(lines, "\n");
    return broken ? Status::ParseError(message) : Status::InvalidArgument(message);
  }

 private:
  static bool Inside(SourcePos pos, const Node& n) {
    return std::tie(n.pos.line, n.pos.col) <= std::tie(pos.line, pos.col) &&
           std::tie(pos.line, pos.col) < std::tie(n.end.line, n.end.col);
  }

  void ReadTop(const Node& root) {
    if (root.is_scalar() && root.is_null()) return;  // an empty file: no rules, all served
    if (!root.is_mapping()) return problems_.TypeError(root, "the file", "a mapping with rules:");
    // Tokens first, wherever they are written: rules name their types.
    if (const Node* tokens = root.Find("tokens"); tokens && !tokens->is_null()) ReadTokens(*tokens);
    for (auto [k, v] : problems_.Entries(root, "the file")) {
      if (k->value == "seed") {
        if (auto n = ReadCount(*v, "seed", 0, INT64_MAX, problems_)) rules_.seed = *n;
      } else if (k->value == "rules") {
        if (v->is_null()) continue;
        if (!v->is_sequence()) {
          problems_.TypeError(*v, "rules", "a list of rules");
          continue;
        }
        for (size_t i = 0; i < v->items.size(); ++i) ReadRule(v->items[i], i);
      } else if (k->value == "credentials") {
        ReadCredentials(*v);
      } else if (k->value == "resources") {
        if (!v->is_null()) rules_internal::ReadResources(*v, problems_, &rules_.resources);
      } else if (k->value != "tokens") {
        problems_.UnknownKey(*k, "the file", kTopKeys);
      }
    }
  }

  // --- credentials ------------------------------------------------------------------------------

  // scheme: VALUE, or scheme: {value: VALUE} / {env: VARIABLE}.
  void ReadCredentials(const Node& v) {
    if (v.is_null()) return;
    for (auto [k, entry] : problems_.Entries(v, "credentials")) {
      std::string where = fmt::format("credentials (line {})", k->pos.line);
      SchemeCredential credential{.scheme = k->value, .line = k->pos.line};
      if (entry->is_scalar() && !entry->is_null()) {
        credential.value = entry->value;
      } else if (entry->is_mapping()) {
        for (auto [ek, ev] : problems_.Entries(*entry, where)) {
          if (ek->value != "value" && ek->value != "env") {
            problems_.UnknownKey(*ek, where, {"value", "env"});
          } else if (!ev->is_scalar() || ev->is_null()) {
            problems_.TypeError(*ev, where, "text");
          } else {
            (ek->value == "value" ? credential.value : credential.env) = ev->value;
          }
        }
      } else {
        problems_.TypeError(*entry, where, "a value, {value: …} or {env: VARIABLE}");
        continue;
      }
      if (credential.value.empty() == credential.env.empty() ||
          Trim(credential.value) != credential.value) {
        problems_.Add(entry->pos, "MOCK_RULE_BAD_CREDENTIAL",
                      fmt::format("{}: give exactly one of a value and env:, without surrounding "
                                  "spaces",
                                  where));
        continue;
      }
      rules_.credentials.push_back(std::move(credential));
    }
  }

  // --- tokens -----------------------------------------------------------------------------------

  void ReadTokens(const Node& v) {
    if (v.is_mapping()) {
      for (auto [k, type] : problems_.Entries(v, "tokens")) {
        TokenMapping mapping;
        mapping.line = k->pos.line;
        if (!TokenValue(*k, fmt::format("tokens (line {})", k->pos.line))) continue;
        mapping.value = k->value;
        if (auto name = TypeName(*type, fmt::format("tokens (line {})", k->pos.line)))
          Map(std::move(mapping), *name);
      }
    } else if (v.is_sequence()) {
      for (size_t i = 0; i < v.items.size(); ++i) ReadTokenEntry(v.items[i], i);
    } else {
      problems_.Add(v.pos, "MOCK_RULE_TYPE",
                    fmt::format("tokens: expected a mapping of token values to types, or a list of "
                                "{{value|prefix|env, type}}, got {}",
                                WithArticle(yaml::KindName(v))));
    }
  }

  void ReadTokenEntry(const Node& item, size_t index) {
    std::string where = fmt::format("tokens[{}]", index);
    if (!item.is_mapping())
      return problems_.Add(item.pos, "MOCK_RULE_TYPE",
                           fmt::format("{}: expected {{value|prefix|env, type}}, got {}", where,
                                       WithArticle(yaml::KindName(item))));
    TokenMapping mapping;
    mapping.line = item.pos.line;
    std::optional<std::string> type;
    int sources = 0;
    bool ok = true;
    for (auto [k, v] : problems_.Entries(item, where)) {
      std::string at = where + "." + k->value;
      if (k->value == "value" || k->value == "prefix") {
        ++sources;
        ok = TokenValue(*v, at) && ok;
        (k->value == "value" ? mapping.value : mapping.prefix) = v->value;
      } else if (k->value == "env") {
        ++sources;
        if (v->is_scalar() && IsName(v->value, "_") &&
            !(v->value[0] >= '0' && v->value[0] <= '9')) {
          mapping.env = v->value;
        } else {
          problems_.Add(
              v->pos, "MOCK_RULE_BAD_TOKEN",
              fmt::format("{}: expected an environment variable name (letters, digits, '_'); the "
                          "value is not repeated in case it is a token",
                          at));
          ok = false;
        }
      } else if (k->value == "type") {
        type = TypeName(*v, at);
        ok = ok && type.has_value();
      } else {
        problems_.UnknownKey(*k, where, kTokenKeys);
        ok = false;
      }
    }
    if (sources != 1) {
      problems_.Add(item.pos, "MOCK_RULE_BAD_TOKEN",
                    fmt::format("{}: needs exactly one of value, prefix and env", where));
      ok = false;
    }
    if (!item.Find("type")) {
      problems_.Add(item.pos, "MOCK_RULE_MISSING_KEY", fmt::format("{}: type is required", where));
      ok = false;
    }
    if (!ok) return;
    for (const TokenMapping& other : rules_.tokens) {
      bool same = (!mapping.value.empty() && other.value == mapping.value) ||
                  (!mapping.prefix.empty() && other.prefix == mapping.prefix) ||
                  (!mapping.env.empty() && other.env == mapping.env);
      if (same)
        return problems_.Add(item.pos, "MOCK_RULE_DUPLICATE_TOKEN",
                             fmt::format("{}: the same token as line {}", where, other.line));
    }
    Map(std::move(mapping), *type);
  }

  // The value is checked, never shown.
  bool TokenValue(const Node& v, std::string_view where) {
    bool ok = v.is_scalar() && !v.value.empty() &&
              std::none_of(v.value.begin(), v.value.end(),
                           [](char c) { return static_cast<unsigned char>(c) <= ' '; });
    if (!ok)
      problems_.Add(
          v.pos, "MOCK_RULE_BAD_TOKEN",
          fmt::format("{}: a token is a non-empty string without spaces or control characters "
                      "(the value is not repeated here)",
                      where));
    return ok;
  }

  std::optional<std::string> TypeName(const Node& v, std::string_view where) {
    if (!v.is_scalar() || !IsName(v.value, "_-.")) {
      problems_.Add(
          v.pos, "MOCK_RULE_BAD_TOKEN",
          fmt::format("{}: expected a token type name (letters, digits, '_', '-', '.'), got {}",
                      where, yaml::Describe(v)));
      return std::nullopt;
    }
    if (v.value == "anonymous") {
      problems_.Add(
          v.pos, "MOCK_RULE_BAD_TOKEN",
          fmt::format("{}: \"anonymous\" is reserved for callers without a known token", where));
      return std::nullopt;
    }
    return v.value;
  }

  void Map(TokenMapping mapping, const std::string& type) {
    if (!rules_.TypeId(type)) {
      if (rules_.token_types.size() >= kMaxTokenTypes)
        return problems_.Add({mapping.line, 1}, "MOCK_RULE_BAD_TOKEN",
                             fmt::format("tokens: more than {} token types", kMaxTokenTypes - 1));
      rules_.token_types.push_back(type);
    }
    mapping.type = type;
    rules_.tokens.push_back(std::move(mapping));
  }

  // --- rules ------------------------------------------------------------------------------------

  void ReadRule(const Node& v, size_t index) {
    std::string where = fmt::format("rules[{}]", index);
    if (!v.is_mapping())
      return problems_.TypeError(v, where, "a mapping with match: and what to do");
    Rule rule;
    rule.name = where;
    rule.line = v.pos.line;
    bool ok = true;
    bool misspelled = false;
    if (const Node* name = v.Find("name")) {
      if (name->is_scalar() && !Trim(name->value).empty()) {
        rule.name = std::string(Trim(name->value));
        if (!names_.emplace(rule.name, name->pos.line).second) {
          problems_.Add(name->pos, "MOCK_RULE_DUPLICATE_NAME",
                        fmt::format("{}: the name {} is taken by the rule at line {}", where,
                                    Quoted(rule.name), names_[rule.name]));
          ok = false;
        }
      } else {
        problems_.TypeError(*name, where + ".name", "a name");
        ok = false;
      }
    }
    for (auto [k, value] : problems_.Entries(v, where)) {
      const std::string& key = k->value;
      std::string at = where + "." + key;
      if (key == "name") continue;
      if (std::find(kRuleKeys.begin(), kRuleKeys.end(), key) == kRuleKeys.end()) {
        problems_.UnknownKey(*k, where, kRuleKeys);
        ok = false;
        misspelled = true;
      } else {
        ok = ReadRuleKey(key, *value, at, &rule) && ok;
      }
    }
    ok = Check(v, where, misspelled, &rule) && ok;
    if (ok) rules_.rules.push_back(std::move(rule));
  }

  bool ReadRuleKey(const std::string& key, const Node& v, const std::string& at, Rule* rule) {
    if (key == "match") return ReadMatch(v, at, rule);
    if (key == "accept_tokens") {
      std::optional<uint64_t> types = TypeSet(v, at);
      rule->accept_tokens = types;
      return types.has_value();
    }
    if (key == "reject" || key == "respond") {
      std::optional<Response> response = ReadResponse(v, at, problems_);
      if (!response) return false;
      (key == "reject" ? rule->unauthorized : rule->respond) =
          std::make_shared<const Response>(std::move(*response));
      return true;
    }
    if (key == "latency") return ReadLatency(v, at, problems_, rule);
    if (key == "drop_connection") {
      Json j = v.is_scalar() ? yaml::ScalarToJson(v) : Json();
      if (!j.is_boolean()) {
        problems_.TypeError(v, at, "true or false");
        return false;
      }
      rule->drop_connection = j.get<bool>();
      return true;
    }
    if (key == "rate_limit") return ReadRateLimit(v, at, problems_, rule);
    std::optional<uint64_t> n = ReadCount(v, at, key == "after" ? 0 : 1, kMaxCount, problems_);
    if (!n) return false;
    if (key == "every") rule->every = *n;
    if (key == "times") rule->times = *n;
    if (key == "after") rule->after = *n;
    return true;
  }

  // What only the whole rule can tell.
  bool Check(const Node& v, const std::string& where, bool misspelled, Rule* rule) {
    bool ok = true;
    const Node* match = v.Find("match");
    if (!match || match->is_null() || (match->is_mapping() && match->entries.empty())) {
      problems_.Add(match ? match->pos : v.pos, "MOCK_RULE_EMPTY_MATCH",
                    fmt::format("{}: match: must say what the rule applies to (method, path, "
                                "token, body, query, headers); "
                                "to apply it to everything, write match: {{path: \"*\"}}",
                                where));
      ok = false;
    }
    // By the keys written, so that an effect with a mistake in it, or a misspelled one, is not
    // also called missing.
    bool effect = rule->drop_connection || misspelled;
    for (std::string_view key : {"accept_tokens", "respond", "latency", "rate_limit"})
      effect = effect || v.Find(key) != nullptr;
    if (!effect) {
      problems_.Add(v.pos, "MOCK_RULE_NO_EFFECT",
                    fmt::format("{}: does nothing; give it accept_tokens, respond, latency, "
                                "drop_connection or rate_limit",
                                where));
      ok = false;
    }
    if (rule->respond && rule->drop_connection) {
      problems_.Add(
          v.Find("drop_connection")->pos, "MOCK_RULE_CONFLICT",
          fmt::format("{}: respond and drop_connection exclude each other: a dropped connection "
                      "answers nothing",
                      where));
      ok = false;
    }
    if (rule->unauthorized && !rule->accept_tokens) {
      problems_.Add(
          v.Find("reject")->pos, "MOCK_RULE_MISSING_KEY",
          fmt::format("{}: reject is the answer to the callers accept_tokens leaves out, and "
                      "there is no accept_tokens; to answer every caller, use respond",
                      where));
      ok = false;
    }
    if (rule->accept_tokens && !rule->unauthorized) {
      std::vector<std::string> accepted;
      for (size_t i = 0; i < rules_.token_types.size(); ++i)
        if (*rule->accept_tokens & (1ull << i))
          accepted.push_back(i == 0 ? "anonymous" : rules_.token_types[i]);
      Response r;
      r.status = 401;
      r.headers = {{"Content-Type", "application/json"}, {"WWW-Authenticate", "Bearer"}};
      r.body = Json{
          {"error", "Unauthorized"},
          {"message", fmt::format("this endpoint accepts {} tokens only", Join(accepted, ", "))}};
      r.body_text = r.body->dump();
      rule->unauthorized = std::make_shared<const Response>(std::move(r));
    }
    return ok;
  }

  bool ReadMatch(const Node& v, const std::string& at, Rule* rule) {
    rule->methods = kAllMethods;
    rule->paths = {Glob("*")};
    if (v.is_null()) return false;  // reported by Check
    if (!v.is_mapping()) {
      problems_.TypeError(v, at, "a mapping of method, path, token");
      return false;
    }
    bool ok = true;
    for (auto [k, value] : problems_.Entries(v, at)) {
      std::string field = at + "." + k->value;
      if (k->value == "method") {
        ok = ReadMethods(*value, field, rule) && ok;
      } else if (k->value == "path") {
        ok = ReadGlobs(*value, field, rule) && ok;
      } else if (k->value == "token") {
        std::optional<uint64_t> types = TypeSet(*value, field);
        if (types) rule->token_types = *types;
        ok = ok && types.has_value();
      } else if (k->value == "body" || k->value == "query" || k->value == "headers") {
        ok =
            rules_internal::ReadConditions(*value, k->value, field, problems_, &rule->conditions) &&
            ok;
      } else {
        problems_.UnknownKey(*k, at, kMatchKeys);
        ok = false;
      }
    }
    return ok;
  }

  bool ReadMethods(const Node& v, const std::string& at, Rule* rule) {
    rule->methods = 0;
    bool ok = !v.is_sequence() || !v.items.empty();
    if (!ok) problems_.Add(v.pos, "MOCK_RULE_BAD_METHOD", fmt::format("{}: an empty list", at));
    for (const Node* item : OneOrMany(v)) {
      if (item->is_scalar() && Trim(item->value) == "*") {
        rule->methods = kAllMethods;
        continue;
      }
      std::string name = item->is_scalar() ? ToUpper(Trim(item->value)) : "";
      if (std::find(kMethodNames.begin(), kMethodNames.end(), name) != kMethodNames.end()) {
        rule->methods |= MethodBit(name);
        continue;
      }
      std::string hint = item->is_scalar() ? ClosestMatch(name, kMethodNames) : "";
      problems_.Add(
          item->pos, "MOCK_RULE_BAD_METHOD",
          fmt::format("{}: {} is not an HTTP method{}", at, yaml::Describe(*item),
                      hint.empty() ? fmt::format(" ({}, or \"*\")", JoinNames(kMethodNames))
                                   : fmt::format("; did you mean \"{}\"?", hint)));
      ok = false;
    }
    return ok;
  }

  bool ReadGlobs(const Node& v, const std::string& at, Rule* rule) {
    rule->paths.clear();
    bool ok = !v.is_sequence() || !v.items.empty();
    if (!ok) problems_.Add(v.pos, "MOCK_RULE_BAD_GLOB", fmt::format("{}: an empty list", at));
    for (const Node* item : OneOrMany(v)) {
      std::string problem;
      if (!item->is_scalar() || item->is_null())
        problem = "is not a path glob";
      else if (!item->value.starts_with('/') && !item->value.starts_with('*'))
        problem = "does not start with '/' or '*'";
      else if (item->value.find_first_of("?# \t\r\n") != std::string::npos)
        problem = "may not hold a query, a fragment or white space (the path alone is matched)";
      if (problem.empty()) {
        rule->paths.emplace_back(item->value);
      } else {
        problems_.Add(item->pos, "MOCK_RULE_BAD_GLOB",
                      fmt::format("{}: {} {}", at, yaml::Describe(*item), problem));
        ok = false;
      }
    }
    return ok;
  }

  // Token type names as a bit set: "*" for all, "anonymous" for callers without a known token.
  std::optional<uint64_t> TypeSet(const Node& v, const std::string& at) {
    uint64_t set = 0;
    bool ok = true;
    if (v.is_sequence() && v.items.empty()) {
      problems_.TypeError(v, at, "token types");
      return std::nullopt;
    }
    for (const Node* item : OneOrMany(v)) {
      if (!item->is_scalar() || item->is_null()) {
        problems_.TypeError(*item, at, "a token type");
        ok = false;
      } else if (Trim(item->value) == "*") {
        set = ~0ull;
      } else if (std::optional<uint32_t> id = rules_.TypeId(Trim(item->value))) {
        set |= 1ull << *id;
      } else {
        std::vector<std::string_view> known(rules_.token_types.begin() + 1,
                                            rules_.token_types.end());
        known.push_back("anonymous");
        std::string hint = ClosestMatch(item->value, known);
        problems_.Add(item->pos, "MOCK_RULE_UNKNOWN_TOKEN_TYPE",
                      fmt::format("{}: no token is of type {}{}", at, Quoted(item->value),
                                  hint.empty() ? fmt::format(" (types: {})", JoinNames(known))
                                               : fmt::format("; did you mean \"{}\"?", hint)));
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return set;
  }

  std::string file_;
  Rules rules_;
  Problems problems_{"MOCK_RULE"};
  std::map<std::string, uint32_t> names_;  // rule name → line
};

}  // namespace

Result<Rules> ParseRules(std::string_view yaml, const std::string& file_name) {
  return RulesReader(file_name).Read(yaml);
}

Result<Rules> LoadRules(const FileSystem& fs, const std::string& path) {
  Result<FileInfo> info = fs.Stat(path);
  if (!info.ok()) return info.status();
  if (info->type == FileType::kNone)
    return Status::NotFound(fmt::format("{}: no such rules file", path));
  if (info->type != FileType::kFile)
    return Status::InvalidArgument(fmt::format("{}: not a file", path));
  if (info->size > kMaxRulesBytes)
    return Status::LimitExceeded(
        fmt::format("{}: {} bytes is too large for a rules file (at most {})", path, info->size,
                    kMaxRulesBytes));
  Result<std::string> text = fs.ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseRules(*text, path);
}

}  // namespace verity::mock
