// The bundled example API (examples/): its specs served by the mock's responder and its two rules
// files decided by the rule engine, without sockets. What `verity demo` and examples/README.md
// promise rests on these: a client created can be read back and listed, the seed document's
// workflow works against the specs, every operation answers what its spec documents, the primary
// refuses payments paths and is flaky and drifted where the example says, and the fallback takes
// staff tokens only.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/file_system.h"
#include "base/strings.h"
#include "mock/responder.h"
#include "mock/rules.h"
#include "spec/catalog.h"
#include "spec/response_check.h"
#include "spec/sample.h"
#include "spec/validate.h"
#include "support/paths.h"

namespace verity::mock {
namespace {

using ::testing::HasSubstr;
using verity::testing::SourcePath;

// The token values the runner and the mocks read from the same variables (any values do).
constexpr const char kStaff[] = "Bearer staff-token-from-the-environment";
constexpr const char kDirectory[] = "Bearer directory-token-from-the-environment";

std::optional<std::string> ExampleEnv(const std::string& name) {
  if (name == "VERITY_EXAMPLE_STAFF_TOKEN") return "staff-token-from-the-environment";
  if (name == "VERITY_EXAMPLE_DIRECTORY_TOKEN") return "directory-token-from-the-environment";
  return std::nullopt;
}

Json ParseOrDie(const std::string& text) {
  Result<Json> json = ParseJson(text);
  EXPECT_TRUE(json.ok()) << text;
  return json.ok() ? std::move(json).value() : Json();
}

// The example's specs, loaded as `verity mock examples/specs/swagger` loads them.
class ExampleApi : public ::testing::Test {
 protected:
  ExampleApi() : catalog_(fs_) {
    EXPECT_TRUE(catalog_.Add(SourcePath("examples/specs/swagger")));
    responder_ = std::make_unique<Responder>(catalog_, ResponderOptions{.seed = 7});
  }

  MockResponse Send(std::string_view method, std::string_view path, std::string_view body = "") {
    return responder_->Respond({.method = method, .path = path, .body = body});
  }

  // The body, after checking that it is what the spec documents for its status.
  Json Conforming(std::string_view method, std::string_view path, const MockResponse& response) {
    const spec::Operation* op = catalog_.Find(method, path);
    EXPECT_NE(nullptr, op) << method << " " << path;
    Json body = ParseOrDie(response.body);
    if (!op) return body;
    spec::ResponseCheck check = spec::CheckResponse(catalog_.specs(), *op, response.status, &body);
    for (const spec::SchemaIssue& issue : check.issues) {
      ADD_FAILURE() << method << " " << path << " " << response.status << ": " << issue.code << " "
                    << issue.instance_path << ": " << issue.message;
    }
    return body;
  }

