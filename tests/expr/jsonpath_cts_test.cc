// The official RFC 9535 compliance test suite, every case, in strict mode.
#include <gtest/gtest.h>

#include <iostream>
#include <string>
#include <vector>

#include "expr/jsonpath.h"
#include "support/paths.h"

namespace verity::expr {
namespace {

using testing::ReadFileOrDie;
using testing::SharedPath;

// The suite's expected objects need not list members in document order; plain json compares
// objects as maps.
nlohmann::json Unordered(const Json& j) { return nlohmann::json::parse(j.dump()); }

bool SameNodes(const Json& values, const Json& paths, const Json& expected_values,
               const Json* expected_paths) {
  if (Unordered(values) != Unordered(expected_values)) return false;
  return expected_paths == nullptr || paths == *expected_paths;
}

// Empty when the case passes, otherwise why not.
std::string RunCase(const Json& test) {
  const std::string& selector = test["selector"].get_ref<const std::string&>();
  JsonPathError error;
  Result<JsonPath> path = JsonPath::Compile(selector, JsonPathOptions{.legacy = false}, &error);
  if (test.value("invalid_selector", false)) {
    return path.ok() ? "compiled, but the selector is invalid" : "";
  }
  if (!path.ok()) return "refused: " + error.ToString();

  const Json& document = test["document"];
  Json values = Json::array();
  Json paths = Json::array();
  for (const JsonPathNode& node : path->Evaluate(document)) {
    values.push_back(*node.value);
    paths.push_back(node.path);
  }
  if (Unordered(path->Values(document)) != Unordered(values)) {
    return "Values() disagrees with Evaluate(): " + path->Values(document).dump();
  }
  std::string got = " got " + values.dump() + " at " + paths.dump();
  if (test.contains("result")) {
    const Json* expected_paths = test.contains("result_paths") ? &test["result_paths"] : nullptr;
    if (SameNodes(values, paths, test["result"], expected_paths)) return "";
    return "expected " + test["result"].dump() + got;
  }
  const Json& results = test["results"];
  for (size_t i = 0; i < results.size(); ++i) {
    const Json* expected_paths =
        test.contains("results_paths") ? &test["results_paths"][i] : nullptr;
    if (SameNodes(values, paths, results[i], expected_paths)) return "";
  }
  return "expected one of " + results.dump() + got;
}

TEST(JsonPathCts, PassesEveryCaseOfTheComplianceTestSuite) {
  Json suite = Json::parse(ReadFileOrDie(SharedPath("conformance/jsonpath/cts.json")));
  const Json& tests = suite["tests"];
  ASSERT_GT(tests.size(), 600u);
  size_t passed = 0;
  std::string failures;
  for (const Json& test : tests) {
    std::string why = RunCase(test);
    if (why.empty()) {
      ++passed;
    } else {
      failures += test["name"].get<std::string>() + " [" + test["selector"].get<std::string>() +
                  "]: " + why + "\n";
    }
  }
  std::cout << "JSONPath CTS: " << passed << "/" << tests.size() << " passed\n";
  EXPECT_EQ(tests.size(), passed) << failures;
}

}  // namespace
}  // namespace verity::expr
