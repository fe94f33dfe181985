// What a knowledge base's verified recipes show of the real API's answers, for `verity mock --kb`
// (docs/mock.md, "Answers the knowledge base has seen"). A recipe that passed against the real API
// extracted its values where the real answers hold them: `$.uid` of a create whose spec wraps the
// resource in `data.coupon`, `$.data.staffs[0].id` of a list the spec names `staff`. Where the spec
// and the API disagree so, the recipe is the better witness of the API, and a mock standing in for
// the API should answer where the recipe looks, beside the spec's own shape.
//
// Only extracts that name one place are taken (members and indices: `$.data.items[0].id`,
// `$['a-b']`), from the steps of verified documents that expect a 2xx answer (or say nothing).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/json.h"
#include "doc/model.h"

namespace verity::mock {

/// One place a verified recipe read a value from an operation's answer.
struct AnswerHint {
  std::string method;    // upper case
  std::string path;      // the step's path, `{{…}}` placeholders and all, without a query
  std::string jsonpath;  // as written
  std::string where;     // "file:line", for notes
};

/// The hints of the verified documents among `documents`.
std::vector<AnswerHint> AnswerHintsOf(const std::vector<doc::Document>& documents);

/// A JSONPath that names one place: member names and array indices from the root.
struct HintPath {
  std::vector<std::variant<std::string, size_t>> segments;
};
/// Nullopt for any other JSONPath (wildcards, filters, slices, functions, negative indices).
std::optional<HintPath> ParseHintPath(std::string_view jsonpath);

/// Makes `path` hold a value in `answer` when it holds none yet, from what the answer already
/// holds: where the path runs through a list (`$.data.staffs[0].id`), that list is the answer's
/// list at `list_pointer` (a JSON Pointer; empty when the answer has none), copied to the
/// path's place; else the value is the first member of the answer named as the path's last one
/// (`$.uid` takes `data.coupon.uid`). Nothing changes when neither gives a value or a member on
/// the way is not an object, and nothing the answer holds is replaced. Returns whether `answer`
/// changed.
bool Materialize(Json& answer, const HintPath& path, std::string_view list_pointer);

}  // namespace verity::mock
