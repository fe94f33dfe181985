#include "doc/status_vocabulary.h"

#include "base/strings.h"

namespace verity::doc {

const char* StatusName(WorkflowStatus status) {
  switch (status) {
    case WorkflowStatus::kVerified:
      return "verified";
    case WorkflowStatus::kPending:
      return "pending";
    case WorkflowStatus::kFailed:
      return "failed";
    case WorkflowStatus::kSkipped:
      return "skipped";
    case WorkflowStatus::kDeprecated:
      return "deprecated";
  }
  return "pending";
}

std::optional<WorkflowStatus> ParseCanonicalStatus(std::string_view text) {
  for (WorkflowStatus s :
       {WorkflowStatus::kVerified, WorkflowStatus::kPending, WorkflowStatus::kFailed,
        WorkflowStatus::kSkipped, WorkflowStatus::kDeprecated})
    if (text == StatusName(s)) return s;
  return std::nullopt;
}

std::optional<WorkflowStatus> ParseStatus(std::string_view text) {
  std::string t = ToLower(Trim(text));
  if (auto s = ParseCanonicalStatus(t)) return s;
  // Variants found in existing knowledge bases, written by earlier tooling (success, working,
  // skip) and by hand (pass, passed): each says plainly which status it means.
  if (t == "success" || t == "pass" || t == "passed" || t == "working")
    return WorkflowStatus::kVerified;
  if (t == "skip") return WorkflowStatus::kSkipped;
  if (t == "fail" || t == "failing") return WorkflowStatus::kFailed;
  return std::nullopt;
}

const char* SectionKindName(SectionKind kind) {
  switch (kind) {
    case SectionKind::kPrerequisites:
      return "prerequisites";
    case SectionKind::kTestRequest:
      return "test_request";
    case SectionKind::kCleanup:
      return "cleanup";
    case SectionKind::kOther:
      return "other";
  }
  return "other";
}

const char* OnFailName(OnFail on_fail) {
  switch (on_fail) {
    case OnFail::kAbort:
      return "abort";
    case OnFail::kSkip:
      return "skip";
    case OnFail::kContinue:
      return "continue";
  }
  return "abort";
}

std::optional<OnFail> ParseOnFail(std::string_view text) {
  if (text == "abort") return OnFail::kAbort;
  if (text == "skip") return OnFail::kSkip;
  if (text == "continue") return OnFail::kContinue;
  return std::nullopt;
}

}  // namespace verity::doc
