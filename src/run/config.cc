// Reading verity.yaml into a Config. The reader walks the YAML tree once, applying each key onto
// an Environment: first `defaults:` onto the built-in values, then each environment onto a copy of
// that, so inheritance is nothing more than the order of application. Every problem is kept with
// the position of the node it is about. The nested sections are read in config_sections.cc.
#include "run/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "base/edit_distance.h"
#include "base/strings.h"
#include "base/yaml.h"
#include "base/yaml_json.h"
#include "run/config_reader.h"

namespace verity::run {

namespace {

using config_internal::JoinNames;
using config_internal::Problem;
using config_internal::Problems;
using config_internal::ReadBases;
using config_internal::ReadConventions;
using config_internal::ReadProducers;
using config_internal::ReadRateLimit;
using config_internal::ReadSecrets;
using config_internal::ReadText;
using config_internal::ReadTokens;
using config_internal::ReadUrl;
using config_internal::ReadValidation;
using config_internal::ResolvePath;
using yaml::Node;

// A config file is a page of YAML; anything this large is not one.
constexpr uint64_t kMaxConfigBytes = 1 << 20;
// Nor is anything with this many YAML nodes: a node costs ~140 bytes for as little as two bytes of
// text, so the size limit alone would let `[1,1,…]` take 70 MB. Aliases are bounded by the YAML
// reader's defaults (10 000 nodes, 1 MiB of text).
constexpr size_t kMaxConfigNodes = 100'000;

const std::vector<std::string_view> kTopKeys = {"default_env", "defaults", "environments"};
const std::vector<std::string_view> kEnvironmentKeys = {"base_url",       "fallback_url",
                                                        "bases",          "spec_root",
                                                        "knowledge_base", "params",
                                                        "timeout",        "deadline",
                                                        "rate_limit",     "max_retries",
                                                        "default_token",  "failures_before_failed",
                                                        "insecure",       "max_response_bytes",
                                                        "time_zone",      "array_format",
                                                        "tokens",         "secrets",
                                                        "conventions",    "setup",
                                                        "teardown",       "validation",
                                                        "producers"};

// What was written explicitly, where the built-in defaults cannot tell.
struct Explicit {
  std::optional<SourcePos> default_token;
  bool bad_base_url = false;  // written but refused: reported once, not again as missing
};

class ConfigReader {
 public:
  explicit ConfigReader(std::string path) : path_(std::move(path)), dir_(ParentPath(path_)) {}

  Result<Config> Read(std::string_view text) {
    yaml::Limits limits;
    limits.max_nodes = kMaxConfigNodes;
    yaml::LoadResult loaded = yaml::Load(text, limits);
    bool broken = !loaded.root.has_value() && !loaded.errors.empty();
    for (const yaml::Error& e : loaded.errors) {
      if (e.code == "YAML_DUPLICATE_KEY")
        Add(e.pos, "CONFIG_DUPLICATE_KEY", e.message);
      else
        Add(e.pos, "CONFIG_PARSE_ERROR", fmt::format("{} ({})", e.message, e.code));
    }
    Config config;
    config.file = path_;
    if (loaded.root) {
      ReadTop(*loaded.root, &config);
    } else if (!broken) {
      Add({1, 1}, "CONFIG_NO_ENVIRONMENTS", "the file is empty: it needs an environments: mapping");
    }
    std::vector<Problem>& problems = problems_.list();
    if (problems.empty()) return config;
    std::stable_sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
      return std::tie(a.pos.line, a.pos.col) < std::tie(b.pos.line, b.pos.col);
    });
    std::vector<std::string> lines;
    for (const Problem& p : problems)
      lines.push_back(
          fmt::format("{}:{}:{}: {} [{}]", path_, p.pos.line, p.pos.col, p.message, p.code));
    std::string message = Join(lines, "\n");
    return broken ? Status::ParseError(message) : Status::InvalidArgument(message);
  }

 private:
  void Add(SourcePos pos, std::string code, std::string message) {
    problems_.Add(pos, std::move(code), std::move(message));
  }
  void TypeError(const Node& v, std::string_view where, std::string_view expected) {
    problems_.TypeError(v, where, expected);
  }

