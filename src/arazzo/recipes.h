// Arazzo workflows as knowledge-base recipes: each workflow becomes one recipe whose Test Request
// holds every step in order (docs/arazzo.md, "Workflows as recipes"). `verity arazzo import`
// writes them; `verity run FILE.arazzo.yaml` parses them in memory and runs them.
//
// Operations are resolved in the OpenAPI sources (read relative to the document, sources.h) to a
// method and a path that starts with the server's own path (`/v2`, Swagger's basePath), as the
// spec catalog matches operations: the base URL is the server's origin, which the conversion
// also returns per source. Runtime expressions in what is sent become `{{…}}`
// templates; criteria, extracts and actions stay runtime expressions, as written, for the
// executor to evaluate.
#pragma once

#include <string>
#include <vector>

#include "arazzo/model.h"
#include "base/file_system.h"

namespace verity::arazzo {

struct RecipeOptions {
  /// The folder the recipes are written in: their `arazzo:` field is the document's path relative
  /// to it. Empty: the document's own folder (the recipe beside it, in memory).
  std::string recipe_dir;
  /// The document's path in the same form as `recipe_dir` (both absolute, say); empty: its path.
  std::string arazzo_path;
};

struct WorkflowRecipe {
  std::string workflow_id;
  /// The slug of the workflow id + ".md", unique among the document's workflows.
  std::string file;
  /// The whole recipe; empty when the workflow cannot be converted (an error in `problems`).
  std::string text;
  /// What stopped the conversion (errors) or was approximated (warnings), with positions in the
  /// Arazzo document.
  std::vector<Problem> problems;
};

struct SourceServer {
  std::string name;
  std::string type;        // openapi or arazzo
  std::string spec_path;   // the local file read; empty when none could be
  std::string server_url;  // OpenAPI `servers[0].url` / Swagger scheme://host+basePath, or empty
};

struct Conversion {
  std::vector<WorkflowRecipe> workflows;  // in document order
  std::vector<SourceServer> sources;      // in document order
};

/// Converts every workflow of `doc`; one that cannot be converted never stops the others.
/// Sources are read through `fs` relative to `doc.path`.
Conversion ConvertDocument(const FileSystem& fs, const Document& doc,
                           const RecipeOptions& options = {});

/// The file name a workflow's recipe gets: its id lower-cased, characters outside [a-z0-9._-]
/// as `_` (runs collapsed), + ".md"; "workflow.md" for an id with nothing left.
std::string RecipeFileName(std::string_view workflow_id);

}  // namespace verity::arazzo
