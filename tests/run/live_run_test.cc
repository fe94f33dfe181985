// The runner over real HTTP: libcurl against in-process servers on 127.0.0.1 that reproduce the
// seed's world and the network's failures (timeouts, resets, TLS, rate limits). The fake-transport
// tests (executor_test.cc) pin every rule exactly; these prove the rules hold on the wire.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "base/clock.h"
#include "base/file_system.h"
#include "base/random.h"
#include "doc/parser.h"
#include "http/curl_transport.h"
#include "kb/knowledge_base.h"
#include "run/executor.h"
#include "run/executor_fixture.h"
#include "run/plan.h"
#include "run/seed_world_server.h"
#include "run/ticker.h"
#include "spec/catalog.h"
#include "support/paths.h"

namespace verity::run::testing {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

std::string Doc(const std::string& endpoint, const std::string& steps,
                const std::string& extra_frontmatter = "") {
  return "---\nendpoint: \"" + endpoint + "\"\ndomain: test\nstatus: pending\ntokens: [staff]\n" +
         extra_frontmatter + "---\n\n# Doc\n\n" + steps;
}

std::string OneStep(const std::string& yaml_step) {
  return "## Test Request\n\n```yaml\nsteps:\n" + yaml_step + "```\n";
}

class LiveRunTest : public ::testing::Test {
 protected:
  LiveRunTest() : world(kStaffSecret, kDirectorySecret) {
    settings.environment = "live";
    settings.base_url = world.primary_url();
    settings.fallback_url = world.fallback_url();
    settings.params = {{"business_id", "biz1"}};
    settings.tokens["staff"].value = kStaffSecret;
    settings.tokens["staff"].scheme = AuthScheme::kBearer;
    settings.tokens["directory"].value = kDirectorySecret;
    settings.tokens["directory"].scheme = AuthScheme::kBearer;
    settings.rate_limit = *RateLimitPreset("off");
    settings.retry.jitter = false;
    settings.retry.base_delay_ms = 20;
    settings.timeout_ms = 5000;
  }

  void AddDoc(const std::string& name, const std::string& text) { kb_dir.Write(name, text); }

  RunResult RunAll(Selection selection = {}) {
    auto loaded = kb::LoadKnowledgeBase(fs, {kb_dir.path()});
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    kb = std::move(*loaded);
    return RunKnowledgeBase(kb, selection);
  }

  // Everything a run owns besides the knowledge base is its own, so two runs can share a disk.
  RunResult RunKnowledgeBase(const kb::KnowledgeBase& knowledge_base, const Selection& selection) {
    auto plan = MakePlan(knowledge_base, selection);
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    http::CurlTransportOptions options;
    options.max_in_flight = settings.concurrency;
    auto transport = http::CurlTransport::Create(options);
    EXPECT_TRUE(transport.ok());
    SteadyTicker ticker;
    PosixFileSystem disk;
    SeededRandom random{7};
    ExecutorServices services{transport->get(), &ticker, &clock, &random, nullptr, &disk};
    Executor executor(settings, knowledge_base, catalog.get(), services);
    return executor.Run(*plan);
  }

  DocumentResult Only(const RunResult& result) {
    EXPECT_EQ(result.documents.size(), 1u);
    return result.documents.at(0);
  }

  std::string ReadDoc(const std::string& name) {
    return verity::testing::ReadFileOrDie(kb_dir.path() + "/" + name);
  }

