#include "valijson_compare.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>
#include <vector>

namespace verity::bench {
namespace {

using Clock = std::chrono::steady_clock;

// valijson's adapter reads nlohmann::json, not the ordered variant Verity parses into.
nlohmann::json Plain(const Json& v) {
  switch (v.type()) {
    case Json::value_t::object: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& [key, member] : v.items()) out[key] = Plain(member);
      return out;
    }
    case Json::value_t::array: {
      nlohmann::json out = nlohmann::json::array();
      for (const Json& item : v) out.push_back(Plain(item));
      return out;
    }
    case Json::value_t::string:
      return v.get<std::string>();
    case Json::value_t::boolean:
      return v.get<bool>();
    case Json::value_t::number_integer:
      return v.get<int64_t>();
    case Json::value_t::number_unsigned:
      return v.get<uint64_t>();
    case Json::value_t::number_float:
      return v.get<double>();
    default:
      return nullptr;
  }
}

// OpenAPI 3.0 → JSON Schema draft 4: `nullable: true` is not a JSON Schema keyword, so without
// this every null GitHub returns would fail. Everything else valijson either knows or ignores.
nlohmann::json Translate(const Json& v) {
  if (v.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const Json& item : v) out.push_back(Translate(item));
    return out;
  }
  if (!v.is_object()) return Plain(v);
  nlohmann::json out = nlohmann::json::object();
  bool nullable = false;
  for (const auto& [key, member] : v.items()) {
    if (key == "nullable" && member.is_boolean()) {
      nullable = member.get<bool>();
      continue;
    }
    out[key] = Translate(member);
  }
  if (!nullable) return out;
  if (out.contains("$ref") || !out.contains("type")) {
    // Draft 4 ignores the siblings of $ref, and a schema without `type` has nothing to widen.
    return nlohmann::json{{"anyOf", nlohmann::json::array({out, {{"type", "null"}}})}};
  }
  nlohmann::json& type = out["type"];
  if (type.is_string())
    type = nlohmann::json::array({type, "null"});
  else if (type.is_array())
    type.push_back("null");
  if (out.contains("enum") && out["enum"].is_array()) out["enum"].push_back(nullptr);
  return out;
}

}  // namespace

ValijsonRun RunValijson(const Json& document, const std::string& schema_pointer, const Json& body,
                        int repeat) {
  ValijsonRun run;
  try {
    auto t0 = Clock::now();
    nlohmann::json root = Translate(document);
    // The body's schema by reference, so that every $ref inside it resolves in the document.
    root["$ref"] = "#" + schema_pointer;
    valijson::Schema schema;
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft4);
    valijson::adapters::NlohmannJsonAdapter schema_adapter(root);
    parser.populateSchema(schema_adapter, schema);
    run.prepare_seconds = std::chrono::duration<double>(Clock::now() - t0).count();

    nlohmann::json plain = Plain(body);
    valijson::adapters::NlohmannJsonAdapter target(plain);
    std::vector<double> times;
    for (int i = 0; i < repeat; ++i) {
      valijson::Validator validator;
      auto start = Clock::now();
      run.valid = validator.validate(schema, target, nullptr);
      times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    run.median_seconds = times[times.size() / 2];
    if (!run.valid) {
      valijson::Validator validator;
      valijson::ValidationResults results;
      validator.validate(schema, target, &results);
      valijson::ValidationResults::Error error;
      if (results.popError(error)) {
        std::string where;
        for (const std::string& part : error.context) where += part;
        run.first_error = where + ": " + error.description;
      }
    }
  } catch (const std::exception& e) {
    run.error = e.what();
  }
  return run;
}

}  // namespace verity::bench
