// The dashboard's API over HTTP (docs/serve.md): every route, runs with their event stream and
// its resume, the history they leave, and the security rules (token, CSRF header, Host, CSP).
#include <gmock/gmock.h>

#include <future>

#include "serve/serve_fixture.h"

namespace verity::serve::testing {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> Names(const std::vector<Frame>& frames) {
  std::vector<std::string> names;
  for (const Frame& f : frames) names.push_back(f.name);
  return names;
}

TEST_F(ServeTest, HealthAndOperationsJoinTheSpecsTheKnowledgeBaseAndTheHistory) {
  Start("", /*with_spec=*/true);
  Json health = GetJson("/api/health");
  EXPECT_EQ(health["status"], "ok");
  EXPECT_EQ(health["environment"], "staging");
  EXPECT_EQ(health["documents"], 1);
  EXPECT_GE(health["operations"].get<int>(), 1);
  EXPECT_EQ(health["authRequired"], false);
  EXPECT_EQ(health["run"]["state"], "idle");
  EXPECT_EQ(health["tokenTypes"], (Json{"staff", "directory"}));

  Json all = GetJson("/api/operations");
  EXPECT_EQ(all["total"], all["matched"]);
  Json seed;
  for (const Json& op : all["operations"])
    if (op["key"] == kSeedEndpoint) seed = op;
  ASSERT_TRUE(seed.is_object()) << all.dump(2);
  EXPECT_EQ(seed["document"], kSeedFile);
  EXPECT_EQ(seed["useFallbackApi"], true);
  EXPECT_TRUE(seed["lastOutcome"].is_null());
  EXPECT_EQ(all["counts"]["outcome"]["none"], all["total"]);

  Json covered = GetJson("/api/operations?kbStatus=none,pending&q=CLIENT_PACKAGES/%7Buid%7D");
  ASSERT_EQ(covered["matched"], 1) << covered.dump(2);
  EXPECT_EQ(covered["operations"][0]["key"], kSeedEndpoint);
  EXPECT_EQ(GetJson("/api/operations?method=DELETE&q=client_packages/%7Buid%7D")["matched"], 0);
  EXPECT_EQ(GetJson("/api/operations?flaky=true")["matched"], 0);
}

TEST_F(ServeTest, ARunStreamsItsEventsRecordsItsHistoryAndUpdatesTheViews) {
  Start();
  auto events = std::async(std::launch::async, [this] { return ReadEvents("run_finished"); });
  // The stream is connected once the server has a reader waiting; a run started before would
  // still be replayed to it.
  Json started_body = {{"targets", {kSeedEndpoint}}, {"rateLimit", "off"}};
  std::string run_id = RunToTheEnd(started_body);
  ASSERT_FALSE(run_id.empty());
  std::vector<Frame> frames = events.get();
  ASSERT_FALSE(frames.empty());
  EXPECT_EQ(frames.front().name, "run_started");
  EXPECT_EQ(frames.back().name, "run_finished");
  EXPECT_THAT(Names(frames), ::testing::Contains("document_finished"));
  EXPECT_THAT(Names(frames), ::testing::Contains("step_finished"));
  for (size_t i = 1; i < frames.size(); ++i) EXPECT_EQ(frames[i].id, frames[i - 1].id + 1);
  for (const Frame& f : frames) EXPECT_EQ(f.data["runId"], run_id) << f.name;
  const Frame* finished_doc = nullptr;
  for (const Frame& f : frames)
    if (f.name == "document_finished") finished_doc = &f;
  ASSERT_NE(finished_doc, nullptr);
  EXPECT_EQ(finished_doc->data["result"]["status"], "PASS") << finished_doc->data.dump(2);
  EXPECT_EQ(finished_doc->data["done"], 1);
  EXPECT_EQ(frames.back().data["summary"]["passed"], 1);

  Json state = GetJson("/api/runs/current");
  EXPECT_EQ(state["state"], "finished");
  EXPECT_EQ(state["runId"], run_id);
  EXPECT_EQ(state["totals"]["passed"], 1);

  Json history = GetJson("/api/history");
  ASSERT_EQ(history["runs"].size(), 1u);
  EXPECT_EQ(history["runs"][0]["runId"], run_id);
  EXPECT_EQ(history["runs"][0]["source"], "dashboard");
  Json detail = GetJson("/api/history/" + run_id.substr(0, run_id.size() - 1));
  EXPECT_EQ(detail["runId"], run_id);
  EXPECT_EQ(detail["results"][0]["endpoint"], kSeedEndpoint);

  // The run wrote the recipe's status back; the views read it again.
  Json operations = GetJson("/api/operations?outcome=pass");
  ASSERT_EQ(operations["matched"], 1) << operations.dump(2);
  EXPECT_EQ(operations["operations"][0]["kbStatus"], "verified");
  EXPECT_EQ(operations["operations"][0]["lastRunId"], run_id);
  EXPECT_THAT(fs_.Get(kSeedFile), HasSubstr("status: verified"));
}

TEST_F(ServeTest, AReconnectingStreamGetsOnlyWhatItMissed) {
  Start();
  RunToTheEnd();
  std::vector<Frame> all = ReadEvents("run_finished");
  ASSERT_GE(all.size(), 4u);
  uint64_t seen = all[1].id;
  std::vector<Frame> rest = ReadEvents("run_finished", seen);
  ASSERT_EQ(rest.size(), all.size() - 2);
  EXPECT_EQ(rest.front().id, seen + 1);
  EXPECT_EQ(rest.back().name, "run_finished");
}

TEST_F(ServeTest, RunRequestsAreCheckedAndOnlyOneRunGoesAtATime) {
  Start();
  httplib::Result nothing = Post("/api/runs", Json{{"targets", {"GET /no/such/thing"}}});
  ASSERT_TRUE(nothing);
  EXPECT_EQ(nothing->status, 400);
  EXPECT_EQ(Json::parse(nothing->body)["error"], "BAD_REQUEST");
  httplib::Result bad_limit = Post("/api/runs", Json{{"rateLimit", {{"concurrency", 0}}}});
  ASSERT_TRUE(bad_limit);
  EXPECT_EQ(bad_limit->status, 400);
  EXPECT_THAT(bad_limit->body, HasSubstr("rateLimit.concurrency"));
  httplib::Result bad_json = Client().Post("/api/runs", Csrf(), "{", "application/json");
  ASSERT_TRUE(bad_json);
  EXPECT_EQ(bad_json->status, 400);

  httplib::Result stop = Post("/api/runs/stop");
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->status, 404) << "no run to stop";

