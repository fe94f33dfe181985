#include <gtest/gtest.h>

#include "base/clock.h"
#include "base/random.h"
#include "base/timestamp.h"
#include "expr/render.h"

namespace verity::expr {
namespace {

class Render : public ::testing::Test {
 protected:
  Render() : builtins_(clock_, random_), scope_(&builtins_) {
    scope_.SetAll(Layer::kConfig, Json::parse(R"({"client_uid": "c-9", "business_id": 12})"));
    scope_.Set(Layer::kExtracted, "package_price", 19.5);
    scope_.Set(Layer::kExtracted, "count", 3);
    scope_.Set(Layer::kExtracted, "flag", true);
    scope_.Set(Layer::kExtracted, "nothing", nullptr);
    scope_.Set(Layer::kExtracted, "name", "Ana");
    scope_.Set(Layer::kExtracted, "resolved", Json::parse(R"({"uid": "r-1", "tags": ["a", "b"]})"));
    scope_.Set(Layer::kExtracted, "id", "a/b c");
  }

  std::string Text(std::string_view text) {
    std::vector<TemplateError> errors;
    Result<std::string> out = RenderString(text, scope_, "step", "params/q", &errors);
    return out.ok() ? *out : "error: " + out.status().message();
  }

  Json Value(std::string_view json) {
    Result<Json> out = RenderJson(Json::parse(json), scope_, "create", "body");
    return out.ok() ? *out : Json("error: " + out.status().message());
  }

  std::string PathOf(std::string_view path) {
    Result<std::string> out = RenderPath(path, scope_, "get");
    return out.ok() ? *out : "error: " + out.status().message();
  }

  FakeClock clock_{ParseIso8601("2026-02-08T13:58:00Z").value()};
  SeededRandom random_{42};
  Builtins builtins_;
  Scope scope_;
};

TEST_F(Render, SubstitutesNamesWithOrWithoutSpaces) {
  EXPECT_EQ("hi Ana!", Text("hi {{name}}!"));
  EXPECT_EQ("hi Ana!", Text("hi {{ name }}!"));
  EXPECT_EQ("no placeholders", Text("no placeholders"));
}

TEST_F(Render, PutsValuesIntoTextAsTheirText) {
  EXPECT_EQ("19.5 3 true null", Text("{{package_price}} {{count}} {{flag}} {{nothing}}"));
  EXPECT_EQ(R"(r={"uid":"r-1","tags":["a","b"]} t=["a","b"])",
            Text("r={{resolved}} t={{resolved.tags}}"));
}

TEST_F(Render, FollowsDottedNamesIntoObjectsArraysAndConfigParams) {
  EXPECT_EQ("r-1/b/c-9/12",
            Text("{{resolved.uid}}/{{resolved.tags.1}}/{{config.params.client_uid}}/"
                 "{{business_id}}"));
}

TEST_F(Render, SeesBuiltinsWithoutAnyPrerequisiteStep) {
  EXPECT_EQ("2026-02-09T17:00:00.000Z 0000",
            Text("{{tomorrow_datetime}} {{timestamp | slice: -4}}"));
}

TEST_F(Render, AppliesFilterChains) {
  EXPECT_EQ("AN", Text("{{ name | upper | slice: 0:2 }}"));
  EXPECT_EQ("a%2Fb%20c", Text("{{id | urlencode}}"));
  EXPECT_EQ("QW5h", Text("{{name | base64}}"));
  EXPECT_EQ(R"("Ana")", Text("{{name | json}}"));
}

TEST_F(Render, DefaultCoversMissingAndNullValues) {
  EXPECT_EQ("fallback", Text("{{ missing | default: 'fallback' }}"));
  EXPECT_EQ("fallback", Text("{{ nothing | default: \"fallback\" }}"));
  EXPECT_EQ("Ana", Text("{{ name | default: 'fallback' }}"));
  // Filters before the default have nothing to work on and let the missing value through.
  EXPECT_EQ("FB", Text("{{ missing | upper | default: 'FB' }}"));
  EXPECT_EQ("FB", Text("{{ missing | default: 'fb' | upper }}"));
}

TEST_F(Render, KeepsTheJsonTypeOfAValueThatIsOnePlaceholder) {
  EXPECT_EQ(Json::parse(R"({"price": 19.5, "n": 3, "ok": true, "none": null,
                            "resolved": {"uid": "r-1", "tags": ["a", "b"]},
                            "tags": ["a", "b"], "spaced": 3, "ts": 1770559080})"),
            Value(R"({"price": "{{package_price}}", "n": "{{count}}", "ok": "{{flag}}",
                      "none": "{{nothing}}", "resolved": "{{resolved}}",
                      "tags": "{{ resolved.tags }}", "spaced": "{{ count }}",
                      "ts": "{{now_timestamp}}"})"));
}

TEST_F(Render, TextAroundAPlaceholderOrAStringFilterGivesAStringOtherFiltersKeepTheType) {
  EXPECT_EQ(Json::parse(R"({"a": "3", "b": "3 items", "c": " 3", "d": ["a"], "e": 0,
                            "f": "19"})"),
            Value(R"({"a": "{{count | json}}", "b": "{{count}} items", "c": " {{count}}",
                      "d": "{{ resolved.tags | slice: 0:1 }}", "e": "{{ missing | default: 0 }}",
                      "f": "{{ package_price | slice: 0:2 }}"})"));
}

