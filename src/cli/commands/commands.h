// One registration function per subcommand; each lives in its own file.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace verity::cli {

void RegisterKbLint(CLI::App& kb, Context& ctx);
void RegisterKbShow(CLI::App& kb, Context& ctx);
void RegisterKbLs(CLI::App& kb, Context& ctx);
void RegisterKbSearch(CLI::App& kb, Context& ctx);
void RegisterKbIndex(CLI::App& kb, Context& ctx);
void RegisterKbSet(CLI::App& kb, Context& ctx);
void RegisterKbNew(CLI::App& kb, Context& ctx);
void RegisterJsonPath(CLI::App& app, Context& ctx);
void RegisterRender(CLI::App& app, Context& ctx);
void RegisterSpec(CLI::App& app, Context& ctx);
void RegisterCoverage(CLI::App& app, Context& ctx);
void RegisterConfig(CLI::App& app, Context& ctx);
void RegisterRun(CLI::App& app, Context& ctx);
void RegisterDraft(CLI::App& app, Context& ctx);
void RegisterMock(CLI::App& app, Context& ctx);
void RegisterDemo(CLI::App& app, Context& ctx);
void RegisterHistory(CLI::App& app, Context& ctx);
void RegisterReport(CLI::App& app, Context& ctx);
void RegisterScanFallback(CLI::App& app, Context& ctx);
void RegisterServe(CLI::App& app, Context& ctx);
void RegisterArazzo(CLI::App& app, Context& ctx);
/// `arazzo import`, under the `arazzo` command (arazzo_import.cc).
void RegisterArazzoImport(CLI::App& arazzo, Context& ctx);

}  // namespace verity::cli
