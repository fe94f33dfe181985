// `verity demo --all-operations` on a copy of the bundled example whose knowledge base is
// emptied: every operation of the example's spec is called through a request built from the
// spec (producers found, resources created and cleaned up, the payments paths the primary
// gateway refuses healed: the other credential, then the fallback) against the example's own
// mocks and rules. Each passes
// but the one whose answer the example makes drift from the spec on purpose (examples/README.md),
// which fails exactly as its recipe does. The reports say where each result came from, and each
// that passed is drafted into the knowledge base's copy, with the checks its answer showed: run
// again as recipes, every draft passes unchanged.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "base/json.h"
#include "cli/cli.h"
#include "support/paths.h"

namespace verity {
namespace {

using ::testing::HasSubstr;

TEST(DemoAllOperations, WithNoRecipesEveryExampleOperationRunsFromTheSpecAndOnlyTheDriftFails) {
  testing::TempDir dir;
  std::string examples = dir.path() + "/examples";
  std::filesystem::copy(testing::SourcePath("examples"), examples,
                        std::filesystem::copy_options::recursive);
  std::filesystem::remove_all(examples + "/kb");
  std::filesystem::create_directories(examples + "/kb");
  std::string out = dir.path() + "/out";
  PosixFileSystem fs;
  SystemClock clock;
  std::ostringstream out_text, err_text;
  cli::Context ctx{out_text, err_text, fs, clock};
  ctx.env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "VERITY_EXAMPLE_STAFF_TOKEN") return "staff-3c9d-derive-test-token";
    if (name == "VERITY_EXAMPLE_DIRECTORY_TOKEN") return "directory-8e2f-derive-test-token";
    return std::nullopt;
  };
  int code = cli::Run({"demo", "--examples", examples, "--out", out, "--all-operations"}, ctx);
  EXPECT_EQ(1, code) << out_text.str() << err_text.str();
  EXPECT_THAT(err_text.str(), HasSubstr("15 operations without a recipe are called"));

  Json report = Json::parse(testing::ReadFileOrDie(out + "/report.json"));
  std::set<std::string> endpoints;
  for (const Json& result : report["results"]) {
    std::string endpoint = result["endpoint"];
    endpoints.insert(endpoint);
    EXPECT_EQ("spec", result["source"]) << endpoint;
    if (endpoint == "GET /platform/v1/payment/packages/{package_id}") {
      EXPECT_EQ("FAIL", result["status"]);
      EXPECT_EQ("MISSING_REQUIRED_FIELD", result["details"]["reason"]);
      EXPECT_THAT(result["details"]["friendlyMessage"].get<std::string>(),
                  HasSubstr("/data/package/currency"));
      continue;
    }
    EXPECT_EQ("PASS", result["status"]) << endpoint << ": " << result["details"].dump();
    EXPECT_TRUE(result["kbUpdates"].empty()) << endpoint;
  }
  EXPECT_EQ(15u, endpoints.size());
  EXPECT_TRUE(endpoints.count("GET /platform/v1/clients/{client_id}"));
  EXPECT_TRUE(endpoints.count("DELETE /platform/v1/clients/{client_id}"));
  // The payments paths passed on the third try: the primary refused the staff token and the
  // directory token, the fallback took the staff token.
  for (const Json& result : report["results"]) {
    if (result["endpoint"] != "GET /business/payments/v1/payments") continue;
    ASSERT_EQ(3u, result["healAttempts"].size()) << result.dump();
    EXPECT_EQ("as built", result["healAttempts"][0]["change"]);
    EXPECT_EQ(401, result["healAttempts"][0]["httpStatus"]);
    EXPECT_EQ("credential `directory` after a 401", result["healAttempts"][1]["change"]);
    EXPECT_EQ("the fallback base URL", result["healAttempts"][2]["change"]);
    EXPECT_EQ("PASS", result["healAttempts"][2]["status"]);
  }
  // The 14 that passed are drafts now, in the copy, each the version that passed: the payments
  // ones say `useFallbackApi: true`. The drifted one is not drafted.
  std::set<std::string> drafts;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(out + "/kb"))
    if (entry.is_regular_file()) drafts.insert(entry.path().filename().string());
  EXPECT_EQ(14u, drafts.size());
  EXPECT_TRUE(drafts.count("get_platform_v1_clients_client_id.md"));
  EXPECT_TRUE(drafts.count("delete_platform_v1_clients_client_id.md"));
  EXPECT_FALSE(drafts.count("get_platform_v1_payment_packages_package_id.md"));
  ASSERT_TRUE(drafts.count("get_business_payments_v1_payments.md"));
  std::string payments;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(out + "/kb"))
    if (entry.path().filename() == "get_business_payments_v1_payments.md")
      payments = testing::ReadFileOrDie(entry.path().string());
  EXPECT_THAT(payments, HasSubstr("\nuseFallbackApi: true\n"));
  EXPECT_THAT(payments, ::testing::Not(HasSubstr("tokens:")));
  EXPECT_THAT(out_text.str(), HasSubstr("14 drafts written (status: pending)"));
  // The drafts carry the checks their answers showed, each proven by running the checked draft
  // once more: the DELETE's answer holds nothing to check, every other kept its checks.
  EXPECT_THAT(out_text.str(), HasSubstr("13 drafts with checks run again: 13 kept them"));
  EXPECT_THAT(err_text.str(), ::testing::Not(HasSubstr("drafted without its checks")));
  auto draft = [&](const std::string& name) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(out + "/kb"))
      if (entry.path().filename() == name) return testing::ReadFileOrDie(entry.path().string());
    return std::string();
  };
  EXPECT_THAT(draft("get_platform_v1_clients.md"),
              HasSubstr("        - {path: \"$.data.clients\", not_empty: true}\n"));
  EXPECT_THAT(draft("get_platform_v1_clients_client_id.md"),
              HasSubstr("        - {path: \"$.data.client.id\", equals: \"{{client_id}}\"}\n"));
  EXPECT_THAT(draft("put_platform_v1_clients_client_id.md"),
              HasSubstr("        - {path: \"$.data.client.first_name\", equals: "
                        "\"{{request.body.first_name}}\"}\n"));
  EXPECT_THAT(draft("delete_platform_v1_clients_client_id.md"),
              ::testing::Not(HasSubstr("      body:\n")));

  // The drafts, as they are, checks and all, are the knowledge base of a second run: each passes
  // as a recipe.
  std::filesystem::remove_all(examples + "/kb");
  std::filesystem::copy(out + "/kb", examples + "/kb", std::filesystem::copy_options::recursive);
  std::string again = dir.path() + "/again";
  std::ostringstream again_out, again_err;
  cli::Context again_ctx{again_out, again_err, fs, clock};
  again_ctx.env = ctx.env;
  EXPECT_EQ(0, cli::Run({"demo", "--examples", examples, "--out", again}, again_ctx))
      << again_out.str() << again_err.str();
  Json second = Json::parse(testing::ReadFileOrDie(again + "/report.json"));
  size_t recipes = 0;
  for (const Json& result : second["results"]) {
    EXPECT_EQ("recipe", result["source"]);
    EXPECT_EQ("PASS", result["status"]) << result["endpoint"] << ": " << result["details"].dump();
    ++recipes;
  }
  EXPECT_EQ(14u, recipes);
  for (const std::string& text : {out_text.str(), err_text.str()}) {
    EXPECT_THAT(text, ::testing::Not(HasSubstr("staff-3c9d-derive-test-token")));
  }
}

