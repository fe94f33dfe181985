// Arazzo runtime expressions, embedded `{$…}` templates and simple conditions: what parses, where
// a bad one fails, and what each evaluates to against a context.
#include "expr/arazzo_expression.h"

#include <gtest/gtest.h>

#include <map>

namespace verity::arazzo {
namespace {

Expression Parse(std::string_view text) {
  ExpressionError error;
  std::optional<Expression> e = ParseExpression(text, &error);
  EXPECT_TRUE(e.has_value()) << text << ": " << error.message;
  return e.value_or(Expression{});
}

ExpressionError ParseError(std::string_view text) {
  ExpressionError error;
  EXPECT_FALSE(ParseExpression(text, &error).has_value()) << text;
  return error;
}

TEST(ArazzoExpression, ParsesEachSourceOfTheGrammar) {
  EXPECT_EQ(Source::kStatusCode, Parse("$statusCode").source);
  EXPECT_EQ(Source::kUrl, Parse("$url").source);
  EXPECT_EQ(Source::kMethod, Parse("$method").source);
  Expression header = Parse("$request.header.X-Api-Key");
  EXPECT_EQ(Source::kRequestHeader, header.source);
  EXPECT_EQ("X-Api-Key", header.name);
  EXPECT_EQ(Source::kRequestQuery, Parse("$request.query.page").source);
  EXPECT_EQ(Source::kRequestPath, Parse("$request.path.id").source);
  EXPECT_EQ(Source::kResponseHeader, Parse("$response.header.Location").source);
  Expression body = Parse("$response.body#/items/0/id");
  EXPECT_EQ(Source::kResponseBody, body.source);
  EXPECT_TRUE(body.has_pointer);
  EXPECT_EQ("/items/0/id", body.pointer);
  EXPECT_FALSE(Parse("$request.body").has_pointer);
  EXPECT_EQ("petId", Parse("$inputs.petId").name);
  Expression input = Parse("$inputs.customer#/firstName");
  EXPECT_EQ("customer", input.name);
  EXPECT_EQ("/firstName", input.pointer);
  EXPECT_EQ(Source::kOutputs, Parse("$outputs.token").source);
  Expression step = Parse("$steps.find-pet.outputs.my.pet");
  EXPECT_EQ("find-pet", step.id);
  EXPECT_EQ("outputs", step.field);
  EXPECT_EQ("my.pet", step.name);
  Expression wf = Parse("$workflows.login.inputs.user");
  EXPECT_EQ("login", wf.id);
  EXPECT_EQ("inputs", wf.field);
  Expression source = Parse("$sourceDescriptions.petstore.url");
  EXPECT_EQ("petstore", source.id);
  EXPECT_EQ("url", source.name);
  Expression component = Parse("$components.parameters.page");
  EXPECT_EQ("parameters", component.field);
  EXPECT_EQ("page", component.name);
}

TEST(ArazzoExpression, KeepsTextAfterAStepIdThatIsNotOutputsWhole) {
  Expression e = Parse("$steps.s.result");
  EXPECT_EQ("", e.field);
  EXPECT_EQ("result", e.name);
}

TEST(ArazzoExpression, ReportsWhereABadExpressionFails) {
  EXPECT_EQ(0u, ParseError("statusCode").offset);
  EXPECT_EQ(0u, ParseError("$status").offset);
  EXPECT_EQ(10u, ParseError("$response.cookie.x").offset);
  EXPECT_EQ(14u, ParseError("$response.body/id").offset);
  EXPECT_EQ(17u, ParseError("$response.body#/a~2").offset);
  EXPECT_EQ(18u, ParseError("$response.header.a b").offset);
  EXPECT_EQ(10u, ParseError("$response.query.x").offset);
  EXPECT_EQ(11u, ParseError("$statusCode2").offset);
  EXPECT_EQ(7u, ParseError("$steps.").offset);
  EXPECT_EQ(12u, ParseError("$components.things.x").offset);
}

TEST(ArazzoExpression, SplitsATemplateIntoTextAndExpressions) {
  ExpressionError error;
  auto parts = ParseTemplate("Bearer {$inputs.token} for {$steps.a.outputs.id}!", &error);
  ASSERT_TRUE(parts.has_value()) << error.message;
  ASSERT_EQ(5u, parts->size());
  EXPECT_EQ("Bearer ", (*parts)[0].literal);
  EXPECT_EQ("token", (*parts)[1].expression.name);
  EXPECT_EQ("!", (*parts)[4].literal);
  EXPECT_FALSE(ParseTemplate("x {$inputs.token", &error).has_value());
  EXPECT_EQ(2u, error.offset);
  EXPECT_FALSE(ParseTemplate("x {$nope}", &error).has_value());
  EXPECT_EQ(3u, error.offset);
}

TEST(ArazzoCondition, ParsesOperatorsWithTheirPrecedence) {
  ExpressionError error;
  auto c = ParseCondition("$statusCode == 200 || !($response.body#/ok != true) && 1 < 2", &error);
  ASSERT_TRUE(c.has_value()) << error.message;
  EXPECT_EQ(Condition::Kind::kOr, c->kind);
  EXPECT_EQ(Condition::Kind::kCompare, c->operands[0].kind);
  EXPECT_EQ(Condition::Kind::kAnd, c->operands[1].kind);
  EXPECT_EQ(Condition::Kind::kNot, c->operands[1].operands[0].kind);
}

TEST(ArazzoCondition, ReportsWhereABadConditionFails) {
  ExpressionError error;
  EXPECT_FALSE(ParseCondition("$statusCode == ", &error).has_value());
  EXPECT_EQ(15u, error.offset);
  EXPECT_FALSE(ParseCondition("$statusCode = 200", &error).has_value());
  EXPECT_EQ(12u, error.offset);
  EXPECT_FALSE(ParseCondition("$statsCode == 200", &error).has_value());
  EXPECT_EQ(0u, error.offset);
  EXPECT_FALSE(ParseCondition("'open == 1", &error).has_value());
  EXPECT_FALSE(ParseCondition("($statusCode == 200", &error).has_value());
  EXPECT_FALSE(
      ParseCondition(std::string(200, '(') + "true" + std::string(200, ')'), &error).has_value());
  EXPECT_NE(std::string::npos, error.message.find("too deeply"));
}

// The values a runner would give: a response, the inputs and one step's outputs.
class FakeContext : public EvalContext {
 public:
  std::optional<Json> Value(const Expression& e) const override {
    switch (e.source) {
      case Source::kStatusCode:
        return Json(200);
      case Source::kResponseHeader:
        if (e.name == "X-Count") return Json("7");
        return std::nullopt;
      case Source::kResponseBody:
        return Json::parse(R"({"status": "OK", "items": [{"id": 5}], "error": null})");
      case Source::kInputs:
        return e.name == "token" ? std::optional<Json>(Json("abc")) : std::nullopt;
      case Source::kSteps:
        return e.name == "id" ? std::optional<Json>(Json(42)) : std::nullopt;
      default:
        return std::nullopt;
    }
  }
};

bool Holds(std::string_view condition) {
  ExpressionError error;
  auto c = ParseCondition(condition, &error);
  EXPECT_TRUE(c.has_value()) << condition << ": " << error.message;
  if (!c) return false;
  Result<bool> truth = EvaluateCondition(*c, FakeContext());
  EXPECT_TRUE(truth.ok()) << condition << ": " << truth.status().message();
  return truth.ok() && *truth;
}

TEST(ArazzoEvaluate, AppliesTheJsonPointerToTheValue) {
  Result<Json> id = Evaluate(Parse("$response.body#/items/0/id"), FakeContext());
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(Json(5), *id);
  EXPECT_FALSE(Evaluate(Parse("$response.body#/items/3"), FakeContext()).ok());
  EXPECT_FALSE(Evaluate(Parse("$url"), FakeContext()).ok());
}

TEST(ArazzoEvaluate, FillsATemplate) {
  ExpressionError error;
  auto parts = ParseTemplate("Bearer {$inputs.token}/{$steps.s.outputs.id}", &error);
  ASSERT_TRUE(parts.has_value());
  Result<std::string> text = EvaluateTemplate(*parts, FakeContext());
  ASSERT_TRUE(text.ok());
  EXPECT_EQ("Bearer abc/42", *text);
}

TEST(ArazzoEvaluate, ComparesLikeTheSpecSays) {
  EXPECT_TRUE(Holds("$statusCode == 200"));
  EXPECT_FALSE(Holds("$statusCode != 200"));
  EXPECT_TRUE(Holds("$statusCode >= 200 && $statusCode < 300"));
  EXPECT_TRUE(Holds("$response.body#/status == 'ok'"));  // strings: case-insensitive
  EXPECT_TRUE(Holds("$response.header.X-Count > 5"));    // text that is a number
  EXPECT_TRUE(Holds("$response.body#/error == null"));
  EXPECT_TRUE(Holds("$response.body#/missing == null"));  // absent compares as null
  EXPECT_TRUE(Holds("!($statusCode == 404) || false"));
  EXPECT_TRUE(Holds("$steps.s.outputs.id == 42"));
}

TEST(ArazzoEvaluate, RefusesToOrderValuesOfDifferentTypes) {
  ExpressionError error;
  auto c = ParseCondition("$response.body#/items > 1", &error);
  ASSERT_TRUE(c.has_value());
  EXPECT_FALSE(EvaluateCondition(*c, FakeContext()).ok());
}

TEST(ArazzoEvaluate, ChecksRegexAndJsonPathCriteria) {
  FakeContext ctx;
  Json body = Json::parse(R"({"products": [1, 2]})");
  EXPECT_TRUE(*EvaluateCriterion("regex", "^2\\d\\d$", Json(200), ctx));
  EXPECT_FALSE(*EvaluateCriterion("regex", "^4", Json(200), ctx));
  EXPECT_TRUE(
      *EvaluateCriterion("jsonpath", "$[?count(@.products) > 0]", Json::array({body}), ctx));
  EXPECT_FALSE(*EvaluateCriterion("jsonpath", "$.nothing", body, ctx));
  EXPECT_TRUE(*EvaluateCriterion("simple", "$statusCode == 200", Json(), ctx));
  EXPECT_FALSE(EvaluateCriterion("xpath", "//a", Json(), ctx).ok());
  EXPECT_FALSE(EvaluateCriterion("regex", "(", Json("x"), ctx).ok());
}

}  // namespace
}  // namespace verity::arazzo
