#include <gtest/gtest.h>

#include "expr/template.h"

namespace verity::expr {
namespace {

// The error of parsing `expr`, as "column N: message".
std::string ParseError(std::string_view expr) {
  TemplateError error;
  Result<Placeholder> p = ParsePlaceholder(expr, &error);
  if (p.ok()) return "parsed";
  EXPECT_EQ(kTemplateSyntax, error.code);
  EXPECT_EQ(p.status().message(), error.message);
  return "column " + std::to_string(error.column) + ": " + error.message;
}

TEST(PlaceholderSyntax, ReadsASimpleName) {
  Result<Placeholder> p = ParsePlaceholder("client_id");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ("client_id", p->expr);
  EXPECT_EQ("client_id", p->name);
  EXPECT_EQ((std::vector<std::string>{"client_id"}), p->path);
  EXPECT_TRUE(p->filters.empty());
}

TEST(PlaceholderSyntax, SplitsDottedNamesIntoSegmentsIncludingIndices) {
  Result<Placeholder> p = ParsePlaceholder(" config.params.client_uid ");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ("config.params.client_uid", p->expr);
  EXPECT_EQ((std::vector<std::string>{"config", "params", "client_uid"}), p->path);
  p = ParsePlaceholder("data.items.0.id");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ((std::vector<std::string>{"data", "items", "0", "id"}), p->path);
}

TEST(PlaceholderSyntax, ReadsFiltersWithTheirArgumentsAndColumns) {
  Result<Placeholder> p = ParsePlaceholder("x | slice: -4 | default: 'n/a' | upper");
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(3u, p->filters.size());
  EXPECT_EQ(FilterKind::kSlice, p->filters[0].kind);
  EXPECT_EQ("slice", p->filters[0].name);
  EXPECT_EQ((std::vector<Json>{-4}), p->filters[0].args);
  EXPECT_EQ(5u, p->filters[0].column);
  EXPECT_EQ(FilterKind::kDefault, p->filters[1].kind);
  EXPECT_EQ((std::vector<Json>{"n/a"}), p->filters[1].args);
  EXPECT_EQ(17u, p->filters[1].column);
  EXPECT_EQ(FilterKind::kUpper, p->filters[2].kind);
  EXPECT_TRUE(p->filters[2].args.empty());
}

TEST(PlaceholderSyntax, AcceptsEveryArgumentForm) {
  auto args = [](std::string_view expr) {
    Result<Placeholder> p = ParsePlaceholder(expr);
    EXPECT_TRUE(p.ok()) << expr;
    return p.ok() ? p->filters.at(0).args : std::vector<Json>{};
  };
  EXPECT_EQ((std::vector<Json>{1, 3}), args("x | slice: 1:3"));
  EXPECT_EQ((std::vector<Json>{1, -2}), args("x | slice: 1, -2"));
  EXPECT_EQ((std::vector<Json>{1, 3}), args("x | slice:1 : 3"));
  EXPECT_EQ((std::vector<Json>{2.5}), args("x | default: 2.5"));
  EXPECT_EQ((std::vector<Json>{"a \"b\" | c"}), args(R"(x | default: "a \"b\" | c")"));
  EXPECT_EQ((std::vector<Json>{"it's"}), args(R"(x | default: 'it\'s')"));
  EXPECT_EQ((std::vector<Json>{true}), args("x | default: true"));
  EXPECT_EQ((std::vector<Json>{nullptr}), args("x | default: null"));
  EXPECT_EQ((std::vector<Json>{"bare-word.x"}), args("x | default: bare-word.x"));
}

TEST(PlaceholderSyntax, AcceptsLiquidSpellingsOfFilterNames) {
  Result<Placeholder> p = ParsePlaceholder("x | upcase | downcase | url_encode | base64_encode");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(FilterKind::kUpper, p->filters[0].kind);
  EXPECT_EQ("upcase", p->filters[0].name);
  EXPECT_EQ(FilterKind::kLower, p->filters[1].kind);
  EXPECT_EQ(FilterKind::kUrlEncode, p->filters[2].kind);
  EXPECT_EQ(FilterKind::kBase64, p->filters[3].kind);
}

TEST(PlaceholderSyntax, RejectsBadNamesWithTheColumnOfTheName) {
  EXPECT_EQ("column 1: empty placeholder: a variable name is missing", ParseError("  "));
  EXPECT_EQ("column 1: empty placeholder: a variable name is missing", ParseError("| upper"));
  EXPECT_EQ("column 2: invalid variable name \"a..b\"", ParseError(" a..b"));
  EXPECT_EQ("column 1: invalid variable name \"client id\"", ParseError("client id"));
  EXPECT_EQ("column 1: invalid variable name \"1abc\"", ParseError("1abc"));
  EXPECT_EQ("column 1: invalid variable name \"$timestamp\"", ParseError("$timestamp"));
}

TEST(PlaceholderSyntax, RejectsUnknownFiltersWithTheColumnOfTheFilter) {
  EXPECT_EQ("column 5: unknown filter \"capitalize\" in \"x | capitalize\"",
            ParseError("x | capitalize"));
  EXPECT_EQ("column 13: unknown filter \"nope\" in \"x | upper | nope: 1\"",
            ParseError("x | upper | nope: 1"));
}

TEST(PlaceholderSyntax, RejectsMalformedFilters) {
  EXPECT_EQ("column 5: invalid filter \"2x\" in \"x | 2x\"", ParseError("x | 2x"));
  EXPECT_EQ("column 5: invalid filter \"\" in \"x |\"", ParseError("x | "));
  EXPECT_EQ("column 5: invalid filter \"slice -4\" in \"x | slice -4\"",
            ParseError("x | slice -4"));
}

TEST(PlaceholderSyntax, RejectsWrongArguments) {
  EXPECT_EQ("column 5: filter \"slice\" takes 1 or 2 arguments, got 0", ParseError("x | slice"));
  EXPECT_EQ("column 5: filter \"slice\" takes 1 or 2 arguments, got 3",
            ParseError("x | slice: 1, 2, 3"));
  EXPECT_EQ("column 5: filter \"upper\" takes no arguments, got 1", ParseError("x | upper: 1"));
  EXPECT_EQ("column 5: filter \"default\" takes 1 argument, got 0", ParseError("x | default"));
  EXPECT_EQ("column 5: filter \"slice\" needs integer arguments, got \"a\"",
            ParseError("x | slice: 'a'"));
  EXPECT_EQ("column 5: filter \"slice\" needs integer arguments, got 1.5",
            ParseError("x | slice: 1.5"));
  EXPECT_EQ("column 14: filter \"default\" is missing an argument", ParseError("x | default: "));
  EXPECT_EQ("column 15: filter \"slice\" is missing an argument", ParseError("x | slice: 1, "));
  EXPECT_EQ("column 14: unterminated string in the arguments of filter \"default\"",
            ParseError("x | default: 'abc"));
  EXPECT_EQ("column 14: unexpected \"x\" in the arguments of filter \"slice\"",
            ParseError("x | slice: -4x"));
  EXPECT_EQ("column 14: unexpected \"/\" in the arguments of filter \"default\"",
            ParseError("x | default: /a"));
  EXPECT_EQ("column 12: invalid number \"-\" in the arguments of filter \"slice\"",
            ParseError("x | slice: - 4"));
  EXPECT_EQ(
      "column 12: invalid number \"99999999999999999999\" in the arguments of filter \"slice\"",
      ParseError("x | slice: 99999999999999999999"));
}

TEST(PlaceholderSyntax, QuotesInvalidUtf8InAnArgumentWithoutThrowing) {
  EXPECT_EQ("column 5: filter \"slice\" needs integer arguments, got \"\xEF\xBF\xBD\"",
            ParseError("x | slice: '\xFF'"));
}

TEST(PlaceholderSyntax, CountsColumnsInCodePoints) {
  // "é" is two bytes and one column.
  EXPECT_EQ("column 20: unknown filter \"nope\" in \"x | default: 'é' | nope\"",
            ParseError("x | default: 'é' | nope"));
}

TEST(ScanPlaceholders, FindsEachPlaceholderWithItsOffsetsAndColumn) {
  std::vector<PlaceholderSpan> spans = ScanPlaceholders("/é/{{ a }}/{{b | upper}}");
  ASSERT_EQ(2u, spans.size());
  EXPECT_EQ(4u, spans[0].begin);
  EXPECT_EQ(11u, spans[0].end);
  EXPECT_EQ(4u, spans[0].column);
  ASSERT_TRUE(spans[0].placeholder);
  EXPECT_EQ("a", spans[0].placeholder->name);
  EXPECT_EQ(12u, spans[1].begin);
  EXPECT_EQ(12u, spans[1].column);
  ASSERT_TRUE(spans[1].placeholder);
  // The filter's column counts in the whole text.
  EXPECT_EQ(18u, spans[1].placeholder->filters[0].column);
  EXPECT_TRUE(ScanPlaceholders("no placeholders { here }").empty());
}

TEST(ScanPlaceholders, ReportsMalformedPlaceholdersAndKeepsScanning) {
  std::vector<PlaceholderSpan> spans = ScanPlaceholders("{{ a | nope }} {{ok}}");
  ASSERT_EQ(2u, spans.size());
  ASSERT_TRUE(spans[0].error);
  EXPECT_FALSE(spans[0].placeholder);
  EXPECT_EQ("unknown filter \"nope\" in \"a | nope\"", spans[0].error->message);
  EXPECT_EQ(8u, spans[0].error->column);
  EXPECT_TRUE(spans[1].placeholder);
}

TEST(ScanPlaceholders, StopsAtAnUnterminatedPlaceholder) {
  std::vector<PlaceholderSpan> spans = ScanPlaceholders("x{{a}} {{b {{c}}");
  ASSERT_EQ(2u, spans.size());
  EXPECT_TRUE(spans[0].placeholder);
  // "{{b {{c}}" closes at the first "}}": its expression "b {{c" is not a name.
  ASSERT_TRUE(spans[1].error);
  EXPECT_EQ("invalid variable name \"b {{c\"", spans[1].error->message);
  spans = ScanPlaceholders("ab {{c");
  ASSERT_EQ(1u, spans.size());
  EXPECT_FALSE(spans[0].terminated);
  EXPECT_EQ(6u, spans[0].end);
  ASSERT_TRUE(spans[0].error);
  EXPECT_EQ("TEMPLATE_SYNTAX: column 4: unterminated placeholder: \"{{\" without \"}}\"",
            spans[0].error->ToString());
}

TEST(IsSinglePlaceholder, IsTrueOnlyForOnePlaceholderAndNothingElse) {
  EXPECT_TRUE(IsSinglePlaceholder("{{price}}"));
  EXPECT_TRUE(IsSinglePlaceholder("{{ price | default: 0 }}"));
  EXPECT_FALSE(IsSinglePlaceholder(" {{price}}"));
  EXPECT_FALSE(IsSinglePlaceholder("{{price}} "));
  EXPECT_FALSE(IsSinglePlaceholder("{{a}}{{b}}"));
  EXPECT_FALSE(IsSinglePlaceholder("{{a}}-{{b}}"));
  EXPECT_FALSE(IsSinglePlaceholder("{{}"));
  EXPECT_FALSE(IsSinglePlaceholder("price"));
}

}  // namespace
}  // namespace verity::expr