TEST_F(Render, RendersKeysAndValuesAtEveryDepth) {
  EXPECT_EQ(Json::parse(R"({"r-1": "Ana", "items": [{"id": "r-1", "n": 3}], "fixed": 1})"),
            Value(R"({"{{resolved.uid}}": "{{name}}",
                      "items": [{"id": "{{resolved.uid}}", "n": "{{count}}"}], "fixed": 1})"));
}

TEST_F(Render, ALaterMemberWinsWhenKeysRenderToTheSameText) {
  EXPECT_EQ(Json::parse(R"({"Ana": 2, "b": 3})"), Value(R"({"Ana": 1, "b": 3, "{{name}}": 2})"));
}

TEST_F(Render, ReportsEveryUnresolvedNameWithStepAndLocation) {
  std::vector<TemplateError> errors;
  Result<Json> out = RenderJson(Json::parse(R"({"a": "{{x}}", "items": [{"id": "{{y}} and {{x}}"}],
                                               "{{z}}": 1})"),
                                scope_, "create", "body", &errors);
  ASSERT_FALSE(out.ok());
  ASSERT_EQ(4u, errors.size());
  EXPECT_EQ(kTemplateUnresolved, errors[0].code);
  EXPECT_EQ("x", errors[0].name);
  EXPECT_EQ("body/a", errors[0].where);
  EXPECT_EQ(1u, errors[0].column);
  EXPECT_EQ(R"(unresolved variable "x" in step "create" (body/a))", errors[0].message);
  EXPECT_EQ(R"(unresolved variable "y" in step "create" (body/items/0/id))", errors[1].message);
  EXPECT_EQ(R"(unresolved variable "x" in step "create" (body/items/0/id))", errors[2].message);
  EXPECT_EQ(11u, errors[2].column);
  EXPECT_EQ(R"(unresolved variable "z" in step "create" (body/{{z}} (key)))", errors[3].message);
  EXPECT_EQ(
      "TEMPLATE_UNRESOLVED: column 1: unresolved variable \"x\" in step \"create\" (body/a)\n"
      "TEMPLATE_UNRESOLVED: column 1: unresolved variable \"y\" in step \"create\" "
      "(body/items/0/id)\n"
      "TEMPLATE_UNRESOLVED: column 11: unresolved variable \"x\" in step \"create\" "
      "(body/items/0/id)\n"
      "TEMPLATE_UNRESOLVED: column 1: unresolved variable \"z\" in step \"create\" "
      "(body/{{z}} (key))",
      out.status().message());
  EXPECT_EQ(StatusCode::kInvalidArgument, out.status().code());
}

TEST_F(Render, ReportsARepeatedNameInOnePlaceOnce) {
  std::vector<TemplateError> errors;
  EXPECT_FALSE(RenderString("{{x}}-{{x}}", scope_, "s", "path", &errors).ok());
  EXPECT_EQ(1u, errors.size());
}

TEST_F(Render, ReportsSyntaxAndFilterErrorsWithTheirCodes) {
  std::vector<TemplateError> errors;
  Result<std::string> out =
      RenderString("{{ name | nope }} {{resolved | slice: 1}} {{a", scope_, "s", "path", &errors);
  ASSERT_FALSE(out.ok());
  ASSERT_EQ(3u, errors.size());
  EXPECT_EQ(kTemplateSyntax, errors[0].code);
  EXPECT_EQ(R"(unknown filter "nope" in "name | nope" in step "s" (path))", errors[0].message);
  EXPECT_EQ(11u, errors[0].column);
  EXPECT_EQ(kTemplateFilter, errors[1].code);
  EXPECT_EQ("resolved", errors[1].name);
  EXPECT_EQ(
      R"(cannot apply filter "slice" to "resolved" in step "s" (path): slice needs a string, a number, an array or a boolean, got an object)",
      errors[1].message);
  EXPECT_EQ(32u, errors[1].column);
  EXPECT_EQ(kTemplateSyntax, errors[2].code);
  EXPECT_EQ(R"(unterminated placeholder: "{{" without "}}" in step "s" (path))", errors[2].message);
}

