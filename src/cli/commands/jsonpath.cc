// `verity jsonpath QUERY [FILE]`: runs one RFC 9535 query against a JSON document, the same engine
// that extracts values from responses, so a recipe's `extract` can be tried before it is run.
#include "expr/jsonpath.h"

#include <fmt/format.h>

#include <iterator>

#include "base/json.h"
#include "cli/commands/commands.h"

namespace verity::cli {

namespace {

struct JsonPathArgs {
  std::string query;
  std::string file;  // empty: standard input
  bool paths = false;
  bool strict = false;
};

// The query with a caret under the offending character, the way compilers point at code.
std::string Pointer(std::string_view query, uint32_t column) {
  std::string caret;
  uint32_t seen = 1;
  for (size_t i = 0; i < query.size() && seen < column; ++i) {
    if ((static_cast<unsigned char>(query[i]) & 0xC0) == 0x80) continue;
    caret += query[i] == '\t' ? '\t' : ' ';
    ++seen;
  }
  return fmt::format("  {}\n  {}^\n", query, caret);
}

int RunJsonPath(const JsonPathArgs& args, Context& ctx) {
  expr::JsonPathError error;
  Result<expr::JsonPath> query =
      expr::JsonPath::Compile(args.query, {.legacy = !args.strict}, &error);
  if (!query.ok()) {
    ctx.err << fmt::format("verity: invalid JSONPath: {}\n{}", error.ToString(),
                           Pointer(args.query, error.column));
    return kExitUsage;
  }

  std::string text;
  std::string source = args.file.empty() ? "<stdin>" : args.file;
  if (args.file.empty()) {
    if (ctx.in == nullptr)
      return ReportFailure(ctx, Status::InvalidArgument("no input: give FILE"));
    text.assign(std::istreambuf_iterator<char>(*ctx.in), std::istreambuf_iterator<char>());
  } else {
    Result<std::string> read = ctx.fs.ReadFile(args.file);
    if (!read.ok()) return ReportFailure(ctx, read.status());
    text = std::move(*read);
  }
  Result<Json> document = ParseJson(text);
  if (!document.ok()) {
    ctx.err << fmt::format("verity: {}: not JSON: {}\n", source, document.status().message());
    return kExitUsage;
  }

  std::vector<expr::JsonPathNode> nodes = query->Evaluate(*document);
  Json out = Json::array();
  for (const expr::JsonPathNode& n : nodes) out.push_back(args.paths ? Json(n.path) : *n.value);
  ctx.out << out.dump(2) << "\n";
  return kExitOk;
}

}  // namespace

void RegisterJsonPath(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<JsonPathArgs>();
  CLI::App* cmd = app.add_subcommand(
      "jsonpath", "Evaluate an RFC 9535 JSONPath query; prints the nodelist as a JSON array");
  cmd->add_option("query", args->query, "The query, e.g. '$.data.clients[0].id'")->required();
  cmd->add_option("file", args->file, "JSON document (default: standard input)");
  cmd->add_flag("--paths", args->paths, "Print normalized paths instead of values");
  cmd->add_flag("--strict", args->strict,
                "RFC 9535 only: refuse the legacy forms ([?(...)] is RFC; '| [0]' is not)");
  cmd->callback([args, &ctx] { ctx.exit_code = RunJsonPath(*args, ctx); });
}

}  // namespace verity::cli
