// A knowledge base with three recipes of one endpoint, run as a whole: a key-value API's put, its
// two negative cases (a missing key, an unknown lease) and a range read that `use:`s the put. The
// console, the reports and the coverage must tell the three puts apart, and the `use:` must run
// the primary, never a negative case that happens to sort first.
#include <gtest/gtest.h>

#include <sstream>

#include "base/strings.h"
#include "kb/spec_links.h"
#include "report/console.h"
#include "report/json_report.h"
#include "report/junit_report.h"
#include "report/markdown_report.h"
#include "run/executor_fixture.h"
#include "spec/catalog.h"

namespace verity::run::testing {
namespace {

std::string Recipe(const std::string& endpoint, const std::string& variant,
                   const std::string& domain, const std::string& extra_frontmatter,
                   const std::string& body) {
  std::string out = "---\nendpoint: \"" + endpoint + "\"\n";
  if (!variant.empty()) out += "variant: " + variant + "\n";
  // Verified: these recipes passed before, so a failure now demotes the recipe (write-back).
  out += "domain: " + domain + "\nstatus: verified\ntokens: [staff]\n" + extra_frontmatter +
         "---\n\n# KV\n\n" + body;
  return out;
}

const char kPut[] = R"(## Test Request

```yaml
steps:
  - id: put
    method: POST
    path: /v3/kv/put
    body: {key: "Zm9v", value: "YmFy"}
    extract:
      revision: "$.header.revision"
```
)";

const char kPutWithoutKey[] = R"(## Test Request

```yaml
steps:
  - id: put_without_key
    method: POST
    path: /v3/kv/put
    body: {value: "YmFy"}
```
)";

const char kPutWithUnknownLease[] = R"(## Test Request

```yaml
steps:
  - id: put_with_unknown_lease
    method: POST
    path: /v3/kv/put
    params: {lease: 999}
    body: {key: "Zm9v", value: "YmFy"}
    expect:
      status: 404
```
)";

const char kRange[] = R"(## Prerequisites

```yaml
steps:
  - id: seed
    use: "POST /v3/kv/put"
```

## Test Request

```yaml
steps:
  - id: range
    method: POST
    path: /v3/kv/range
    body: {key: "Zm9v", revision: "{{revision}}"}
```
)";

const char kKvSpec[] = R"({
  "openapi": "3.0.3",
  "info": {"title": "kv", "version": "3"},
  "paths": {
    "/v3/kv/put": {"post": {"responses": {"200": {"description": "stored"}}}},
    "/v3/kv/range": {"post": {"responses": {"200": {"description": "found"}}}}
  }
})";

class VariantsRunTest : public ExecutorTest {
 protected:
  VariantsRunTest() {
    settings.failures_before_failed = 1;
    // The negative case that sorts first: its folder, "kv-negative", comes before "kv/".
    AddDoc("kv-negative/post_v3_kv_put__missing-key.md",
           Recipe("POST /v3/kv/put", "missing-key", "kv-negative", "expectedOutcome: 400\n",
                  kPutWithoutKey));
    AddDoc("kv/post_v3_kv_put.md", Recipe("POST /v3/kv/put", "", "kv", "", kPut));
    AddDoc("kv/post_v3_kv_put__bad-lease.md",
           Recipe("POST /v3/kv/put", "bad-lease", "kv", "", kPutWithUnknownLease));
    AddDoc("kv/post_v3_kv_range.md", Recipe("POST /v3/kv/range", "", "kv", "", kRange));
    // The server is lax: it stores a value without a key (200 where 400 is documented), which is
    // what the missing-key recipe is there to catch.
    transport.Script("POST", "*/v3/kv/put?lease=*",
                     Reply(404, R"({"error":"etcdserver: requested lease not found"})"));
    transport.Script("POST", "*/v3/kv/put", Reply(200, R"({"header":{"revision":"7"}})"));
    transport.Script("POST", "*/v3/kv/range", Reply(200, R"({"kvs":[{"key":"Zm9v"}],"count":1})"));
  }

  const DocumentResult& Find(const RunResult& result, const std::string& file) {
    for (const DocumentResult& d : result.documents)
      if (d.file == file) return d;
    throw std::out_of_range(file);
  }
};

TEST_F(VariantsRunTest, EachResultCarriesItsVariantAndUseRunsThePrimary) {
  RunResult result = RunAll();
  ASSERT_EQ(4u, result.documents.size());
  const DocumentResult& primary = Find(result, "kb/kv/post_v3_kv_put.md");
  const DocumentResult& missing = Find(result, "kb/kv-negative/post_v3_kv_put__missing-key.md");
  const DocumentResult& lease = Find(result, "kb/kv/post_v3_kv_put__bad-lease.md");
  const DocumentResult& range = Find(result, "kb/kv/post_v3_kv_range.md");
  EXPECT_EQ("", primary.variant);
  EXPECT_EQ("missing-key", missing.variant);
  EXPECT_EQ("bad-lease", lease.variant);
  EXPECT_EQ(Outcome::kPass, primary.outcome) << primary.message;
  EXPECT_EQ(Outcome::kFail, missing.outcome);
  EXPECT_EQ(Outcome::kPass, lease.outcome) << lease.message;
  EXPECT_EQ(Outcome::kPass, range.outcome) << range.message;
  ASSERT_FALSE(range.steps.empty());
  EXPECT_EQ("use", range.steps[0].section);
  EXPECT_EQ("kb/kv/post_v3_kv_put.md", range.steps[0].used_document);
  EXPECT_EQ("7", range.steps[0].extracted["revision"]);
}

