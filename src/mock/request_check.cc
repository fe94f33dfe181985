#include "mock/request_check.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <optional>

#include "base/strings.h"

namespace verity::mock {
namespace {

const spec::MediaSchema* JsonBody(const std::vector<spec::MediaSchema>& bodies) {
  const spec::MediaSchema* fallback = nullptr;
  for (const spec::MediaSchema& media : bodies) {
    std::string type = ToLower(media.media_type.substr(0, media.media_type.find(';')));
    if (type == "application/json") return &media;
    if (!fallback && (EndsWith(type, "+json") || type == "*/*" || type == "application/*")) {
      fallback = &media;
    }
  }
  return fallback;
}

// The schema's own type, looking one level into a composition ("allOf: [{$ref}]") since
// parameters are often written that way.
std::string TypeOf(spec::SpecSet& specs, const spec::SchemaRef& schema, int depth = 0) {
  if (!schema || depth > 4) return "";
  Result<spec::SchemaRef> followed = specs.Follow(schema);
  if (!followed.ok() || !followed->node->is_object()) return "";
  const Json& node = *followed->node;
  if (auto it = node.find("type"); it != node.end()) {
    if (it->is_string()) return it->get<std::string>();
    if (it->is_array()) {
      for (const Json& t : *it) {
        if (t.is_string() && t != "null") return t.get<std::string>();
      }
    }
  }
  for (const char* key : {"allOf", "oneOf", "anyOf"}) {
    spec::SchemaRef branches = followed->Child(key);
    if (!branches || !branches->is_array()) continue;
    for (size_t i = 0; i < branches->size(); ++i) {
      std::string type = TypeOf(specs, branches.Item(i), depth + 1);
      if (!type.empty()) return type;
    }
  }
  return "";
}

RequestIssue FromSchemaIssue(std::string location, std::string prefix,
                             const spec::SchemaIssue& issue) {
  return RequestIssue{std::move(location), prefix + issue.instance_path, issue.code, issue.message};
}

}  // namespace

RequestShape ReadRequestShape(const spec::Operation& operation) {
  RequestShape shape;
  if (const spec::MediaSchema* body = JsonBody(operation.request_bodies)) {
    shape.body_schema = body->schema;
    shape.body_required = operation.request_body_required && body->schema;
  }
  for (const spec::Parameter& p : operation.parameters) {
    if (p.in != "path" && p.in != "query") continue;
    shape.params.push_back(
        ParamSpec{p.name, p.in == "path", p.required || p.in == "path", p.schema});
  }
  return shape;
}

Json CoerceParameter(spec::SpecSet& specs, const spec::SchemaRef& schema, std::string_view text) {
  std::string type = TypeOf(specs, schema);
  if (type == "integer") {
    int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc() && end == text.data() + text.size()) return value;
  } else if (type == "number") {
    std::string copy(text);
    char* end = nullptr;
    double value = std::strtod(copy.c_str(), &end);
    if (!copy.empty() && end == copy.c_str() + copy.size()) return value;
  } else if (type == "boolean") {
    if (text == "true") return true;
    if (text == "false") return false;
  } else if (type == "array") {
    Result<spec::SchemaRef> followed = specs.Follow(schema);
    spec::SchemaRef items = followed.ok() ? followed->Child("items") : spec::SchemaRef{};
    Json out = Json::array();
    for (std::string_view part : Split(text, ','))
      out.push_back(CoerceParameter(specs, items, part));
    return out;
  }
  return std::string(text);
}

CheckedRequest CheckRequest(spec::SpecSet& specs, ValidatorPool& validators,
                            const RequestShape& shape,
                            const std::vector<std::pair<std::string, std::string>>& path_values,
                            const std::vector<std::pair<std::string, std::string>>& query,
                            std::string_view body) {
  CheckedRequest out;
  std::optional<ValidatorPool::Lease> validator;
  auto validate = [&](const spec::SchemaRef& schema, const Json& value) {
    if (!validator) validator.emplace(validators.Acquire());
    return (*validator)->Validate(schema, value);
  };
  for (const ParamSpec& param : shape.params) {
    const auto& values = param.in_path ? path_values : query;
    const std::string* text = nullptr;
    for (const auto& [name, value] : values) {
      if (name == param.name) {
        text = &value;
        break;
      }
    }
    std::string location = param.in_path ? "path" : "query";
    std::string pointer = "/" + spec::PointerToken(param.name);
    if (!text) {
      // A path placeholder the catalog names differently from its parameter is still filled.
      if (param.required && !param.in_path) {
        out.issues.push_back(
            RequestIssue{location, pointer, spec::kMissingRequiredField,
                         fmt::format("required parameter '{}' is missing", param.name)});
      }
      continue;
    }
    if (!param.schema) continue;
    Json value = CoerceParameter(specs, param.schema, *text);
    for (const spec::SchemaIssue& issue : validate(param.schema, value).issues) {
      if (issue.severity != spec::Severity::kError) continue;
      out.issues.push_back(FromSchemaIssue(location, pointer, issue));
    }
  }
  if (!Trim(body).empty()) {
    Result<Json> parsed = ParseJson(body);
    if (!parsed.ok()) {
      if (shape.body_schema) {
        out.issues.push_back(RequestIssue{"body", "", "INVALID_JSON",
                                          "the body is not JSON: " + parsed.status().message()});
      }
      return out;
    }
    out.body = std::move(parsed).value();
  }
  if (!shape.body_schema) return out;
  if (out.body.is_null()) {
    if (shape.body_required) {
      out.issues.push_back(
          RequestIssue{"body", "", spec::kMissingRequiredField, "a JSON request body is required"});
    }
    return out;
  }
  for (const spec::SchemaIssue& issue : validate(shape.body_schema, out.body).issues) {
    if (issue.severity != spec::Severity::kError) continue;
    out.issues.push_back(FromSchemaIssue("body", "", issue));
  }
  return out;
}

std::string DriftLine(std::string_view operation, const RequestIssue& issue) {
  return fmt::format("{} request {} {}: {} [{}]", operation, issue.location, issue.pointer,
                     issue.message, issue.code);
}

}  // namespace verity::mock
