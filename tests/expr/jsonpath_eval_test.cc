// Evaluation: selectors, filters, comparisons, functions and normalized paths, beyond what the
// compliance suite pins down; and documents too deep for a recursive walker.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "expr/jsonpath.h"

namespace verity::expr {
namespace {

Json ValuesOf(const std::string& query, const Json& document) {
  JsonPathError error;
  Result<JsonPath> path = JsonPath::Compile(query, {}, &error);
  EXPECT_TRUE(path.ok()) << query << ": " << error.ToString();
  return path.ok() ? path->Values(document) : Json();
}

std::vector<std::string> Paths(const std::string& query, const Json& document) {
  std::vector<std::string> out;
  Result<JsonPath> path = JsonPath::Compile(query);
  EXPECT_TRUE(path.ok()) << query;
  if (!path.ok()) return out;
  for (const JsonPathNode& node : path->Evaluate(document)) out.push_back(node.path);
  return out;
}

const Json kStore = Json::parse(R"({"store": {
  "book": [
    {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
    {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99},
    {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick",
     "isbn": "0-553-21311-3", "price": 8.99},
    {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings",
     "isbn": "0-395-19395-8", "price": 22.99}],
  "bicycle": {"color": "red", "price": 399}}})");

TEST(JsonPathEval, RunsTheRfcExampleQueries) {
  EXPECT_EQ(Json::parse(R"(["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"])"),
            ValuesOf("$.store.book[*].author", kStore));
  EXPECT_EQ(4u, ValuesOf("$..author", kStore).size());
  EXPECT_EQ(Json::parse("[8.95, 12.99, 8.99, 22.99, 399]"), ValuesOf("$.store..price", kStore));
  EXPECT_EQ("Moby Dick", ValuesOf("$..book[2].title", kStore)[0]);
  EXPECT_EQ("The Lord of the Rings", ValuesOf("$..book[-1].title", kStore)[0]);
  EXPECT_EQ(Json::parse(R"(["Sayings","Sword"])"), ValuesOf("$..book[:2].title", kStore));
  EXPECT_EQ(Json::parse(R"(["Moby Dick","The Lord of the Rings"])"),
            ValuesOf("$..book[?@.isbn].title", kStore));
  EXPECT_EQ(Json::parse(R"(["Sayings","Moby Dick"])"),
            ValuesOf("$..book[?@.price<10].title", kStore));
  EXPECT_EQ(Json::parse(R"(["Sword","The Lord of the Rings"])"),
            ValuesOf("$..book[?@.price > $.store.book[0].price && @.category == 'fiction' && "
                     "@.price != 8.99].title",
                     kStore));
}

TEST(JsonPathEval, SlicesFollowRfcBoundsForBothStepSigns) {
  Json a = Json::parse("[0,1,2,3,4,5,6,7,8,9]");
  EXPECT_EQ(Json::parse("[1,3,5]"), ValuesOf("$[1:7:2]", a));
  EXPECT_EQ(Json::parse("[9,8,7,6,5,4,3,2,1,0]"), ValuesOf("$[::-1]", a));
  EXPECT_EQ(Json::parse("[5,3,1]"), ValuesOf("$[5:0:-2]", a));
  EXPECT_EQ(Json::parse("[8,9]"), ValuesOf("$[-2:]", a));
  EXPECT_EQ(Json::parse("[]"), ValuesOf("$[3:1]", a));
  EXPECT_EQ(Json::parse("[]"), ValuesOf("$[::0]", a));
  EXPECT_EQ(Json::parse("[0,1]"), ValuesOf("$[-9007199254740991:2]", a));
  EXPECT_EQ(Json::parse("[9]"), ValuesOf("$[9007199254740991:8:-9007199254740991]", a));
  EXPECT_EQ(Json::parse("[]"), ValuesOf("$[1:3]", Json::parse(R"({"a":1})")));
}

TEST(JsonPathEval, DescendantsComeInDocumentOrderParentsFirst) {
  Json doc = Json::parse(R"({"a": {"a": 1, "b": [{"a": 2}]}, "c": {"a": 3}})");
  EXPECT_EQ(Json::parse(R"([{"a":1,"b":[{"a":2}]}, 1, 2, 3])"), ValuesOf("$..a", doc));
  EXPECT_EQ(
      (std::vector<std::string>{"$['a']", "$['a']['a']", "$['a']['b'][0]['a']", "$['c']['a']"}),
      Paths("$..a", doc));
}

TEST(JsonPathEval, ComparesByRfcRules) {
  Json doc = Json::parse(R"([
    {"v": 1}, {"v": 1.0}, {"v": "1"}, {"v": true}, {"v": null}, {"v": [1, {"x": 2, "y": 3}]},
    {"v": {"y": 3, "x": 2}}, {}, {"v": 18446744073709551615}, {"v": -5}])");
  auto indices = [&](const std::string& filter) {
    std::vector<std::string> out;
    for (const std::string& p : Paths("$[?" + filter + "]", doc)) out.push_back(p.substr(1));
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ((V{"[0]", "[1]"}), indices("@.v == 1"));
  EXPECT_EQ((V{"[2]"}), indices("@.v == '1'"));
  EXPECT_EQ((V{"[5]"}), indices("@.v[1].x == 2"));
  EXPECT_EQ((V{"[6]"}), indices("@.v == $[6].v && @.v.x == 2"));
  // Objects are equal whatever their member order.
  EXPECT_EQ((V{"[6]"}), indices("@.v == $[5].v[1]"));
  // Nothing equals Nothing: the absent member of {} matches another absent one.
  EXPECT_EQ((V{"[7]"}), indices("@.v == @.missing"));
  EXPECT_EQ((V{"[4]"}), indices("@.v == null"));
  // Ordering applies to numbers and strings only; a missing value is never less or greater.
  EXPECT_EQ((V{"[0]", "[1]", "[9]"}), indices("@.v <= 1"));
  EXPECT_EQ((V{"[8]"}), indices("@.v > 9223372036854775807"));
  EXPECT_EQ((V{"[3]"}), indices("@.v >= true"));
  EXPECT_EQ((V{}), indices("@.v < true"));
  EXPECT_EQ((V{"[0]", "[1]", "[2]", "[3]", "[4]", "[5]", "[6]", "[8]", "[9]"}),
            indices("@.v != @.missing"));
}

TEST(JsonPathEval, StringsAreOrderedByCodePoint) {
  Json doc = Json::parse(R"(["a", "b", "ab", "é", "z", "😀", "\uffff"])");
  EXPECT_EQ(Json::parse(R"(["é", "😀", "\uffff"])"), ValuesOf("$[?@ > 'z']", doc));
  EXPECT_EQ(Json::parse(R"(["😀"])"), ValuesOf("$[?@ > '\uffff']", doc));
}

TEST(JsonPathEval, FunctionsComputeOnNodesAndValues) {
  Json doc = Json::parse(R"([
    {"name": "añb", "tags": ["x", "y"], "meta": {"k": 1}},
    {"name": "abcdef", "tags": [], "meta": {}},
    {"name": 7, "tags": ["x"]}])");
  EXPECT_EQ(Json::parse(R"(["añb"])"), ValuesOf("$[?length(@.name) == 3].name", doc));
  EXPECT_EQ(Json::parse(R"(["añb"])"), ValuesOf("$[?count(@.tags[*]) == 2].name", doc));
  EXPECT_EQ(Json::parse(R"(["añb", 7])"), ValuesOf("$[?value(@.tags[0]) == 'x'].name", doc));
  EXPECT_EQ(Json::parse(R"(["añb"])"), ValuesOf("$[?length(@.meta) == 1].name", doc));
  EXPECT_EQ(Json::parse(R"(["abcdef"])"), ValuesOf("$[?match(@.name, 'a[b-d]+ef')].name", doc));
  EXPECT_EQ(Json::parse(R"(["añb", "abcdef"])"), ValuesOf("$[?search(@.name, '^a')].name", doc));
  EXPECT_EQ(Json::parse(R"(["añb"])"), ValuesOf("$[?match(@.name, 'a\\\\p{Ll}b')].name", doc));
  // A pattern that is not an I-Regexp matches nothing; it is not a compile error.
  EXPECT_EQ(Json::array(), ValuesOf("$[?match(@.name, 'a(?i)b')]", doc));
  EXPECT_EQ(Json::parse(R"(["abcdef"])"),
            ValuesOf("$[?!search(@.name, 'ñ') && length(@.name) > 2].name", doc));
}