  PosixFileSystem fs_;
  spec::Catalog catalog_;
  std::unique_ptr<Responder> responder_;
};

TEST_F(ExampleApi, SpecsLoadWithoutProblemsAndEveryOperationHasARoute) {
  for (const spec::CatalogProblem& p : catalog_.problems()) {
    ADD_FAILURE() << p.code << " " << p.location << ": " << p.message;
  }
  std::vector<std::string> keys;
  for (const spec::Operation& op : catalog_.operations()) {
    keys.push_back(op.Key());
    EXPECT_NE(nullptr, responder_->Plan(op.method, op.path)) << op.Key();
  }
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ((std::vector<std::string>{
                "DELETE /platform/v1/clients/{client_id}",
                "GET /business/payments/v1/client_packages/{uid}",
                "GET /business/payments/v1/payments",
                "GET /business/payments/v1/payments/{payment_uid}",
                "GET /business/payments/v1/payouts",
                "GET /platform/v1/clients",
                "GET /platform/v1/clients/{client_id}",
                "GET /platform/v1/payment/packages",
                "GET /platform/v1/payment/packages/{package_id}",
                "POST /business/payments/v1/payments",
                "POST /business/payments/v1/refunds",
                "POST /platform/v1/clients",
                "POST /platform/v1/payment/client_packages",
                "POST /platform/v1/payment/packages",
                "PUT /platform/v1/clients/{client_id}",
            }),
            keys);
  for (const std::string& note : responder_->notes()) ADD_FAILURE() << note;
  // The list answers start from the specs' own examples, so they read like real data.
  EXPECT_TRUE(responder_->Plan("GET", "/platform/v1/clients")->from_example);
  EXPECT_TRUE(responder_->Plan("GET", "/platform/v1/payment/packages")->from_example);
}

TEST_F(ExampleApi, ACreatedClientCanBeReadBackListedUpdatedAndDeleted) {
  MockResponse created = Send("POST", "/platform/v1/clients",
                              R"({"business_id": "example-business", "first_name": "Ada",
                                  "last_name": "Lovelace", "email": "ada@example.com",
                                  "status": "lead", "source": "api_validation"})");
  ASSERT_EQ(201, created.status) << created.body;
  Json client = Conforming("POST", "/platform/v1/clients", created)["data"]["client"];
  std::string id = client.value("id", "");
  EXPECT_THAT(id, ::testing::MatchesRegex("[a-z0-9]{16}"));
  EXPECT_EQ("Ada", client["first_name"]);
  EXPECT_EQ("api_validation", client["source"]);
  EXPECT_FALSE(client.contains("business_id")) << "not a member of Client: the answer drops it";

  std::string item = "/platform/v1/clients/" + id;
  MockResponse read = Send("GET", item);
  ASSERT_EQ(200, read.status) << read.body;
  Json read_client = Conforming("GET", item, read)["data"]["client"];
  EXPECT_EQ(id, read_client["id"]);
  EXPECT_EQ("ada@example.com", read_client["email"]);

  // The list holds the collection's seed items and the new client; `business_id` is no member of
  // a client, so it filters nothing.
  MockResponse list = Send("GET", "/platform/v1/clients?business_id=example-business&per_page=50");
  ASSERT_EQ(200, list.status) << list.body;
  Json clients = Conforming("GET", "/platform/v1/clients", list)["data"]["clients"];
  ASSERT_TRUE(clients.is_array());
  EXPECT_GE(clients.size(), 3u);
  EXPECT_EQ("Dana", clients[0]["first_name"]) << "seed items come from the spec's example";
  bool listed = false;
  for (const Json& c : clients) listed = listed || c["id"] == id;
  EXPECT_TRUE(listed) << list.body;

  // PUT replaces the client: what is sent, over the defaults, under the same id.
  MockResponse updated = Send("PUT", item, R"({"first_name": "Ada", "email": "ada@example.com",
                                               "status": "customer", "tags": ["promoted"]})");
  ASSERT_EQ(200, updated.status) << updated.body;
  Json after = Conforming("PUT", item, updated)["data"]["client"];
  EXPECT_EQ(id, after["id"]);
  EXPECT_EQ("customer", after["status"]);
  EXPECT_EQ(Json::array({"promoted"}), after["tags"]);
  EXPECT_NE("Lovelace", after["last_name"]) << "a field left out is not kept";
  EXPECT_EQ(422, Send("PUT", item, R"({"status": "customer"})").status)
      << "a replacement names first_name and email";
  EXPECT_EQ("customer", Conforming("GET", item, Send("GET", item))["data"]["client"]["status"]);

  MockResponse deleted = Send("DELETE", item);
  EXPECT_EQ(200, deleted.status) << deleted.body;
  Conforming("DELETE", item, deleted);
  MockResponse gone = Send("GET", item);
  EXPECT_EQ(404, gone.status);
  Conforming("GET", item, gone);
  // An id the mock never handed out is not found either: clients are created, not made up.
  EXPECT_EQ(404, Send("GET", "/platform/v1/clients/zzzzzzzzzzzzzzzz").status);
}

