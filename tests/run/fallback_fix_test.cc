// The base-URL scan's quick fix, byte for byte: a fixed document is the same text minus exactly
// the flag's lines (frontmatter `useFallbackApi: true`, step `useFallback: true`, the notice and
// one blank line after it), written atomically, only for documents of the knowledge base.
#include <gtest/gtest.h>

#include <set>

#include "base/file_system.h"
#include "doc/parser.h"
#include "doc/writeback.h"
#include "kb/knowledge_base.h"
#include "run/kb_writeback.h"
#include "support/memory_file_system.h"
#include "support/paths.h"

namespace verity::run {
namespace {

using verity::testing::MemoryFileSystem;
using verity::testing::ReadFileOrDie;
using verity::testing::SharedPath;

const char kClientPackage[] =
    "corpus/vcita/workflows/sales/get_business_payments_v1_client_packages_uid.md";
const char kWaitlist[] =
    "corpus/vcita/workflows/scheduling/post_platform_v1_scheduling_waitlist.md";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

std::string Without(const std::vector<std::string>& lines, const std::set<size_t>& dropped) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!dropped.contains(i)) out += lines[i];
  }
  return out;
}

size_t IndexOf(const std::vector<std::string>& lines, const std::string& prefix, size_t from = 0) {
  for (size_t i = from; i < lines.size(); ++i) {
    if (lines[i].starts_with(prefix)) return i;
  }
  ADD_FAILURE() << "no line starts with " << prefix;
  return lines.size();
}

// No corpus document has all three shapes (only one has a step `useFallback: true`, and it does
// not set the document's flag), so the client-package recipe, which has the frontmatter flag, the
// two-line notice and three step `useFallbackApi: true` lines, gets a `useFallback: true` step
// line of the older spelling.
std::string ClientPackageWithAllThreeShapes() {
  std::string text = ReadFileOrDie(SharedPath(kClientPackage));
  size_t at = text.find("    token: staff\n");
  EXPECT_NE(at, std::string::npos);
  text.insert(at + 17, "    useFallback: true\n");
  return text;
}

kb::KnowledgeBase KbOf(const MemoryFileSystem& fs, const std::vector<std::string>& files) {
  kb::KnowledgeBase kb;
  kb.roots = {"kb"};
  kb.confinement = PathRoots::OfRealPaths({"kb"});
  for (const std::string& f : files) kb.documents.push_back(doc::ParseDocument(fs.Get(f), f));
  return kb;
}

TEST(FallbackFixTest, RemovesExactlyTheFlagTheStepFlagAndTheNoticeFromACorpusDocument) {
  std::string original = ClientPackageWithAllThreeShapes();
  MemoryFileSystem fs;
  fs.Add("kb/sales/client_package.md", original);
  kb::KnowledgeBase kb = KbOf(fs, {"kb/sales/client_package.md"});

  std::vector<std::string> lines = Lines(original);
  size_t flag = IndexOf(lines, "useFallbackApi: true");
  size_t notice = IndexOf(lines, "> **Fallback API Required**");
  size_t step_flag = IndexOf(lines, "    useFallback: true");
  ASSERT_TRUE(lines[notice + 1].starts_with("> This endpoint must use the fallback API URL."));
  ASSERT_EQ(lines[notice + 2], "\n");
  std::string expected = Without(lines, {flag, notice, notice + 1, notice + 2, step_flag});

  FallbackFix fix = RemoveFallbackFlags(fs, kb, {"kb/sales/client_package.md"});
  ASSERT_EQ(fix.fixed.size(), 1u);
  EXPECT_TRUE(fix.skipped.empty());
  EXPECT_EQ(fs.Get("kb/sales/client_package.md"), expected);
  EXPECT_EQ(fix.fixed[0].removed,
            (std::vector<std::string>{"useFallbackApi: true", "> **Fallback API Required**",
                                      lines[notice + 1].substr(0, lines[notice + 1].size() - 1), "",
                                      "    useFallback: true"}));
  // The steps' own useFallbackApi lines stay: they name their step's base.
  doc::Document after = doc::ParseDocument(fs.Get("kb/sales/client_package.md"), "after.md");
  EXPECT_FALSE(after.frontmatter.use_fallback_api.has_value());
  size_t step_api_flags = 0;
  for (const std::string& line : Lines(fs.Get("kb/sales/client_package.md")))
    step_api_flags += line == "    useFallbackApi: true\n" ? 1 : 0;
  EXPECT_EQ(step_api_flags, 2u);
}

TEST(FallbackFixTest, RemovesTheBareNoticeAndKeepsCrlfLineEnds) {
  std::string lf = ReadFileOrDie(SharedPath(kWaitlist));
  std::vector<std::string> lines = Lines(lf);
  size_t flag = IndexOf(lines, "useFallbackApi: true");
  size_t notice = IndexOf(lines, "> ⚠️ Fallback API Required");
  std::string expected_lf = Without(lines, {flag, notice, notice + 1});
  auto crlf = [](const std::string& text) {
    std::string out;
    for (char c : text) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
    return out;
  };
  auto removal = doc::RemoveFallbackFlag(crlf(lf));
  ASSERT_TRUE(removal.ok()) << removal.status().ToString();
  EXPECT_EQ(removal->text, crlf(expected_lf));
  EXPECT_EQ(removal->removed.size(), 3u);
}

