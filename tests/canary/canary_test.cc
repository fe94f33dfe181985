// The canary: one token value, unique enough to search for, configured as a real token through
// the environment and sent to an API that gives it back in every way it can (canary/echo_api.h).
// Recipes extract what came back and send it on, raw and through template filters, and check what
// came back against values made of the token, passing and failing (so the failed checks' expected
// and seen values are searched too). Then every way out of Verity is read — `verity run`
// (console, the four reports, the history database as bytes, the knowledge base it writes back
// to), a dry run, `verity config check`, `verity scan-fallback`, `verity history`, and the
// dashboard (every JSON answer, every event-stream frame, its history) — and searched for the
// token in every encoding the API used, and for every 12-character piece of those. Nothing may be
// found.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "base/clock.h"
#include "base/json.h"
#include "canary/echo_api.h"
#include "cli/cli.h"
#include "net/serving.h"
#include "run/rate_limit.h"
#include "serve/dashboard.h"
#include "serve/server.h"
#include "store/history.h"
#include "support/memory_file_system.h"
#include "support/paths.h"

namespace verity::testing {
namespace {

// 30 characters with '/', '+' and '=', so that each encoding below differs from the others.
const std::string kToken = "CANARY/tok+7f3e9a1b/2c4d5e6f==";
constexpr size_t kMaxResponse = 4096;  // the run's max_response_bytes: /echo/big is cut inside it
constexpr size_t kPiece = 12;

std::string Document(const std::string& endpoint, const std::string& steps) {
  return "---\nendpoint: \"" + endpoint +
         "\"\ndomain: canary\nstatus: verified\ntokens: [staff]\n---\n\n# " + endpoint +
         "\n\n## Test Request\n\n```yaml\nsteps:\n" + steps + "```\n";
}

std::string Get(const std::string& id, const std::string& path, const std::string& more = "") {
  return "  - id: " + id + "\n    method: GET\n    path: " + path + "\n" + more;
}

// One recipe per way the API echoes the token, and recipes that send on what they extracted:
// raw, and through upper, lower, slice, base64, urlencode and json; again from an answer that
// echoed only a slice (the taint must carry), into a used document, and from --var.
std::map<std::string, std::string> Documents() {
  const std::string send_on = R"(  - id: send_on
    method: POST
    path: "/echo/sent/{{echoed}}"
    params: {copy: "{{echoed}}", part: "{{echoed | slice: 0:12}}"}
    headers: {X-Copy: "{{echoed}}", X-Up: "{{echoed | upper}}", X-Part: "{{echoed | slice: 3:15}}"}
    body:
      given: "{{given | default: none}}"
      token: "{{echoed}}"
      up: "{{echoed | upper}}"
      low: "{{echoed | lower}}"
      part: "{{echoed | slice: 0:12}}"
      tail: "{{echoed | slice: -13}}"
      b64: "{{echoed | base64}}"
      url: "{{echoed | urlencode}}"
      json: "{{echoed | json}}"
    extract: {part_back: "$.received.part"}
  - id: slice_of_the_slice
    method: POST
    path: "/echo/sent/again"
    body: {piece: "{{part_back | slice: 2:11}}", whole: "{{part_back}}"}
)";
  return {
      {"kb/canary/raw.md",
       Document("GET /echo/raw",
                Get("ask", "/echo/raw", "    extract: {echoed: \"$.token\"}\n") + send_on)},
      {"kb/canary/json-escaped.md",
       Document("GET /echo/json-escaped",
                Get("ask", "/echo/json-escaped",
                    "    expect: {status: 401}\n    extract: {msg: \"$.error\"}\n") +
                    "  - id: send_on\n    method: POST\n    path: /echo/sent/msg\n"
                    "    body: {msg: \"{{msg}}\", piece: \"{{msg | slice: 14:26}}\"}\n")},
      {"kb/canary/unicode.md",
       Document("GET /echo/unicode",
                Get("ask", "/echo/unicode",
                    "    expect: {status: 401}\n    extract: {first: \"$.first\"}\n") +
                    "  - id: send_on\n    method: POST\n    path: \"/echo/sent/{{first | "
                    "slice: 0:12}}\"\n    body: {first: \"{{first | lower}}\"}\n")},
      {"kb/canary/percent.md", Document("GET /echo/percent", Get("ask", "/echo/percent"))},
      {"kb/canary/base64.md",
       Document("GET /echo/base64",
                Get("ask", "/echo/base64", "    extract: {b64: \"$.b64\", basic: \"$.basic\"}\n") +
                    "  - id: send_on\n    method: POST\n    path: /echo/sent/basic\n"
                    "    headers: {Authorization: \"Basic {{basic}}\", X-B64: \"{{b64}}\"}\n"
                    "    body: {basic: \"{{basic}}\", part: \"{{b64 | slice: 4:20}}\"}\n")},
      {"kb/canary/html.md", Document("GET /echo/html", Get("ask", "/echo/html"))},
      {"kb/canary/headers.md", Document("GET /echo/headers", Get("ask", "/echo/headers"))},
      {"kb/canary/redirect.md",
       Document("GET /echo/redirect", Get("ask", "/echo/redirect", "    expect: {status: 302}\n"))},
      {"kb/canary/error.md",
       Document("POST /echo/error", "  - {id: ask, method: POST, path: /echo/error}\n")},
      {"kb/canary/long-message.md",
       Document("GET /echo/long-message", Get("ask", "/echo/long-message"))},
      {"kb/canary/excerpt.md",
       Document("GET /echo/excerpt",
                Get("ask", "/echo/excerpt", "    extract: {missing: \"$.missing\"}\n"))},
      {"kb/canary/big.md", Document("GET /echo/big", Get("ask", "/echo/big"))},
      {"kb/canary/seeded.md",
       Document(
           "POST /echo/sent/seeded",
           "  - id: send\n    method: POST\n"
           "    path: \"/echo/sent/seeded/{{seeded | slice: 0:12}}?b={{seeded | base64}}\"\n"
           "    headers: {X-Up: \"{{seeded | upper}}\"}\n"
           "    body: {part: \"{{seeded | slice: 4:20}}\", enc: \"{{seeded | urlencode}}\"}\n")},
      {"kb/canary/checks.md",
       Document("GET /echo/checks",
                Get("ask", "/echo/raw",
                    "    onFail: continue\n"
                    "    extract: {echoed: \"$.token\"}\n"
                    "    expect:\n"
                    "      body:\n"
                    "        - {path: \"$.token\", equals: \"{{echoed}}\"}\n"
                    "        - {path: \"$.token\", equals: \"{{echoed | upper}}\"}\n"
                    "        - {path: \"$.token\", not_equals: \"{{seeded}}\"}\n"
                    "        - {path: \"$.token\", contains: \"{{seeded | slice: 3:15}}x\"}\n"
                    "        - {path: \"$.id\", in: [\"{{seeded}}\", \"{{echoed | lower}}\"]}\n"
                    "        - {path: \"$\", equals: {token: \"{{seeded | base64}}\"}}\n") +
                    Get("heads", "/echo/headers",
                        "    onFail: continue\n"
                        "    expect:\n"
                        "      headers:\n"
                        "        X-Echo: \"{{seeded}}x\"\n"
                        "        X-Echo-Upper: {matches: \"^NOT-\"}\n"
                        "        X-Echo-B64: {equals: \"{{seeded | base64}}\"}\n"
                        "        Set-Cookie: {absent: true}\n"
                        "        Location: \"{{seeded | urlencode}}\"\n"))},
      {"kb/canary/use.md", Document("POST /echo/sent/use",
                                    "  - id: through\n    use: \"GET /echo/raw\"\n"
                                    "    with: {given: \"{{seeded | slice: 1:13}}\"}\n"
                                    "  - id: after\n    method: POST\n    path: /echo/sent/use\n"
                                    "    body: {echoed: \"{{echoed | slice: 5:17}}\"}\n")},
  };
}

struct Needle {
  std::string text;  // lower-cased: surfaces are searched lower-cased too
  std::string name;
};

// Every form of the token the API used, whole and in pieces of kPiece characters (of the
// \u-escaped form: pieces holding kPiece characters of the token). Of base64("user:token") only
// the pieces that hold bits of the token: the encoded user name may stay.
std::vector<Needle> Needles() {
  std::vector<Needle> out;
  auto add = [&](const std::string& form, const std::string& name, size_t piece, size_t from) {
    out.push_back({Lower(form), name});
    for (size_t i = from; i + piece <= form.size(); ++i)
      out.push_back({Lower(form.substr(i, piece)), name + " piece@" + std::to_string(i)});
  };
  add(kToken, "raw/upper/lower", kPiece, 0);
  add(JsonSlashEscaped(kToken), "JSON \\/", kPiece, 0);
  add(JsonUnicodeEscaped(kToken), "JSON \\u", kPiece * 6, 0);
  add(PercentEncode(kToken, false), "percent", kPiece, 0);
  add(FormEncode(kToken), "form", kPiece, 0);
  add(HtmlReferences(kToken), "HTML &#", kPiece, 0);
  for (bool url : {false, true}) {
    for (bool pad : {false, true}) {
      std::string kind = std::string(url ? "base64url" : "base64") + (pad ? "" : " unpadded");
      add(Base64(kToken, url, pad), kind, kPiece, 0);
      add(Base64("canary-user:" + kToken, url, pad), kind + " of user:token", kPiece, 16);
      add(Base64("me:" + kToken, url, pad), kind + " of me:token", kPiece, 4);
    }
  }
  return out;
}

struct Surface {
  std::string name;
  std::string text;
};

// "where: form (…context…)" for each surface that shows some form of the token: the first form
// found there, and how many forms were.
std::vector<std::string> Leaks(const std::vector<Surface>& surfaces) {
  std::vector<Needle> needles = Needles();
  std::vector<std::string> found;
  for (const Surface& s : surfaces) {
    std::string lower = Lower(s.text);
    size_t first = std::string::npos, forms = 0;
    std::string name;
    for (const Needle& n : needles) {
      size_t at = lower.find(n.text);
      if (at == std::string::npos) continue;
      if (forms++ == 0) first = at, name = n.name;
    }
    if (forms == 0) continue;
    size_t from = first > 60 ? first - 60 : 0;
    found.push_back(s.name + ": " + name + " and " + std::to_string(forms - 1) + " more forms (…" +
                    s.text.substr(from, 160) + "…)");
  }
  return found;
}

class CanaryTest : public ::testing::Test {
 protected:
  CanaryTest() : api_(kMaxResponse), fallback_api_(kMaxResponse), clock_(1767225600000) {
    for (const auto& [path, text] : Documents()) fs_.Add(path, text);
    fs_.Add("verity.yaml", "environments:\n  canary:\n    base_url: " + api_.url() +
                               "\n    fallback_url: " + fallback_api_.url() +
                               "\n    knowledge_base: kb\n    rate_limit: off\n    timeout: 5s\n"
                               "    max_response_bytes: " +
                               std::to_string(kMaxResponse) +
                               "\n    tokens:\n      staff: {env: VERITY_STAFF_TOKEN}\n");
  }

