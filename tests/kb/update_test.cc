#include "kb/update.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <thread>

#include "doc/parser.h"
#include "kb/lint.h"
#include "support/memory_file_system.h"
#include "support/paths.h"

namespace verity::kb {
namespace {

using ::testing::HasSubstr;
using testing::MemoryFileSystem;
using testing::ReadFileOrDie;
using testing::SharedPath;
using testing::TempDir;

const char kDoc[] =
    "---\nendpoint: \"GET /a\"\ndomain: sales\nstatus: pending\ntimesReused: 0\n---\n# A\n";

TEST(UpdateDocument, WritesThroughTheFileSystemAndLeavesNoTemporaryFiles) {
  TempDir dir;
  std::string path = dir.Write("sales/get_a.md", kDoc);
  ::chmod(path.c_str(), 0640);
  PosixFileSystem fs;
  Result<bool> changed =
      UpdateDocumentFields(fs, path, PathRoots::Anywhere(), {{"status", "verified"}});
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_TRUE(*changed);
  EXPECT_EQ(
      "---\nendpoint: \"GET /a\"\ndomain: sales\nstatus: verified\ntimesReused: 0\n---\n# A\n",
      ReadFileOrDie(path));
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir.path() + "/sales"))
    names.push_back(e.path().filename().string());
  EXPECT_EQ(std::vector<std::string>{"get_a.md"}, names);
  struct stat st;
  ASSERT_EQ(0, ::stat(path.c_str(), &st));
  EXPECT_EQ(0640u, st.st_mode & 0777);
}

TEST(UpdateDocument, DoesNotRewriteAFileWhenNothingChanges) {
  MemoryFileSystem fs;
  fs.Add("kb/sales/get_a.md", kDoc);
  Result<bool> changed =
      UpdateDocumentFields(fs, "kb/sales/get_a.md", PathRoots::Anywhere(), {{"status", "pending"}});
  ASSERT_TRUE(changed.ok());
  EXPECT_FALSE(*changed);
  EXPECT_TRUE(fs.writes().empty());
}

TEST(UpdateDocument, LeavesTheFileUntouchedWhenAValueIsRefused) {
  MemoryFileSystem fs;
  fs.Add("kb/sales/get_a.md", kDoc);
  Result<bool> r = UpdateDocumentFields(fs, "kb/sales/get_a.md", PathRoots::Anywhere(),
                                        {{"status", "verified"}, {"timesReused", "x"}});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(kDoc, fs.Get("kb/sales/get_a.md"));
  EXPECT_TRUE(fs.writes().empty());
}

// Each writer sets its own fields; without the folder lock, a writer that read the file before
// the other one wrote would write back the old text and erase the other's field.
TEST(UpdateDocument, ConcurrentWritersOfDifferentFieldsLoseNoUpdate) {
  TempDir dir;
  std::string path = dir.Write("sales/get_a.md", kDoc);
  constexpr int kWriters = 4, kFieldsEach = 25;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      PosixFileSystem fs;  // separate open file descriptions, as separate processes have
      for (int i = 0; i < kFieldsEach; ++i) {
        Result<bool> r = UpdateDocumentFields(fs, path, PathRoots::Anywhere(),
                                              {{fmt::format("w{}f{}", w, i), "x"}});
        ASSERT_TRUE(r.ok()) << r.status().ToString();
      }
    });
  }
  for (std::thread& t : writers) t.join();
  doc::Document d = doc::ParseDocument(ReadFileOrDie(path), path);
  EXPECT_FALSE(d.has_errors());
  EXPECT_EQ(4u + kWriters * kFieldsEach, d.frontmatter.fields.size());
}

TEST(UpdateDocument, ReadModifyWriteIncrementsAreNotLost) {
  TempDir dir;
  std::string path = dir.Write("sales/get_a.md", kDoc);
  auto increment = [](const std::string& text) -> Result<std::vector<doc::FieldUpdate>> {
    doc::Document d = doc::ParseDocument(text, "");
    return std::vector<doc::FieldUpdate>{
        {"timesReused", std::to_string(d.frontmatter.times_reused.value_or(0) + 1)}};
  };
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w)
    writers.emplace_back([&] {
      PosixFileSystem fs;
      for (int i = 0; i < 25; ++i)
        ASSERT_TRUE(UpdateDocumentWith(fs, path, PathRoots::Anywhere(), increment).ok());
    });
  for (std::thread& t : writers) t.join();
  EXPECT_EQ(100, doc::ParseDocument(ReadFileOrDie(path), path).frontmatter.times_reused);
}

TEST(CreateDocument, WritesALintCleanDocumentAtTheConventionalPath) {
  MemoryFileSystem fs;
  fs.CreateDirectories("kb").ok();
  FakeClock clock(1764000000000);  // 2025-11-24T16:00:00Z
  doc::ScaffoldOptions o;
  o.endpoint = "post /platform/v1/clients";
  o.domain = "clients";
  Result<std::string> file = CreateDocument(fs, "kb", o, clock);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ("kb/clients/post_platform_v1_clients.md", *file);
  std::string text = fs.Get(*file);
  doc::Document d = doc::ParseDocument(text, *file);
  std::vector<doc::Diagnostic> diags = d.diagnostics;
  LintDocument(d, "kb", LintOptions{}, &diags);
  EXPECT_TRUE(diags.empty()) << doc::FormatDiagnostic(diags.front());
  EXPECT_EQ("POST /platform/v1/clients", d.frontmatter.endpoint);
  EXPECT_EQ(doc::WorkflowStatus::kPending, d.frontmatter.status);
  EXPECT_EQ("2025-11-24T16:00:00.000Z", d.frontmatter.saved_at->text);
  EXPECT_EQ("Create Clients", d.title.value_or(""));
  ASSERT_EQ(1u, d.StepsIn(doc::SectionKind::kTestRequest).size());
  EXPECT_EQ((std::vector<int>{200, 201}), d.steps[0].expect_status);
}

