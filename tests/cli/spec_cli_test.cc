// `verity spec …`, `verity coverage` and `kb lint --spec-root`, in-process on an in-memory file
// system.
#include <gtest/gtest.h>

#include <sstream>

#include "base/clock.h"
#include "base/json.h"
#include "cli/cli.h"
#include "support/memory_file_system.h"

namespace verity::cli {
namespace {

constexpr const char* kPayments = R"({
  "swagger": "2.0",
  "basePath": "/business/payments",
  "paths": {
    "/v1/packages/{uid}": {
      "get": {
        "description": "Available for **Staff tokens**",
        "parameters": [{"name": "uid", "in": "path", "required": true, "type": "string"}],
        "responses": {
          "200": {"description": "ok", "schema": {"$ref": "#/definitions/Envelope"}},
          "404": {"description": "missing"}
        }
      }
    },
    "/v1/packages": {
      "get": {"responses": {"200": {"description": "ok"}}}
    }
  },
  "definitions": {
    "Envelope": {
      "type": "object",
      "required": ["success", "data"],
      "properties": {
        "success": {"type": "boolean"},
        "data": {"type": "object", "properties": {"price": {"type": "integer"}}}
      }
    }
  }
})";

constexpr const char* kClients = R"(openapi: 3.0.3
servers: [{url: 'https://api.example.com/v3'}]
paths:
  /clients:
    post:
      description: Available for **Staff, App tokens**
      responses:
        '201': {description: created}
)";

std::string Doc(const std::string& endpoint, const std::string& status,
                const std::string& swagger) {
  return "---\nendpoint: \"" + endpoint + "\"\ndomain: sales\ntags: [x]\nswagger: \"" + swagger +
         "\"\nstatus: " + status +
         "\nsavedAt: 2026-01-05T10:00:00Z\n---\n# T\n\n## Test Request\n\n```yaml\nsteps:\n  - id: "
         "t\n    method: GET\n    path: \"/x\"\n    token: staff\n```\n";
}

class SpecCliTest : public ::testing::Test {
 protected:
  SpecCliTest() : clock_(0) {
    fs_.Add("specs/swagger/sales/payments.json", kPayments);
    fs_.Add("specs/swagger/clients/clients.yaml", kClients);
    fs_.Add("body_ok.json", R"({"success": true, "data": {"price": 5}})");
    fs_.Add("body_bad.json", R"({"data": {"price": "5", "extra": 1}})");
    fs_.Add("kb/sales/get_package.md", Doc("GET /business/payments/v1/packages/{package_uid}",
                                           "verified", "swagger/sales/payments.json"));
    fs_.Add("kb/sales/typo.md",
            Doc("GET /business/payments/v1/pakages", "pending", "swagger/sales/payments.json"));
    fs_.Add("kb/sales/gone.md",
            Doc("GET /business/payments/v1/packages", "failed", "swagger/sales/nope.json"));
  }
  int Run(std::vector<std::string> args) {
    out_.str(""), err_.str("");
    Context ctx{out_, err_, fs_, clock_};
    return cli::Run(args, ctx);
  }
  testing::MemoryFileSystem fs_;
  FakeClock clock_;
  std::ostringstream out_, err_;
};

TEST_F(SpecCliTest, LsPrintsOneLinePerOperationWithDomainTokensAndResponses) {
  ASSERT_EQ(kExitOk, Run({"spec", "ls", "specs/swagger"}));
  std::string out = out_.str();
  EXPECT_NE(std::string::npos, out.find("GET     /business/payments/v1/packages/{uid}")) << out;
  EXPECT_NE(std::string::npos, out.find("staff")) << out;
  EXPECT_NE(std::string::npos, out.find("200,404")) << out;
  EXPECT_NE(std::string::npos, out.find("POST    /v3/clients")) << out;
  EXPECT_NE(std::string::npos, out.find("3 operations in 2 spec files\n")) << out;
}

TEST_F(SpecCliTest, LsJsonFiltersByDomain) {
  ASSERT_EQ(kExitOk, Run({"spec", "ls", "specs/swagger", "--domain", "clients", "--json"}));
  Json ops = Json::parse(out_.str());
  ASSERT_EQ(1u, ops.size());
  EXPECT_EQ("POST", ops[0]["method"]);
  EXPECT_EQ("/v3/clients", ops[0]["path"]);
  EXPECT_EQ("clients", ops[0]["domain"]);
  EXPECT_EQ((Json{"staff", "app"}), ops[0]["tokens"]);
  EXPECT_EQ((Json{"201"}), ops[0]["responses"]);
}

TEST_F(SpecCliTest, ShowFindsAnOperationByAConcretePath) {
  ASSERT_EQ(kExitOk,
            Run({"spec", "show", "specs/swagger", "GET /business/payments/v1/packages/p1"}));
  std::string out = out_.str();
  EXPECT_EQ(0u, out.find("GET /business/payments/v1/packages/{uid}\n")) << out;
  EXPECT_NE(std::string::npos, out.find("#/definitions/Envelope")) << out;
}

