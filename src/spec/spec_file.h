// One OpenAPI or Swagger description file, parsed. JSON and YAML are both accepted (the first
// non-blank character decides: '{' or '[' is JSON); the version decides how operations, schemas
// and nullability are read.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/json.h"
#include "base/source_pos.h"
#include "base/status.h"

namespace verity::spec {

enum class SpecVersion { kSwagger2, kOpenApi30, kOpenApi31 };

const char* SpecVersionName(SpecVersion version);  // "swagger 2.0", "openapi 3.0", "openapi 3.1"

/// A `$ref` that names another file or a URL (not "#/…"), and where it is written.
struct ExternalRef {
  std::string pointer;  // JSON Pointer of the object that holds the `$ref`
  std::string target;   // the `$ref` text
  SourcePos pos;        // of the `$ref` key
};

/// A mapping key written twice in one object. The first definition is kept (as YAML readers and
/// documents do); the repeat is parsed and dropped.
struct DuplicateKey {
  std::string key;
  SourcePos pos;    // the dropped repeat
  SourcePos first;  // the kept definition
};

struct SpecFile {
  std::string path;    // as loaded (joined with the including file's folder for $ref'd files)
  std::string domain;  // the folder under the spec root, or the file's stem (see Catalog)
  SpecVersion version = SpecVersion::kOpenApi30;
  std::string version_text;    // "2.0", "3.0.3", "3.1.0"
  bool is_description = true;  // false for a file that only holds schemas (reached by $ref)
  Json root;
  /// The folder (real path) this file's `$ref`s must stay inside; set by SpecSet.
  std::string spec_root;
  std::vector<ExternalRef> external_refs;  // in document order
  std::vector<DuplicateKey> duplicate_keys;

  /// Where the `$ref` of the object at `pointer` is written, if it names another file.
  SourcePos ExternalRefPos(std::string_view pointer) const;
  /// Indexes external_refs by pointer; ParseSpecText and ParseReferencedText call it.
  void IndexExternalRefs();

  /// The member `key` of `object`, a node of this file, or nullptr. ordered_json searches an
  /// object linearly, so a large one (`paths`, `components/schemas`) is indexed on first use:
  /// resolving n `$ref`s into an object of n members stays linear.
  const Json* FindMember(const Json& object, std::string_view key) const;

 private:
  struct MemberIndex {
    std::mutex mu;
    // By the address of the object's member list, which stays put when the file is moved.
    std::unordered_map<const void*, std::unordered_map<std::string_view, const Json*>> objects;
  };

  std::unordered_map<std::string, size_t> ref_index_;
  std::shared_ptr<MemberIndex> member_index_ = std::make_shared<MemberIndex>();
};

/// Why a file that parsed is not an OpenAPI/Swagger description.
inline constexpr const char* kNotASpec = "NOT_A_SPEC";

/// Spec code of a duplicate key.
inline constexpr const char* kSpecDuplicateKey = "SPEC_DUPLICATE_KEY";

/// Parses `text` (JSON or YAML). Errors: kParseError "line L, column C: message" for text that is
/// neither; kInvalidArgument starting with NOT_A_SPEC for a document without `swagger: "2.0"` or
/// `openapi: 3.x`, or with an unsupported version.
Result<SpecFile> ParseSpecText(std::string path, std::string_view text);

/// Parses a file that another one reached through `$ref` (a JSON Schema, a shared responses
/// file): any JSON or YAML document. Its version is inherited from the referring file.
Result<SpecFile> ParseReferencedText(std::string path, std::string_view text, SpecVersion version);

}  // namespace verity::spec
