// Feeds arbitrary bytes to the verity.yaml reader (docs/config.md) and, when they are a valid
// configuration, selects each environment, resolves its tokens and builds its display, the way
// `verity config` does. Nothing real is read: environment variables come from a fixed lookup and
// token files from a file system with one fixed content, both of them secret values that must never
// appear in the display. A crash, a sanitizer report, a leak, a hang, an exception or a secret in
// the display fails the run.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/file_system.h"
#include "run/config.h"

namespace {

namespace run = verity::run;
using verity::FileInfo;
using verity::FileType;
using verity::Result;
using verity::Status;

constexpr std::string_view kFileSecret = "CANARYfile7f3e9a1b2c4d5e6f";
constexpr std::string_view kEnvSecret = "CANARYenv7f3e9a1b2c4d5e6f";

// Every path is a file holding the file secret; nothing can be written.
class SecretFiles : public verity::FileSystem {
 public:
  Result<FileInfo> Stat(const std::string&) const override {
    return FileInfo{FileType::kFile, kFileSecret.size()};
  }
  Result<std::string> RealPath(const std::string& path) const override { return path; }
  Result<std::string> ReadFileInside(const std::string&, const verity::PathRoots&) const override {
    return std::string(kFileSecret);
  }
  Result<std::vector<std::string>> ListFiles(const std::string&) const override {
    return std::vector<std::string>{};
  }
  Status WriteFileAtomicInside(const std::string&, std::string_view,
                               const verity::PathRoots&) override {
    return Status::IoError("read-only");
  }
  Status CreateFileExclusiveInside(const std::string&, std::string_view,
                                   const verity::PathRoots&) override {
    return Status::IoError("read-only");
  }
  Status CreateDirectories(const std::string&) override { return Status::IoError("read-only"); }
  Result<std::unique_ptr<verity::FileLock>> LockDirectory(const std::string&) override {
    return Status::IoError("read-only");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // libFuzzer learns the secrets from the comparisons below and writes them into inputs; a
  // secret the input itself holds is not a leak, so such an input is not run.
  if (text.find(kFileSecret) != std::string_view::npos ||
      text.find(kEnvSecret) != std::string_view::npos) {
    return 0;
  }
  Result<run::Config> config = run::ParseConfig(text, "conf/verity.yaml");
  if (!config.ok()) return 0;
  SecretFiles files;
  run::EnvLookup lookup = [](const std::string& name) -> std::optional<std::string> {
    if (name.empty() || name[0] == 'U') return std::nullopt;  // some variables are unset
    return std::string(kEnvSecret);
  };
  (void)run::SelectEnvironment(*config, "");
  for (const std::string& name : config->env_order) {
    Result<run::Environment> env = run::SelectEnvironment(*config, name);
    if (!env.ok()) abort();  // every listed environment can be selected
    // A fuzzed `command:` is never run: it could be any program with any arguments.
    run::CommandRunner no_programs = [](const std::vector<std::string>& argv, int64_t) {
      return Result<std::string>(argv.size() % 2 ? Result<std::string>(std::string(kEnvSecret))
                                                 : Status::NotFound("not run"));
    };
    run::ResolvedTokens tokens = run::ResolveTokens(*env, files, lookup, no_programs);
    std::string shown = run::EffectiveConfigJson(*env, tokens).dump();
    if (shown.find(kFileSecret) != std::string::npos || shown.find(kEnvSecret) != std::string::npos)
      abort();
    for (const auto& [type, value] : tokens.values)
      (void)run::AuthorizationValue(env->tokens.at(type).scheme.value_or(run::AuthScheme::kBasic),
                                    value);
  }
  return 0;
}
