// Conformance on the real specs: for every operation of every vcita spec that documents a response
// schema for its success status, a schema-valid request gets that status and a body that Verity's
// own validator accepts. Operations that cannot are listed below with the reason.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <set>

#include "base/file_system.h"
#include "base/strings.h"
#include "mock/responder.h"
#include "spec/path_template.h"
#include "spec/sample.h"
#include "spec/validate.h"
#include "support/paths.h"

namespace verity::mock {
namespace {

using verity::testing::SharedPath;

// "METHOD /path" → why the mock cannot answer it conformingly.
const std::map<std::string, std::string>& AllowList() {
  static const std::map<std::string, std::string> kList = {};
  return kList;
}

std::string ParamText(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {
    std::vector<std::string> parts;
    for (const Json& item : value) parts.push_back(ParamText(item));
    return Join(parts, ",");
  }
  return value.dump();
}

std::string Encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

struct Tally {
  size_t operations = 0, checked = 0, passed = 0, allowed = 0, no_schema = 0, shadowed = 0;
  std::vector<std::string> fallbacks;  // answers that lost the stored data to the template
  size_t reads = 0, reads_showing_id = 0;
  std::vector<std::string> failures;
};

// A schema-valid request for `op`, the way a recipe generated from the spec would send it.
struct Request {
  std::string path, body;
};

Request MakeRequest(spec::Catalog& catalog, Responder& responder, const spec::Operation& op) {
  spec::SampleOptions options;
  options.direction = spec::Direction::kRequest;
  Request out;
  out.path = op.path;
  std::string query;
  for (const spec::Parameter& p : op.parameters) {
    if (p.in != "path" && !(p.in == "query" && p.required)) continue;
    Result<Json> value = spec::SampleValue(catalog.specs(), p.schema, options);
    std::string text = value.ok() ? ParamText(*value) : "x";
    if (p.in == "path") {
      size_t at = out.path.find("{" + p.name + "}");
      if (at != std::string::npos) out.path.replace(at, p.name.size() + 2, Encode(text));
    } else {
      query += (query.empty() ? "?" : "&") + Encode(p.name) + "=" + Encode(text);
    }
  }
  // A resource the store holds, for an operation on one: a recipe reads what it created or listed.
  const Responder::OperationPlan* plan = responder.Plan(op.method, out.path);
  if (plan && (plan->kind == OpKind::kRead || plan->kind == OpKind::kReplace ||
               plan->kind == OpKind::kMerge || plan->kind == OpKind::kDelete)) {
    std::vector<std::string> ids = responder.IdsBeside(op.method, out.path);
    size_t slash = out.path.rfind('/');
    if (!ids.empty() && slash != std::string::npos) {
      out.path = out.path.substr(0, slash + 1) + Encode(ids.front());
    }
  }
  out.path += query;
  // Every optional member too: the more of the request the store keeps, the more the answer
  // must reconcile with the response schema.
  spec::SampleOptions body_options = options;
  body_options.all_properties = true;
  for (const spec::MediaSchema& media : op.request_bodies) {
    std::string type = ToLower(media.media_type);
    if (!media.schema || type.find("json") == std::string::npos) continue;
    Result<Json> body = spec::SampleValue(catalog.specs(), media.schema, body_options);
    if (body.ok()) out.body = body->dump();
    break;
  }
  return out;
}

void Check(spec::Catalog& catalog, Responder& responder, const spec::Operation& op, Tally& tally) {
  ++tally.operations;
  const Responder::OperationPlan* plan = responder.Plan(op.method, op.path);
  if (!plan) {
    tally.failures.push_back(op.Key() + ": the responder has no route for it");
    return;
  }
  const spec::Response* documented = op.FindResponse(plan->status);
  const spec::MediaSchema* media = documented ? documented->JsonMedia() : nullptr;
  if (!media || !media->schema) {
    ++tally.no_schema;
    return;
  }
  ++tally.checked;
  Request request = MakeRequest(catalog, responder, op);
  MockRequest mock;
  mock.method = op.method;
  mock.path = request.path;
  mock.body = request.body;
  uint64_t fallbacks_before = responder.template_fallbacks();
  MockResponse response = responder.Respond(mock);
  if (responder.template_fallbacks() != fallbacks_before) tally.fallbacks.push_back(op.Key());
  if (plan->kind == OpKind::kRead && plan->slot_found && response.status == 200) {
    // The id the request named shows in the answer (when the resource has an id member at all).
    std::string id = request.path.substr(request.path.rfind('/') + 1);
    ++tally.reads;
    if (response.body.find("\"" + id + "\"") != std::string::npos ||
        response.body.find(":" + id + ",") != std::string::npos ||
        response.body.find(":" + id + "}") != std::string::npos) {
      ++tally.reads_showing_id;
    } else {
      std::cout << "    read without its id: " << op.Key() << " slot '" << plan->slot << "' "
                << request.path << " " << Abbreviate(response.body, 300) << "\n";
    }
  }
  if (response.operation && response.operation != &op &&
      spec::PathTemplate::Parse(response.operation->path).Shape() ==
          spec::PathTemplate::Parse(op.path).Shape()) {
    // Two files of the folder document the same endpoint; the mock serves the first one's.
    ++tally.shadowed;
    --tally.checked;
    return;
  }
  std::string problem;
  if (response.status != plan->status) {
    problem = fmt::format("status {} (expected {}): {}", response.status, plan->status,
                          Abbreviate(response.body, 400));
  } else {
    Result<Json> body = ParseJson(response.body);
    if (!body.ok()) {
      problem = "body is not JSON: " + body.status().message();
    } else {
      spec::SchemaValidator validator(catalog.specs());
      spec::ValidationResult result = validator.Validate(media->schema, *body);
      for (const spec::SchemaIssue& issue : result.issues) {
        if (issue.severity != spec::Severity::kError) continue;
        problem += fmt::format("\n    {} {}: {}", issue.code, issue.instance_path, issue.message);
      }
    }
  }
  auto allowed = AllowList().find(op.Key());
  if (problem.empty()) {
    ++tally.passed;
    if (allowed != AllowList().end()) {
      tally.failures.push_back(op.Key() + ": passes now; remove it from the allow-list");
    }
  } else if (allowed != AllowList().end()) {
    ++tally.allowed;
  } else {
    tally.failures.push_back(fmt::format("{} [{}, slot '{}', {}] {} {}", op.Key(),
                                         OpKindName(plan->kind), plan->slot,
                                         op.file ? op.file->path : "", request.path, problem));
  }
}

TEST(MockResponderCorpus, EveryVcitaOperationAnswersWhatItsSpecDocuments) {
  PosixFileSystem fs;
  Tally total;
  for (const char* folder : {"corpus/vcita/swagger", "corpus/vcita/mcp_swagger"}) {
    spec::Catalog catalog(fs);
    ASSERT_TRUE(catalog.Add(SharedPath(folder))) << folder;
    Responder responder(catalog);
    for (const std::string& note : responder.notes()) std::cout << "  note: " << note << "\n";
    // Deletions last, so that the resources other operations use are still there.
    std::vector<const spec::Operation*> order;
    for (const spec::Operation& op : catalog.operations()) {
      if (op.method != "DELETE") order.push_back(&op);
    }
    for (const spec::Operation& op : catalog.operations()) {
      if (op.method == "DELETE") order.push_back(&op);
    }
    Tally tally;
    for (const spec::Operation* op : order) Check(catalog, responder, *op, tally);
    std::cout << fmt::format(
        "{}: {} operations, {} without a success response schema, {} served by another file's "
        "operation; {} checked: {} conform, {} allow-listed, {} fail\n",
        folder, tally.operations, tally.no_schema, tally.shadowed, tally.checked, tally.passed,
        tally.allowed, tally.failures.size());
    std::cout << fmt::format(
        "  reads with a slot: {}, showing the requested id: {}; answers that "
        "fell back to the template: {}\n",
        tally.reads, tally.reads_showing_id, tally.fallbacks.size());
    for (const std::string& key : tally.fallbacks) std::cout << "    fell back: " << key << "\n";
    total.operations += tally.operations;
    total.checked += tally.checked;
    total.passed += tally.passed;
    total.allowed += tally.allowed;
    total.failures.insert(total.failures.end(), tally.failures.begin(), tally.failures.end());
    total.fallbacks.insert(total.fallbacks.end(), tally.fallbacks.begin(), tally.fallbacks.end());
  }
  std::cout << fmt::format("all: {} operations, {} checked, {} conform, {} allow-listed\n",
                           total.operations, total.checked, total.passed, total.allowed);
  RecordProperty("checked", static_cast<int>(total.checked));
  RecordProperty("passed", static_cast<int>(total.passed));
  EXPECT_GT(total.checked, 450u);
  EXPECT_TRUE(total.fallbacks.empty())
      << "stored data lost to the template: " << Join(total.fallbacks, ", ");  // 476 on 2026-11-24
  for (const std::string& failure : total.failures) ADD_FAILURE() << failure;
}

}  // namespace
}  // namespace verity::mock
