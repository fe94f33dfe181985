// PosixFileSystem's writes on a real disk: atomic, mode and owner kept, links written through (or
// refused when they lead out), and the temporary files of a writer that died removed under the
// folder's lock, never a file that is not ours.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "base/file_system.h"
#include "support/paths.h"

namespace verity {
namespace {

namespace stdfs = std::filesystem;

struct stat LinkStat(const std::string& path) {
  struct stat st = {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st;
}

std::vector<std::string> Entries(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : stdfs::directory_iterator(dir)) out.push_back(e.path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

PathRoots RootsOf(const FileSystem& fs, const std::string& dir) {
  Result<PathRoots> roots = PathRoots::Resolve(fs, {dir});
  EXPECT_TRUE(roots.ok()) << roots.status().ToString();
  return roots.ok() ? *roots : PathRoots();
}

TEST(AtomicWriteTest, KeepsTheModeOfTheFileItReplaces) {
  testing::TempDir dir;
  std::string doc = dir.Write("doc.md", "old");
  ASSERT_EQ(::chmod(doc.c_str(), 0640), 0);
  PosixFileSystem fs;
  ASSERT_TRUE(fs.WriteFileAtomic(doc, "new").ok());
  EXPECT_EQ(LinkStat(doc).st_mode & 07777, 0640u);
  EXPECT_EQ(testing::ReadFileOrDie(doc), "new");
  EXPECT_EQ(Entries(dir.path()), std::vector<std::string>{"doc.md"}) << "no temporary left";
}

TEST(AtomicWriteTest, KeepsTheOwnerWhenRootWritesAnotherUsersFile) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give the file another owner";
  testing::TempDir dir;
  std::string doc = dir.Write("doc.md", "old");
  ASSERT_EQ(::chown(doc.c_str(), 4321, 4322), 0);
  ASSERT_EQ(::chmod(doc.c_str(), 0604), 0);
  PosixFileSystem fs;
  ASSERT_TRUE(fs.WriteFileAtomic(doc, "new").ok());
  struct stat st = LinkStat(doc);
  EXPECT_EQ(st.st_uid, 4321u);
  EXPECT_EQ(st.st_gid, 4322u);
  EXPECT_EQ(st.st_mode & 07777, 0604u);
  EXPECT_EQ(testing::ReadFileOrDie(doc), "new");
}

TEST(AtomicWriteTest, ALinkInsideTheRootIsWrittenThroughAndStaysALink) {
  testing::TempDir dir;
  std::string target = dir.Write("kb/shared/recipe.md", "old");
  ASSERT_EQ(::chmod(target.c_str(), 0600), 0);
  std::string link = dir.path() + "/kb/sales/recipe.md";
  stdfs::create_directories(dir.path() + "/kb/sales");
  stdfs::create_symlink("../shared/recipe.md", link);
  PosixFileSystem fs;
  Status written = fs.WriteFileAtomicInside(link, "new", RootsOf(fs, dir.path() + "/kb"));
  ASSERT_TRUE(written.ok()) << written.ToString();
  EXPECT_TRUE(S_ISLNK(LinkStat(link).st_mode));
  EXPECT_EQ(stdfs::read_symlink(link), "../shared/recipe.md");
  EXPECT_EQ(testing::ReadFileOrDie(target), "new");
  EXPECT_EQ(LinkStat(target).st_mode & 07777, 0600u);
  EXPECT_EQ(Entries(dir.path() + "/kb/shared"), std::vector<std::string>{"recipe.md"});
  EXPECT_EQ(Entries(dir.path() + "/kb/sales"), std::vector<std::string>{"recipe.md"});
}

TEST(AtomicWriteTest, ALinkLeadingOutOfTheRootIsRefusedAndNothingChanges) {
  testing::TempDir dir, outside;
  std::string target = outside.Write("victim.md", "victim");
  std::string link = dir.path() + "/kb/a/doc.md";
  stdfs::create_directories(dir.path() + "/kb/a");
  stdfs::create_symlink(target, link);
  PosixFileSystem fs;
  Status written = fs.WriteFileAtomicInside(link, "new", RootsOf(fs, dir.path() + "/kb"));
  EXPECT_EQ(written.code(), StatusCode::kOutsideRoot) << written.ToString();
  EXPECT_EQ(testing::ReadFileOrDie(target), "victim");
  EXPECT_TRUE(S_ISLNK(LinkStat(link).st_mode));
  EXPECT_EQ(Entries(outside.path()), std::vector<std::string>{"victim.md"});
}

TEST(AtomicWriteTest, AnUnconfinedWriteAlsoGoesThroughALinkInsteadOfReplacingIt) {
  testing::TempDir dir;
  std::string target = dir.Write("reports/latest.json", "{}");
  std::string link = dir.path() + "/report.json";
  stdfs::create_symlink(target, link);
  PosixFileSystem fs;
  ASSERT_TRUE(fs.WriteFileAtomic(link, "[1]").ok());
  EXPECT_TRUE(S_ISLNK(LinkStat(link).st_mode));
  EXPECT_EQ(testing::ReadFileOrDie(target), "[1]");
}

TEST(AtomicWriteTest, ADanglingLinkIsNotReplacedByAFile) {
  testing::TempDir dir;
  std::string link = dir.path() + "/doc.md";
  stdfs::create_symlink(dir.path() + "/missing.md", link);
  PosixFileSystem fs;
  Status written = fs.WriteFileAtomic(link, "new");
  EXPECT_FALSE(written.ok());
  EXPECT_TRUE(S_ISLNK(LinkStat(link).st_mode));
  EXPECT_FALSE(stdfs::exists(dir.path() + "/missing.md"));
}

TEST(AtomicWriteTest, ALongFileNameCanStillBeWritten) {
  testing::TempDir dir;
  std::string doc = dir.Write(std::string(250, 'a') + ".md", "old");
  PosixFileSystem fs;
  Status written = fs.WriteFileAtomic(doc, "new");
  ASSERT_TRUE(written.ok()) << written.ToString();
  EXPECT_EQ(testing::ReadFileOrDie(doc), "new");
}

TEST(CreateExclusiveTest, ALinkAtTheNameCountsAsExistingAndIsNotFollowed) {
  testing::TempDir dir, outside;
  std::string link = dir.path() + "/kb/new.md";
  stdfs::create_directories(dir.path() + "/kb");
  stdfs::create_symlink(outside.path() + "/planted.md", link);
  PosixFileSystem fs;
  Status created = fs.CreateFileExclusive(link, "new");
  EXPECT_EQ(created.code(), StatusCode::kAlreadyExists) << created.ToString();
  EXPECT_FALSE(stdfs::exists(outside.path() + "/planted.md"));
}

TEST(CreateExclusiveTest, AFolderLinkedOutOfTheRootIsRefused) {
  testing::TempDir dir, outside;
  stdfs::create_directories(dir.path() + "/kb");
  stdfs::create_symlink(outside.path(), dir.path() + "/kb/sales");
  PosixFileSystem fs;
  Status created = fs.CreateFileExclusiveInside(dir.path() + "/kb/sales/GET_x.md", "new",
                                                RootsOf(fs, dir.path() + "/kb"));
  EXPECT_EQ(created.code(), StatusCode::kOutsideRoot) << created.ToString();
  EXPECT_TRUE(Entries(outside.path()).empty());
}

TEST(TemporaryNameTest, OnlyOurExactFormIsRecognised) {
  EXPECT_TRUE(IsTemporaryName(TemporaryNameFor("GET_x.md", "AbC123")));
  EXPECT_TRUE(IsTemporaryName(".GET_x.md.verity-AbC123"));
  EXPECT_TRUE(IsTemporaryName(".index.json.verity-000000"));
  EXPECT_FALSE(IsTemporaryName(".env.backup"));
  EXPECT_FALSE(IsTemporaryName(".GET_x.md.AbC123"));  // mkstemp's form, anybody's
  EXPECT_FALSE(IsTemporaryName(".GET_x.md.verity-AbC12"));
  EXPECT_FALSE(IsTemporaryName(".GET_x.md.verity-AbC1234"));
  EXPECT_FALSE(IsTemporaryName(".GET_x.md.verity-AbC12!"));
  EXPECT_FALSE(IsTemporaryName("GET_x.md.verity-AbC123"));
  EXPECT_FALSE(IsTemporaryName("..verity-AbC123"));
}

TEST(StaleTemporariesTest, TakingTheLockRemovesOursAndNothingElse) {
  testing::TempDir dir, outside;
  std::string kb = dir.path() + "/kb";
  dir.Write("kb/GET_x.md", "document");
  dir.Write("kb/.GET_x.md.verity-AbC123", "half a document");
  dir.Write("kb/.POST_y.md.verity-Zz9Zz9", "another");
  dir.Write("kb/.env.backup", "the user's");
  dir.Write("kb/.GET_x.md.AbC123", "mkstemp's form: could be anybody's");
  dir.Write("kb/GET_x.md.verity-AbC123", "not hidden: not ours");
  stdfs::create_directories(kb + "/.GET_z.md.verity-Dir000");
  std::string victim = outside.Write("victim.md", "victim");
  stdfs::create_symlink(victim, kb + "/.GET_w.md.verity-Lnk000");
  PosixFileSystem fs;
  {
    Result<std::unique_ptr<FileLock>> lock = fs.LockDirectory(kb);
    ASSERT_TRUE(lock.ok()) << lock.status().ToString();
  }
  EXPECT_EQ(Entries(kb), (std::vector<std::string>{".GET_w.md.verity-Lnk000", ".GET_x.md.AbC123",
                                                   ".GET_z.md.verity-Dir000", ".env.backup",
                                                   "GET_x.md", "GET_x.md.verity-AbC123"}));
  EXPECT_EQ(testing::ReadFileOrDie(victim), "victim");
}

TEST(StaleTemporariesTest, ALockedWriteCleansTheFolderItWritesIn) {
  testing::TempDir dir;
  std::string doc = dir.Write("kb/GET_x.md", "old");
  dir.Write("kb/.GET_x.md.verity-AbC123", "left by kill -9");
  PosixFileSystem fs;
  ASSERT_TRUE(WriteFileLocked(fs, doc, "new").ok());
  EXPECT_EQ(Entries(dir.path() + "/kb"), std::vector<std::string>{"GET_x.md"});
  EXPECT_EQ(testing::ReadFileOrDie(doc), "new");
}

}  // namespace
}  // namespace verity