TEST(JsonPathEval, PatternsFromTheDocumentAreCompiledAndCached) {
  Json doc = Json::parse(R"({"pattern": "b.*", "bad": "a{2,1}", "items": ["abc", "bcd", "b"]})");
  Result<JsonPath> path = JsonPath::Compile("$.items[?match(@, $.pattern)]");
  ASSERT_TRUE(path.ok());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Json::parse(R"(["bcd", "b"])"), path->Values(doc));
  EXPECT_EQ(Json::array(), ValuesOf("$.items[?match(@, $.bad)]", doc));
  EXPECT_EQ(Json::array(), ValuesOf("$.items[?search(@, $.missing)]", doc));
}

TEST(JsonPathEval, NormalizedPathsEscapeNamesAsRfc9535Says) {
  Json doc = Json::object();
  doc["it's"] = 1;
  doc["back\\slash"] = 2;
  doc["tab\there"] = 3;
  doc[std::string("nul\x01\x1f", 5)] = 4;
  doc["☺"] = 5;
  EXPECT_EQ((std::vector<std::string>{"$['it\\'s']", "$['back\\\\slash']", "$['tab\\there']",
                                      "$['nul\\u0001\\u001f']", "$['☺']"}),
            Paths("$.*", doc));
  EXPECT_EQ((std::vector<std::string>{"$['☺']"}), Paths("$.☺", doc));
  EXPECT_EQ((std::vector<std::string>{"$[2]"}), Paths("$[-1]", Json::parse("[0,1,2]")));
}

