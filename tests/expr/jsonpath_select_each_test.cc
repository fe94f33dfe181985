// JsonPath::SelectEach: several paths over one document, walked together where they share a list,
// must select exactly what each path selects alone.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/json.h"
#include "expr/jsonpath.h"
#include "support/paths.h"

namespace verity::expr {
namespace {

using testing::ReadFileOrDie;
using testing::SharedPath;

// SelectEach of `texts` agrees with each one's Select, node for node (the same pointers, in the
// same order); "" when it does, else what differs.
std::string Disagreement(const std::vector<std::string>& texts, const Json& document,
                         JsonPathOptions options = {}) {
  std::vector<JsonPath> paths;
  for (const std::string& text : texts) {
    Result<JsonPath> path = JsonPath::Compile(text, options);
    if (!path.ok()) return text + " does not compile";
    paths.push_back(std::move(*path));
  }
  std::vector<const JsonPath*> pointers;
  for (const JsonPath& path : paths) pointers.push_back(&path);
  std::vector<std::vector<const Json*>> together = JsonPath::SelectEach(pointers, document);
  if (together.size() != paths.size()) return "wrong number of results";
  for (size_t i = 0; i < paths.size(); ++i) {
    if (together[i] != paths[i].Select(document)) return texts[i] + " selects otherwise together";
  }
  return "";
}

TEST(JsonPathSelectEach, PathsThroughOneListWalkedTogetherSelectWhatEachSelectsAlone) {
  Json doc = Json::parse(R"({"data":{"clients":[
      {"id":"c1","status":"lead","balance":5,"address":{"zip":"10001"},"tags":["vip"]},
      {"id":"c2","status":"customer","balance":1500,"address":{"zip":"10042"},"tags":[]},
      {"id":"c3","status":"lead","balance":1300,"tags":["vip","new"]},
      "not an object", 7, null],
    "by_id":{"c1":{"n":1},"c2":{"n":2}}, "total":3}})");
  EXPECT_EQ(
      "",
      Disagreement(
          {"$.data.clients[*].id", "$.data.clients[*]", "$.data.clients[?@.status == 'lead'].id",
           "$.data.clients[?@.balance > 1200].address.zip", "$.data.clients[?@.tags[0] == 'vip']",
           "$.data.clients[?@.address].tags[-1]", "$.data.clients[?@ == 7]",
           "$.data.clients[*].tags[1]", "$.data.by_id[*].n", "$.data.by_id[?@.n > 1]",
           "$.data.clients[0:2].id",     // a slice walks alone
           "$.data.clients[*].tags[*]",  // two spreads: alone
           "$..id",                      // a descendant: alone
           "$.data.clients[0].id",       // singular: alone
           "$.data.missing[*].id", "$.data.total[*]",
           "$.data.clients[?(@.status=='lead')][0]",  // legacy pick: alone
           "$.data.clients[*].id | [1]"},
          doc));
}

// Every case of the compliance suite, each path twice, so the two share a pass wherever their
// shape allows and must still give the suite's answer as Select does.
TEST(JsonPathSelectEach, EveryComplianceCaseSelectsTheSameTogetherAsAlone) {
  Json suite = Json::parse(ReadFileOrDie(SharedPath("conformance/jsonpath/cts.json")));
  size_t checked = 0;
  std::string failures;
  for (const Json& test : suite["tests"]) {
    if (test.value("invalid_selector", false) || !test.contains("document")) continue;
    std::string selector = test["selector"];
    std::string why =
        Disagreement({selector, selector}, test["document"], JsonPathOptions{.legacy = false});
    if (!why.empty()) failures += test["name"].get<std::string>() + ": " + why + "\n";
    ++checked;
  }
  EXPECT_GT(checked, 400u);
  EXPECT_EQ("", failures);
}

}  // namespace
}  // namespace verity::expr
