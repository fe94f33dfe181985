// What a document or a step came to, and why. Outcomes are ordered by how much a reader must care
// (PASS < SKIP < WARN < ERROR < FAIL) so a document's outcome is the worst of its steps'. Reason
// codes are stable strings: reports, JUnit files, the dashboard and people's CI greps rely on them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace verity::run {

enum class Outcome {
  kPass,   // did what the recipe says, the response matches the spec
  kSkip,   // not run: skipped status, DELETE disabled, not selected by the shard, ...
  kWarn,   // passed, with documentation issues (undocumented field or status, missing token docs)
  kError,  // a documented non-2xx the recipe did not expect (404 on a resource, 409, ...)
  kFail,   // broken: wrong status, auth, schema, extraction, network, ...
};

/// "PASS", "SKIP", "WARN", "ERROR", "FAIL".
const char* OutcomeName(Outcome outcome);
std::optional<Outcome> ParseOutcome(std::string_view name);
/// The one a reader must care more about.
Outcome Worse(Outcome a, Outcome b);

namespace reason {
// Status and transport.
inline constexpr std::string_view kUnexpectedStatus = "UNEXPECTED_STATUS";
inline constexpr std::string_view kAuthFailed = "AUTH_FAILED";
inline constexpr std::string_view kEndpointNotFound = "ENDPOINT_NOT_FOUND";
inline constexpr std::string_view kResourceNotFound = "RESOURCE_NOT_FOUND";
inline constexpr std::string_view kValidationError = "VALIDATION_ERROR";
inline constexpr std::string_view kConflict = "CONFLICT";
inline constexpr std::string_view kServerError = "SERVER_ERROR";
inline constexpr std::string_view kRateLimited = "RATE_LIMITED";
inline constexpr std::string_view kTimeout = "TIMEOUT";
inline constexpr std::string_view kNetworkError = "NETWORK_ERROR";
inline constexpr std::string_view kTlsError = "TLS_ERROR";
inline constexpr std::string_view kDnsError = "DNS_ERROR";
inline constexpr std::string_view kResponseTooLarge = "RESPONSE_TOO_LARGE";
inline constexpr std::string_view kCancelled = "CANCELLED";
inline constexpr std::string_view kDeadlineExceeded = "DEADLINE_EXCEEDED";
inline constexpr std::string_view kInvalidRequest = "INVALID_REQUEST";
inline constexpr std::string_view kFallbackNotConfigured = "FALLBACK_NOT_CONFIGURED";
// The response's body against the spec.
inline constexpr std::string_view kSchemaMismatch = "SCHEMA_MISMATCH";
inline constexpr std::string_view kMissingRequiredField = "MISSING_REQUIRED_FIELD";
inline constexpr std::string_view kTypeMismatch = "TYPE_MISMATCH";
inline constexpr std::string_view kInvalidJson = "INVALID_JSON";
// The recipe itself.
inline constexpr std::string_view kExtractMiss = "EXTRACT_MISS";
inline constexpr std::string_view kCheckFailed = "CHECK_FAILED";
inline constexpr std::string_view kUnresolvedVariable = "UNRESOLVED_VARIABLE";
inline constexpr std::string_view kTemplateError = "TEMPLATE_ERROR";
inline constexpr std::string_view kMissingToken = "MISSING_TOKEN";
inline constexpr std::string_view kPrerequisiteFailed = "PREREQUISITE_FAILED";
inline constexpr std::string_view kStepFailed = "STEP_FAILED";
inline constexpr std::string_view kDocumentInvalid = "DOCUMENT_INVALID";
inline constexpr std::string_view kNoSteps = "NO_STEPS";
inline constexpr std::string_view kUseNotFound = "USE_NOT_FOUND";
inline constexpr std::string_view kUseCycle = "USE_CYCLE";
// A workflow's action could not be taken: a goto to no step, or gotos that loop.
inline constexpr std::string_view kFlowAction = "FLOW_ACTION";
inline constexpr std::string_view kExpectedOutcome = "EXPECTED_OUTCOME";
// Run-level fixtures (docs/run.md, "Setup and teardown").
inline constexpr std::string_view kSetupFailed = "SETUP_FAILED";
inline constexpr std::string_view kFixtureNotFound = "FIXTURE_NOT_FOUND";
inline constexpr std::string_view kFixtureDocument = "FIXTURE_DOCUMENT";
// Skips.
inline constexpr std::string_view kDeleteDisabled = "DELETE_DISABLED";
inline constexpr std::string_view kStatusSkipped = "STATUS_SKIPPED";
inline constexpr std::string_view kStatusDeprecated = "STATUS_DEPRECATED";
inline constexpr std::string_view kStepSkipped = "STEP_SKIPPED";
inline constexpr std::string_view kNotRun = "NOT_RUN";
inline constexpr std::string_view kDryRun = "DRY_RUN";
// A shared cleanup (doc::Step::shared) runs once, at the end of the run.
inline constexpr std::string_view kCleanupDeferred = "CLEANUP_DEFERRED";
// Requests built from the spec for operations without a recipe (`--all-operations`).
inline constexpr std::string_view kNoProducer = "NO_PRODUCER";
inline constexpr std::string_view kWriteNotAllowed = "WRITE_NOT_ALLOWED";
inline constexpr std::string_view kActionNotNamed = "ACTION_NOT_NAMED";
inline constexpr std::string_view kRequestRejected = "REQUEST_REJECTED";
inline constexpr std::string_view kAuthRefused = "AUTH_REFUSED";
inline constexpr std::string_view kProducerFailed = "PRODUCER_FAILED";
inline constexpr std::string_view kHealExhausted = "HEAL_EXHAUSTED";
// Documentation issues (WARN).
inline constexpr std::string_view kUndocumentedField = "UNDOCUMENTED_FIELD";
inline constexpr std::string_view kUndocumentedStatus = "UNDOCUMENTED_STATUS";
inline constexpr std::string_view kMissingTokenDocumentation = "MISSING_TOKEN_DOCUMENTATION";
inline constexpr std::string_view kOperationNotInSpec = "OPERATION_NOT_IN_SPEC";
inline constexpr std::string_view kBadGatewayFallback = "BAD_GATEWAY_FALLBACK";
inline constexpr std::string_view kCleanupFailed = "CLEANUP_FAILED";
inline constexpr std::string_view kRefUnresolved = "REF_UNRESOLVED";
// Findings of the response check that the run reports as SCHEMA_MISMATCH.
inline constexpr std::string_view kEnumMismatch = "ENUM_MISMATCH";
inline constexpr std::string_view kFormatMismatch = "FORMAT_MISMATCH";
// The knowledge base could not be updated after the document ran (not an outcome: the exit code).
inline constexpr std::string_view kWriteBackFailed = "WRITE_BACK_FAILED";
}  // namespace reason