TEST(JsonPathEval, NodesPointIntoTheDocumentAndSelectCopiesNothing) {
  Json doc = Json::parse(R"({"a": [{"b": 1}, {"b": 2}]})");
  Result<JsonPath> path = JsonPath::Compile("$.a[*].b");
  ASSERT_TRUE(path.ok());
  std::vector<JsonPathNode> nodes = path->Evaluate(doc);
  ASSERT_EQ(2u, nodes.size());
  EXPECT_EQ(&doc["a"][1]["b"], nodes[1].value);
  EXPECT_EQ("$['a'][1]['b']", nodes[1].path);
  std::vector<const Json*> values = path->Select(doc);
  ASSERT_EQ(2u, values.size());
  EXPECT_EQ(&doc["a"][0]["b"], values[0]);
}

TEST(JsonPathEval, OneCompiledQueryServesManyDocuments) {
  Result<JsonPath> path = JsonPath::Compile("$.id");
  ASSERT_TRUE(path.ok());
  JsonPath copy = *path;
  EXPECT_EQ(Json::parse("[1]"), copy.Values(Json::parse(R"({"id": 1})")));
  EXPECT_EQ(Json::parse("[]"), copy.Values(Json::parse("[1]")));
  EXPECT_EQ(Json::parse("[\"x\"]"), path->Values(Json::parse(R"({"id": "x"})")));
}

