// The document model as JSON: what `verity kb show --json` prints and what agents consume.
#pragma once

#include "base/json.h"
#include "doc/model.h"

namespace verity::doc {

Json PosToJson(SourcePos pos);
Json StepToJson(const Step& step, const Document& doc);
Json DocumentToJson(const Document& doc);

}  // namespace verity::doc