/// What a reason makes of a step or a document. Most reasons always give one outcome; a refusal
/// about the data (RESOURCE_NOT_FOUND, CONFLICT, VALIDATION_ERROR) is ERROR only when the
/// operation documents the status (the API works as specified, the recipe's situation did not),
/// and PREREQUISITE_FAILED carries the outcome of the prerequisite that failed.
enum class ReasonOutcome {
  kPass,
  kSkip,
  kWarn,
  kError,
  kFail,
  kErrorWhenDocumented,  // ERROR when the operation documents the status, else FAIL
  kOfTheFailedStep,      // the outcome of the step that failed
};

struct ReasonRule {
  std::string_view reason;
  ReasonOutcome outcome;
};

/// The one table of reasons and outcomes that run, scan-fallback, spec check and every report
/// follow; docs/run.md ("Outcomes and reasons") shows the same table with the reasons why.
const std::vector<ReasonRule>& ReasonRules();
/// The rule for `reason`; nullptr for a code the table does not know.
const ReasonRule* FindReasonRule(std::string_view reason);

/// The outcome `reason` gives. `status_documented`: the operation documents the answer's status.
/// `failed_step`: the outcome of the step that failed, for a reason that carries it. A reason the
/// table does not know fails.
Outcome OutcomeFor(std::string_view reason, bool status_documented = false,
                   Outcome failed_step = Outcome::kFail);

/// The severity of a finding about a response ("error" or "warning"): "warning" for a reason
/// whose outcome is WARN, "error" for one that fails; `otherwise` for a code the table does not
/// know.
std::string_view IssueSeverity(std::string_view code, std::string_view otherwise);

}  // namespace verity::run
