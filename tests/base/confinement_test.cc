// Confined reads on a real disk: a path is read only when its real path is inside the roots, and
// the file opened is the one checked (docs/workflow-format.md, "Symbolic links").
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "base/file_system.h"
#include "base/posix_open.h"
#include "support/paths.h"

namespace verity {
namespace {

namespace stdfs = std::filesystem;

PathRoots RootsOf(const FileSystem& fs, const std::string& dir) {
  Result<PathRoots> roots = PathRoots::Resolve(fs, {dir});
  EXPECT_TRUE(roots.ok()) << roots.status().ToString();
  return roots.ok() ? *roots : PathRoots();
}

class ConfinedReadTest : public ::testing::Test {
 protected:
  std::string kb() const { return dir_.path() + "/kb"; }
  void Link(const std::string& target, const std::string& link) {
    stdfs::create_directories(stdfs::path(link).parent_path());
    stdfs::create_symlink(target, link);
  }
  testing::TempDir dir_;
  testing::TempDir outside_;
  PosixFileSystem fs_;
};

TEST_F(ConfinedReadTest, AFileInsideIsRead) {
  dir_.Write("kb/a/doc.md", "inside");
  Result<std::string> text = fs_.ReadFileInside(kb() + "/a/doc.md", RootsOf(fs_, kb()));
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, "inside");
}

TEST_F(ConfinedReadTest, ALinkToTheProcessEnvironmentIsRefusedWithoutItsBytes) {
  dir_.Write("kb/a/doc.md", "inside");
  Link("/proc/self/environ", kb() + "/a/env.md");
  Result<std::string> text = fs_.ReadFileInside(kb() + "/a/env.md", RootsOf(fs_, kb()));
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kOutsideRoot);
  EXPECT_EQ(text.status().message().find("PATH="), std::string::npos);
  EXPECT_EQ(text.status().message().find("/proc"), std::string::npos) << "the target is not named";
}

TEST_F(ConfinedReadTest, ALinkToAFileOutsideIsRefused) {
  std::string secret = outside_.Write("secret.md", "secret");
  dir_.Write("kb/a/doc.md", "inside");
  Link(secret, kb() + "/a/secret.md");
  Result<std::string> text = fs_.ReadFileInside(kb() + "/a/secret.md", RootsOf(fs_, kb()));
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kOutsideRoot);
}

TEST_F(ConfinedReadTest, ALinkToAFileInsideAnotherFolderOfTheRootIsFollowed) {
  dir_.Write("kb/shared/recipe.md", "shared recipe");
  Link("../shared/recipe.md", kb() + "/sales/recipe.md");
  Result<std::string> text = fs_.ReadFileInside(kb() + "/sales/recipe.md", RootsOf(fs_, kb()));
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, "shared recipe");
}

TEST_F(ConfinedReadTest, AFileBelowALinkedFolderOutsideIsRefused) {
  outside_.Write("stolen.md", "secret");
  dir_.Write("kb/a/doc.md", "inside");
  Link(outside_.path(), kb() + "/linked");
  Result<std::string> text = fs_.ReadFileInside(kb() + "/linked/stolen.md", RootsOf(fs_, kb()));
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kOutsideRoot);
}

TEST_F(ConfinedReadTest, DotDotOutOfTheRootIsRefused) {
  dir_.Write("secret.md", "secret");
  dir_.Write("kb/a/doc.md", "inside");
  Result<std::string> text = fs_.ReadFileInside(kb() + "/a/../../secret.md", RootsOf(fs_, kb()));
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kOutsideRoot);
}

TEST_F(ConfinedReadTest, ARootThatIsItselfALinkStaysAllowed) {
  std::string real = outside_.Write("kb/a/doc.md", "linked kb");
  Link(outside_.path() + "/kb", kb());
  Result<std::string> text = fs_.ReadFileInside(kb() + "/a/doc.md", RootsOf(fs_, kb()));
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, "linked kb");
}

TEST_F(ConfinedReadTest, AFifoUnderADocumentsNameIsRefusedWithoutWaiting) {
  dir_.Write("kb/a/doc.md", "inside");
  ASSERT_EQ(::mkfifo((kb() + "/a/pipe.md").c_str(), 0644), 0);
  Result<std::string> text = fs_.ReadFileInside(kb() + "/a/pipe.md", RootsOf(fs_, kb()));
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.status().message().find("not a regular file"), std::string::npos);
}

