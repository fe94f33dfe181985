// The compiled form of a JSONPath query. The parser builds it once; evaluation only reads it, so
// one compiled query may be evaluated from several threads at the same time.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "expr/jsonpath_iregexp.h"

namespace verity::expr::jsonpath_detail {

/// The largest magnitude of an index, slice bound or step (I-JSON exact integers, RFC 9535 §2.1).
inline constexpr int64_t kMaxExactInteger = (int64_t{1} << 53) - 1;

enum class FunctionId : uint8_t { kLength, kCount, kMatch, kSearch, kValue };
enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

struct Expr;

/// Where a name selector last found its member. The objects of one list nearly always list their
/// members in the same order, and a JSON object here is a vector searched from the front, so a
/// filter such as `@.status == 'lead'` over 20 000 clients of 14 members would compare ~7 keys
/// per client; trying the remembered slot first compares one. A hint, never an answer: a miss
/// falls back to the search. Relaxed atomics keep a compiled query safe to evaluate from several
/// threads at once (they may overwrite each other's hint, which costs only a search).
class MemberSlotHint {
 public:
  MemberSlotHint() = default;
  MemberSlotHint(const MemberSlotHint& other) : slot_(other.get()) {}
  MemberSlotHint& operator=(const MemberSlotHint& other) {
    set(other.get());
    return *this;
  }
  uint32_t get() const { return slot_.load(std::memory_order_relaxed); }
  void set(uint32_t slot) const { slot_.store(slot, std::memory_order_relaxed); }

 private:
  mutable std::atomic<uint32_t> slot_{0};
};

struct Selector {
  enum class Kind : uint8_t { kName, kWildcard, kIndex, kSlice, kFilter };
  Kind kind = Kind::kName;
  std::string name;                   // kName
  MemberSlotHint slot;                // kName
  int64_t index = 0;                  // kIndex
  std::optional<int64_t> start, end;  // kSlice
  int64_t step = 1;                   // kSlice
  std::unique_ptr<Expr> filter;       // kFilter
};

struct Segment {
  bool descendant = false;
  std::vector<Selector> selectors;
  /// Legacy `[?(…)][N]`: N picks one node of this segment's whole output instead of indexing
  /// into each match (docs/jsonpath.md, "Legacy forms").
  std::optional<int64_t> pick;
};

struct PathQuery {
  bool absolute = true;  // `$` rather than `@`
  std::vector<Segment> segments;
  /// Every segment is a lone name or index child selector (RFC 9535 §2.3.5.1), so evaluation can
  /// walk straight down without building nodelists.
  bool singular = true;
};

struct Expr {
  enum class Kind : uint8_t {
    kOr,        // operands: two or more logical expressions
    kAnd,       // operands: two or more logical expressions
    kNot,       // operands: one logical expression
    kCompare,   // operands: two comparables; `op`
    kQuery,     // `query`: an existence test, a comparable (when singular) or a function argument
    kLiteral,   // `literal`
    kFunction,  // `function` applied to `operands`
  };
  Kind kind = Kind::kLiteral;
  CompareOp op = CompareOp::kEq;
  FunctionId function = FunctionId::kLength;
  /// Written as `( … )`: a filter that is one parenthesised expression is the legacy form.
  bool parenthesized = false;
  std::vector<std::unique_ptr<Expr>> operands;
  Json literal;
  PathQuery query;
  /// match()/search() whose pattern is a literal: compiled once here; null when the literal is not
  /// a usable I-Regexp (the function is then false for every node, as RFC 9535 §2.4.6 says).
  std::shared_ptr<const re2::RE2> regex;
  bool regex_is_literal = false;
};

struct Query {
  PathQuery path;
  /// Legacy trailing `| [N]`: the N-th node of the result.
  std::optional<int64_t> pick;
  /// At most one node whatever the document.
  bool at_most_one = false;
  /// Patterns that come from the document are compiled on first use and kept.
  mutable RegexCache regex_cache;
};

}  // namespace verity::expr::jsonpath_detail