TEST_F(Render, TheRendererKeepsOutputFreeOfPlaceholdersEvenWhenItFails) {
  Renderer r(scope_, "s");
  EXPECT_EQ("a--b", r.String("a-{{x}}-{{y | upper}}b{{ oops", "path"));
  EXPECT_EQ(Json::parse(R"({"k": "", "": 1})"),
            r.Value(Json::parse(R"({"k": "{{x}}", "{{x}}": 1})"), "body"));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(5u, r.errors().size());
}

TEST_F(Render, TheRendererCollectsErrorsAcrossTheStepsParts) {
  Renderer r(scope_, "create");
  r.Path("/clients/{{client}}", "path");
  r.Value(Json::parse(R"({"q": "{{query}}"})"), "params");
  r.Value(Json::parse(R"({"id": "{{resolved.uid}}"})"), "body");
  ASSERT_EQ(2u, r.errors().size());
  EXPECT_EQ("client", r.errors()[0].name);
  EXPECT_EQ("path", r.errors()[0].where);
  EXPECT_EQ("query", r.errors()[1].name);
  EXPECT_EQ("params/q", r.errors()[1].where);
  EXPECT_TRUE(Renderer(scope_, "x").status().ok());
}

TEST_F(Render, RandomTemplatesNeverLeaveAPlaceholderInTheOutput) {
  // Pieces that make valid, malformed and unterminated placeholders in every combination.
  const std::vector<std::string> pieces = {
      "{{",       "}}", "{", "}",  "|", ":",     " ",       "'",     "\"",   "\\", "name",
      "resolved", ".",  "0", "-4", ",", "slice", "default", "upper", "nope", "/",  "?"};
  SeededRandom pick(3);
  for (int i = 0; i < 5000; ++i) {
    std::string text;
    for (uint64_t n = pick.Below(12); n > 0; --n) text += pieces[pick.Below(pieces.size())];
    Renderer r(scope_, "s");
    std::string out = r.String(text, "body");
    std::string path = r.Path(text, "path");
    EXPECT_EQ(std::string::npos, out.find("{{")) << text;
    EXPECT_EQ(std::string::npos, path.find("{{")) << text;
    if (text.find("{{") == std::string::npos) {
      EXPECT_EQ(text, out);
    }
  }
}

TEST_F(Render, SubstitutedValuesAreNotRenderedAgain) {
  scope_.Set(Layer::kExtracted, "tricky", "{{name}}");
  EXPECT_EQ("{{name}}", Text("{{tricky}}"));
}

TEST_F(Render, GeneratorsGiveANewValueAtEachOccurrence) {
  EXPECT_EQ("+15555275413 +15556892291", Text("{{random_phone}} {{random_phone}}"));
}

TEST_F(Render, PathValuesAreEncodedAsSegments) {
  EXPECT_EQ("/clients/a%2Fb%20c/docs", PathOf("/clients/{{id}}/docs"));
  EXPECT_EQ("/t/2026-02-08T13:58:00.000Z/x+y", PathOf("/t/{{now_datetime}}/x+y"));
  EXPECT_EQ("/p/%7B%22uid%22:%22r-1%22,%22tags%22:%5B%22a%22,%22b%22%5D%7D",
            PathOf("/p/{{resolved}}"));
}

TEST_F(Render, PathQueryValuesAreEncodedAsQueryComponents) {
  scope_.Set(Layer::kExtracted, "q", "a&b=c+d/e?f g");
  EXPECT_EQ("/search/a%2Fb%20c?q=a%26b%3Dc%2Bd/e?f%20g&lit=x y&id=a/b%20c",
            PathOf("/search/{{id}}?q={{q}}&lit=x y&id={{id}}"));
}

TEST_F(Render, AQuestionMarkInsideAValueDoesNotStartTheQuery) {
  scope_.Set(Layer::kExtracted, "odd", "x?y");
  EXPECT_EQ("/a/x%3Fy/a%2Fb%20c", PathOf("/a/{{odd}}/{{id}}"));
}

TEST_F(Render, APathWithoutPlaceholdersIsUnchanged) {
  EXPECT_EQ("/clients/x y?q=1", PathOf("/clients/x y?q=1"));
}

TEST_F(Render, PathErrorsNameThePath) {
  std::vector<TemplateError> errors;
  EXPECT_FALSE(RenderPath("/c/{{nope}}", scope_, "get", &errors).ok());
  ASSERT_EQ(1u, errors.size());
  EXPECT_EQ(R"(unresolved variable "nope" in step "get" (path))", errors[0].message);
}

TEST_F(Render, MessagesLeaveOutAStepOrPlaceThatIsNotGiven) {
  std::vector<TemplateError> errors;
  EXPECT_FALSE(RenderString("{{nope}}", scope_, "", "", &errors).ok());
  EXPECT_EQ(R"(unresolved variable "nope")", errors.at(0).message);
}

}  // namespace
}  // namespace verity::expr