TEST_F(VariantsRunTest, TheConsoleAndEveryReportTellTheThreePutsApart) {
  std::ostringstream console;
  report::ConsoleOptions options;
  options.verbose = true;
  report::ConsoleReporter reporter(console, options);
  reporter.Attach(bus);
  RunResult result = RunAll();

  std::vector<std::string> put_lines;
  const std::string printed = console.str();  // Split's views point into it
  for (std::string_view line : Split(printed, '\n'))
    if (line.find("POST /v3/kv/put") != std::string_view::npos &&
        line.find("kv/range") == std::string_view::npos)
      put_lines.emplace_back(line);
  auto has_line = [&](const std::string& outcome, const std::string& label) {
    for (const std::string& line : put_lines) {
      if (!line.starts_with(outcome)) continue;
      size_t at = line.find(label);
      // The label is whole: "POST /v3/kv/put" must not be the front of a variant's label.
      if (at != std::string::npos &&
          (at + label.size() == line.size() || line[at + label.size()] == ' ') &&
          (label.back() == ']' || line.compare(at + label.size(), 2, " [") != 0))
        return true;
    }
    return false;
  };
  EXPECT_TRUE(has_line("PASS", "POST /v3/kv/put")) << console.str();
  EXPECT_TRUE(has_line("FAIL", "POST /v3/kv/put [missing-key]")) << console.str();
  EXPECT_TRUE(has_line("PASS", "POST /v3/kv/put [bad-lease]")) << console.str();

  Json json = report::RunReportJson(result);
  std::map<std::string, Json> variant_of;
  for (const Json& r : json["results"]) variant_of[r["file"].get<std::string>()] = r["variant"];
  EXPECT_EQ(Json(nullptr), variant_of["kb/kv/post_v3_kv_put.md"]);
  EXPECT_EQ(Json("missing-key"), variant_of["kb/kv-negative/post_v3_kv_put__missing-key.md"]);
  EXPECT_EQ(Json("bad-lease"), variant_of["kb/kv/post_v3_kv_put__bad-lease.md"]);

  std::string junit = report::JunitReportXml(result);
  EXPECT_NE(std::string::npos, junit.find("name=\"POST /v3/kv/put [missing-key]\""));
  EXPECT_NE(std::string::npos, junit.find("name=\"POST /v3/kv/put [bad-lease]\""));
  EXPECT_NE(std::string::npos, junit.find("name=\"POST /v3/kv/put\""));
  EXPECT_NE(std::string::npos,
            report::MarkdownReport(result).find("`POST /v3/kv/put [missing-key]`"));
}

TEST_F(VariantsRunTest, AfterTheRunCoverageIsThePrimarysAndTheFailedNegativeCaseIsListed) {
  RunResult result = RunAll();
  ASSERT_EQ(4u, result.documents.size());
  // The run wrote each outcome back; coverage reads the knowledge base as it is now.
  Result<kb::KnowledgeBase> after = kb::LoadKnowledgeBase(fs, {"kb"});
  ASSERT_TRUE(after.ok());
  spec::Catalog catalog(fs);
  catalog.AddText("specs/kv.json", kKvSpec, "kv");
  kb::Coverage coverage = kb::ComputeCoverage(catalog, *after);
  const kb::CoveredOperation* put = nullptr;
  for (const kb::CoveredOperation& op : coverage.operations)
    if (op.operation->path == "/v3/kv/put") put = &op;
  ASSERT_NE(nullptr, put);
  EXPECT_EQ(3u, put->documents.size());
  EXPECT_EQ("verified", put->state);
  ASSERT_EQ(1u, put->failing_variants.size());
  EXPECT_EQ("kb/kv-negative/post_v3_kv_put__missing-key.md", put->failing_variants[0]->file);
}

TEST_F(VariantsRunTest, AnEndpointTargetRunsThePrimaryWithItsVariantsAndAFileRunsOne) {
  Selection by_endpoint;
  by_endpoint.targets = {"POST /v3/kv/put"};
  EXPECT_EQ(3u, RunAll(by_endpoint).documents.size());
  Selection by_file;
  by_file.targets = {"kb/kv/post_v3_kv_put__bad-lease.md"};
  RunResult one = RunAll(by_file);
  ASSERT_EQ(1u, one.documents.size());
  EXPECT_EQ("bad-lease", one.documents[0].variant);
  // The label the console prints picks the same recipe.
  Selection by_label;
  by_label.targets = {"POST /v3/kv/put [missing-key]"};
  RunResult labelled = RunAll(by_label);
  ASSERT_EQ(1u, labelled.documents.size());
  EXPECT_EQ("missing-key", labelled.documents[0].variant);
}

}  // namespace
}  // namespace verity::run::testing

namespace verity::run::testing {
namespace {

TEST_F(ExecutorTest, AUseOfAnEndpointWithOnlyVariantsFailsNamingThem) {
  AddDoc("kv/post_v3_kv_put__missing-key.md",
         Recipe("POST /v3/kv/put", "missing-key", "kv", "expectedOutcome: 400\n", kPutWithoutKey));
  AddDoc("kv/post_v3_kv_range.md", Recipe("POST /v3/kv/range", "", "kv", "", kRange));
  Selection selection;
  selection.targets = {"kb/kv/post_v3_kv_range.md"};
  DocumentResult range = Only(RunAll(selection));
  EXPECT_EQ(Outcome::kFail, range.outcome);
  ASSERT_FALSE(range.steps.empty());
  EXPECT_EQ("USE_NOT_FOUND", range.steps[0].reason);
  EXPECT_NE(std::string::npos,
            range.steps[0].message.find("\"POST /v3/kv/put\" has only variant recipes "
                                        "(kb/kv/post_v3_kv_put__missing-key.md)"))
      << range.steps[0].message;
  EXPECT_TRUE(transport.requests().empty());
}

}  // namespace
}  // namespace verity::run::testing