  // A run held at its start by the API's rate limit (1 request a minute after the first) stays
  // in progress long enough to be refused a second one, then stops when asked.
  httplib::Result first =
      Post("/api/runs", Json{{"rateLimit", {{"requestsPerSecond", 0.016}, {"concurrency", 1}}}});
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 202) << first->body;
  httplib::Result second = Post("/api/runs");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 409);
  EXPECT_EQ(Json::parse(second->body)["error"], "RUN_IN_PROGRESS");
  EXPECT_EQ(GetJson("/api/runs/current")["state"], "running");
  httplib::Result stopping = Post("/api/runs/stop");
  ASSERT_TRUE(stopping);
  EXPECT_EQ(stopping->status, 200);
  dashboard_->WaitForRun();
  Json history = GetJson("/api/history");
  ASSERT_EQ(history["runs"].size(), 1u);
  EXPECT_EQ(history["runs"][0]["stopped"], true);
}

TEST_F(ServeTest, DocumentsComeAsBlocksOfTextWithTheirTimeline) {
  Start();
  RunToTheEnd();
  Json document = GetJson("/api/documents?file=kb/sales/get-client-package.md");
  EXPECT_EQ(document["endpoint"], kSeedEndpoint);
  EXPECT_EQ(document["markdown"], fs_.Get(kSeedFile));
  ASSERT_TRUE(document["blocks"].is_array());
  bool heading = false, yaml = false;
  for (const Json& b : document["blocks"]) {
    heading = heading || (b["type"] == "heading" && b["text"] == "Prerequisites");
    yaml = yaml || (b["type"] == "code" && b["language"] == "yaml");
  }
  EXPECT_TRUE(heading) << document["blocks"].dump(2);
  EXPECT_TRUE(yaml);
  EXPECT_TRUE(document["operation"].is_null()) << "no spec is loaded";
  ASSERT_EQ(document["timeline"].size(), 1u);
  EXPECT_EQ(document["timeline"][0]["outcome"], "PASS");

  EXPECT_EQ(GetJson("/api/documents?file=../etc/passwd", 404)["error"], "NOT_FOUND");
  EXPECT_EQ(GetJson("/api/documents", 400)["error"], "BAD_REQUEST");
}

