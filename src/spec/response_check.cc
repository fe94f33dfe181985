#include "spec/response_check.h"

#include <algorithm>

namespace verity::spec {

size_t ResponseCheck::error_count() const {
  return static_cast<size_t>(std::count_if(issues.begin(), issues.end(), [](const auto& issue) {
    return issue.severity == Severity::kError;
  }));
}

size_t ResponseCheck::warning_count() const { return issues.size() - error_count(); }

ResponseCheck CheckResponse(SpecSet& specs, const Operation& operation, int status,
                            const Json* body, const std::vector<std::string>& known_issues,
                            const ValidationOptions& options) {
  ResponseCheck check;
  check.status = status;
  check.response = operation.FindResponse(status);
  if (!check.response) {
    std::string documented;
    for (const std::string& code : operation.StatusCodes()) {
      documented += documented.empty() ? code : ", " + code;
    }
    bool error = options.knobs.undocumented_status == FindingLevel::kError;
    check.issues.push_back({kUndocumentedStatus, error ? Severity::kError : Severity::kWarning, "",
                            operation.node.Location() + "/responses",
                            "status " + std::to_string(status) + " is not documented for " +
                                operation.Key() +
                                (documented.empty() ? " (it documents no responses)"
                                                    : " (documented: " + documented + ")") +
                                (error ? "; an error because undocumented_status is error" : ""),
                            error ? kKnobUndocumentedStatus : ""});
  } else {
    check.media = check.response->JsonMedia();
    if (check.media && check.media->schema && body) {
      SchemaValidator validator(specs, options);
      ValidationResult result = validator.Validate(check.media->schema, *body);
      check.body_checked = true;
      check.truncated = result.truncated;
      for (SchemaIssue& issue : result.issues) check.issues.push_back(std::move(issue));
    }
  }
  check.suppressed = SuppressKnownIssues(check.issues, known_issues);
  return check;
}

Json IssuesToJson(const std::vector<SchemaIssue>& issues) {
  Json out = Json::array();
  for (const SchemaIssue& issue : issues) {
    Json item = Json::object();
    item["code"] = issue.code;
    item["severity"] = issue.severity == Severity::kError ? "error" : "warning";
    item["instancePath"] = issue.instance_path;
    item["schemaPath"] = issue.schema_path;
    item["message"] = issue.message;
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace verity::spec
