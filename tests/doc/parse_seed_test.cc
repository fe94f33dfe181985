#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/file_system.h"
#include "doc/markdown.h"
#include "doc/parse_test_support.h"
#include "doc/parser.h"
#include "doc/steps.h"
#include "doc/templates.h"
#include "doc/to_json.h"
#include "kb/knowledge_base.h"
#include "support/paths.h"

namespace verity::doc {
namespace {

// ---------------------------------------------------------------------------------------------
// The seed document.

TEST(ParseSeed, TypesEveryFrontmatterField) {
  Document doc = ParseDocument(SeedText(), "seed.md");
  ASSERT_TRUE(doc.has_frontmatter);
  const Frontmatter& fm = doc.frontmatter;
  EXPECT_EQ((SourcePos{1, 1}), fm.pos);
  EXPECT_EQ("GET /business/payments/v1/client_packages/{uid}", fm.endpoint);
  EXPECT_EQ("GET", fm.method);
  EXPECT_EQ("/business/payments/v1/client_packages/{uid}", fm.path);
  EXPECT_EQ("sales", fm.domain);
  EXPECT_EQ((std::vector<std::string>{"client_packages", "packages"}), fm.tags);
  EXPECT_EQ(std::optional<std::string>("swagger/sales/legacy/payments.json"), fm.swagger);
  EXPECT_EQ("verified", fm.raw_status);
  EXPECT_EQ(WorkflowStatus::kVerified, fm.status);
  ASSERT_TRUE(fm.saved_at);
  EXPECT_EQ("2026-01-26T22:11:55.113Z", fm.saved_at->text);
  EXPECT_EQ(1769465515113, fm.saved_at->epoch_ms);
  // verifiedAt is written without quotes in the seed; it is still a timestamp, not a YAML date.
  ASSERT_TRUE(fm.verified_at);
  EXPECT_EQ("2026-02-08T13:58:00.000Z", fm.verified_at->text);
  EXPECT_EQ(1770559080000, fm.verified_at->epoch_ms);
  EXPECT_EQ(std::optional<int64_t>(0), fm.times_reused);
  EXPECT_EQ((std::vector<std::string>{"staff"}), fm.tokens);
  EXPECT_EQ(std::optional<bool>(true), fm.use_fallback_api);
  EXPECT_FALSE(fm.skip_reason);
  EXPECT_TRUE(fm.expected_outcome.empty());
  EXPECT_TRUE(fm.known_issues.empty());
}

TEST(ParseSeed, KeepsEveryFrontmatterFieldAsWrittenInFileOrder) {
  Document doc = ParseDocument(SeedText(), "seed.md");
  std::vector<std::string> keys;
  for (const Field& f : doc.frontmatter.fields) keys.push_back(f.key);
  EXPECT_EQ((std::vector<std::string>{"endpoint", "domain", "tags", "swagger", "status", "savedAt",
                                      "verifiedAt", "timesReused", "tokens", "useFallbackApi"}),
            keys);

  const Field* endpoint = doc.frontmatter.Find("endpoint");
  ASSERT_TRUE(endpoint);
  EXPECT_EQ((SourcePos{2, 1}), endpoint->key_pos);
  EXPECT_EQ((SourcePos{2, 11}), endpoint->value_pos);
  EXPECT_EQ("\"GET /business/payments/v1/client_packages/{uid}\"", endpoint->raw);
  EXPECT_EQ(Json("GET /business/payments/v1/client_packages/{uid}"), endpoint->value);

  const Field* verified = doc.frontmatter.Find("verifiedAt");
  ASSERT_TRUE(verified);
  EXPECT_EQ((SourcePos{8, 1}), verified->key_pos);
  EXPECT_EQ((SourcePos{8, 13}), verified->value_pos);
  EXPECT_EQ("2026-02-08T13:58:00.000Z", verified->raw);
  EXPECT_EQ(Json("2026-02-08T13:58:00.000Z"), verified->value);

  const Field* reused = doc.frontmatter.Find("timesReused");
  ASSERT_TRUE(reused);
  EXPECT_EQ(Json(0), reused->value);
  EXPECT_EQ(Json::array({"client_packages", "packages"}), doc.frontmatter.Find("tags")->value);
  EXPECT_EQ(Json(true), doc.frontmatter.Find("useFallbackApi")->value);
  EXPECT_EQ(nullptr, doc.frontmatter.Find("skipReason"));
}

TEST(ParseSeed, ReadsTitleAndSectionsInDocumentOrder) {
  Document doc = ParseDocument(SeedText(), "seed.md");
  EXPECT_EQ(std::optional<std::string>("Get Client Package"), doc.title);
  EXPECT_EQ((SourcePos{14, 1}), doc.title_pos);
  // "###" headings (Path Parameters, the two Issues) stay inside their "##" section.
  EXPECT_EQ((std::vector<std::string>{"Summary", "Authentication", "Prerequisites", "Test Request",
                                      "Parameters Reference", "Response Codes",
                                      "Critical Learnings", "Known Issues", "Notes"}),
            Titles(doc));
  std::vector<SectionKind> kinds;
  std::vector<uint32_t> lines;
  for (const Section& s : doc.sections) {
    kinds.push_back(s.kind);
    lines.push_back(s.pos.line);
  }
  using K = SectionKind;
  EXPECT_EQ((std::vector<SectionKind>{K::kOther, K::kOther, K::kPrerequisites, K::kTestRequest,
                                      K::kOther, K::kOther, K::kOther, K::kOther, K::kOther}),
            kinds);
  EXPECT_EQ((std::vector<uint32_t>{16, 25, 34, 85, 98, 106, 114, 120, 138}), lines);
  EXPECT_EQ(
      "- The client package UID must be for a package within the staff member's business\n"
      "- Package creation requires referencing existing package templates and clients",
      doc.sections.back().text);
  EXPECT_TRUE(doc.sections[7].text.starts_with("### Issue: Main API Gateway Blocks Tokens\n\n"));
  ASSERT_TRUE(doc.FindSection("parameters"));
  EXPECT_EQ("Parameters Reference", doc.FindSection("parameters")->title);
  ASSERT_TRUE(doc.FindSection(SectionKind::kTestRequest));
  EXPECT_EQ("Test Request", doc.FindSection(SectionKind::kTestRequest)->title);
  EXPECT_EQ(nullptr, doc.FindSection(SectionKind::kCleanup));
}

TEST(ParseSeed, ReadsTablesAsRowsOfCells) {
  Document doc = ParseDocument(SeedText(), "seed.md");
  const Section* auth = doc.FindSection("Authentication");
  ASSERT_TRUE(auth);
  ASSERT_EQ(1u, auth->tables.size());
  const Table& tokens = auth->tables[0];
  EXPECT_EQ((SourcePos{29, 1}), tokens.pos);
  EXPECT_EQ((std::vector<std::string>{"Token Type", "Works", "Notes"}), tokens.header);
  EXPECT_EQ((std::vector<std::vector<std::string>>{
                {"Staff", "Yes", "Works via fallback API"},
                {"Directory", "No", "Returns 401 even with X-On-Behalf-Of header"}}),
            tokens.rows);

  const Section* codes = doc.FindSection("Response Codes");
  ASSERT_TRUE(codes);
  ASSERT_EQ(1u, codes->tables.size());
  EXPECT_EQ((SourcePos{108, 1}), codes->tables[0].pos);
  EXPECT_EQ((std::vector<std::string>{"Status", "Meaning"}), codes->tables[0].header);
  EXPECT_EQ(
      (std::vector<std::vector<std::string>>{{"200", "Success - Client package retrieved"},
                                             {"401", "Unauthorized - Invalid token"},
                                             {"404", "Not Found - Client package doesn't exist"}}),
      codes->tables[0].rows);

  // A table under a "###" heading belongs to the enclosing "##" section.
  const Section* params = doc.FindSection("Parameters Reference");
  ASSERT_TRUE(params);
  ASSERT_EQ(1u, params->tables.size());
  EXPECT_EQ((std::vector<std::vector<std::string>>{
                {"uid", "string", "Yes", "Client package unique identifier"}}),
            params->tables[0].rows);
  EXPECT_TRUE(doc.FindSection("Summary")->tables.empty());
}

TEST(ParseSeed, FindsTwoYamlStepBlocks) {
  Document doc = ParseDocument(SeedText(), "seed.md");
  ASSERT_EQ(2u, doc.blocks.size());
  EXPECT_EQ("yaml", doc.blocks[0].lang);
  EXPECT_EQ((SourcePos{37, 1}), doc.blocks[0].pos);
  EXPECT_EQ(2, doc.blocks[0].section);
  EXPECT_TRUE(doc.blocks[0].text.starts_with("steps:\n  - id: get_client_id\n"));
  EXPECT_TRUE(IsStepBlock(doc.blocks[0]));
  EXPECT_EQ((SourcePos{88, 1}), doc.blocks[1].pos);
  EXPECT_EQ(3, doc.blocks[1].section);
  EXPECT_EQ(
      "steps:\n"
      "  - id: get_client_package\n"
      "    description: \"Get the created client package by UID\"\n"
      "    method: GET\n"
      "    path: \"/business/payments/v1/client_packages/{{client_package_uid}}\"\n"
      "    token: staff\n"
      "    expect:\n"
      "      status: [200]\n",
      doc.blocks[1].text);
}

TEST(ParseSeed, ReadsThreePrerequisiteStepsAndOneTestRequest) {
  Document doc = ParseDocument(SeedText(), "seed.md");
  ASSERT_EQ(4u, doc.steps.size());
  EXPECT_EQ((std::vector<std::string>{"get_client_id", "get_package_id", "create_client_package"}),
            StepIds(doc.StepsIn(SectionKind::kPrerequisites)));
  EXPECT_EQ((std::vector<std::string>{"get_client_package"}),
            StepIds(doc.StepsIn(SectionKind::kTestRequest)));

  const Step& s1 = doc.steps[0];
  EXPECT_EQ((SourcePos{38, 5}), s1.pos);
  EXPECT_EQ(SectionKind::kPrerequisites, s1.section_kind);
  EXPECT_EQ(2, s1.section);
  EXPECT_EQ(0, s1.block);
  EXPECT_EQ("Fetch a client ID for the business", s1.description);
  EXPECT_EQ("GET", s1.method);
  EXPECT_EQ("/platform/v1/clients", s1.path);
  EXPECT_EQ(std::optional<std::string>("staff"), s1.token);
  EXPECT_EQ((std::vector<int>{200}), s1.expect_status);
  EXPECT_EQ("abort", s1.on_fail_text);
  EXPECT_EQ(OnFail::kAbort, s1.on_fail);
  EXPECT_FALSE(s1.use_fallback);
  ASSERT_EQ(1u, s1.extract.size());
  EXPECT_EQ("client_id", s1.extract[0].name);
  EXPECT_EQ("$.data.clients[0].id", s1.extract[0].path);
  EXPECT_EQ((SourcePos{47, 7}), s1.extract[0].pos);

  const Step& s2 = doc.steps[1];
  EXPECT_EQ((SourcePos{52, 5}), s2.pos);
  EXPECT_EQ("get_package_id", s2.id);
  EXPECT_EQ("GET", s2.method);
  EXPECT_EQ("/platform/v1/payment/packages", s2.path);
  EXPECT_EQ(std::optional<bool>(true), s2.use_fallback);
  EXPECT_EQ((std::vector<int>{200}), s2.expect_status);
  EXPECT_EQ(OnFail::kAbort, s2.on_fail);
  ASSERT_EQ(1u, s2.extract.size());
  EXPECT_EQ("package_id", s2.extract[0].name);
  EXPECT_EQ("$.data.packages[0].id", s2.extract[0].path);
  EXPECT_EQ((SourcePos{61, 7}), s2.extract[0].pos);

  const Step& s3 = doc.steps[2];
  EXPECT_EQ((SourcePos{66, 5}), s3.pos);
  EXPECT_EQ("create_client_package", s3.id);
  EXPECT_EQ("Create a client package to retrieve", s3.description);
  EXPECT_EQ("POST", s3.method);
  EXPECT_EQ("/platform/v1/payment/client_packages", s3.path);
  EXPECT_EQ(std::optional<std::string>("staff"), s3.token);
  EXPECT_EQ(std::optional<bool>(true), s3.use_fallback);
  EXPECT_EQ((std::vector<int>{200, 201}), s3.expect_status);
  EXPECT_EQ(OnFail::kAbort, s3.on_fail);
  ASSERT_EQ(1u, s3.extract.size());
  EXPECT_EQ("client_package_uid", s3.extract[0].name);
  EXPECT_EQ("$.data.client_package.id", s3.extract[0].path);

  const Step& test = doc.steps[3];
  EXPECT_EQ((SourcePos{89, 5}), test.pos);
  EXPECT_EQ(SectionKind::kTestRequest, test.section_kind);
  EXPECT_EQ(3, test.section);
  EXPECT_EQ(1, test.block);
  EXPECT_EQ("get_client_package", test.id);
  EXPECT_EQ("GET", test.method);
  EXPECT_EQ("/business/payments/v1/client_packages/{{client_package_uid}}", test.path);
  EXPECT_EQ(std::optional<std::string>("staff"), test.token);
  EXPECT_EQ((std::vector<int>{200}), test.expect_status);
  EXPECT_EQ("", test.on_fail_text);
  EXPECT_FALSE(test.on_fail);
  EXPECT_FALSE(test.use_fallback);
  EXPECT_TRUE(test.extract.empty());
  EXPECT_FALSE(test.body);
  EXPECT_EQ(Json::object(), test.params);
  EXPECT_EQ(Json::object(), test.extra);
}

TEST(ParseSeed, KeepsTheYamlTypesOfParamsAndBody) {
  Document doc = ParseDocument(SeedText(), "seed.md");
  ASSERT_EQ(4u, doc.steps.size());
  const Json& params = doc.steps[0].params;
  EXPECT_EQ(Json::parse(R"({"business_id": "{{business_id}}", "per_page": "1"})"), params);
  EXPECT_TRUE(params["per_page"].is_string());  // quoted "1" stays a string

  ASSERT_TRUE(doc.steps[2].body);
  const Json& body = *doc.steps[2].body;
  EXPECT_EQ(Json::parse(R"({"client_id": "{{client_id}}", "package_id": "{{package_id}}",
                            "price": 1, "valid_from": "2026-02-08",
                            "valid_until": "2026-03-08"})"),
            body);
  EXPECT_TRUE(body["price"].is_number_integer());
  EXPECT_TRUE(body["valid_from"].is_string());  // a quoted date is not a number or a timestamp
  EXPECT_FALSE(doc.steps[0].body);
  EXPECT_EQ(Json::object(), doc.steps[2].params);
}

TEST(ParseSeed, RecordsEveryTemplateRefWithItsFilePosition) {
  Document doc = ParseDocument(SeedText(), "seed.md");
  ASSERT_EQ(4u, doc.steps.size());
  EXPECT_EQ((std::vector<std::string>{"business_id [] @params/business_id 44:21"}),
            Refs(doc.steps[0]));
  EXPECT_EQ((std::vector<std::string>{"business_id [] @params/business_id 59:21"}),
            Refs(doc.steps[1]));
  EXPECT_EQ((std::vector<std::string>{"client_id [] @body/client_id 73:19",
                                      "package_id [] @body/package_id 74:20"}),
            Refs(doc.steps[2]));
  // Line 92: `    path: "/business/payments/v1/client_packages/{{client_package_uid}}"`.
  EXPECT_EQ((std::vector<std::string>{"client_package_uid [] @path 92:50"}), Refs(doc.steps[3]));
  EXPECT_EQ("client_package_uid", doc.steps[3].refs[0].expr);
}

TEST(ParseSeed, HasNoDiagnostics) {
  Document doc = ParseDocument(SeedText(), "seed.md");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  EXPECT_FALSE(doc.has_errors());
  EXPECT_EQ("seed.md", doc.file);
}

TEST(ParseSeed, CrlfLineEndsGiveTheSameModel) {
  std::string lf = SeedText();
  std::string crlf;
  for (char c : lf) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  ASSERT_NE(lf.size(), crlf.size());
  Document a = ParseDocument(lf, "seed.md");
  Document b = ParseDocument(crlf, "seed.md");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(b));

