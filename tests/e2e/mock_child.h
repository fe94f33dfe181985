// A `verity mock` child process for the end-to-end tests: started on a free loopback port
// (`--port 0`; its URL is the first line it prints) in `dir`, its output kept in
// `dir/NAME.out` and `dir/NAME.err`, stopped by PID (SIGTERM) when the object goes.
#pragma once

#include <chrono>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/process.h"

namespace verity::testing {

class MockChild {
 public:
  /// `args` follow `verity mock`: the spec path first, then any options.
  MockChild(const std::string& dir, const std::string& name, std::vector<std::string> args) {
    ChildOptions options;
    options.argv = {VERITY_BINARY, "mock"};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    options.argv.insert(options.argv.end(), {"--port", "0"});
    options.cwd = dir;
    options.stdout_path = dir + "/" + name + ".out";
    options.stderr_path = dir + "/" + name + ".err";
    err_path_ = options.stderr_path;
    child_.emplace(options);
    if (child_->started()) url_ = child_->FirstStdoutLine(std::chrono::seconds(20));
  }
  MockChild(const MockChild&) = delete;
  MockChild& operator=(const MockChild&) = delete;
  ~MockChild() { Stop(); }

  const std::optional<std::string>& url() const { return url_; }
  /// Stops the mock and returns its stderr (the access log, the drift, the warnings).
  std::string Stop() {
    if (child_) child_->Stop(std::chrono::seconds(5));
    child_.reset();
    std::ifstream err(err_path_, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(err), std::istreambuf_iterator<char>());
  }

 private:
  std::optional<Child> child_;
  std::optional<std::string> url_;
  std::string err_path_;
};

}  // namespace verity::testing
