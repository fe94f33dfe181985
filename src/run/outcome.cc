#include "run/outcome.h"

#include <array>

namespace verity::run {

namespace {
constexpr std::array<const char*, 5> kNames = {"PASS", "SKIP", "WARN", "ERROR", "FAIL"};
}  // namespace

const char* OutcomeName(Outcome outcome) { return kNames[static_cast<size_t>(outcome)]; }

std::optional<Outcome> ParseOutcome(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (name == kNames[i]) return static_cast<Outcome>(i);
  }
  return std::nullopt;
}

Outcome Worse(Outcome a, Outcome b) { return static_cast<int>(a) >= static_cast<int>(b) ? a : b; }

const std::vector<ReasonRule>& ReasonRules() {
  using R = ReasonOutcome;
  namespace r = reason;
  static const std::vector<ReasonRule> kRules = {
      // Passed: the recipe got the non-2xx answer it expects.
      {r::kExpectedOutcome, R::kPass},
      // Passed, with something to document: the spec or the recipe, not the API, needs a change.
      {r::kUndocumentedField, R::kWarn},
      {r::kUndocumentedStatus, R::kWarn},
      {r::kRefUnresolved, R::kWarn},
      {r::kMissingTokenDocumentation, R::kWarn},
      {r::kOperationNotInSpec, R::kWarn},
      {r::kBadGatewayFallback, R::kWarn},
      {r::kCleanupFailed, R::kWarn},
      // The API refused the recipe's data in a way its spec documents.
      {r::kResourceNotFound, R::kErrorWhenDocumented},
      {r::kConflict, R::kErrorWhenDocumented},
      {r::kValidationError, R::kErrorWhenDocumented},
      // Broken: the API, the environment or the recipe.
      {r::kUnexpectedStatus, R::kFail},
      {r::kAuthFailed, R::kFail},
      {r::kEndpointNotFound, R::kFail},
      {r::kServerError, R::kFail},
      {r::kRateLimited, R::kFail},
      {r::kTimeout, R::kFail},
      {r::kNetworkError, R::kFail},
      {r::kTlsError, R::kFail},
      {r::kDnsError, R::kFail},
      {r::kResponseTooLarge, R::kFail},
      {r::kCancelled, R::kFail},
      {r::kDeadlineExceeded, R::kFail},
      {r::kInvalidRequest, R::kFail},
      {r::kFallbackNotConfigured, R::kFail},
      {r::kSchemaMismatch, R::kFail},
      {r::kMissingRequiredField, R::kFail},
      {r::kTypeMismatch, R::kFail},
      {r::kEnumMismatch, R::kFail},
      {r::kFormatMismatch, R::kFail},
      {r::kInvalidJson, R::kFail},
      {r::kExtractMiss, R::kFail},
      {r::kCheckFailed, R::kFail},
      {r::kUnresolvedVariable, R::kFail},
      {r::kTemplateError, R::kFail},
      {r::kMissingToken, R::kFail},
      {r::kStepFailed, R::kFail},
      {r::kDocumentInvalid, R::kFail},
      {r::kUseNotFound, R::kFail},
      {r::kUseCycle, R::kFail},
      {r::kFlowAction, R::kFail},
      {r::kFixtureNotFound, R::kFail},
      {r::kPrerequisiteFailed, R::kOfTheFailedStep},
      // A request built from the spec that could not be made to pass.
      {r::kRequestRejected, R::kErrorWhenDocumented},
      {r::kAuthRefused, R::kFail},
      {r::kProducerFailed, R::kOfTheFailedStep},
      {r::kHealExhausted, R::kOfTheFailedStep},
      // Not run.
      {r::kStatusSkipped, R::kSkip},
      {r::kStatusDeprecated, R::kSkip},
      {r::kNoSteps, R::kSkip},
      {r::kDeleteDisabled, R::kSkip},
      {r::kStepSkipped, R::kSkip},
      {r::kNotRun, R::kSkip},
      {r::kDryRun, R::kSkip},
      {r::kCleanupDeferred, R::kSkip},
      {r::kSetupFailed, R::kSkip},
      {r::kFixtureDocument, R::kSkip},
      {r::kNoProducer, R::kSkip},
      {r::kWriteNotAllowed, R::kSkip},
      {r::kActionNotNamed, R::kSkip},
  };
  return kRules;
}

const ReasonRule* FindReasonRule(std::string_view reason) {
  for (const ReasonRule& rule : ReasonRules()) {
    if (rule.reason == reason) return &rule;
  }
  return nullptr;
}

Outcome OutcomeFor(std::string_view reason, bool status_documented, Outcome failed_step) {
  const ReasonRule* rule = FindReasonRule(reason);
  if (!rule) return Outcome::kFail;
  switch (rule->outcome) {
    case ReasonOutcome::kPass:
      return Outcome::kPass;
    case ReasonOutcome::kSkip:
      return Outcome::kSkip;
    case ReasonOutcome::kWarn:
      return Outcome::kWarn;
    case ReasonOutcome::kError:
      return Outcome::kError;
    case ReasonOutcome::kFail:
      return Outcome::kFail;
    case ReasonOutcome::kErrorWhenDocumented:
      return status_documented ? Outcome::kError : Outcome::kFail;
    case ReasonOutcome::kOfTheFailedStep:
      return failed_step;
  }
  return Outcome::kFail;
}

std::string_view IssueSeverity(std::string_view code, std::string_view otherwise) {
  const ReasonRule* rule = FindReasonRule(code);
  if (!rule) return otherwise;
  return rule->outcome == ReasonOutcome::kWarn ? "warning" : "error";
}

}  // namespace verity::run
