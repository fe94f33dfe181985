#include "spec/spec_file.h"

#include <utility>

#include "base/yaml.h"
#include "base/yaml_json.h"

namespace verity::spec {
namespace {

bool LooksLikeJson(std::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' || c == '[';
  }
  return false;
}

std::string_view SkipBom(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

// Spec YAML is machine-written and can nest deeper than workflow steps; the JSON parser's limit
// (1000) applies to JSON, this one to YAML, whose reader keeps a tree with positions.
constexpr uint32_t kYamlMaxDepth = 512;
// Specs use anchors legitimately (shared parameters); this bounds alias expansion, not use.
constexpr size_t kYamlMaxAliasNodes = 1'000'000;

Result<Json> ParseAny(std::string_view text) {
  text = SkipBom(text);
  if (LooksLikeJson(text)) return ParseJson(text);
  yaml::LoadResult loaded = yaml::Load(text, {kYamlMaxDepth, kYamlMaxAliasNodes});
  for (const yaml::Error& error : loaded.errors) {
    // A duplicate key leaves a usable tree; a spec with one is still read (the first wins).
    if (error.code == "YAML_DUPLICATE_KEY") continue;
    return Status::ParseError("line " + std::to_string(error.pos.line) + ", column " +
                              std::to_string(error.pos.col) + ": " + error.message + " [" +
                              error.code + "]");
  }
  if (!loaded.root) return Status::ParseError("line 1, column 1: the file is empty");
  return yaml::ToJson(*loaded.root);
}

Result<SpecVersion> DetectVersion(const Json& root, std::string& version_text) {
  if (!root.is_object()) {
    return Status::InvalidArgument(std::string(kNotASpec) + ": the document is a " +
                                   root.type_name() + ", not an object");
  }
  auto swagger = root.find("swagger");
  if (swagger != root.end()) {
    version_text = swagger->is_string() ? swagger->get<std::string>() : swagger->dump();
    if (version_text == "2.0" || version_text == "2") return SpecVersion::kSwagger2;
    return Status::InvalidArgument(std::string(kNotASpec) + ": unsupported Swagger version '" +
                                   version_text + "' (2.0 is supported)");
  }
  auto openapi = root.find("openapi");
  if (openapi != root.end()) {
    version_text = openapi->is_string() ? openapi->get<std::string>() : openapi->dump();
    if (version_text.rfind("3.0", 0) == 0) return SpecVersion::kOpenApi30;
    if (version_text.rfind("3.1", 0) == 0) return SpecVersion::kOpenApi31;
    return Status::InvalidArgument(std::string(kNotASpec) + ": unsupported OpenAPI version '" +
                                   version_text + "' (3.0.x and 3.1.x are supported)");
  }
  if (root.contains("paths")) {
    return Status::InvalidArgument(std::string(kNotASpec) +
                                   ": it has 'paths' but no 'swagger: \"2.0\"' or 'openapi: 3.x' "
                                   "field, so how to read it is unknown");
  }
  return Status::InvalidArgument(std::string(kNotASpec) +
                                 ": no 'swagger: \"2.0\"' or 'openapi: 3.x' field at the top");
}

}  // namespace

const char* SpecVersionName(SpecVersion version) {
  switch (version) {
    case SpecVersion::kSwagger2:
      return "swagger 2.0";
    case SpecVersion::kOpenApi30:
      return "openapi 3.0";
    case SpecVersion::kOpenApi31:
      return "openapi 3.1";
  }
  return "?";
}

Result<SpecFile> ParseSpecText(std::string path, std::string_view text) {
  Result<Json> root = ParseAny(text);
  if (!root.ok()) return root.status();
  SpecFile file;
  Result<SpecVersion> version = DetectVersion(*root, file.version_text);
  if (!version.ok()) return version.status();
  file.path = std::move(path);
  file.version = *version;
  file.root = std::move(root).value();
  return file;
}

Result<SpecFile> ParseReferencedText(std::string path, std::string_view text, SpecVersion version) {
  Result<Json> root = ParseAny(text);
  if (!root.ok()) return root.status();
  SpecFile file;
  file.path = std::move(path);
  file.root = std::move(root).value();
  std::string own_version;
  Result<SpecVersion> own = DetectVersion(file.root, own_version);
  file.version = own.ok() ? *own : version;
  file.version_text = own.ok() ? own_version : "";
  file.is_description = own.ok();
  return file;
}

}  // namespace verity::spec
