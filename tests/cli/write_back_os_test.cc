// Write-back against real operating-system errors, with the real binary: a read-only knowledge
// base, a full disk, an owner that cannot be kept, and kill -9 in the middle of a write. CI runs
// as root, whom permission bits do not stop, so the child drops to `nobody` (65534) before exec,
// or runs in a user and mount namespace (unshare) with a read-only bind mount or a tiny tmpfs.
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "base/json.h"
#include "run/executor_fixture.h"
#include "run/seed_world_server.h"
#include "store/history.h"
#include "support/paths.h"

namespace verity::cli {
namespace {

namespace stdfs = std::filesystem;
using run::testing::kDirectorySecret;
using run::testing::kPackagesRecipe;
using run::testing::kStaffSecret;

constexpr uid_t kNobody = 65534;

struct Exit {
  int code = -1;
  std::string out, err;
};

// The child: stdout and stderr to files, then (as root, when asked) `nobody`, then exec. Only
// async-signal-safe calls between fork and exec: the test process has server threads.
class Child {
 public:
  Child(std::vector<std::string> argv, const std::string& out_dir, bool as_nobody)
      : argv_(std::move(argv)), out_(out_dir + "/stdout"), err_(out_dir + "/stderr") {
    env_ = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C",
            std::string("VERITY_STAFF_TOKEN=") + kStaffSecret};
    std::vector<char*> args, envs;
    for (std::string& a : argv_) args.push_back(a.data());
    args.push_back(nullptr);
    for (std::string& e : env_) envs.push_back(e.data());
    envs.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      int out = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
      int err = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
      if (out < 0 || err < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) ::_exit(126);
      if (as_nobody &&
          (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0)) {
        ::_exit(125);
      }
      ::execve(args[0], args.data(), envs.data());
      ::_exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  pid_t pid() const { return pid_; }
  Exit Wait() {
    Exit e;
    int status = 0;
    if (pid_ > 0 && ::waitpid(pid_, &status, 0) == pid_) {
      e.code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
      pid_ = -1;
    }
    e.out = Slurp(out_);
    e.err = Slurp(err_);
    return e;
  }