TEST_F(ConfinedReadTest, AFileNamedOnItsOwnConfinesToItsFolder) {
  dir_.Write("kb/a/doc.md", "inside");
  Link("../b/other.md", kb() + "/a/other.md");
  dir_.Write("kb/b/other.md", "next door");
  Result<PathRoots> roots = PathRoots::Resolve(fs_, {kb() + "/a/doc.md"});
  ASSERT_TRUE(roots.ok());
  EXPECT_TRUE(fs_.ReadFileInside(kb() + "/a/doc.md", *roots).ok());
  EXPECT_EQ(fs_.ReadFileInside(kb() + "/a/other.md", *roots).status().code(),
            StatusCode::kOutsideRoot);
}

// The window between the check and the open: the folder checked is swapped for a link to an
// outside folder holding a file of the same name. Opening the checked real path must refuse it,
// whichever way the kernel is asked.
class SwappedFolderTest : public ::testing::TestWithParam<posix::OpenMethod> {};

TEST_P(SwappedFolderTest, ALinkSwappedInAfterTheCheckIsRefusedNotFollowed) {
  testing::TempDir dir, outside;
  dir.Write("kb/a/doc.md", "inside");
  outside.Write("doc.md", "secret");
  PosixFileSystem fs;
  Result<PathRoots> roots = PathRoots::Resolve(fs, {dir.path() + "/kb"});
  ASSERT_TRUE(roots.ok());
  Result<std::string> real = ResolveInside(fs, dir.path() + "/kb/a/doc.md", *roots);
  ASSERT_TRUE(real.ok()) << real.status().ToString();

  stdfs::rename(dir.path() + "/kb/a", dir.path() + "/kb/a.moved");
  stdfs::create_symlink(outside.path(), dir.path() + "/kb/a");

  Result<posix::UniqueFd> fd = posix::OpenWithoutLinks(*real, O_RDONLY, "kb/a/doc.md", GetParam());
  ASSERT_FALSE(fd.ok()) << "opened " << *real << " through the swapped link";
  EXPECT_EQ(fd.status().code(), StatusCode::kOutsideRoot);
}

TEST_P(SwappedFolderTest, AFileSwappedForALinkAfterTheCheckIsRefused) {
  testing::TempDir dir;
  std::string doc = dir.Write("kb/doc.md", "inside");
  PosixFileSystem fs;
  Result<std::string> real = fs.RealPath(doc);
  ASSERT_TRUE(real.ok());
  stdfs::remove(doc);
  stdfs::create_symlink("/proc/self/environ", doc);
  Result<posix::UniqueFd> fd = posix::OpenWithoutLinks(*real, O_RDONLY, "kb/doc.md", GetParam());
  ASSERT_FALSE(fd.ok());
  EXPECT_EQ(fd.status().code(), StatusCode::kOutsideRoot);
}

TEST_P(SwappedFolderTest, APathWithoutLinksOpens) {
  testing::TempDir dir;
  std::string doc = dir.Write("kb/doc.md", "inside");
  PosixFileSystem fs;
  Result<std::string> real = fs.RealPath(doc);
  ASSERT_TRUE(real.ok());
  Result<posix::UniqueFd> fd = posix::OpenWithoutLinks(*real, O_RDONLY, "kb/doc.md", GetParam());
  ASSERT_TRUE(fd.ok()) << fd.status().ToString();
  EXPECT_GE(fd->get(), 0);
}

INSTANTIATE_TEST_SUITE_P(BothWays, SwappedFolderTest,
                         ::testing::Values(posix::OpenMethod::kBest,
                                           posix::OpenMethod::kComponents));

TEST(PathRootsTest, ContainsOnlyTheRootAndBelow) {
  PathRoots roots = PathRoots::OfRealPaths({"/work/kb"});
  EXPECT_TRUE(roots.Contains("/work/kb"));
  EXPECT_TRUE(roots.Contains("/work/kb/a/b.md"));
  EXPECT_FALSE(roots.Contains("/work/kb2/b.md"));
  EXPECT_FALSE(roots.Contains("/work/k"));
  EXPECT_FALSE(roots.Contains("/etc/passwd"));
  EXPECT_FALSE(PathRoots().Contains("/work/kb"));
  EXPECT_TRUE(PathRoots::Anywhere().Contains("/etc/passwd"));
}

TEST(PathRootsTest, RelativeRootsOfTheMemoryFileSystemHoldNothingThatClimbsOut) {
  EXPECT_TRUE(PathRoots::OfRealPaths({"."}).Contains("kb/a.md"));
  EXPECT_FALSE(PathRoots::OfRealPaths({"."}).Contains("../a.md"));
  EXPECT_FALSE(PathRoots::OfRealPaths({"."}).Contains("/etc/passwd"));
  EXPECT_TRUE(PathRoots::OfRealPaths({"kb"}).Contains("kb/a.md"));
  EXPECT_FALSE(PathRoots::OfRealPaths({"kb"}).Contains("kbx/a.md"));
}

}  // namespace
}  // namespace verity
