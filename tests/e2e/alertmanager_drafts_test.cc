// Verity grows a knowledge base for a real API from nothing: the published Swagger 2.0 document of
// Prometheus Alertmanager (from Debian's packages, tests/e2e/alertmanager_server.h) and an empty
// knowledge-base folder. `verity run --all-operations --allow-writes --include-delete
// --write-drafts` calls each operation through a request built from the spec against a fresh
// server on 127.0.0.1, heals the one whose producer finds an empty list, and writes each as a
// recipe; a plain `verity run` of those drafts passes without a byte of them changed; drafting
// again overwrites none of them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/json.h"
#include "e2e/alertmanager_server.h"
#include "support/paths.h"

namespace verity {
namespace {

using testing::Alertmanager;
using testing::FindResult;
using ::testing::HasSubstr;
using testing::RunVerity;
using testing::TempDir;
using testing::VerityExit;

// Every file under `root`, by its path relative to it, with its text.
std::map<std::string, std::string> FilesUnder(const std::string& root) {
  std::map<std::string, std::string> files;
  if (!std::filesystem::exists(root)) return files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    files[std::filesystem::relative(entry.path(), root).string()] =
        testing::ReadFileOrDie(entry.path().string());
  }
  return files;
}

// A recipe's text without the frontmatter lines a passing run records (`status: verified`, a fresh
// `verifiedAt`): what a run may change in a file that it does not rewrite.
std::string WithoutRunRecord(const std::string& text) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    std::string_view line(text.data() + start, end - start);
    if (!line.starts_with("status:") && !line.starts_with("verifiedAt:")) out += line;
    start = end;
  }
  return out;
}

struct VerityRun {
  VerityExit exit;
  Json report;
};

// One server for the suite, four runs against it in order; each test reads one side of them.
struct World {
  TempDir dir;
  Json spec;
  std::optional<Alertmanager> server;
  VerityRun draft, recipes, redraft, all;
  VerityExit lint;
  std::map<std::string, std::string> drafted;    // the knowledge base after the first run
  std::map<std::string, std::string> after_run;  // after the plain run of the drafts
  std::map<std::string, std::string> after_redraft;
  std::map<std::string, std::string> after_all;
  std::string setup_failure;

  std::string kb() const { return dir.path() + "/kb"; }

  VerityRun RunAndReport(std::vector<std::string> args, const std::string& report) {
    // One document at a time: the order is the plan's (resources by path, creates before reads
    // before deletes), the same on every run, so what exists on the server when each operation
    // is called is too.
    args.insert(args.end(), {"--config", "verity.yaml", "--no-history", "--concurrency", "1",
                             "--report-json", report});
    VerityRun run;
    run.exit = RunVerity(dir.path(), std::move(args));
    run.report = Json::parse(testing::SlurpOrEmpty(dir.path() + "/" + report), nullptr, false);
    return run;
  }

  void SetUp() {
    std::optional<std::string> swagger = testing::PublishedAlertmanagerSpec(&setup_failure);
    if (!swagger) return;
    spec = Json::parse(*swagger);
    dir.Write("spec/alertmanager.json", *swagger);
    dir.Write("alertmanager/alertmanager.yml", testing::kAlertmanagerConfig);
    std::filesystem::create_directories(kb());
    server.emplace(dir.path() + "/alertmanager");
    if (!server->Start(&setup_failure)) return;
    dir.Write("verity.yaml", testing::AlertmanagerConfig(server->url(), "spec", kb()));
    const std::vector<std::string> drafting = {"run", "--all-operations", "--allow-writes",
                                               "--include-delete", "--write-drafts"};
    const std::vector<std::string> recipes_only = {"run", "--include-delete", "--no-write-back"};
    draft = RunAndReport(drafting, "draft.json");
    drafted = FilesUnder(kb());
    lint = RunVerity(dir.path(), {"kb", "lint", kb(), "--spec-root", "spec"});
    recipes = RunAndReport(recipes_only, "recipes.json");
    after_run = FilesUnder(kb());
    redraft = RunAndReport(drafting, "redraft.json");
    after_redraft = FilesUnder(kb());
    all = RunAndReport(recipes_only, "all.json");
    after_all = FilesUnder(kb());
    for (const VerityRun* run : {&draft, &recipes, &redraft, &all}) {
      if (!run->report.is_object())
        setup_failure += "a run wrote no JSON report:\n" + run->exit.out + run->exit.err;
    }
  }
};