  void ReadTop(const Node& root, Config* config) {
    if (!root.is_mapping()) return TypeError(root, "the file", "a mapping with environments:");
    const Node* defaults = nullptr;
    const Node* environments = nullptr;
    const Node* default_env = nullptr;
    for (auto [k, v] : problems_.Entries(root, "the file")) {
      if (k->value == "defaults") {
        defaults = v;
      } else if (k->value == "environments") {
        environments = v;
      } else if (k->value == "default_env") {
        default_env = v;
      } else if (std::find(kEnvironmentKeys.begin(), kEnvironmentKeys.end(), k->value) !=
                 kEnvironmentKeys.end()) {
        Add(k->pos, "CONFIG_UNKNOWN_KEY",
            fmt::format("{} is an environment setting: put it under environments.NAME, or under "
                        "defaults: to share it",
                        Quoted(k->value)));
      } else {
        problems_.UnknownKey(*k, "the file", kTopKeys);
      }
    }

    Environment base;
    base.config_file = path_;
    base.config_dir = dir_;
    Explicit base_explicit;
    if (defaults && !defaults->is_null()) {
      if (defaults->is_mapping())
        ApplyEnvironment(*defaults, "defaults", &base, &base_explicit);
      else
        TypeError(*defaults, "defaults", "a mapping of environment settings");
    }

    if (!environments || environments->is_null() ||
        (environments->is_mapping() && environments->entries.empty())) {
      Add(environments ? environments->pos : SourcePos{1, 1}, "CONFIG_NO_ENVIRONMENTS",
          "no environments: add environments: with at least one, e.g. staging: {base_url: …}");
    } else if (!environments->is_mapping()) {
      TypeError(*environments, "environments", "a mapping of environment names to settings");
    } else {
      for (auto [k, v] : problems_.Entries(*environments, "environments")) {
        std::string where = "environments." + k->value;
        if (!v->is_mapping()) {
          TypeError(*v, where, "a mapping of settings");
          continue;
        }
        Environment env = base;
        env.name = k->value;
        Explicit explicit_keys = base_explicit;
        ApplyEnvironment(*v, where, &env, &explicit_keys);
        Check(*k, where, env, explicit_keys);
        config->env_order.push_back(env.name);
        config->environments.emplace(env.name, std::move(env));
      }
    }

    if (default_env && !default_env->is_null()) {
      if (!default_env->is_scalar()) {
        TypeError(*default_env, "default_env", "an environment name");
      } else {
        config->default_env = default_env->value;
        // Without environments there is nothing to compare with; that problem is reported.
        if (!config->environments.empty() && !config->environments.count(default_env->value)) {
          std::vector<std::string_view> names(config->env_order.begin(), config->env_order.end());
          std::string hint = ClosestMatch(default_env->value, names);
          Add(default_env->pos, "CONFIG_UNKNOWN_ENV",
              fmt::format("default_env: no environment {}{}", Quoted(default_env->value),
                          hint.empty() ? fmt::format(" (environments: {})", JoinNames(names))
                                       : fmt::format("; did you mean \"{}\"?", hint)));
        }
      }
    }
  }

  // What only the merged environment can tell.
  void Check(const Node& name, const std::string& where, const Environment& env,
             const Explicit& explicit_keys) {
    if (env.base_url.empty() && !explicit_keys.bad_base_url)
      Add(name.pos, "CONFIG_MISSING_BASE_URL",
          fmt::format("{}: base_url is required (http:// or https://)", where));
    if (explicit_keys.default_token && !env.tokens.count(env.default_token))
      Add(*explicit_keys.default_token, "CONFIG_UNKNOWN_TOKEN",
          fmt::format("{}: default_token {} is not one of the tokens", where,
                      Quoted(env.default_token)));
  }

  void ApplyEnvironment(const Node& map, const std::string& where, Environment* env,
                        Explicit* explicit_keys) {
    for (auto [k, v] : problems_.Entries(map, where)) {
      const std::string& key = k->value;
      std::string at = where + "." + key;
      if (std::find(kEnvironmentKeys.begin(), kEnvironmentKeys.end(), key) ==
          kEnvironmentKeys.end()) {
        problems_.UnknownKey(*k, where, kEnvironmentKeys);
      } else if (v->is_null()) {
        Reset(key, env);  // `key: ~` undoes an inherited value
        if (key == "base_url") explicit_keys->bad_base_url = false;
      } else {
        ApplyKey(key, *v, at, env, explicit_keys);
      }
    }
  }

