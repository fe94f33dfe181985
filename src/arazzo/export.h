// `verity arazzo export`: knowledge-base recipes as one Arazzo 1.0.1 document, so that a team's
// recipes run in any Arazzo tool. One workflow per recipe; docs/arazzo.md ("Export: recipes to
// Arazzo") is the mapping, and lists what has no Arazzo form. What the exporter cannot express
// exactly is kept under `x-verity-…` keys and reported as a warning naming recipe:line, never
// dropped in silence. Token values are never written: a token is an input.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "base/json.h"
#include "base/status.h"
#include "doc/model.h"
#include "kb/knowledge_base.h"
#include "spec/catalog.h"

namespace verity::arazzo {

/// How a token type is sent: the header and the text around the token ("Bearer ", "").
struct TokenHeader {
  std::string header = "Authorization";
  std::string prefix = "Bearer ";
  std::string suffix;
};

struct ExportOptions {
  /// Where the document will be written: source description URLs are relative to its folder.
  std::string output_path = "verity.arazzo.yaml";
  /// The folder a recipe's `swagger` is relative to.
  std::string spec_root;
  /// By token type; a type not listed is sent as `Authorization: Bearer …`.
  std::map<std::string, TokenHeader> tokens;
  /// The token a step without one (in a recipe without `tokens:`) sends; empty: none.
  std::string default_token;
  /// The environment's params, for the JSON type of the inputs they become (values not written).
  Json params = Json::object();
  std::string title = "Verity knowledge base";
  /// The environment's retries of 429 and 503; > 0 gives every step a retry failure action.
  int max_retries = 0;
};

struct ExportWarning {
  std::string file;
  uint32_t line = 0;
  std::string message;
};

/// "file:line: warning: message".
std::string FormatWarning(const ExportWarning& warning);

struct ExportResult {
  Json document;  // the Arazzo document
  std::vector<ExportWarning> warnings;
};

/// The document for `documents` (in their order), plus every recipe they `use:`, which their
/// workflow steps name. Operations are looked up in `catalog` (may be null: operationPath cannot
/// be written without a spec, so such steps get `x-verity-request` and a warning).
ExportResult Export(const kb::KnowledgeBase& kb, const std::vector<const doc::Document*>& documents,
                    const spec::Catalog* catalog, const ExportOptions& options);

/// The document as YAML (block style; every string that could be read as something else quoted).
std::string ToYaml(const Json& document);

/// Writes `text` at `path` all at once: a new file unless `force`, which replaces one atomically.
/// kAlreadyExists when the file exists and `force` is false.
Status WriteExport(FileSystem& fs, const std::string& path, std::string_view text, bool force);

}  // namespace verity::arazzo
