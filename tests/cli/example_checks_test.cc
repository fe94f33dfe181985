// The bundled example's checks fail when the answers they check are wrong, and say so readably.
// DemoTest shows the checks pass against the example's mocks; here `verity demo` runs a copy of
// the example whose mocks first apply forced answers (tests/data/checks/*.yaml, put before the
// example's own rules) that keep each step's status and extracts but break every one of its
// checks. Each broken check must be in the JSON report as a CHECK_FAILED issue of its step that
// names the line of the check in the recipe, the subject and path, the operator, the expected
// value and the value the answer held.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/json.h"
#include "cli/cli.h"
#include "support/paths.h"

namespace verity {
namespace {

using ::testing::HasSubstr;

struct BrokenCheck {
  std::string document;   // under kb/
  std::string step;       // the step's id (a step of the document's own, not of a `use:`)
  std::string line_text;  // the text of the recipe line the failure must name
  std::string label;      // subject, path, operator and expected value, as the failure shows them
  std::string actual;     // "got …": the value the forced answer held
};

struct Round {
  std::string primary_rules;   // under tests/data/checks/, "" for none
  std::string fallback_rules;  // likewise
  std::vector<BrokenCheck> checks;
};

// `rules` with the break file's rules spliced in before its own, so they win (the first rule
// that fires decides each concern; docs/mock-rules.md).
std::string WithRulesFirst(const std::string& rules, const std::string& breaking) {
  const std::string key = "\nrules:\n";
  size_t at = rules.find(key);
  size_t from = breaking.find(key);
  if (at == std::string::npos || from == std::string::npos) return "";
  return rules.substr(0, at + key.size()) + breaking.substr(from + key.size()) + "\n" +
         rules.substr(at + key.size());
}

// 1-based number of the first line of `text` holding `needle`; 0 when none does.
int LineOf(const std::string& text, const std::string& needle) {
  size_t at = text.find(needle);
  if (at == std::string::npos) return 0;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

class ExampleChecksTest : public ::testing::Test {
 protected:
  // Runs the demo on a copy of the example with the round's forced answers; the JSON report.
  Json RunRound(const Round& round) {
    std::string examples = dir_.path() + "/examples";
    std::filesystem::copy(testing::SourcePath("examples"), examples,
                          std::filesystem::copy_options::recursive);
    for (const auto& [mine, theirs] : {std::pair{round.primary_rules, "primary.yaml"},
                                       std::pair{round.fallback_rules, "fallback.yaml"}}) {
      if (mine.empty()) continue;
      std::string path = examples + "/rules/" + theirs;
      std::string spliced =
          WithRulesFirst(testing::ReadFileOrDie(path),
                         testing::ReadFileOrDie(testing::SourcePath("tests/data/checks/" + mine)));
      EXPECT_FALSE(spliced.empty()) << mine;
      std::ofstream(path, std::ios::trunc) << spliced;
    }
    std::string out = dir_.path() + "/out";
    std::filesystem::create_directories(out);
    cli::Context ctx{out_text_, err_text_, fs_, clock_};
    ctx.env = [](const std::string& name) -> std::optional<std::string> {
      if (name == "VERITY_EXAMPLE_STAFF_TOKEN") return "staff-5e1d-checks-test-token";
      if (name == "VERITY_EXAMPLE_DIRECTORY_TOKEN") return "directory-9b0c-checks-test-token";
      return std::nullopt;
    };
    int code = cli::Run({"demo", "--examples", examples, "--out", out}, ctx);
    EXPECT_EQ(code, 1) << out_text_.str() << err_text_.str();
    return Json::parse(testing::ReadFileOrDie(out + "/report.json"));
  }

  static const Json* Step(const Json& report, const BrokenCheck& c) {
    for (const Json& result : report["results"]) {
      if (!result["file"].get<std::string>().ends_with("/kb/" + c.document)) continue;
      for (const Json& step : result["steps"])
        if (step["id"] == c.step) return &step;
    }
    return nullptr;
  }

  void ExpectEveryCheckBroken(const Round& round) {
    Json report = RunRound(round);
    for (const BrokenCheck& c : round.checks) {
      SCOPED_TRACE(c.document + " " + c.step + ": " + c.label);
      const Json* step = Step(report, c);
      ASSERT_NE(step, nullptr) << c.document << " has no step " << c.step;
      EXPECT_EQ((*step)["status"], "FAIL") << step->dump(2);
      EXPECT_EQ((*step)["reason"], "CHECK_FAILED") << step->dump(2);
      int line = LineOf(testing::ReadFileOrDie(testing::SourcePath("examples/kb/" + c.document)),
                        c.line_text);
      ASSERT_GT(line, 0) << "no line holds " << c.line_text;
      std::string wanted = "check at line " + std::to_string(line) + " failed: " + c.label;
      bool found = false;
      for (const Json& issue : (*step)["issues"]) {
        if (issue["code"] != "CHECK_FAILED") continue;
        std::string message = issue["message"];
        if (message.find(wanted) == std::string::npos) continue;
        found = true;
        EXPECT_EQ(issue["severity"], "error");
        EXPECT_THAT(message, HasSubstr("; got " + c.actual)) << message;
      }
      EXPECT_TRUE(found) << "no CHECK_FAILED issue starting \"" << wanted
                         << "\": " << (*step)["issues"].dump(2);
    }
    // Every check of each step named is broken, and named: none passed, none was left out.
    std::map<std::pair<std::string, std::string>, size_t> named;
    for (const BrokenCheck& c : round.checks) ++named[std::pair(c.document, c.step)];
    for (const auto& [where, listed] : named) {
      const Json* step = Step(report, {where.first, where.second, "", "", ""});
      if (step == nullptr) continue;
      EXPECT_EQ((*step)["checks"].size(), listed) << where.first << " " << where.second;
      for (const Json& check : (*step)["checks"])
        EXPECT_FALSE(check["passed"].get<bool>()) << where.first << " " << check.dump();
    }
    std::string everything = out_text_.str() + err_text_.str() + report.dump();
    EXPECT_EQ(everything.find("checks-test-token"), std::string::npos);
  }

  PosixFileSystem fs_;
  SystemClock clock_;
  testing::TempDir dir_;
  std::ostringstream out_text_, err_text_;
};

TEST_F(ExampleChecksTest, EveryCheckOfTheExampleReadsFailsWithPathOperatorExpectedAndActual) {
  const std::string list = "clients/get_platform_v1_clients.md";
  const std::string read = "clients/get_platform_v1_clients_client_id.md";
  const std::string packages = "sales/get_platform_v1_payment_packages.md";
  const std::string payment = "sales/get_business_payments_v1_payments_payment_uid.md";
  const std::string refund = "sales/post_business_payments_v1_refunds.md";
  const std::string customers = "list_customers_as_directory";
  ExpectEveryCheckBroken({
      "reads.primary.yaml",
      "reads.fallback.yaml",
      {
          {list, customers, "path: \"$.success\"", "body $.success equals true", "false"},
          {list, customers, "path: \"$.data.clients\"", "body $.data.clients not_empty", "[]"},
          {list, customers, "Content-Type: {matches:",
           "header Content-Type matches \"^application/json\"", "\"text/plain\""},
          {list, customers, "duration_ms: 1000", "duration_ms <= 1000", "1"},
          {read, "get_client", "path: \"$.data.client.id\"", "body $.data.client.id equals \"",
           "\"zzzzzzzzzzzzzzzz\""},
          {read, "get_client", "path: \"$.data.client.first_name\"",
           "body $.data.client.first_name equals \"APITest\"", "\"Someone\""},
          {read, "get_client", "path: \"$.data.client.email\"",
           "body $.data.client.email equals \"apitest_", "\"someone@example.com\""},
          {packages, "list_packages", "path: \"$.data.packages[*].active\"",
           "body $.data.packages[*].active not_contains false", "[false]"},
          {packages, "list_packages", "path: \"$.data.packages[0].price\"",
           "body $.data.packages[0].price type \"number\"", "\"250.00\""},
          {packages, "list_packages", "path: \"$.data.packages[0].price\"",
           "body $.data.packages[0].price gt 0", "\"250.00\""},
          {payment, "get_payment", "path: \"$.data.payment.uid\"",
           "body $.data.payment.uid equals \"", "\"00000000-0000-4000-8000-000000000000\""},
          {payment, "get_payment", "path: \"$.data.payment.amount\"",
           "body $.data.payment.amount equals 40: expected a number, got a string", "\"40\""},
          {refund, "refund_as_directory", "path: \"$.error\"",
           "body $.error equals \"Unauthorized\"", "\"Forbidden\""},
          {refund, "refund_as_directory", "path: \"$.data.refund\"", "body $.data.refund absent",
           "{\"id\":\"r1\"}"},
      },
  });
}

TEST_F(ExampleChecksTest, EveryCheckOfTheExampleCreateFailsWithPathOperatorExpectedAndActual) {
  const std::string create = "clients/post_platform_v1_clients.md";
  ExpectEveryCheckBroken({
      "create.primary.yaml",
      "",
      {
          {create, "create_client", "content_type: application/json",
           "content_type \"application/json\"", "\"text/html\""},
          {create, "create_client", "path: \"$.data.client.id\"",
           "body $.data.client.id type \"string\"", "12345"},
          {create, "create_client", "path: \"$.data.client.id\"",
           "body $.data.client.id matches \"^[a-z0-9]{16}$\"", "12345"},
          // The sent name and email are generated: the label stops before them.
          {create, "create_client", "path: \"$.data.client.first_name\"",
           "body $.data.client.first_name equals \"", "\"Someone\""},
          {create, "create_client", "path: \"$.data.client.email\"",
           "body $.data.client.email equals \"", "\"apitest_1@example.com\""},
          {create, "create_client", "path: \"$.data.client.status\"",
           "body $.data.client.status equals \"lead\"", "\"customer\""},
          {create, "create_client", "path: \"$.data.client.source\"",
           "body $.data.client.source equals \"api_validation\"", "\"website\""},
      },
  });
}

TEST_F(ExampleChecksTest,
       EveryCheckOfTheExampleNegativeReadFailsWithPathOperatorExpectedAndActual) {
  const std::string gone = "clients/delete_platform_v1_clients_client_id.md";
  ExpectEveryCheckBroken({
      "gone.primary.yaml",
      "",
      {
          {gone, "client_is_gone", "path: \"$.data.client\"", "body $.data.client absent",
           "{\"id\":\"zzzzzzzzzzzzzzzz\",\"first_name\":\"Someone\"}"},
          {gone, "client_is_gone", "path: \"$.errors\"", "body $.errors count gt 0",
           "[] (count 0)"},
      },
  });
}

}  // namespace
}  // namespace verity
