// verity_checks_bench: what a step's checks (`expect.body`, `expect.headers`, `duration_ms`,
// `content_type`) cost (Google Benchmark). Goal: 100 checks against a 10 MB response body add at
// most 5 ms to the step. The step is judged the way the run judges it (run::EvaluateOutcome: the
// body parsed, an extract rule, then the checks), once without its checks and once with them, in
// the same run; the checks alone (run::RunChecks over the parsed body) are timed too.
//
// The 100 checks are written as a recipe writes them and read by the document parser: singular
// paths with equals/matches/type/lt/ge/exists/absent, wildcards, slices and filters with
// count/contains/not_empty, header checks, templated operands (`{{client_id}}`, an extracted
// value), `duration_ms` and `content_type`. A second set fails every one of them, so every
// message and excerpt is built, including checks whose subject is the whole body (`path: "$"`):
// their excerpts must stay bounded, which the benchmark verifies before it times anything. A
// redactor holds three secrets and one of them is in the body, so masking is part of the cost.
// Each check is also timed alone (BM_OneCheck), and the JSONPath walk of each path that selects
// several values (BM_OneSelect), to show where the time goes. The twelve list-wide paths are
// timed in their shared pass and against the same selections written by hand with the JSON
// library's own member lookup (BM_ListPaths*), after checking that both select the same values.
//
// Run from a Release build: bench/checks.sh (or tools/build.sh release --target
// verity_checks_bench && build/release/bench/verity_checks_bench).
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "base/json.h"
#include "doc/model.h"
#include "doc/parser.h"
#include "expr/jsonpath.h"
#include "expr/variables.h"
#include "http/mask.h"
#include "http/request.h"
#include "run/checks.h"
#include "run/step_eval.h"

