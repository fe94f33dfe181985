// Google Benchmark microbenchmarks of the knowledge-base stages: parse one document, tokenize,
// build the search and index.json indexes, answer one query.
#include "micro.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "doc/parser.h"
#include "generator.h"
#include "kb/index.h"
#include "kb/knowledge_base.h"
#include "kb/search.h"

namespace verity::bench {
namespace {

std::vector<SyntheticDoc> MicroDocs(size_t n) {
  CorpusGenerator gen(20260301);
  std::vector<SyntheticDoc> docs;
  for (size_t i = 0; i < n; ++i) docs.push_back(gen.Next());
  return docs;
}

const char kSeedPath[] = VERITY_SHARED_DIR "/seed/000_11cb7a21dc1c2995.txt";

}  // namespace

int RunMicro(int argc, char** argv) {
  static const std::vector<SyntheticDoc> docs = MicroDocs(2000);
  static std::string seed_text = [] {
    std::ifstream in(kSeedPath, std::ios::binary);
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return s.empty() ? docs.front().text : s;
  }();
  static const std::string median_doc = [] {
    std::vector<const SyntheticDoc*> by_size;
    for (const SyntheticDoc& d : docs) by_size.push_back(&d);
    std::sort(by_size.begin(), by_size.end(),
              [](auto* a, auto* b) { return a->text.size() < b->text.size(); });
    return by_size[by_size.size() / 2]->text;
  }();
  static const kb::KnowledgeBase kb = [] {
    kb::KnowledgeBase k;
    for (const SyntheticDoc& d : docs) k.documents.push_back(doc::ParseDocument(d.text, d.path));
    return k;
  }();

  benchmark::RegisterBenchmark("ParseDocument/seed", [](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(doc::ParseDocument(seed_text, "seed.md"));
    st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * seed_text.size()));
  });
  benchmark::RegisterBenchmark("ParseDocument/median_synthetic", [](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(doc::ParseDocument(median_doc, "median.md"));
    st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * median_doc.size()));
  });
  benchmark::RegisterBenchmark("Tokenize/seed", [](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(kb::Tokenize(seed_text));
    st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * seed_text.size()));
  });
  benchmark::RegisterBenchmark("SearchIndex/2000_docs", [](benchmark::State& st) {
    for (auto _ : st) {
      kb::SearchIndex index(kb);
      benchmark::DoNotOptimize(index.term_count());
    }
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BuildIndex/2000_docs", [](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(kb::BuildIndex(kb, "/kb"));
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("Search/2000_docs", [](benchmark::State& st) {
    static const kb::SearchIndex index(kb);
    static const std::vector<std::string> queries = [] {
      std::vector<QuerySource> sources;
      for (const SyntheticDoc& d : docs) sources.push_back({d.title, d.tags, d.summary});
      return MakeQueries(sources, 256, 7);
    }();
    size_t i = 0;
    for (auto _ : st) benchmark::DoNotOptimize(index.Search(queries[i++ % queries.size()], 10));
  })->Unit(benchmark::kMicrosecond);

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace verity::bench
