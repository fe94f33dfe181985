// Loading specs for a command and printing operations, shared by `spec`, `coverage` and
// `kb lint --spec-root`.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/context.h"
#include "spec/catalog.h"

namespace CLI {
class App;
}

namespace verity::cli {

struct SpecArgs {
  std::vector<std::string> spec_paths;
  std::vector<std::string> ref_maps;  // "URL=DIR"
};

/// Adds --ref-map to a command.
void AddRefMapOption(CLI::App& cmd, SpecArgs& args);

/// A catalog with --ref-map applied, before anything is added. Null (and the exit code set) when
/// a --ref-map is malformed.
std::unique_ptr<spec::Catalog> NewCatalog(Context& ctx, const SpecArgs& args);

/// Loads every spec path; file-level problems go to stderr as warnings. Null when a given path
/// does not exist (exit code set).
std::unique_ptr<spec::Catalog> LoadCatalogOrReport(Context& ctx, const SpecArgs& args);

/// Writes "file: warning: message [CODE]" for problems of whole files, and one summary line for
/// problems inside operations (unresolvable refs and the like).
void PrintCatalogProblems(std::ostream& err, const spec::Catalog& catalog, size_t from = 0);

/// `spec ls --json` object of an operation.
Json OperationSummaryJson(const spec::Operation& op);

/// "staff, app" or "(none documented)".
std::string TokenList(const spec::Operation& op);

}  // namespace verity::cli