TEST_F(ExampleApi, RequestValidationMeansSomething) {
  // A required field missing, an unknown field (the body schema is closed), a bad email.
  MockResponse bad =
      Send("POST", "/platform/v1/clients", R"({"name": "Ada", "email": "not-an-address"})");
  EXPECT_EQ(422, bad.status);
  EXPECT_THAT(bad.body, HasSubstr("/first_name"));
  EXPECT_THAT(bad.body, HasSubstr("/name"));
  EXPECT_THAT(bad.body, HasSubstr("/email"));
  Conforming("POST", "/platform/v1/clients", bad);
  // A filter outside its enum, a page size out of range.
  MockResponse filter = Send("GET", "/platform/v1/clients?status=vip&per_page=500");
  EXPECT_EQ(422, filter.status);
  EXPECT_THAT(filter.body, HasSubstr("\"query\""));
  // A price sent as a string, as a hand-written recipe might.
  MockResponse price = Send("POST", "/platform/v1/payment/packages",
                            R"({"name": "Pkg", "price": "25.0", "currency": "USD"})");
  EXPECT_EQ(422, price.status);
  EXPECT_THAT(price.body, HasSubstr("/price"));
  // Payment uids are UUIDs.
  EXPECT_EQ(422, Send("GET", "/business/payments/v1/payments/not-a-uuid").status);
  MockResponse refund =
      Send("POST", "/business/payments/v1/refunds", R"({"payment_uid": "x", "amount": 0})");
  EXPECT_EQ(422, refund.status);
  EXPECT_THAT(refund.body, HasSubstr("/payment_uid"));
  EXPECT_THAT(refund.body, HasSubstr("/amount"));
}

// The seed document's steps, in order, as the runner sends them to the fallback.
TEST_F(ExampleApi, TheSeedDocumentsWorkflowWorksAgainstTheSpecs) {
  MockResponse clients =
      Send("GET", "/platform/v1/clients?business_id=example-business&per_page=1");
  ASSERT_EQ(200, clients.status);
  std::string client_id = ParseOrDie(clients.body)["data"]["clients"][0]["id"];
  MockResponse packages = Send("GET", "/platform/v1/payment/packages?business_id=example-business");
  ASSERT_EQ(200, packages.status);
  std::string package_id = ParseOrDie(packages.body)["data"]["packages"][0]["id"];

  std::string body = fmt::format(
      R"({{"client_id": "{}", "package_id": "{}", "price": 1, "valid_from": "2026-02-08",
          "valid_until": "2026-03-08"}})",
      client_id, package_id);
  MockResponse created = Send("POST", "/platform/v1/payment/client_packages", body);
  ASSERT_THAT(created.status, ::testing::AnyOf(200, 201)) << created.body;
  Json client_package =
      Conforming("POST", "/platform/v1/payment/client_packages", created)["data"]["client_package"];
  std::string uid = client_package.value("id", "");
  ASSERT_FALSE(uid.empty()) << created.body;
  EXPECT_EQ(client_id, client_package["client_id"]);
  EXPECT_EQ(package_id, client_package["package_id"]);

  std::string path = "/business/payments/v1/client_packages/" + uid;
  MockResponse read = Send("GET", path);
  ASSERT_EQ(200, read.status) << read.body;
  EXPECT_EQ(uid, Conforming("GET", path, read)["data"]["client_package"]["id"]);
}

