// `verity kb` and `verity run` on a real disk holding symbolic links: a document that leads out of
// the knowledge base (to /proc/self/environ, to a file outside, through `..`) is reported with
// PATH_OUTSIDE_ROOT and never read or written; the others work as usual.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <sstream>

#include "base/json.h"
#include "cli/cli.h"
#include "run/executor_fixture.h"
#include "run/seed_world_server.h"
#include "support/paths.h"

namespace verity::cli {
namespace {

namespace stdfs = std::filesystem;
using run::testing::kDirectorySecret;
using run::testing::kPackagesRecipe;
using run::testing::kStaffSecret;

constexpr char kCanary[] = "CANARYtok7f3e9a1b2c4d5e6f";

class ConfinementCliTest : public ::testing::Test {
 protected:
  ConfinementCliTest() : clock_(1767225600000) {
    ::setenv("VERITY_CONFINEMENT_CANARY", kCanary, 1);
    doc_ = dir_.Write("kb/sales/GET_packages.md", kPackagesRecipe);
    victim_ = outside_.Write("victim.md", std::string(kPackagesRecipe) + "\n" + kCanary + "\n");
  }
  ~ConfinementCliTest() override { ::unsetenv("VERITY_CONFINEMENT_CANARY"); }

  std::string kb() const { return dir_.path() + "/kb"; }
  void Link(const std::string& target, const std::string& link) {
    stdfs::create_directories(stdfs::path(link).parent_path());
    stdfs::create_symlink(target, link);
  }
  int Run(std::vector<std::string> args) {
    out_.str(""), err_.str("");
    Context ctx{out_, err_, fs_, clock_};
    ctx.env = [](const std::string& name) -> std::optional<std::string> {
      if (name == "VERITY_STAFF_TOKEN") return std::string(kStaffSecret);
      return std::nullopt;
    };
    return cli::Run(args, ctx);
  }
  std::string Output() const { return out_.str() + err_.str(); }

