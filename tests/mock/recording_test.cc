// What a recording keeps of an exchange (secrets masked), how its files are written, and which
// recorded exchange answers a request on replay.
#include "mock/recording.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/memory_file_system.h"

namespace verity::mock {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "tok-1234567890-abcdefgh";

TEST(MaskBearerLike, MasksTheCredentialOfABearerValueAndKeepsTheScheme) {
  EXPECT_EQ(MaskBearerLike(R"({"auth":"Bearer abc.DEF-123_x=="})"), R"({"auth":"Bearer ****"})");
  EXPECT_EQ(MaskBearerLike("bearer xyz12345, then words"), "bearer ****, then words");
}

TEST(MaskBearerLike, ProseAboutBearerTokensStaysAsItIs) {
  EXPECT_EQ(MaskBearerLike("Bearer authentication; send a bearer token. bearer"),
            "Bearer authentication; send a bearer token. bearer");
}

TEST(MaskBearerLike, MasksAJwtWhereverItStandsButNotWordsThatStartLikeOne) {
  std::string jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
  EXPECT_EQ(MaskBearerLike(R"({"id_token":")" + jwt + R"("})"), R"({"id_token":"****"})");
  EXPECT_EQ(MaskBearerLike("eyJust words. and more"), "eyJust words. and more");
}

TEST(RequestSecrets, AnAuthorizationCredentialEchoedInABodyIsMaskedInEveryForm) {
  std::vector<net::Header> headers = {{"Authorization", std::string("Token ") + kToken}};
  http::SecretRedactor secrets = RequestSecrets(headers, "", {});
  std::string echoed =
      std::string(R"({"you":")") + kToken + R"(","url":"/x?t=tok%2D1234567890-abcdefgh"})";
  std::string masked = MaskText(echoed, secrets);
  EXPECT_THAT(masked, Not(HasSubstr("1234567890")));
  EXPECT_THAT(masked, HasSubstr(R"({"you":"****")"));
}

TEST(RequestSecrets, TheSpecsApiKeyHeaderAndQueryValuesAndCookiesAreSecrets) {
  CredentialNames names{.headers = {"X-Partner-Key"}, .query = {"key"}};
  std::vector<net::Header> headers = {{"x-partner-key", "partner-secret-value"},
                                      {"Cookie", "session=cookie-secret-value; theme=dark"}};
  http::SecretRedactor secrets = RequestSecrets(headers, "key=query-secret-value&page=2", names);
  std::string masked =
      MaskText("partner-secret-value cookie-secret-value query-secret-value dark", secrets);
  EXPECT_EQ(masked, "**** **** **** dark");
}

TEST(MaskQuery, TheSpecsAndTheConventionalCredentialParametersBecomeStars) {
  CredentialNames names{.headers = {}, .query = {"key", "access_token"}};
  EXPECT_EQ(MaskQuery("key=abc&page=2&access_token=xyz", {}, names),
            "key=***&page=2&access_token=***");
  EXPECT_EQ(MaskQuery("", {}, names), "");
}

Exchange Sample(std::string method, std::string path, std::string query, std::string body,
                std::string answer) {
  return Exchange{.operation = "",
                  .method = std::move(method),
                  .path = std::move(path),
                  .query = std::move(query),
                  .request_body = std::move(body),
                  .status = 200,
                  .response_headers = {{"content-type", "application/json"}},
                  .response_body = std::move(answer)};
}

TEST(ExchangeJson, AnExchangeReadsBackAsItWasWritten) {
  Exchange written = Sample("POST", "/v1/things", "a=1", R"({"n":1})", R"({"id":"x"})");
  written.operation = "POST /v1/things";
  written.status = 201;
  Result<Exchange> read = ExchangeFromJson(ExchangeToJson(written));
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(ExchangeToJson(*read), ExchangeToJson(written));
}

TEST(ExchangeJson, AFileThatIsNotAnExchangeSaysWhatIsWrong) {
  Json bad = ExchangeToJson(Sample("GET", "/x", "", "", ""));
  bad["status"] = 42;
  EXPECT_THAT(ExchangeFromJson(bad).status().message(), HasSubstr("status"));
  bad = ExchangeToJson(Sample("GET", "/x", "", "", ""));
  bad["responseHeaders"] = Json::array({Json::array({"only-a-name"})});
  EXPECT_FALSE(ExchangeFromJson(bad).ok());
}

TEST(Recorder, FilesAreNumberedInArrivalOrderAndNumberingGoesOnAfterAnEarlierRecording) {
  testing::MemoryFileSystem fs;
  fs.Add("/rec/000007-GET.json", "{}");
  Result<std::unique_ptr<Recorder>> recorder = Recorder::Open(fs, "/rec");
  ASSERT_TRUE(recorder.ok()) << recorder.status().message();
  ASSERT_TRUE((*recorder)->Save(Sample("GET", "/a", "", "", "1")).ok());
  ASSERT_TRUE((*recorder)->Save(Sample("DELETE", "/a", "", "", "2")).ok());
  EXPECT_TRUE(fs.ReadFile("/rec/000008-GET.json").ok());
  EXPECT_TRUE(fs.ReadFile("/rec/000009-DELETE.json").ok());
  EXPECT_EQ((*recorder)->saved(), 2u);
}

TEST(Recorder, AMethodThatIsNotAPlainWordNeverShapesTheFileName) {
  testing::MemoryFileSystem fs;
  Result<std::unique_ptr<Recorder>> recorder = Recorder::Open(fs, "/rec");
  ASSERT_TRUE(recorder.ok()) << recorder.status().message();
  ASSERT_TRUE((*recorder)->Save(Sample("../../etc/x", "/a", "", "", "")).ok());
  Result<std::vector<std::string>> files = fs.ListFiles("/rec");
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(*files, std::vector<std::string>{"/rec/000001-OTHER.json"});
}

TEST(Replay, RepeatedRequestsGetTheirAnswersInRecordedOrderThenTheLastAgain) {
  Replay replay({Sample("GET", "/items", "", "", "[]"), Sample("POST", "/items", "", "{}", "{}"),
                 Sample("GET", "/items", "", "", "[1]")});
  EXPECT_EQ(replay.Match("GET", "/items", "", "")->response_body, "[]");
  EXPECT_EQ(replay.Match("GET", "/items", "", "")->response_body, "[1]");
  EXPECT_EQ(replay.Match("GET", "/items", "", "")->response_body, "[1]");
}

TEST(Replay, AnotherQueryOrPathOrMethodMatchesNothing) {
  Replay replay({Sample("GET", "/items", "page=1", "", "[]")});
  EXPECT_FALSE(replay.Match("GET", "/items", "page=2", ""));
  EXPECT_FALSE(replay.Match("GET", "/items/1", "page=1", ""));
  EXPECT_FALSE(replay.Match("HEAD", "/items", "page=1", ""));
  EXPECT_TRUE(replay.Match("GET", "/items", "page=1", ""));
}

TEST(Replay, AmongSeveralTheSameBodyWinsThenTheSameButForItsDigits) {
  Replay replay({Sample("POST", "/items", "", R"({"name":"a","at":"2026-01-01T10:00:00Z"})", "A"),
                 Sample("POST", "/items", "", R"({"name":"b","at":"2026-01-01T10:00:00Z"})", "B"),
                 Sample("POST", "/items", "", R"({"name":"c"})", "C")});
  EXPECT_EQ(replay.Match("POST", "/items", "", R"({"name":"c"})")->response_body, "C");
  // Sent at another time: only the timestamp differs.
  EXPECT_EQ(replay.Match("POST", "/items", "", R"({"name":"b","at":"2026-12-07T14:44:18Z"})")
                ->response_body,
            "B");
  // Nothing alike left: the first unused.
  EXPECT_EQ(replay.Match("POST", "/items", "", R"({"name":"z"})")->response_body, "A");
}

TEST(Replay, AValueTheClientMadeUpAfreshFindsTheExchangeRecordedWithTheOldOneAndIsEchoed) {
  Replay replay({Sample("POST", "/silences", "", R"({"matchers":[{"value":"test_recorded1"}]})",
                        R"({"id":"s-1"})"),
                 Sample("GET", "/silences", "filter=run%3D%22test_recorded1%22", "",
                        R"([{"id":"s-1","matchers":[{"value":"test_recorded1"}]}])")});
  // This run's tag is another: the create is matched by position, and the tag is learned.
  std::optional<Exchange> created =
      replay.Match("POST", "/silences", "", R"({"matchers":[{"value":"test_thisrun9"}]})");
  ASSERT_TRUE(created);
  EXPECT_EQ(created->response_body, R"({"id":"s-1"})");
  // The list read with this run's tag finds the one recorded with the old tag, and shows the new.
  std::optional<Exchange> listed =
      replay.Match("GET", "/silences", "filter=run%3D%22test_thisrun9%22", "");
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->response_body, R"([{"id":"s-1","matchers":[{"value":"test_thisrun9"}]}])");
  // A value of another run that nothing taught the replay still finds nothing.
  EXPECT_FALSE(replay.Match("GET", "/silences", "filter=run%3D%22test_unknown77%22", ""));
}

TEST(Replay, ShortDifferingValuesAreNotLearned) {
  Replay replay({Sample("POST", "/items", "", R"({"state":"on"})", "{}"),
                 Sample("GET", "/items", "state=on", "", "[1]")});
  ASSERT_TRUE(replay.Match("POST", "/items", "", R"({"state":"off"})"));
  EXPECT_FALSE(replay.Match("GET", "/items", "state=off", ""));
}

TEST(Replay, LoadingAFolderReadsItsExchangesInNameOrderAndRefusesOneThatIsNot) {
  testing::MemoryFileSystem fs;
  fs.Add("/rec/000002-GET.json", ExchangeToJson(Sample("GET", "/x", "", "", "second")).dump());
  fs.Add("/rec/000001-GET.json", ExchangeToJson(Sample("GET", "/x", "", "", "first")).dump());
  fs.Add("/rec/notes.txt", "not an exchange, not read");
  Result<std::unique_ptr<Replay>> replay = Replay::Load(fs, "/rec");
  ASSERT_TRUE(replay.ok()) << replay.status().message();
  EXPECT_EQ((*replay)->size(), 2u);
  EXPECT_EQ((*replay)->Match("GET", "/x", "", "")->response_body, "first");

  fs.Add("/rec/000003-GET.json", R"({"method": "GET"})");
  Result<std::unique_ptr<Replay>> broken = Replay::Load(fs, "/rec");
  ASSERT_FALSE(broken.ok());
  EXPECT_THAT(broken.status().message(), HasSubstr("000003-GET.json"));
}

}  // namespace
}  // namespace verity::mock
