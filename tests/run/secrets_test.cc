// What a run records when the API gives the token back, or a recipe derives values from it: the
// executor with a scripted transport, and the recording functions on their own. Each test names
// where a piece of the token used to show.
#include <gtest/gtest.h>

#include "run/classify.h"
#include "run/executor_fixture.h"
#include "run/step_eval.h"
#include "spec/catalog.h"

namespace verity::run::testing {
namespace {

const std::string kToken = "CANARY/tok+7f3e9a1b/2c4d5e6f==";

std::string Doc(const std::string& endpoint, const std::string& steps) {
  return "---\nendpoint: \"" + endpoint +
         "\"\ndomain: test\nstatus: verified\ntokens: [staff]\n---\n\n# Doc\n\n"
         "## Test Request\n\n```yaml\nsteps:\n" +
         steps + "```\n";
}

// Everything a result shows of its steps, as one text.
std::string Shown(const DocumentResult& d) {
  std::string out = d.message + "\n";
  std::function<void(const StepResult&)> step = [&](const StepResult& s) {
    out += s.message + "\n" + s.extracted.dump() + "\n";
    for (const Issue& i : s.issues) out += i.message + "\n";
    if (s.request) {
      out += s.request->url + "\n" + s.request->body + "\n";
      for (const auto& [n, v] : s.request->headers) out += n + ": " + v + "\n";
    }
    if (s.response) {
      out += s.response->body + "\n";
      for (const auto& [n, v] : s.response->headers) out += n + ": " + v + "\n";
    }
    for (const StepResult& n : s.nested) step(n);
  };
  for (const StepResult& s : d.steps) step(s);
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The longest run of the token's characters anywhere in `text`, in any case, must stay under 8
// (masks show at most four).
void ExpectNoPieceOfTheToken(const std::string& text) {
  std::string lower = Lower(text), token = Lower(kToken);
  for (size_t i = 0; i + 8 <= token.size(); ++i) {
    ASSERT_EQ(lower.find(token.substr(i, 8)), std::string::npos)
        << "'" << kToken.substr(i, 8) << "' shows in:\n"
        << text;
  }
}

class SecretsTest : public ExecutorTest {
 protected:
  SecretsTest() {
    settings.tokens["staff"].value = kToken;
    settings.tokens["staff"].scheme = AuthScheme::kBearer;
  }
};

TEST_F(SecretsTest, AnExtractedEchoOfTheTokenIsASecretAndSoIsWhatFiltersMakeOfIt) {
  AddDoc("a.md", Doc("GET /a", R"(  - id: ask
    method: GET
    path: /ask
    expect: {status: 401}
    extract: {msg: "$.error"}
  - id: send_on
    method: POST
    path: "/sent/{{msg | slice: 14:26}}"
    headers: {X-Piece: "{{msg | slice: 16:28}}"}
    body: {piece: "{{msg | slice: 18:30 | upper}}", all: "{{msg}}"}
    extract: {back: "$.piece"}
  - id: from_the_echo_of_a_piece
    method: POST
    path: /again
    body: {less: "{{back | slice: 1:9}}"}
)"));
  transport.Script("GET", "*",
                   Reply(401, R"({"error":"invalid token CANARY\/tok+7f3e9a1b\/2c4d5e6f=="})"));
  transport.Script("POST", "*/sent/*", Reply(200, R"({"piece":"NARY/TOK+7F3E9A1B"})"));
  transport.Script("POST", "*/again", Reply(200));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kPass) << d.message;
  ASSERT_EQ(transport.requests().size(), 3u);
  EXPECT_NE(transport.requests()[1].url.find("CANARY%2Ftok+7"), std::string::npos)
      << "the piece was really sent: " << transport.requests()[1].url;
  EXPECT_NE(transport.requests()[2].body.find("ARY/TOK+"), std::string::npos);
  EXPECT_EQ(d.steps[0].extracted["msg"], "****");
  ExpectNoPieceOfTheToken(Shown(d));
}

TEST_F(SecretsTest, FiltersOfATokenGivenOnTheCommandLineAreMaskedInARunAndADryRun) {
  settings.command_line = {{"seeded", kToken}};
  AddDoc("a.md", Doc("POST /a", R"(  - id: send
    method: POST
    path: "/s/{{seeded | slice: 0:12}}?b={{seeded | base64}}"
    headers: {X-Up: "{{seeded | upper}}", X-Short: "{{seeded | slice: 0:3}}"}
    body: {part: "{{seeded | slice: 4:20}}", enc: "{{seeded | urlencode}}", short: "{{seeded | slice: 0:3}}"}
)"));
  transport.Script("*", "*", Reply(200));
  for (bool dry : {false, true}) {
    if (dry) dry_run = http::DryRunTransport();
    DocumentResult d = Only(RunAll());
    ASSERT_TRUE(d.steps[0].request) << d.message;
    const RequestRecord& r = *d.steps[0].request;
    ExpectNoPieceOfTheToken(Shown(d));
    // A three-character slice is masked where it is a whole value, not inside other text.
    EXPECT_NE(r.body.find(R"("short":"****")"), std::string::npos) << r.body;
    for (const auto& [name, value] : r.headers) {
      if (name == "X-Short") {
        EXPECT_EQ(value, "****");
      }
    }
  }
}

TEST_F(SecretsTest, MessagesQuotingTheAnswerAreMaskedBeforeTheyAreCut) {
  AddDoc("long.md", Doc("GET /long", "  - {id: ask, method: GET, path: /long}\n"));
  AddDoc("excerpt.md", Doc("GET /excerpt", R"(  - id: ask
    method: GET
    path: /excerpt
    extract: {missing: "$.missing"}
)"));
  // 186 characters before the token: the message's cut at 200 falls inside it.
  transport.Script(
      "GET", "*/long",
      Reply(404, Json{{"message", std::string(172, 'x') + "invalid token " + kToken}}.dump()));
  // The excerpt's cut at 160 characters falls inside the token too.
  transport.Script("GET", "*/excerpt",
                   Reply(200, Json{{"pad", std::string(131, 'p')}, {"t", kToken}}.dump()));
  RunResult result = RunAll();
  ASSERT_EQ(result.documents.size(), 2u);
  for (const DocumentResult& d : result.documents) {
    EXPECT_EQ(d.outcome, Outcome::kFail);
    ExpectNoPieceOfTheToken(Shown(d));
  }
}

TEST_F(SecretsTest, TheStartOfAResponseTooLargeToTakeIsRecordedWithTheTokenItCutMasked) {
  AddDoc("big.md", Doc("GET /big", "  - {id: ask, method: GET, path: /big}\n"));
  http::HttpResponse partial;
  partial.status = 200;
  partial.body = std::string(100, 'b') + kToken.substr(0, 16);
  partial.truncated = true;
  transport.Script(
      "*", "*",
      http::TransportError{http::TransportErrorCode::kTooLarge, "too large", 116, partial});
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.reason, "RESPONSE_TOO_LARGE");
  ASSERT_TRUE(d.steps[0].response);
  EXPECT_EQ(d.steps[0].response->body, std::string(100, 'b') + "****");
  EXPECT_TRUE(d.steps[0].response->body_truncated);
}

TEST_F(SecretsTest, SchemaMessagesQuoteTheBodyMaskedBeforeItIsCut) {
  spec::Catalog specs(fs);
  specs.AddText("specs/things.yaml", R"(openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                additionalProperties: false
                properties:
                  id: {type: integer}
                  state: {type: string, enum: [open, closed]}
                  code: {type: string, pattern: "^[0-9]+$"}
)",
                "things");
  catalog = &specs;
  AddDoc("a.md", Doc("GET /things", "  - {id: get, method: GET, path: /things}\n"));
  // Each value puts the token across the 40 (60 for a name) characters a message quotes.
  Json body = {{"id", std::string(25, 'i') + kToken},
               {"state", std::string(25, 's') + kToken},
               {"code", std::string(25, 'c') + kToken},
               {std::string(40, 'k') + kToken, 1}};
  transport.Script("GET", "*", Reply(200, body.dump()));
  DocumentResult d = Only(RunAll());
  EXPECT_EQ(d.outcome, Outcome::kFail);
  EXPECT_GE(d.steps[0].issues.size(), 4u);
  ExpectNoPieceOfTheToken(Shown(d));
}

TEST(RedactThenCap, ACutCannotLeaveThePieceOfASecret) {
  http::SecretRedactor r;
  r.Add(kToken);
  for (size_t before = 0; before < 40; ++before) {
    std::string text = std::string(1000 - before, 'a') + "\"" + kToken + "\" and more";
    std::string kept = RedactThenCap(text, 1000, false, r);
    EXPECT_LE(kept.size(), 1000u);
    ExpectNoPieceOfTheToken(kept);
  }
  // Only the part kept is searched, and a secret that starts in it is masked whole.
  std::string huge = std::string(10 << 20, 'a');
  huge.replace(990, kToken.size(), kToken);
  EXPECT_EQ(RedactThenCap(huge, 1000, false, r), std::string(990, 'a') + "****" + "aaaaaa");
}

TEST(RecordRequest, ABodyCutAtItsCapShowsNoPieceOfTheToken) {
  http::SecretRedactor r;
  r.Add(kToken);
  http::HttpRequest request;
  request.method = "POST";
  request.url = "https://api.test/x";
  request.body = Json{{"pad", std::string(65500, 'p')}, {"t", kToken}}.dump();
  request.multipart = {{.name = "f", .value = std::string(190, 'v') + kToken}};
  RequestRecord record = RecordRequest(request, "primary", r);
  ExpectNoPieceOfTheToken(record.body);
  ExpectNoPieceOfTheToken(record.multipart_parts[0]);
}

TEST(ErrorMessageFromBody, IsMaskedBeforeItIsCut) {
  http::SecretRedactor r;
  r.Add(kToken);
  std::string json = Json{{"error", std::string(190, 'e') + kToken}}.dump();
  std::string text = std::string(110, 't') + kToken + "\nmore";
  ExpectNoPieceOfTheToken(ErrorMessageFromBody(json, &r));
  ExpectNoPieceOfTheToken(ErrorMessageFromBody(text, &r));
  EXPECT_EQ(ErrorMessageFromBody(text, &r), std::string(110, 't') + "****");
}

TEST_F(SecretsTest, ASecretFromTheSecretsSectionIsSentByItsTemplateAndMaskedEverywhere) {
  constexpr const char* kPassword = "login-password-0123456789";
  settings.secrets["login_password"] = kPassword;
  AddDoc("login.md", Doc("POST /login", R"(  - id: login
    method: POST
    path: /login
    body: {user: alice, password: "{{secrets.login_password}}"}
)"));
  transport.Script("POST", "*/login",
                   Reply(401, std::string(R"({"error":"bad password )") + kPassword + R"("})"));
  DocumentResult d = Only(RunAll());
  ASSERT_EQ(1u, transport.requests().size());
  EXPECT_NE(std::string::npos, transport.requests()[0].body.find(kPassword))
      << "the template sent the secret";
  std::string shown = Shown(d);
  EXPECT_EQ(std::string::npos, shown.find("login-password")) << shown;
  EXPECT_NE(std::string::npos, shown.find("alice")) << "a user name may show";
}

}  // namespace
}  // namespace verity::run::testing
