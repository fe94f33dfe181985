// The tables of realistic values: which names and formats ask for what, and the values of a kind.
#include "spec/sample_names.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "spec/formats.h"

namespace verity::spec {
namespace {

TEST(SampleNames, SnakeCamelKebabDottedAndUpperCaseNamesAreMatchedByTheirWords) {
  EXPECT_EQ(ValueKind::kFirstName, KindOfName("first_name"));
  EXPECT_EQ(ValueKind::kFirstName, KindOfName("firstName"));
  EXPECT_EQ(ValueKind::kFirstName, KindOfName("first-name"));
  EXPECT_EQ(ValueKind::kFirstName, KindOfName("FIRST_NAME"));
  EXPECT_EQ(ValueKind::kFirstName, KindOfName("FirstName"));
  EXPECT_EQ(ValueKind::kFirstName, KindOfName("firstname"));
  EXPECT_EQ(ValueKind::kPhone, KindOfName("contact.phone_number"));
  EXPECT_EQ(ValueKind::kEmail, KindOfName("customerEmail"));
  EXPECT_EQ(ValueKind::kEmail, KindOfName("e-mail"));
  EXPECT_EQ(ValueKind::kTimeZone, KindOfName("timeZone"));
  EXPECT_EQ(ValueKind::kStreet, KindOfName("billingAddressLine1"));
  EXPECT_EQ(ValueKind::kAddressLine2, KindOfName("address_line_2"));
  EXPECT_EQ(ValueKind::kUrl, KindOfName("homepageURL"));
}

TEST(SampleNames, PrefixesAreIgnoredAndTheLongestKnownEndingWins) {
  EXPECT_EQ(ValueKind::kCity, KindOfName("billing_city"));
  EXPECT_EQ(ValueKind::kCountry, KindOfName("country"));
  EXPECT_EQ(ValueKind::kCountry, KindOfName("country_name"));
  EXPECT_EQ(ValueKind::kCountryCode, KindOfName("country_code"));
  EXPECT_EQ(ValueKind::kCountryCode, KindOfName("shippingCountryCode"));
  EXPECT_EQ(ValueKind::kCountryCode, KindOfName("IsoCountry"));
  EXPECT_EQ(ValueKind::kFirstName, KindOfName("name")) << "one word: a label name too";
  EXPECT_EQ(ValueKind::kFullName, KindOfName("contact_full_name"));
  EXPECT_EQ(ValueKind::kCompany, KindOfName("business_name"));
  EXPECT_EQ(ValueKind::kCompany, KindOfName("brand_name"));
  EXPECT_EQ(ValueKind::kCardBrand, KindOfName("card_brand"));
  EXPECT_EQ(ValueKind::kEmail, KindOfName("email_address"));
  EXPECT_EQ(ValueKind::kStreet, KindOfName("address"));
  EXPECT_EQ(ValueKind::kJobTitle, KindOfName("job_title"));
  EXPECT_EQ(ValueKind::kTitle, KindOfName("title"));
  EXPECT_EQ(ValueKind::kDateTime, KindOfName("created_at"));
  EXPECT_EQ(ValueKind::kDate, KindOfName("due_date"));
  EXPECT_EQ(ValueKind::kBirthDate, KindOfName("date_of_birth"));
  EXPECT_EQ(ValueKind::kCurrency, KindOfName("currency"));
  EXPECT_EQ(ValueKind::kLocale, KindOfName("default_locale"));
}

TEST(SampleNames, PluralNamesOfListsAskForTheirItemsKind) {
  EXPECT_EQ(ValueKind::kEmail, KindOfName("emails"));
  EXPECT_EQ(ValueKind::kPhone, KindOfName("phone_numbers"));
  EXPECT_EQ(ValueKind::kCity, KindOfName("cities"));
  EXPECT_EQ(ValueKind::kStreet, KindOfName("addresses"));
  EXPECT_EQ(ValueKind::kTag, KindOfName("tags"));
}

TEST(SampleNames, WhoDidItVersionsRevisionsAndBranchesLookLikeTheirKind) {
  for (const char* name : {"createdBy", "updated_by", "creator", "assignee"})
    EXPECT_EQ(ValueKind::kUsername, KindOfName(name)) << name;
  EXPECT_EQ(ValueKind::kVersion, KindOfName("goVersion"));
  EXPECT_EQ(ValueKind::kVersion, KindOfName("api_version"));
  EXPECT_EQ(ValueKind::kRevision, KindOfName("revision"));
  EXPECT_EQ(ValueKind::kRevision, KindOfName("fingerprint"));
  EXPECT_EQ(ValueKind::kRevision, KindOfName("commit_sha"));
  EXPECT_EQ(ValueKind::kBranch, KindOfName("branch"));
  EXPECT_EQ("1.4.2", RealisticString(ValueKind::kVersion, 0, "version"));
  std::string revision = RealisticString(ValueKind::kRevision, 1, "fingerprint");
  EXPECT_EQ(16u, revision.size());
  EXPECT_EQ(std::string::npos, revision.find_first_not_of("0123456789abcdef")) << revision;
  EXPECT_NE(RealisticString(ValueKind::kBranch, 0, "branch"),
            RealisticString(ValueKind::kBranch, 1, "branch"));
}

TEST(SampleNames, IdsStatusesAndUnknownNamesAskForNothing) {
  for (const char* name : {"uid", "business_uid", "client_id", "clientId", "status", "type", "code",
                           "value", "", "__", "número"}) {
    EXPECT_EQ(ValueKind::kNone, KindOfName(name)) << name;
  }
}

TEST(SampleNames, FormatsAreMatchedWhateverTheirCaseAndPunctuation) {
  EXPECT_EQ(ValueKind::kPhone, KindOfFormat("phone").kind);
  EXPECT_EQ(ValueKind::kPhone, KindOfFormat("tel").kind);
  EXPECT_EQ(ValueKind::kPhone, KindOfFormat("E.164").kind);
  EXPECT_EQ(ValueKind::kPhone, KindOfFormat("phone-number").kind);
  EXPECT_EQ(ValueKind::kCountryCode, KindOfFormat("iso-country-code").kind);
  EXPECT_EQ(ValueKind::kHttpDate, KindOfFormat("date-time-rfc-2822").kind);
  EXPECT_EQ(ValueKind::kDateTime, KindOfFormat("date-time").kind);
  EXPECT_TRUE(KindOfFormat("date-time").established);
  EXPECT_FALSE(KindOfFormat("phone").established);
  EXPECT_EQ(ValueKind::kNone, KindOfFormat("binary").kind);
  EXPECT_EQ(ValueKind::kNone, KindOfFormat("opaque").kind);
}

TEST(SampleNames, CodesFollowTheirStandards) {
  EXPECT_EQ("US", RealisticString(ValueKind::kCountryCode, 0, "country_code"));
  EXPECT_EQ("USA", RealisticString(ValueKind::kCountryCode3, 0, ""));
  EXPECT_EQ("United States", RealisticString(ValueKind::kCountry, 0, "country"));
  EXPECT_EQ("USD", RealisticString(ValueKind::kCurrency, 0, "currency"));
  EXPECT_EQ("en", RealisticString(ValueKind::kLanguage, 0, ""));
  EXPECT_EQ("en-US", RealisticString(ValueKind::kLocale, 0, ""));
  EXPECT_EQ("America/New_York", RealisticString(ValueKind::kTimeZone, 0, ""));
  EXPECT_EQ("+14155550100", RealisticString(ValueKind::kPhone, 0, ""));
  EXPECT_EQ("PT30M", RealisticString(ValueKind::kDuration, 0, ""));
  EXPECT_EQ("Mon, 05 Jan 2026 10:00:00 +0000", RealisticString(ValueKind::kHttpDate, 0, ""));
  EXPECT_EQ("Tue, 06 Jan 2026 10:00:00 +0000", RealisticString(ValueKind::kHttpDate, 1, ""));
  for (uint64_t n = 0; n < 50; ++n) {
    std::string code = RealisticString(ValueKind::kCountryCode, n, "");
    EXPECT_EQ(2u, code.size()) << code;
    EXPECT_EQ(3u, RealisticString(ValueKind::kCurrency, n, "").size());
    std::string phone = RealisticString(ValueKind::kPhone, n, "");
    EXPECT_EQ('+', phone[0]);
    EXPECT_LE(phone.size(), 16u) << "E.164 has at most 15 digits";
    EXPECT_TRUE(IsDateTime(RealisticString(ValueKind::kDateTime, n, "")));
    EXPECT_TRUE(IsDate(RealisticString(ValueKind::kBirthDate, n, "")));
    EXPECT_TRUE(IsEmail(RealisticString(ValueKind::kEmail, n, "")));
    EXPECT_TRUE(IsUri(RealisticString(ValueKind::kUrl, n, "logo_url")));
  }
}

TEST(SampleNames, OneOrdinalsAddressBelongsTogether) {
  // The second row is London: its postal code, currency and time zone say so too.
  EXPECT_EQ("London", RealisticString(ValueKind::kCity, 1, ""));
  EXPECT_EQ("GB", RealisticString(ValueKind::kCountryCode, 1, ""));
  EXPECT_EQ("GBP", RealisticString(ValueKind::kCurrency, 1, ""));
  EXPECT_EQ("Europe/London", RealisticString(ValueKind::kTimeZone, 1, ""));
  EXPECT_EQ("NW1 6XE", RealisticString(ValueKind::kPostalCode, 1, ""));
  EXPECT_NEAR(51.5, *RealisticNumber("latitude", 1), 0.1);
}

TEST(SampleNames, PeopleStayDistinctPastTheNameTables) {
  std::set<std::string> names, emails;
  for (uint64_t n = 0; n < 250; ++n) {
    names.insert(RealisticString(ValueKind::kFullName, n, ""));
    emails.insert(RealisticString(ValueKind::kEmail, n, ""));
  }
  EXPECT_EQ(250u, names.size());
  EXPECT_EQ(250u, emails.size());
  EXPECT_EQ("Ada Lovelace", RealisticString(ValueKind::kFullName, 0, ""));
  EXPECT_EQ("ada.lovelace@example.com", RealisticString(ValueKind::kEmail, 0, ""));
  EXPECT_EQ("Grace", RealisticString(ValueKind::kFirstName, 1, ""));
  EXPECT_EQ("Hopper", RealisticString(ValueKind::kLastName, 1, ""));
}

TEST(SampleNames, UrlsSayWhatTheyAreFor) {
  EXPECT_EQ("https://example.com/logo", RealisticString(ValueKind::kUrl, 0, "logo_url"));
  EXPECT_EQ("https://example.com/privacy-policy-2",
            RealisticString(ValueKind::kUrl, 2, "privacyPolicyLink"));
  EXPECT_EQ("https://example.com/", RealisticString(ValueKind::kUrl, 0, "website"));
}

TEST(SampleNames, NumbersByName) {
  EXPECT_EQ(34, *RealisticNumber("age", 0));
  EXPECT_EQ(49.99, *RealisticNumber("unit_price", 0));
  EXPECT_EQ(49.99, *RealisticNumber("totalAmount", 0));
  EXPECT_EQ(2, *RealisticNumber("quantity", 0));
  EXPECT_EQ(2026, *RealisticNumber("year", 0));
  EXPECT_NEAR(-73.98, *RealisticNumber("lng", 0), 0.01);
  EXPECT_FALSE(RealisticNumber("id", 0).has_value());
  EXPECT_FALSE(RealisticNumber("total", 0).has_value()) << "a page's total counts items";
}

}  // namespace
}  // namespace verity::spec