namespace verity::bench {
namespace {

constexpr int kClients = 20000;
constexpr size_t kBodyBytes = 10u << 20;
constexpr const char* kBodySecret = "CANARY/tok+7f3e9a1b/2c4d5e6f==";
const char* const kSecrets[] = {kBodySecret, "staff-0123456789abcdef0123456789abcdef",
                                "dir.9f8e7d6c5b4a39281706f5e4d3c2b1a0"};

[[noreturn]] void Die(const std::string& why) {
  fprintf(stderr, "verity_checks_bench: %s\n", why.c_str());
  abort();
}

std::string ClientId(int i) { return fmt::format("c{:05}", i); }

const char* const kFirstNames[] = {"Ada",     "Grace",  "Alan",    "Edsger",
                                   "Barbara", "Donald", "Frances", "Ken"};

Json Client(int i, size_t notes) {
  Json c = {
      {"id", ClientId(i)},
      {"uid", fmt::format("u-{:08x}", static_cast<unsigned>(i) * 2654435761u)},
      {"first_name", kFirstNames[i % 8]},
      {"last_name", fmt::format("Number {}", i)},
      {"email", fmt::format("client{}@example.com", i)},
      {"phone", fmt::format("+1-555-{:04}", i % 10000)},
      {"status", i % 3 == 0 ? "lead" : "customer"},
      {"balance", (i % 1000) * 1.25},
      {"conversations_count", i % 5},
      {"created_at", fmt::format("2026-{:02}-{:02}T10:00:00Z", i % 12 + 1, i % 28 + 1)},
      {"tags", i % 2 == 0 ? Json{"vip", "newsletter"} : Json{"newsletter"}},
      {"address",
       {{"street", fmt::format("{} Main Street", i)},
        {"city", "Springfield"},
        {"zip", std::to_string(10000 + i % 90000)},
        {"country", "US"}}},
      {"custom_fields",
       {{{"name", "source"}, {"value", "web"}}, {{"name", "segment"}, {"value", "smb"}}}},
  };
  std::string text;
  while (text.size() < notes) text += "Prefers email; renewal due in spring. ";
  text.resize(notes);
  c["notes"] = text;
  return c;
}

// 20 000 clients, shaped like the API's list answers, padded to 10 MiB of JSON text. The first
// member echoes a secret, so the excerpt of the whole body (`$`) has one to mask.
const std::string& BodyText() {
  static const std::string text = [] {
    size_t base = 0;
    for (int i = 0; i < kClients; ++i) base += Client(i, 0).dump().size() + 1;
    size_t notes = (kBodyBytes - base) / kClients;
    Json clients = Json::array();
    for (int i = 0; i < kClients; ++i) clients.push_back(Client(i, notes));
    Json body = {{"meta", {{"request_token", kBodySecret}, {"request_id", "req-42"}}},
                 {"data",
                  {{"clients", std::move(clients)},
                   {"total", kClients},
                   {"page", {{"number", 1}, {"size", kClients}}},
                   {"owner", {{"id", "staff-7"}, {"name", "Owner Seven"}}}}}};
    return body.dump();
  }();
  return text;
}

http::HttpResponse Response() {
  http::HttpResponse r;
  r.status = 200;
  r.headers = {{"content-type", "application/json; charset=utf-8"},
               {"location", "https://api.example.com/platform/v1/clients/c00042"},
               {"x-request-id", "req-42"},
               {"etag", "W/\"5f2c\""},
               {"cache-control", "private, no-store"},
               {"set-cookie", "session=abc123; HttpOnly"}};
  r.body = BodyText();
  r.timings.total_ms = 120;
  r.http_version = "1.1";
  return r;
}

// One check: the path (or header name), the operator, and its operand as YAML when the check
// passes and when it fails.
struct Entry {
  std::string path;
  std::string op;
  std::string pass;
  std::string fail;
};

std::vector<Entry> BodyEntries() {
  std::vector<Entry> e;
  auto client = [](int i, const char* field) {
    return fmt::format("$.data.clients[{}].{}", i, field);
  };
  for (int i = 0; i < 15; ++i) {
    int k = i * 1333;
    e.push_back({client(k, "id"), "equals", Json(ClientId(k)).dump(), "\"c99999\""});
  }
  for (int i = 0; i < 10; ++i)
    e.push_back({client(i * 1999 + 7, "email"), "matches", "'^client[0-9]+@example\\.com$'",
                 "'^staff[0-9]+@'"});
  for (int i = 0; i < 5; ++i) {
    int k = i * 3001 + 11;
    e.push_back({client(k, "balance"), "type", "number", "string"});
    e.push_back({client(k, "balance"), "lt", "1250", "0"});
    e.push_back({client(k, "conversations_count"), "ge", "0", "5"});
  }
  for (int i = 0; i < 5; ++i) {
    int k = i * 4001 + 2;
    e.push_back({client(k, "address.city"), "equals", "Springfield", "Shelbyville"});
    e.push_back({client(k, "tags"), "contains", "newsletter", "premium"});
  }
  e.push_back({"$.data.clients[42].id", "equals", "\"{{client_id}}\"", "\"{{owner_id}}\""});
  for (int i = 0; i < 6; ++i) {
    int k = i * 3000 + 5;
    e.push_back({client(k, "first_name"), "equals", kFirstNames[k % 8], "Nobody"});
  }
  e.push_back({"$.data.clients[0].id", "equals", "\"{{first_id}}\"", "\"x{{first_id}}\""});
  e.push_back({"$.data.owner.id", "equals", "\"{{owner_id}}\"", "\"{{client_id}}\""});
  e.push_back({"$.data.total", "equals", "20000", "\"20000\""});
  e.push_back({"$.data.page.size", "le", "20000", "100"});
  e.push_back({"$.data.clients[-1].id", "equals", "c19999", "c00000"});
  e.push_back({"$.data.clients[0].deleted_at", "absent", "true", "false"});
  e.push_back({"$.data.clients[5].deleted_at", "exists", "false", "true"});
  e.push_back({"$.meta.request_id", "exists", "true", "false"});
  e.push_back({"$.data.clients[9].status", "in", "[lead, customer]", "[archived]"});
  e.push_back({"$.data.clients[3].created_at", "matches", "'^2026-'", "'^2025-'"});
  e.push_back({"$.data.clients[8].custom_fields", "count", "2", "3"});
  e.push_back({"$.data.clients", "count", "20000", "3"});
  e.push_back({"$.data.clients", "not_empty", "true", "false"});
  e.push_back({"$.data.clients[1].address", "type", "object", "array"});
  e.push_back({"$.data.clients[2].last_name", "length", "{gt: 3}", "{lt: 3}"});
  // The whole body, or all of the list, as the subject.
  e.push_back({"$", "type", "object", "array"});
  e.push_back({"$", "not_empty", "true", "false"});
  e.push_back({"$.data.clients", "type", "array", "object"});
  // Wildcards, slices and filters: every value they select is judged as one list.
  e.push_back({"$.data.clients[*].id", "count", "20000", "3"});
  e.push_back({"$.data.clients[*].id", "contains", "c00042", "c99999"});
  e.push_back({"$.data.clients[*].email", "not_empty", "true", "false"});
  e.push_back({"$.data.clients[0:10].id", "count", "10", "11"});
  e.push_back({"$.data.clients[0:10].id", "contains", "c00003", "c00011"});
  e.push_back({"$.data.clients[?@.id == 'c00042'].last_name", "contains", "Number 42", "Ada"});
  e.push_back({"$.data.clients[?@.id == 'c00042']", "count", "1", "0"});
  e.push_back({"$.data.clients[?@.status == 'lead'].id", "count", "{gt: 0}", "{lt: 1}"});
  e.push_back({"$.data.clients[?@.balance > 1200].email", "not_empty", "true", "false"});
  e.push_back({"$.data.clients[?@.conversations_count == 4].id", "contains", "c00004", "c00005"});
  e.push_back({"$.data.clients[?@.address.zip == '10042'].id", "count", "1", "2"});
  e.push_back({"$.data.clients[?@.tags[0] == 'vip'].id", "count", "{ge: 1}", "{gt: 20000}"});
  e.push_back({"$.data.clients[*].status", "contains", "lead", "archived"});
  e.push_back({"$.data.clients[?@.last_name == 'Number 19999'].id", "contains", "c19999", "c0"});
  e.push_back({"$.data.clients[100:200]", "count", "100", "99"});
  e.push_back(
      {"$.data.clients[?@.status == 'lead' && @.balance < 10].id", "not_empty", "true", "false"});
  return e;
}

std::vector<Entry> HeaderEntries() {
  return {
      {"Location", "matches", "'/clients/{{client_id}}$'", "'/clients/{{owner_id}}$'"},
      {"Location", "contains", "/platform/v1/", "/platform/v2/"},
      {"X-Request-Id", "equals", "req-42", "req-43"},
      {"ETag", "exists", "true", "false"},
      {"Cache-Control", "contains", "no-store", "public"},
      {"X-Deprecated", "absent", "true", "false"},
      {"Set-Cookie", "matches", "'^session='", "'^token='"},
  };
}

// A workflow document whose one step has 100 checks (all passing, or all failing), or none.
std::string Recipe(bool checks, bool failing) {
  std::string s = R"(---
endpoint: "GET /platform/v1/clients"
domain: clients
status: verified
---

## Test Request

```yaml
steps:
  - id: list_clients
    method: GET
    path: "/platform/v1/clients"
    extract:
      first_id: "$.data.clients[0].id"
    expect:
      status: 200
)";
  if (checks) {
    s += "      body:\n";
    for (const Entry& e : BodyEntries())
      s += fmt::format("        - path: \"{}\"\n          {}: {}\n", e.path, e.op,
                       failing ? e.fail : e.pass);
    s += "      headers:\n";
    std::string last;
    for (const Entry& e : HeaderEntries()) {
      if (e.path != last) s += fmt::format("        {}:\n", e.path);
      last = e.path;
      s += fmt::format("          {}: {}\n", e.op, failing ? e.fail : e.pass);
    }
    s += fmt::format("      duration_ms: {}\n", failing ? 100 : 500);
    s += fmt::format("      content_type: {}\n", failing ? "text/html" : "application/json");
  }
  return s + "```\n";
}

struct Fixture {
  doc::Document doc;
  http::SecretRedactor redactor;
  expr::Scope scope;
  http::HttpOutcome outcome = http::HttpOutcome(http::HttpResponse());
  Json parsed;
  std::vector<std::pair<std::string, Json>> extracted;