TEST_F(ExampleApi, APaymentRecordedCanBeReadBackAndRefunded) {
  MockResponse recorded = Send("POST", "/business/payments/v1/payments",
                               R"({"client_id": "9yxsdkr1hdjtocpv", "amount": 40,
                                   "currency": "USD", "payment_method": "cash",
                                   "title": "Example payment"})");
  ASSERT_EQ(201, recorded.status) << recorded.body;
  Json payment = Conforming("POST", "/business/payments/v1/payments", recorded)["data"]["payment"];
  std::string uid = payment.value("uid", "");
  EXPECT_THAT(uid, ::testing::MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                           "[0-9a-f]{12}"));
  EXPECT_EQ(40, payment["amount"]);
  std::string path = "/business/payments/v1/payments/" + uid;
  MockResponse read = Send("GET", path);
  ASSERT_EQ(200, read.status) << read.body;
  EXPECT_EQ(40, Conforming("GET", path, read)["data"]["payment"]["amount"]);
  MockResponse listed = Send("GET", "/business/payments/v1/payments?state=paid&per_page=10");
  ASSERT_EQ(200, listed.status);
  Conforming("GET", "/business/payments/v1/payments", listed);
  MockResponse refund = Send("POST", "/business/payments/v1/refunds",
                             fmt::format(R"({{"payment_uid": "{}", "amount": 20}})", uid));
  ASSERT_EQ(201, refund.status) << refund.body;
  EXPECT_EQ(uid, Conforming("POST", "/business/payments/v1/refunds",
                            refund)["data"]["refund"]["payment_uid"]);
}

// The corpus conformance test's approach on the example: every operation, a request generated from
// its spec, an answer that conforms to the documented success schema and keeps the stored data.
TEST_F(ExampleApi, EveryOperationAnswersWhatItsSpecDocuments) {
  std::vector<const spec::Operation*> order;
  for (const spec::Operation& op : catalog_.operations()) {
    if (op.method != "DELETE") order.push_back(&op);
  }
  for (const spec::Operation& op : catalog_.operations()) {
    if (op.method == "DELETE") order.push_back(&op);
  }
  size_t checked = 0;
  for (const spec::Operation* op : order) {
    SCOPED_TRACE(op->Key());
    const Responder::OperationPlan* plan = responder_->Plan(op->method, op->path);
    ASSERT_NE(nullptr, plan);
    // A delete answers {"success": true}: nothing of the resource to show.
    EXPECT_TRUE(plan->kind == OpKind::kOther || plan->kind == OpKind::kDelete || plan->slot_found)
        << "the stored resource has a place in the answer";
    spec::SampleOptions options;
    options.direction = spec::Direction::kRequest;
    std::string path = op->path;
    for (const spec::Parameter& p : op->parameters) {
      if (p.in != "path") continue;
      Result<Json> value = spec::SampleValue(catalog_.specs(), p.schema, options);
      ASSERT_TRUE(value.ok());
      path.replace(path.find("{" + p.name + "}"), p.name.size() + 2,
                   value->is_string() ? value->get<std::string>() : value->dump());
    }
    if (plan->kind == OpKind::kRead || plan->kind == OpKind::kReplace ||
        plan->kind == OpKind::kMerge || plan->kind == OpKind::kDelete) {
      std::vector<std::string> ids = responder_->IdsBeside(op->method, path);
      if (!ids.empty()) path = path.substr(0, path.rfind('/') + 1) + ids.front();
    }
    std::string body;
    spec::SampleOptions body_options = options;
    body_options.all_properties = true;
    for (const spec::MediaSchema& media : op->request_bodies) {
      if (!media.schema) continue;
      Result<Json> sample = spec::SampleValue(catalog_.specs(), media.schema, body_options);
      ASSERT_TRUE(sample.ok());
      body = sample->dump();
      break;
    }
    uint64_t fallbacks = responder_->template_fallbacks();
    MockResponse response = Send(op->method, path, body);
    EXPECT_EQ(plan->status, response.status) << path << " " << body << " → " << response.body;
    EXPECT_GE(response.status, 200);
    EXPECT_LT(response.status, 300);
    EXPECT_EQ(op, response.operation);
    Conforming(op->method, path, response);
    EXPECT_EQ(fallbacks, responder_->template_fallbacks()) << "stored data lost to the template";
    ++checked;
  }
  EXPECT_EQ(15u, checked);
}

