// The expressions real recipes use: every `extract:` value in the vcita corpus compiles in the
// default (legacy-accepting) mode, and a representative set evaluates to what the recipe wants.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "base/strings.h"
#include "expr/jsonpath.h"
#include "support/paths.h"

namespace verity::expr {
namespace {

using testing::ReadFileOrDie;
using testing::SharedPath;

size_t Indent(std::string_view line) {
  size_t n = line.find_first_not_of(' ');
  return n == std::string_view::npos ? line.size() : n;
}

// The quoted `$…` values of the `key: "value"` lines nested under each `extract:` line.
std::set<std::string> CorpusExtractExpressions() {
  std::set<std::string> out;
  namespace fs = std::filesystem;
  for (const auto& entry : fs::recursive_directory_iterator(SharedPath("corpus/vcita/workflows"))) {
    if (!entry.is_regular_file() || entry.path().extension() != ".md") continue;
    std::string text = ReadFileOrDie(entry.path().string());
    std::vector<std::string_view> lines = Split(text, '\n');
    for (size_t i = 0; i < lines.size(); ++i) {
      if (Trim(lines[i]) != "extract:") continue;
      size_t indent = Indent(lines[i]);
      for (size_t j = i + 1; j < lines.size(); ++j) {
        std::string_view line = lines[j];
        if (Trim(line).empty()) continue;
        if (Indent(line) <= indent) break;
        size_t open = line.find(": \"$");
        size_t close = line.rfind('"');
        if (open == std::string_view::npos || close <= open + 3) continue;
        out.emplace(line.substr(open + 3, close - open - 3));
      }
    }
  }
  return out;
}

TEST(JsonPathCorpus, EveryExtractExpressionInTheCorpusCompiles) {
  std::set<std::string> expressions = CorpusExtractExpressions();
  // 80 distinct expressions when this was written; far fewer means the scan broke.
  ASSERT_GE(expressions.size(), 70u);
  for (const std::string& text : expressions) {
    JsonPathError error;
    Result<JsonPath> path = JsonPath::Compile(text, {}, &error);
    EXPECT_TRUE(path.ok()) << text << ": " << error.ToString();
  }
}

TEST(JsonPathCorpus, EveryCorpusExpressionThatIsRfcSyntaxAlsoCompilesStrictly) {
  for (const std::string& text : CorpusExtractExpressions()) {
    if (text.find('|') != std::string::npos) continue;  // the legacy `| [0]`
    EXPECT_TRUE(JsonPath::Compile(text, {.legacy = false}).ok()) << text;
  }
}

struct Case {
  std::string query;
  std::string document;
  std::string expected;  // the nodelist's values, as JSON
};

const Json kClients = Json::parse(R"({"data": {"clients": [
  {"id": "c1", "uid": "u1", "last_name": "Smith", "conversations_count": 0},
  {"id": "c2", "uid": "u2", "last_name": "Card Client", "conversations_count": 4},
  {"id": "c3", "uid": "u3", "last_name": "Card Client", "conversations_count": 7}]}})");