  // Runs the command line in-process; its output streams become surfaces.
  int Cli(std::vector<std::string> args) {
    std::ostringstream out, err;
    cli::Context ctx{out, err, fs_, clock_};
    ctx.env = [](const std::string& name) -> std::optional<std::string> {
      if (name == "VERITY_STAFF_TOKEN") return kToken;
      return std::nullopt;
    };
    std::string name;
    for (const std::string& a : args) name += a.substr(0, a.find(kToken)) + " ";
    int code = cli::Run(args, ctx);
    surfaces_.push_back({"stdout of verity " + name, out.str()});
    surfaces_.push_back({"stderr of verity " + name, err.str()});
    return code;
  }

  void AddDiskFiles() {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(disk_.path())) {
      if (entry.is_regular_file())
        surfaces_.push_back({entry.path().string(), ReadFileOrDie(entry.path().string())});
    }
  }

  void RunTheCommandLine();
  void RunTheDashboard();

  EchoApi api_;
  EchoApi fallback_api_;  // scan-fallback refuses a fallback that is the primary
  MemoryFileSystem fs_;
  FakeClock clock_;
  TempDir disk_;  // the histories: SQLite, on the real disk
  std::vector<Surface> surfaces_;
};

void CanaryTest::RunTheCommandLine() {
  const std::string history = disk_.path() + "/cli/history.db";
  const std::string seeded = "seeded=" + kToken;
  EXPECT_EQ(1, Cli({"run", "-v", "--var", seeded, "--report-json", "out/r.json", "--report-junit",
                    "out/r.xml", "--report-md", "out/r.md", "--report-html", "out/r.html",
                    "--history", history}));
  EXPECT_LE(Cli({"run", "--dry-run", "-v", "--var", seeded, "--no-write-back", "--report-json",
                 "out/dry.json", "--report-html", "out/dry.html"}),
            1);
  EXPECT_EQ(0, Cli({"config", "check"}));
  EXPECT_EQ(0, Cli({"config", "check", "--json"}));
  EXPECT_LE(Cli({"scan-fallback", "--json", "kb/canary/raw.md", "kb/canary/json-escaped.md"}), 1);
  EXPECT_EQ(0, Cli({"history", "--history", history, "--json"}));
  Json runs = Json::parse(surfaces_[surfaces_.size() - 2].text, nullptr, false);
  ASSERT_TRUE(runs.is_object() && runs["runs"].size() == 1u) << surfaces_.back().text;
  std::string run_id = runs["runs"][0]["runId"];
  EXPECT_EQ(0, Cli({"history", "show", run_id, "-v", "--history", history}));
  EXPECT_EQ(0, Cli({"history", "show", run_id, "--json", "--history", history}));
  for (const std::string& path : fs_.writes()) surfaces_.push_back({path, fs_.Get(path)});
}

