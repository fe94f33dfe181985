// Each issue of a real run, as the executor records it, appears once in every report: a warning
// found in a step's answer is also a documentation issue of its document, and a document used
// through `use:` reports its own warnings, not each document that uses it.
#include <gtest/gtest.h>

#include <string>

#include "report/json_report.h"
#include "report/junit_report.h"
#include "report/markdown_report.h"
#include "report/summary.h"
#include "run/executor_fixture.h"
#include "spec/catalog.h"

namespace verity::run::testing {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

size_t CountPointer(const Json& issues, const std::string& pointer) {
  size_t n = 0;
  for (const Json& issue : issues) n += issue["pointer"] == pointer ? 1 : 0;
  return n;
}

const char* kThingsSpec = R"(openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things/{id}:
    get:
      description: "Available for staff tokens."
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {type: integer}
  /login:
    post:
      description: "Available for staff tokens."
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  token: {type: string}
)";

std::string Doc(const std::string& endpoint, const std::string& sections) {
  return "---\nendpoint: \"" + endpoint +
         "\"\ndomain: test\nstatus: verified\ntokens: [staff]\n---\n\n# Doc\n\n" + sections;
}

class IssuesOnceTest : public ExecutorTest {
 protected:
  IssuesOnceTest() : specs(fs) {
    specs.AddText("specs/things.yaml", kThingsSpec, "things");
    catalog = &specs;
    settings.write_back = false;
  }
  spec::Catalog specs;
};

TEST_F(IssuesOnceTest, AStepWarningAppearsOnceInTheJsonJunitAndMarkdownReports) {
  AddDoc("a.md", Doc("GET /things/{id}",
                     "## Test Request\n\n```yaml\nsteps:\n  - id: get\n    method: GET\n"
                     "    path: /things/7\n```\n"));
  transport.Script("GET", "*", Reply(200, R"({"id":7,"nickname":"Al"})"));
  RunResult result = RunAll();
  const DocumentResult& d = result.documents.at(0);
  ASSERT_EQ(d.outcome, Outcome::kWarn) << d.message;
  ASSERT_EQ(d.reason, "UNDOCUMENTED_FIELD");

  Json errors = report::RunReportJson(result)["results"][0]["details"]["errors"];
  EXPECT_EQ(CountPointer(errors, "/nickname"), 1u) << errors.dump(2);
  EXPECT_EQ(errors.size(), 1u) << errors.dump(2);
  EXPECT_EQ(Count(report::JunitReportXml(result), "issue: UNDOCUMENTED_FIELD at /nickname"), 1u);
  report::MarkdownOptions markdown;
  EXPECT_EQ(Count(report::MarkdownReport(result, markdown), "`/nickname` `UNDOCUMENTED_FIELD`"),
            1u);
}

TEST_F(IssuesOnceTest, AFailedDocumentsJunitTextListsADocumentationIssueOnce) {
  AddDoc("a.md", Doc("GET /things/{id}",
                     "## Test Request\n\n```yaml\nsteps:\n  - id: get\n    method: GET\n"
                     "    path: /things/7\n    onFail: continue\n"
                     "  - id: again\n    method: GET\n    path: /things/8\n```\n"));
  transport.Script("GET", "*/things/7", Reply(200, R"({"id":7,"nickname":"Al"})"));
  transport.Script("GET", "*/things/8", Reply(500));
  RunResult result = RunAll();
  ASSERT_EQ(result.documents.at(0).outcome, Outcome::kFail);
  EXPECT_EQ(Count(report::JunitReportXml(result), "issue: UNDOCUMENTED_FIELD at /nickname"), 1u)
      << report::JunitReportXml(result);
}

TEST_F(IssuesOnceTest, AUsedDocumentsWarningsAreReportedOnItNotOnEachDocumentThatUsesIt) {
  AddDoc("login.md", Doc("POST /login",
                         "## Test Request\n\n```yaml\nsteps:\n  - id: login\n    method: POST\n"
                         "    path: /login\n    extract:\n      session: \"$.token\"\n```\n"));
  for (int i = 0; i < 3; ++i) {
    AddDoc("thing" + std::to_string(i) + ".md",
           Doc("GET /things/{id}",
               "## Prerequisites\n\n```yaml\nsteps:\n  - id: sign_in\n    use: \"POST /login\"\n"
               "```\n\n## Test Request\n\n```yaml\nsteps:\n  - id: get\n    method: GET\n"
               "    path: /things/" +
                   std::to_string(i) + "\n```\n"));
  }
  transport.Script("POST", "*/login", Reply(200, R"({"token":"t","expires":"soon"})"));
  transport.Script("GET", "*/things/2", Reply(500));  // a failure lists its steps in JUnit
  transport.Script("GET", "*", Reply(200, R"({"id":1})"));
  RunResult result = RunAll();
  ASSERT_EQ(result.documents.size(), 4u);
  Json report = report::RunReportJson(result);
  size_t expires = 0;
  for (const Json& r : report["results"]) {
    const Json& errors = r["details"]["errors"];
    expires += CountPointer(errors, "/expires");
    if (r["endpoint"] == "POST /login") {
      EXPECT_EQ(r["status"], "WARN");
      EXPECT_EQ(CountPointer(errors, "/expires"), 1u) << errors.dump(2);
    } else {
      EXPECT_EQ(r["status"], r["file"] == "kb/thing2.md" ? "FAIL" : "PASS") << r.dump(2);
      EXPECT_EQ(CountPointer(errors, "/expires"), 0u) << errors.dump(2);
    }
  }
  EXPECT_EQ(expires, 1u);
  EXPECT_EQ(Count(report::JunitReportXml(result), "issue: UNDOCUMENTED_FIELD at /expires"), 1u)
      << report::JunitReportXml(result);
  EXPECT_EQ(Count(report::MarkdownReport(result, {}), "`/expires` `UNDOCUMENTED_FIELD`"), 1u);
}

}  // namespace
}  // namespace verity::run::testing