  testing::TempDir dir_, outside_;
  std::string doc_, victim_;
  PosixFileSystem fs_;
  FakeClock clock_;
  std::ostringstream out_, err_;
};

TEST_F(ConfinementCliTest, KbShowRefusesALinkToTheProcessEnvironment) {
  Link("/proc/self/environ", kb() + "/clients/env.md");
  EXPECT_EQ(Run({"kb", "show", kb() + "/clients/env.md", "--json"}), 1);
  EXPECT_NE(out_.str().find("PATH_OUTSIDE_ROOT"), std::string::npos) << Output();
  EXPECT_EQ(Output().find(kCanary), std::string::npos) << Output();
  EXPECT_EQ(Run({"kb", "show", kb() + "/clients/env.md"}), 1);
  EXPECT_NE(out_.str().find("env.md:1:1: error:"), std::string::npos) << Output();
  EXPECT_EQ(Output().find(kCanary), std::string::npos);
}

TEST_F(ConfinementCliTest, KbLintReportsEachLinkOutAtOneOneAndChecksTheRest) {
  Link("/proc/self/environ", kb() + "/clients/env.md");
  Link(victim_, kb() + "/clients/victim.md");
  Link("../../../" + stdfs::path(outside_.path()).filename().string() + "/victim.md",
       kb() + "/clients/dotdot.md");
  Link(outside_.path(), kb() + "/linked");
  EXPECT_EQ(Run({"kb", "lint", kb(), "--format", "json"}), 1);
  Json diagnostics = Json::parse(out_.str());
  std::set<std::string> refused;
  for (const Json& d : diagnostics) {
    if (d["code"] == "PATH_OUTSIDE_ROOT") {
      refused.insert(stdfs::path(d["file"].get<std::string>()).filename());
      EXPECT_EQ(d["line"], 1);
      EXPECT_EQ(d["col"], 1);
    }
  }
  EXPECT_EQ(refused, (std::set<std::string>{"env.md", "victim.md", "dotdot.md"}))
      << diagnostics.dump(2);
  EXPECT_EQ(Output().find(kCanary), std::string::npos);
  EXPECT_EQ(Output().find("linked/victim.md"), std::string::npos) << "a linked folder is skipped";
}

TEST_F(ConfinementCliTest, KbLsListsWithoutReadingTheTargets) {
  Link("/proc/self/environ", kb() + "/clients/env.md");
  Link(victim_, kb() + "/clients/victim.md");
  EXPECT_EQ(Run({"kb", "ls", kb(), "--json"}), 0) << Output();
  EXPECT_EQ(Output().find(kCanary), std::string::npos);
  Json listed = Json::parse(out_.str());
  size_t with_endpoint = 0;
  for (const Json& d : listed) with_endpoint += !d["endpoint"].get<std::string>().empty();
  EXPECT_EQ(listed.size(), 3u) << listed.dump(2);
  EXPECT_EQ(with_endpoint, 1u) << "only the real document was read: " << listed.dump(2);
}

TEST_F(ConfinementCliTest, KbSetThroughALinkOutIsRefusedAndTheTargetKeepsItsBytes) {
  Link(victim_, kb() + "/clients/victim.md");
  std::string before = testing::ReadFileOrDie(victim_);
  EXPECT_EQ(Run({"kb", "set", kb() + "/clients/victim.md", "status=verified"}), 1);
  EXPECT_NE(err_.str().find("leads outside"), std::string::npos) << Output();
  EXPECT_EQ(testing::ReadFileOrDie(victim_), before);
  EXPECT_TRUE(stdfs::is_symlink(kb() + "/clients/victim.md"));
}

TEST_F(ConfinementCliTest, KbSetThroughALinkInItsFolderWritesTheTargetAndKeepsTheLink) {
  Link("GET_packages.md", kb() + "/sales/alias.md");
  EXPECT_EQ(Run({"kb", "set", kb() + "/sales/alias.md", "status=verified"}), 0) << Output();
  EXPECT_TRUE(stdfs::is_symlink(kb() + "/sales/alias.md"));
  EXPECT_NE(testing::ReadFileOrDie(doc_).find("status: verified"), std::string::npos);
}

TEST_F(ConfinementCliTest, KbIndexDoesNotWriteThroughALinkOut) {
  Link(victim_, kb() + "/index.json");
  std::string before = testing::ReadFileOrDie(victim_);
  EXPECT_EQ(Run({"kb", "index", kb()}), 1) << Output();
  EXPECT_EQ(testing::ReadFileOrDie(victim_), before);
}

TEST_F(ConfinementCliTest, KbNewDoesNotCreateADocumentThroughADomainLinkedOut) {
  Link(outside_.path(), kb() + "/clients");
  EXPECT_EQ(Run({"kb", "new", "GET /platform/v1/clients", "--domain", "clients", "--kb", kb()}), 1)
      << Output();
  EXPECT_EQ(std::distance(stdfs::directory_iterator(outside_.path()), stdfs::directory_iterator()),
            1)
      << "only victim.md";
}

TEST_F(ConfinementCliTest, RunNeverReadsNorWritesALinkOutAndStillRunsTheRest) {
  run::testing::SeedWorldServer world(kStaffSecret, kDirectorySecret);
  Link(victim_, kb() + "/clients/victim.md");
  Link("/proc/self/environ", kb() + "/clients/env.md");
  std::string victim_before = testing::ReadFileOrDie(victim_);
  std::string report = dir_.path() + "/out/report.json";
  int code = Run({"run", "--kb", kb(), "--base-url", world.primary_url(), "--token-env",
                  "staff=VERITY_STAFF_TOKEN", "--rate-limit", "off", "--no-history",
                  "--report-json", report});
  EXPECT_EQ(code, 1) << "the two links are invalid documents: " << Output();
  EXPECT_EQ(Output().find(kCanary), std::string::npos);
  EXPECT_EQ(testing::ReadFileOrDie(victim_), victim_before);
  EXPECT_EQ(testing::ReadFileOrDie(report).find(kCanary), std::string::npos);
  Json json = Json::parse(testing::ReadFileOrDie(report));
  EXPECT_EQ(json["summary"]["writeBackFailed"], 0) << "nothing to record in a file never read";
  EXPECT_NE(testing::ReadFileOrDie(doc_).find("status: verified"), std::string::npos);
}

}  // namespace
}  // namespace verity::cli
