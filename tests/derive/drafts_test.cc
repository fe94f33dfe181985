// Drafts with the checks a second run proved: each request built from the spec that passed is
// drafted, its checks kept only when the checked draft, run again as a recipe through a session
// of its own, passes; one whose checks did not hold twice is drafted without them, saying which
// and why. The API is a scripted transport; the knowledge base is a temporary folder.
#include "derive/drafts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "derive/operations.h"
#include "run/executor_fixture.h"
#include "support/paths.h"

namespace verity::derive {
namespace {

using run::testing::Reply;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kSpec = R"(openapi: 3.0.3
info: {title: widgets, version: "1"}
servers: [{url: "https://primary.test"}]
components:
  schemas:
    Widget:
      type: object
      properties: {id: {type: string}, name: {type: string}}
paths:
  /v1/widgets:
    get:
      responses:
        "200":
          description: a page
          content:
            application/json:
              schema:
                type: object
                properties:
                  data:
                    type: object
                    properties:
                      widgets: {type: array, items: {$ref: '#/components/schemas/Widget'}}
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [widget]
              properties:
                widget:
                  type: object
                  required: [name]
                  properties: {name: {type: string, example: Ada}}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema:
                type: object
                properties: {data: {type: object, properties: {widget: {$ref: '#/components/schemas/Widget'}}}}
  /v1/widgets/{widget_id}:
    parameters: [{name: widget_id, in: path, required: true, schema: {type: string}}]
    get:
      responses:
        "200":
          description: one
          content:
            application/json:
              schema:
                type: object
                properties: {data: {type: object, properties: {widget: {$ref: '#/components/schemas/Widget'}}}}
)";

class DraftsTest : public ::testing::Test {
 protected:
  DraftsTest() : root_(dir_.path() + "/kb"), catalog_(std::make_shared<spec::Catalog>(fs_)) {
    std::filesystem::create_directories(root_);
    EXPECT_TRUE(catalog_->AddText("specs/widgets.yaml", kSpec, "widgets"));
    settings_.environment = "test";
    settings_.base_url = run::testing::kPrimary;
    settings_.rate_limit = *run::RateLimitPreset("off");
    settings_.retry.jitter = false;
    transport_.Script("GET", "https://primary.test/v1/widgets",
                      Reply(200, R"({"data":{"widgets":[{"id":"w1","name":"Ada"}]}})"));
    transport_.Script("GET", "https://primary.test/v1/widgets/w1",
                      Reply(200, R"({"data":{"widget":{"id":"w1","name":"Ada"}}})"));
  }

  run::TransportFactory Scripted() {
    return [this](size_t) -> Result<std::unique_ptr<http::Transport>> {
      return std::unique_ptr<http::Transport>(
          std::make_unique<run::testing::ForwardTransport>(transport_));
    };
  }

  // `verity run --all-operations --allow-writes --write-drafts` in small: the first run, healer
  // and all, then the drafts; `meanwhile` happens between the two.
  DraftsWritten RunAndDraft(const std::function<void()>& meanwhile = {}) {
    Result<kb::KnowledgeBase> loaded = kb::LoadKnowledgeBase(fs_, {root_});
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    OperationScope scope;
    scope.allow_writes = true;
    SpecDocuments derived = DeriveMissing(*loaded, *catalog_, scope);
    EXPECT_EQ(derived.documents.size(), 3u);
    for (doc::Document& d : derived.documents) loaded->documents.push_back(std::move(d));
    DeriveOptions derive;
    derive.allow_writes = true;
    auto healer =
        std::make_shared<SpecHealer>(catalog_, derive, derived.recipes, HealSettings{{}, false, 1});
    auto kb = std::make_shared<const kb::KnowledgeBase>(std::move(*loaded));
    run::RunOptions options;
    options.healer = healer;
    auto session = run::Session::Create(settings_, options, kb, catalog_, fs_, clock_, Scripted());
    EXPECT_TRUE(session.ok()) << session.status().ToString();
    first_ = (*session)->Run(*run::MakePlan(*kb, {}));
    for (const run::DocumentResult& d : first_.documents)
      EXPECT_EQ(d.outcome, run::Outcome::kPass) << d.endpoint << ": " << d.message;
    first_requests_ = transport_.requests().size();
    if (meanwhile) meanwhile();
    return WriteDrafts(first_, *healer, *kb, {settings_, options, catalog_, Scripted(), stoppable_},
                       fs_, clock_);
  }

  const Draft& Of(const DraftsWritten& drafts, const std::string& endpoint) {
    for (const Draft& d : drafts.drafts)
      if (d.endpoint == endpoint) return d;
    ADD_FAILURE() << "no draft of " << endpoint;
    return drafts.drafts.front();
  }