class AlertmanagerDrafts : public testing::SharedWorldTest<World> {};

constexpr char kGetSilence[] = "GET /api/v2/silence/{silenceID}";
constexpr char kGetSilenceDraft[] = "alertmanager/get_api_v2_silence_silenceid.md";

// The endpoints of a report's results, each with its status, reason and source.
std::map<std::string, std::string> Outcomes(const Json& report) {
  std::map<std::string, std::string> out;
  for (const Json& result : report["results"]) {
    std::string reason = result["details"]["reason"].is_string()
                             ? " " + result["details"]["reason"].get<std::string>()
                             : "";
    out[result["endpoint"]] = result["status"].get<std::string>() + reason + " (" +
                              result["source"].get<std::string>() + ")";
  }
  return out;
}

// Every operation of the spec is built (none is NO_PRODUCER: the one path id, `silenceID`, has a
// list and a create), and every one passes on a fresh server and is drafted. The read of a silence
// by id first takes one from `GET /api/v2/silences`; on a fresh server that list is empty (the read
// runs before anything made a silence), so the heal builds it again with the next producer, the
// create, and that version passes and is the draft. The DELETE of a silence deletes only a silence
// it created itself.
TEST_F(AlertmanagerDrafts, EveryOperationPassesOnAFreshServerAndIsDrafted) {
  const VerityRun& draft = world_->draft;
  EXPECT_EQ(draft.exit.code, 0) << draft.exit.out << draft.exit.err;
  EXPECT_THAT(draft.exit.err, HasSubstr("9 operations without a recipe are called"));
  EXPECT_THAT(draft.exit.err, ::testing::Not(HasSubstr("NO_PRODUCER")));
  std::map<std::string, std::string> expected;
  for (const std::string& endpoint : testing::OperationsOf(world_->spec))
    expected[endpoint] = "PASS (spec)";
  EXPECT_EQ(Outcomes(draft.report), expected);
  const Json* get_silence = FindResult(draft.report, kGetSilence);
  ASSERT_NE(get_silence, nullptr);
  const Json& tries = (*get_silence)["healAttempts"];
  ASSERT_EQ(tries.size(), 2u) << get_silence->dump();
  EXPECT_EQ(tries[0]["change"], "as built");
  EXPECT_EQ(tries[0]["reason"], "PREREQUISITE_FAILED");
  EXPECT_THAT(tries[0]["message"].get<std::string>(), HasSubstr("EXTRACT_MISS"));
  EXPECT_EQ(tries[1]["change"], "another producer than GET /api/v2/silences");
  EXPECT_EQ(tries[1]["status"], "PASS");
  const Json* create = testing::FindStep(*get_silence, "create_silenceID");
  ASSERT_NE(create, nullptr) << "the result's steps are the passing try's";
  EXPECT_EQ((*create)["request"]["method"], "POST");
  const std::string& read = world_->drafted[kGetSilenceDraft];
  EXPECT_THAT(read, HasSubstr("    method: POST\n    path: \"/api/v2/silences\"\n"));
  EXPECT_THAT(read, HasSubstr("## Cleanup")) << "what the draft creates, it deletes";

  std::set<std::string> files;
  for (const auto& [file, text] : world_->drafted) {
    files.insert(file);
    EXPECT_THAT(text, HasSubstr("\nstatus: pending\n")) << file;
  }
  EXPECT_EQ(
      files,
      (std::set<std::string>{
          "alertmanager/delete_api_v2_silence_silenceid.md", "alertmanager/get_api_v2_alerts.md",
          "alertmanager/get_api_v2_alerts_groups.md", "alertmanager/get_api_v2_receivers.md",
          "alertmanager/get_api_v2_silence_silenceid.md", "alertmanager/get_api_v2_silences.md",
          "alertmanager/get_api_v2_status.md", "alertmanager/post_api_v2_alerts.md",
          "alertmanager/post_api_v2_silences.md"}));
  EXPECT_THAT(draft.exit.out, HasSubstr("9 drafts written (status: pending)"));
  // The drafts are knowledge-base documents like any other: lint finds nothing in them.
  EXPECT_EQ(world_->lint.code, 0) << world_->lint.out << world_->lint.err;
  EXPECT_THAT(world_->lint.out, HasSubstr("0 errors, 0 warnings"));
}