// Without --allow-writes nothing that writes is built, not even a producer: the read whose id
// only a create can give is not called, and its result says why. With it, the dry run shows the
// value's producer and the requests, and sends nothing.
TEST(DemoAllOperations, ADryRunShowsWhereEachValueComesFromAndReadsOnlyNeverCreate) {
  testing::TempDir dir;
  std::string examples = dir.path() + "/examples";
  std::filesystem::copy(testing::SourcePath("examples"), examples,
                        std::filesystem::copy_options::recursive);
  std::filesystem::remove_all(examples + "/kb");
  std::filesystem::create_directories(examples + "/kb");
  PosixFileSystem fs;
  SystemClock clock;
  auto run = [&](std::vector<std::string> extra, std::string* out, std::string* err) {
    std::ostringstream out_text, err_text;
    cli::Context ctx{out_text, err_text, fs, clock};
    ctx.env = [](const std::string&) -> std::optional<std::string> { return "t-1"; };
    std::vector<std::string> args = {"run",
                                     "--config",
                                     examples + "/verity.yaml",
                                     "--no-history",
                                     "--all-operations",
                                     "--dry-run",
                                     "GET /business/payments/v1/client_packages/*"};
    args.insert(args.end(), extra.begin(), extra.end());
    int code = cli::Run(args, ctx);
    *out = out_text.str();
    *err = err_text.str();
    return code;
  };
  std::string out, err;
  EXPECT_EQ(0, run({}, &out, &err)) << out << err;
  EXPECT_THAT(err, HasSubstr("1 not called (NO_PRODUCER)"));
  EXPECT_THAT(out, HasSubstr("GET /business/payments/v1/client_packages/{uid}"));
  EXPECT_THAT(out, HasSubstr("NO_PRODUCER: no value for path parameter `uid`"));
  EXPECT_THAT(out, HasSubstr("creating one is tried only when writes are allowed"));

  EXPECT_EQ(0, run({"--allow-writes"}, &out, &err)) << out << err;
  EXPECT_THAT(err, HasSubstr("1 operation without a recipe is called"));
  EXPECT_THAT(out, HasSubstr("uid (path) <- producer: POST /platform/v1/payment/client_packages"));
  EXPECT_THAT(out, HasSubstr("Dry run: nothing was sent"));
  EXPECT_THAT(out, HasSubstr("POST http://127.0.0.1:8080/platform/v1/payment/client_packages"));
}

}  // namespace
}  // namespace verity
