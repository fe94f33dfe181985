// The body checks a draft carries (docs/workflow-format.md, "Checks"): what the run that passed
// showed its answer holds, written so that it holds on every run, not only on that one.
// - A list read (`GET` of a collection) whose answer held items: the list is not empty.
// - A read of an item whose id came from a producer, whose answer holds that id: it equals
//   `{{variable}}`.
// - A write (`POST`, `PUT`, `PATCH`) whose answer echoed members of the JSON body sent (at its
//   root, or in one member wrapping them: `{"client": {…}}`), at the answer's root or inside a
//   wrapper (`$.data.client`): each equals `{{request.body.<member>}}` (or
//   `{{request.body.client.<member>}}`), so a fresh `{{unique_id}}` value still matches.
// A value is only ever compared with a template, never with what one run saw, so a timestamp or
// a generated id cannot make a draft fail later; a member whose name or value is a credential is
// left out. A run proves the checks once more before a draft keeps them (derive/drafts.h).
#pragma once

#include <string>
#include <vector>

#include "base/json.h"
#include "run/result.h"

namespace verity::derive {

/// One `expect.body` item of the list form: `{path: <path>, <op>: <operand>}`.
struct DraftCheck {
  std::string path;  // JSONPath into the answer
  std::string op;    // "not_empty" or "equals"
  Json operand;      // true, or a template ("{{request.body.name}}", "{{client_id}}")
};

/// At most this many checks per draft: a few that mean something, not the whole answer.
inline constexpr size_t kMaxDraftChecks = 5;

/// The checks the test request of `result` (a document that passed) can carry; none when its
/// answer was not JSON, was cut, or showed nothing the rules above recognise.
std::vector<DraftCheck> ChecksFromResult(const run::DocumentResult& result);

/// `text` (a recipe as derive/recipe_text.cc writes it) with `checks` under its test request's
/// `expect`, beside `status`. Unchanged when `checks` is empty or the text has no such `expect`.
std::string WithChecks(const std::string& text, const std::vector<DraftCheck>& checks);

/// "body $.data.clients not_empty true": one check for a person to read.
std::string Describe(const DraftCheck& check);

}  // namespace verity::derive
