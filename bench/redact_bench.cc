// verity_redact_bench: what masking costs (Google Benchmark). The run redacts every body it
// records, so the cost per megabyte matters:
//   - a 1 MB body with three secrets configured, as plain text, as JSON dense with escapes (a
//     second pass over the decoded text), and as HTML with character references;
//   - the same JSON with the secret in it, JSON-escaped;
//   - a 60 MB body recorded the way the run does (redact the kept part, then cut to 64 KiB);
//   - building the redactor (three tokens and a derived value).
// Run from a Release build: tools/bench.sh --redact
#include <benchmark/benchmark.h>

#include <string>

#include "http/mask.h"
#include "run/step_eval.h"

namespace verity::bench {
namespace {

const char* const kSecrets[] = {
    "CANARY/tok+7f3e9a1b/2c4d5e6f==", "staff-0123456789abcdef0123456789abcdef",
    "dir.9f8e7d6c5b4a39281706f5e4d3c2b1a0"};

http::SecretRedactor Redactor() {
  http::SecretRedactor r;
  for (const char* s : kSecrets) r.Add(s);
  return r;
}

std::string Repeat(const std::string& unit, size_t bytes) {
  std::string out;
  out.reserve(bytes + unit.size());
  while (out.size() < bytes) out += unit;
  return out;
}

std::string PlainText() {
  return Repeat("abcdefghij klmnopqrstuvwxyz 0123456789 ABCDEFGHIJKLMNOP\n", 1 << 20);
}

std::string EscapedJson() {
  return Repeat(
      R"({"id":"c_123456","name":"Client \u00e9 with a \/ slash","url":"https:\/\/x.example\/a?b=1&c=%20","n":12.5},)",
      1 << 20);
}

std::string Html() {
  return Repeat("<p class=\"row\">Plain text about clients &amp; packages, 42 of them.</p>\n",
                1 << 20);
}

void Redact(benchmark::State& state, const std::string& text) {
  http::SecretRedactor r = Redactor();
  for (auto _ : state) benchmark::DoNotOptimize(r.Redact(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void BM_RedactPlainText1MB(benchmark::State& state) { Redact(state, PlainText()); }
void BM_RedactEscapedJson1MB(benchmark::State& state) { Redact(state, EscapedJson()); }
void BM_RedactHtml1MB(benchmark::State& state) { Redact(state, Html()); }

void BM_RedactEscapedJsonHoldingTheSecret1MB(benchmark::State& state) {
  std::string text = EscapedJson();
  for (size_t at = 1000; at < text.size(); at += 100000)
    text.insert(at, R"("error":"invalid token CANARY\/tok+7f3e9a1b\/2c4d5e6f==",)");
  Redact(state, text);
}

void BM_RecordA60MBBodyCutTo64KiB(benchmark::State& state) {
  http::SecretRedactor r = Redactor();
  std::string text = Repeat("abcdefghij klmnopqrstuvwxyz 0123456789 ABCDEFGHIJKLMNOP\n", 60 << 20);
  for (auto _ : state) benchmark::DoNotOptimize(run::RedactThenCap(text, 64 * 1024, false, r));
}

void BM_BuildTheRedactor(benchmark::State& state) {
  for (auto _ : state) {
    http::SecretRedactor r = Redactor();
    r.AddDerived("CANARY/tok+7f3");
    benchmark::DoNotOptimize(r);
  }
}

BENCHMARK(BM_RedactPlainText1MB)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RedactEscapedJson1MB)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RedactHtml1MB)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RedactEscapedJsonHoldingTheSecret1MB)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RecordA60MBBodyCutTo64KiB)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_BuildTheRedactor)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace verity::bench

BENCHMARK_MAIN();