// The rules files, with a fake clock and the example's token variables.
struct Server {
  explicit Server(const std::string& file, EnvLookup env = ExampleEnv) {
    PosixFileSystem fs;
    Result<Rules> rules = LoadRules(fs, SourcePath(file));
    EXPECT_TRUE(rules.ok()) << rules.status().message();
    engine = std::make_unique<RuleEngine>(rules.ok() ? std::move(rules).value() : Rules{}, clock,
                                          EngineOptions{.env = std::move(env)});
  }
  Decision Ask(std::string_view method, std::string_view path, std::string_view authorization) {
    return engine->Decide({.method = method, .path = path, .authorization = authorization});
  }
  int Status(std::string_view method, std::string_view path, std::string_view authorization) {
    Decision d = Ask(method, path, authorization);
    return d.drop_connection ? -1 : d.response ? d.response->status : 0;  // 0: served
  }
  FakeClock clock{1'000'000};
  std::unique_ptr<RuleEngine> engine;
};

TEST(ExampleRules, ThePrimaryRefusesPaymentsAndTakesStaffAndDirectoryElsewhere) {
  Server primary("examples/rules/primary.yaml");
  EXPECT_TRUE(primary.engine->warnings().empty());
  for (const char* auth : {kStaff, kDirectory, "", "Bearer wrong"}) {
    SCOPED_TRACE(auth);
    for (const char* path : {"/business/payments/v1/payments", "/business/payments/v1/refunds",
                             "/business/payments/v1/client_packages/m73jkvg4bf2z71b2"}) {
      Decision d = primary.Ask("GET", path, auth);
      ASSERT_TRUE(d.response) << path;
      EXPECT_EQ(401, d.response->status);
      EXPECT_EQ(R"({"success":false,"error":"Unauthorized"})", d.response->body_text);
    }
    EXPECT_EQ(401, primary.Status("POST", "/business/payments/v1/payments", auth));
  }
  for (const char* auth : {kStaff, kDirectory}) {
    EXPECT_EQ(0, primary.Status("GET", "/platform/v1/clients", auth));
    EXPECT_EQ(0, primary.Status("POST", "/platform/v1/payment/client_packages", auth));
    EXPECT_EQ(0, primary.Status("GET", "/platform/v1/payment/packages?business_id=x", auth));
  }
  for (const char* auth : {"", "Bearer wrong", "Basic ZGVtbzpkZW1v"}) {
    Decision d = primary.Ask("GET", "/platform/v1/clients", auth);
    ASSERT_TRUE(d.response);
    EXPECT_EQ(401, d.response->status);
    EXPECT_EQ(R"({"success":false,"error":"Unauthorized"})", d.response->body_text);
  }
}

TEST(ExampleRules, ThePrimaryAnswersEverySecondClientUpdate503WithRetryAfterZero) {
  Server primary("examples/rules/primary.yaml");
  for (int n = 1; n <= 6; ++n) {
    SCOPED_TRACE(n);
    Decision d = primary.Ask("PUT", fmt::format("/platform/v1/clients/c{}", n), kStaff);
    if (n % 2 == 1) {
      EXPECT_FALSE(d.response);
      continue;
    }
    ASSERT_TRUE(d.response);
    EXPECT_EQ(503, d.response->status);
    EXPECT_THAT(d.response->headers,
                ::testing::Contains(std::pair<std::string, std::string>("Retry-After", "0")));
  }
  // Other methods on the same path are never flaky.
  for (int n = 0; n < 4; ++n) {
    EXPECT_EQ(0, primary.Status("GET", "/platform/v1/clients/c1", kStaff));
    EXPECT_EQ(0, primary.Status("DELETE", "/platform/v1/clients/c1", kStaff));
  }
}

