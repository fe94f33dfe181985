// The hostile-input table: every row of tests/hostile/cases/*.yaml is one test, named
// Hostile/Case.Run/<name>. Each row builds its files in a fresh folder, runs `verity` (or starts
// it as a server and sends it raw bytes) and checks the exact outcome with bounded time and
// memory. tests/hostile/README.md describes the format.
#include <glob.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "hostile/hostile_case.h"
#include "hostile/wire.h"
#include "support/paths.h"
#include "support/process.h"

namespace verity::hostile {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

const Table& TheTable() {
  static const Table table = LoadTable(testing::SourcePath("tests/hostile/cases"));
  return table;
}

// Sanitizers make the same work slower and bigger: bounds are scaled, never dropped.
double TimeScale() { return testing::UnderSanitizer() ? 6.0 : 1.0; }
double MemoryLimitMb(double mb) { return testing::UnderSanitizer() ? mb * 3 + 400 : mb; }
milliseconds Millis(double seconds) {
  return milliseconds(static_cast<int64_t>(seconds * 1000 * TimeScale()));
}

// Everything a case starts from, in its own folder; the outputs go beside it, outside the folder
// the case may inspect (files_absent globs).
// "{upstream}" → the stand-in API's URL, in everything a case writes or passes.
std::string Substitute(std::string text, const std::string& upstream) {
  const std::string key = "{upstream}";
  for (size_t at = text.find(key); at != std::string::npos && !upstream.empty();
       at = text.find(key, at + upstream.size())) {
    text.replace(at, key.size(), upstream);
  }
  return text;
}

class Workspace {
 public:
  Workspace(const Case& c, std::string upstream)
      : work_(fs::path(root_.path()) / "work"), upstream_(std::move(upstream)) {
    fs::create_directories(work_);
    for (const auto& [path, payload] : c.files) Create(path, payload);
    for (const auto& [link, target] : c.symlinks) {
      fs::path at = work_ / link;
      fs::create_directories(at.parent_path());
      fs::create_symlink(target, at);
    }
    for (const auto& [path, mode] : c.modes) {
      fs::permissions(work_ / path, static_cast<fs::perms>(mode), fs::perm_options::replace);
    }
  }
  ~Workspace() {
    // A case may have made folders read-only; the temp folder must still go away.
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root_.path(), ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_directory(ec) && !it->is_symlink(ec)) {
        fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
      }
    }
  }

  std::string work() const { return work_.string(); }
  const std::string& upstream() const { return upstream_; }
  std::string out(const char* name) const { return (fs::path(root_.path()) / name).string(); }
  const std::map<std::string, std::string>& created() const { return created_; }

 private:
  void Create(const std::string& path, const Payload& payload) {
    fs::path at = work_ / path;
    fs::create_directories(at.parent_path());
    if (!payload.copy.empty() || !payload.copy_shared.empty()) {
      std::string from = payload.copy.empty() ? testing::SharedPath(payload.copy_shared)
                                              : testing::SourcePath(payload.copy);
      fs::copy(from, at, fs::copy_options::recursive);
      return;
    }
    std::ofstream out(at, std::ios::binary);
    std::string content = payload.repeat.empty() ? Substitute(payload.Materialize(), upstream_)
                                                 : payload.Materialize();
    out << content;
    if (content.size() <= (1u << 20)) created_[path] = std::move(content);
  }

  testing::TempDir root_;
  fs::path work_;
  std::string upstream_;
  std::map<std::string, std::string> created_;  // what files_unchanged compares against
};

std::string ReadOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

testing::ChildOptions ChildFor(const Case& c, const Workspace& w,
                               const std::vector<std::string>& args) {
  testing::ChildOptions options;
  options.argv.push_back(VERITY_BINARY);
  for (const std::string& arg : args) options.argv.push_back(Substitute(arg, w.upstream()));
  options.cwd = w.work();
  options.env = {{"HOME", w.work()}, {"LANG", "C"}, {"NO_COLOR", "1"}};
  for (const auto& [name, value] : c.env) {
    options.env.emplace_back(name, Substitute(value, w.upstream()));
  }
  options.stdout_path = w.out("stdout");
  options.stderr_path = w.out("stderr");
  return options;
}

void CheckOutput(const Expect& e, const std::string& shown, const std::string& everything) {
  for (const std::string& s : e.output_has) {
    EXPECT_NE(shown.find(s), std::string::npos) << "expected to see: " << s;
  }
  for (const std::string& s : e.output_lacks) {
    EXPECT_EQ(everything.find(s), std::string::npos) << "must not appear anywhere: " << s;
  }
}

void CheckFiles(const Expect& e, const Workspace& w) {
  for (const std::string& path : e.files_unchanged) {
    auto it = w.created().find(path);
    ASSERT_NE(it, w.created().end()) << path << " is not a literal file of the case (≤ 1 MiB)";
    EXPECT_EQ(ReadOrEmpty((fs::path(w.work()) / path).string()), it->second)
        << path << " was changed";
  }
  for (const std::string& pattern : e.files_absent) {
    glob_t found{};
    std::string full = (fs::path(w.work()) / pattern).string();
    int rc = glob(full.c_str(), GLOB_NOSORT, nullptr, &found);
    std::string first = rc == 0 && found.gl_pathc > 0 ? found.gl_pathv[0] : "";
    globfree(&found);
    EXPECT_NE(rc, 0) << pattern << " matches " << first;
  }
}