  verity::testing::TempDir dir_;
  std::string root_;
  PosixFileSystem fs_;
  FakeClock clock_{1767225600000};  // 2026-01-01T00:00:00Z
  std::shared_ptr<spec::Catalog> catalog_;
  run::RunSettings settings_;
  http::FakeTransport transport_;
  run::RunResult first_;
  size_t first_requests_ = 0;
  std::function<void(std::function<void()>)> stoppable_;
};

TEST_F(DraftsTest, ChecksThatHoldOnTheSecondRunAreWrittenIntoTheDrafts) {
  transport_.Script("POST", "https://primary.test/v1/widgets",
                    Reply(201, R"({"data":{"widget":{"id":"n1","name":"Ada"}}})"));
  DraftsWritten drafts = RunAndDraft();
  EXPECT_TRUE(drafts.ok);
  EXPECT_EQ(drafts.written, 3u);
  EXPECT_EQ(drafts.proved, 3u);
  EXPECT_EQ(transport_.requests().size(), 2 * first_requests_) << "each request sent once more";

  const Draft& list = Of(drafts, "GET /v1/widgets");
  std::string text = verity::testing::ReadFileOrDie(list.file);
  EXPECT_THAT(text, HasSubstr("      status: [200]\n      body:\n"
                              "        - {path: \"$.data.widgets\", not_empty: true}\n"));
  EXPECT_THAT(text, HasSubstr("\nstatus: pending\n")) << "the second run writes nothing back";
  EXPECT_THAT(text, Not(HasSubstr("verifiedAt")));
  EXPECT_THAT(verity::testing::ReadFileOrDie(Of(drafts, "GET /v1/widgets/{widget_id}").file),
              HasSubstr("        - {path: \"$.data.widget.id\", equals: \"{{widget_id}}\"}\n"));
  const Draft& create = Of(drafts, "POST /v1/widgets");
  EXPECT_EQ(create.checks.size(), 1u);
  EXPECT_TRUE(create.dropped.empty());
  EXPECT_THAT(
      verity::testing::ReadFileOrDie(create.file),
      HasSubstr(
          "        - {path: \"$.data.widget.name\", equals: \"{{request.body.widget.name}}\"}\n"));
}

TEST_F(DraftsTest, ADraftWhoseChecksFailOnTheSecondRunIsWrittenWithoutThemAndSaysWhy) {
  // The create stores the name it is sent (in the body's `widget`) the first time only.
  transport_.Script("POST", "https://primary.test/v1/widgets",
                    Reply(201, R"({"data":{"widget":{"id":"n1","name":"Ada"}}})"), 1);
  transport_.Script("POST", "https://primary.test/v1/widgets",
                    Reply(201, R"({"data":{"widget":{"id":"n2","name":"ADA"}}})"));
  DraftsWritten drafts = RunAndDraft();
  EXPECT_TRUE(drafts.ok);
  EXPECT_EQ(drafts.written, 3u);
  const Draft& create = Of(drafts, "POST /v1/widgets");
  EXPECT_TRUE(create.checks.empty());
  ASSERT_EQ(create.dropped.size(), 1u);
  EXPECT_EQ(Describe(create.dropped[0]),
            R"(body $.data.widget.name equals "{{request.body.widget.name}}")");
  EXPECT_THAT(create.dropped_why, HasSubstr("CHECK_FAILED"));
  EXPECT_THAT(create.dropped_why, HasSubstr("\"ADA\""));
  std::string text = verity::testing::ReadFileOrDie(create.file);
  EXPECT_THAT(text, Not(HasSubstr("      body:\n"))) << text;
  EXPECT_THAT(text, HasSubstr("    expect:\n      status: [201]\n```\n"));
  // The others' checks held: they keep them.
  EXPECT_EQ(Of(drafts, "GET /v1/widgets").checks.size(), 1u);
  EXPECT_EQ(Of(drafts, "GET /v1/widgets/{widget_id}").checks.size(), 1u);
}

TEST_F(DraftsTest, AFileThatIsThereAlreadyIsNeitherRunAgainNorOverwritten) {
  transport_.Script("POST", "https://primary.test/v1/widgets",
                    Reply(201, R"({"data":{"widget":{"id":"n1","name":"Ada"}}})"));
  // Written while the run ran (by hand, or by another run).
  DraftsWritten drafts = RunAndDraft([&] {
    std::filesystem::create_directories(root_ + "/widgets");
    dir_.Write("kb/widgets/get_v1_widgets.md", "not a recipe\n");
  });
  const Draft& list = Of(drafts, "GET /v1/widgets");
  EXPECT_TRUE(list.exists) << list.error;
  EXPECT_TRUE(list.file.empty());
  EXPECT_TRUE(list.checks.empty());
  EXPECT_TRUE(drafts.ok) << "a file that is there is no failure";
  EXPECT_EQ(drafts.proved, 2u);
  EXPECT_EQ(verity::testing::ReadFileOrDie(root_ + "/widgets/get_v1_widgets.md"), "not a recipe\n");
}

TEST_F(DraftsTest, AStoppedSecondRunWritesNoDraftWhoseChecksItDidNotProve) {
  transport_.Script("POST", "https://primary.test/v1/widgets",
                    Reply(201, R"({"data":{"widget":{"id":"n1","name":"Ada"}}})"));
  // Stopped as soon as it can be: before it sends anything.
  std::vector<bool> told;
  stoppable_ = [&](std::function<void()> stop) {
    told.push_back(static_cast<bool>(stop));
    if (stop) stop();
  };
  DraftsWritten drafts = RunAndDraft();
  EXPECT_EQ(told, (std::vector<bool>{true, false})) << "told how to stop it, then that it ended";
  EXPECT_EQ(transport_.requests().size(), first_requests_) << "nothing sent again";
  EXPECT_TRUE(drafts.stopped);
  EXPECT_TRUE(drafts.ok) << "a stop is no failure to write";
  EXPECT_EQ(drafts.written, 0u);
  ASSERT_EQ(drafts.drafts.size(), 3u);
  for (const Draft& d : drafts.drafts) {
    EXPECT_TRUE(d.stopped) << d.endpoint;
    EXPECT_TRUE(d.file.empty()) << d.endpoint;
    EXPECT_THAT(d.error, HasSubstr("stopped")) << d.endpoint;
  }
  EXPECT_FALSE(std::filesystem::exists(root_ + "/widgets")) << "no draft file at all";
}

}  // namespace
}  // namespace verity::derive
