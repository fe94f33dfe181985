#include "report/junit_report.h"

#include <gtest/gtest.h>

#include "report/report_fixture.h"
#include "report/text.h"
#include "support/memory_file_system.h"
#include "support/xml_dom.h"

namespace verity::report {
namespace {

using testing::SampleRun;
using verity::testing::Element;
using verity::testing::ParseResult;
using verity::testing::ParseXml;

TEST(JunitReport, IsWellFormedXmlWithTotalsOnTheRoot) {
  std::string xml = JunitReportXml(SampleRun());
  EXPECT_EQ(0u, xml.find("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
  ParseResult parsed = ParseXml(xml);
  ASSERT_TRUE(parsed.ok) << parsed.error << "\n" << xml;
  const Element* root = parsed.document.Child("testsuites");
  ASSERT_NE(nullptr, root);
  EXPECT_EQ("5", root->attributes.at("tests"));
  EXPECT_EQ("1", root->attributes.at("failures"));
  EXPECT_EQ("1", root->attributes.at("errors"));
  EXPECT_EQ("1", root->attributes.at("skipped"));
  EXPECT_EQ("3.200", root->attributes.at("time"));
}

TEST(JunitReport, HasOneSuitePerDomainAndOneCasePerDocument) {
  ParseResult parsed = ParseXml(JunitReportXml(SampleRun()));
  ASSERT_TRUE(parsed.ok) << parsed.error;
  std::vector<const Element*> suites = parsed.document.All("testsuite");
  ASSERT_EQ(2u, suites.size());
  EXPECT_EQ("crm", suites[0]->attributes.at("name"));
  EXPECT_EQ("3", suites[0]->attributes.at("tests"));
  EXPECT_EQ("1", suites[0]->attributes.at("failures"));
  EXPECT_EQ("1.703", suites[0]->attributes.at("time"));  // the sum of its cases
  EXPECT_EQ("sales", suites[1]->attributes.at("name"));
  EXPECT_EQ("1", suites[1]->attributes.at("errors"));
  EXPECT_EQ("1", suites[1]->attributes.at("skipped"));

  std::vector<const Element*> cases = parsed.document.All("testcase");
  ASSERT_EQ(5u, cases.size());
  EXPECT_EQ("crm", cases[0]->attributes.at("classname"));
  EXPECT_EQ("GET /platform/v1/clients", cases[0]->attributes.at("name"));
  EXPECT_EQ("kb/crm/get_platform_v1_clients.md", cases[0]->attributes.at("file"));
  EXPECT_EQ("0.123", cases[0]->attributes.at("time"));
  EXPECT_TRUE(cases[0]->children.empty());
}

TEST(JunitReport, FailureCarriesReasonMessageAndTheSteps) {
  ParseResult parsed = ParseXml(JunitReportXml(SampleRun()));
  ASSERT_TRUE(parsed.ok) << parsed.error;
  std::vector<const Element*> failures = parsed.document.All("failure");
  ASSERT_EQ(1u, failures.size());
  const Element& failure = *failures[0];
  EXPECT_EQ("AUTH_FAILED", failure.attributes.at("type"));
  // The control character is gone; everything else survives the round trip.
  EXPECT_EQ("AUTH_FAILED: Token rejected | <img src=x onerror=alert(1)> & \"quotes\"  end",
            failure.attributes.at("message"));
  EXPECT_NE(std::string::npos, failure.text.find("Suggestion: Set useFallbackApi: true"));
  EXPECT_NE(std::string::npos, failure.text.find("PASS  login [prerequisites]"));
  EXPECT_NE(std::string::npos, failure.text.find("FAIL  create_client [test_request] AUTH_FAILED"));
  EXPECT_NE(std::string::npos,
            failure.text.find("request: POST https://fallback.example.com/platform/v1/clients"));
  EXPECT_NE(std::string::npos, failure.text.find("status: 401"));
  EXPECT_NE(std::string::npos, failure.text.find("retried: 502 Bad Gateway"));
  EXPECT_NE(std::string::npos, failure.text.find("issue: TYPE_MISMATCH at /data: expected object"));
}

TEST(JunitReport, ErrorSkipAndWarnUseTheirOwnElements) {
  ParseResult parsed = ParseXml(JunitReportXml(SampleRun()));
  ASSERT_TRUE(parsed.ok) << parsed.error;
  std::vector<const Element*> errors = parsed.document.All("error");
  ASSERT_EQ(1u, errors.size());
  EXPECT_EQ("RESOURCE_NOT_FOUND", errors[0]->attributes.at("type"));
  EXPECT_EQ("RESOURCE_NOT_FOUND: Invoice not found[31m", errors[0]->attributes.at("message"));

  std::vector<const Element*> skipped = parsed.document.All("skipped");
  ASSERT_EQ(1u, skipped.size());
  EXPECT_EQ("DELETE_DISABLED: Delete operations disabled by configuration",
            skipped[0]->attributes.at("message"));

  std::vector<const Element*> out = parsed.document.All("system-out");
  ASSERT_EQ(1u, out.size());
  EXPECT_NE(std::string::npos, out[0]->text.find("WARN UNDOCUMENTED_FIELD"));
  EXPECT_NE(std::string::npos, out[0]->text.find("issue: UNDOCUMENTED_FIELD at /data/nickname"));
  EXPECT_NE(std::string::npos, out[0]->text.find("issue: MISSING_TOKEN_DOCUMENTATION"));
  EXPECT_TRUE(parsed.document.All("testcase")[1]->Child("failure") == nullptr);
}

TEST(JunitReport, EscapesMarkupAndDropsCharactersXmlCannotHold) {
  std::string xml = JunitReportXml(SampleRun());
  EXPECT_NE(std::string::npos,
            xml.find("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;"));
  EXPECT_EQ(std::string::npos, xml.find("<img"));
  EXPECT_EQ(std::string::npos, xml.find('\x01'));
  EXPECT_EQ(std::string::npos, xml.find('\x07'));
  EXPECT_EQ(std::string::npos, xml.find('\x1b'));
}

TEST(JunitReport, XmlEscapeKeepsValidUtf8AndReplacesInvalid) {
  EXPECT_EQ("&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos;", XmlEscape("<a> & \"b\" 'c'"));
  EXPECT_EQ("tab\tline\nbreak&#13;", XmlEscape("tab\tline\nbreak\r"));
  EXPECT_EQ("tab&#9;line&#10;", XmlEscape("tab\tline\n", true));
  EXPECT_EQ("ab", XmlEscape("a\x01\x0b\x1f"
                            "b"));
  EXPECT_EQ("grüße ✓ 🟢", XmlEscape("grüße ✓ 🟢"));
  EXPECT_EQ("x\xEF\xBF\xBDy", XmlEscape("x\xC3y"));              // truncated sequence
  EXPECT_EQ("\xEF\xBF\xBD\xEF\xBF\xBD", XmlEscape("\xC0\xAF"));  // overlong '/'
  EXPECT_EQ("", XmlEscape("\xEF\xBF\xBF"));                      // U+FFFF is not an XML Char
  std::string nasty = "]]> <!-- \r\n & \x02 --> <![CDATA[";
  ParseResult parsed =
      ParseXml("<a b=\"" + XmlEscape(nasty, true) + "\">" + XmlEscape(nasty) + "</a>");
  ASSERT_TRUE(parsed.ok) << parsed.error;
  EXPECT_EQ("]]> <!-- \r\n &  --> <![CDATA[", parsed.document.Child("a")->attributes.at("b"));
  EXPECT_EQ("]]> <!-- \r\n &  --> <![CDATA[", parsed.document.Child("a")->text);
}

TEST(JunitReport, WritesTheFileAtomically) {
  verity::testing::MemoryFileSystem fs;
  ASSERT_TRUE(WriteJunitReport(fs, "out/junit.xml", SampleRun()).ok());
  EXPECT_EQ(JunitReportXml(SampleRun()), fs.Get("out/junit.xml"));
}

}  // namespace
}  // namespace verity::report
