#include "expr/predicate.h"

#include <gtest/gtest.h>

#include <string>

#include "base/strings.h"

namespace verity::expr {
namespace {

// One row: an operator and its operand (JSON text), a subject (JSON text, or "" for nothing), and
// whether the predicate holds.
struct Row {
  const char* op;
  const char* operand;
  const char* subject;
  bool holds;
};

Json J(const char* text) { return Json::parse(text); }

class PredicateTable : public ::testing::TestWithParam<Row> {};

TEST_P(PredicateTable, HoldsExactlyWhenTheRowSays) {
  const Row& row = GetParam();
  Result<Predicate> p = MakePredicate(row.op, J(row.operand));
  ASSERT_TRUE(p.ok()) << row.op << " " << row.operand << ": " << p.status().message();
  Json subject;
  bool nothing = std::string(row.subject).empty();
  if (!nothing) subject = J(row.subject);
  PredicateResult r = Evaluate(*p, nothing ? nullptr : &subject);
  EXPECT_EQ(r.passed, row.holds) << row.op << " " << row.operand << " on "
                                 << (nothing ? "(nothing)" : row.subject) << ": " << r.why;
  // A failure always says why; a pass never does.
  EXPECT_EQ(r.why.empty(), r.passed) << r.why;
}

INSTANTIATE_TEST_SUITE_P(
    Equality, PredicateTable,
    ::testing::Values(
        Row{"equals", R"("Ada")", R"("Ada")", true}, Row{"equals", R"("Ada")", R"("ada")", false},
        Row{"equals", "1", "1.0", true},        // numbers by value
        Row{"equals", "42", R"("42")", false},  // a number written as a string
        Row{"equals", R"("42")", "42", false}, Row{"equals", "null", "null", true},
        Row{"equals", "null", "", false},  // nothing is not null
        Row{"equals", "false", "0", false},
        Row{"equals", R"({"a":[1,{"b":2}]})", R"({"a":[1,{"b":2.0}]})", true},
        Row{"equals", R"({"a":1})", R"({"a":1,"b":2})", false},
        Row{"equals", "[1,2]", "[2,1]", false}, Row{"equals", R"("Zoë ☕")", R"("Zoë ☕")", true},
        Row{"not_equals", R"("Ada")", R"("Bob")", true}, Row{"not_equals", "1", "1.0", false},
        Row{"not_equals", "1", "", false},  // nothing to compare
        Row{"in", R"(["a","b"])", R"("b")", true}, Row{"in", "[1,2]", "2.0", true},
        Row{"in", R"(["1","2"])", "1", false}, Row{"in", "[]", R"("a")", false}));

INSTANTIATE_TEST_SUITE_P(
    Presence, PredicateTable,
    ::testing::Values(Row{"exists", "true", "null", true},  // a present null exists
                      Row{"exists", "true", "", false}, Row{"exists", "false", "", true},
                      Row{"exists", "false", "1", false}, Row{"absent", "true", "", true},
                      Row{"absent", "true", "null", false}, Row{"absent", "false", "0", true},
                      Row{"is_empty", "true", R"("")", true}, Row{"is_empty", "true", "[]", true},
                      Row{"is_empty", "true", "{}", true}, Row{"is_empty", "true", "[0]", false},
                      Row{"is_empty", "true", "null", false},  // null is no collection
                      Row{"is_empty", "true", "0", false}, Row{"is_empty", "true", "", false},
                      Row{"not_empty", "true", R"(" ")", true},
                      Row{"not_empty", "true", "[]", false},
                      Row{"not_empty", "true", R"({"a":null})", true},
                      Row{"not_empty", "false", "[]", true}));

INSTANTIATE_TEST_SUITE_P(
    Containment, PredicateTable,
    ::testing::Values(
        Row{"contains", R"("da")", R"("Ada")", true}, Row{"contains", R"("é")", R"("café")", true},
        Row{"contains", R"("x")", R"("Ada")", false},
        Row{"contains", "1", R"("a1")", false},  // a string holds only strings
        Row{"contains", "2", "[1,2,3]", true}, Row{"contains", "2", "[1.0,2.0]", true},
        Row{"contains", R"("2")", "[1,2]", false},
        Row{"contains", R"({"id":7})", R"([{"id":7,"n":"a"}])", false},
        Row{"contains", R"({"id":7,"n":"a"})", R"([{"id":7,"n":"a"}])", true},
        Row{"contains", R"("id")", R"({"id":null})", true},           // object: a key
        Row{"contains", R"({"id":7})", R"({"id":7,"n":"a"})", true},  // subset
        Row{"contains", R"({"id":8})", R"({"id":7,"n":"a"})", false},
        Row{"contains", R"("a")", "null", false}, Row{"contains", R"("a")", "", false},
        Row{"not_contains", R"("x")", R"("Ada")", true}, Row{"not_contains", "2", "[1,2]", false},
        Row{"not_contains", R"("a")", "5", false}));  // not a container

INSTANTIATE_TEST_SUITE_P(
    Patterns, PredicateTable,
    ::testing::Values(
        Row{"matches", R"("^[0-9a-f-]{36}$")", R"("0b6f0c1e-9d7a-4c55-b3a4-1f2e3d4c5b6a")", true},
        Row{"matches", R"("clients/")", R"("/v1/clients/12")", true},  // anywhere
        Row{"matches", R"("^clients/")", R"("/v1/clients/12")", false},
        Row{"matches", R"("^\\p{Lu}")", R"("Élodie")", true},  // UTF-8 classes
        Row{"matches", R"("1")", "1", false},                  // only strings match
        Row{"matches", R"("a")", "", false}, Row{"type", R"("string")", R"("1")", true},
        Row{"type", R"("number")", "1", true}, Row{"type", R"("integer")", "1", true},
        Row{"type", R"("integer")", "2.0", true}, Row{"type", R"("integer")", "2.5", false},
        Row{"type", R"("number")", R"("1")", false}, Row{"type", R"("null")", "null", true},
        Row{"type", R"("boolean")", "false", true}, Row{"type", R"("array")", "[]", true},
        Row{"type", R"("object")", "[]", false}, Row{"type", R"("object")", "", false}));

INSTANTIATE_TEST_SUITE_P(
    Sizes, PredicateTable,
    ::testing::Values(Row{"count", "3", "[1,2,3]", true}, Row{"count", "2", "[1,2,3]", false},
                      Row{"count", "1", R"({"a":1})", true},
                      Row{"count", "3", R"("abc")", false},  // count is for collections
                      Row{"count", R"({"gt":0})", "[0]", true},
                      Row{"count", R"({"gt":0})", "[]", false},
                      Row{"count", R"({"le":2})", "[1,2]", true},
                      Row{"count", R"({"eq":0})", "[]", true}, Row{"count", "0", "", false},
                      Row{"length", "4", R"("Zoë!")", true},  // code points, not bytes
                      Row{"length", "5", R"("Zoë!")", false},
                      Row{"length", R"({"lt":3})", "[1,2]", true},
                      Row{"length", "1", R"({"a":1})", false}, Row{"length", "1", "1", false}));

INSTANTIATE_TEST_SUITE_P(
    Order, PredicateTable,
    ::testing::Values(Row{"lt", "10", "9.5", true}, Row{"lt", "10", "10", false},
                      Row{"le", "10", "10.0", true}, Row{"gt", "0", "-1", false},
                      Row{"ge", "-1", "-1", true},
                      Row{"gt", "9007199254740992", "9007199254740993", true},  // past 2^53
                      Row{"lt", "9007199254740993", "9007199254740992", true},
                      Row{"lt", "1", "-1", true},
                      Row{"equals", "18446744073709551615", "-1", false},
                      Row{"lt", R"("2026-12-07")", R"("2026-12-06T10:00:00Z")", true},
                      Row{"gt", R"("b")", R"("a")", false},
                      Row{"lt", "10", R"("9")", false},  // a number is not ordered with a string
                      Row{"lt", "10", "null", false}, Row{"gt", "0", "", false}));

TEST(Predicate, AnOperandOfTheWrongTypeIsRefusedSayingWhatTheOperatorTakes) {
  struct Case {
    const char* op;
    const char* operand;
    const char* says;
  };
  for (const Case& c :
       {Case{"matches", "3", "regular expression"},
        Case{"matches", R"("(unclosed")", "not a valid RE2 expression"},
        Case{"in", R"("a")", "list of values"}, Case{"type", R"("str")", "one of string"},
        Case{"count", R"("3")", "whole number"},
        Case{"count", R"({"gt":0,"lt":3})", "one comparison"},
        Case{"count", R"({"between":1})", "not a comparison"},
        Case{"lt", "[1]", "number or a string"}, Case{"exists", R"("yes")", "true or false"},
        Case{"equal", "1", "unknown operator"}}) {
    Result<Predicate> p = MakePredicate(c.op, J(c.operand));
    ASSERT_FALSE(p.ok()) << c.op << " " << c.operand;
    EXPECT_NE(p.status().message().find(c.says), std::string::npos)
        << c.op << ": " << p.status().message();
  }
}

TEST(Predicate, AnOperandStillToBeRenderedIsJudgedWhenItIsEvaluated) {
  Result<Predicate> p = MakePredicate("matches", J(R"("{{pattern}}")"), true);
  ASSERT_TRUE(p.ok());
  p->operand = "(unclosed";  // what the placeholder rendered to
  Json subject = "x";
  PredicateResult r = Evaluate(*p, &subject);
  EXPECT_FALSE(r.passed);
  EXPECT_NE(r.why.find("not a valid RE2 expression"), std::string::npos) << r.why;
}

TEST(Predicate, AFailureShowsTheOperandAndTheValueSeenAndWhyTheyDiffer) {
  Predicate p = *MakePredicate("equals", J("42"));
  Json subject = "42";
  PredicateResult r = Evaluate(p, &subject);
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.expected, "42");
  EXPECT_EQ(r.actual, "\"42\"");
  EXPECT_EQ(r.why, "expected a number, got a string");

  PredicateResult none = Evaluate(p, nullptr);
  EXPECT_EQ(none.actual, "(nothing)");
  EXPECT_EQ(none.why, "the path selected nothing");

  Predicate count = *MakePredicate("count", J(R"({"gt":2})"));
  Json two = J("[1,2]");
  PredicateResult c = Evaluate(count, &two);
  EXPECT_EQ(c.actual, "[1,2] (count 2)");
  EXPECT_EQ(c.why, "count is 2, expected > 2");
}

TEST(Predicate, ShownValuesAreMaskedBeforeTheyAreCut) {
  PredicateOptions options;
  options.max_chars = 12;
  options.mask = [](std::string_view text) {
    std::string out(text);
    for (size_t at = out.find("SECRET-TOKEN"); at != std::string::npos;
         at = out.find("SECRET-TOKEN"))
      out.replace(at, 12, "****");
    return out;
  };
  Predicate p = *MakePredicate("equals", J(R"("abcdefSECRET-TOKEN")"));
  // The secret straddles the cut at 12 characters: cut first, its head would survive.
  Json subject = "abcdefSECRET-TOKENxyz";
  PredicateResult r = Evaluate(p, &subject, options);
  EXPECT_EQ(r.expected, "\"abcdef****\"");
  EXPECT_EQ(r.actual, "\"abcdef****x…");
  EXPECT_EQ(r.actual.find("SECR"), std::string::npos);
}

TEST(Predicate, ASelectionIsJudgedExactlyAsTheArrayOfItsValues) {
  Json doc = J(R"([{"id":1},"a",2.0,null,[3]])");
  std::vector<std::vector<const Json*>> selections = {
      {}, {&doc[0]}, {&doc[1], &doc[2]}, {&doc[0], &doc[1], &doc[2], &doc[3], &doc[4]}};
  std::vector<std::pair<const char*, const char*>> predicates = {{"count", "2"},
                                                                 {"count", R"({"gt":0})"},
                                                                 {"length", "1"},
                                                                 {"is_empty", "true"},
                                                                 {"not_empty", "true"},
                                                                 {"contains", "2"},
                                                                 {"contains", R"({"id":1})"},
                                                                 {"not_contains", "\"a\""},
                                                                 {"equals", R"(["a",2])"},
                                                                 {"type", R"("array")"},
                                                                 {"exists", "true"}};
  for (const auto& [op, operand] : predicates) {
    Predicate p = *MakePredicate(op, J(operand));
    for (const std::vector<const Json*>& nodes : selections) {
      Json all = Json::array();
      for (const Json* n : nodes) all.push_back(*n);
      PredicateResult copied = Evaluate(p, &all);
      PredicateResult in_place = EvaluateSelection(p, nodes);
      EXPECT_EQ(in_place.passed, copied.passed) << op << " " << operand << " on " << all.dump();
      EXPECT_EQ(in_place.actual, copied.actual) << op << " " << operand;
      EXPECT_EQ(in_place.why, copied.why) << op << " " << operand;
    }
  }
}

TEST(BoundedExcerpt, AHugeValueIsShownCutWithoutSerializingItWhole) {
  Json big = Json::array();
  for (int i = 0; i < 200000; ++i) big.push_back({{"id", i}, {"name", std::string(40, 'x')}});
  std::string text = BoundedExcerpt(big, 50);
  EXPECT_TRUE(text.starts_with("[{\"id\":0,\"name\":\"xxx")) << text;
  EXPECT_TRUE(text.ends_with("…")) << text;
  EXPECT_LE(CodePointCount(text), 51u);
  std::string long_string(10 * 1024 * 1024, 'a');
  EXPECT_EQ(BoundedExcerpt(Json(long_string), 5), "\"aaaa…");
  EXPECT_EQ(BoundedExcerpt(J(R"({"a":"é"})"), 50), R"({"a":"é"})");
}

TEST(Predicate, EveryOperatorNameReadsBackAsItsOperator) {
  for (std::string_view name : PredicateOpNames()) {
    std::optional<PredicateOp> op = ParsePredicateOp(name);
    ASSERT_TRUE(op) << name;
    EXPECT_EQ(PredicateOpName(*op), name);
  }
  EXPECT_EQ(PredicateOpNames().size(), 17u);
  EXPECT_FALSE(ParsePredicateOp("EQUALS"));
}

}  // namespace
}  // namespace verity::expr
