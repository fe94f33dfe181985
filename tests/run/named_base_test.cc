// Which server a request goes to when the environment names extra bases: through the whole run
// (the request builder's routing), so what is tested is what `verity run` sends.
#include <gtest/gtest.h>

#include "run/executor_fixture.h"

namespace verity::run::testing {
namespace {

std::string GetDoc(const std::string& path) {
  std::string endpoint_path = path.substr(0, path.find('?'));
  return "---\nendpoint: \"GET " + endpoint_path +
         "\"\ndomain: test\nstatus: pending\ntokens: [staff]\n---\n\n# Doc\n\n"
         "## Test Request\n\n```yaml\nsteps:\n  - id: t\n    method: GET\n    path: \"" +
         path + "\"\n```\n";
}

class NamedBaseRouting : public ExecutorTest {
 protected:
  NamedBaseRouting() {
    settings.bases = {{"partners", "https://partners.test", {"/partners/*"}, AuthScheme::kToken},
                      {"wide", "https://wide.test", {"/part*", "/other"}, std::nullopt},
                      {"reports", "https://reports.test", {"*/reports"}, std::nullopt}};
    transport.SetDefault(Reply(200));
  }
  /// The URL and Authorization header of the one request a document at `path` sends.
  std::pair<std::string, std::string> Sent(const std::string& path) {
    kb.documents.clear();
    AddDoc("doc.md", GetDoc(path));
    size_t before = transport.requests().size();
    RunAll();
    EXPECT_EQ(before + 1, transport.requests().size());
    const http::HttpRequest& r = transport.requests().back();
    std::string authorization;
    for (const auto& [name, value] : r.headers)
      if (name == "Authorization") authorization = value;
    return {r.url, authorization};
  }
};

TEST_F(NamedBaseRouting, TheFirstBaseInFileOrderWhoseGlobMatchesWins) {
  EXPECT_EQ("https://partners.test/partners/1", Sent("/partners/1").first);
  EXPECT_EQ("https://wide.test/parts", Sent("/parts").first);
  EXPECT_EQ("https://wide.test/other", Sent("/other").first);
}

TEST_F(NamedBaseRouting, APathNoGlobMatchesGoesToThePrimary) {
  EXPECT_EQ(std::string(kPrimary) + "/clients", Sent("/clients").first);
  // "/partners/*" needs something after the slash; "/part*" still takes it.
  EXPECT_EQ("https://wide.test/partners", Sent("/partners").first);
}

TEST_F(NamedBaseRouting, TheQueryStringIsNotMatched) {
  EXPECT_EQ("https://wide.test/other?x=/partners/1", Sent("/other?x=/partners/1").first);
  EXPECT_EQ("https://reports.test/v1/reports", Sent("/v1/reports").first);
  EXPECT_EQ(std::string(kPrimary) + "/clients?from=/reports", Sent("/clients?from=/reports").first);
}

TEST_F(NamedBaseRouting, ABasesSchemeReplacesTheTokensOwn) {
  EXPECT_EQ(std::string("Token token=\"") + kStaffSecret + "\"", Sent("/partners/1").second);
  EXPECT_EQ(std::string("Bearer ") + kStaffSecret, Sent("/other").second);
}

}  // namespace
}  // namespace verity::run::testing
