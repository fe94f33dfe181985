// Recursive-descent parser for RFC 9535 queries (and the legacy forms, when asked). Type checking
// of filter expressions (RFC 9535 §2.4.3 well-typedness) happens while parsing, so an ill-typed
// query is a compile error pointing at the offending operand. Queries (jsonpath_parser.cc) and
// filter expressions (jsonpath_filter_parser.cc) live in separate files.
#pragma once

#include <memory>
#include <string_view>

#include "expr/jsonpath.h"
#include "expr/jsonpath_ast.h"
#include "expr/jsonpath_lexer.h"

namespace verity::expr::jsonpath_detail {

/// Longest query text accepted, in bytes.
inline constexpr size_t kMaxQueryBytes = 64 * 1024;
/// Deepest nesting of brackets, parentheses, `!` and function calls; the parser recurses once per
/// level, so this is what bounds its stack.
inline constexpr int kMaxNesting = 128;

/// Compiles `text` into `*out`; false with `*error` set when it is not a valid query.
bool ParseQuery(std::string_view text, const JsonPathOptions& options, Query* out,
                JsonPathError* error);

class Parser {
 public:
  Parser(std::string_view text, const JsonPathOptions& options) : lex_(text), options_(options) {}
  bool Parse(Query* out);
  JsonPathError error() const { return lex_.error(); }

 private:
  // What a filter operand is, for RFC 9535 §2.4.3 type checking.
  enum class Type { kValue, kLogical, kNodes };
  struct Operand {
    std::unique_ptr<Expr> expr;
    Type type = Type::kValue;
    size_t at = 0;  // where it starts, for messages
  };

  // Queries (jsonpath_parser.cc).
  bool Segments(PathQuery* query, bool top_level);
  bool DotSegment(Segment* segment);
  bool BracketedSelection(Segment* segment);
  bool SelectorInBrackets(Selector* selector);
  bool IndexOrSlice(Selector* selector);
  bool LegacyPipe(Query* out);
  bool Enter(size_t at);
  void Leave() { --depth_; }

  // Filter expressions (jsonpath_filter_parser.cc).
  std::unique_ptr<Expr> LogicalOr();
  std::unique_ptr<Expr> LogicalAnd();
  std::unique_ptr<Expr> Basic();
  std::unique_ptr<Expr> Parenthesized();
  bool Primary(Operand* out);
  bool RelativeOrAbsoluteQuery(Operand* out);
  bool Literal(Operand* out);
  bool Function(std::string_view name, size_t at, Operand* out);
  bool Argument(std::string_view function, size_t index, Operand* out);
  bool CheckComparable(const Operand& operand);
  bool CheckTestable(const Operand& operand);
  bool ComparisonOperator(CompareOp* op);

  Lexer lex_;
  JsonPathOptions options_;
  int depth_ = 0;
};

}  // namespace verity::expr::jsonpath_detail