void CheckBounds(const Expect& e, const testing::ChildExit& exit, milliseconds elapsed) {
  if (e.seconds) {
    EXPECT_LE(elapsed.count(), Millis(*e.seconds).count())
        << "took " << elapsed.count() << " ms; the bound is " << *e.seconds << " s (scaled ×"
        << TimeScale() << ")";
  }
  if (e.memory_mb) {
    double peak_mb = static_cast<double>(exit.peak_rss_kb) / 1024.0;
    EXPECT_LE(peak_mb, MemoryLimitMb(*e.memory_mb))
        << "peak RSS " << peak_mb << " MB; the bound is " << *e.memory_mb << " MB";
  }
}

void RunCommand(const Case& c, const Workspace& w) {
  testing::Child child(ChildFor(c, w, c.command));
  ASSERT_TRUE(child.started()) << child.error();
  // Beyond its bound a case is a failure anyway; a little more lets the report say by how much.
  double bound = c.expect.seconds.value_or(60);
  testing::ChildExit exit = child.Wait(Millis(bound * 2 + 5));
  std::string out = ReadOrEmpty(w.out("stdout")), err = ReadOrEmpty(w.out("stderr"));
  ASSERT_FALSE(exit.timed_out) << "still running after " << exit.wall.count() << " ms";
  ASSERT_TRUE(exit.exited) << "killed by signal " << exit.code << "\n" << err;
  if (c.expect.exit) {
    EXPECT_EQ(exit.code, *c.expect.exit) << "stdout:\n"
                                         << out.substr(0, 2000) << "\nstderr:\n"
                                         << err.substr(0, 2000);
  }
  CheckOutput(c.expect, out + err, out + err);
  CheckBounds(c.expect, exit, exit.wall);
  CheckFiles(c.expect, w);
}

int PortOf(const std::string& url) {
  size_t colon = url.rfind(':');
  return colon == std::string::npos ? -1 : std::atoi(url.c_str() + colon + 1);
}

void RunServer(const Case& c, const Workspace& w) {
  testing::Child server(ChildFor(c, w, c.server));
  ASSERT_TRUE(server.started()) << server.error();
  std::optional<std::string> url = server.FirstStdoutLine(Millis(20));
  ASSERT_TRUE(url) << "the server printed no URL:\n" << ReadOrEmpty(w.out("stderr"));
  int port = PortOf(*url);
  ASSERT_GT(port, 0) << *url;
  Exchange x;
  {
    HeldConnections held(port, c.hold);
    ASSERT_TRUE(held.error().empty()) << held.error();
    double bound = c.expect.seconds.value_or(10);
    milliseconds close_wait = c.expect.closed.value_or(false) ? Millis(2) : milliseconds(300);
    x = Send(port, *c.send, Millis(bound * 2 + 2), close_wait);
  }
  testing::ChildExit exit = server.Stop(Millis(10));
  std::string log = ReadOrEmpty(w.out("stdout")) + ReadOrEmpty(w.out("stderr"));
  ASSERT_TRUE(x.error.empty()) << x.error;
  EXPECT_TRUE(x.complete || x.closed) << "no answer, and the connection stayed open";
  if (c.expect.status) {
    EXPECT_EQ(x.status, *c.expect.status) << "answer:\n" << x.answer.substr(0, 2000);
  }
  if (c.expect.closed) {
    EXPECT_EQ(x.closed, *c.expect.closed) << "answer:\n" << x.answer.substr(0, 500);
  }
  CheckOutput(c.expect, x.answer, x.answer + log);
  CheckBounds(c.expect, exit, x.elapsed);
  CheckFiles(c.expect, w);
}

class HostileCase : public ::testing::TestWithParam<size_t> {};

TEST_P(HostileCase, Run) {
  const Case& c = TheTable().cases[GetParam()];
  SCOPED_TRACE(c.source + ": " + c.why);
  testing::RaiseOpenFileLimit();
  std::optional<RawUpstream> upstream;
  if (c.upstream) {
    upstream.emplace(*c.upstream);
    ASSERT_FALSE(upstream->url().empty()) << "the stand-in API could not listen";
  }
  Workspace workspace(c, upstream ? upstream->url() : "");
  if (c.server.empty()) {
    RunCommand(c, workspace);
  } else {
    RunServer(c, workspace);
  }
}

std::vector<size_t> CaseIndexes() {
  std::vector<size_t> out(TheTable().cases.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = i;
  return out;
}

INSTANTIATE_TEST_SUITE_P(Hostile, HostileCase, ::testing::ValuesIn(CaseIndexes()),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                           return TheTable().cases[info.param].name;
                         });

TEST(HostileTable, EveryRowLoads) {
  for (const std::string& error : TheTable().errors) ADD_FAILURE() << error;
  EXPECT_FALSE(TheTable().cases.empty());
}

}  // namespace
}  // namespace verity::hostile