  Fixture(bool checks, bool failing)
      : doc(doc::ParseDocument(Recipe(checks, failing), "list_clients.md")) {
    for (const doc::Diagnostic& d : doc.diagnostics)
      if (d.is_error()) Die(fmt::format("recipe: {}:{}: {}", d.pos.line, d.pos.col, d.message));
    if (doc.steps.size() != 1) Die("recipe: expected one step");
    size_t want = checks ? 100 : 0;
    if (doc.steps[0].checks.size() != want)
      Die(fmt::format("recipe: {} checks, expected {}", doc.steps[0].checks.size(), want));
    for (const char* s : kSecrets) redactor.Add(s);
    scope.Set(expr::Layer::kConfig, "client_id", "c00042");
    scope.Set(expr::Layer::kConfig, "owner_id", "staff-7");
    outcome = Response();
    Result<Json> body = ParseJson(outcome.response().body);
    if (!body.ok()) Die("body: " + body.status().message());
    parsed = std::move(*body);
    extracted = {{"first_id", Json("c00000")}};
  }

  run::EvalContext Context() const {
    run::EvalContext c;
    c.document = &doc;
    c.step = &doc.steps[0];
    c.redactor = &redactor;
    c.scope = &scope;
    return c;
  }

  run::CheckContext Checks() const {
    run::CheckContext c;
    c.body = &parsed;
    c.scope = &scope;
    c.extracted = &extracted;
    c.redactor = &redactor;
    c.step_id = "list_clients";
    return c;
  }
};

// Shown values are cut to about 200 code points; a few more bytes for "…" and four-byte UTF-8.
constexpr size_t kMaxShown = 200 * 4 + 8;

// Before anything is timed: the step judges as intended, every check passes or fails as meant,
// no shown value outgrows its bound (the whole-body subjects included), and the secret in the
// body is never shown.
size_t Verify(const Fixture& f, bool checks, bool failing) {
  size_t largest = 0;
  run::StepVerdict v = run::EvaluateOutcome(f.Context(), f.outcome);
  bool want_pass = !checks || !failing;
  if ((v.outcome == run::Outcome::kPass) != want_pass)
    Die(fmt::format("step: outcome {} ({})", want_pass ? "FAIL" : "PASS", v.message));
  if (v.checks.size() != (checks ? 100u : 0u)) Die("step: not every check ran");
  for (const run::CheckResult& c : v.checks) {
    std::string label = run::CheckLabel(c);
    if (c.passed == failing) Die(fmt::format("{}: {} ({})", label, c.passed, c.message));
    if (c.expected.size() > kMaxShown || c.actual.size() > kMaxShown)
      Die(fmt::format("{}: shown value of {} / {} bytes", label, c.expected.size(),
                      c.actual.size()));
    largest = std::max({largest, c.expected.size(), c.actual.size()});
    std::string line = run::CheckFailureMessage(c);
    if (line.size() > 4 * kMaxShown) Die(fmt::format("{}: a {}-byte message", label, line.size()));
    if (line.find(kBodySecret) != std::string::npos) Die(label + ": the secret is shown");
  }
  if (v.message.find(kBodySecret) != std::string::npos) Die("step: the secret is shown");
  return largest;
}

// 0: no checks; 1: 100 passing; 2: 100 failing.
const Fixture& Get(int which) {
  static const Fixture* const fixtures[] = {new Fixture(false, false), new Fixture(true, false),
                                            new Fixture(true, true)};
  static const bool verified = [] {
    Verify(*fixtures[0], false, false);
    size_t passing = Verify(*fixtures[1], true, false);
    size_t failing = Verify(*fixtures[2], true, true);
    benchmark::AddCustomContext("largest_shown_value_bytes",
                                fmt::format("{} (passing), {} (failing)", passing, failing));
    benchmark::AddCustomContext("body_bytes", std::to_string(BodyText().size()));
    benchmark::AddCustomContext("body_clients", std::to_string(kClients));
    return true;
  }();
  (void)verified;
  return *fixtures[which];
}

const char* const kNames[] = {"no checks", "100 passing checks", "100 failing checks"};

// The whole step as the run judges it: parse the 10 MB body, extract, check.
void BM_Step(benchmark::State& state) {
  const Fixture& f = Get(static_cast<int>(state.range(0)));
  run::EvalContext c = f.Context();
  for (auto _ : state) benchmark::DoNotOptimize(run::EvaluateOutcome(c, f.outcome));
  state.SetLabel(kNames[state.range(0)]);
}

// The checks alone, over the parsed body.
void BM_RunChecks(benchmark::State& state) {
  const Fixture& f = Get(static_cast<int>(state.range(0)));
  run::CheckContext c = f.Checks();
  const http::HttpResponse& response = f.outcome.response();
  for (auto _ : state) benchmark::DoNotOptimize(run::RunChecks(f.doc.steps[0].checks, response, c));
  state.SetLabel(kNames[state.range(0)]);
}

double ThreadCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

// The same step without and with its checks, alternately in each iteration, so a busy machine
// slows both alike: reports both (this thread's CPU time, which other processes on a shared
// machine do not inflate), the difference (what the checks add) and the ratio.
void BM_StepPaired(benchmark::State& state) {
  const Fixture& without = Get(0);
  const Fixture& with = Get(static_cast<int>(state.range(0)));
  run::EvalContext cw = without.Context();
  run::EvalContext cc = with.Context();
  double without_ms = 0;
  double with_ms = 0;
  for (auto _ : state) {
    double t0 = ThreadCpuMs();
    benchmark::DoNotOptimize(run::EvaluateOutcome(cw, without.outcome));
    double t1 = ThreadCpuMs();
    benchmark::DoNotOptimize(run::EvaluateOutcome(cc, with.outcome));
    double t2 = ThreadCpuMs();
    without_ms += t1 - t0;
    with_ms += t2 - t1;
  }
  double n = static_cast<double>(state.iterations());
  state.counters["without_ms"] = without_ms / n;
  state.counters["with_ms"] = with_ms / n;
  state.counters["added_ms"] = (with_ms - without_ms) / n;
  state.counters["ratio"] = with_ms / without_ms;
  state.SetLabel(kNames[state.range(0)]);
}

// One check of the set at a time (passing: 1, failing: 2), to see which kinds cost what:
// --benchmark_filter=OneCheck.
void RegisterOneCheckBenchmarks(int which) {
  const Fixture& f = Get(which);
  const std::vector<doc::Check>& all = f.doc.steps[0].checks;
  for (size_t i = 0; i < all.size(); ++i) {
    const doc::Check& check = all[i];
    std::string label = fmt::format("{} {} {} {}", doc::CheckSubjectName(check.subject),
                                    check.target, check.op, check.operand.dump());
    benchmark::RegisterBenchmark(
        fmt::format("BM_OneCheck/{}/{:02}", which, i).c_str(),
        [&f, one = std::vector<doc::Check>{check}, label](benchmark::State& state) {
          run::CheckContext c = f.Checks();
          for (auto _ : state)
            benchmark::DoNotOptimize(run::RunChecks(one, f.outcome.response(), c));
          state.SetLabel(label);
        })
        ->Unit(benchmark::kMicrosecond);
    // What the JSONPath walk alone costs, for the paths that can select several values: the rest
    // of such a check's time is the check's own.
    if (check.subject != doc::Check::Subject::kBody) continue;
    Result<expr::JsonPath> path = expr::JsonPath::Compile(check.target);
    if (!path.ok()) Die(check.target + ": " + path.status().message());
    if (path->singular()) continue;
    benchmark::RegisterBenchmark(fmt::format("BM_OneSelect/{}/{:02}", which, i).c_str(),
                                 [&f, path = std::move(*path), label](benchmark::State& state) {
                                   for (auto _ : state)
                                     benchmark::DoNotOptimize(path.Select(f.parsed));
                                   state.SetLabel(label);
                                 })
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace

// The benchmark's list-wide paths written by hand against the JSON library (nlohmann::json's
// find per member), in the path's text so it can be checked against the engine's answer: what an
// engine over this document representation could hope to approach.
struct HandWritten {
  const char* path;
  std::vector<const Json*> (*select)(const Json::array_t& clients);
};

const Json* Member(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

bool TextIs(const Json* v, const char* text) {
  return v != nullptr && v->is_string() && v->get_ref<const std::string&>() == text;
}

template <typename Keep>
std::vector<const Json*> Pick(const Json::array_t& clients, Keep keep, const char* member) {
  std::vector<const Json*> out;
  for (const Json& c : clients) {
    if (!keep(c)) continue;
    const Json* v = member == nullptr ? &c : Member(c, member);
    if (v != nullptr) out.push_back(v);
  }
  return out;
}

const HandWritten kHandWritten[] = {
    {"$.data.clients[*].id",
     [](const Json::array_t& c) {
       return Pick(
           c, [](const Json&) { return true; }, "id");
     }},
    {"$.data.clients[*].email",
     [](const Json::array_t& c) {
       return Pick(
           c, [](const Json&) { return true; }, "email");
     }},
    {"$.data.clients[*].status",
     [](const Json::array_t& c) {
       return Pick(
           c, [](const Json&) { return true; }, "status");
     }},
    {"$.data.clients[?@.id == 'c00042'].last_name",
     [](const Json::array_t& c) {
       return Pick(
           c, [](const Json& x) { return TextIs(Member(x, "id"), "c00042"); }, "last_name");
     }},
    {"$.data.clients[?@.id == 'c00042']",
     [](const Json::array_t& c) {
       return Pick(
           c, [](const Json& x) { return TextIs(Member(x, "id"), "c00042"); }, nullptr);
     }},
    {"$.data.clients[?@.status == 'lead'].id",
     [](const Json::array_t& c) {
       return Pick(
           c, [](const Json& x) { return TextIs(Member(x, "status"), "lead"); }, "id");
     }},
    {"$.data.clients[?@.balance > 1200].email",
     [](const Json::array_t& c) {
       return Pick(
           c,
           [](const Json& x) {
             const Json* b = Member(x, "balance");
             return b != nullptr && b->is_number() && b->get<double>() > 1200;
           },
           "email");
     }},
    {"$.data.clients[?@.conversations_count == 4].id",
     [](const Json::array_t& c) {
       return Pick(
           c,
           [](const Json& x) {
             const Json* n = Member(x, "conversations_count");
             return n != nullptr && n->is_number() && n->get<double>() == 4;
           },
           "id");
     }},
    {"$.data.clients[?@.address.zip == '10042'].id",
     [](const Json::array_t& c) {
       return Pick(
           c,
           [](const Json& x) {
             const Json* a = Member(x, "address");
             return a != nullptr && TextIs(Member(*a, "zip"), "10042");
           },
           "id");
     }},
    {"$.data.clients[?@.tags[0] == 'vip'].id",
     [](const Json::array_t& c) {
       return Pick(
           c,
           [](const Json& x) {
             const Json* t = Member(x, "tags");
             return t != nullptr && t->is_array() && !t->empty() && TextIs(&(*t)[0], "vip");
           },
           "id");
     }},
    {"$.data.clients[?@.last_name == 'Number 19999'].id",
     [](const Json::array_t& c) {
       return Pick(
           c, [](const Json& x) { return TextIs(Member(x, "last_name"), "Number 19999"); }, "id");
     }},
    {"$.data.clients[?@.status == 'lead' && @.balance < 10].id",
     [](const Json::array_t& c) {
       return Pick(
           c,
           [](const Json& x) {
             const Json* b = Member(x, "balance");
             return TextIs(Member(x, "status"), "lead") && b != nullptr && b->is_number() &&
                    b->get<double>() < 10;
           },
           "id");
     }},
};

// The same list-wide selections through the engine's shared pass and by hand, after checking
// that both select the same values.
std::vector<expr::JsonPath> HandWrittenPaths() {
  std::vector<expr::JsonPath> paths;
  for (const HandWritten& h : kHandWritten) {
    Result<expr::JsonPath> path = expr::JsonPath::Compile(h.path);
    if (!path.ok()) Die(std::string(h.path) + ": " + path.status().message());
    paths.push_back(std::move(*path));
  }
  return paths;
}

const Json::array_t& Clients(const Fixture& f) {
  return f.parsed.at("data").at("clients").get_ref<const Json::array_t&>();
}

void BM_ListPathsEngine(benchmark::State& state) {
  const Fixture& f = Get(1);
  static const std::vector<expr::JsonPath> paths = HandWrittenPaths();
  std::vector<const expr::JsonPath*> all;
  for (const expr::JsonPath& p : paths) all.push_back(&p);
  std::vector<std::vector<const Json*>> engine = expr::JsonPath::SelectEach(all, f.parsed);
  for (size_t i = 0; i < all.size(); ++i)
    if (engine[i] != kHandWritten[i].select(Clients(f)))
      Die(fmt::format("{}: the engine and the hand-written loop disagree", kHandWritten[i].path));
  for (auto _ : state) benchmark::DoNotOptimize(expr::JsonPath::SelectEach(all, f.parsed));
  state.SetLabel(fmt::format("{} list-wide paths, one shared pass", all.size()));
}

void BM_ListPathsHandWritten(benchmark::State& state) {
  const Fixture& f = Get(1);
  const Json::array_t& clients = Clients(f);
  for (auto _ : state) {
    for (const HandWritten& h : kHandWritten) benchmark::DoNotOptimize(h.select(clients));
  }
  state.SetLabel(fmt::format("{} list-wide paths, hand-written", std::size(kHandWritten)));
}

BENCHMARK(BM_Step)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK(BM_RunChecks)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ListPathsEngine)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ListPathsHandWritten)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StepPaired)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->MinTime(3);

}  // namespace verity::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  verity::bench::RegisterOneCheckBenchmarks(1);
  verity::bench::RegisterOneCheckBenchmarks(2);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
