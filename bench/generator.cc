#include "generator.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <string_view>

#include "doc/naming.h"
#include "vocabulary.h"

namespace verity::bench {

namespace {

int Weight(const DomainSpec& d) { return d.weight; }

std::string Singular(std::string_view plural) {
  std::string s(plural);
  if (s.ends_with("ies")) return s.substr(0, s.size() - 3) + "y";
  if (s.ends_with("sses") || s.ends_with("ches") || s.ends_with("xes"))
    return s.substr(0, s.size() - 2);
  if (s.ends_with("s") && !s.ends_with("ss")) s.pop_back();
  return s;
}

/// "client_packages" → "Client Packages".
std::string Humanize(std::string_view snake) {
  std::string out;
  bool upper = true;
  for (char c : snake) {
    if (c == '_') {
      out += ' ';
      upper = true;
    } else {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// A sentence of `n` prose words, capitalised, ending with a period; now and then a word is
/// bold or a code span, as in the corpus.
std::string Sentence(Rng& rng, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    std::string w(RandomProseWord(rng));
    // Now and then a rare compound ("calendarsync", "clientbookingpackage"), so the vocabulary
    // keeps growing with the number of documents, as real text does (Heaps' law).
    if (rng.Chance(0.025)) w += RandomProseWord(rng);
    if (i == 0) w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
    if (i > 0 && rng.Chance(0.03)) w = "**" + w + "**";
    if (i > 0 && rng.Chance(0.03)) w = "`" + w + "`";
    if (i) s += i + 1 < n && rng.Chance(0.06) ? ", " : " ";
    s += w;
  }
  return s + ".";
}

std::string Paragraph(Rng& rng, size_t sentences) {
  std::string p;
  for (size_t i = 0; i < sentences; ++i) {
    if (i) p += ' ';
    p += Sentence(rng, rng.Between(6, 18));
  }
  return p;
}

std::string Timestamp(Rng& rng) {
  return fmt::format("2026-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", rng.Between(1, 3),
                     rng.Between(1, 28), rng.Below(24), rng.Below(60), rng.Below(60),
                     rng.Below(1000));
}

/// The name a path parameter of `resource` usually has.
std::string ParamFor(Rng& rng, std::string_view resource) {
  if (rng.Chance(0.45)) return Singular(resource) + (rng.Chance(0.6) ? "_uid" : "_id");
  return std::string(rng.Pick(kParams));
}

/// The collection a parameter's value is fetched from ("client_uid" → "clients").
std::string CollectionOf(std::string_view param) {
  std::string base(param);
  for (std::string_view suffix : {"_uid", "_id", "_name"})
    if (base.ends_with(suffix)) base.resize(base.size() - suffix.size());
  if (base.empty() || base == "uid" || base == "id") base = "item";
  if (base.ends_with("y")) return base.substr(0, base.size() - 1) + "ies";
  if (base.ends_with("ss")) return base + "es";
  if (base.ends_with("s")) return base;
  return base + "s";
}

struct StepSpec {
  std::string id;
  std::string description;
  std::string method;
  std::string path;
  std::string token;
  bool fallback = false;
  std::vector<std::pair<std::string, std::string>> params;
  std::string body;  // pre-rendered YAML, indented 6 spaces
  std::vector<std::pair<std::string, std::string>> extract;
  std::string expect;  // "[200]"
  std::string on_fail;
};

void RenderStep(const StepSpec& s, std::string& out) {
  out += fmt::format("  - id: {}\n", s.id);
  if (!s.description.empty()) out += fmt::format("    description: \"{}\"\n", s.description);
  out += fmt::format("    method: {}\n    path: \"{}\"\n", s.method, s.path);
  if (!s.token.empty()) out += fmt::format("    token: {}\n", s.token);
  if (s.fallback) out += "    useFallbackApi: true\n";
  if (!s.params.empty()) {
    out += "    params:\n";
    for (const auto& [k, v] : s.params) out += fmt::format("      {}: \"{}\"\n", k, v);
  }
  if (!s.body.empty()) out += "    body:\n" + s.body;
  if (!s.extract.empty()) {
    out += "    extract:\n";
    for (const auto& [k, v] : s.extract) out += fmt::format("      {}: \"{}\"\n", k, v);
  }
  out += fmt::format("    expect:\n      status: {}\n", s.expect);
  if (!s.on_fail.empty()) out += fmt::format("    onFail: {}\n", s.on_fail);
}

std::string BodyYaml(Rng& rng, const std::vector<std::string>& refs) {
  std::string b;
  size_t fields = rng.Between(1, 6);
  std::vector<std::string_view> used;
  for (size_t i = 0; i < fields; ++i) {
    std::string_view key = rng.Pick(kBodyKeys);
    if (std::find(used.begin(), used.end(), key) != used.end()) continue;
    used.push_back(key);
    double kind = rng.Unit();
    if (kind < 0.35) {
      b += fmt::format("      {}: \"Bench {} {}\"\n", key, RandomProseWord(rng), rng.Below(1000));
    } else if (kind < 0.5) {
      b += fmt::format("      {}: {}\n", key, rng.Below(500));
    } else if (kind < 0.6) {
      b += fmt::format("      {}: {}\n", key, rng.Chance(0.5) ? "true" : "false");
    } else if (kind < 0.75) {
      b += fmt::format("      {}: \"{}\"\n", key, rng.Pick(kGeneratedValues));
    } else if (kind < 0.88) {
      std::string_view inner = rng.Pick(kBodyKeys), other = rng.Pick(kBodyKeys);
      if (other == inner) other = "extra";
      b += fmt::format("      {}:\n        {}: \"{}\"\n        {}: {}\n", key, inner,
                       RandomProseWord(rng), other, rng.Below(100));
    } else {
      b += fmt::format("      {}: [\"{}\", \"{}\"]\n", key, RandomProseWord(rng),
                       RandomProseWord(rng));
    }
  }
  for (const std::string& r : refs) b += fmt::format("      {}: \"{{{{{}}}}}\"\n", r, r);
  return b;
}

std::string Table(Rng& rng, const Words& header, size_t rows) {
  std::string t = "|";
  std::string rule = "|";
  for (std::string_view h : header) {
    t += fmt::format(" {} |", h);
    rule += std::string(h.size() + 2, '-') + "|";
  }
  t += "\n" + rule + "\n";
  for (size_t r = 0; r < rows; ++r) {
    t += "|";
    for (size_t c = 0; c < header.size(); ++c) {
      if (c + 1 == header.size())
        t += fmt::format(" {} |", Sentence(rng, rng.Between(2, 7)));
      else
        t += fmt::format(" {} |", RandomProseWord(rng));
    }
    t += "\n";
  }
  return t;
}

}  // namespace

uint64_t Rng::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

std::string_view RandomProseWord(Rng& rng) { return kProse[rng.Skewed(kProse.size())]; }

SyntheticDoc CorpusGenerator::Next() {
  Rng& rng = rng_;
  SyntheticDoc d;

  // Domain, in the corpus's proportions.
  int total = 0;
  for (const DomainSpec& s : Domains()) total += Weight(s);
  int pick = static_cast<int>(rng.Below(static_cast<size_t>(total)));
  const DomainSpec* spec = &Domains().front();
  for (const DomainSpec& s : Domains()) {
    if (pick < s.weight) {
      spec = &s;
      break;
    }
    pick -= s.weight;
  }
  d.domain = spec->name;

  // Endpoint: prefix / resource [/ {param} [/ action | / sub-resource]], distinct.
  std::string method, path, resource, action, param;
  for (int attempt = 0;; ++attempt) {
    resource = rng.Chance(0.85) ? std::string(rng.Pick(spec->resources))
                                : std::string(rng.Pick(Domains()[rng.Below(9)].resources));
    path = std::string(rng.Pick(spec->prefixes));
    if (rng.Chance(0.1)) path += "/businesses/{business_id}";
    path += "/" + resource;
    param.clear();
    action.clear();
    double shape = rng.Unit();
    if (shape >= 0.3) {
      param = ParamFor(rng, resource);
      path += "/{" + param + "}";
      if (shape >= 0.8) {
        action = rng.Pick(kActions);
        path += "/" + action;
      } else if (shape >= 0.68) {
        std::string sub(rng.Pick(spec->resources));
        path += "/" + sub;
        resource = sub;
      }
    }
    if (attempt >= 6) path += "/" + std::string(RandomProseWord(rng)) + "s";  // rare collisions
    double m = rng.Unit();
    if (!action.empty())
      method = m < 0.6 ? "POST" : "PUT";
    else
      method = m < 0.47 ? "GET" : m < 0.78 ? "POST" : m < 0.97 ? "PUT" : "DELETE";
    std::string endpoint = method + " " + path;
    std::string file = std::string(spec->name) + "/" + doc::ConventionalFileName(endpoint);
    if (endpoints_.contains(endpoint) || files_.contains(file)) continue;
    endpoints_.insert(endpoint);
    files_.insert(file);
    d.endpoint = std::move(endpoint);
    d.path = std::move(file);
    break;
  }
  bool single = !param.empty();

  // Title and tags.
  std::string human = Humanize(single ? Singular(resource) : resource);
  if (!action.empty())
    d.title = fmt::format("{} {}", Humanize(action), Humanize(Singular(resource)));
  else if (method == "GET")
    d.title = single ? "Get " + human : "List " + human;
  else if (method == "POST")
    d.title = "Create " + Humanize(Singular(resource));
  else if (method == "PUT")
    d.title = "Update " + Humanize(Singular(resource));
  else
    d.title = "Delete " + Humanize(Singular(resource));
  if (rng.Chance(0.65)) {
    d.tags.push_back(resource);
    if (rng.Chance(0.5)) d.tags.push_back(Singular(resource));
    if (rng.Chance(0.3)) d.tags.push_back(std::string(RandomProseWord(rng)));
  }

  // Status and the fields that go with it.
  double st = rng.Unit();
  std::string status = st < 0.74    ? "verified"
                       : st < 0.81  ? "success"
                       : st < 0.915 ? "skip"
                       : st < 0.978 ? "pending"
                       : st < 0.995 ? "skipped"
                                    : "deprecated";
  bool skipped = status == "skip" || status == "skipped";
  bool expected_outcome = !skipped && rng.Chance(0.055);
  int outcome = expected_outcome ? static_cast<int>(rng.Pick(std::array{400, 404, 422, 403})) : 0;

  std::string& t = d.text;
  t.reserve(4096);
  t += "---\n";
  t += fmt::format("endpoint: \"{}\"\n", d.endpoint);
  t += fmt::format("domain: {}\n", d.domain);
  t += "tags: [";
  for (size_t i = 0; i < d.tags.size(); ++i) t += (i ? ", " : "") + d.tags[i];
  t += "]\n";
  if (rng.Chance(0.95))
    t += fmt::format("swagger: \"swagger/{}/legacy/{}.json\"\n", d.domain, spec->swagger);
  t += fmt::format("status: {}\n", status);
  if (rng.Chance(0.996)) t += fmt::format("savedAt: \"{}\"\n", Timestamp(rng));
  if (rng.Chance(0.95)) {
    std::string ts = Timestamp(rng);
    t += rng.Chance(0.5) ? fmt::format("verifiedAt: \"{}\"\n", ts)
                         : fmt::format("verifiedAt: {}\n", ts);
  }
  if (rng.Chance(0.98)) t += fmt::format("timesReused: {}\n", rng.Chance(0.9) ? 0 : rng.Below(20));
  std::string token(rng.Pick(kTokenTypes));
  if (rng.Chance(0.36)) {
    t += fmt::format("tokens: [{}", token);
    if (rng.Chance(0.1)) t += token == "staff" ? ", directory" : ", staff";
    t += "]\n";
  }
  bool fallback = rng.Chance(0.16);
  if (fallback) t += "useFallbackApi: true\n";
  std::string skip_reason;
  if (skipped) {
    skip_reason = Sentence(rng, rng.Between(6, 24));
    if (rng.Chance(0.6)) t += fmt::format("skipReason: \"{}\"\n", skip_reason);
  }
  if (expected_outcome) {
    t += fmt::format("expectedOutcome: [{}]\n", outcome);
    t += fmt::format("expectedOutcomeReason: \"{}\"\n", Sentence(rng, rng.Between(5, 15)));
  }
  if (rng.Chance(0.012)) t += fmt::format("notes: \"{}\"\n", Sentence(rng, rng.Between(8, 20)));
  t += "---\n\n";

  // Title and Summary.
  t += fmt::format("# {}\n\n## Summary\n\n", d.title);
  std::string res_words = Lower(Humanize(Singular(resource)));
  if (!action.empty())
    d.summary = fmt::format("{}s the {} identified by {}.", Humanize(action), res_words, param);
  else if (method == "GET")
    d.summary = single ? fmt::format("Retrieves a {} by {}.", res_words, param)
                       : fmt::format("Lists {} for the business, with paging and filters.",
                                     Lower(Humanize(resource)));
  else if (method == "POST")
    d.summary = fmt::format("Creates a new {} for the business.", res_words);
  else if (method == "PUT")
    d.summary = fmt::format("Updates an existing {}.", res_words);
  else
    d.summary = fmt::format("Deletes a {}.", res_words);
  t += d.summary;
  // Most documents are short; a few are much richer (more sections, longer prose): that gives the
  // corpus's long tail (median about 1.1 KB, 90th percentile 3.3 KB, maximum 7.6 KB).
  double richness = rng.Unit();
  double mult = richness < 0.72 ? 0.35 : richness < 0.87 ? 1.6 : 4.0;
  size_t more = richness < 0.87 ? 1 : richness < 0.96 ? 2 : 3;  // richer sections are longer
  auto maybe = [&](double p) { return rng.Chance(std::min(0.95, p * mult)); };
  size_t extra = rng.Skewed(mult > 1 ? 5 : 3);
  if (extra) t += " " + Paragraph(rng, extra);
  t += "\n\n";
  if (mult > 1 && rng.Chance(0.5)) t += Paragraph(rng, rng.Between(1, 3)) + "\n\n";
  if (rng.Chance(0.3))
    t += fmt::format("**Token Type**: This endpoint requires a **{} token**.\n\n", Humanize(token));
  if (rng.Chance(0.15))
    t += fmt::format("> **{}**\n> {}\n\n", Humanize(std::string(RandomProseWord(rng))),
                     Paragraph(rng, 1));

  if (maybe(0.08)) {
    t += "## Authentication\n\n" + Paragraph(rng, 1) + "\n\n";
    t += Table(rng, {"Token Type", "Works", "Notes"}, rng.Between(2, 4) * more) + "\n";
  }

  // Prerequisites: steps that fetch what the test request's path needs.
  std::vector<std::string> path_params;
  for (size_t p = d.endpoint.find('{'); p != std::string::npos; p = d.endpoint.find('{', p + 1))
    path_params.push_back(d.endpoint.substr(p + 1, d.endpoint.find('}', p) - p - 1));
  double pr = rng.Unit();
  size_t prereq = mult < 1 ? (pr < 0.6    ? 0
                              : pr < 0.88 ? 1
                              : pr < 0.97 ? 2
                                          : 3)
                           : (pr < 0.35   ? 0
                              : pr < 0.7  ? 1
                              : pr < 0.88 ? 2
                                          : 3);
  if (rng.Chance(0.95) || prereq) {
    t += "## Prerequisites\n\n";
    if (prereq == 0) {
      t += "No prerequisites required for this endpoint.\n\n";
    } else {
      t += "```yaml\nsteps:\n";
      for (size_t i = 0; i < prereq; ++i) {
        std::string what =
            i < path_params.size() ? path_params[i] : Singular(rng.Pick(spec->resources)) + "_id";
        std::string coll = CollectionOf(what);
        StepSpec s;
        bool create = rng.Chance(0.3);
        s.id = fmt::format("{}_{}", create ? "create" : "get", what);
        if (rng.Chance(0.8))
          s.description = fmt::format("{} a {} for the business", create ? "Create" : "Fetch",
                                      Lower(Humanize(what)));
        s.method = create ? "POST" : "GET";
        s.path = fmt::format("{}/{}", rng.Pick(spec->prefixes), coll);
        if (rng.Chance(0.6)) s.token = token;
        s.fallback = fallback && rng.Chance(0.5);
        if (!create) {
          s.params.emplace_back("business_id", "{{business_id}}");
          if (rng.Chance(0.5)) s.params.emplace_back("per_page", "1");
        } else {
          s.body = BodyYaml(rng, rng.Chance(0.5) ? std::vector<std::string>{"business_id"}
                                                 : std::vector<std::string>{});
        }
        if (rng.Chance(0.92)) s.extract.emplace_back(what, fmt::format("$.data.{}[0].id", coll));
        s.expect = create ? "[200, 201]" : "[200]";
        if (rng.Chance(0.8)) s.on_fail = "abort";
        if (i) t += "\n";
        RenderStep(s, t);
      }
      t += "```\n\n";
    }
  }

  // Test Request: one step, sometimes two.
  t += "## Test Request\n\n```yaml\nsteps:\n";
  size_t tests = rng.Chance(0.08) ? 2 : 1;
  for (size_t i = 0; i < tests; ++i) {
    StepSpec s;
    std::string templ;
    for (char c : d.endpoint.substr(method.size() + 1)) {
      if (c == '{')
        templ += "{{";
      else if (c == '}')
        templ += "}}";
      else
        templ += c;
    }
    s.id = fmt::format("{}_{}{}", Lower(method), Singular(resource), i ? "_again" : "");
    if (rng.Chance(0.45)) s.description = d.title;
    s.method = method;
    s.path = templ;
    if (rng.Chance(0.7)) s.token = token;
    s.fallback = fallback;
    if (method == "GET" || method == "DELETE") {
      if (rng.Chance(0.55)) s.params.emplace_back("business_id", "{{business_id}}");
      if (!single && rng.Chance(0.35)) {
        s.params.emplace_back("page", "1");
        s.params.emplace_back("per_page", std::to_string(rng.Pick(std::array{1, 10, 25, 100})));
      }
    } else if (rng.Chance(0.85)) {
      std::vector<std::string> refs;
      if (rng.Chance(0.4)) refs.push_back(rng.Chance(0.5) ? "client_id" : "staff_id");
      s.body = BodyYaml(rng, refs);
    }
    if (tests == 2 && i == 0) s.extract.emplace_back("result_id", "$.data.id");
    s.expect = expected_outcome     ? fmt::format("[{}]", outcome)
               : method == "POST"   ? "[200, 201]"
               : method == "DELETE" ? "[200, 204]"
                                    : "[200]";
    if (i) t += "\n";
    RenderStep(s, t);
  }
  t += "```\n\n";

  // The optional sections, at about the corpus's frequencies.
  if (maybe(0.08)) {
    t += "## Parameters Reference\n\n";
    if (rng.Chance(0.5)) t += "### Path Parameters\n\n";
    t += Table(rng, {"Parameter", "Type", "Required", "Description"}, rng.Between(1, 6) * more) +
         "\n";
  }
  if (maybe(0.095)) {
    t += "## Response Codes\n\n";
    t += Table(rng, {"Status", "Meaning"}, rng.Between(2, 5) * more) + "\n";
  }
  if (maybe(0.045)) {
    t += "## Expected Response (200)\n\n```json\n{\n  \"status\": \"OK\",\n  \"data\": {\n";
    t += fmt::format("    \"{}\": {{\n", Singular(resource));
    size_t n = rng.Between(2, 8) * more;
    for (size_t i = 0; i < n; ++i)
      t += fmt::format("      \"{}\": \"{}\"{}\n", rng.Pick(kBodyKeys), RandomProseWord(rng),
                       i + 1 < n ? "," : "");
    t += "    }\n  }\n}\n```\n\n";
  }
  if (maybe(0.105)) {
    t += "## Critical Learnings\n\n";
    size_t n = rng.Between(2, 5) * more;
    for (size_t i = 0; i < n; ++i)
      t += fmt::format("{}. **{}**: {}\n", i + 1, Humanize(std::string(RandomProseWord(rng))),
                       Paragraph(rng, rng.Between(1, 2)));
    t += "\n";
  }
  if (maybe(0.07)) {
    t += "## Known Issues\n\n";
    size_t n = rng.Between(1, 2) * more;
    for (size_t i = 0; i < n; ++i)
      t += fmt::format(
          "### Issue: {}\n\n**Description**: {}\n\n**Root Cause**: {}\n\n**Workaround**: {}\n\n",
          Humanize(Sentence(rng, 4)), Paragraph(rng, 1), Paragraph(rng, 1), Paragraph(rng, 1));
  }
  if (maybe(0.06)) {
    t += "## Swagger Discrepancies\n\n";
    t += Table(rng, {"Aspect", "Swagger Says", "Actual Behavior"}, rng.Between(1, 4) * more) + "\n";
  }
  if (skipped && rng.Chance(0.45))
    t += "## Skip Reason\n\n" + skip_reason + " " + Paragraph(rng, rng.Between(0, 2)) + "\n\n";
  if (maybe(0.056)) {
    t += "## UID Resolution Procedure\n\n";
    size_t n = rng.Between(2, 4) * more;
    for (size_t i = 0; i < n; ++i)
      t += fmt::format("{}. {} `{}/{}`\n", i + 1, Sentence(rng, rng.Between(5, 12)),
                       rng.Pick(spec->prefixes), rng.Pick(spec->resources));
    t += "\n";
  }
  if (maybe(0.042)) {
    t += fmt::format(
        "## Error Responses\n\n```json\n{{\n  \"status\": \"Error\",\n  \"error\": "
        "\"{}\",\n  \"code\": {}\n}}\n```\n\n",
        Sentence(rng, rng.Between(4, 10)), rng.Pick(std::array{400, 401, 404, 422}));
  }
  if (maybe(0.02)) {
    t += fmt::format("## Authorization Logic\n\n{}\n\n```ruby\n", Paragraph(rng, 1));
    size_t n = rng.Between(3, 8) * more;
    for (size_t i = 0; i < n; ++i) {
      std::string cls = Humanize(Singular(rng.Pick(spec->resources)));
      std::erase(cls, ' ');
      t += fmt::format("{} = {}.find_by_uid(action_params[:{}])\n", RandomProseWord(rng), cls,
                       rng.Pick(kParams));
    }
    t += fmt::format("```\n**Requirement**: {}\n\n", Sentence(rng, rng.Between(6, 14)));
  }
  if (maybe(0.126)) {
    t += "## Notes\n\n";
    size_t n = rng.Between(1, 4) * more;
    for (size_t i = 0; i < n; ++i) t += "- " + Sentence(rng, rng.Between(6, 18)) + "\n";
    t += "\n";
  }
  while (t.ends_with("\n\n")) t.pop_back();
  return d;
}

std::vector<std::string> MakeQueries(const std::vector<QuerySource>& docs, size_t count,
                                     uint64_t seed) {
  Rng rng(seed);
  std::vector<std::string> out;
  out.reserve(count);
  auto words_of = [](std::string_view text) {
    std::vector<std::string> w;
    std::string cur;
    for (char c : text) {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
        cur += c;
      } else if (!cur.empty()) {
        w.push_back(cur);
        cur.clear();
      }
    }
    if (!cur.empty()) w.push_back(cur);
    return w;
  };
  auto add_some = [&](std::vector<std::string>& q, const std::vector<std::string>& from, size_t n) {
    for (size_t k = 0; k < n && !from.empty(); ++k) q.push_back(Lower(rng.Pick(from)));
  };
  for (size_t i = 0; i < count && !docs.empty(); ++i) {
    const QuerySource& d = docs[rng.Below(docs.size())];
    std::vector<std::string> q;
    double kind = rng.Unit();
    if (kind < 0.35) {  // a title, or part of it
      for (std::string& w : words_of(d.title))
        if (q.empty() || rng.Chance(0.7)) q.push_back(Lower(w));
    } else if (kind < 0.55 && !d.tags.empty()) {  // a tag and a summary word
      q.push_back(rng.Pick(d.tags));
      add_some(q, words_of(d.summary), 1);
    } else if (kind < 0.8) {  // summary words
      add_some(q, words_of(d.summary), rng.Between(2, 4));
    }
    if (q.empty()) {  // vocabulary words: common ones have long posting lists
      size_t n = rng.Between(1, 3);
      for (size_t k = 0; k < n; ++k) q.emplace_back(RandomProseWord(rng));
    }
    if (rng.Chance(0.3)) q.emplace_back(RandomProseWord(rng));
    if (rng.Chance(0.05)) q.push_back(fmt::format("zq{}x", rng.Below(100000)));  // matches nothing
    std::string query;
    for (const std::string& w : q) query += (query.empty() ? "" : " ") + w;
    out.push_back(std::move(query));
  }
  return out;
}

}  // namespace verity::bench
