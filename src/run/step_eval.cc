#include "run/step_eval.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "expr/extract.h"
#include "run/checks.h"
#include "run/classify.h"
#include "run/step_expressions.h"
#include "spec/response_check.h"

namespace verity::run {

namespace {

std::vector<int> ExpectedStatuses(const EvalContext& c) {
  if (!c.step->expect_status.empty()) return c.step->expect_status;
  if (c.is_test_request) return c.document->frontmatter.expected_outcome;
  return {};
}

// The severity is the reason table's (IssueSeverity), as in `spec check`, unless a validation
// knob chose it (the message says which); `downgrade` makes every finding a warning (steps other
// than the test request's).
Issue ToIssue(const spec::SchemaIssue& s, bool downgrade) {
  Issue issue;
  issue.code = s.code;
  std::string_view own = s.severity == spec::Severity::kError ? "error" : "warning";
  issue.severity = downgrade ? "warning" : s.knob.empty() ? IssueSeverity(s.code, own) : own;
  issue.message = s.message;
  issue.pointer = s.instance_path;
  issue.schema_location = s.schema_path;
  return issue;
}

std::string CapText(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  // Cut on a UTF-8 boundary so the record stays valid text.
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut));
}

}  // namespace

std::string ExpectedText(const std::vector<int>& expected) {
  if (expected.empty()) return "2xx";
  std::string out;
  for (int s : expected) out += (out.empty() ? "" : ", ") + std::to_string(s);
  return out;
}

std::string RedactThenCap(std::string_view text, size_t max, bool truncated,
                          const http::SecretRedactor& redactor) {
  // A secret that starts in the part kept ends within max_span() bytes of its start.
  size_t searched = max + redactor.max_span();
  if (text.size() > searched)
    return CapText(redactor.RedactTruncated(text.substr(0, searched)), max);
  return CapText(truncated ? redactor.RedactTruncated(text) : redactor.Redact(text), max);
}

Json RedactJson(const Json& value, const http::SecretRedactor& redactor) {
  if (redactor.empty()) return value;
  if (value.is_string()) return redactor.Redact(value.get<std::string>());
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& item : value) out.push_back(RedactJson(item, redactor));
    return out;
  }
  if (value.is_object()) {
    Json out = Json::object();
    for (const auto& [k, v] : value.items()) out[redactor.Redact(k)] = RedactJson(v, redactor);
    return out;
  }
  return value;
}

RequestRecord RecordRequest(const http::HttpRequest& request, const std::string& base,
                            const http::SecretRedactor& redactor, size_t max_body) {
  RequestRecord r;
  r.method = request.method;
  r.url = redactor.Redact(request.url);
  r.headers = http::MaskHeaders(request.headers, redactor);
  r.body = RedactThenCap(request.body, max_body, false, redactor);
  for (const http::MultipartPart& part : request.multipart) {
    if (part.file_path.empty()) {
      r.multipart_parts.push_back(
          RedactThenCap(part.name + "=" + part.value, part.name.size() + 201, false, redactor));
    } else {
      r.multipart_parts.push_back(
          redactor.Redact(fmt::format("{}=@{}{}", part.name, part.file_path,
                                      part.filename.empty() ? "" : " (" + part.filename + ")")));
    }
  }
  r.base = base;
  return r;
}

ResponseRecord RecordResponse(const http::HttpResponse& response,
                              const http::SecretRedactor& redactor, size_t max_body) {
  ResponseRecord r;
  r.status = response.status;
  r.headers = http::MaskHeaders(response.headers, redactor);
  r.body_bytes = response.body.size();
  r.body_truncated = response.body.size() > max_body || response.truncated;
  r.body = RedactThenCap(response.body, max_body, response.truncated, redactor);
  r.timings = response.timings;
  r.http_version = response.http_version;
  return r;
}

