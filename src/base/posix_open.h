// Opening a path that must contain no symbolic link: the second half of a confined read or write.
// ResolveInside checks a real path; opening it here refuses any link that appeared on it since,
// so the file used is the file checked (no window between the check and the open).
#pragma once

#include <string>

#include "base/status.h"

namespace verity::posix {

/// Owns a file descriptor; closes it when destroyed.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

enum class OpenMethod {
  kBest,        // openat2(RESOLVE_NO_SYMLINKS) when the kernel has it (5.6+), else kComponents
  kComponents,  // one openat(O_NOFOLLOW) per component, from "/"
};

/// Opens `real_path` (as realpath gives it; a relative path starts at the working folder) with
/// `flags`, refusing a symbolic link in any component: kOutsideRoot when one is met (the path
/// changed after it was checked), kNotFound when it is gone. `shown` names the file in messages.
Result<UniqueFd> OpenWithoutLinks(const std::string& real_path, int flags, const std::string& shown,
                                  OpenMethod method = OpenMethod::kBest);

}  // namespace verity::posix