  SeedWorldServer world;
  verity::testing::TempDir kb_dir;
  RunSettings settings;
  kb::KnowledgeBase kb;
  std::unique_ptr<spec::Catalog> catalog;
  PosixFileSystem fs;
  FakeClock clock{1767225600000};  // 2026-01-01T00:00:00Z
};

TEST_F(LiveRunTest, TheSeedDocumentPassesThroughTheFallbackAndIsMarkedVerified) {
  AddDoc("sales/get-client-package.md", SeedDocument());
  // The seed names its spec: the real vcita description must find the operation and accept it.
  settings.spec_root = verity::testing::SharedPath("corpus/vcita");
  catalog = std::make_unique<spec::Catalog>(fs);
  catalog->Add(settings.spec_root);

  DocumentResult d = Only(RunAll());
  EXPECT_TRUE(d.outcome == Outcome::kPass || d.outcome == Outcome::kWarn)
      << d.reason << ": " << d.message;
  EXPECT_EQ(d.http_status, 200);
  EXPECT_TRUE(d.used_fallback);
  auto seen = world.requests();
  ASSERT_EQ(seen.size(), 4u);
  for (const SeenRequest& r : seen) {
    EXPECT_EQ(r.server, "fallback") << r.path;
    EXPECT_EQ(r.authorization, std::string("Bearer ") + kStaffSecret);
  }
  EXPECT_EQ(seen[0].query.find("per_page")->second, "1");
  EXPECT_EQ(seen[2].body, R"({"client_id":"client-1","package_id":"package-1","price":1})");
  EXPECT_EQ(seen[3].path, "/business/payments/v1/client_packages/cp-1");
  EXPECT_EQ(d.steps[2].extracted["client_package_uid"], "cp-1");

  std::string after = ReadDoc("sales/get-client-package.md");
  EXPECT_NE(after.find("status: verified"), std::string::npos) << after;
  EXPECT_NE(after.find("verifiedAt: 2026-01-01T00:00:00.000Z"), std::string::npos) << after;
}

TEST_F(LiveRunTest, TheSeedWithoutItsFallbackFlagFailsWithAuthFailedAndTheFallbackSuggestion) {
  AddDoc("sales/get-client-package.md", SeedDocument(/*use_fallback=*/false));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_EQ(d.reason, "AUTH_FAILED");
  EXPECT_EQ(d.http_status, 401);
  EXPECT_NE(d.suggestion.find("fallback"), std::string::npos) << d.suggestion;
  auto to_payments = world.requests_to("/business/payments/v1/");
  ASSERT_EQ(to_payments.size(), 1u);
  EXPECT_EQ(to_payments[0].server, "primary");
  // One failure after none is not enough to demote a recipe.
  EXPECT_NE(ReadDoc("sales/get-client-package.md").find("status: pending"), std::string::npos);
}

TEST_F(LiveRunTest, TheFallbackRefusesADirectoryTokenWithAuthFailed) {
  std::string seed = SeedDocument();
  for (size_t at; (at = seed.find("token: staff")) != std::string::npos;)
    seed.replace(at, 12, "token: directory");
  AddDoc("sales/get-client-package.md", seed);
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_EQ(d.reason, "PREREQUISITE_FAILED");
  ASSERT_FALSE(d.steps.empty());
  EXPECT_EQ(d.steps[0].reason, "AUTH_FAILED");
  EXPECT_EQ(world.requests().size(), 1u) << "onFail: abort stops at the first refusal";
}

TEST_F(LiveRunTest, AnAbortedDocumentStillDeletesWhatItCreated) {
  // The test request expects a status the server never gives: the document fails after creating
  // a client package, and its cleanup must remove it anyway.
  std::string seed = SeedDocument();
  seed.replace(seed.rfind("status: [200]"), 13, "status: [204]");
  seed += R"(
## Cleanup

```yaml
steps:
  - id: delete_client_package
    method: DELETE
    path: "/platform/v1/payment/client_packages/{{client_package_uid}}"
    token: staff
    useFallbackApi: true
```
)";
  AddDoc("sales/get-client-package.md", seed);
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_EQ(d.reason, "UNEXPECTED_STATUS");
  EXPECT_EQ(d.steps.back().section, "cleanup");
  EXPECT_EQ(d.steps.back().outcome, Outcome::kPass) << d.steps.back().message;
  EXPECT_EQ(world.live_client_packages(), 0u);
  EXPECT_EQ(world.requests().back().method, "DELETE");
}

