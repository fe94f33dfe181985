#include "expr/jsonpath.h"

#include <exception>

#include "expr/jsonpath_ast.h"
#include "expr/jsonpath_eval.h"
#include "expr/jsonpath_parser.h"

namespace verity::expr {

std::string JsonPathError::ToString() const {
  return "column " + std::to_string(column) + ": " + message;
}

Result<JsonPath> JsonPath::Compile(std::string_view text, const JsonPathOptions& options,
                                   JsonPathError* error) {
  JsonPathError failure;
  try {
    auto query = std::make_shared<jsonpath_detail::Query>();
    if (jsonpath_detail::ParseQuery(text, options, query.get(), &failure)) {
      JsonPath path;
      path.text_ = std::string(text);
      path.query_ = std::move(query);
      return path;
    }
  } catch (const std::exception& e) {
    // Nothing in the parser throws by design; this only turns an allocation failure into a value.
    failure = {std::string("cannot compile: ") + e.what(), 1};
  }
  if (error != nullptr) *error = failure;
  return Status::ParseError(failure.ToString());
}

std::vector<JsonPathNode> JsonPath::Evaluate(const Json& root) const {
  if (!query_) return {};
  try {
    return jsonpath_detail::EvaluateNodes(*query_, root);
  } catch (const std::exception&) {
    return {};
  }
}

std::vector<const Json*> JsonPath::Select(const Json& root) const {
  if (!query_) return {};
  try {
    return jsonpath_detail::EvaluateValues(*query_, root);
  } catch (const std::exception&) {
    return {};
  }
}

std::vector<std::vector<const Json*>> JsonPath::SelectEach(
    const std::vector<const JsonPath*>& paths, const Json& root) {
  std::vector<const jsonpath_detail::Query*> queries;
  queries.reserve(paths.size());
  for (const JsonPath* path : paths) queries.push_back(path->query_.get());
  try {
    return jsonpath_detail::EvaluateValuesTogether(queries, root);
  } catch (const std::exception&) {
    return std::vector<std::vector<const Json*>>(paths.size());
  }
}

Json JsonPath::Values(const Json& root) const {
  Json out = Json::array();
  try {
    for (const Json* v : Select(root)) out.push_back(*v);
  } catch (const std::exception&) {
    return Json::array();
  }
  return out;
}

bool JsonPath::singular() const { return query_ && query_->at_most_one; }

}  // namespace verity::expr
