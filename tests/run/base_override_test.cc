// RunSettings::base_override, exactly, on the scripted transport: a forced base wins over a
// step's `useFallback`, a document's and a `use:`d document's `useFallbackApi`, and the gateway
// resend; named bases keep their paths.
#include <gtest/gtest.h>

#include "run/executor_fixture.h"

namespace verity::run::testing {
namespace {

std::string Doc(const std::string& endpoint, const std::string& frontmatter_extra,
                const std::string& sections) {
  return "---\nendpoint: \"" + endpoint + "\"\ndomain: test\nstatus: pending\ntokens: [staff]\n" +
         frontmatter_extra + "---\n\n# Doc\n\n" + sections;
}

const char kForcingSteps[] = R"(## Prerequisites

```yaml
steps:
  - id: step_fallback
    method: GET
    path: "/a"
    useFallback: true
  - id: step_fallback_api
    method: GET
    path: "/b"
    useFallbackApi: true
  - id: borrowed
    use: "GET /helper"
```

## Test Request

```yaml
steps:
  - id: test
    method: GET
    path: "/c"
```
)";

const char kHelperSteps[] = R"(## Test Request

```yaml
steps:
  - id: helper
    method: GET
    path: "/helper"
```
)";

class BaseOverrideTest : public ExecutorTest {
 protected:
  void AddForcingDocuments() {
    AddDoc("forcing.md", Doc("GET /c", "useFallbackApi: true\n", kForcingSteps));
    AddDoc("helper.md", Doc("GET /helper", "useFallbackApi: true\n", kHelperSteps));
  }
  std::vector<std::string> SentUrls() const {
    std::vector<std::string> urls;
    for (const http::HttpRequest& r : transport.requests()) urls.push_back(r.url);
    return urls;
  }
};

TEST_F(BaseOverrideTest, ForcedPrimarySendsStepDocumentAndUsedDocumentFallbacksToThePrimary) {
  AddForcingDocuments();
  transport.SetDefault(Reply(200));
  settings.base_override = BaseOverride::kPrimary;
  Selection only_forcing;
  only_forcing.targets = {"kb/forcing.md"};
  RunResult result = RunAll(only_forcing);
  EXPECT_EQ(Only(result).outcome, Outcome::kPass) << Only(result).message;
  EXPECT_EQ(SentUrls(), (std::vector<std::string>{
                            std::string(kPrimary) + "/a", std::string(kPrimary) + "/b",
                            std::string(kPrimary) + "/helper", std::string(kPrimary) + "/c"}));
  EXPECT_FALSE(Only(result).used_fallback);
}

TEST_F(BaseOverrideTest, ForcedFallbackSendsEveryRequestToTheFallback) {
  AddDoc("plain.md", Doc("GET /c", "",
                         "## Test Request\n\n```yaml\nsteps:\n  - id: t\n"
                         "    method: GET\n    path: \"/c\"\n```\n"));
  transport.SetDefault(Reply(200));
  settings.base_override = BaseOverride::kFallback;
  RunResult result = RunAll();
  EXPECT_EQ(Only(result).outcome, Outcome::kPass);
  EXPECT_EQ(SentUrls(), (std::vector<std::string>{std::string(kFallback) + "/c"}));
}

TEST_F(BaseOverrideTest, ForcedPrimaryDoesNotResendAGatewayFailureToTheFallback) {
  AddDoc("plain.md", Doc("GET /c", "",
                         "## Test Request\n\n```yaml\nsteps:\n  - id: t\n"
                         "    method: GET\n    path: \"/c\"\n```\n"));
  transport.Script("GET", std::string(kPrimary) + "/c", Reply(502, R"({"error":"Bad Gateway"})"));
  transport.SetDefault(Reply(200));
  settings.base_override = BaseOverride::kPrimary;
  RunResult result = RunAll();
  EXPECT_EQ(Only(result).http_status, 502);
  EXPECT_NE(Only(result).outcome, Outcome::kPass);
  EXPECT_EQ(SentUrls(), (std::vector<std::string>{std::string(kPrimary) + "/c"}));
}

TEST_F(BaseOverrideTest, WithoutAnOverrideTheGatewayResendStillHappens) {
  AddDoc("plain.md", Doc("GET /c", "",
                         "## Test Request\n\n```yaml\nsteps:\n  - id: t\n"
                         "    method: GET\n    path: \"/c\"\n```\n"));
  transport.Script("GET", std::string(kPrimary) + "/c", Reply(502, R"({"error":"Bad Gateway"})"));
  transport.SetDefault(Reply(200));
  RunResult result = RunAll();
  EXPECT_EQ(Only(result).outcome, Outcome::kWarn);
  EXPECT_EQ(SentUrls().size(), 2u);
}

TEST_F(BaseOverrideTest, NamedBasesKeepTheirPathsWhateverTheOverride) {
  settings.bases.push_back({"partners", "https://partners.test", {"/v1/partners/*"}, {}});
  AddDoc("lead.md", Doc("POST /v1/partners/leads", "useFallbackApi: true\n",
                        "## Test Request\n\n```yaml\nsteps:\n  - id: t\n    method: POST\n"
                        "    path: \"/v1/partners/leads\"\n```\n"));
  transport.SetDefault(Reply(201));
  for (BaseOverride base : {BaseOverride::kPrimary, BaseOverride::kFallback}) {
    settings.base_override = base;
    RunAll();
  }
  EXPECT_EQ(SentUrls(), (std::vector<std::string>{"https://partners.test/v1/partners/leads",
                                                  "https://partners.test/v1/partners/leads"}));
}

}  // namespace
}  // namespace verity::run::testing