TEST(ExampleRules, ThePrimarysDriftedPackageFailsTheSpecWhereTheExampleSays) {
  Server primary("examples/rules/primary.yaml");
  Decision d = primary.Ask("GET", "/platform/v1/payment/packages/p7k2m9x4q1w8e5r3", kStaff);
  ASSERT_TRUE(d.response);
  EXPECT_EQ(200, d.response->status);
  ASSERT_TRUE(d.response->body);
  // The list next to it is served, with a little latency.
  Decision list = primary.Ask("GET", "/platform/v1/payment/packages", kStaff);
  EXPECT_FALSE(list.response);
  EXPECT_GE(list.latency_ms, 5);
  EXPECT_LE(list.latency_ms, 25);

  PosixFileSystem fs;
  spec::Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add(SourcePath("examples/specs/swagger")));
  const spec::Operation* op = catalog.Find("GET", "/platform/v1/payment/packages/p7k2m9x4q1w8e5r3");
  ASSERT_NE(nullptr, op);
  spec::ResponseCheck check = spec::CheckResponse(catalog.specs(), *op, 200, &*d.response->body);
  std::map<std::string, std::string> errors, warnings;
  for (const spec::SchemaIssue& issue : check.issues) {
    (issue.severity == spec::Severity::kError ? errors : warnings)[issue.instance_path] =
        issue.code;
  }
  EXPECT_EQ(
      (std::map<std::string, std::string>{{"/data/package/currency", "MISSING_REQUIRED_FIELD"},
                                          {"/data/package/price", "TYPE_MISMATCH"}}),
      errors);
  EXPECT_EQ(
      (std::map<std::string, std::string>{{"/data/package/currency_code", "UNDOCUMENTED_FIELD"}}),
      warnings);
}

TEST(ExampleRules, TheFallbackTakesStaffTokensOnly) {
  Server fallback("examples/rules/fallback.yaml");
  EXPECT_TRUE(fallback.engine->warnings().empty());
  for (const char* path :
       {"/business/payments/v1/client_packages/m73jkvg4bf2z71b2", "/business/payments/v1/refunds",
        "/platform/v1/clients", "/platform/v1/payment/packages"}) {
    SCOPED_TRACE(path);
    EXPECT_EQ(0, fallback.Status("GET", path, kStaff));
    EXPECT_EQ(0, fallback.Status("POST", path, "Token token=\"staff-token-from-the-environment\""));
    for (const char* auth : {kDirectory, "", "Bearer wrong"}) {
      Decision d = fallback.Ask("POST", path, auth);
      ASSERT_TRUE(d.response) << auth;
      EXPECT_EQ(401, d.response->status);
      EXPECT_EQ(R"({"success":false,"error":"Unauthorized"})", d.response->body_text);
    }
  }
  // Nothing on the fallback is flaky or drifted.
  for (int n = 0; n < 4; ++n) {
    EXPECT_EQ(0, fallback.Status("PUT", "/platform/v1/clients/c1", kStaff));
    EXPECT_EQ(0, fallback.Status("GET", "/platform/v1/payment/packages/p1", kStaff));
  }
}

TEST(ExampleRules, TokensAreToldApartByTheRunnersVariablesAndNeverByAValueInTheFile) {
  for (const char* file : {"examples/rules/primary.yaml", "examples/rules/fallback.yaml"}) {
    SCOPED_TRACE(file);
    PosixFileSystem fs;
    Result<Rules> rules = LoadRules(fs, SourcePath(file));
    ASSERT_TRUE(rules.ok());
    ASSERT_EQ(2u, rules->tokens.size());
    for (const TokenMapping& mapping : rules->tokens) {
      EXPECT_TRUE(mapping.value.empty() && mapping.prefix.empty());
      EXPECT_EQ(
          mapping.type == "staff" ? "VERITY_EXAMPLE_STAFF_TOKEN" : "VERITY_EXAMPLE_DIRECTORY_TOKEN",
          mapping.env);
    }
    // Without the variables nobody is known: every caller is refused, and the mock says why.
    Server bare(file, [](const std::string&) { return std::nullopt; });
    EXPECT_EQ(2u, bare.engine->warnings().size());
    EXPECT_THAT(bare.engine->warnings()[0], HasSubstr("VERITY_EXAMPLE_STAFF_TOKEN is not set"));
    EXPECT_EQ(401, bare.Status("GET", "/platform/v1/clients", kStaff));
  }
}

}  // namespace
}  // namespace verity::mock