TEST_F(ServeTest, TheDiffOfTwoRunsNamesWhatStartedFailing) {
  Start();
  std::string passing = RunToTheEnd();
  // Without the fallback flag the seed's endpoint answers 401 from the primary base.
  fs_.Add(kSeedFile, run::testing::SeedDocument(/*use_fallback=*/false));
  ASSERT_EQ(Post("/api/reload")->status, 200);
  std::string failing = RunToTheEnd();
  Json diff = GetJson("/api/history/diff?from=" + passing + "&to=" + failing);
  ASSERT_EQ(diff["startedFailing"].size(), 1u) << diff.dump(2);
  EXPECT_EQ(diff["startedFailing"][0]["file"], kSeedFile);
  EXPECT_EQ(diff["startedFailing"][0]["before"], "PASS");
  EXPECT_EQ(diff["startedFailing"][0]["after"], "FAIL");
  EXPECT_EQ(diff["startedFailing"][0]["reason"], "AUTH_FAILED");
  EXPECT_TRUE(diff["fixed"].empty());
  Json back = GetJson("/api/history/diff?from=" + failing + "&to=" + passing);
  EXPECT_EQ(back["fixed"].size(), 1u);
  EXPECT_EQ(GetJson("/api/history/diff?from=" + passing, 400)["error"], "BAD_REQUEST");
  EXPECT_EQ(GetJson("/api/history/diff?from=nope&to=" + passing, 404)["error"], "NOT_FOUND");
}

TEST_F(ServeTest, TheBaseUrlScanStreamsItsResultsAndTheQuickFixEditsOnlyKnowledgeBaseFiles) {
  Start();
  auto events = std::async(std::launch::async, [this] { return ReadEvents("scan_finished"); });
  httplib::Result started = Post("/api/scan-fallback");
  ASSERT_TRUE(started);
  ASSERT_EQ(started->status, 202) << started->body;
  std::string scan_id = Json::parse(started->body)["scanId"];
  std::vector<Frame> frames = events.get();
  dashboard_->WaitForRun();
  ASSERT_FALSE(frames.empty());
  EXPECT_EQ(frames.front().name, "scan_started");
  EXPECT_EQ(frames.back().name, "scan_finished");
  const Frame* result = nullptr;
  for (const Frame& f : frames)
    if (f.name == "scan_result") result = &f;
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(result->data["scanId"], scan_id);
  EXPECT_EQ(result->data["result"]["file"], kSeedFile);
  // The seed's world refuses the payments API on the primary base: the flag is still needed.
  EXPECT_EQ(result->data["result"]["recommendation"], "FALLBACK_STILL_NEEDED")
      << result->data.dump(2);
  EXPECT_EQ(frames.back().data["counts"]["FALLBACK_STILL_NEEDED"], 1);
  EXPECT_EQ(GetJson("/api/runs/current")["kind"], "scan");
  EXPECT_EQ(GetJson("/api/history")["runs"].size(), 0u) << "a scan is no run of the recipes";
  std::string before = fs_.Get(kSeedFile);
  EXPECT_THAT(before, HasSubstr("useFallbackApi: true")) << "the scan itself changes nothing";

  httplib::Result fixed =
      Post("/api/scan-fallback/fix", Json{{"files", {kSeedFile, "../../etc/hosts", "kb/none.md"}}});
  ASSERT_TRUE(fixed);
  ASSERT_EQ(fixed->status, 200) << fixed->body;
  Json fix = Json::parse(fixed->body);
  ASSERT_EQ(fix["fixed"].size(), 1u) << fix.dump(2);
  EXPECT_EQ(fix["fixed"][0]["file"], kSeedFile);
  EXPECT_EQ(fix["skipped"].size(), 2u);
  // The frontmatter's flag goes; steps' own `useFallbackApi` lines (their own base) stay.
  EXPECT_EQ(fs_.Get(kSeedFile).find("\nuseFallbackApi: true"), std::string::npos);
  Json operations = GetJson("/api/operations?q=client_packages/%7Buid%7D");
  EXPECT_EQ(operations["operations"][0]["useFallbackApi"], false) << "the views read it again";

  httplib::Result none = Post("/api/scan-fallback");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 400) << "no document sets the flag any more";
  EXPECT_EQ(Post("/api/scan-fallback/fix", Json{{"files", Json::array()}})->status, 400);
}