void CanaryTest::RunTheDashboard() {
  serve::DashboardConfig config;
  config.settings.environment = "canary";
  config.settings.base_url = api_.url();
  config.settings.fallback_url = fallback_api_.url();
  config.settings.params = {{"seeded", kToken}};
  config.settings.tokens["staff"].value = kToken;
  config.settings.tokens["staff"].scheme = run::AuthScheme::kBearer;
  config.settings.rate_limit = *run::RateLimitPreset("off");
  config.settings.timeout_ms = 5000;
  config.settings.max_response_bytes = kMaxResponse;
  config.kb_roots = {"kb"};
  config.token_types = {"staff"};
  auto history = store::History::Open(disk_.path() + "/dashboard/history.db");
  ASSERT_TRUE(history.ok()) << history.status().message();
  SystemClock clock;
  auto dashboard = serve::Dashboard::Create(fs_, clock, std::move(config), std::move(*history));
  ASSERT_TRUE(dashboard.ok()) << dashboard.status().message();
  serve::Server server(**dashboard, {});
  ASSERT_TRUE(server.Bind().ok());
  net::ServingThread serving;  // stopped on every way out, an ASSERT's too
  serving.Start([&server] { return server.Serve(); }, [&server] { server.Stop(); });
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(30, 0);
  const httplib::Headers csrf = {{"X-Verity-CSRF", "1"}};
  auto keep = [&](const std::string& what, const httplib::Result& got) {
    ASSERT_TRUE(got) << what << ": " << httplib::to_string(got.error());
    std::string headers;
    for (const auto& [k, v] : got->headers) headers += k + ": " + v + "\n";
    surfaces_.push_back({"dashboard " + what, headers + "\n" + got->body});
  };
  // The event stream of a job, read to its last frame after it ended (the log keeps a job's).
  auto stream = [&](const std::string& what, const std::string& last_event) {
    std::string text;
    client.Get("/api/events", [&](const char* data, size_t size) {
      text.append(data, size);
      return text.find("event: " + last_event) == std::string::npos;
    });
    EXPECT_NE(text.find("event: " + last_event), std::string::npos) << text;
    surfaces_.push_back({"dashboard event stream of " + what, text});
  };

  keep("POST /api/runs", client.Post("/api/runs", csrf, "{}", "application/json"));
  (*dashboard)->WaitForRun();
  stream("the run", "run_finished");
  keep("POST /api/scan-fallback",
       client.Post("/api/scan-fallback", csrf, R"({"targets": ["kb/canary/raw.md"]})",
                   "application/json"));
  (*dashboard)->WaitForRun();
  stream("the scan", "scan_finished");
  for (const char* path : {"/api/health", "/api/operations", "/api/runs/current", "/api/history"})
    keep(std::string("GET ") + path, client.Get(path));
  Json listed = Json::parse(surfaces_.back().text.substr(surfaces_.back().text.find("\n\n")));
  for (const Json& run : listed["runs"]) {
    std::string id = run["runId"];
    keep("GET /api/history/" + id, client.Get(("/api/history/" + id).c_str()));
  }
  for (const auto& [path, text] : Documents())
    keep("GET /api/documents?file=" + path, client.Get(("/api/documents?file=" + path).c_str()));
  EXPECT_TRUE(serving.Stop().ok());
  (*dashboard)->Shutdown();
}

