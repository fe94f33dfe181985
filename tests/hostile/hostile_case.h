// One row of the hostile-input table (tests/hostile/cases/*.yaml; the format is in
// tests/hostile/README.md): the files a case starts from, what it runs or sends, and the exact
// outcome it expects. Loading is strict: an unknown key or a value of the wrong type is an error,
// so a misspelt expectation can never pass silently.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace verity::hostile {

/// Bytes given literally or generated: prefix + repeat × times + suffix (a 600 MiB body need not
/// sit in the table, nor in memory: Chunks() yields it piece by piece), or copied from the
/// repository (`copy`) or from ../shared (`copy_shared`), for files only.
struct Payload {
  std::string prefix;
  std::string repeat;
  uint64_t times = 0;
  std::string suffix;
  std::string copy;         // repository-relative file or folder
  std::string copy_shared;  // ../shared-relative file or folder

  uint64_t size() const { return prefix.size() + repeat.size() * times + suffix.size(); }
  /// Calls `sink` with consecutive pieces of at most about `piece` bytes; stops when it returns
  /// false. Returns false when stopped.
  template <class Sink>
  bool Chunks(size_t piece, Sink&& sink) const;
  std::string Materialize() const;
};

struct Hold {
  int idle = 0;          // connections opened and left silent
  int slow_headers = 0;  // connections that sent part of a request head and then nothing
};

struct Expect {
  std::optional<int> exit;
  std::vector<std::string> output_has;
  std::vector<std::string> output_lacks;
  std::optional<int> status;
  std::optional<bool> closed;
  std::vector<std::string> files_unchanged;
  std::vector<std::string> files_absent;
  std::optional<double> seconds;
  std::optional<double> memory_mb;
};

struct Case {
  std::string name;
  std::string why;
  std::string source;  // "cases/files.yaml:12"
  std::vector<std::pair<std::string, Payload>> files;
  std::vector<std::pair<std::string, std::string>> symlinks;
  std::vector<std::pair<std::string, unsigned>> modes;
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<std::string> command;
  std::vector<std::string> server;
  std::optional<Payload> send;
  Hold hold;
  /// Raw bytes a stand-in API answers every request with; "{upstream}" in files, arguments and
  /// the environment becomes its URL.
  std::optional<Payload> upstream;
  Expect expect;
};

struct Table {
  std::vector<Case> cases;
  std::vector<std::string> errors;  // "cases/x.yaml:3:5: unknown key 'expct'"
};

/// Every case of every *.yaml file in `dir`, in file then row order.
Table LoadTable(const std::string& dir);

template <class Sink>
bool Payload::Chunks(size_t piece, Sink&& sink) const {
  if (!prefix.empty() && !sink(std::string_view(prefix))) return false;
  if (!repeat.empty() && times > 0) {
    std::string block;
    uint64_t per_block = std::max<uint64_t>(1, piece / repeat.size());
    for (uint64_t i = 0; i < std::min(per_block, times); ++i) block += repeat;
    for (uint64_t left = times; left > 0;) {
      uint64_t n = std::min(per_block, left);
      if (!sink(std::string_view(block).substr(0, n * repeat.size()))) return false;
      left -= n;
    }
  }
  if (!suffix.empty() && !sink(std::string_view(suffix))) return false;
  return true;
}

}  // namespace verity::hostile