TEST_F(ServeTest, AScanWhoseFallbackIsThePrimaryIsRefusedNamingBothAndSendsNothing) {
  adjust_config_ = [this](DashboardConfig& config) {
    config.settings.fallback_url = world_.primary_url() + "/";
  };
  Start();
  httplib::Result refused = Post("/api/scan-fallback");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400) << refused->body;
  EXPECT_THAT(refused->body, HasSubstr("is the primary base URL " + world_.primary_url()));
  EXPECT_TRUE(world_.requests().empty());
  EXPECT_EQ(GetJson("/api/runs/current")["state"], "idle");
}

TEST_F(ServeTest, ADocumentLinkedOutOfTheKnowledgeBaseIsRefusedWithoutItsBytes) {
  fs_.Add("/proc/self/environ", "PATH=/bin\nVERITY_TOKEN=CANARYtok7f3e9a1b2c4d5e6f\n");
  fs_.AddLink("kb/clients/env.md", "/proc/self/environ");
  Start();
  httplib::Result answer = Client().Get("/api/documents?file=kb/clients/env.md");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 403) << answer->body;
  EXPECT_EQ(Json::parse(answer->body)["error"], "PATH_OUTSIDE_ROOT");
  EXPECT_THAT(answer->body, ::testing::Not(HasSubstr("CANARY")));
  EXPECT_THAT(answer->body, ::testing::Not(HasSubstr("/proc")));
  // The other documents are served as usual.
  EXPECT_EQ(GetJson("/api/documents?file=kb/sales/get-client-package.md")["file"], kSeedFile);
}

TEST_F(ServeTest, AQuickFixThatCannotBeWrittenListsTheFileWithItsReason) {
  fs_.FailWritesUnder("kb", "No space left on device");
  Start();
  std::string before = fs_.Get(kSeedFile);
  httplib::Result fixed = Post("/api/scan-fallback/fix", Json{{"files", {kSeedFile}}});
  ASSERT_TRUE(fixed);
  ASSERT_EQ(fixed->status, 200) << fixed->body;
  Json fix = Json::parse(fixed->body);
  EXPECT_TRUE(fix["fixed"].empty()) << fix.dump(2);
  ASSERT_EQ(fix["failed"].size(), 1u) << fix.dump(2);
  EXPECT_EQ(fix["failed"][0]["file"], kSeedFile);
  EXPECT_EQ(fix["failed"][0]["reason"], "WRITE_BACK_FAILED");
  EXPECT_THAT(fix["failed"][0]["error"].get<std::string>(), HasSubstr("No space left on device"));
  EXPECT_EQ(fs_.Get(kSeedFile), before);
}

