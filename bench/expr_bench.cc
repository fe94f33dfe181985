// verity_expr_bench: the expression layer's costs (Google Benchmark).
//   - compiling the JSONPath expressions real recipes use;
//   - evaluating them on a parsed 10 MB response (goal: a compiled simple path <= 1 us);
//   - a filter over 100 000 objects (goal: <= 20 ms);
//   - rendering a step-sized template.
// Run from a Release build: tools/bench.sh --expr
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/json.h"
#include "expr/jsonpath.h"

namespace verity::bench {
namespace {

// The most used corpus expressions, and its more unusual forms (filters, `| [0]`).
const std::vector<std::string> kCorpusExpressions = {
    "$.data.clients[0].id",
    "$.data.uid",
    "$.data.matters[0].uid",
    "$.uid",
    "$.data.client.id",
    "$.data[0].uid",
    "$.data.clients[?(@.last_name=='Card Client')].id",
    "$.data.payment_requests[?(@.state == 'pending' && @.amount != '0.0')].uid | [0]",
    "$.data.skus[?(@.type=='addon')].code_name | [0]",
    "$.data[?(@.service_type == 'event')].uid",
};

// A client list shaped like the API's, grown to about `bytes` of JSON text.
Json LargeResponse(size_t bytes) {
  Json clients = Json::array();
  size_t size = 0;
  for (int i = 0; size < bytes; ++i) {
    Json c = {{"id", "c" + std::to_string(i)},
              {"first_name", "Client"},
              {"last_name", i % 97 == 0 ? "Card Client" : "Number " + std::to_string(i)},
              {"email", "client" + std::to_string(i) + "@example.com"},
              {"status", i % 3 == 0 ? "lead" : "customer"},
              {"conversations_count", i % 5},
              {"tags", {"vip", "newsletter"}},
              {"address", {{"city", "Springfield"}, {"zip", std::to_string(10000 + i % 90000)}}}};
    size += c.dump().size() + 1;
    clients.push_back(std::move(c));
  }
  return {{"data", {{"clients", std::move(clients)}, {"uid", "u1"}}}, {"uid", "root"}};
}

const Json& TenMegabytes() {
  static const Json doc = LargeResponse(10u << 20);
  return doc;
}

const Json& HundredThousandObjects() {
  static const Json doc = [] {
    Json items = Json::array();
    for (int i = 0; i < 100000; ++i)
      items.push_back({{"id", i},
                       {"state", i % 4 == 0 ? "pending" : "paid"},
                       {"amount", (i % 1000) / 10.0},
                       {"type", i % 10 == 0 ? "addon" : "base"}});
    return Json{{"data", {{"payment_requests", std::move(items)}}}};
  }();
  return doc;
}

expr::JsonPath MustCompile(const std::string& text) {
  Result<expr::JsonPath> q = expr::JsonPath::Compile(text);
  if (!q.ok()) {
    fprintf(stderr, "cannot compile %s: %s\n", text.c_str(), q.status().message().c_str());
    abort();
  }
  return std::move(q).value();
}

void BM_CompileCorpusExpressions(benchmark::State& state) {
  for (auto _ : state)
    for (const std::string& e : kCorpusExpressions)
      benchmark::DoNotOptimize(expr::JsonPath::Compile(e));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kCorpusExpressions.size()));
}
BENCHMARK(BM_CompileCorpusExpressions);

// One compiled expression evaluated on the 10 MB response; arg = index in kCorpusExpressions.
void BM_EvaluateOn10MB(benchmark::State& state) {
  const std::string& text = kCorpusExpressions[static_cast<size_t>(state.range(0))];
  expr::JsonPath q = MustCompile(text);
  const Json& doc = TenMegabytes();
  for (auto _ : state) benchmark::DoNotOptimize(q.Evaluate(doc));
  state.SetLabel(text);
}
BENCHMARK(BM_EvaluateOn10MB)->DenseRange(0, static_cast<int>(kCorpusExpressions.size()) - 1);

void BM_DescendantOn10MB(benchmark::State& state) {
  expr::JsonPath q = MustCompile("$..zip");
  const Json& doc = TenMegabytes();
  for (auto _ : state) benchmark::DoNotOptimize(q.Evaluate(doc));
  state.SetLabel("$..zip");
}
BENCHMARK(BM_DescendantOn10MB)->Unit(benchmark::kMillisecond);

void BM_FilterOver100kObjects(benchmark::State& state) {
  expr::JsonPath q =
      MustCompile("$.data.payment_requests[?@.state == 'pending' && @.amount > 50].id");
  const Json& doc = HundredThousandObjects();
  for (auto _ : state) benchmark::DoNotOptimize(q.Evaluate(doc));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 100000));
}
BENCHMARK(BM_FilterOver100kObjects)->Unit(benchmark::kMillisecond);

void BM_FilterWithMatchOver100kObjects(benchmark::State& state) {
  expr::JsonPath q = MustCompile("$.data.payment_requests[?match(@.type, 'add.*')].id");
  const Json& doc = HundredThousandObjects();
  for (auto _ : state) benchmark::DoNotOptimize(q.Evaluate(doc));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 100000));
}
BENCHMARK(BM_FilterWithMatchOver100kObjects)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace verity::bench

BENCHMARK_MAIN();