TEST_F(LiveRunTest, QueryParametersAreSentOnPostAndPut) {
  AddDoc("post.md", Doc("POST /echo", OneStep(R"(  - id: post
    method: POST
    path: /echo
    params: {business_id: "{{business_id}}", tag: "a b"}
    body: {name: x}
)")));
  AddDoc("put.md", Doc("PUT /echo", OneStep(R"(  - id: put
    method: PUT
    path: /echo
    params: {business_id: "{{business_id}}"}
    body: {name: y}
)")));
  RunResult result = RunAll();
  for (const DocumentResult& d : result.documents)
    EXPECT_EQ(d.outcome, Outcome::kPass) << d.file << ": " << d.message;
  auto seen = world.requests_to("/echo");
  ASSERT_EQ(seen.size(), 2u);
  for (const SeenRequest& r : seen) {
    EXPECT_EQ(r.query.find("business_id")->second, "biz1") << r.method;
    EXPECT_EQ(r.content_type, "application/json");
  }
  auto post = std::find_if(seen.begin(), seen.end(), [](auto& r) { return r.method == "POST"; });
  ASSERT_NE(post, seen.end());
  EXPECT_EQ(post->query.find("tag")->second, "a b");
  EXPECT_EQ(post->body, R"({"name":"x"})");
}

TEST_F(LiveRunTest, AMultipartUploadSendsFormFieldsAndTheFileFromTheKnowledgeBase) {
  kb_dir.Write("files/receipt.txt", "receipt contents\n");
  AddDoc("upload.md", Doc("POST /upload", OneStep(R"(  - id: upload
    method: POST
    path: /upload
    content_type: multipart
    form_fields: {note: "for {{business_id}}"}
    file_fields:
      - field_name: attachment
        file_path: files/receipt.txt
        filename: receipt-2026.txt
    expect: {status: 201}
)")));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kPass) << d.reason << ": " << d.message;
  SeenUpload upload = world.last_upload();
  EXPECT_EQ(upload.field, "for biz1");
  EXPECT_EQ(upload.file_name, "receipt-2026.txt");
  EXPECT_EQ(upload.file_content, "receipt contents\n");
  EXPECT_NE(world.requests_to("/upload").at(0).content_type.find("multipart/form-data"),
            std::string::npos);
}

TEST_F(LiveRunTest, AnUploadThroughALinkOutOfTheKnowledgeBaseIsRefusedAndNothingIsSent) {
  verity::testing::TempDir outside;
  std::string secret = outside.Write("id_rsa", "PRIVATE KEY CANARY\n");
  std::filesystem::create_directories(kb_dir.path() + "/files");
  std::filesystem::create_symlink(secret, kb_dir.path() + "/files/receipt.txt");
  AddDoc("upload.md", Doc("POST /upload", OneStep(R"(  - id: upload
    method: POST
    path: /upload
    content_type: multipart
    file_fields:
      - {field_name: attachment, file_path: files/receipt.txt}
)")));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_NE(d.message.find("outside the knowledge base"), std::string::npos) << d.message;
  EXPECT_TRUE(world.requests_to("/upload").empty());
}

TEST_F(LiveRunTest, AnUploadThroughALinkInsideTheKnowledgeBaseSendsTheTarget) {
  kb_dir.Write("shared/receipt.txt", "shared receipt\n");
  std::filesystem::create_directories(kb_dir.path() + "/files");
  std::filesystem::create_symlink("../shared/receipt.txt", kb_dir.path() + "/files/receipt.txt");
  AddDoc("upload.md", Doc("POST /upload", OneStep(R"(  - id: upload
    method: POST
    path: /upload
    content_type: multipart
    file_fields:
      - {field_name: attachment, file_path: files/receipt.txt}
    expect: {status: 201}
)")));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kPass) << d.reason << ": " << d.message;
  EXPECT_EQ(world.last_upload().file_content, "shared receipt\n");
  EXPECT_EQ(world.last_upload().file_name, "receipt.txt");
}

TEST_F(LiveRunTest, AnUploadOutsideTheKnowledgeBaseIsRefusedAndNothingIsSent) {
  AddDoc("upload.md", Doc("POST /upload", OneStep(R"(  - id: upload
    method: POST
    path: /upload
    content_type: multipart
    file_fields:
      - {field_name: attachment, file_path: ../../../etc/passwd}
)")));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_NE(d.message.find("outside the knowledge base"), std::string::npos) << d.message;
  EXPECT_TRUE(world.requests_to("/upload").empty());
}

TEST_F(LiveRunTest, A429WithRetryAfterIsWaitedForThenTheRequestPasses) {
  world.RateLimitNext(1, 1);
  AddDoc("limited.md",
         Doc("GET /limited", OneStep("  - {id: get, method: GET, path: /limited}\n")));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kPass) << d.reason << ": " << d.message;
  auto seen = world.requests_to("/limited");
  ASSERT_EQ(seen.size(), 2u);
  // Retry-After: 1 means at least a second; the jittered backoff (20 ms here) must not win.
  EXPECT_GE(SecondsBetween(seen[0].at, seen[1].at), 0.95);
  EXPECT_EQ(d.steps[0].attempts.size(), 2u);
}

TEST_F(LiveRunTest, ASilentServerIsATimeoutRetriedForGetOnly) {
  settings.timeout_ms = 300;
  settings.retry.max_retries = 1;
  AddDoc("get.md", Doc("GET /hold", OneStep("  - {id: get, method: GET, path: /hold}\n")));
  AddDoc("post.md", Doc("POST /hold", OneStep("  - {id: post, method: POST, path: /hold}\n")));
  RunResult result = RunAll();
  ASSERT_EQ(result.documents.size(), 2u);
  for (const DocumentResult& d : result.documents) {
    EXPECT_EQ(d.outcome, Outcome::kFail) << d.file;
    EXPECT_EQ(d.reason, "TIMEOUT") << d.file << ": " << d.message;
    size_t expected_attempts = d.method == "GET" ? 2 : 1;
    EXPECT_EQ(d.steps.at(0).attempts.size(), expected_attempts) << d.method;
  }
}

TEST_F(LiveRunTest, AConnectionResetIsANetworkErrorRetriedForGetOnly) {
  ResettingServer resetting;
  settings.base_url = resetting.Url("");
  settings.retry.max_retries = 2;
  AddDoc("get.md", Doc("GET /reset", OneStep("  - {id: get, method: GET, path: /reset}\n")));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_EQ(d.reason, "NETWORK_ERROR") << d.message;
  EXPECT_EQ(d.steps.at(0).attempts.size(), 3u);
  EXPECT_EQ(resetting.connections(), 3);

  AddDoc("get.md", Doc("POST /reset", OneStep("  - {id: post, method: POST, path: /reset}\n")));
  DocumentResult post = Only(RunAll());
  EXPECT_EQ(post.reason, "NETWORK_ERROR");
  EXPECT_EQ(post.steps.at(0).attempts.size(), 1u) << "a POST may have been applied: never resent";
}

TEST_F(LiveRunTest, AnUntrustedCertificateIsATlsErrorUnlessInsecureIsAsked) {
  verity::testing::TempDir certs;
  SelfSignedTlsServer tls(certs.path());
  settings.base_url = tls.Url("");
  AddDoc("tls.md", Doc("GET /tls", OneStep("  - {id: get, method: GET, path: /tls}\n")));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_EQ(d.reason, "TLS_ERROR") << d.message;
  EXPECT_EQ(d.steps.at(0).attempts.size(), 1u) << "a certificate problem is never retried";
  EXPECT_EQ(tls.requests(), 0);

  settings.verify_tls = false;
  DocumentResult insecure = Only(RunAll());
  EXPECT_EQ(insecure.outcome, Outcome::kPass) << insecure.reason << ": " << insecure.message;
  EXPECT_EQ(tls.requests(), 1);
}

TEST_F(LiveRunTest, TwoRunsAtOnceOnOneKnowledgeBaseLoseNoUpdateAndCorruptNoFile) {
  AddDoc("shared.md", Doc("GET /open/echo/shared", OneStep(R"(  - id: shared
    method: GET
    path: /open/echo
    extract: {method: "$.method"}
)")));
  const int kConsumers = 20;
  for (int i = 0; i < kConsumers; ++i) {
    AddDoc("consumer" + std::to_string(i) + ".md",
           Doc("GET /open/echo/" + std::to_string(i), R"(## Prerequisites

```yaml
steps:
  - {id: first, use: "GET /open/echo/shared"}
```

)" + OneStep("  - {id: get, method: GET, path: \"/open/echo?m={{method}}\"}\n")));
  }
  Selection consumers;
  for (int i = 0; i < kConsumers; ++i)
    consumers.targets.push_back(kb_dir.path() + "/consumer" + std::to_string(i) + ".md");
  // Both runs load the knowledge base before either writes: each holds the old text in memory
  // and must still not overwrite the other's updates.
  auto first = kb::LoadKnowledgeBase(fs, {kb_dir.path()});
  auto second = kb::LoadKnowledgeBase(fs, {kb_dir.path()});
  ASSERT_TRUE(first.ok() && second.ok());
  RunResult a, b;
  std::thread other([&] { b = RunKnowledgeBase(*second, consumers); });
  a = RunKnowledgeBase(*first, consumers);
  other.join();
  EXPECT_EQ(a.summary.totals.passed, size_t{kConsumers});
  EXPECT_EQ(b.summary.totals.passed, size_t{kConsumers});

  EXPECT_NE(ReadDoc("shared.md").find("timesReused: " + std::to_string(2 * kConsumers)),
            std::string::npos)
      << ReadDoc("shared.md");
  for (int i = 0; i < kConsumers; ++i) {
    std::string name = "consumer" + std::to_string(i) + ".md";
    std::string text = ReadDoc(name);
    doc::Document parsed = doc::ParseDocument(text, name);
    EXPECT_FALSE(parsed.has_errors()) << text;
    EXPECT_NE(text.find("status: verified"), std::string::npos) << text;
    EXPECT_EQ(text.find("status: pending"), std::string::npos) << text;
    EXPECT_NE(text.find("path: \"/open/echo?m={{method}}\""), std::string::npos)
        << "the steps are untouched";
  }
}

// Benchmark-style: the bound is the issue's ±10 %, far wider than the limiter's own precision
// (rate_limiter_test pins the schedule exactly); it measures what reached the server.
TEST_F(LiveRunTest, TheAggressivePresetSendsTwentyRequestsPerSecondOnTheWire) {
  settings.rate_limit = *RateLimitPreset("aggressive");
  settings.concurrency = 10;
  for (int i = 0; i < 100; ++i) {
    std::string n = std::to_string(i);
    AddDoc("doc" + n + ".md",
           Doc("GET /open/echo/" + n, OneStep("  - {id: get, method: GET, path: /open/echo}\n")));
  }
  RunResult result = RunAll();
  EXPECT_EQ(result.summary.totals.passed, 100u);
  auto seen = world.requests_to("/open/echo");
  ASSERT_EQ(seen.size(), 100u);
  double span = SecondsBetween(seen.front().at, seen.back().at);
  double rate = 99 / span;
  EXPECT_GE(rate, 18.0) << span << " s";
  EXPECT_LE(rate, 22.0) << span << " s";
}

}  // namespace
}  // namespace verity::run::testing
