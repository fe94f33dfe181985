// The base-URL scan over real HTTP: libcurl against two in-process APIs on 127.0.0.1 (a primary
// and a fallback) whose answers each test sets per path. Every request is logged with the server
// that got it, so the tests count what reached each base.
#include "run/fallback_scan.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <mutex>
#include <thread>

#include "base/clock.h"
#include "base/random.h"
#include "doc/parser.h"
#include "http/curl_transport.h"
#include "run/executor_fixture.h"
#include "support/memory_file_system.h"

namespace verity::run::testing {
namespace {

// Two bases answering `status_for[path]` (default 200) with a small JSON body.
class TwoBases {
 public:
  TwoBases() {
    for (Base* b : {&primary_, &fallback_}) Start(*b);
  }
  ~TwoBases() {
    for (Base* b : {&primary_, &fallback_}) {
      b->server.stop();
      b->thread.join();
    }
  }
  std::string primary_url() const { return primary_.url; }
  std::string fallback_url() const { return fallback_.url; }
  void PrimaryAnswers(const std::string& path, int status) { Set(primary_, path, status); }
  void FallbackAnswers(const std::string& path, int status) { Set(fallback_, path, status); }
  /// "primary GET /x", in arrival order.
  std::vector<std::string> seen() const {
    std::lock_guard lock(mu_);
    return seen_;
  }
  size_t seen_by(const std::string& base) const {
    size_t n = 0;
    for (const std::string& s : seen()) n += s.starts_with(base + " ") ? 1 : 0;
    return n;
  }

 private:
  struct Base {
    std::string name;
    httplib::Server server;
    std::thread thread;
    std::string url;
    std::map<std::string, int> status_for;
  };
  void Set(Base& b, const std::string& path, int status) {
    std::lock_guard lock(mu_);
    b.status_for[path] = status;
  }
  void Start(Base& b) {
    b.name = &b == &primary_ ? "primary" : "fallback";
    auto answer = [this, &b](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      seen_.push_back(b.name + " " + req.method + " " + req.path);
      auto it = b.status_for.find(req.path);
      res.status = it == b.status_for.end() ? 200 : it->second;
      res.set_content(R"({"data":{"id":"x1"}})", "application/json");
    };
    b.server.Get("/ready", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ok", "text/plain");
    });
    b.server.Get(R"(/.*)", answer);  // after /ready, which wins by coming first
    b.server.Post(R"(/.*)", answer);
    b.server.Delete(R"(/.*)", answer);
    int port = b.server.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port, 0);
    b.url = "http://127.0.0.1:" + std::to_string(port);
    b.thread = std::thread([&b] { b.server.listen_after_bind(); });
    httplib::Client probe("127.0.0.1", port);
    auto ready = probe.Get("/ready");
    EXPECT_TRUE(ready && ready->status == 200);
  }

  Base primary_, fallback_;
  mutable std::mutex mu_;
  std::vector<std::string> seen_;
};

std::string Doc(const std::string& endpoint, const std::string& frontmatter_extra,
                const std::string& sections) {
  return "---\nendpoint: \"" + endpoint + "\"\ndomain: test\nstatus: pending\ntimesReused: 0\n" +
         "tokens: [staff]\n" + frontmatter_extra + "---\n\n# Doc\n\n" + sections;
}

std::string TestRequest(const std::string& path) {
  return "## Test Request\n\n```yaml\nsteps:\n  - id: test\n    method: GET\n    path: \"" + path +
         "\"\n    expect:\n      status: [200]\n```\n";
}

class FallbackScanTest : public ::testing::Test {
 protected:
  FallbackScanTest() {
    settings.environment = "scan";
    settings.base_url = world.primary_url();
    settings.fallback_url = world.fallback_url();
    settings.tokens["staff"].value = kStaffSecret;
    settings.tokens["staff"].scheme = AuthScheme::kBearer;
    settings.rate_limit = *RateLimitPreset("off");
    settings.retry.max_retries = 0;
    settings.timeout_ms = 5000;
  }

  void AddDoc(const std::string& name, const std::string& text) {
    std::string path = "kb/" + name;
    fs.Add(path, text);
    kb.documents.push_back(doc::ParseDocument(text, path));
    ASSERT_FALSE(kb.documents.back().has_errors()) << name;
  }

