// Reading mock rules files: every key, every problem code at its exact position, token values kept
// out of messages, and the examples of docs/mock-rules.md, which must keep parsing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/strings.h"
#include "mock/rules.h"
#include "support/memory_file_system.h"
#include "support/paths.h"

namespace verity::mock {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const char kFile[] = "mock/rules.yaml";

Rules ParseOrDie(std::string_view text) {
  Result<Rules> rules = ParseRules(text, kFile);
  EXPECT_TRUE(rules.ok()) << rules.status().message();
  return rules.ok() ? std::move(rules).value() : Rules{};
}

std::string ProblemsOf(std::string_view text) {
  Result<Rules> rules = ParseRules(text, kFile);
  EXPECT_FALSE(rules.ok()) << text;
  return rules.ok() ? "" : rules.status().message();
}

TEST(MockRulesParse, ReadsEveryKeyOfARule) {
  Rules rules = ParseOrDie(R"(seed: 42
tokens:
  demo-staff-token: staff
  demo-directory-token: directory
rules:
  - name: everything
    match: {method: [get, POST], path: ["/a/*", "/b"], token: [staff, anonymous]}
    after: 1
    every: 2
    times: 3
    accept_tokens: staff
    reject: {status: 403, body: {error: no}, headers: {X-Why: "staff only"}}
    respond: {status: 503, body: [1, "two"], headers: {Retry-After: 0, Content-Type: text/plain}}
    latency: {min: 10ms, max: 1.5s}
    rate_limit: {requests: 5, per: 2s}
  - match: {path: "*"}
    drop_connection: true
    latency: 20
)");
  EXPECT_EQ(kFile, rules.file);
  EXPECT_EQ(42u, rules.seed);
  EXPECT_EQ((std::vector<std::string>{"", "staff", "directory"}), rules.token_types);
  ASSERT_EQ(2u, rules.tokens.size());
  EXPECT_EQ("demo-staff-token", rules.tokens[0].value);
  EXPECT_EQ("staff", rules.tokens[0].type);
  EXPECT_EQ(3u, rules.tokens[0].line);
  ASSERT_EQ(2u, rules.rules.size());

  const Rule& r = rules.rules[0];
  EXPECT_EQ("everything", r.name);
  EXPECT_EQ(6u, r.line);
  EXPECT_EQ(MethodBit("GET") | MethodBit("POST"), r.methods);
  ASSERT_EQ(2u, r.paths.size());
  EXPECT_EQ("/a/*", r.paths[0].text());
  EXPECT_EQ((1ull << 1) | (1ull << 0), r.token_types);
  EXPECT_EQ(1u, r.after);
  EXPECT_EQ(2u, r.every);
  EXPECT_EQ(3u, r.times);
  EXPECT_EQ(1ull << 1, r.accept_tokens);
  ASSERT_TRUE(r.unauthorized);
  EXPECT_EQ(403, r.unauthorized->status);
  EXPECT_EQ(R"({"error":"no"})", r.unauthorized->body_text);
  EXPECT_EQ((http::Headers{{"Content-Type", "application/json"}, {"X-Why", "staff only"}}),
            r.unauthorized->headers);
  ASSERT_TRUE(r.respond);
  EXPECT_EQ(503, r.respond->status);
  EXPECT_EQ(R"([1,"two"])", r.respond->body_text);
  // A Content-Type of the author's own is kept, and none is added.
  EXPECT_EQ((http::Headers{{"Retry-After", "0"}, {"Content-Type", "text/plain"}}),
            r.respond->headers);
  EXPECT_EQ(10, r.latency_min_ms);
  EXPECT_EQ(1500, r.latency_max_ms);
  ASSERT_TRUE(r.rate_limit);
  EXPECT_EQ(5u, r.rate_limit->requests);
  EXPECT_EQ(2000, r.rate_limit->per_ms);
  EXPECT_FALSE(r.drop_connection);

  const Rule& d = rules.rules[1];
  EXPECT_EQ("rules[1]", d.name);  // unnamed: its place in the list
  EXPECT_TRUE(d.drop_connection);
  EXPECT_EQ(20, d.latency_min_ms);  // a bare integer is milliseconds
  EXPECT_EQ(20, d.latency_max_ms);
  EXPECT_EQ(~0u, d.methods);
  EXPECT_EQ(~0ull, d.token_types);
  EXPECT_FALSE(d.accept_tokens);
  EXPECT_EQ(0u, d.after);
  EXPECT_EQ(1u, d.every);
  EXPECT_FALSE(d.times);
}

TEST(MockRulesParse, AnEmptyFileHasNoRules) {
  EXPECT_TRUE(ParseOrDie("").rules.empty());
  EXPECT_TRUE(ParseOrDie("# nothing yet\n").rules.empty());
  EXPECT_TRUE(ParseOrDie("rules:\n").rules.empty());
}

TEST(MockRulesParse, ReadsTheLongTokenFormWithValuesPrefixesAndVariables) {
  Rules rules = ParseOrDie(R"(tokens:
  - {value: demo-staff-token, type: staff}
  - {prefix: "dir-", type: directory}
  - {env: VERITY_ADMIN_TOKEN, type: admin}
  - {value: other-staff-token, type: staff}
)");
  EXPECT_EQ((std::vector<std::string>{"", "staff", "directory", "admin"}), rules.token_types);
  ASSERT_EQ(4u, rules.tokens.size());
  EXPECT_EQ("dir-", rules.tokens[1].prefix);
  EXPECT_EQ("VERITY_ADMIN_TOKEN", rules.tokens[2].env);
  EXPECT_EQ(4u, rules.tokens[2].line);
  EXPECT_EQ(0u, rules.TypeId("anonymous"));
  EXPECT_EQ(3u, rules.TypeId("admin"));
  EXPECT_FALSE(rules.TypeId("partner"));
}

TEST(MockRulesParse, ReadsCredentialsByValueOrVariableAndRefusesAnEntryWithBoth) {
  Rules rules = ParseOrDie(R"(credentials:
  api_key: demo-key-1
  login: {env: MOCK_LOGIN}
rules: []
)");
  ASSERT_EQ(2u, rules.credentials.size());
  EXPECT_EQ("api_key", rules.credentials[0].scheme);
  EXPECT_EQ("demo-key-1", rules.credentials[0].value);
  EXPECT_EQ("MOCK_LOGIN", rules.credentials[1].env);
  EXPECT_EQ(3u, rules.credentials[1].line);

  Result<Rules> both =
      ParseRules("credentials:\n  login: {value: secret-value-9, env: X}\n", "r.yaml");
  ASSERT_FALSE(both.ok());
  EXPECT_THAT(both.status().message(),
              HasSubstr("r.yaml:2:10: credentials (line 2): give exactly one of a value and env:"));
  EXPECT_THAT(both.status().message(), HasSubstr("[MOCK_RULE_BAD_CREDENTIAL]"));
  EXPECT_THAT(both.status().message(), ::testing::Not(HasSubstr("secret-value-9")));
}

TEST(MockRulesEngine, ACredentialFromAnUnsetVariableIsAWarningAndAcceptsNothing) {
  Rules rules = ParseOrDie("credentials:\n  key: {env: MOCK_UNSET}\n  basic: {env: MOCK_SET}\n");
  FakeClock clock(0);
  RuleEngine engine(std::move(rules), clock,
                    {.env = [](const std::string& name) -> std::optional<std::string> {
                      if (name == "MOCK_SET") return " ada:pw \n";
                      return std::nullopt;
                    }});
  ASSERT_EQ(1u, engine.warnings().size());
  EXPECT_THAT(engine.warnings()[0], HasSubstr("MOCK_UNSET is not set, so security scheme \"key\" "
                                              "accepts no credential"));
  EXPECT_EQ(std::nullopt, engine.credentials().at("key"));
  EXPECT_EQ("ada:pw", engine.credentials().at("basic"));
}

TEST(MockRulesParse, ReportsAProblemInTheFileStyle) {
  EXPECT_EQ(
      "mock/rules.yaml:3:5: rules[0]: unknown key \"lattency\"; did you mean \"latency\"? "
      "[MOCK_RULE_UNKNOWN_KEY]\n"
      "mock/rules.yaml:4:5: rules[0]: unknown key \"acept_tokens\"; did you mean "
      "\"accept_tokens\"? [MOCK_RULE_UNKNOWN_KEY]",
      ProblemsOf("rules:\n  - match: {path: /a}\n    lattency: 1ms\n    acept_tokens: [x]\n"));
}

struct ProblemCase {
  const char* what;
  const char* yaml;
  const char* expected;  // "line:col: " … and the code, both in the one problem line
};

TEST(MockRulesParse, ReportsEveryProblemCodeAtItsPosition) {
  const ProblemCase cases[] = {
      {"broken YAML", "rules: [\n", "MOCK_RULE_PARSE_ERROR"},
      {"a key twice", "rules:\n  - match: {path: /a}\n    match: {path: /b}\n    latency: 1ms\n",
       "3:5: duplicate key \"match\" (first defined at line 2) [MOCK_RULE_DUPLICATE_KEY]"},
      {"unknown top key", "rulez: []\n",
       "1:1: the file: unknown key \"rulez\"; did you mean \"rules\"? [MOCK_RULE_UNKNOWN_KEY]"},
      {"unknown match key", "rules:\n  - match: {paths: /a}\n    latency: 1ms\n",
       "2:13: rules[0].match: unknown key \"paths\"; did you mean \"path\"? "
       "[MOCK_RULE_UNKNOWN_KEY]"},
      {"rules not a list", "rules: {a: 1}\n",
       "1:8: rules: expected a list of rules, got mapping [MOCK_RULE_TYPE]"},
      {"drop not a boolean", "rules:\n  - match: {path: /a}\n    drop_connection: yes\n",
       "3:22: rules[0].drop_connection: expected true or false, got string \"yes\" "
       "[MOCK_RULE_TYPE]"},
      {"every not an integer", "rules:\n  - match: {path: /a}\n    every: two\n    latency: 1\n",
       "3:12: rules[0].every: expected an integer, got string \"two\" [MOCK_RULE_TYPE]"},
      {"respond without status", "rules:\n  - match: {path: /a}\n    respond: {body: x}\n",
       "3:14: rules[0].respond: status is required [MOCK_RULE_MISSING_KEY]"},
      {"reject without accept_tokens", "rules:\n  - match: {path: /a}\n    reject: {status: 401}\n",
       "3:13: rules[0]: reject is the answer to the callers accept_tokens leaves out"},
      {"rate limit without per", "rules:\n  - match: {path: /a}\n    rate_limit: {requests: 5}\n",
       "3:17: rules[0].rate_limit: needs requests and per, e.g. {requests: 5, per: 1s} "
       "[MOCK_RULE_MISSING_KEY]"},
      {"latency range without max", "rules:\n  - match: {path: /a}\n    latency: {min: 1ms}\n",
       "3:14: rules[0].latency: a range needs min and max"},
      {"token entry without type", "tokens:\n  - {value: abc}\n",
       "2:5: tokens[0]: type is required [MOCK_RULE_MISSING_KEY]"},
      {"token with a space", "tokens:\n  - {value: 'a b', type: staff}\n",
       "2:13: tokens[0].value: a token is a non-empty string without spaces or control "
       "characters (the value is not repeated here) [MOCK_RULE_BAD_TOKEN]"},
      {"token with two sources", "tokens:\n  - {value: abc, prefix: ab, type: staff}\n",
       "2:5: tokens[0]: needs exactly one of value, prefix and env [MOCK_RULE_BAD_TOKEN]"},
      {"reserved type", "tokens:\n  abc: anonymous\n",
       "2:8: tokens (line 2): \"anonymous\" is reserved for callers without a known token "
       "[MOCK_RULE_BAD_TOKEN]"},
      {"bad type name", "tokens:\n  abc: staff token\n",
       "2:8: tokens (line 2): expected a token type name (letters, digits, '_', '-', '.'), got "
       "string \"staff token\" [MOCK_RULE_BAD_TOKEN]"},
      {"bad variable name", "tokens:\n  - {env: 1ABC, type: staff}\n",
       "2:11: tokens[0].env: expected an environment variable name"},
      {"the same value twice", "tokens:\n  - {value: x1, type: a}\n  - {value: x1, type: b}\n",
       "3:5: tokens[1]: the same token as line 2 [MOCK_RULE_DUPLICATE_TOKEN]"},
      {"unknown type in match",
       "tokens: {t1: staff}\nrules:\n  - match: {token: staf}\n    latency: 1ms\n",
       "3:20: rules[0].match.token: no token is of type \"staf\"; did you mean \"staff\"? "
       "[MOCK_RULE_UNKNOWN_TOKEN_TYPE]"},
      {"unknown type in accept_tokens",
       "tokens: {t1: staff}\nrules:\n  - match: {path: /a}\n    accept_tokens: [staff, admin]\n",
       "4:28: rules[0].accept_tokens: no token is of type \"admin\" (types: staff, anonymous) "
       "[MOCK_RULE_UNKNOWN_TOKEN_TYPE]"},
      {"bad method", "rules:\n  - match: {method: DELET}\n    latency: 1ms\n",
       "2:21: rules[0].match.method: string \"DELET\" is not an HTTP method; did you mean "
       "\"DELETE\"? [MOCK_RULE_BAD_METHOD]"},
      {"not a method at all", "rules:\n  - match: {method: [GET, FETCH]}\n    latency: 1ms\n",
       "2:27: rules[0].match.method: string \"FETCH\" is not an HTTP method (GET, HEAD, POST, "
       "PUT, PATCH, DELETE, OPTIONS, TRACE, CONNECT, or \"*\") [MOCK_RULE_BAD_METHOD]"},
      {"relative glob", "rules:\n  - match: {path: api/*}\n    latency: 1ms\n",
       "2:19: rules[0].match.path: string \"api/*\" does not start with '/' or '*' "
       "[MOCK_RULE_BAD_GLOB]"},
      {"glob with a query", "rules:\n  - match: {path: [\"/a\", \"/b?x=1\"]}\n    latency: 1ms\n",
       "2:26: rules[0].match.path: string \"/b?x=1\" may not hold a query"},
      {"status out of range", "rules:\n  - match: {path: /a}\n    respond: {status: 700}\n",
       "3:23: rules[0].respond.status: expected an HTTP status from 200 to 599, got integer "
       "\"700\" [MOCK_RULE_BAD_STATUS]"},
      {"interim status", "rules:\n  - match: {path: /a}\n    respond: {status: 101}\n",
       "3:23: rules[0].respond.status: expected an HTTP status from 200 to 599, got integer "
       "\"101\" [MOCK_RULE_BAD_STATUS]"},
      {"control character in a header value",
       "rules:\n  - match: {path: /a}\n    respond: {status: 200, headers: {X-A: \"a\\0b\"}}\n",
       "3:38: rules[0].respond.headers: X-A: expected one line of text, got string \"a\\x00b\" "
       "[MOCK_RULE_BAD_HEADER]"},
      {"upgrade header",
       "rules:\n  - match: {path: /a}\n    respond: {status: 200, headers: {Upgrade: h2c}}\n",
       "3:38: rules[0].respond.headers: Upgrade is the server's to set [MOCK_RULE_BAD_HEADER]"},
      {"server's header",
       "rules:\n  - match: {path: /a}\n    respond: {status: 200, headers: {Content-Length: 3}}\n",
       "3:38: rules[0].respond.headers: Content-Length is the server's to set "
       "[MOCK_RULE_BAD_HEADER]"},
      {"bad duration", "rules:\n  - match: {path: /a}\n    latency: 5 parsecs\n",
       "3:14: rules[0].latency: string \"5 parsecs\" is not a duration up to 1h (\"250ms\", "
       "\"2s\", \"1m\" or an integer of milliseconds) [MOCK_RULE_BAD_DURATION]"},
      {"min above max", "rules:\n  - match: {path: /a}\n    latency: {min: 50ms, max: 10ms}\n",
       "3:14: rules[0].latency: min (50 ms) is above max (10 ms) [MOCK_RULE_BAD_DURATION]"},
      {"zero window", "rules:\n  - match: {path: /a}\n    rate_limit: {requests: 5, per: 0s}\n",
       "3:36: rules[0].rate_limit.per: a window above 0 [MOCK_RULE_BAD_DURATION]"},
      {"every zero", "rules:\n  - match: {path: /a}\n    every: 0\n    latency: 1ms\n",
       "3:12: rules[0].every: 0 is not between 1 and 1000000000000 [MOCK_RULE_BAD_NUMBER]"},
      {"empty match", "rules:\n  - match: {}\n    latency: 1ms\n",
       "2:12: rules[0]: match: must say what the rule applies to (method, path, token, body, "
       "query, "
       "headers); to apply "
       "it to everything, write match: {path: \"*\"} [MOCK_RULE_EMPTY_MATCH]"},
      {"no match", "rules:\n  - latency: 1ms\n", "2:5: rules[0]: match: must say"},
      {"no effect", "rules:\n  - match: {path: /a}\n",
       "2:5: rules[0]: does nothing; give it accept_tokens, respond, latency, drop_connection or "
       "rate_limit [MOCK_RULE_NO_EFFECT]"},
      {"respond and drop",
       "rules:\n  - match: {path: /a}\n    respond: {status: 500}\n    drop_connection: true\n",
       "4:22: rules[0]: respond and drop_connection exclude each other"},
      {"a name twice",
       "rules:\n  - {name: a, match: {path: /a}, latency: 1}\n  - {name: a, match: {path: /b}, "
       "latency: 1}\n",
       "3:12: rules[1]: the name \"a\" is taken by the rule at line 2 [MOCK_RULE_DUPLICATE_NAME]"},
  };
  std::string doc = testing::ReadFileOrDie(testing::SourcePath("docs/mock-rules.md"));
  for (const ProblemCase& c : cases) {
    SCOPED_TRACE(c.what);
    std::string problems = ProblemsOf(c.yaml);
    EXPECT_THAT(problems, HasSubstr(c.expected));
    // Every code a file can earn is explained in the documentation.
    size_t code = problems.find("[MOCK_RULE_");
    ASSERT_NE(std::string::npos, code);
    std::string name = problems.substr(code + 1, problems.find(']', code) - code - 1);
    EXPECT_THAT(doc, HasSubstr("`" + name + "`"));
  }
}

TEST(MockRulesParse, BrokenYamlIsAParseErrorAndOtherProblemsInvalidArguments) {
  EXPECT_EQ(StatusCode::kParseError, ParseRules("rules: [\n", kFile).status().code());
  EXPECT_EQ(StatusCode::kInvalidArgument, ParseRules("rulez: []\n", kFile).status().code());
}

TEST(MockRulesParse, CollectsEveryProblemInFileOrder) {
  std::string problems = ProblemsOf(R"(rules:
  - match: {method: GTE}
    latency: forever
  - match: {path: nowhere}
    every: 0
    respond: {status: 1000}
)");
  std::vector<std::string> lines;
  for (std::string_view line : Split(problems, '\n')) lines.emplace_back(line);
  ASSERT_EQ(5u, lines.size()) << problems;
  EXPECT_THAT(lines[0], HasSubstr(":2:21:"));
  EXPECT_THAT(lines[1], HasSubstr(":3:14:"));
  EXPECT_THAT(lines[2], HasSubstr(":4:19:"));
  EXPECT_THAT(lines[3], HasSubstr(":5:12:"));
  EXPECT_THAT(lines[4], HasSubstr(":6:23:"));
}

TEST(MockRulesParse, NeverRepeatsATokenValueInAMessage) {
  const char* secret = "s3cr3t-value-42";
  const std::string files[] = {
      // the short form, the value given twice: a duplicate YAML key
      "tokens:\n  s3cr3t-value-42: staff\n  s3cr3t-value-42: admin\n",
      // a bad type beside it
      "tokens:\n  s3cr3t-value-42: [staff]\n",
      // the long form, twice
      "tokens:\n  - {value: s3cr3t-value-42, type: a}\n  - {value: s3cr3t-value-42, type: b}\n",
      "tokens:\n  - {prefix: s3cr3t-value-42, type: a}\n  - {prefix: s3cr3t-value-42, type: b}\n",
      // a token pasted where a variable name belongs
      "tokens:\n  - {env: s3cr3t-value-42, type: a}\n",
      // a token with a control character in it
      "tokens:\n  - {value: \"s3cr3t-value-42\\t\", type: a}\n",
  };
  for (const std::string& file : files) {
    std::string problems = ProblemsOf(file);
    EXPECT_THAT(problems, Not(HasSubstr(secret))) << file;
    EXPECT_THAT(problems, HasSubstr("mock/rules.yaml:")) << file;
  }
  EXPECT_THAT(ProblemsOf(files[0]),
              HasSubstr("3:3: tokens: the same token value as line 2; the first is kept "
                        "[MOCK_RULE_DUPLICATE_KEY]"));
}

TEST(MockRulesParse, TokensMayFollowTheRulesThatNameThem) {
  Rules rules = ParseOrDie(R"(rules:
  - match: {token: staff}
    latency: 1ms
tokens:
  abc: staff
)");
  EXPECT_EQ(1ull << 1, rules.rules[0].token_types);
}

TEST(MockRulesParse, LoadsAFileAndSaysWhenThereIsNone) {
  testing::MemoryFileSystem fs;
  fs.Add("mock/rules.yaml", "rules:\n  - match: {path: /a}\n    drop_connection: true\n");
  Result<Rules> rules = LoadRules(fs, "mock/rules.yaml");
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  EXPECT_EQ("mock/rules.yaml", rules->file);
  EXPECT_EQ(1u, rules->rules.size());

  Result<Rules> missing = LoadRules(fs, "mock/none.yaml");
  EXPECT_EQ(StatusCode::kNotFound, missing.status().code());
  EXPECT_EQ("mock/none.yaml: no such rules file", missing.status().message());

  fs.Add("mock/bad.yaml", "rulez: []\n");
  EXPECT_THAT(LoadRules(fs, "mock/bad.yaml").status().message(),
              HasSubstr("mock/bad.yaml:1:1: the file: unknown key"));
}

// The documentation's examples are complete files: each must parse, so the page cannot drift
// from the format.
TEST(MockRulesParse, EveryExampleInTheDocumentationParses) {
  std::string doc = testing::ReadFileOrDie(testing::SourcePath("docs/mock-rules.md"));
  std::vector<std::string> blocks;
  for (size_t at = doc.find("```yaml\n"); at != std::string::npos; at = doc.find("```yaml\n", at)) {
    at += 8;
    size_t end = doc.find("\n```", at);
    ASSERT_NE(std::string::npos, end);
    blocks.push_back(doc.substr(at, end - at + 1));
    at = end;
  }
  ASSERT_EQ(8u, blocks.size());
  for (const std::string& block : blocks) {
    Result<Rules> rules = ParseRules(block, "docs/mock-rules.md");
    EXPECT_TRUE(rules.ok()) << block << "\n" << rules.status().message();
  }
  // The first is the full example, with every effect in it.
  Result<Rules> full = ParseRules(blocks[0], "docs/mock-rules.md");
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(7u, full->rules.size());
  EXPECT_EQ(7u, full->seed);
  EXPECT_EQ(1u, full->credentials.size());
}

// --- Hostile YAML: what a rules file may make the reader hold ---------------------------------

std::string Repeat(std::string_view piece, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}

TEST(MockRulesParse, ALongScalarAliasedManyTimesIsAnAliasLimitNotGigabytes) {
  // 100 KiB aliased 2 000 times would be 200 MB; the reader stops at 1 MiB of copied text.
  std::string text = "x: &a \"" + std::string(102400, 'x') +
                     "\"\nrules:\n  - match: {path: /a}\n    respond: {status: 200, body: [" +
                     Repeat("*a, ", 2000) + "]}\n";
  Result<Rules> rules = ParseRules(text, kFile);
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(StatusCode::kParseError, rules.status().code());
  EXPECT_THAT(rules.status().message(), HasSubstr("mock/rules.yaml:4:"));
  EXPECT_THAT(rules.status().message(),
              HasSubstr("aliases expand to more than 1048576 bytes of text (alias bomb?) "
                        "(YAML_ALIAS_LIMIT) [MOCK_RULE_PARSE_ERROR]"));
}

TEST(MockRulesParse, ABillionLaughsIsAnAliasLimit) {
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x]\n";
  std::string prev = "a";
  for (char c = 'b'; c <= 'j'; ++c) {
    text +=
        std::string(1, c) + ": &" + std::string(1, c) + " [" + Repeat("*" + prev + ", ", 9) + "]\n";
    prev = std::string(1, c);
  }
  text += "rules: []\n";
  EXPECT_THAT(ProblemsOf(text), HasSubstr("(YAML_ALIAS_LIMIT) [MOCK_RULE_PARSE_ERROR]"));
}

TEST(MockRulesParse, TooManyYamlNodesIsOneProblemNotOnePerNode) {
  // 150 000 one-byte items: 300 KB of text, under the size limit, ~20 MB as a tree.
  std::string problems = ProblemsOf("rules: [" + Repeat("1,", 150000) + "]\n");
  EXPECT_EQ(std::string::npos, problems.find('\n')) << problems.substr(0, 500);
  EXPECT_THAT(problems,
              HasSubstr("more than 100000 nodes (YAML_NODE_LIMIT) [MOCK_RULE_PARSE_ERROR]"));
}

}  // namespace
}  // namespace verity::mock
