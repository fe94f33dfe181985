#include "cli/spec_output.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "base/strings.h"

namespace verity::cli {

void AddRefMapOption(CLI::App& cmd, SpecArgs& args) {
  cmd.add_option("--ref-map", args.ref_maps,
                 "Read $refs under URL from a local folder: URL=DIR (repeatable)");
}

std::unique_ptr<spec::Catalog> NewCatalog(Context& ctx, const SpecArgs& args) {
  spec::SpecSetOptions options;
  for (const std::string& map : args.ref_maps) {
    size_t eq = map.rfind('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == map.size()) {
      ctx.err << "verity: --ref-map wants URL=DIR, got '" << map << "'\n";
      ctx.exit_code = kExitUsage;
      return nullptr;
    }
    options.url_mappings.emplace_back(map.substr(0, eq), map.substr(eq + 1));
  }
  return std::make_unique<spec::Catalog>(ctx.fs, std::move(options));
}

std::unique_ptr<spec::Catalog> LoadCatalogOrReport(Context& ctx, const SpecArgs& args) {
  std::unique_ptr<spec::Catalog> catalog = NewCatalog(ctx, args);
  if (!catalog) return nullptr;
  bool all_found = true;
  for (const std::string& path : args.spec_paths) all_found = catalog->Add(path) && all_found;
  PrintCatalogProblems(ctx.err, *catalog);
  if (!all_found) {
    ctx.exit_code = kExitUsage;
    return nullptr;
  }
  return catalog;
}

void PrintCatalogProblems(std::ostream& err, const spec::Catalog& catalog, size_t from) {
  std::map<std::string, size_t> inner;
  for (size_t i = from; i < catalog.problems().size(); ++i) {
    const spec::CatalogProblem& problem = catalog.problems()[i];
    if (problem.is_error) {
      err << fmt::format("{}: warning: {} [{}]\n", problem.location, problem.message, problem.code);
    } else {
      inner[problem.code]++;
    }
  }
  if (inner.empty()) return;
  std::string parts;
  for (const auto& [code, count] : inner) {
    parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", count, code);
  }
  err << "note: inside the specs: " << parts << " (`verity spec problems` lists them)\n";
}

std::string TokenList(const spec::Operation& op) {
  if (op.tokens.tokens.empty()) return op.tokens.is_legacy ? "(legacy auth)" : "(none documented)";
  return Join(op.tokens.tokens, ", ");
}

Json OperationSummaryJson(const spec::Operation& op) {
  Json out = Json::object();
  out["method"] = op.method;
  out["path"] = op.path;
  out["spec"] = op.file->path;
  out["domain"] = op.domain;
  out["operationId"] = op.operation_id;
  out["summary"] = op.summary;
  out["tokens"] = op.tokens.tokens;
  out["tokenSource"] = op.tokens.source;
  out["responses"] = op.StatusCodes();
  out["deprecated"] = op.deprecated;
  return out;
}

}  // namespace verity::cli