// What the real server refused a request made from the spec alone for, the drafts send: a window
// of time ahead of the run (Alertmanager refuses an empty one, and one that has ended), labels
// that are not empty, and a DELETE of a silence the recipe made.
TEST_F(AlertmanagerDrafts, TheDraftsSendWhatTheServerAccepts) {
  const std::string& silences = world_->drafted["alertmanager/post_api_v2_silences.md"];
  EXPECT_THAT(silences, HasSubstr("\"startsAt\":\"{{future_datetime}}\""));
  EXPECT_THAT(silences, HasSubstr("\"endsAt\":\"{{future_datetime_48h}}\""));
  EXPECT_THAT(world_->drafted["alertmanager/post_api_v2_alerts.md"],
              HasSubstr("body: [{\"labels\":{\"key\":\"key\"}}]"));
  const std::string& expire = world_->drafted["alertmanager/delete_api_v2_silence_silenceid.md"];
  EXPECT_THAT(expire, HasSubstr("    method: POST\n    path: \"/api/v2/silences\"\n"));
  EXPECT_THAT(expire, ::testing::Not(HasSubstr("method: GET")));
}

TEST_F(AlertmanagerDrafts, EachDraftPassesAsARecipeWithoutAByteChanged) {
  const VerityRun& recipes = world_->recipes;
  EXPECT_EQ(recipes.exit.code, 0) << recipes.exit.out << recipes.exit.err;
  std::map<std::string, std::string> expected;
  for (const std::string& endpoint : testing::OperationsOf(world_->spec))
    expected[endpoint] = "PASS (recipe)";
  EXPECT_EQ(Outcomes(recipes.report), expected);
  EXPECT_EQ(world_->after_run, world_->drafted);
}

// Drafting again writes nothing: every endpoint has its draft, which runs as a recipe and is not
// written again; only the lines a passing run records in it (`status: verified`, `verifiedAt`)
// changed. The plain run after it passes too, and changes nothing.
TEST_F(AlertmanagerDrafts, DraftingAgainOverwritesNothing) {
  const VerityRun& redraft = world_->redraft;
  EXPECT_EQ(redraft.exit.code, 0) << redraft.exit.out << redraft.exit.err;
  std::map<std::string, std::string> expected;
  for (const std::string& endpoint : testing::OperationsOf(world_->spec))
    expected[endpoint] = "PASS (recipe)";
  EXPECT_EQ(Outcomes(redraft.report), expected);
  EXPECT_THAT(redraft.exit.out, HasSubstr("0 drafts written (status: pending)"));

  std::map<std::string, std::string> before = world_->drafted;
  std::map<std::string, std::string> after = world_->after_redraft;
  ASSERT_EQ(before.size(), after.size());
  for (auto& [file, text] : after) {
    EXPECT_THAT(text, HasSubstr("\nstatus: verified\n")) << file;
    EXPECT_EQ(WithoutRunRecord(text), WithoutRunRecord(before[file])) << file;
  }
  EXPECT_EQ(world_->all.exit.code, 0) << world_->all.exit.out << world_->all.exit.err;
  EXPECT_EQ(Outcomes(world_->all.report), expected);
  EXPECT_EQ(world_->after_all, world_->after_redraft);
}

}  // namespace
}  // namespace verity
