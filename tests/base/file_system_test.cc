// PosixFileSystem's listing on a real disk: the paths it gives are the ones a user would type.
#include "base/file_system.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/paths.h"

namespace verity {
namespace {

TEST(PosixListFiles, GivesFolderPrefixedPathsInByteOrderAndSkipsDotEntries) {
  testing::TempDir dir;
  dir.Write("b.md", "b");
  dir.Write("a/z.md", "z");
  dir.Write(".git/config", "x");
  dir.Write("a/.hidden.md", "h");
  PosixFileSystem fs;
  auto files = fs.ListFiles(dir.path());
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(*files, (std::vector<std::string>{dir.path() + "/a/z.md", dir.path() + "/b.md"}));
  auto with_slash = fs.ListFiles(dir.path() + "/");
  ASSERT_TRUE(with_slash.ok());
  EXPECT_EQ(with_slash->size(), 2u);
  EXPECT_EQ(with_slash->front(), dir.path() + "/a/z.md");
}

TEST(PosixListFiles, ASymlinkedDocumentIsListedUnderItsOwnNameNotItsTarget) {
  testing::TempDir kb, elsewhere;
  std::string target = elsewhere.Write("shared/recipe.md", "recipe");
  std::filesystem::create_directories(kb.path() + "/clients");
  std::filesystem::create_symlink(target, kb.path() + "/clients/recipe.md");
  PosixFileSystem fs;
  auto files = fs.ListFiles(kb.path());
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(*files, std::vector<std::string>{kb.path() + "/clients/recipe.md"});
}

}  // namespace
}  // namespace verity