TEST(JsonPathCorpus, RepresentativeExpressionsSelectWhatTheRecipesMean) {
  const Case cases[] = {
      {"$.data.clients[0].id", R"({"data":{"clients":[{"id":"c1"},{"id":"c2"}]}})", R"(["c1"])"},
      {"$.uid", R"({"uid":"abc","data":{}})", R"(["abc"])"},
      {"$.data[0].client.uid", R"({"data":[{"client":{"uid":"x"}}]})", R"(["x"])"},
      {"$.data.offerings[10].uid", R"({"data":{"offerings":[{"uid":1}]}})", "[]"},
      {"$.data.business.identities[0]", R"({"data":{"business":{"identities":[{"k":1},2]}}})",
       R"([{"k":1}])"},
      {"$.data.general_availability.time_slots_by_day[0].time_slots[0].uid",
       R"({"data":{"general_availability":{"time_slots_by_day":[{"time_slots":[{"uid":"t"}]}]}}})",
       R"(["t"])"},
      {"$.data.sections[?(@.type=='fields')].fields[?(@.type=='firstname')].id",
       R"({"data":{"sections":[{"type":"intro","fields":[{"type":"firstname","id":"no"}]},
           {"type":"fields","fields":[{"type":"lastname","id":"l"},{"type":"firstname","id":"f"}]}]}})",
       R"(["f"])"},
      {"$.data[?(@.service_type == 'event')].uid",
       R"({"data":[{"service_type":"appointment","uid":"a"},{"service_type":"event","uid":"e"}]})",
       R"(["e"])"},
      {"$.data.clients[?(@.last_name=='Card Client')].id", kClients.dump(), R"(["c2","c3"])"},
      // Legacy `[?(…)][0]`: the first match, not the first element of each match.
      {"$.data.clients[?(@.conversations_count > 0)][0].id", kClients.dump(), R"(["c2"])"},
      // Legacy `| [0]`: the first node of the result.
      {"$.data.payment_requests[?(@.state == 'pending' && @.amount != '0.0')].uid | [0]",
       R"({"data":{"payment_requests":[{"state":"paid","amount":"5.0","uid":"p1"},
           {"state":"pending","amount":"0.0","uid":"p2"},
           {"state":"pending","amount":"9.5","uid":"p3"},
           {"state":"pending","amount":"1.0","uid":"p4"}]}})",
       R"(["p3"])"},
      {"$.data.skus[?(@.type=='addon')].code_name | [0]",
       R"({"data":{"skus":[{"type":"addon","code_name":"x"},{"type":"addon","code_name":"y"}]}})",
       R"(["x"])"},
      {"$.data.skus[?(@.type=='addon')].code_name | [0]", R"({"data":{"skus":[]}})", "[]"},
  };
  for (const Case& c : cases) {
    JsonPathError error;
    Result<JsonPath> path = JsonPath::Compile(c.query, {}, &error);
    ASSERT_TRUE(path.ok()) << c.query << ": " << error.ToString();
    EXPECT_EQ(Json::parse(c.expected), path->Values(Json::parse(c.document))) << c.query;
  }
}

TEST(JsonPathCorpus, TheFirstNodeSuffixMakesAnyQueryYieldAtMostOneNode) {
  Result<JsonPath> path = JsonPath::Compile("$.data.clients[*].id |[0]");
  ASSERT_TRUE(path.ok());
  EXPECT_TRUE(path->singular());
  std::vector<JsonPathNode> nodes = path->Evaluate(kClients);
  ASSERT_EQ(1u, nodes.size());
  EXPECT_EQ("c1", *nodes[0].value);
  EXPECT_EQ("$['data']['clients'][0]['id']", nodes[0].path);
}

TEST(JsonPathCorpus, ALegacyFilterFollowedByAnIndexPicksFromTheMatches) {
  Result<JsonPath> legacy = JsonPath::Compile("$.data.clients[?(@.conversations_count > 0)][-1]");
  ASSERT_TRUE(legacy.ok());
  EXPECT_TRUE(legacy->singular());
  std::vector<JsonPathNode> nodes = legacy->Evaluate(kClients);
  ASSERT_EQ(1u, nodes.size());
  EXPECT_EQ("$['data']['clients'][2]", nodes[0].path);
}

TEST(JsonPathCorpus, TheRfcFilterFormAndStrictModeKeepRfcIndexing) {
  // Without the parentheses, or in strict mode, `[0]` indexes into each match (objects here).
  EXPECT_EQ(Json::array(),
            JsonPath::Compile("$.data.clients[?@.conversations_count > 0][0]")->Values(kClients));
  EXPECT_EQ(Json::array(),
            JsonPath::Compile("$.data.clients[?(@.conversations_count > 0)][0]", {.legacy = false})
                ->Values(kClients));
  Json matrix = Json::parse(R"([[1, 2], [3, 4]])");
  EXPECT_EQ(Json::parse("[1, 3]"), JsonPath::Compile("$[?@[0] > 0][0]")->Values(matrix));
}

TEST(JsonPathCorpus, TheFirstNodeSuffixIsRefusedInStrictMode) {
  JsonPathError error;
  EXPECT_FALSE(JsonPath::Compile("$.a | [0]", {.legacy = false}, &error).ok());
  EXPECT_EQ(5u, error.column);
  EXPECT_FALSE(JsonPath::Compile("$.a | $.b", {}, &error).ok());
  EXPECT_EQ("only '[N]' may follow '|' (the N-th node of the result)", error.message);
  EXPECT_FALSE(JsonPath::Compile("$.a | [0] .b", {}, &error).ok());
}

}  // namespace
}  // namespace verity::expr