 private:
  static std::string Slurp(const std::string& path) {
    std::error_code ec;
    return stdfs::exists(path, ec) ? testing::ReadFileOrDie(path) : std::string();
  }
  std::vector<std::string> argv_, env_;
  std::string out_, err_;
  pid_t pid_ = -1;
};

bool UnshareWorks() {
  static const bool works =
      std::system("unshare --user --map-root-user --mount true >/dev/null 2>&1") == 0;
  return works;
}

class WriteBackOsTest : public ::testing::Test {
 protected:
  WriteBackOsTest() : world_(kStaffSecret, kDirectorySecret) {
    // mkdtemp's 0700 would keep `nobody` out of everything below.
    ::chmod(dir_.path().c_str(), 0755);
    doc_ = dir_.Write("kb/sales/GET_packages.md", kPackagesRecipe);
    stdfs::create_directories(out());
    ::chmod(out().c_str(), 0777);
  }
  std::string kb() const { return dir_.path() + "/kb"; }
  std::string out() const { return dir_.path() + "/out"; }
  std::vector<std::string> RunArgs(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {VERITY_BINARY,    "run",
                                     "--kb",           kb(),
                                     "--base-url",     world_.primary_url(),
                                     "--token-env",    "staff=VERITY_STAFF_TOKEN",
                                     "--rate-limit",   "off",
                                     "--report-json",  out() + "/report.json",
                                     "--report-junit", out() + "/junit.xml",
                                     "--report-md",    out() + "/report.md",
                                     "--report-html",  out() + "/report.html",
                                     "--history",      out() + "/history.db"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  // Every report and the history say WRITE_BACK_FAILED with the operating system's words.
  void ExpectReported(const Exit& e, const std::string& os_error) {
    EXPECT_EQ(e.code, 3) << e.out << e.err;
    EXPECT_EQ(e.out.find("✓ PASSED"), std::string::npos) << e.out;
    EXPECT_NE(e.out.find("WRITE_BACK_FAILED"), std::string::npos) << e.out;
    EXPECT_NE(e.out.find(os_error), std::string::npos) << e.out;
    Json report = Json::parse(testing::ReadFileOrDie(out() + "/report.json"));
    EXPECT_EQ(report["summary"]["exitCode"], 3);
    EXPECT_EQ(report["summary"]["writeBackFailed"], 1);
    ASSERT_EQ(report["results"][0]["writeBackErrors"].size(), 1u) << report.dump(2);
    const Json& failure = report["results"][0]["writeBackErrors"][0];
    EXPECT_EQ(failure["reason"], "WRITE_BACK_FAILED");
    EXPECT_NE(failure["message"].get<std::string>().find(os_error), std::string::npos);
    for (const char* name : {"junit.xml", "report.md", "report.html"}) {
      std::string text = testing::ReadFileOrDie(out() + "/" + name);
      EXPECT_NE(text.find("WRITE_BACK_FAILED"), std::string::npos) << name;
      EXPECT_NE(text.find(os_error), std::string::npos) << name;
    }
    auto history = store::History::Open(out() + "/history.db");
    ASSERT_TRUE(history.ok()) << history.status().ToString();
    auto runs = (*history)->ListRuns(1);
    ASSERT_TRUE(runs.ok());
    ASSERT_EQ(runs->size(), 1u);
    auto documents = (*history)->RunDocuments(runs->at(0).run_id, false);
    ASSERT_TRUE(documents.ok());
    ASSERT_EQ(documents->size(), 1u);
    EXPECT_EQ(documents->at(0).detail["writeBackErrors"][0]["reason"], "WRITE_BACK_FAILED");
    for (const std::string& text : {e.out, e.err}) {
      EXPECT_EQ(text.find(kStaffSecret), std::string::npos) << "no token in any output";
    }
  }

  run::testing::SeedWorldServer world_;
  testing::TempDir dir_;
  std::string doc_;
};

TEST_F(WriteBackOsTest, AReadOnlyKnowledgeBaseFailsTheRunWithExitThreeAndSaysWhy) {
  bool root = ::geteuid() == 0;
  ASSERT_EQ(::chmod((kb() + "/sales").c_str(), 0555), 0);
  Child child(RunArgs(), out(), /*as_nobody=*/root);
  Exit e = child.Wait();
  ::chmod((kb() + "/sales").c_str(), 0755);
  ExpectReported(e, "Permission denied");
  EXPECT_EQ(testing::ReadFileOrDie(doc_), kPackagesRecipe);
}

TEST_F(WriteBackOsTest, WithoutWriteBackTheSameRunPasses) {
  bool root = ::geteuid() == 0;
  ASSERT_EQ(::chmod((kb() + "/sales").c_str(), 0555), 0);
  Child child(RunArgs({"--no-write-back"}), out(), /*as_nobody=*/root);
  Exit e = child.Wait();
  ::chmod((kb() + "/sales").c_str(), 0755);
  EXPECT_EQ(e.code, 0) << e.out << e.err;
  EXPECT_EQ(e.out.find("WRITE_BACK_FAILED"), std::string::npos) << e.out;
}

// The same run inside a user and mount namespace: the knowledge base's folder on a tmpfs that is
// full (ENOSPC), or bind-mounted read-only (EROFS). Neither can be bypassed, not even by root.
Exit RunInNamespace(const std::string& setup, const std::string& out,
                    const std::vector<std::string>& run_args) {
  std::string command = setup + " && exec";
  for (const std::string& a : run_args) command += " '" + a + "'";
  Child child(
      {"/usr/bin/unshare", "--user", "--map-root-user", "--mount", "/bin/sh", "-c", command}, out,
      false);
  return child.Wait();
}

TEST_F(WriteBackOsTest, AFullDiskFailsTheRunWithExitThree) {
  if (!UnshareWorks()) GTEST_SKIP() << "unshare --user --mount is not allowed here";
  std::string sales = kb() + "/sales";
  std::string copy = dir_.Write("copy.md", kPackagesRecipe);
  std::string setup = "mount -t tmpfs -o size=64k tmpfs '" + sales + "' && cp '" + copy + "' '" +
                      sales + "/GET_packages.md' && (dd if=/dev/zero of='" + sales +
                      "/.fill' bs=4k 2>/dev/null; true)";
  ExpectReported(RunInNamespace(setup, out(), RunArgs()), "No space left on device");
}

TEST_F(WriteBackOsTest, AReadOnlyMountFailsTheRunWithExitThree) {
  if (!UnshareWorks()) GTEST_SKIP() << "unshare --user --mount is not allowed here";
  std::string sales = kb() + "/sales";
  std::string setup =
      "mount --bind '" + sales + "' '" + sales + "' && mount -o remount,bind,ro '" + sales + "'";
  ExpectReported(RunInNamespace(setup, out(), RunArgs()), "Read-only file system");
  EXPECT_EQ(testing::ReadFileOrDie(doc_), kPackagesRecipe);
}

TEST_F(WriteBackOsTest, KbSetRefusesToHandAnotherUsersFileToItself) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give the file another owner";
  ASSERT_EQ(::chmod((kb() + "/sales").c_str(), 0777), 0);
  ASSERT_EQ(::chown(doc_.c_str(), 4321, 4321), 0);
  ASSERT_EQ(::chmod(doc_.c_str(), 0666), 0);
  Child child({VERITY_BINARY, "kb", "set", doc_, "status=verified"}, out(), /*as_nobody=*/true);
  Exit e = child.Wait();
  EXPECT_EQ(e.code, 3) << e.out << e.err;
  EXPECT_NE(e.err.find("cannot keep the owner"), std::string::npos) << e.err;
  EXPECT_EQ(testing::ReadFileOrDie(doc_), kPackagesRecipe);
  struct stat st;
  ASSERT_EQ(::stat(doc_.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 4321u);
  std::vector<std::string> left;
  for (const auto& entry : stdfs::directory_iterator(kb() + "/sales"))
    left.push_back(entry.path().filename());
  EXPECT_EQ(left, std::vector<std::string>{"GET_packages.md"}) << "no temporary file left";
}

// kill -9 while the temporary file is being written: the document keeps its old bytes, the
// temporary stays behind, and the next locked write removes it.
TEST_F(WriteBackOsTest, KillNineMidWriteLeavesTheDocumentWholeAndTheNextWriteCleansUp) {
  std::string big = std::string(kPackagesRecipe) + "\n" + std::string(48 << 20, 'x') + "\n";
  { std::ofstream(doc_, std::ios::binary) << big; }
  std::string sales = kb() + "/sales";
  bool killed = false;
  for (int attempt = 0; attempt < 5 && !killed; ++attempt) {
    Child child({VERITY_BINARY, "kb", "set", doc_, "notes=attempt" + std::to_string(attempt)},
                out(), false);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!killed && std::chrono::steady_clock::now() < deadline) {
      for (const auto& entry : stdfs::directory_iterator(sales)) {
        if (entry.path().filename().string().starts_with(".GET_packages.md.verity-")) {
          ::kill(child.pid(), SIGKILL);
          killed = true;
          break;
        }
      }
      int status;
      if (!killed && ::waitpid(child.pid(), &status, WNOHANG) == child.pid()) break;
    }
    child.Wait();
    if (!killed) {
      std::ofstream(doc_, std::ios::binary) << big;
    }
  }
  ASSERT_TRUE(killed) << "the write never showed its temporary file";
  EXPECT_EQ(testing::ReadFileOrDie(doc_), big) << "the document is the old one, whole";
  size_t temporaries = 0;
  for (const auto& entry : stdfs::directory_iterator(sales))
    temporaries += entry.path().filename().string().starts_with(".GET_packages.md.verity-");
  EXPECT_EQ(temporaries, 1u);

  Child next({VERITY_BINARY, "kb", "set", doc_, "notes=after"}, out(), false);
  Exit e = next.Wait();
  EXPECT_EQ(e.code, 0) << e.out << e.err;
  std::vector<std::string> left;
  for (const auto& entry : stdfs::directory_iterator(sales))
    left.push_back(entry.path().filename());
  EXPECT_EQ(left, std::vector<std::string>{"GET_packages.md"});
  EXPECT_NE(testing::ReadFileOrDie(doc_).find("notes: after"), std::string::npos);
}

}  // namespace
}  // namespace verity::cli
