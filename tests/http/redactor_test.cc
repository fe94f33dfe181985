// SecretRedactor against the ways an API echoes a token: escaped for JSON, URLs and HTML (once
// and twice), base64 alone and inside longer data, in another case, cut off at the end; and what
// it must leave alone: every byte that is not a secret, and short derived values inside words.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/random.h"
#include "http/mask.h"

namespace verity::http {
namespace {

// Slashes, a plus and padding, so that every encoding below differs from the raw form.
const std::string kToken = "CANARY/tok+7f3e9a1b/2c4d5e6f==";

std::string Base64(std::string_view bytes, bool url = false, bool pad = true) {
  const char* alphabet = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                             : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = static_cast<unsigned char>(bytes[i]) << 16 |
                 static_cast<unsigned char>(bytes[i + 1]) << 8 |
                 static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += alphabet[(n >> shift) & 63];
  }
  if (size_t rest = bytes.size() - i; rest > 0) {
    uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    if (rest == 2) out += alphabet[(n >> 6) & 63];
    if (pad) out += rest == 2 ? "=" : "==";
  }
  return out;
}

std::string Percent(std::string_view s, bool lower_hex, std::string_view keep = "") {
  const char* hex = lower_hex ? "0123456789abcdef" : "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || keep.find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// Every character as \u00XX, as some JSON encoders write non-alphanumerics (or everything).
std::string UnicodeEscaped(std::string_view s) {
  const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += "\\u00";
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

SecretRedactor RedactorFor(const std::string& secret) {
  SecretRedactor r;
  r.Add(secret);
  return r;
}

TEST(SecretRedactor, CutsAJsonEscapedTokenAndLeavesTheDocumentAsItWas) {
  SecretRedactor r = RedactorFor(kToken);
  EXPECT_EQ(R"({"error":"invalid token ****", "n": 1.50})",
            r.Redact(R"({"error":"invalid token CANARY\/tok+7f3e9a1b\/2c4d5e6f==", "n": 1.50})"));
  EXPECT_EQ(R"({"e":"****"})",
            r.Redact(R"({"e":"\u0043ANARY\/tok\u002b7f3e9a1b/2c4d5e6f\u003D="})"));
  EXPECT_EQ(R"({"e":"x****y"})", r.Redact(R"({"e":"x)" + UnicodeEscaped(kToken) + R"(y"})"));
  // Escapes that are not part of a secret stay as written.
  EXPECT_EQ(R"({"a\/b":"\u00e9\n", "t":"****"})",
            r.Redact(R"({"a\/b":"\u00e9\n", "t":")" + kToken + R"("})"));
}

TEST(SecretRedactor, CutsPercentEncodedFormsHoweverMuchIsEncoded) {
  SecretRedactor r = RedactorFor(kToken);
  for (const std::string& form :
       {Percent(kToken, false), Percent(kToken, true), Percent(kToken, false, "/"),
        Percent(kToken, true, "+="), std::string("CANARY%2ftok%2B7f3e9a1b/2c4d5e6f%3d%3D")}) {
    EXPECT_EQ("https://api/x?t=****&y=1", r.Redact("https://api/x?t=" + form + "&y=1")) << form;
  }
  SecretRedactor spaced = RedactorFor("pass phrase 42");
  EXPECT_EQ("a=****&b=****", spaced.Redact("a=pass+phrase+42&b=pass%20phrase%2042"));
}

TEST(SecretRedactor, CutsDoublyEscapedFormsOfJsonInJsonAndUrlInUrl) {
  SecretRedactor r = RedactorFor(kToken);
  EXPECT_EQ(R"({"body":"{\"t\":\"****\"}"})",
            r.Redact(R"({"body":"{\"t\":\"CANARY\\/tok+7f3e9a1b\\/2c4d5e6f==\"}"})"));
  EXPECT_EQ("/login?next=%2Fcb%3Ft%3D****",
            r.Redact("/login?next=%2Fcb%3Ft%3D" + Percent(Percent(kToken, false), false)));
  EXPECT_EQ(R"({"u":"?t=****"})",
            r.Redact(R"({"u":"?t=CANARY\u00252Ftok%2B7f3e9a1b%2F2c4d5e6f=="})"));
}

TEST(SecretRedactor, CutsHtmlCharacterReferences) {
  SecretRedactor r = RedactorFor(kToken);
  EXPECT_EQ("<p>token ****</p>",
            r.Redact("<p>token CANARY&#47;tok&#x2B;7f3e9a1b&sol;2c4d5e6f&#61;&equals;</p>"));
}

TEST(SecretRedactor, CutsUpperLowerAndMixedCase) {
  SecretRedactor r = RedactorFor(kToken);
  EXPECT_EQ("a **** b **** c ****",
            r.Redact("a CANARY/TOK+7F3E9A1B/2C4D5E6F== b canary/tok+7f3e9a1b/2c4d5e6f== c "
                     "Canary%2FTOK+7f3e9a1b/2c4d5e6f=="));
}

TEST(SecretRedactor, CutsBase64AndBase64UrlPaddedOrNot) {
  SecretRedactor r = RedactorFor(kToken);
  for (bool url : {false, true}) {
    for (bool pad : {false, true}) {
      std::string encoded = Base64(kToken, url, pad);
      EXPECT_EQ("x-echo: **** end", r.Redact("x-echo: " + encoded + " end")) << encoded;
      EXPECT_EQ(R"({"b":"****"})", r.Redact(R"({"b":")" + encoded + R"("})")) << encoded;
    }
  }
}

// HTTP Basic sends base64("user:token"): the user's length puts the token at any of the three
// offsets within base64's 3-byte groups. What stays is at most the encoded user name.
TEST(SecretRedactor, CutsTheTokenOutOfBase64OfUserColonTokenWhateverTheUser) {
  SecretRedactor r = RedactorFor(kToken);
  for (std::string user : {"", "a", "ab", "abc", "user", "someone@example.com"}) {
    for (bool url : {false, true}) {
      std::string basic = Base64(user + ":" + kToken, url);
      std::string redacted = r.Redact("Basic " + basic);
      SCOPED_TRACE(user + " " + basic + " -> " + redacted);
      ASSERT_TRUE(redacted.ends_with("****"));
      std::string kept = redacted.substr(6, redacted.size() - 10);
      EXPECT_TRUE(basic.starts_with(kept));
      // The characters kept are those of the user name and ':' at most.
      EXPECT_LE(kept.size(), (user.size() + 1) * 4 / 3 + 1);
      EXPECT_FALSE(r.Contains(redacted));
    }
  }
  // And inside a longer encoded document, the rest of which stays.
  std::string doc = Base64(R"({"user":"u","token":")" + kToken + R"(","more":"data, lots of it"})");
  std::string redacted = r.Redact(doc);
  EXPECT_NE(redacted, doc);
  EXPECT_EQ(redacted.substr(0, 20), doc.substr(0, 20));
  EXPECT_EQ(redacted.substr(redacted.size() - 20), doc.substr(doc.size() - 20));
}

TEST(SecretRedactor, LeavesTextWithoutSecretsByteForByte) {
  SecretRedactor r = RedactorFor(kToken);
  for (std::string text : {std::string(R"({"a":"\u0041\/%2F&amp;\\", "b": [1, 2.50e3]})"),
                           std::string("CANARY/tok+7f3e9a1b/2c4d5e6"),  // one character short
                           std::string("%\\u&#;&#x;\\u00"), std::string("\xff\xfe bytes \x01"),
                           Base64("CANARY/tok+7f3e9a1b/2c4d5e6X==")}) {
    EXPECT_EQ(text, r.Redact(text));
    EXPECT_FALSE(r.Contains(text)) << text;
  }
}

TEST(SecretRedactor, ATruncatedTextLosesTheBeginningOfASecretAtItsEnd) {
  SecretRedactor r = RedactorFor(kToken);
  EXPECT_EQ(R"({"error":"invalid token CANARY\/tok+7f)",
            r.Redact(R"({"error":"invalid token CANARY\/tok+7f)"));
  EXPECT_EQ(R"({"error":"invalid token ****)",
            r.RedactTruncated(R"({"error":"invalid token CANARY\/tok+7f)"));
  EXPECT_EQ("a ****", r.RedactTruncated("a " + Base64(kToken).substr(0, 9)));
  // Up to three characters are too few to tell a secret's beginning from any text's end.
  EXPECT_EQ("a CAN", r.RedactTruncated("a CAN"));
  EXPECT_EQ("a ****", r.RedactTruncated("a CANA"));
}

TEST(SecretRedactor, ShortDerivedValuesAreMaskedOnlyAsWholeValues) {
  SecretRedactor r;
  r.AddDerived("ab");
  EXPECT_EQ("****", r.Redact("ab"));
  EXPECT_EQ(R"({"x":"****","y":"cab","z":"ab c"})", r.Redact(R"({"x":"ab","y":"cab","z":"ab c"})"));
  EXPECT_EQ("/v1/****/items?q=****&r=abc&s=****", r.Redact("/v1/ab/items?q=ab&r=abc&s=ab"));
  EXPECT_EQ("/v1/****", r.Redact("/v1/ab"));
  EXPECT_EQ("about a tab", r.Redact("about a tab"));
  EXPECT_TRUE(r.Contains("ab"));
  EXPECT_FALSE(r.Contains("abc"));
  EXPECT_EQ("abc", r.RedactTruncated("abc")) << "a piece of a whole value is nothing to hide";
  r.AddDerived("12345678");  // from kMinSubstring on, wherever it occurs
  EXPECT_EQ("x****y", r.Redact("x12345678y"));
}

// A dummy token such as `x` must not blank out every word that holds the letter, nor the
// letters its base64 ("eA") makes, in any case.
TEST(SecretRedactor, OrdinaryWordsHoldingAShortConfiguredSecretSurvive) {
  SecretRedactor r;
  r.Add("x");
  r.Add("abc");
  r.Add("a b/c");
  for (std::string text :
       {std::string("Thing 42 does not exist"), std::string("Read each area EXACTLY"),
        std::string(R"({"message":"no such box","cabc":"abcd xabc"})"), std::string("a abc b"),
        std::string("/v1/abcd/taxes?q=xx&r=abc1"), std::string("Bearerx abc2"),
        std::string("Notbearer x"), std::string("Note: abc is not a header"),
        std::string("%61bcd and a\\u0062c1"), std::string("a+b/cd")}) {
    EXPECT_EQ(text, r.Redact(text));
    EXPECT_FALSE(r.Contains(text)) << text;
  }
}

TEST(SecretRedactor, AShortConfiguredSecretIsMaskedAsAWholeValueInEachOfItsForms) {
  SecretRedactor r;
  r.Add("x");
  r.Add("a/b");
  r.Add("p q");
  EXPECT_EQ("****", r.Redact("x"));
  EXPECT_EQ("****", r.Redact("X"));
  EXPECT_EQ(R"({"message":"Thing 42 does not exist","createdBy":"****","by":'****'})",
            r.Redact(R"({"message":"Thing 42 does not exist","createdBy":"x","by":'X'})"));
  EXPECT_EQ("/v1/things/****/parts?token=****&q=exit&r=****#top",
            r.Redact("/v1/things/x/parts?token=x&q=exit&r=x#top"));
  EXPECT_EQ("/v1/things/****", r.Redact("/v1/things/x"));
  EXPECT_EQ("Authorization: Bearer ****\r\nX-Token: ****\r\nX-Note: exit x\r\n",
            r.Redact("Authorization: Bearer x\r\nX-Token: x\r\nX-Note: exit x\r\n"));
  EXPECT_EQ(R"({"auth":"bearer ****, Basic ****"})",
            r.Redact(R"({"auth":"bearer x, Basic )" + Base64("x") + R"("})"));
  EXPECT_EQ("Basic ****", r.Redact("Basic " + Base64("x", true, false)));
  EXPECT_EQ(R"({"t":"****","u":"****"})", r.Redact(R"({"t":"a\/b","u":"a\u002fb"})"));
  EXPECT_EQ("?t=****&u=****&v=****", r.Redact("?t=a%2Fb&u=a%252fb&v=p+q"));
  EXPECT_EQ(R"(["****"])", r.Redact(R"([")" + Base64("a/b") + R"("])"));
  EXPECT_TRUE(r.Contains("?t=x"));
}

// Every short token, in every form, in every kind of whole value: the value goes and the text
// around it stays byte for byte.
TEST(SecretRedactor, AShortTokenInAnyFormIsCutFromEveryKindOfWholeValue) {
  SeededRandom random(16);
  const std::string alphabet = "ABCXYZabcxyz0189-_.~";
  const std::vector<std::pair<std::string, std::string>> contexts = {
      {R"({"createdBy":")", R"(","note":"does not exist"})"},
      {"/v1/things/", "/parts?q=exit"},
      {"/v1/things?token=", "&q=exit"},
      {"Authorization: Bearer ", "\r\nX-Note: does not exist\r\n"},
      {"X-Token: ", "\nX-Note: does not exist"},
      {"'", "' does not exist"}};
  for (size_t length = 1; length < SecretRedactor::kMinSubstring; ++length) {
    std::string token;
    while (token.size() < length) token += alphabet[random.Below(alphabet.size())];
    SecretRedactor r = RedactorFor(token);
    std::string upper = token;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const std::string& form :
         {token, upper, Percent(token, false), Percent(token, true), UnicodeEscaped(token),
          Base64(token), Base64(token, true, false)}) {
      for (const auto& [before, after] : contexts) {
        SCOPED_TRACE(token + " as " + form + " in " + before + form + after);
        EXPECT_EQ(before + "****" + after, r.Redact(before + form + after));
      }
    }
  }
}

// From eight characters on the guarantee holds as before: no occurrence anywhere, inside words
// and in every encoding.
TEST(SecretRedactor, ASecretOfEightCharactersIsMaskedInsideWordsAndInEveryEncoding) {
  const std::string secret = "k3y/8c+h";
  SecretRedactor r = RedactorFor(secret);
  for (const std::string& form :
       {secret, std::string("K3Y/8C+H"), Percent(secret, false), Percent(secret, true),
        UnicodeEscaped(secret), std::string("k3y\\/8c+h"), std::string("k3y&#47;8c&#43;h"),
        Base64(secret), Base64(secret, true, false), Base64("someone:" + secret)}) {
    std::string text = "word" + form + "word";
    std::string redacted = r.Redact(text);
    SCOPED_TRACE(text + " -> " + redacted);
    EXPECT_EQ(redacted.find(form), std::string::npos);
    EXPECT_NE(redacted.find("****"), std::string::npos);
    EXPECT_FALSE(r.Contains(redacted));
  }
  EXPECT_EQ("prefix****suffix", r.Redact("prefixk3y/8c+hsuffix"));
}

TEST(SecretRedactor, ALongDerivedValueIsRememberedByItsEnds) {
  std::string head(300, 'h'), tail(300, 't');
  std::string value = "CANARY/tok+7f" + head + tail + "3e9a1b/2c4d5e6f==";
  SecretRedactor r;
  r.AddDerived(value);
  EXPECT_EQ("<****>", r.Redact("<CANARY/tok+7f" + head.substr(0, 243) + ">"));
  EXPECT_EQ("<****>", r.Redact("<" + tail.substr(0, 239) + "3e9a1b/2c4d5e6f==>"));
  EXPECT_EQ("<****" + std::string(57, 'h') + std::string(61, 't') + "****>",
            r.Redact("<" + value + ">"));
}

// A fuzz-like sweep: random tokens over the characters encodings treat differently, each written
// in every form at every position of a filler; the token must be gone in every form and the
// filler intact.
TEST(SecretRedactor, NoFormOfARandomTokenSurvivesAtAnyPosition) {
  SeededRandom random(14);
  const std::string alphabet = "ABCDEFabcdef0123456789+/=-_ .~%&\\\"";
  const std::string filler = R"({"msg": "see https://api.example/v1?x=1&y=%20", "n": [1,2]})";
  for (int round = 0; round < 40; ++round) {
    std::string token = "Q";
    size_t length = 8 + random.Below(40);
    while (token.size() < length) token += alphabet[random.Below(alphabet.size())];
    SecretRedactor r = RedactorFor(token);
    for (const std::string& form :
         {token, Percent(token, false), Percent(token, true), Base64(token),
          Base64(token, true, false), Base64("me:" + token), UnicodeEscaped(token)}) {
      for (size_t at = 0; at <= filler.size(); at += 11) {
        std::string text = filler.substr(0, at) + form + filler.substr(at);
        std::string redacted = r.Redact(text);
        SCOPED_TRACE(token + " as " + form + " in " + text + " -> " + redacted);
        ASSERT_EQ(redacted.find(form), std::string::npos);
        ASSERT_FALSE(r.Contains(redacted));
        ASSERT_EQ(redacted.substr(0, at), filler.substr(0, at));
      }
    }
  }
}

}  // namespace
}  // namespace verity::http
