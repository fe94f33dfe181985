#include "mock/error_answer.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "spec/sample.h"

namespace verity::mock {
namespace {

// How much a member's name says "the error text is here": lower is better, -1 not at all.
int MessageRank(std::string_view key) {
  std::string name = ToLower(key);
  static constexpr std::string_view kExact[] = {
      "message",     "error", "detail", "details", "error_description",
      "description", "msg",   "reason", "title"};
  for (size_t i = 0; i < std::size(kExact); ++i) {
    if (name == kExact[i]) return static_cast<int>(i);
  }
  if (name.find("message") != std::string::npos) return 20;
  if (name.find("error") != std::string::npos) return 21;
  if (name.find("detail") != std::string::npos) return 22;
  return -1;
}

struct Candidate {
  std::string pointer;
  int rank = -1;
  size_t depth = 0;
};

// The string member most like a message, shallowest first among equals; arrays are entered at
// their first item ({"errors": [{"message": …}]}).
void FindMessage(const Json& value, const std::string& pointer, size_t depth, Candidate* best) {
  if (depth > 4) return;
  if (value.is_array() && !value.empty()) {
    std::string item = pointer;
    AppendPointerToken(item, "0");
    FindMessage(value.front(), item, depth + 1, best);
    return;
  }
  if (!value.is_object()) return;
  for (const auto& [key, member] : value.items()) {
    std::string child = pointer;
    AppendPointerToken(child, key);
    int rank = member.is_string() ? MessageRank(key) : -1;
    if (rank >= 0 &&
        (best->rank < 0 || rank < best->rank || (rank == best->rank && depth < best->depth))) {
      *best = {child, rank, depth};
    }
    FindMessage(member, child, depth + 1, best);
  }
}

std::string IssuesText(const std::vector<RequestIssue>& issues) {
  std::vector<std::string> parts;
  for (const RequestIssue& issue : issues) {
    std::string where = issue.location;
    if (!issue.pointer.empty()) where += " " + issue.pointer;
    parts.push_back(fmt::format("{}: {} ({})", where, issue.message, issue.code));
  }
  return Join(parts, "; ");
}

}  // namespace

std::optional<ErrorShape> DocumentedErrorShape(spec::SpecSet& specs, ValidatorPool& validators,
                                               const spec::Operation& operation, int status) {
  const spec::Response* response = operation.FindResponse(status);
  const spec::MediaSchema* media = response ? response->JsonMedia() : nullptr;
  if (!media || !media->schema) return std::nullopt;
  spec::SampleOptions options;
  // Optional members too: a documented `message` is often optional, and it is where the text
  // belongs.
  options.all_properties = true;
  options.max_nodes = 20'000;
  Result<Json> value = spec::SampleValue(specs, media->schema, options);
  if (!value.ok()) return std::nullopt;
  ValidatorPool::Lease validator = validators.Acquire();
  if (!validator->Validate(media->schema, *value).valid()) return std::nullopt;
  ErrorShape shape;
  shape.schema = media->schema;
  shape.body = std::move(value).value();
  Candidate best;
  FindMessage(shape.body, "", 0, &best);
  shape.message_path = best.pointer;
  return shape;
}

Json ErrorAnswerBody(const ErrorShape* shape, ValidatorPool& validators,
                     const std::vector<RequestIssue>& issues) {
  Json errors = Json::array();
  for (const RequestIssue& issue : issues) {
    errors.push_back(Json{{"location", issue.location},
                          {"pointer", issue.pointer},
                          {"code", issue.code},
                          {"message", issue.message}});
  }
  Json listed = Json{{"errors", std::move(errors)}};
  if (!shape) return listed;
  ValidatorPool::Lease validator = validators.Acquire();
  // The list says most, one issue an item: kept whenever the spec allows it.
  if (validator->Validate(shape->schema, listed).valid()) return listed;
  if (shape->message_path.empty()) return shape->body;
  Json body = shape->body;
  body[Json::json_pointer(shape->message_path)] = IssuesText(issues);
  // A documented enum, pattern or maxLength may refuse free text: the prepared body is valid.
  if (!validator->Validate(shape->schema, body).valid()) return shape->body;
  return body;
}

}  // namespace verity::mock
