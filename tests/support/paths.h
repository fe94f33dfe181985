// Where tests find their data: the project's own files and the shared corpus beside the checkout.
#pragma once

#include <string>

namespace verity::testing {

std::string SourcePath(const std::string& relative);  // under the project root
std::string SharedPath(const std::string& relative);  // under ../shared
std::string ReadFileOrDie(const std::string& path);

/// A fresh empty folder under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Write(const std::string& relative, const std::string& content) const;

 private:
  std::string path_;
};

}  // namespace verity::testing