StepVerdict EvaluateOutcome(const EvalContext& c, const http::HttpOutcome& outcome) {
  StepVerdict v;
  if (!outcome.ok()) {
    Classification k = ClassifyTransportError(outcome.error(), c.timeout_ms);
    v.outcome = k.outcome;
    v.reason = k.reason;
    v.message = k.message;
    v.suggestion = k.suggestion;
    return v;
  }
  const http::HttpResponse& response = outcome.response();
  std::vector<int> expected = ExpectedStatuses(c);
  bool status_ok = expected.empty() ? (response.status >= 200 && response.status < 300)
                                    : std::find(expected.begin(), expected.end(),
                                                response.status) != expected.end();
  if (!status_ok) {
    StatusContext sc;
    sc.status = response.status;
    sc.body = response.body;
    if (c.operation) {
      const spec::Response* documented = c.operation->FindResponse(response.status);
      sc.documented = documented && documented->status == std::to_string(response.status);
    }
    sc.on_fallback = c.on_fallback;
    sc.fallback_available = c.fallback_available;
    sc.token_type = c.token_type;
    sc.redactor = c.redactor;
    std::string expected_text = ExpectedText(expected);
    sc.expected = expected_text;
    Classification k = ClassifyStatus(sc);
    v.outcome = k.outcome;
    v.reason = k.reason;
    v.message = k.message;
    v.suggestion = k.suggestion;
    return v;
  }

  // The body, when there is one. A non-JSON body is fine unless something needs to read it.
  std::optional<Json> body;
  if (!response.body.empty()) {
    auto parsed = ParseJson(response.body);
    if (parsed.ok()) body = std::move(*parsed);
  }
  bool reads_body =
      std::any_of(c.step->extract.begin(), c.step->extract.end(), [](const doc::Extract& e) {
        return e.copy_of.empty() && e.header.empty() && e.expression.empty();
      });
  if (!c.step->extract.empty()) {
    if (!body && reads_body) {
      v.outcome = Outcome::kFail;
      v.reason = reason::kInvalidJson;
      v.message = response.body.empty()
                      ? "the response has no body to extract from"
                      : "the response body is not JSON, so nothing can be extracted from it";
      v.suggestion = "check the endpoint returns JSON (Content-Type) for this request";
      return v;
    }
    std::vector<expr::ExtractRule> rules;
    for (const doc::Extract& e : c.step->extract)
      if (e.expression.empty())
        rules.push_back(
            {e.name, e.path, e.optional, e.default_value, e.copy_of, e.header, e.match});
    expr::ExcerptMask mask;
    if (c.redactor) mask = [&](std::string_view text) { return c.redactor->Redact(text); };
    expr::VariableLookup lookup;
    if (c.scope) lookup = [&](std::string_view name) { return c.scope->Lookup(name); };
    expr::HeaderLookup headers = [&](std::string_view name) -> std::optional<std::string> {
      for (const auto& [key, value] : response.headers)
        if (IEquals(key, name)) return value;
      return std::nullopt;
    };
    expr::Extraction extraction =
        expr::Extract(rules, body ? *body : Json(), {}, mask, lookup, headers);
    ExtractExpressions(*c.step,
                       StepExpressions(c.request, &response, body ? &*body : nullptr, c.scope),
                       mask, &extraction);
    v.extracted = std::move(extraction.values);
    for (const std::string& name : extraction.optional_misses) {
      v.issues.push_back({"EXTRACT_OPTIONAL_MISS", "warning",
                          fmt::format("optional variable {} was not found", name)});
    }
    if (!extraction.ok()) {
      const expr::ExtractFailure& first = extraction.failures.front();
      for (const expr::ExtractFailure& f : extraction.failures)
        v.issues.push_back({f.code, "error", f.message});
      v.outcome = Outcome::kFail;
      v.reason = reason::kExtractMiss;
      v.message = first.message;
      v.suggestion =
          "compare the JSONPath with the response excerpt; the API's shape may differ "
          "for this data";
      return v;
    }
  }

  if (!c.step->checks.empty()) {
    CheckContext checks;
    checks.body = body ? &*body : nullptr;
    checks.scope = c.scope;
    checks.extracted = &v.extracted;
    checks.request_body = c.request_body;
    checks.request = c.request;
    checks.redactor = c.redactor;
    checks.step_id = c.step->id;
    v.checks = RunChecks(c.step->checks, response, checks);
    const CheckResult* first_failed = nullptr;
    size_t failed = 0;
    for (const CheckResult& check : v.checks) {
      if (check.passed) continue;
      if (!first_failed) first_failed = &check;
      ++failed;
      v.issues.push_back({std::string(reason::kCheckFailed), "error", CheckFailureMessage(check)});
    }
    if (first_failed) {
      v.outcome = Outcome::kFail;
      v.reason = reason::kCheckFailed;
      v.message = CheckFailureMessage(*first_failed);
      if (failed > 1)
        v.message +=
            fmt::format(" (and {} more failed check{})", failed - 1, failed == 2 ? "" : "s");
      v.suggestion =
          "compare the check with the response; if the API is right, correct the recipe's "
          "expect";
      return v;
    }
  }

  bool non_2xx = response.status < 200 || response.status >= 300;
  if (non_2xx) {
    v.reason = reason::kExpectedOutcome;
    v.message = fmt::format("status {} as the recipe expects", response.status);
  }

  if (!c.specs) return v;
  if (!c.operation) {
    if (c.is_test_request) {
      v.documentation_issues.push_back(
          {std::string(reason::kOperationNotInSpec), "warning",
           fmt::format("{} {} is in no loaded spec", c.step->method, c.step->path)});
    }
    return v;
  }
  std::vector<std::string> known;
  for (const doc::KnownIssue& k : c.document->frontmatter.known_issues) known.push_back(k.path);
  spec::ValidationOptions options;
  options.knobs = c.validation;
  if (c.redactor) options.mask = [&](std::string_view text) { return c.redactor->Redact(text); };
  spec::ResponseCheck check = spec::CheckResponse(*c.specs, *c.operation, response.status,
                                                  body ? &*body : nullptr, known, options);
  bool downgrade = !c.is_test_request;
  const Issue* first_error = nullptr;
  for (const spec::SchemaIssue& s : check.issues) v.issues.push_back(ToIssue(s, downgrade));
  for (const Issue& issue : v.issues) {
    if (issue.severity == "error" && !first_error) first_error = &issue;
  }
  if (first_error) {
    v.reason = first_error->code == reason::kTypeMismatch ||
                       first_error->code == reason::kMissingRequiredField
                   ? first_error->code
                   : std::string(reason::kSchemaMismatch);
    v.outcome = OutcomeFor(v.reason);
    size_t errors = std::count_if(v.issues.begin(), v.issues.end(),
                                  [](const Issue& i) { return i.severity == "error"; });
    v.message = fmt::format(
        "the response does not match the spec ({} issue{}): {} {}", errors, errors == 1 ? "" : "s",
        first_error->pointer.empty() ? "/" : first_error->pointer, first_error->message);
    v.suggestion =
        "fix the spec or the API; if the difference is known, list its path under "
        "knownIssues in the document";
    return v;
  }
  if (c.is_test_request) {
    for (const Issue& issue : v.issues) {
      if (issue.severity == "warning" && issue.code != "EXTRACT_OPTIONAL_MISS")
        v.documentation_issues.push_back(issue);
    }
    if (c.wants_token_documentation && !c.operation->tokens.found && !c.operation->auth.declared) {
      v.documentation_issues.push_back(
          {std::string(reason::kMissingTokenDocumentation), "warning",
           fmt::format("{} does not say which token types it accepts", c.operation->Key())});
    }
  }
  return v;
}

}  // namespace verity::run
