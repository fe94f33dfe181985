// One OpenAPI or Swagger description file, parsed. JSON and YAML are both accepted (the first
// non-blank character decides: '{' or '[' is JSON); the version decides how operations, schemas
// and nullability are read.
#pragma once

#include <string>
#include <string_view>

#include "base/json.h"
#include "base/status.h"

namespace verity::spec {

enum class SpecVersion { kSwagger2, kOpenApi30, kOpenApi31 };

const char* SpecVersionName(SpecVersion version);  // "swagger 2.0", "openapi 3.0", "openapi 3.1"

struct SpecFile {
  std::string path;    // as loaded (joined with the including file's folder for $ref'd files)
  std::string domain;  // the folder under the spec root, or the file's stem (see Catalog)
  SpecVersion version = SpecVersion::kOpenApi30;
  std::string version_text;    // "2.0", "3.0.3", "3.1.0"
  bool is_description = true;  // false for a file that only holds schemas (reached by $ref)
  Json root;
};

/// Why a file that parsed is not an OpenAPI/Swagger description.
inline constexpr const char* kNotASpec = "NOT_A_SPEC";

/// Parses `text` (JSON or YAML). Errors: kParseError "line L, column C: message" for text that is
/// neither; kInvalidArgument starting with NOT_A_SPEC for a document without `swagger: "2.0"` or
/// `openapi: 3.x`, or with an unsupported version.
Result<SpecFile> ParseSpecText(std::string path, std::string_view text);

/// Parses a file that another one reached through `$ref` (a JSON Schema, a shared responses
/// file): any JSON or YAML document. Its version is inherited from the referring file.
Result<SpecFile> ParseReferencedText(std::string path, std::string_view text, SpecVersion version);

}  // namespace verity::spec
