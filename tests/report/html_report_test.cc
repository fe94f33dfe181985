#include "report/html_report.h"

#include <gtest/gtest.h>

#include "report/report_fixture.h"
#include "report/text.h"
#include "support/memory_file_system.h"
#include "support/xml_dom.h"

namespace verity::report {
namespace {

using testing::kSecret;
using testing::SampleRun;
using verity::testing::Element;
using verity::testing::ParseResult;
using verity::testing::ParseXml;

constexpr const char* kScriptBody = R"({"note":"</script><script>alert(1)</script>"})";
constexpr const char* kQuoteBreaker = "x\" onmouseover=\"alert(1)\" data-x='";

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The page parsed as XML; a test that gets here knows the structure is sound.
ParseResult Parse(const std::string& html) {
  ParseResult parsed = ParseXml(html);
  EXPECT_TRUE(parsed.ok) << parsed.error << "\n" << html;
  return parsed;
}

std::vector<const Element*> ResultRows(const Element& document) {
  const Element* results = document.ById("results");
  if (results == nullptr) return {};
  return results->Child("table")->Child("tbody")->All("tr");
}

std::vector<std::string> Cells(const Element& row) {
  std::vector<std::string> out;
  for (const Element* cell : row.All("td")) out.push_back(cell->AllText());
  return out;
}

// Every element of the tree, in document order.
void Walk(const Element& at, std::vector<const Element*>& out) {
  for (const auto& child : at.children) {
    out.push_back(child.get());
    Walk(*child, out);
  }
}

// A run whose server text tries every way out of its place: a body closing the page's script, a
// header and an endpoint breaking out of attributes, names holding markup.
run::RunResult HostileRun() {
  run::RunResult run = SampleRun();
  run::DocumentResult& fail = run.documents[2];
  fail.endpoint = std::string("POST /x/\"><img src=x onerror=alert(1)>");
  fail.domain = "<b>crm</b>";
  fail.file = kQuoteBreaker;
  run::StepResult& step = fail.steps[1];
  step.response->body = kScriptBody;
  step.response->headers.push_back({kQuoteBreaker, "</td></tr></table><script>alert(2)</script>"});
  step.extracted = {{"<i>name</i>", "value"}};
  step.issues[0].pointer = "/a\"b/<c>";
  step.issues[0].message = "</details></section><script>alert(3)</script>";
  return run;
}

TEST(HtmlReport, IsOneWellFormedPageWithoutScriptsOrExternalAssets) {
  std::string html = HtmlReport(SampleRun());
  EXPECT_EQ(0u, html.find("<!DOCTYPE html>\n<html lang=\"en\">"));
  ParseResult parsed = Parse(html);
  const Element* root = parsed.document.Child("html");
  ASSERT_NE(nullptr, root);
  ASSERT_NE(nullptr, root->Child("head"));
  EXPECT_NE(nullptr, root->Child("head")->Child("style"));
  ASSERT_NE(nullptr, root->Child("body"));
  EXPECT_TRUE(parsed.document.All("script").empty());
  EXPECT_TRUE(parsed.document.All("link").empty());
  EXPECT_TRUE(parsed.document.All("img").empty());
  bool has_policy = false;
  for (const Element* meta : parsed.document.All("meta")) {
    if (meta->Attribute("http-equiv") == "Content-Security-Policy") {
      has_policy = true;
      EXPECT_EQ("default-src 'none'; style-src 'unsafe-inline'", meta->Attribute("content"));
    }
  }
  EXPECT_TRUE(has_policy);
  // Every link stays on the page.
  for (const Element* a : parsed.document.All("a")) {
    EXPECT_EQ(0u, a->Attribute("href").find("#r-")) << a->Attribute("href");
  }
}

TEST(HtmlReport, HeaderShowsTheVerdictTheCountsPerOutcomeAndTheRunsSetting) {
  ParseResult parsed = Parse(HtmlReport(SampleRun()));
  const Element* header = parsed.document.All("header").at(0);
  EXPECT_EQ("FAILED Verity run: 2/4 passed (50.0%)", header->Child("h1")->AllText());
  std::vector<std::string> counts;
  for (const Element* li : header->Child("ul")->All("li")) counts.push_back(li->AllText());
  EXPECT_EQ((std::vector<std::string>{"5total", "1PASS", "1WARN", "1ERROR", "1FAIL", "1SKIP",
                                      "50.0%pass rate"}),
            counts);
  std::string facts = header->Child("dl")->AllText();
  for (const char* part : {"Environmentstaging", "Base URLhttps://api.example.com",
                           "Fallback URLhttps://fallback.example.com", "Fallback used by1 document",
                           "Runrun-20260301-0001", "Started2026-03-01T00:00:00.000Z",
                           "Finished2026-03-01T00:00:03.200Z", "Duration3.2s"}) {
    EXPECT_TRUE(Has(facts, part)) << part << " in " << facts;
  }
}

TEST(HtmlReport, SummarisesByDomainAndByReasonAsTheConsoleDoes) {
  ParseResult parsed = Parse(HtmlReport(SampleRun()));
  std::vector<const Element*> domains =
      parsed.document.ById("by-domain")->Child("table")->Child("tbody")->All("tr");
  ASSERT_EQ(2u, domains.size());
  // Domain, total, passed/testable, PASS, WARN, ERROR, FAIL, SKIP, pass rate.
  EXPECT_EQ((std::vector<std::string>{"crm", "3", "2/3", "1", "1", "0", "1", "0", "66.7%"}),
            Cells(*domains[0]));
  EXPECT_EQ((std::vector<std::string>{"sales", "2", "0/1", "0", "0", "1", "0", "1", "0.0%"}),
            Cells(*domains[1]));
  std::vector<const Element*> reasons =
      parsed.document.ById("by-reason")->Child("table")->Child("tbody")->All("tr");
  std::vector<std::string> rows;
  for (const Element* row : reasons) rows.push_back(row->AllText());
  EXPECT_EQ((std::vector<std::string>{"AUTH_FAILED1", "DELETE_DISABLED1", "RESOURCE_NOT_FOUND1",
                                      "UNDOCUMENTED_FIELD1"}),
            rows);
}

TEST(HtmlReport, ListsFailuresFirstThenErrorsWarningsSkipsAndPasses) {
  run::RunResult run = SampleRun();
  run.documents.push_back(run.documents[2]);
  run.documents.back().endpoint = "POST /second/failure";
  run.summary.totals.Add(run::Outcome::kFail);
  ParseResult parsed = Parse(HtmlReport(run));
  std::vector<std::string> order;
  std::vector<std::string> links;
  for (const Element* row : ResultRows(parsed.document)) {
    order.push_back(row->Attribute("class"));
    links.push_back(row->All("a").at(0)->Attribute("href"));
  }
  EXPECT_EQ((std::vector<std::string>{"fail", "fail", "error", "warn", "skip", "pass"}), order);
  // Plan order within an outcome; each row links to its details, which follow the same order.
  EXPECT_EQ((std::vector<std::string>{"#r-2", "#r-5", "#r-3", "#r-1", "#r-4", "#r-0"}), links);
  std::vector<std::string> details;
  for (const Element* d : parsed.document.ById("details")->All("details")) {
    if (!d->Attribute("id").empty()) details.push_back("#" + d->Attribute("id"));
  }
  EXPECT_EQ(links, details);
}

TEST(HtmlReport, RendersEveryOutcomeWithItsRow) {
  ParseResult parsed = Parse(HtmlReport(SampleRun()));
  std::vector<const Element*> rows = ResultRows(parsed.document);
  ASSERT_EQ(5u, rows.size());
  EXPECT_EQ((std::vector<std::string>{
                "FAIL", "POST /platform/v1/clients", "kb/crm/post_platform_v1_clients.md",
                "AUTH_FAILED", "Token rejected | <img src=x onerror=alert(1)> & \"quotes\"  end",
                "Set useFallbackApi: true; the fallback URL accepts this token", "1.5s"}),
            Cells(*rows[0]));
  EXPECT_EQ("ERROR", rows[1]->All("td")[0]->AllText());
  EXPECT_EQ("WARN", rows[2]->All("td")[0]->AllText());
  EXPECT_EQ("SKIP", rows[3]->All("td")[0]->AllText());
  EXPECT_EQ("DELETE_DISABLED", rows[3]->All("td")[3]->AllText());
  EXPECT_EQ("PASS", rows[4]->All("td")[0]->AllText());
  EXPECT_EQ("123ms", rows[4]->All("td")[6]->AllText());
}

TEST(HtmlReport, FailuresAreUnfoldedAndShowTheDecidingStepsExchange) {
  ParseResult parsed = Parse(HtmlReport(SampleRun()));
  const Element* fail = parsed.document.ById("r-2");
  ASSERT_NE(nullptr, fail);
  EXPECT_EQ("", fail->Attribute("open"));
  EXPECT_TRUE(fail->attributes.count("open"));
  EXPECT_FALSE(parsed.document.ById("r-0")->attributes.count("open"));  // a pass stays folded
  std::vector<const Element*> steps = fail->All("details");
  ASSERT_EQ(2u, steps.size());
  EXPECT_FALSE(steps[0]->attributes.count("open"));  // the prerequisite that worked
  EXPECT_TRUE(steps[1]->attributes.count("open"));   // the step that failed
  std::string step = steps[1]->AllText();
  for (const char* part :
       {"FAIL test_request create_client — POST https://fallback.example.com/platform/v1/clients "
        "→ 401",
        "Fallbackresent to the fallback base URL", "Token typestaff", "Bearer ****6789",
        "content-typeapplication/json", "1primary50240ms502 Bad Gateway: resent to the fallback",
        "2fallback40160ms", "errorMISSING_REQUIRED_FIELD/data/uiduid is required"}) {
    EXPECT_TRUE(Has(step, part)) << part << " in " << step;
  }
  std::vector<const Element*> bodies = steps[1]->All("pre");
  ASSERT_EQ(2u, bodies.size());
  EXPECT_EQ("{\n  \"name\": \"Ada\"\n}", bodies[0]->AllText());
  EXPECT_EQ("{\n  \"error\": \"unauthorized\"\n}", bodies[1]->AllText());
  std::string facts = fail->Child("dl")->AllText();
  EXPECT_TRUE(Has(facts, "Fallbacka request went to the fallback base URL")) << facts;
  EXPECT_TRUE(Has(fail->AllText(), "Issues (4)"));
}

TEST(HtmlReport, ShowsExtractedVariableNamesButNotTheirValues) {
  run::RunResult run = SampleRun();
  run.documents[0].steps[0].extracted = {{"client_uid", "extracted-value-c1"}};
  ParseResult parsed = Parse(HtmlReport(run));
  std::string pass = parsed.document.ById("r-0")->AllText();
  EXPECT_TRUE(Has(pass, "Extractedclient_uid")) << pass;
  EXPECT_FALSE(Has(pass, "extracted-value-c1"));
  EXPECT_TRUE(Has(pass, "Knowledge basestatus: verified")) << pass;
}

TEST(HtmlReport, ShowsSchemaIssuesWithTheirPointersAndSchemaLocations) {
  ParseResult parsed = Parse(HtmlReport(SampleRun()));
  std::vector<const Element*> tables = parsed.document.ById("r-1")->All("table");
  std::string all;
  for (const Element* table : tables) all += table->AllText();
  EXPECT_TRUE(Has(all,
                  "warningUNDOCUMENTED_FIELD/data/nicknamenickname is not in the schema"
                  "specs/crm.json#/components/schemas/Client"))
      << all;
  EXPECT_TRUE(Has(all, "warningMISSING_TOKEN_DOCUMENTATIONThe operation names no token")) << all;
}

TEST(HtmlReport, EscapesHostileBodiesHeadersAndNamesSoTheyRenderAsText) {
  std::string html = HtmlReport(HostileRun());
  EXPECT_FALSE(Has(html, "<script"));
  EXPECT_FALSE(Has(html, "<img"));
  EXPECT_FALSE(Has(html, "<i>"));
  EXPECT_FALSE(Has(html, "onmouseover=\""));
  EXPECT_EQ(std::string::npos, html.find('\x01'));
  EXPECT_EQ(std::string::npos, html.find('\x1b'));
  ParseResult parsed = Parse(html);
  std::vector<const Element*> elements;
  Walk(parsed.document, elements);
  for (const Element* e : elements) {
    EXPECT_NE("script", e->name);
    EXPECT_NE("img", e->name);
    EXPECT_NE("i", e->name);
    for (const char* attribute : {"onmouseover", "onerror", "data-x", "src"}) {
      EXPECT_FALSE(e->attributes.count(attribute)) << e->name << " has " << attribute;
    }
    // The page's own <b> holds numbers; the domain's <b> must not have become one.
    if (e->name == "b") {
      EXPECT_FALSE(Has(e->AllText(), "crm"));
    }
  }
  // The texts are all there, as text.
  const Element* fail = parsed.document.ById("r-2");
  ASSERT_NE(nullptr, fail);
  std::string text = fail->AllText();
  EXPECT_TRUE(Has(text, "POST /x/\"><img src=x onerror=alert(1)>")) << text;
  EXPECT_TRUE(Has(text, kQuoteBreaker));
  EXPECT_TRUE(Has(text, "</td></tr></table><script>alert(2)</script>"));
  EXPECT_TRUE(Has(text, "Extracted<i>name</i>"));
  EXPECT_TRUE(Has(text, "/a\"b/<c>"));
  EXPECT_TRUE(Has(text, "</details></section><script>alert(3)</script>"));
  EXPECT_TRUE(Has(text, "Domain<b>crm</b>"));
  std::vector<const Element*> bodies = fail->All("pre");
  ASSERT_EQ(2u, bodies.size());
  EXPECT_EQ("{\n  \"note\": \"</script><script>alert(1)</script>\"\n}", bodies[1]->AllText());
}

TEST(HtmlReport, EscapingHelperNeutralisesMarkupQuotesAndControlCharacters) {
  EXPECT_EQ("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
            HtmlEscape("</script><script>alert(1)</script>"));
  EXPECT_EQ("a&quot; b=&#39;c&#39; &amp;amp;", HtmlEscape("a\" b='c' &amp;"));
  EXPECT_EQ("line\nnext\nlast\tend", HtmlEscape("line\r\nnext\rlast\tend"));
  EXPECT_EQ("bell  esc[31m del c1", HtmlEscape("bell\x07  esc\x1b[31m del\x7f c1\xc2\x85"));
  EXPECT_EQ("bad \xEF\xBF\xBD byte", HtmlEscape("bad \xff byte"));
}

TEST(HtmlReport, IndentsJsonBodiesWithoutDecodingTheirEscapes) {
  bool cut = true;
  EXPECT_EQ(
      "{\n  \"a\": \"x\\/y \\u0041 \\\"{[,:\",\n  \"b\": [\n    1,\n    2\n  ],\n"
      "  \"c\": {},\n  \"d\": []\n}",
      IndentJsonText(R"({"a":"x\/y \u0041 \"{[,:","b":[1, 2],"c":{ },"d":[]})", 1000, &cut));
  EXPECT_FALSE(cut);
  // A recorded prefix of a longer body is indented as far as it goes.
  EXPECT_EQ("[\n  {\n    \"id\": 1\n  },\n  {\n    \"i",
            IndentJsonText(R"([{"id":1},{"i)", 1000, &cut));
  EXPECT_EQ("[\n  {", IndentJsonText(R"([{"id":1}])", 5, &cut));
  EXPECT_TRUE(cut);
}

TEST(HtmlReport, CutsLongBodiesAtTheLimitWithANote) {
  run::RunResult run = SampleRun();
  run::ResponseRecord& response = *run.documents[0].steps[0].response;
  response.body = "é" + std::string(5000, 'x');  // not JSON: shown as it is
  response.body_truncated = true;
  response.body_bytes = 3 * 1024 * 1024;
  HtmlOptions options;
  options.max_body_bytes = 1000;
  ParseResult parsed = Parse(HtmlReport(run, options));
  const Element* pass = parsed.document.ById("r-0");
  std::vector<const Element*> bodies = pass->All("pre");
  ASSERT_EQ(1u, bodies.size());
  EXPECT_EQ("é" + std::string(998, 'x'), bodies[0]->AllText());
  std::string text = pass->AllText();
  EXPECT_TRUE(Has(text,
                  "Cut here: the page shows the first 1000 bytes of this body; the JSON report "
                  "holds all 4.9 KiB recorded."))
      << text;
  EXPECT_TRUE(Has(text, "The response body had 3.0 MiB; Verity recorded the first 4.9 KiB."))
      << text;

  // A cut never splits a character.
  options.max_body_bytes = 1;
  ParseResult reparsed = Parse(HtmlReport(run, options));  // `bodies` points into it
  bodies = reparsed.document.ById("r-0")->All("pre");
  ASSERT_EQ(1u, bodies.size());
  EXPECT_EQ("", bodies[0]->AllText());
}

TEST(HtmlReport, NeverShowsATokenTheProducerLeftWhereACarelessReportWouldPrintIt) {
  run::RunResult run = SampleRun();
  ASSERT_EQ(std::string("Bearer ") + kSecret,
            run.documents[2].steps[1].request->headers[0].second);  // the fixture is unmasked
  run::StepResult& step = run.documents[2].steps[1];
  step.request->headers.push_back({"X-Api-Key", kSecret});
  step.request->headers.push_back({"Cookie", std::string("session=") + kSecret});
  step.response->headers.push_back({"set-cookie", std::string("session=") + kSecret});
  step.response->headers.push_back({"authorization", std::string("Token ") + kSecret});
  // The redactor matched the token raw and percent-encoded; an API that escapes `/` in JSON sends
  // it in a form it did not know. Decoding the body for display would put the token together.
  const std::string slashed = "abc/def-slashed-token-0123456789";
  step.response->body = R"({"echo":"abc\/def-slashed-token-0123456789"})";
  std::string html = HtmlReport(run);
  EXPECT_FALSE(Has(html, kSecret));
  EXPECT_FALSE(Has(html, slashed));
  EXPECT_TRUE(Has(html, "Bearer ****6789"));
}

TEST(HtmlReport, WritesTheFileAtomically) {
  verity::testing::MemoryFileSystem fs;
  ASSERT_TRUE(WriteHtmlReport(fs, "reports/run.html", SampleRun()).ok());
  EXPECT_EQ(HtmlReport(SampleRun()), fs.Get("reports/run.html"));
  EXPECT_EQ((std::vector<std::string>{"reports/run.html"}), fs.writes());
}

TEST(HtmlReport, AnEmptyRunIsStillAPage) {
  run::RunResult run;
  ParseResult parsed = Parse(HtmlReport(run));
  EXPECT_TRUE(ResultRows(parsed.document).empty());
  EXPECT_EQ(nullptr, parsed.document.ById("details"));
  EXPECT_TRUE(Has(parsed.document.All("h1").at(0)->AllText(), "0/0 passed (N/A)"));
}

}  // namespace
}  // namespace verity::report