// The scaffold's expect holds an empty list of checks and, in a comment, one check written out;
// the comment is a real check: uncommented, it parses as one.
TEST(CreateDocument, ScaffoldsAnEmptyBodyCheckListWhoseCommentedExampleParsesAsACheck) {
  MemoryFileSystem fs;
  fs.CreateDirectories("kb").ok();
  FakeClock clock(0);
  doc::ScaffoldOptions o{"GET /platform/v1/clients", "clients", {}, "staff", "", 0};
  Result<std::string> file = CreateDocument(fs, "kb", o, clock);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  std::string text = fs.Get(*file);
  EXPECT_THAT(text, HasSubstr("      body: []\n"));
  doc::Document d = doc::ParseDocument(text, *file);
  ASSERT_EQ(1u, d.steps.size());
  EXPECT_TRUE(d.steps[0].checks.empty());

  std::string example = "      #   - {path: \"$.data.id\", exists: true}\n";
  size_t at = text.find(example);
  ASSERT_NE(std::string::npos, at) << text;
  text.replace(at, example.size(), "");
  size_t list = text.find("      body: []\n");
  text.replace(list, std::string("      body: []\n").size(),
               "      body:\n        - {path: \"$.data.id\", exists: true}\n");
  doc::Document uncommented = doc::ParseDocument(text, *file);
  EXPECT_TRUE(uncommented.diagnostics.empty())
      << doc::FormatDiagnostic(uncommented.diagnostics.front());
  ASSERT_EQ(1u, uncommented.steps.size());
  ASSERT_EQ(1u, uncommented.steps[0].checks.size());
  EXPECT_EQ("$.data.id", uncommented.steps[0].checks[0].target);
  EXPECT_EQ("exists", uncommented.steps[0].checks[0].op);
}

TEST(CreateDocument, TurnsPathParametersIntoPlaceholders) {
  MemoryFileSystem fs;
  fs.CreateDirectories("kb").ok();
  FakeClock clock(0);
  doc::ScaffoldOptions o{
      "GET /business/payments/v1/client_packages/{uid}", "sales", {}, "staff", "", 0};
  Result<std::string> file = CreateDocument(fs, "kb", o, clock);
  ASSERT_TRUE(file.ok());
  doc::Document d = doc::ParseDocument(fs.Get(*file), *file);
  ASSERT_EQ(1u, d.steps.size());
  EXPECT_EQ("/business/payments/v1/client_packages/{{uid}}", d.steps[0].path);
  EXPECT_EQ("uid", d.steps[0].refs.at(0).name);
}

TEST(CreateDocument, RefusesAnEndpointTheKnowledgeBaseAlreadyDocuments) {
  MemoryFileSystem fs;
  fs.Add("kb/sales/other_name.md", ReadFileOrDie(SharedPath("seed/000_11cb7a21dc1c2995.txt")));
  FakeClock clock(0);
  doc::ScaffoldOptions o{
      "GET /business/payments/v1/client_packages/{uid}", "sales", {}, "staff", "", 0};
  Result<std::string> file = CreateDocument(fs, "kb", o, clock);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(StatusCode::kAlreadyExists, file.status().code());
  EXPECT_EQ(
      "GET /business/payments/v1/client_packages/{uid} is already documented in "
      "kb/sales/other_name.md",
      file.status().message());
}

TEST(CreateDocument, NeverOverwritesAnExistingFile) {
  TempDir dir;
  std::string existing = dir.Write("sales/get_a.md", "not a workflow, but mine\n");
  PosixFileSystem fs;
  FakeClock clock(0);
  doc::ScaffoldOptions o{"GET /a", "sales", {}, "staff", "", 0};
  Result<std::string> file = CreateDocument(fs, dir.path(), o, clock);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(StatusCode::kAlreadyExists, file.status().code());
  EXPECT_EQ("not a workflow, but mine\n", ReadFileOrDie(existing));
}

TEST(CreateDocument, RejectsMalformedEndpointsAndDomains) {
  MemoryFileSystem fs;
  fs.CreateDirectories("kb").ok();
  FakeClock clock(0);
  EXPECT_EQ(
      StatusCode::kInvalidArgument,
      CreateDocument(fs, "kb", {"FETCH /a", "sales", {}, "staff", "", 0}, clock).status().code());
  EXPECT_EQ(
      StatusCode::kInvalidArgument,
      CreateDocument(fs, "kb", {"GET a", "sales", {}, "staff", "", 0}, clock).status().code());
  EXPECT_EQ(
      StatusCode::kInvalidArgument,
      CreateDocument(fs, "kb", {"GET /a", "../x", {}, "staff", "", 0}, clock).status().code());
}

}  // namespace
}  // namespace verity::kb
