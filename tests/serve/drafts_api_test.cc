// `POST /api/runs` with allOperations and writeDrafts (docs/serve.md): each request built from
// the spec that passed becomes a pending recipe in the knowledge base's first folder, written
// after the run through derive/drafts.h as `verity run --write-drafts` writes it; the `drafts`
// event and the run state say what became of each, and a file already there is never replaced.
#include <gmock/gmock.h>

#include <chrono>

#include "serve/serve_fixture.h"

namespace verity::serve::testing {
namespace {

using ::testing::HasSubstr;

// One read of the seed's world that no recipe covers.
constexpr char kPlatformSpec[] = R"({
  "openapi": "3.0.3",
  "info": {"title": "platform", "version": "1"},
  "components": {"securitySchemes": {"staff": {"type": "http", "scheme": "bearer"}}},
  "security": [{"staff": []}],
  "paths": {
    "/platform/v1/payment/packages": {
      "get": {"operationId": "listPackages", "responses": {"200": {"description": "packages"}}}
    },
    "/hold": {
      "get": {"operationId": "hold", "responses": {"200": {"description": "held, then answered"}}}
    }
  }
})";

constexpr char kPackages[] = "GET /platform/v1/payment/packages";
// Its domain is the spec's folder; the name, the conventional one (doc/naming.h).
constexpr char kDraftFile[] = "kb/platform/get_platform_v1_payment_packages.md";

class DraftsApiTest : public ServeTest {
 protected:
  DraftsApiTest() { fs_.Add("specs/platform/platform.json", kPlatformSpec); }

  Json DraftRun() {
    return Json{{"targets", {kPackages}}, {"allOperations", true}, {"writeDrafts", true}};
  }

  // Starts a draft run whose drafts' second run hangs: the packages list answers the first run
  // at once and the second only after Release (or 5 s). Returns once that request waits.
  void StartAndHoldTheSecondRun() {
    world_.HoldAfter("/platform/v1/payment/packages", 1);
    Start("", /*with_spec=*/true);
    httplib::Result started = Post("/api/runs", DraftRun());
    ASSERT_TRUE(started);
    ASSERT_EQ(started->status, 202) << started->body;
    ASSERT_TRUE(world_.AwaitWaiting(1, std::chrono::seconds(20)))
        << "the draft's checks were not sent again";
  }
};

size_t IndexOf(const std::vector<Frame>& frames, const std::string& name) {
  for (size_t i = 0; i < frames.size(); ++i)
    if (frames[i].name == name) return i;
  return frames.size();
}

TEST_F(DraftsApiTest, APassingReadWithoutARecipeIsDraftedAsAPendingRecipe) {
  Start("", /*with_spec=*/true);
  std::string run_id = RunToTheEnd(DraftRun());
  ASSERT_FALSE(run_id.empty());

  std::vector<Frame> frames = ReadEvents("drafts");
  ASSERT_FALSE(frames.empty());
  ASSERT_EQ(frames.back().name, "drafts");
  const Json& event = frames.back().data;
  EXPECT_EQ(event["runId"], run_id);
  EXPECT_EQ(event["written"], 1) << event.dump(2);
  EXPECT_TRUE(event["ok"].get<bool>());
  ASSERT_EQ(event["drafts"].size(), 1u) << event.dump(2);
  const Json& draft = event["drafts"][0];
  EXPECT_EQ(draft["endpoint"], kPackages);
  ASSERT_TRUE(draft["file"].is_string()) << draft.dump(2);
  std::string file = draft["file"];
  EXPECT_EQ(file, kDraftFile);

  Result<std::string> text = fs_.ReadFile(file);
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_THAT(*text, HasSubstr("status: pending"));
  EXPECT_THAT(*text, HasSubstr(kPackages));
  for (const char* secret : {run::testing::kStaffSecret, run::testing::kDirectorySecret}) {
    EXPECT_THAT(*text, ::testing::Not(HasSubstr(secret)));
    EXPECT_THAT(event.dump(), ::testing::Not(HasSubstr(secret)));
  }

  // The state keeps the outcome, and the reload after the run shows the new recipe.
  Json state = GetJson("/api/runs/current");
  EXPECT_EQ(state["state"], "finished");
  EXPECT_EQ(state["drafts"]["drafts"][0]["file"], file);
  Json rows = GetJson("/api/operations?q=payment/packages");
  ASSERT_EQ(rows["matched"], 1) << rows.dump(2);
  EXPECT_EQ(rows["operations"][0]["document"], file);
  EXPECT_EQ(rows["operations"][0]["kbStatus"], "pending");
}

TEST_F(DraftsApiTest, AFileUnderTheConventionalNameIsKeptAndTheDraftNamedBesideIt) {
  constexpr char kNotes[] = "Notes kept by hand, under the name a draft would take.\n";
  fs_.Add(kDraftFile, kNotes);
  Start("", /*with_spec=*/true);
  ASSERT_FALSE(RunToTheEnd(DraftRun()).empty());

  const Json drafts = GetJson("/api/runs/current")["drafts"];
  EXPECT_EQ(drafts["written"], 1) << drafts.dump(2);
  ASSERT_EQ(drafts["drafts"].size(), 1u) << drafts.dump(2);
  EXPECT_NE(drafts["drafts"][0]["file"], kDraftFile);
  Result<std::string> text = fs_.ReadFile(kDraftFile);
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_EQ(*text, kNotes);
}

