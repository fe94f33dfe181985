// The knowledge base's confinement (docs/workflow-format.md, "Symbolic links"): a document that
// leads outside every root is listed with PATH_OUTSIDE_ROOT and never read or written; a link
// inside is followed, and written through.
#include <gtest/gtest.h>

#include "kb/knowledge_base.h"
#include "kb/update.h"
#include "support/memory_file_system.h"

namespace verity::kb {
namespace {

using testing::MemoryFileSystem;

const char kDoc[] =
    "---\nendpoint: \"GET /a\"\ndomain: sales\nstatus: pending\n---\n# A\n\n## Test Request\n\n"
    "```yaml\nmethod: GET\npath: /a\n```\n";
const char kSecret[] = "VERITY_TOKEN=CANARYtok7f3e9a1b2c4d5e6f";

const doc::Document* Find(const KnowledgeBase& kb, const std::string& file) {
  for (const doc::Document& d : kb.documents)
    if (d.file == file) return &d;
  return nullptr;
}

class KbConfinementTest : public ::testing::Test {
 protected:
  KbConfinementTest() {
    fs_.Add("kb/sales/get_a.md", kDoc);
    fs_.Add("/proc/self/environ", kSecret);
    fs_.Add("outside/victim.md", kDoc);
  }
  KnowledgeBase Load() {
    Result<KnowledgeBase> kb = LoadKnowledgeBase(fs_, {"kb"});
    EXPECT_TRUE(kb.ok()) << kb.status().ToString();
    return kb.ok() ? std::move(*kb) : KnowledgeBase();
  }
  MemoryFileSystem fs_;
};

TEST_F(KbConfinementTest, ALinkOutIsListedWithADiagnosticAtOneOneAndNeverRead) {
  fs_.AddLink("kb/clients/env.md", "/proc/self/environ");
  KnowledgeBase kb = Load();
  ASSERT_EQ(kb.documents.size(), 2u);
  const doc::Document* env = Find(kb, "kb/clients/env.md");
  ASSERT_NE(env, nullptr);
  ASSERT_EQ(env->diagnostics.size(), 1u);
  EXPECT_EQ(env->diagnostics[0].code, "PATH_OUTSIDE_ROOT");
  EXPECT_EQ(env->diagnostics[0].pos, (SourcePos{1, 1}));
  EXPECT_EQ(env->diagnostics[0].message.find("CANARY"), std::string::npos);
  EXPECT_EQ(doc::FormatDiagnostic(env->diagnostics[0]).rfind("kb/clients/env.md:1:1: error:", 0),
            0u);
  for (const std::string& read : fs_.reads()) EXPECT_NE(read, "kb/clients/env.md");
  const doc::Document* a = Find(kb, "kb/sales/get_a.md");
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(a->has_errors()) << "the other documents load as usual";
}

TEST_F(KbConfinementTest, ALinkThroughDotDotOutOfTheRootIsRefused) {
  fs_.AddLink("kb/clients/victim.md", "../../outside/victim.md");
  KnowledgeBase kb = Load();
  const doc::Document* victim = Find(kb, "kb/clients/victim.md");
  ASSERT_NE(victim, nullptr);
  ASSERT_FALSE(victim->diagnostics.empty());
  EXPECT_EQ(victim->diagnostics[0].code, "PATH_OUTSIDE_ROOT");
}

TEST_F(KbConfinementTest, ALinkedFolderIsNotDescendedInto) {
  fs_.AddLink("kb/linked", "../outside");
  KnowledgeBase kb = Load();
  EXPECT_EQ(Find(kb, "kb/linked/victim.md"), nullptr);
  EXPECT_EQ(kb.documents.size(), 1u);
}

TEST_F(KbConfinementTest, ALinkToADocumentInsideIsFollowed) {
  fs_.AddLink("kb/clients/shared.md", "../sales/get_a.md");
  KnowledgeBase kb = Load();
  const doc::Document* shared = Find(kb, "kb/clients/shared.md");
  ASSERT_NE(shared, nullptr);
  EXPECT_FALSE(shared->has_errors());
  EXPECT_EQ(shared->frontmatter.endpoint, "GET /a");
}

TEST_F(KbConfinementTest, AnUpdateThroughALinkInsideWritesTheTargetAndKeepsTheLink) {
  fs_.AddLink("kb/clients/shared.md", "../sales/get_a.md");
  KnowledgeBase kb = Load();
  Result<bool> changed =
      UpdateDocumentFields(fs_, "kb/clients/shared.md", kb.confinement, {{"status", "verified"}});
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_NE(fs_.Get("kb/sales/get_a.md").find("status: verified"), std::string::npos);
  EXPECT_EQ(fs_.writes(), std::vector<std::string>{"kb/sales/get_a.md"});
  Result<std::string> real = fs_.RealPath("kb/clients/shared.md");
  ASSERT_TRUE(real.ok());
  EXPECT_EQ(*real, "kb/sales/get_a.md") << "still a link";
}

TEST_F(KbConfinementTest, AnUpdateThroughALinkOutIsRefusedAndWritesNothing) {
  fs_.AddLink("kb/clients/victim.md", "../../outside/victim.md");
  KnowledgeBase kb = Load();
  Result<bool> changed =
      UpdateDocumentFields(fs_, "kb/clients/victim.md", kb.confinement, {{"status", "verified"}});
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.status().code(), StatusCode::kOutsideRoot);
  EXPECT_EQ(fs_.Get("outside/victim.md"), kDoc);
  EXPECT_TRUE(fs_.writes().empty());
}

TEST_F(KbConfinementTest, ANewDocumentInADomainFolderLinkedOutIsRefused) {
  fs_.AddLink("kb/clients", "../outside");
  FakeClock clock(1764000000000);
  doc::ScaffoldOptions options;
  options.endpoint = "GET /platform/v1/clients";
  options.domain = "clients";
  Result<std::string> created = CreateDocument(fs_, "kb", options, clock);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), StatusCode::kOutsideRoot) << created.status().ToString();
  EXPECT_TRUE(fs_.writes().empty());
}

TEST_F(KbConfinementTest, AWriteThatFailsSaysWhyAndLeavesTheDocument) {
  fs_.FailWritesUnder("kb/sales", "Read-only file system");
  KnowledgeBase kb = Load();
  Result<bool> changed =
      UpdateDocumentFields(fs_, "kb/sales/get_a.md", kb.confinement, {{"status", "verified"}});
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.status().code(), StatusCode::kIoError);
  EXPECT_NE(changed.status().message().find("Read-only file system"), std::string::npos);
  EXPECT_EQ(fs_.Get("kb/sales/get_a.md"), kDoc);
}

}  // namespace
}  // namespace verity::kb
