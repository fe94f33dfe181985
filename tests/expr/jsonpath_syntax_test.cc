// Compile errors: the message and the 1-based column (in code points) of the offending character,
// plus the limits that keep hostile queries cheap.
#include <gtest/gtest.h>

#include <string>

#include "expr/jsonpath.h"

namespace verity::expr {
namespace {

struct Refusal {
  std::string query;
  uint32_t column;
  std::string message;
};

TEST(JsonPathSyntax, RefusesBadQueriesWithTheColumnAndAShortReason) {
  const Refusal cases[] = {
      {"", 1, "a query must start with '$'"},
      {"a.b", 1, "a query must start with '$'"},
      {" $", 1, "blank space before '$' is not allowed"},
      {"$ ", 2, "blank space after the query is not allowed"},
      {"$.a[?@.b ==]", 12, "expected a value to compare after '==', found ']'"},
      {"$.a[0", 6, "expected ']' to close the bracketed selection"},
      {"$[0 1]", 5, "expected ',' or ']' to close the bracketed selection, found '1'"},
      {"$[]", 3, "empty brackets: expected a selector"},
      {"$[0,]", 5, "expected a selector after ','"},
      {"$.", 3, "expected a member name or '*' after '.', found the end of the query"},
      {"$. a", 3, "blank space after '.' is not allowed"},
      {"$.1", 3,
       "a member name cannot start with a digit; use [N] for an index or ['N'] for a name"},
      {"$..", 4, "expected a member name, '*' or '[' after '..', found the end of the query"},
      {"$a", 2, "unexpected 'a'; a segment starts with '.', '..' or '['"},
      {"$[@.a]", 3, "a query in brackets needs '?' to be a filter, as in [?@.a]"},
      {"$[01]", 3, "leading zeros are not allowed in an integer"},
      {"$[-0]", 3, "-0 and leading zeros are not allowed in an integer"},
      {"$[9007199254740992]", 3, "integer out of range (at most 2^53-1 in magnitude)"},
      {"$[::-9007199254740992]", 5, "integer out of range (at most 2^53-1 in magnitude)"},
      {"$['a", 3, "unterminated string literal"},
      {"$['\\x']", 4, "invalid escape \\x in a string literal"},
      {"$['\\é']", 4, "invalid escape \\é in a string literal"},
      {"$['\\\n']", 4, "invalid escape: a backslash before a line feed"},
      {"$[\"\\'\"]", 4, "invalid escape \\' in a string literal"},
      {"$['\\uD800']", 4, "a high surrogate \\u escape must be followed by a low one"},
      {"$['\\uDC00']", 4, "unpaired surrogate in a \\u escape"},
      {"$['\\u12']", 4, "expected four hexadecimal digits after \\u"},
      {"$['a\tb']", 5, "control character in a string literal (escape it)"},
      {"$[?@.a=1]", 7, "'=' is not an operator; compare with '=='"},
      {"$[?@.a==1==2]", 10, "comparisons cannot be chained; join them with &&"},
      {"$[?!@.a==1]", 4, "'!' cannot negate a comparison directly; write !(… == …)"},
      {"$[?(@.a]", 8, "expected ')' to close the parenthesis at column 4, found ']'"},
      {"$[?true]", 4, "a literal must be compared with something"},
      {"$[?@==True]", 7, "literals are lowercase: true, false, null"},
      {"$[?@==yes]", 7, "unknown name 'yes': expected a query, a literal or a function call"},
      {"$[?@.*==1]", 4, "a query in a comparison must be singular (names and indices only)"},
      {"$[?@==1.]", 9, "expected a digit after '.'"},
      {"$[?@==01]", 7, "leading zeros are not allowed in a number"},
      {"$[?foo(@)]", 4, "unknown function foo()"},
      {"$[?count (@)==1]", 9, "blank space between a function name and '(' is not allowed"},
      {"$[?match(@.a)]", 4, "function match() expects 2 arguments"},
      {"$[?length()==1]", 4, "function length() expects 1 argument"},
      {"$[?length(@)]", 4, "the result of length() must be compared"},
      {"$[?match(@,'a')==true]", 4, "the result of match() cannot be compared"},
      {"$[?count(1)==1]", 10, "the first argument of count() must be a query"},
      {"$[?length(@.*)==1]", 11,
       "the first argument of length() must be a singular query (names and indices only) or a "
       "value"},
      {"$[?length(match(@,'a'))==1]", 11,
       "the first argument of length() must be a value, not a logical result"},
      {"$[?length(@==1)==1]", 12, "the first argument of length() cannot be a logical expression"},
      {"$[?search(@, !@)]", 14, "the second argument of search() cannot be a logical expression"},
      {"$[?count(@ @)]", 12, "expected ',' or ')' in the arguments of count(), found '@'"},
      // Columns count code points, not bytes.
      {"$['☺☺'].x[", 11, "expected ']' to close the bracketed selection"},
      {"$.a\xff", 4, "invalid UTF-8"},
  };
  for (const Refusal& c : cases) {
    JsonPathError error;
    Result<JsonPath> path = JsonPath::Compile(c.query, {}, &error);
    ASSERT_FALSE(path.ok()) << c.query;
    EXPECT_EQ(c.message, error.message) << c.query;
    EXPECT_EQ(c.column, error.column) << c.query;
    EXPECT_EQ(StatusCode::kParseError, path.status().code());
    EXPECT_EQ(error.ToString(), path.status().message()) << c.query;
  }
}

TEST(JsonPathSyntax, ErrorTextStartsWithTheColumn) {
  JsonPathError error{"expected ']'", 7};
  EXPECT_EQ("column 7: expected ']'", error.ToString());
}

TEST(JsonPathSyntax, AcceptsBlankSpaceWhereRfc9535AllowsIt) {
  for (const char* query : {"$ .a", "$\n['a']", "$[ 'a' , 'b' ]", "$[1 : 5 : 2]", "$[? @.a == 1 ]",
                            "$[?(\t@.a\r)]", "$[?count( @.* )==1]", "$[?length(@ .a .b) == 3]",
                            "$[?@.a ||\n@.b && @.c]", "$[?! @.a]", "$[?!(@.a)]"}) {
    JsonPathError error;
    EXPECT_TRUE(JsonPath::Compile(query, {.legacy = false}, &error).ok())
        << query << ": " << error.ToString();
  }
}

TEST(JsonPathSyntax, RefusesNestingDeeperThan128Levels) {
  auto nested = [](int depth) {
    return "$[?" + std::string(depth, '(') + "@.a" + std::string(depth, ')') + "]";
  };
  EXPECT_TRUE(JsonPath::Compile(nested(127)).ok());  // the bracket is one level
  JsonPathError error;
  EXPECT_FALSE(JsonPath::Compile(nested(128), {}, &error).ok());
  EXPECT_EQ("nesting too deep (more than 128 levels)", error.message);
  EXPECT_EQ(131u, error.column);  // the 128th parenthesis
  EXPECT_FALSE(JsonPath::Compile(nested(30000), {}, &error).ok());
  EXPECT_EQ("nesting too deep (more than 128 levels)", error.message);

  std::string filters = "$";
  for (int i = 0; i < 5000; ++i) filters += "[?@";
  EXPECT_FALSE(JsonPath::Compile(filters, {}, &error).ok());
  EXPECT_EQ("nesting too deep (more than 128 levels)", error.message);

  std::string negations = "$[?";
  for (int i = 0; i < 5000; ++i) negations += "!(";
  EXPECT_FALSE(JsonPath::Compile(negations, {}, &error).ok());
  EXPECT_EQ("nesting too deep (more than 128 levels)", error.message);

  std::string calls = "$[?";
  for (int i = 0; i < 5000; ++i) calls += "length(";
  EXPECT_FALSE(JsonPath::Compile(calls, {}, &error).ok());
  EXPECT_EQ("nesting too deep (more than 128 levels)", error.message);
}

TEST(JsonPathSyntax, RefusesQueriesLongerThan64KiB) {
  std::string many;
  for (int i = 0; i < 40000; ++i) many += ".a";
  EXPECT_TRUE(JsonPath::Compile("$" + many.substr(0, 60000)).ok());
  JsonPathError error;
  EXPECT_FALSE(JsonPath::Compile("$" + many, {}, &error).ok());
  EXPECT_EQ("query too long (more than 65536 bytes)", error.message);
  EXPECT_EQ(1u, error.column);
}

TEST(JsonPathSyntax, LongFlatChainsOfOperatorsAreNotNesting) {
  std::string query = "$[?@.a";
  for (int i = 0; i < 2000; ++i) query += " || @.a";
  query += "]";
  EXPECT_TRUE(JsonPath::Compile(query).ok());
}

TEST(JsonPathSyntax, RemembersItsTextAndWhetherItIsSingular) {
  Result<JsonPath> path = JsonPath::Compile("$.a[0]['b']");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ("$.a[0]['b']", path->text());
  EXPECT_TRUE(path->singular());
  EXPECT_TRUE(JsonPath::Compile("$")->singular());
  EXPECT_FALSE(JsonPath::Compile("$.a[*]")->singular());
  EXPECT_FALSE(JsonPath::Compile("$..a")->singular());
  EXPECT_FALSE(JsonPath::Compile("$['a','b']")->singular());
  EXPECT_FALSE(JsonPath::Compile("$[0:1]")->singular());
  EXPECT_FALSE(JsonPath::Compile("$[?@.a]")->singular());
}

}  // namespace
}  // namespace verity::expr