  // Scans every flagged document (or `targets`), collecting the events.
  ScanReport Scan(std::vector<std::string> targets = {}) {
    kb.roots = {"kb"};
    Selection selection;
    selection.targets = std::move(targets);
    auto documents = SelectForScan(kb, selection);
    EXPECT_TRUE(documents.ok()) << documents.status().ToString();
    bus.Subscribe([this](uint64_t, const RunEvent& e) {
      events.push_back(EventName(e));
      if (const auto* r = std::get_if<ScanResultReady>(&e)) delivered.push_back(r->result);
    });
    auto report = ScanOverCurl(*documents);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : ScanReport{};
  }

  // Scans `documents` as they are given, over libcurl: a refusal comes back as the status.
  Result<ScanReport> ScanOverCurl(const std::vector<const doc::Document*>& documents) {
    kb.roots = {"kb"};
    auto transport = http::CurlTransport::Create({});
    EXPECT_TRUE(transport.ok());
    if (!transport.ok()) return transport.status();
    ExecutorServices services{transport->get(), &ticker, &clock, &random, &bus, &fs};
    FallbackScan scan(settings, kb, nullptr, services);
    return scan.Run(documents);
  }

  const ScanResult& ResultFor(const ScanReport& report, const std::string& endpoint) {
    for (const ScanResult& r : report.results) {
      if (r.endpoint == endpoint) return r;
    }
    ADD_FAILURE() << "no result for " << endpoint;
    return report.results.at(0);
  }

  TwoBases world;
  RunSettings settings;
  kb::KnowledgeBase kb;
  verity::testing::MemoryFileSystem fs;
  SteadyTicker ticker;
  FakeClock clock{1767225600000};
  SeededRandom random{7};
  EventBus bus;
  std::vector<std::string> events;
  std::vector<ScanResult> delivered;
};

TEST_F(FallbackScanTest, RecommendsForEachOfTheFiveCases) {
  AddDoc("both.md", Doc("GET /both", "useFallbackApi: true\n", TestRequest("/both")));
  AddDoc("fallback-only.md",
         Doc("GET /fallback-only", "useFallbackApi: true\n", TestRequest("/fallback-only")));
  AddDoc("primary-only.md",
         Doc("GET /primary-only", "useFallbackApi: true\n", TestRequest("/primary-only")));
  AddDoc("neither.md", Doc("GET /neither", "useFallbackApi: true\n", TestRequest("/neither")));
  AddDoc("empty.md", Doc("GET /empty", "useFallbackApi: true\n", "## Notes\n\nNothing yet.\n"));
  world.PrimaryAnswers("/fallback-only", 401);
  world.FallbackAnswers("/primary-only", 500);
  world.PrimaryAnswers("/neither", 500);
  world.FallbackAnswers("/neither", 404);

  ScanReport report = Scan();
  ASSERT_EQ(report.results.size(), 5u);
  EXPECT_EQ(ResultFor(report, "GET /both").recommendation, Recommendation::kPrimaryNowWorks);
  EXPECT_EQ(ResultFor(report, "GET /fallback-only").recommendation,
            Recommendation::kFallbackStillNeeded);
  EXPECT_EQ(ResultFor(report, "GET /primary-only").recommendation, Recommendation::kFallbackBroken);
  EXPECT_EQ(ResultFor(report, "GET /neither").recommendation, Recommendation::kBothFailing);
  EXPECT_EQ(ResultFor(report, "GET /empty").recommendation, Recommendation::kNoWorkflow);
  EXPECT_FALSE(ResultFor(report, "GET /empty").primary.has_value());

  const ScanResult& fallback_only = ResultFor(report, "GET /fallback-only");
  EXPECT_EQ(fallback_only.fallback->outcome, Outcome::kPass);
  EXPECT_EQ(fallback_only.fallback->http_status, 200);
  EXPECT_EQ(fallback_only.fallback->url, world.fallback_url());
  EXPECT_EQ(fallback_only.primary->outcome, Outcome::kFail);
  EXPECT_EQ(fallback_only.primary->http_status, 401);
  EXPECT_EQ(fallback_only.primary->reason, "AUTH_FAILED");
  EXPECT_EQ(fallback_only.primary->url, world.primary_url());

  EXPECT_EQ(report.counts.total, 5u);
  EXPECT_EQ(report.counts.primary_now_works, 1u);
  EXPECT_EQ(report.counts.fallback_still_needed, 1u);
  EXPECT_EQ(report.counts.fallback_broken, 1u);
  EXPECT_EQ(report.counts.both_failing, 1u);
  EXPECT_EQ(report.counts.no_workflow, 1u);
  // One request per side per runnable document, and none for the empty one.
  EXPECT_EQ(world.seen_by("primary"), 4u);
  EXPECT_EQ(world.seen_by("fallback"), 4u);
}