  // The whole model as `kb show --json` prints it: frontmatter, sections (with their text and
  // tables), steps with refs and positions, blocks.
  EXPECT_EQ(DocumentToJson(a).dump(2), DocumentToJson(b).dump(2));

  ASSERT_EQ(a.blocks.size(), b.blocks.size());
  for (size_t i = 0; i < a.blocks.size(); ++i) EXPECT_EQ(a.blocks[i].text, b.blocks[i].text);
  ASSERT_EQ(4u, b.steps.size());
  for (size_t i = 0; i < a.steps.size(); ++i) {
    const Step& x = a.steps[i];
    const Step& y = b.steps[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.pos, y.pos);
    EXPECT_EQ(x.section_kind, y.section_kind);
    EXPECT_EQ(x.description, y.description);
    EXPECT_EQ(x.method, y.method);
    EXPECT_EQ(x.path, y.path);
    EXPECT_EQ(x.token, y.token);
    EXPECT_EQ(x.params, y.params);
    EXPECT_EQ(x.body, y.body);
    EXPECT_EQ(x.expect_status, y.expect_status);
    EXPECT_EQ(x.on_fail, y.on_fail);
    EXPECT_EQ(x.use_fallback, y.use_fallback);
    ASSERT_EQ(x.extract.size(), y.extract.size());
    for (size_t e = 0; e < x.extract.size(); ++e) {
      EXPECT_EQ(x.extract[e].name, y.extract[e].name);
      EXPECT_EQ(x.extract[e].path, y.extract[e].path);
      EXPECT_EQ(x.extract[e].pos, y.extract[e].pos);
    }
    EXPECT_EQ(Refs(x), Refs(y));
  }
  ASSERT_EQ(a.frontmatter.fields.size(), b.frontmatter.fields.size());
  for (size_t i = 0; i < a.frontmatter.fields.size(); ++i) {
    EXPECT_EQ(a.frontmatter.fields[i].raw, b.frontmatter.fields[i].raw);
    EXPECT_EQ(a.frontmatter.fields[i].value_pos, b.frontmatter.fields[i].value_pos);
  }
  EXPECT_EQ(a.frontmatter.verified_at->epoch_ms, b.frontmatter.verified_at->epoch_ms);
  EXPECT_EQ(a.sections.back().text, b.sections.back().text);
}

TEST(ParseSeed, ByteOrderMarkBeforeTheFrontmatterIsAccepted) {
  Document doc = ParseDocument("\xEF\xBB\xBF" + SeedText(), "seed.md");
  EXPECT_EQ(std::vector<std::string>{}, Formatted(doc));
  EXPECT_EQ("GET /business/payments/v1/client_packages/{uid}", doc.frontmatter.endpoint);
  EXPECT_EQ(4u, doc.steps.size());
}

}  // namespace
}  // namespace verity::doc