TEST(FallbackFixTest, EveryFlaggedCorpusDocumentLosesOnlyFlagNoticeAndBlankLines) {
  Result<std::vector<std::string>> files =
      PosixFileSystem().ListFiles(SharedPath("corpus/vcita/workflows"));
  ASSERT_TRUE(files.ok());
  size_t fixed = 0;
  for (const std::string& file : *files) {
    if (!file.ends_with(".md")) continue;
    std::string text = ReadFileOrDie(file);
    doc::Document before = doc::ParseDocument(text, file);
    if (!before.frontmatter.use_fallback_api.value_or(false)) continue;
    auto removal = doc::RemoveFallbackFlag(text);
    ASSERT_TRUE(removal.ok()) << file << ": " << removal.status().ToString();
    ++fixed;
    for (const std::string& line : removal->removed) {
      bool known = line == "useFallbackApi: true" || line.find("useFallback: true") != line.npos ||
                   line.starts_with(">") || line.empty();
      EXPECT_TRUE(known) << file << ": removed " << line;
    }
    doc::Document after = doc::ParseDocument(removal->text, file);
    EXPECT_FALSE(after.frontmatter.use_fallback_api.value_or(false)) << file;
    EXPECT_EQ(after.steps.size(), before.steps.size()) << file;
    EXPECT_EQ(removal->text.find("> ⚠️ Fallback API Required"), std::string::npos) << file;
    EXPECT_EQ(removal->text.find("> **Fallback API Required**"), std::string::npos) << file;
  }
  EXPECT_EQ(fixed, 46u);  // every document of the corpus that sets the flag
}

TEST(FallbackFixTest, SkipsDocumentsWithoutTheFlagAndFilesOutsideTheKnowledgeBase) {
  MemoryFileSystem fs;
  std::string plain = "---\nendpoint: \"GET /x\"\ndomain: d\n---\n\n# X\n";
  fs.Add("kb/plain.md", plain);
  fs.Add("notes/other.md", "---\nendpoint: \"GET /y\"\nuseFallbackApi: true\n---\n");
  kb::KnowledgeBase kb = KbOf(fs, {"kb/plain.md"});
  FallbackFix fix = RemoveFallbackFlags(fs, kb, {"kb/plain.md", "notes/other.md"});
  EXPECT_TRUE(fix.fixed.empty());
  ASSERT_EQ(fix.skipped.size(), 2u);
  EXPECT_EQ(fix.skipped[0].reason, "useFallbackApi not set");
  EXPECT_TRUE(fix.failed.empty());
  EXPECT_EQ(fix.skipped[1].reason, "not a knowledge-base document");
  EXPECT_EQ(fs.Get("kb/plain.md"), plain);
  EXPECT_TRUE(fs.writes().empty());
}

TEST(FallbackFixTest, AWriteFailureIsReportedAsFailedWithItsMessage) {
  MemoryFileSystem fs;
  fs.FailWritesUnder("kb", "Read-only file system");
  std::string original = ClientPackageWithAllThreeShapes();
  fs.Add("kb/a.md", original);
  kb::KnowledgeBase kb = KbOf(fs, {"kb/a.md"});
  FallbackFix fix = RemoveFallbackFlags(fs, kb, {"kb/a.md"});
  EXPECT_TRUE(fix.fixed.empty());
  EXPECT_TRUE(fix.skipped.empty());
  ASSERT_EQ(fix.failed.size(), 1u);
  EXPECT_EQ(fix.failed[0].file, "kb/a.md");
  EXPECT_NE(fix.failed[0].error.find("Read-only file system"), std::string::npos);
  EXPECT_EQ(fs.Get("kb/a.md"), original);
}

TEST(FallbackFixTest, ADocumentLinkedOutOfTheKnowledgeBaseIsNeitherReadNorWritten) {
  MemoryFileSystem fs;
  std::string original = ClientPackageWithAllThreeShapes();
  fs.Add("outside/victim.md", original);
  fs.AddLink("kb/victim.md", "../outside/victim.md");
  kb::KnowledgeBase kb = KbOf(fs, {"kb/victim.md"});
  FallbackFix fix = RemoveFallbackFlags(fs, kb, {"kb/victim.md"});
  EXPECT_TRUE(fix.fixed.empty());
  ASSERT_EQ(fix.failed.size(), 1u);
  EXPECT_NE(fix.failed[0].error.find("leads outside"), std::string::npos) << fix.failed[0].error;
  EXPECT_EQ(fs.Get("outside/victim.md"), original);
  EXPECT_TRUE(fs.writes().empty());
  EXPECT_TRUE(fs.reads().empty());
}

}  // namespace
}  // namespace verity::run