TEST_F(DraftsApiTest, AStoppedRunWritesNoDraft) {
  Start("", /*with_spec=*/true);
  httplib::Result started = Post(
      "/api/runs",
      Json{{"targets", {kPackages, "GET /hold"}}, {"allOperations", true}, {"writeDrafts", true}});
  ASSERT_TRUE(started);
  ASSERT_EQ(started->status, 202) << started->body;
  // Stopped while the run is going: /hold keeps its request waiting until released.
  ASSERT_EQ(Post("/api/runs/stop")->status, 200);
  world_.Release();
  dashboard_->WaitForRun();

  const Json drafts = GetJson("/api/runs/current")["drafts"];
  EXPECT_EQ(drafts["written"], 0) << drafts.dump(2);
  EXPECT_THAT(drafts["notTried"].get<std::string>(), HasSubstr("stopped"));
  EXPECT_TRUE(drafts["drafts"].empty());
  EXPECT_FALSE(fs_.ReadFile(kDraftFile).ok()) << "no draft of the read that passed";
}

TEST_F(DraftsApiTest, WhileTheDraftsAreWrittenThePhaseIsDraftsAndANewRunIsRefusedSayingSo) {
  StartAndHoldTheSecondRun();
  Json state = GetJson("/api/runs/current");
  EXPECT_EQ(state["state"], "running");
  EXPECT_EQ(state["phase"], "drafts") << state.dump(2);
  httplib::Result refused = Post("/api/runs", DraftRun());
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 409);
  EXPECT_THAT(refused->body, HasSubstr("a run is writing its drafts"));

  world_.Release();
  dashboard_->WaitForRun();
  std::vector<Frame> frames = ReadEvents("drafts");
  size_t finished = IndexOf(frames, "run_finished"), phase = IndexOf(frames, "drafts_started"),
         drafts = IndexOf(frames, "drafts");
  ASSERT_LT(phase, frames.size()) << "no drafts_started event";
  EXPECT_LT(finished, phase);
  EXPECT_LT(phase, drafts);
  EXPECT_EQ(frames[phase].data["runId"], frames[finished].data["runId"]);
  state = GetJson("/api/runs/current");
  EXPECT_EQ(state["state"], "finished");
  EXPECT_TRUE(state["phase"].is_null()) << state.dump(2);
  EXPECT_EQ(state["drafts"]["written"], 1) << state.dump(2);
  EXPECT_EQ(state["drafts"]["drafts"][0]["checks"].size(), 1u) << "the second run proved them";
}

TEST_F(DraftsApiTest, StopReachesTheDraftsSecondRunAndNoUnprovenDraftIsWritten) {
  StartAndHoldTheSecondRun();
  auto asked = std::chrono::steady_clock::now();
  ASSERT_EQ(Post("/api/runs/stop")->status, 200);
  dashboard_->WaitForRun();
  // The held request answers after 5 s, and so does the run's timeout: the stop cut it short.
  EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::seconds(3));

  const Json drafts = GetJson("/api/runs/current")["drafts"];
  EXPECT_EQ(drafts["written"], 0) << drafts.dump(2);
  EXPECT_TRUE(drafts["stopped"].get<bool>());
  EXPECT_TRUE(drafts["ok"].get<bool>()) << "a stop is no failure to write";
  ASSERT_EQ(drafts["drafts"].size(), 1u) << drafts.dump(2);
  const Json& draft = drafts["drafts"][0];
  EXPECT_TRUE(draft["stopped"].get<bool>());
  EXPECT_TRUE(draft["file"].is_null());
  EXPECT_THAT(draft["error"].get<std::string>(), HasSubstr("stopped"));
  EXPECT_FALSE(fs_.ReadFile(kDraftFile).ok()) << "a draft whose checks were not proven";
  EXPECT_EQ(ReadEvents("drafts").back().data, drafts);
}

TEST_F(DraftsApiTest, ARunWithoutWriteDraftsWritesNothing) {
  Start("", /*with_spec=*/true);
  std::string run_id = RunToTheEnd(Json{{"targets", {kPackages}}, {"allOperations", true}});
  ASSERT_FALSE(run_id.empty());
  Json state = GetJson("/api/runs/current");
  EXPECT_TRUE(state["drafts"].is_null()) << state.dump(2);
  Json rows = GetJson("/api/operations?q=payment/packages");
  EXPECT_TRUE(rows["operations"][0]["document"].is_null()) << rows.dump(2);
}

TEST_F(DraftsApiTest, WriteDraftsWithoutAllOperationsIsRefused) {
  Start("", /*with_spec=*/true);
  for (const Json& body : {Json{{"targets", {kSeedEndpoint}}, {"writeDrafts", true}},
                           Json{{"allOperations", true}, {"writeDrafts", "yes"}}}) {
    httplib::Result refused = Post("/api/runs", body);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400) << body.dump() << ": " << refused->body;
  }
  EXPECT_EQ(GetJson("/api/runs/current")["state"], "idle");
  EXPECT_TRUE(world_.requests().empty());
}

}  // namespace
}  // namespace verity::serve::testing