TEST_F(SpecCliTest, ShowSuggestsTheNearestOperationWhenNoneMatches) {
  EXPECT_EQ(kExitFindings,
            Run({"spec", "show", "specs/swagger", "GET /business/payments/v1/pakages"}));
  EXPECT_NE(std::string::npos, err_.str().find("nearest: GET /business/payments/v1/packages"))
      << err_.str();
}

TEST_F(SpecCliTest, CheckPassesAValidBody) {
  EXPECT_EQ(kExitOk, Run({"spec", "check", "specs/swagger", "GET /business/payments/v1/packages/p1",
                          "200", "body_ok.json"}));
  EXPECT_NE(std::string::npos, out_.str().find("0 errors, 0 warnings")) << out_.str();
}

TEST_F(SpecCliTest, CheckReportsEachIssueAndExitsOne) {
  EXPECT_EQ(kExitFindings,
            Run({"spec", "check", "specs/swagger", "GET /business/payments/v1/packages/p1", "200",
                 "body_bad.json", "--json"}));
  Json result = Json::parse(out_.str());
  EXPECT_EQ(false, result["valid"]);
  std::vector<std::string> seen;
  for (const Json& issue : result["issues"]) {
    seen.push_back(issue["code"].get<std::string>() + " " +
                   issue["instancePath"].get<std::string>());
  }
  EXPECT_EQ(
      (std::vector<std::string>{"MISSING_REQUIRED_FIELD /success", "TYPE_MISMATCH /data/price",
                                "UNDOCUMENTED_FIELD /data/extra"}),
      seen);
}

TEST_F(SpecCliTest, CheckSuppressesKnownIssues) {
  EXPECT_EQ(kExitFindings,
            Run({"spec", "check", "specs/swagger", "GET /business/payments/v1/packages/p1", "200",
                 "body_bad.json", "--known-issue", "/data/price"}));
  EXPECT_NE(std::string::npos, out_.str().find("1 error, 1 warning, 1 suppressed")) << out_.str();
}

TEST_F(SpecCliTest, CheckSuppressesTheKnownIssuesOfAWorkflowDocument) {
  std::string doc =
      Doc("GET /business/payments/v1/packages/{uid}", "verified", "swagger/sales/payments.json");
  doc.insert(doc.find("---\n# T"), "knownIssues:\n  - path: /data/price\n  - path: /success\n");
  fs_.Add("kb/sales/known.md", doc);
  EXPECT_EQ(kExitOk, Run({"spec", "check", "specs/swagger", "GET /business/payments/v1/packages/p1",
                          "200", "body_bad.json", "--known-issues-from", "kb/sales/known.md"}));
  EXPECT_NE(std::string::npos, out_.str().find("0 errors, 1 warning, 2 suppressed")) << out_.str();
}

TEST_F(SpecCliTest, AnUndocumentedStatusIsAWarningAsInARun) {
  EXPECT_EQ(kExitOk, Run({"spec", "check", "specs/swagger", "GET /business/payments/v1/packages/p1",
                          "500", "body_ok.json"}));
  EXPECT_NE(std::string::npos, out_.str().find(": warning: status 500 is not documented for GET "
                                               "/business/payments/v1/packages/{uid}"))
      << out_.str();
  EXPECT_NE(std::string::npos, out_.str().find("[UNDOCUMENTED_STATUS]")) << out_.str();
  EXPECT_NE(std::string::npos, out_.str().find("0 errors, 1 warning")) << out_.str();
}

TEST_F(SpecCliTest, CheckRefusesABadStatusAndABadBody) {
  fs_.Add("broken.json", "{\"a\": }");
  EXPECT_EQ(kExitUsage, Run({"spec", "check", "specs/swagger",
                             "GET /business/payments/v1/packages/p1", "2000", "body_ok.json"}));
  EXPECT_EQ(kExitUsage, Run({"spec", "check", "specs/swagger",
                             "GET /business/payments/v1/packages/p1", "200", "broken.json"}));
  EXPECT_NE(std::string::npos, err_.str().find("broken.json: line 1, column 7")) << err_.str();
}

TEST_F(SpecCliTest, CoverageGivesEveryOperationItsStateAndListsUnmatchedDocuments) {
  ASSERT_EQ(kExitOk, Run({"coverage", "--specs", "specs/swagger", "--kb", "kb", "--json"}));
  Json coverage = Json::parse(out_.str());
  std::map<std::string, std::string> state;
  for (const Json& op : coverage["operations"]) {
    state[op["method"].get<std::string>() + " " + op["path"].get<std::string>()] = op["state"];
  }
  EXPECT_EQ("verified", state["GET /business/payments/v1/packages/{uid}"]);
  EXPECT_EQ("failed", state["GET /business/payments/v1/packages"]);
  EXPECT_EQ("none", state["POST /v3/clients"]);
  EXPECT_EQ(3, coverage["total"]["operations"]);
  EXPECT_EQ(2, coverage["total"]["covered"]);
  EXPECT_EQ(1, coverage["byDomain"]["clients"]["none"]);
  ASSERT_EQ(1u, coverage["unmatched"].size());
  EXPECT_EQ("kb/sales/typo.md", coverage["unmatched"][0]["document"]);
  EXPECT_EQ("GET /business/payments/v1/packages", coverage["unmatched"][0]["nearest"]);
}