  static void Reset(const std::string& key, Environment* env) {
    const Environment fresh;
    if (key == "base_url") env->base_url.clear();
    if (key == "fallback_url") env->fallback_url.clear();
    if (key == "bases") env->bases.clear();
    if (key == "spec_root") env->spec_root.clear();
    if (key == "knowledge_base") env->knowledge_base.clear();
    if (key == "params") env->params = Json::object();
    if (key == "timeout") env->timeout_ms = fresh.timeout_ms;
    if (key == "deadline") env->deadline_ms.reset();
    if (key == "rate_limit") env->rate_limit = fresh.rate_limit;
    if (key == "max_retries") env->max_retries = fresh.max_retries;
    if (key == "default_token") env->default_token = fresh.default_token;
    if (key == "failures_before_failed") env->failures_before_failed = fresh.failures_before_failed;
    if (key == "insecure") env->insecure = fresh.insecure;
    if (key == "max_response_bytes") env->max_response_bytes = fresh.max_response_bytes;
    if (key == "time_zone") env->time_zone = fresh.time_zone;
    if (key == "array_format") env->array_format = fresh.array_format;
    if (key == "tokens") env->tokens.clear();
    if (key == "secrets") env->secrets.clear();
    if (key == "conventions") env->conventions = fresh.conventions;
    if (key == "setup") env->setup.clear();
    if (key == "teardown") env->teardown.clear();
    if (key == "validation") env->validation = fresh.validation;
    if (key == "producers") env->producers.clear();
  }

  void ApplyKey(const std::string& key, const Node& v, const std::string& at, Environment* env,
                Explicit* explicit_keys) {
    if (key == "base_url" || key == "fallback_url") {
      std::optional<std::string> url = ReadUrl(v, at, problems_);
      if (url) (key == "base_url" ? env->base_url : env->fallback_url) = *url;
      if (key == "base_url") explicit_keys->bad_base_url = !url;
    } else if (key == "bases") {
      ReadBases(v, at, problems_, &env->bases);
    } else if (key == "spec_root" || key == "knowledge_base") {
      if (auto text = ReadText(v, at, "a folder path", problems_))
        (key == "spec_root" ? env->spec_root : env->knowledge_base) = ResolvePath(dir_, *text);
    } else if (key == "params") {
      if (!v.is_mapping()) return TypeError(v, at, "a mapping of names to values");
      for (auto [pk, pv] : problems_.Entries(v, at)) env->params[pk->value] = yaml::ToJson(*pv);
    } else if (key == "timeout" || key == "deadline") {
      std::optional<int64_t> ms = Duration(v, at);
      if (ms && key == "timeout") env->timeout_ms = *ms;
      if (ms && key == "deadline") env->deadline_ms = *ms;
    } else if (key == "rate_limit") {
      ReadRateLimit(v, at, problems_, &env->rate_limit);
    } else if (key == "max_retries") {
      if (auto n = Integer(v, at, 0, 100)) env->max_retries = static_cast<int>(*n);
    } else if (key == "failures_before_failed") {
      if (auto n = Integer(v, at, 1, 1000)) env->failures_before_failed = static_cast<int>(*n);
    } else if (key == "default_token") {
      if (auto text = ReadText(v, at, "a token type", problems_)) {
        env->default_token = *text;
        explicit_keys->default_token = v.pos;
      }
    } else if (key == "insecure") {
      Json j = v.is_scalar() ? yaml::ScalarToJson(v) : Json();
      if (j.is_boolean())
        env->insecure = j.get<bool>();
      else
        TypeError(v, at, "true or false");
    } else if (key == "max_response_bytes") {
      std::optional<uint64_t> bytes = v.is_scalar() ? ParseByteSize(v.value) : std::nullopt;
      if (bytes && *bytes > 0)
        env->max_response_bytes = static_cast<size_t>(*bytes);
      else
        Add(v.pos, "CONFIG_BAD_SIZE",
            fmt::format("{}: {} is not a size (bytes, or a number with KiB, MiB or GiB, e.g. "
                        "64MiB) above 0",
                        at, yaml::Describe(v)));
    } else if (key == "time_zone") {
      if (auto text = ReadText(v, at, "a time zone", problems_)) env->time_zone = *text;
    } else if (key == "array_format") {
      std::optional<ArrayFormat> format = v.is_scalar() ? ParseArrayFormat(v.value) : std::nullopt;
      if (format)
        env->array_format = *format;
      else
        Add(v.pos, "CONFIG_BAD_ARRAY_FORMAT",
            fmt::format("{}: {} is not an array format (brackets, repeat or comma)", at,
                        yaml::Describe(v)));
    } else if (key == "tokens") {
      ReadTokens(v, at, dir_, problems_, &env->tokens);
    } else if (key == "secrets") {
      ReadSecrets(v, at, dir_, problems_, &env->secrets);
    } else if (key == "conventions") {
      ReadConventions(v, at, problems_, &env->conventions);
    } else if (key == "setup" || key == "teardown") {
      ReadFixtures(v, at, key == "setup" ? &env->setup : &env->teardown);
    } else if (key == "validation") {
      ReadValidation(v, at, problems_, &env->validation);
    } else if (key == "producers") {
      ReadProducers(v, at, problems_, &env->producers);
    }
  }