// A name selector first tries the position where it found its member in the previous object; a
// list whose objects order, omit or repeat-by-prefix their keys differently must select exactly
// what a search from the front selects.
TEST(JsonPathEval, MembersAreFoundWhateverEachObjectsKeyOrder) {
  Json doc = Json::parse(R"({"items": [
      {"id": "a", "status": "lead", "zip": {"code": "1"}},
      {"status": "lead", "id": "b"},
      {"statu": "x", "status_": "y", "id": "c"},
      {"id": "d"},
      {"zip": {"code": "2", "id": "z"}, "status": "customer", "id": "e"},
      {"id": "f", "status": "lead"},
      {}]})");
  EXPECT_EQ(Json::parse(R"(["a", "b", "f"])"), ValuesOf("$.items[?@.status == 'lead'].id", doc));
  EXPECT_EQ(Json::parse(R"(["a", "b", "c", "d", "e", "f"])"), ValuesOf("$.items[*].id", doc));
  EXPECT_EQ(Json::parse(R"(["1", "2"])"), ValuesOf("$.items[*].zip.code", doc));
  EXPECT_EQ(Json::parse(R"(["e"])"), ValuesOf("$.items[?@.zip.id == 'z'].id", doc));
  EXPECT_EQ(Json::parse(R"(["c"])"), ValuesOf("$.items[?!@.status && @.statu].id", doc));
}

// Evaluation only reads a compiled query (the member positions it remembers are hints kept in
// relaxed atomics), so one query serves several threads, each over documents of its own order.
TEST(JsonPathEval, OneCompiledQueryIsSafeToEvaluateFromSeveralThreads) {
  Result<JsonPath> path = JsonPath::Compile("$[?@.status == 'lead'].id");
  ASSERT_TRUE(path.ok());
  auto list = [](int shift) {
    Json items = Json::array();
    for (int i = 0; i < 200; ++i) {
      Json item = Json::object();
      for (int k = 0; k < (i + shift) % 5; ++k) item["pad" + std::to_string(k)] = k;
      item["status"] = i % 2 == 0 ? "lead" : "customer";
      item["id"] = i;
      items.push_back(std::move(item));
    }
    return items;
  };
  std::vector<std::thread> threads;
  std::vector<size_t> counts(4);
  std::vector<int> in_order(4);  // not vector<bool>: its elements share bytes
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Json doc = list(t);
      for (int round = 0; round < 50; ++round) {
        Json ids = path->Values(doc);
        counts[t] = ids.size();
        in_order[t] = ids.size() == 100 && ids.front() == 0 && ids.back() == 198;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) {
    EXPECT_EQ(100u, counts[t]) << t;
    EXPECT_TRUE(in_order[t]) << t;
  }
}

Json Nested(int depth) {
  Json doc = Json::parse(R"({"a": "leaf"})");
  for (int i = 0; i < depth; ++i) {
    Json outer = Json::array();
    outer.push_back(std::move(doc));
    doc = std::move(outer);
  }
  return doc;
}

// Counted through Select(): copying or printing such a value would itself recurse.
size_t CountSelected(const std::string& query, const Json& document) {
  Result<JsonPath> path = JsonPath::Compile(query);
  EXPECT_TRUE(path.ok()) << query;
  return path.ok() ? path->Select(document).size() : 0;
}

TEST(JsonPathEval, VeryDeepDocumentsDoNotExhaustTheStack) {
  Json doc = Nested(200000);
  EXPECT_EQ(Json::parse(R"(["leaf"])"), ValuesOf("$..a", doc));
  EXPECT_EQ(200001u, CountSelected("$..*", doc));
  EXPECT_EQ(1u, CountSelected("$[?@ == $[0]]", doc));  // deep equality of 200 000 levels
  EXPECT_EQ(1u, CountSelected("$[?count(@..a) == 1]", doc));
  Result<JsonPath> paths = JsonPath::Compile("$..a");
  ASSERT_TRUE(paths.ok());
  std::vector<JsonPathNode> nodes = paths->Evaluate(doc);
  ASSERT_EQ(1u, nodes.size());
  EXPECT_EQ(1 + 200000u * 3 + 5, nodes[0].path.size());  // $ + [0] per level + ['a']
}

}  // namespace
}  // namespace verity::expr