TEST_F(FallbackScanTest, PrimarySideNeverTouchesTheFallbackWhateverForcesIt) {
  // Everything that could send a "primary" request to the fallback: a step's useFallback, a
  // step's useFallbackApi, a used document's useFallbackApi.
  AddDoc("forcing.md", Doc("GET /target", "useFallbackApi: true\n", R"(## Prerequisites

```yaml
steps:
  - id: step_flag
    method: GET
    path: "/one"
    useFallback: true
  - id: step_api_flag
    method: GET
    path: "/two"
    useFallbackApi: true
  - id: borrowed
    use: "GET /helper"
```

)" + TestRequest("/target")));
  AddDoc("helper.md", Doc("GET /helper", "useFallbackApi: true\n", TestRequest("/helper")));
  ScanReport report = Scan({"kb/forcing.md"});
  ASSERT_EQ(report.results.size(), 1u);
  EXPECT_EQ(report.results[0].recommendation, Recommendation::kPrimaryNowWorks);
  std::vector<std::string> seen = world.seen();
  ASSERT_EQ(seen.size(), 8u);
  // The fallback side runs first, whole; then the primary side, whole, on the primary alone.
  for (size_t i = 0; i < 4; ++i) EXPECT_TRUE(seen[i].starts_with("fallback ")) << seen[i];
  for (size_t i = 4; i < 8; ++i) EXPECT_TRUE(seen[i].starts_with("primary ")) << seen[i];
  EXPECT_EQ(seen[7], "primary GET /target");
}

TEST_F(FallbackScanTest, APrimaryGatewayFailureIsNotRescuedByTheFallback) {
  AddDoc("gateway.md", Doc("GET /gateway", "useFallbackApi: true\n", TestRequest("/gateway")));
  world.PrimaryAnswers("/gateway", 502);
  ScanReport report = Scan();
  ASSERT_EQ(report.results.size(), 1u);
  EXPECT_EQ(report.results[0].recommendation, Recommendation::kFallbackStillNeeded);
  EXPECT_EQ(report.results[0].primary->http_status, 502);
  EXPECT_EQ(world.seen_by("fallback"), 1u);
}

TEST_F(FallbackScanTest, LeavesTheKnowledgeBaseUntouched) {
  AddDoc("uses.md", Doc("GET /both", "useFallbackApi: true\n",
                        "## Prerequisites\n\n```yaml\nsteps:\n  - id: borrowed\n"
                        "    use: \"GET /helper\"\n```\n\n" +
                            TestRequest("/both")));
  AddDoc("helper.md", Doc("GET /helper", "", TestRequest("/helper")));
  std::string uses_before = fs.Get("kb/uses.md"), helper_before = fs.Get("kb/helper.md");
  ScanReport report = Scan();
  ASSERT_EQ(report.results.size(), 1u);
  EXPECT_EQ(report.results[0].recommendation, Recommendation::kPrimaryNowWorks);
  // A run would have marked it verified and counted the helper's reuse twice.
  EXPECT_EQ(fs.Get("kb/uses.md"), uses_before);
  EXPECT_EQ(fs.Get("kb/helper.md"), helper_before);
  EXPECT_TRUE(fs.writes().empty());
}

TEST_F(FallbackScanTest, SelectsFlaggedDocumentsAndEveryDocumentNamedByFile) {
  AddDoc("flagged.md", Doc("GET /both", "useFallbackApi: true\n", TestRequest("/both")));
  AddDoc("plain.md", Doc("GET /plain", "", TestRequest("/plain")));
  kb.roots = {"kb"};
  Selection all;
  auto flagged = SelectForScan(kb, all);
  ASSERT_TRUE(flagged.ok());
  ASSERT_EQ(flagged->size(), 1u);
  EXPECT_EQ((*flagged)[0]->file, "kb/flagged.md");
  Selection named;
  named.targets = {"kb/plain.md"};
  auto explicit_pick = SelectForScan(kb, named);
  ASSERT_TRUE(explicit_pick.ok());
  ASSERT_EQ(explicit_pick->size(), 1u);
  EXPECT_EQ((*explicit_pick)[0]->file, "kb/plain.md");
}

TEST_F(FallbackScanTest, PublishesStartedThenAResultPerDocumentThenFinished) {
  AddDoc("both.md", Doc("GET /both", "useFallbackApi: true\n", TestRequest("/both")));
  AddDoc("empty.md", Doc("GET /empty", "useFallbackApi: true\n", "## Notes\n\nNothing.\n"));
  ScanReport report = Scan();
  EXPECT_EQ(events, (std::vector<std::string>{"scan_started", "scan_result", "scan_result",
                                              "scan_finished"}));
  EXPECT_EQ(delivered.size(), 2u);
  EXPECT_FALSE(report.scan_id.empty());
}

TEST_F(FallbackScanTest, WithoutAFallbackUrlTheScanIsRefusedBeforeSendingAnything) {
  AddDoc("both.md", Doc("GET /both", "useFallbackApi: true\n", TestRequest("/both")));
  settings.fallback_url.clear();
  auto report = ScanOverCurl({&kb.documents[0]});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(report.status().message().find("fallback"), std::string::npos);
  EXPECT_TRUE(world.seen().empty());
}

TEST_F(FallbackScanTest, ASkippedRecipeIsSkippedNotBothFailing) {
  std::string skipped = Doc("GET /skipped", "useFallbackApi: true\n", TestRequest("/skipped"));
  skipped.replace(skipped.find("status: pending"), 15, "status: skipped\nskipReason: not yet");
  AddDoc("skipped.md", skipped);
  ScanReport report = Scan();
  ASSERT_EQ(report.results.size(), 1u);
  EXPECT_EQ(report.results[0].recommendation, Recommendation::kSkipped);
  EXPECT_EQ(report.counts.skipped, 1u);
  EXPECT_EQ(report.counts.both_failing, 0u);
  EXPECT_EQ(ToJson(report.counts)["SKIPPED"], 1);
  EXPECT_TRUE(world.seen().empty());
}

TEST_F(FallbackScanTest, AFallbackThatIsThePrimaryIsRefusedNamingBoth) {
  AddDoc("both.md", Doc("GET /both", "useFallbackApi: true\n", TestRequest("/both")));
  // The same server written another way: upper-case scheme and host, a trailing slash.
  std::string primary = world.primary_url();
  primary.replace(primary.find("127.0.0.1"), 9, "localhost");
  std::string same = primary;
  same.replace(0, same.find("://"), "HTTP");
  same.replace(same.find("localhost"), 9, "LocalHost");
  settings.base_url = primary;
  settings.fallback_url = same + "/";
  auto report = ScanOverCurl({&kb.documents[0]});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(report.status().message().find(settings.fallback_url + " is the primary base URL " +
                                           settings.base_url),
            std::string::npos)
      << report.status().message();
  EXPECT_TRUE(world.seen().empty());
}

TEST(ScanRecommendationTest, SkippedOnBothSidesIsSkipped) {
  ScanSide skip;
  skip.outcome = Outcome::kSkip;
  EXPECT_EQ(Recommend(skip, skip), Recommendation::kSkipped);
  EXPECT_EQ(ParseRecommendation("SKIPPED"), Recommendation::kSkipped);
}

TEST(ScanRecommendationTest, PassingMeansPassOrWarn) {
  ScanSide pass, warn, fail, skip;
  pass.outcome = Outcome::kPass;
  warn.outcome = Outcome::kWarn;
  fail.outcome = Outcome::kFail;
  skip.outcome = Outcome::kSkip;
  EXPECT_EQ(Recommend(warn, pass), Recommendation::kPrimaryNowWorks);
  EXPECT_EQ(Recommend(pass, fail), Recommendation::kFallbackStillNeeded);
  EXPECT_EQ(Recommend(skip, warn), Recommendation::kFallbackBroken);
  EXPECT_EQ(Recommend(fail, skip), Recommendation::kBothFailing);
  EXPECT_EQ(ParseRecommendation("FALLBACK_BROKEN"), Recommendation::kFallbackBroken);
  EXPECT_FALSE(ParseRecommendation("MAYBE").has_value());
}

}  // namespace
}  // namespace verity::run::testing