  // Replaces the inherited list: a fixture list is one recipe, not a set to merge.
  void ReadFixtures(const Node& v, const std::string& at, std::vector<std::string>* out) {
    if (!v.is_sequence())
      return TypeError(v, at, "a list of knowledge-base documents (paths or endpoints)");
    std::vector<std::string> names;
    for (size_t i = 0; i < v.items.size(); ++i) {
      std::string item_at = fmt::format("{}[{}]", at, i);
      if (auto text = ReadText(v.items[i], item_at, "a document path or endpoint", problems_))
        names.push_back(*text);
    }
    *out = std::move(names);
  }

  std::optional<int64_t> Duration(const Node& v, std::string_view at) {
    std::optional<int64_t> ms = v.is_scalar() ? ParseDurationMs(v.value) : std::nullopt;
    if (!ms || *ms <= 0) {
      Add(v.pos, "CONFIG_BAD_DURATION",
          fmt::format("{}: {} is not a duration above 0 (\"250ms\", \"30s\", \"2m\", \"1h\" or "
                      "an integer of milliseconds)",
                      at, yaml::Describe(v)));
      return std::nullopt;
    }
    return ms;
  }

  std::optional<int64_t> Integer(const Node& v, std::string_view at, int64_t min, int64_t max) {
    Json j = v.is_scalar() ? yaml::ScalarToJson(v) : Json();
    if (!j.is_number_integer()) {
      TypeError(v, at, "an integer");
      return std::nullopt;
    }
    int64_t n = j.get<int64_t>();
    if (n < min || n > max) {
      Add(v.pos, "CONFIG_BAD_NUMBER",
          fmt::format("{}: {} is not between {} and {}", at, n, min, max));
      return std::nullopt;
    }
    return n;
  }

  std::string path_;
  std::string dir_;
  Problems problems_{"CONFIG"};
};

}  // namespace

Result<Config> ParseConfig(std::string_view text, const std::string& path) {
  return ConfigReader(path).Read(text);
}

Result<Config> LoadConfig(const FileSystem& fs, const std::string& path) {
  Result<FileInfo> info = fs.Stat(path);
  if (!info.ok()) return info.status();
  if (info->type == FileType::kNone)
    return Status::NotFound(fmt::format("{}: no such config file", path));
  if (info->type != FileType::kFile)
    return Status::InvalidArgument(fmt::format("{}: not a file", path));
  if (info->size > kMaxConfigBytes)
    return Status::LimitExceeded(
        fmt::format("{}: {} bytes is too large for a config file (at "
                    "most {})",
                    path, info->size, kMaxConfigBytes));
  Result<std::string> text = fs.ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseConfig(*text, path);
}

Result<Environment> SelectEnvironment(const Config& config, std::string_view name) {
  std::string names = Join(config.env_order, ", ");
  if (name.empty()) {
    if (!config.default_env.empty()) name = config.default_env;
    if (name.empty() && config.env_order.size() == 1) name = config.env_order.front();
    if (name.empty())
      return Status::InvalidArgument(
          fmt::format("{}: no default_env and several environments ({}): choose one with --env",
                      config.file, names));
  }
  auto it = config.environments.find(std::string(name));
  if (it == config.environments.end()) {
    std::vector<std::string_view> candidates(config.env_order.begin(), config.env_order.end());
    std::string hint = ClosestMatch(name, candidates);
    return Status::InvalidArgument(fmt::format(
        "{}: no environment {}{} (environments: {}) [CONFIG_UNKNOWN_ENV]", config.file,
        Quoted(name), hint.empty() ? "" : fmt::format("; did you mean \"{}\"?", hint), names));
  }
  return it->second;
}

}  // namespace verity::run
