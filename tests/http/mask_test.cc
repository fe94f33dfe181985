#include "http/mask.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace verity::http {
namespace {

// Token characters none of the schemes, cookie names or masks contain, so "a piece of the token
// survived" cannot be a false alarm.
std::string Token(size_t length, char salt = 0) {
  static const std::string kAlphabet = "0123456789QWXZJKV";
  std::string out;
  for (size_t i = 0; i < length; ++i) out += kAlphabet[(i * 7 + salt) % kAlphabet.size()];
  return out;
}

// The longest run of the token a reader may see: the last four characters of a long token,
// nothing of a short one.
void ExpectNothingSurvives(const std::string& token, const std::string& printed) {
  size_t window = token.size() >= 16 ? 5 : 2;
  for (size_t i = 0; i + window <= token.size(); ++i) {
    ASSERT_EQ(std::string::npos, printed.find(token.substr(i, window)))
        << "'" << token.substr(i, window) << "' of a " << token.size()
        << "-character token survived in: " << printed;
  }
}

std::string Printed(const Headers& headers) {
  std::string out;
  for (const auto& [name, value] : headers) out += name + ": " + value + "\n";
  return out;
}

TEST(MaskSecret, ShowsTheLastFourOnlyFromSixteenCharacters) {
  EXPECT_EQ("****", MaskSecret(""));
  EXPECT_EQ("****", MaskSecret("abc"));
  EXPECT_EQ("****", MaskSecret("abcdefghijklmno"));  // 15
  EXPECT_EQ("****mnop", MaskSecret("abcdefghijklmnop"));
}

TEST(MaskHeaders, KeepsSchemesAndCookieNamesAndMasksCredentials) {
  const std::string t = "0123456789abcdefWXYZ";  // 20 characters
  Headers in = {{"Authorization", "Bearer " + t},
                {"authorization", "Bearer short"},
                {"Authorization", "Admin " + t},
                {"Authorization", "Token token=\"" + t + "\""},
                {"Authorization", t},
                {"Proxy-Authorization", "Basic dXNlcjpwYXNzd29yZA=="},
                {"Cookie", "session=" + t + "; theme=dark"},
                {"X-Api-Key", t},
                {"X-Auth-Token", "short"},
                {"Content-Type", "application/json"},
                {"X-Request-Id", "r-1"}};
  Headers expected = {{"Authorization", "Bearer ****WXYZ"},
                      {"authorization", "Bearer ****"},
                      {"Authorization", "Admin ****WXYZ"},
                      {"Authorization", "Token token=\"****WXYZ\""},
                      {"Authorization", "****WXYZ"},
                      {"Proxy-Authorization", "Basic ****ZA=="},
                      {"Cookie", "session=****WXYZ; theme=****"},
                      {"X-Api-Key", "****WXYZ"},
                      {"X-Auth-Token", "****"},
                      {"Content-Type", "application/json"},
                      {"X-Request-Id", "r-1"}};
  EXPECT_EQ(Printed(expected), Printed(MaskHeaders(in)));
}

TEST(MaskHeaders, MasksAnyHeaderHoldingAKnownSecret) {
  SecretRedactor secrets;
  const std::string t = Token(32);
  secrets.Add(t);
  Headers masked = MaskHeaders({{"X-On-Behalf-Of", t},
                                {"X-Forwarded", "by " + t},
                                {"Set-Cookie", "s=1; Path=/" + t},
                                {"X-Plain", "nothing secret"}},
                               secrets);
  EXPECT_EQ("X-On-Behalf-Of: " + MaskSecret(t) + "\nX-Forwarded: by " + MaskSecret(t) +
                "\nSet-Cookie: s=****; Path=" + MaskSecret("/" + t) + "\nX-Plain: nothing secret\n",
            Printed(masked));
}

TEST(MaskHeaders, MaskingTwiceChangesNothingEvenForAPaddedToken) {
  const std::string t = "CANARY/tok+7f3e9a1b/2c4d5e6f==";
  SecretRedactor secrets;
  secrets.Add(t);
  Headers once = MaskHeaders({{"Authorization", "Bearer " + t}, {"X-Echo", t}}, secrets);
  EXPECT_EQ("Authorization: Bearer ****6f==\nX-Echo: ****6f==\n", Printed(once));
  EXPECT_EQ(Printed(once), Printed(MaskHeaders(once)));
  EXPECT_EQ(Printed(once), Printed(MaskHeaders(once, secrets)));
}

TEST(MaskHeaders, AUrlHoldingASecretKeepsItsShape) {
  const std::string t = "CANARY/tok+7f3e9a1b/2c4d5e6f==";
  SecretRedactor secrets;
  secrets.Add(t);
  Headers masked =
      MaskHeaders({{"Location", "https://api.test/cb?t=" + t + "&next=%2Fhome"},
                   {"Content-Location", "/v1/t/CANARY%2Ftok%2B7f3e9a1b%2F2c4d5e6f%3D%3D"},
                   {"Link", "<https://docs.test/?k=" + t + ">; rel=help"}},
                  secrets);
  EXPECT_EQ(
      "Location: https://api.test/cb?t=****&next=%2Fhome\nContent-Location: /v1/t/****\n"
      "Link: <https://docs.test/?k=****>; rel=help\n",
      Printed(masked));
}

TEST(MaskHeaders, NoTokenOfAnyLengthSurvivesAnyHeaderForm) {
  for (size_t length = 1; length <= 64; ++length) {
    const std::string t = Token(length);
    SecretRedactor secrets;
    secrets.Add(t);
    Headers masked = MaskHeaders(
        {{"Authorization", "Bearer " + t},
         {"Authorization", "Admin " + t},
         {"Authorization", "Token token=\"" + t + "\""},
         {"Authorization", "Token token=" + t + ", realm=\"x\""},
         {"Authorization", t},
         {"Cookie", "a=" + t + "; b=" + t},
         {"X-Api-Key", t},
         {"X-Other", t},
         {"X-Other", length < SecretRedactor::kMinSubstring ? "prefix=" + t + "; suffix"
                                                            : "prefix " + t + " suffix"}},
        secrets);
    SCOPED_TRACE(length);
    ExpectNothingSurvives(t, Printed(masked));
  }
}

TEST(MaskHeaders, AShortSecretIsMaskedAsAHeaderValueButNotInsideWords) {
  SecretRedactor secrets;
  secrets.Add("x");
  Headers masked = MaskHeaders({{"Authorization", "Bearer x"},
                                {"Authorization", "x"},
                                {"X-Api-Key", "x"},
                                {"X-Echo", "x"},
                                {"X-Echo", "X"},
                                {"Location", "/things/x?page=2"},
                                {"X-Note", "does not exist"}},
                               secrets);
  EXPECT_EQ(
      "Authorization: Bearer ****\nAuthorization: ****\nX-Api-Key: ****\nX-Echo: ****\n"
      "X-Echo: ****\nLocation: /things/****?page=2\nX-Note: does not exist\n",
      Printed(masked));
}

TEST(SecretRedactor, ReplacesEveryOccurrenceInAnyText) {
  SecretRedactor r;
  r.Add("s3cr3t-value");
  EXPECT_EQ("https://api/x?token=****&again=****",
            r.Redact("https://api/x?token=s3cr3t-value&again=s3cr3t-value"));
  EXPECT_EQ("****", r.Redact("s3cr3t-values3cr3t-value"));
  EXPECT_EQ("{\"auth\":\"****\"}", r.Redact("{\"auth\":\"s3cr3t-value\"}"));
  EXPECT_EQ("no secret here", r.Redact("no secret here"));
  EXPECT_EQ("", r.Redact(""));
}

TEST(SecretRedactor, RemovesPercentEncodedFormsInBothHexCases) {
  SecretRedactor r;
  r.Add("ab+c/d=e f");
  EXPECT_EQ("?t=****&u=****&v=****",
            r.Redact("?t=ab+c/d=e f&u=ab%2Bc%2Fd%3De%20f&v=ab%2bc%2fd%3de%20f"));
}

TEST(SecretRedactor, OverlappingSecretsAreRemovedWhole) {
  SecretRedactor r;
  r.Add("abc12345");
  r.Add("abc123456789");
  r.Add("WWWWWabc");  // starts before the long one and overlaps its head
  EXPECT_EQ("x****y****z", r.Redact("xabc123456789yabc12345z"));
  EXPECT_EQ("****", r.Redact("WWWWWabc123456789"));
}

TEST(SecretRedactor, IgnoresEmptySecretsAndReportsContainment) {
  SecretRedactor r;
  r.Add("");
  EXPECT_TRUE(r.empty());
  EXPECT_EQ("text", r.Redact("text"));
  r.Add("token-42");
  EXPECT_TRUE(r.Contains("a token-42 b"));
  EXPECT_FALSE(r.Contains("a token-4 2 b"));
  r.Add("tok");
  EXPECT_TRUE(r.Contains("?t=tok"));
  EXPECT_FALSE(r.Contains("a tok b")) << "a short secret is found only as a whole value";
}

TEST(SecretRedactor, NoSecretSurvivesAtAnyPositionOrInAnyForm) {
  const std::vector<std::string> secrets = {Token(40, 1), Token(20, 3) + "+/=", Token(8, 5)};
  SecretRedactor r;
  for (const auto& s : secrets) r.Add(s);
  const std::string filler = "GET https://api.example/v1/clients?business_id=b1&x=";
  for (const auto& s : secrets) {
    for (size_t at = 0; at <= filler.size(); at += 7) {
      std::string text = filler.substr(0, at) + s + filler.substr(at) + s + s;
      std::string redacted = r.Redact(text);
      SCOPED_TRACE(text);
      EXPECT_EQ(std::string::npos, redacted.find(s));
      EXPECT_FALSE(r.Contains(redacted));
    }
  }
}

}  // namespace
}  // namespace verity::http