TEST_F(ServeTest, ChangesWithoutTheCsrfHeaderAreRefusedAndChangeNothing) {
  Start();
  for (const char* path : {"/api/runs", "/api/runs/stop", "/api/reload", "/api/session"}) {
    httplib::Result refused = Post(path, Json::object(), {});
    ASSERT_TRUE(refused) << path;
    EXPECT_EQ(refused->status, 403) << path;
    EXPECT_EQ(Json::parse(refused->body)["error"], "CSRF_HEADER_MISSING") << path;
  }
  // A form post from another site carries neither the header nor JSON.
  httplib::Result form =
      Client().Post("/api/runs", "targets=x", "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 403);
  EXPECT_EQ(GetJson("/api/history")["runs"].size(), 0u);
}

TEST_F(ServeTest, WithoutATokenOnlyRequestsAddressedToThisDashboardOnLoopbackAreServed) {
  Start();
  std::string port = std::to_string(server_->port());
  // Names that merely start like a loopback address are other sites' names (DNS rebinding), and
  // a loopback address with another port is another server.
  for (const std::string& host : std::vector<std::string>{
           "attacker.example:8080", "127.attacker.example:" + port, "127.0.0.1.nip.io:" + port,
           "[::1].evil.com:" + port, "127.0.0.1:" + std::to_string(server_->port() + 1),
           "127.0.0.1", "localhost.:" + port, "127.1:" + port, "[::1]:" + port + "x", ""}) {
    httplib::Result refused = Client().Get("/api/health", {{"Host", host}});
    ASSERT_TRUE(refused) << host;
    EXPECT_EQ(refused->status, 403) << host;
    EXPECT_EQ(Json::parse(refused->body)["error"], "HOST_NOT_ALLOWED") << host;
  }
  for (std::string host : {"localhost:" + port, "LocalHost:" + port, "127.0.0.1:" + port,
                           "127.0.0.2:" + port, "[::1]:" + port, "[0:0:0:0:0:0:0:1]:" + port}) {
    httplib::Result ok = Client().Get("/api/health", {{"Host", host}});
    ASSERT_TRUE(ok) << host;
    EXPECT_EQ(ok->status, 200) << host;
  }
}

TEST_F(ServeTest, WithATokenEveryApiRequestNeedsItByHeaderOrSessionCookie) {
  const std::string token = "dashboard-token-0123456789";
  Start(token);
  httplib::Result anonymous = Client().Get("/api/health");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(Json::parse(anonymous->body)["error"], "AUTH_REQUIRED");
  httplib::Result wrong = Client().Get("/api/operations", {{"Authorization", "Bearer nope"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(Json::parse(wrong->body)["error"], "AUTH_INVALID");
  httplib::Result bearer = Client().Get("/api/health", {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(bearer);
  EXPECT_EQ(bearer->status, 200);
  EXPECT_EQ(Json::parse(bearer->body)["authRequired"], true);
  EXPECT_EQ(bearer->body.find(token), std::string::npos);

  httplib::Result bad_login = Post("/api/session", Json{{"token", "guess"}});
  ASSERT_TRUE(bad_login);
  EXPECT_EQ(bad_login->status, 401);
  EXPECT_FALSE(bad_login->has_header("Set-Cookie"));
  httplib::Result login = Post("/api/session", Json{{"token", token}});
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200);
  std::string cookie = login->get_header_value("Set-Cookie");
  EXPECT_THAT(cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(cookie, HasSubstr("SameSite=Strict"));
  EXPECT_THAT(cookie, HasSubstr("Max-Age="));
  EXPECT_EQ(cookie.find(token), std::string::npos) << "the cookie must not carry the token";
  std::string session = cookie.substr(0, cookie.find(';'));
  httplib::Result with_cookie = Client().Get("/api/history", {{"Cookie", "other=1; " + session}});
  ASSERT_TRUE(with_cookie);
  EXPECT_EQ(with_cookie->status, 200);
  // The scheme is case-insensitive.
  httplib::Result lower = Client().Get("/api/health", {{"Authorization", "bearer " + token}});
  ASSERT_TRUE(lower);
  EXPECT_EQ(lower->status, 200);
  // With a token, the Host check gives way: the token is the guard off loopback.
  httplib::Result named = Client().Get(
      "/api/health", {{"Authorization", "Bearer " + token}, {"Host", "dashboard.internal"}});
  ASSERT_TRUE(named);
  EXPECT_EQ(named->status, 200);

  // The page itself holds no data and loads without the token, to ask for it.
  httplib::Result page = Client().Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
}

TEST_F(ServeTest, SigningInAgainGivesANewSessionAndEndsTheOneTheBrowserHeld) {
  const std::string token = "dashboard-token-0123456789";
  Start(token);
  auto sign_in = [&](const std::string& cookie) {
    httplib::Headers headers = Csrf();
    if (!cookie.empty()) headers.emplace("Cookie", cookie);
    httplib::Result login = Post("/api/session", Json{{"token", token}}, headers);
    EXPECT_TRUE(login && login->status == 200);
    std::string set = login ? login->get_header_value("Set-Cookie") : "";
    return set.substr(0, set.find(';'));
  };
  std::string first = sign_in("");
  std::string second = sign_in(first);
  EXPECT_NE(first, second);
  EXPECT_EQ(Client().Get("/api/health", {{"Cookie", first}})->status, 401);
  EXPECT_EQ(Client().Get("/api/health", {{"Cookie", second}})->status, 200);
  // An id the browser was given by someone else (session fixation) is never honoured.
  EXPECT_EQ(
      Client().Get("/api/health", {{"Cookie", "verity_session=" + std::string(64, 'a')}})->status,
      401);
  // Signing out ends it.
  httplib::Headers out = Csrf();
  out.emplace("Cookie", second);
  httplib::Result signed_out = Client().Delete("/api/session", out);
  ASSERT_TRUE(signed_out);
  EXPECT_EQ(signed_out->status, 200);
  EXPECT_EQ(Client().Get("/api/health", {{"Cookie", second}})->status, 401);
}

TEST_F(ServeTest, EveryAnswerCarriesTheSecurityHeadersAndThePageIsBuiltIn) {
  Start();
  for (const char* path : {"/", "/app.js", "/api/health", "/api/nowhere", "/missing.js"}) {
    httplib::Result got = Client().Get(path);
    ASSERT_TRUE(got) << path;
    std::string csp = got->get_header_value("Content-Security-Policy");
    EXPECT_THAT(csp, HasSubstr("default-src 'none'")) << path;
    EXPECT_THAT(csp, HasSubstr("script-src 'self'")) << path;
    EXPECT_THAT(csp, HasSubstr("frame-ancestors 'none'")) << path;
    EXPECT_EQ(got->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_FALSE(got->has_header("Access-Control-Allow-Origin")) << path;
  }
  httplib::Result page = Client().Get("/");
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_THAT(page->body, HasSubstr("<html"));
  httplib::Result script = Client().Get("/app.js");
  EXPECT_EQ(script->status, 200);
  EXPECT_EQ(script->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(Client().Get("/missing.js")->status, 404);
  httplib::Result unknown = Client().Get("/api/nowhere");
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(Json::parse(unknown->body)["error"], "NOT_FOUND");
  httplib::Result unknown_post = Post("/api/nowhere");
  EXPECT_EQ(unknown_post->status, 404);
  EXPECT_EQ(Json::parse(unknown_post->body, nullptr, false)["error"], "NOT_FOUND");
}

TEST_F(ServeTest, NoTokenValueEverReachesAnAnswerOrAnEvent) {
  Start();
  RunToTheEnd();
  std::string everything;
  for (const Frame& f : ReadEvents("run_finished")) everything += f.data.dump();
  for (const char* path : {"/api/health", "/api/operations", "/api/history", "/api/runs/current",
                           "/api/documents?file=kb/sales/get-client-package.md"}) {
    everything += Client().Get(path)->body;
  }
  std::string run_id = GetJson("/api/history")["runs"][0]["runId"];
  everything += Client().Get("/api/history/" + run_id)->body;
  EXPECT_THAT(everything, HasSubstr("Bearer ****"));
  for (const char* secret : {run::testing::kStaffSecret, run::testing::kDirectorySecret}) {
    EXPECT_EQ(everything.find(secret), std::string::npos) << secret;
  }
}

}  // namespace
}  // namespace verity::serve::testing