TEST_F(CanaryTest, NoOutputFileDatabaseOrDashboardAnswerHoldsTheTokenInAnyForm) {
  RunTheCommandLine();
  RunTheDashboard();
  AddDiskFiles();

  // Not a vacuous pass: the API saw the token, the recipes sent derived values on, and every
  // surface was read.
  EXPECT_GT(api_.requests(), 40);
  EXPECT_GE(surfaces_.size(), 50u);
  std::string everything;
  for (const Surface& s : surfaces_) everything += s.text;
  for (const char* expected :
       {"****", "RESOURCE_NOT_FOUND", "EXTRACT_MISS", "TOO_LARGE", "SERVER_ERROR", "run_finished",
        "scan_finished", "consecutiveFailures: 1", "CHECK_FAILED", "body $.token equals",
        "header X-Echo-Upper matches"}) {
    EXPECT_NE(everything.find(expected), std::string::npos) << expected;
  }

  // CANARY_DUMP=DIR keeps every surface read, one file each, for a person to look at.
  if (const char* dump = std::getenv("CANARY_DUMP")) {
    for (size_t i = 0; i < surfaces_.size(); ++i) {
      std::ofstream(std::string(dump) + "/" + std::to_string(i) + ".txt")
          << surfaces_[i].name << "\n\n"
          << surfaces_[i].text;
    }
  }
  std::vector<std::string> leaks = Leaks(surfaces_);
  std::string shown;
  for (const std::string& leak : leaks) shown += "\n  " + leak;
  EXPECT_TRUE(leaks.empty()) << leaks.size() << " of " << surfaces_.size()
                             << " surfaces show the token:" << shown;
}

}  // namespace
}  // namespace verity::testing
