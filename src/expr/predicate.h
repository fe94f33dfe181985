// Predicates over JSON values: the one engine behind every check Verity makes of a value. A
// recipe's `expect.body` and `expect.headers` compile onto it (run/checks.h), and so do the mock
// rules' conditions on a request (mock/rules.h), so there is one set of operators to learn, test
// and document (docs/workflow-format.md, "Checks"). It depends on nothing but base/, so any other
// language of conditions (Arazzo's success criteria) can compile onto it too.
//
// A predicate is an operator and an operand. It judges a subject: the value a JSONPath selected,
// a header's value, a number of milliseconds, or nothing at all (the path selected nothing, the
// header is absent). Only `exists` and `absent` pass or fail on nothing; every other operator
// fails on nothing and says so.
//
// Equality is JSON equality with one relaxation: numbers compare by value (1 == 1.0). A number
// and a string that spells it are different values, and the message says so, because an API that
// starts sending ids as strings is exactly what a check should catch.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/status.h"

namespace re2 {
class RE2;
}

namespace verity::expr {

enum class PredicateOp : uint8_t {
  kEquals,
  kNotEquals,
  kExists,
  kAbsent,
  kContains,
  kNotContains,
  kMatches,
  kIn,
  kType,
  kCount,
  kLength,
  kLt,
  kLe,
  kGt,
  kGe,
  kIsEmpty,
  kNotEmpty,
};

/// The operator's name as written ("not_equals"); ParsePredicateOp reads it back.
std::string_view PredicateOpName(PredicateOp op);
std::optional<PredicateOp> ParsePredicateOp(std::string_view name);
/// Every operator name, in declaration order (for "did you mean" and the docs).
const std::vector<std::string_view>& PredicateOpNames();

/// The type names `type:` accepts: string, number, integer, boolean, null, array, object.
const std::vector<std::string_view>& JsonTypeNames();

struct Predicate {
  PredicateOp op = PredicateOp::kEquals;
  /// What the subject is compared with. For `exists`/`absent`/`is_empty`/`not_empty`, `true`
  /// (`false` turns the operator round: `exists: false` is `absent`).
  Json operand;
  /// `count` and `length` compare a number: with `operand` itself (`count: 3`), or through one
  /// comparison written as `count: {gt: 0}`, which sets this to kGt and `operand` to 0.
  PredicateOp compare = PredicateOp::kEquals;
  /// `matches`: the compiled pattern, when the operand was known when the predicate was made.
  std::shared_ptr<const re2::RE2> regex;
};

/// Reads one operator entry: `name: operand`. An operand of the wrong type for the operator is an
/// InvalidArgument whose message says what the operator takes ("matches takes a regular
/// expression string, got 3"); so is a pattern RE2 refuses. `operand_is_template` says the operand
/// holds placeholders still to be rendered: its type and pattern are then judged when it is.
Result<Predicate> MakePredicate(std::string_view name, const Json& operand,
                                bool operand_is_template = false);

/// The operand's problem for the operator, or "" when it fits (MakePredicate's check, for an
/// operand rendered at run time).
std::string OperandProblem(const Predicate& predicate);

/// What a check judged and found. `actual` is the subject as JSON text, or "(nothing)"; `expected`
/// the operand as JSON text. Both are cut to about `max_chars` code points after `mask` ran over
/// them, so a secret in either is masked before anything is shown.
struct PredicateResult {
  bool passed = false;
  std::string expected;
  std::string actual;
  /// Why it failed, in words ("expected a number, got the string \"42\""); empty when it passed.
  std::string why;
};

using TextMask = std::function<std::string(std::string_view text)>;

struct PredicateOptions {
  size_t max_chars = 200;
  TextMask mask = {};
  /// How far past the cut a text is serialized before `mask` runs over it: the longest span one
  /// secret can take in it (http::SecretRedactor::max_span()).
  size_t mask_margin = 512;
};

/// Judges `subject` (null: nothing). A `matches` predicate without a compiled pattern compiles its
/// operand here.
PredicateResult Evaluate(const Predicate& predicate, const Json* subject,
                         const PredicateOptions& options = {});

/// Judges the values a path that can select several (a wildcard, a filter, a slice) selected, as
/// one array, exactly as Evaluate would judge that array. `count`, `length`, `is_empty`,
/// `not_empty`, `contains` and `not_contains` read the nodes where they are; the other operators
/// get a copy of them, which a selection of thousands makes costly.
PredicateResult EvaluateSelection(const Predicate& predicate, const std::vector<const Json*>& nodes,
                                  const PredicateOptions& options = {});

/// Judges what a JSONPath selected: a singular path's one value (null `nodes` front: nothing);
/// any other path's values as one array (EvaluateSelection), so `count`, `contains` and
/// `is_empty` see all of them. `exists` and `absent` judge whether anything was selected.
PredicateResult EvaluateSelected(const Predicate& predicate, bool singular,
                                 const std::vector<const Json*>& nodes,
                                 const PredicateOptions& options = {});

/// The JSON text of `value` through `mask`, cut to about `max_chars` code points with "…". Only a
/// bounded prefix of a large value is ever serialized, so showing a 10 MB body costs what a small
/// one does.
std::string BoundedExcerpt(const Json& value, size_t max_chars, const TextMask& mask = {},
                           size_t mask_margin = 512);

}  // namespace verity::expr