TEST_F(SpecCliTest, CoverageTextEndsWithTotalsPerDomain) {
  ASSERT_EQ(kExitOk, Run({"coverage", "--specs", "specs/swagger", "--kb", "kb"}));
  std::string out = out_.str();
  EXPECT_NE(std::string::npos,
            out.find("kb/sales/typo.md: GET /business/payments/v1/pakages  (nearest: "
                     "GET /business/payments/v1/packages)"))
      << out;
  EXPECT_NE(std::string::npos, out.find("\ntotal ")) << out;
  EXPECT_NE(std::string::npos, out.find("66.7%")) << out;
}

TEST_F(SpecCliTest, LintWithASpecRootWarnsAboutEndpointsTheNamedSpecLacks) {
  Run({"kb", "lint", "kb", "--spec-root", "specs"});
  std::string out = out_.str();
  EXPECT_NE(std::string::npos,
            out.find("kb/sales/typo.md:2:11: warning: GET /business/payments/v1/pakages is not an "
                     "operation of swagger/sales/payments.json; nearest: GET "
                     "/business/payments/v1/packages [ENDPOINT_NOT_IN_SPEC]"))
      << out;
  EXPECT_NE(std::string::npos,
            out.find("kb/sales/gone.md:5:10: warning: the spec named by 'swagger' "
                     "cannot be used: specs/swagger/sales/nope.json"))
      << out;
  EXPECT_EQ(std::string::npos, out.find("get_package.md:2")) << out;
}

TEST_F(SpecCliTest, ASwaggerFieldLeadingOutOfTheSpecRootIsNeverRead) {
  fs_.Add("secret.json", std::string(kPayments));
  fs_.Add("kb/sales/escape.md",
          Doc("GET /business/payments/v1/packages", "pending", "../secret.json"));
  Run({"kb", "lint", "kb", "--spec-root", "specs"});
  std::string out = out_.str();
  EXPECT_NE(std::string::npos,
            out.find("kb/sales/escape.md:5:10: warning: the spec named by 'swagger' cannot be "
                     "used: specs/../secret.json leads outside specs"))
      << out;
  for (const std::string& read : fs_.reads())
    EXPECT_EQ(read.find("secret.json"), std::string::npos);
}

TEST_F(SpecCliTest, ARelativeSwaggerIsMatchedByItsPathUnderTheSpecRootNeverByItsBaseName) {
  fs_.Add("specs/payments.json", std::string(kPayments));
  fs_.Add("kb/sales/moved.md",
          Doc("GET /business/payments/v1/packages", "pending", "old/payments.json"));
  Run({"kb", "lint", "kb", "--spec-root", "specs"});
  std::string out = out_.str();
  EXPECT_NE(std::string::npos,
            out.find("kb/sales/moved.md:5:10: warning: the spec named by 'swagger' cannot be "
                     "used: specs/old/payments.json: no such file [SPEC_NOT_FOUND]"))
      << out;
  EXPECT_EQ(std::string::npos, out.find("SPEC_PATH_NOT_RELATIVE")) << out;
}

TEST_F(SpecCliTest, AnAbsoluteSwaggerFromAnotherMachineIsMatchedByItsPartUnderTheSpecRoot) {
  fs_.Add("specs/payments.json", std::string(kClients));
  fs_.Add("kb/sales/abs.md", Doc("GET /business/payments/v1/packages", "pending",
                                 "/Users/me/GitHub/hub/swagger/sales/payments.json"));
  fs_.Add("kb/sales/named_root.md", Doc("GET /business/payments/v1/packages", "pending",
                                        "/Users/me/specs/swagger/sales/payments.json"));
  fs_.Add("kb/sales/base_only.md",
          Doc("GET /business/payments/v1/packages", "pending", "/Users/me/payments.json"));
  Run({"kb", "lint", "kb", "--spec-root", "specs"});
  std::string out = out_.str();
  for (const char* doc : {"abs.md", "named_root.md"}) {
    EXPECT_NE(std::string::npos,
              out.find(std::string("kb/sales/") + doc +
                       ":5:10: warning: 'swagger' is an absolute path; relative to the spec root "
                       "it is swagger/sales/payments.json: write that [SPEC_PATH_NOT_RELATIVE]"))
        << out;
  }
  EXPECT_EQ(std::string::npos, out.find("abs.md:2:11")) << out;
  // specs/payments.json shares only the base name: it is not the file that was meant.
  EXPECT_NE(std::string::npos, out.find("kb/sales/base_only.md:5:10: warning: the spec named by "
                                        "'swagger' cannot be used"))
      << out;
}

}  // namespace
}  // namespace verity::cli
