#include <fmt/format.h>

#include <cmath>

#include "base/strings.h"
#include "cli/commands/commands.h"
#include "cli/output.h"
#include "doc/status_vocabulary.h"
#include "kb/search.h"

namespace verity::cli {

namespace {

struct SearchArgs {
  std::string path;
  std::string query;
  size_t limit = 10;
  kb::DocumentFilter filter;
  bool json = false;
};

int RunSearch(const SearchArgs& args, Context& ctx) {
  std::optional<kb::KnowledgeBase> kb = LoadOrReport(ctx, {args.path});
  if (!kb) return ctx.exit_code;
  kb::SearchIndex index(*kb);
  std::vector<kb::SearchHit> hits = index.Search(args.query, args.limit, args.filter);
  if (args.json) {
    Json arr = Json::array();
    for (const kb::SearchHit& h : hits) {
      Json j = DocumentSummaryJson(kb->documents[h.document]);
      j["score"] = std::round(h.score * 1000) / 1000;
      j["matched"] = h.matched;
      arr.push_back(j);
    }
    ctx.out << arr.dump(2) << "\n";
    return kExitOk;
  }
  for (size_t i = 0; i < hits.size(); ++i) {
    const doc::Document& d = kb->documents[hits[i].document];
    const doc::Frontmatter& fm = d.frontmatter;
    ctx.out << fmt::format("{:>2}. {:6.2f}  {}  [{}, {}]\n", i + 1, hits[i].score, fm.endpoint,
                           fm.status ? doc::StatusName(*fm.status) : "?", fm.domain);
    std::string summary = kb::SummaryExcerpt(d, 110);
    if (d.title || !summary.empty())
      ctx.out << fmt::format("           {}{}{}\n", d.title.value_or(""),
                             d.title && !summary.empty() ? " — " : "", summary);
    ctx.out << fmt::format("           {}\n", d.file);
  }
  if (hits.empty()) ctx.out << fmt::format("no document matches {}\n", Quoted(args.query));
  return kExitOk;
}

}  // namespace

void RegisterKbSearch(CLI::App& kb, Context& ctx) {
  auto args = std::make_shared<SearchArgs>();
  CLI::App* cmd = kb.add_subcommand("search", "Ranked full-text search (BM25F)");
  cmd->add_option("path", args->path, "Knowledge base folder")->required();
  cmd->add_option("query", args->query, "Words to look for")->required();
  cmd->add_option("--limit", args->limit, "Most results to show")->check(CLI::PositiveNumber);
  AddFilterOptions(*cmd, args->filter);
  cmd->add_flag("--json", args->json, "Print a JSON array, best first");
  cmd->callback([args, &ctx] { ctx.exit_code = RunSearch(*args, ctx); });
}

}  // namespace verity::cli
