// The status vocabulary: canonical names, and how the variants found in real files map onto them.
#pragma once

#include <optional>
#include <string_view>

#include "doc/model.h"

namespace verity::doc {

const char* StatusName(WorkflowStatus status);
/// Accepts only the canonical names.
std::optional<WorkflowStatus> ParseCanonicalStatus(std::string_view text);
/// Accepts canonical names and known variants (skip, success, pass, working), case-insensitively.
std::optional<WorkflowStatus> ParseStatus(std::string_view text);

const char* SectionKindName(SectionKind kind);
const char* OnFailName(OnFail on_fail);
std::optional<OnFail> ParseOnFail(std::string_view text);

}  // namespace verity::doc
