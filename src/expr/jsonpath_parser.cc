#include "expr/jsonpath_parser.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace verity::expr::jsonpath_detail {
namespace {

bool IsSingularSegment(const Segment& s) {
  return !s.descendant && !s.pick && s.selectors.size() == 1 &&
         (s.selectors[0].kind == Selector::Kind::kName ||
          s.selectors[0].kind == Selector::Kind::kIndex);
}

// The legacy `[?(…)]`: one filter selector whose whole expression is parenthesised.
bool IsLegacyFilter(const Segment& s) {
  return !s.pick && s.selectors.size() == 1 && s.selectors[0].kind == Selector::Kind::kFilter &&
         s.selectors[0].filter->parenthesized;
}

bool IsLoneIndex(const Segment& s) {
  return !s.descendant && s.selectors.size() == 1 && s.selectors[0].kind == Selector::Kind::kIndex;
}

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

bool ParseQuery(std::string_view text, const JsonPathOptions& options, Query* out,
                JsonPathError* error) {
  Parser parser(text, options);
  if (parser.Parse(out)) return true;
  if (error != nullptr) *error = parser.error();
  return false;
}

bool Parser::Enter(size_t at) {
  if (++depth_ > kMaxNesting) {
    return lex_.Fail(at, fmt::format("nesting too deep (more than {} levels)", kMaxNesting));
  }
  return true;
}

bool Parser::Parse(Query* out) {
  std::string_view text = lex_.text();
  if (text.size() > kMaxQueryBytes) {
    return lex_.Fail(0, fmt::format("query too long (more than {} bytes)", kMaxQueryBytes));
  }
  size_t bad = 0;
  if (!IsValidUtf8(text, &bad)) return lex_.Fail(bad, "invalid UTF-8");
  if (!lex_.Consume('$')) {
    if (IsBlank(lex_.Peek())) return lex_.Fail(0, "blank space before '$' is not allowed");
    return lex_.Fail(0, "a query must start with '$'");
  }
  out->path.absolute = true;
  if (!Segments(&out->path, /*top_level=*/true)) return false;
  if (options_.legacy) {
    size_t save = lex_.pos();
    lex_.SkipBlank();
    if (lex_.Peek() == '|') {
      if (!LegacyPipe(out)) return false;
    } else {
      lex_.set_pos(save);
    }
  }
  if (!lex_.AtEnd()) {
    size_t at = lex_.pos();
    if (IsBlank(lex_.Peek())) {
      lex_.SkipBlank();
      if (lex_.AtEnd()) return lex_.Fail(at, "blank space after the query is not allowed");
      at = lex_.pos();
    }
    if (lex_.Peek() == '|' && !options_.legacy) {
      return lex_.Fail(at, "'| [N]' is a legacy form, not accepted in strict RFC 9535 mode");
    }
    return lex_.Fail(at, fmt::format("unexpected {}; a segment starts with '.', '..' or '['",
                                     lex_.Describe(at)));
  }
  bool at_most_one = true;
  for (const Segment& s : out->path.segments) {
    if (!IsSingularSegment(s) && !s.pick) at_most_one = false;
  }
  out->at_most_one = at_most_one || out->pick.has_value();
  return true;
}

bool Parser::LegacyPipe(Query* out) {
  lex_.Consume('|');
  lex_.SkipBlank();
  if (!lex_.Consume('[')) {
    return lex_.Fail(lex_.pos(), "only '[N]' may follow '|' (the N-th node of the result)");
  }
  lex_.SkipBlank();
  char c = lex_.Peek();
  if (c != '-' && !Lexer::IsDigit(c)) {
    return lex_.Fail(lex_.pos(), "only '[N]' may follow '|' (the N-th node of the result)");
  }
  int64_t n = 0;
  if (!lex_.Integer(&n)) return false;
  lex_.SkipBlank();
  if (!lex_.Consume(']')) return lex_.Fail(lex_.pos(), "expected ']' after the index of '| [N]'");
  out->pick = n;
  return true;
}

bool Parser::Segments(PathQuery* query, bool top_level) {
  while (true) {
    size_t save = lex_.pos();
    lex_.SkipBlank();
    Segment segment;
    if (lex_.Peek() == '.') {
      if (!DotSegment(&segment)) return false;
    } else if (lex_.Peek() == '[') {
      if (!BracketedSelection(&segment)) return false;
      // Legacy `[?(…)][N]`: existing recipes mean the N-th match (docs/jsonpath.md); in RFC
      // terms `[N]` would index into each match.
      if (top_level && options_.legacy && !query->segments.empty() &&
          IsLegacyFilter(query->segments.back()) && IsLoneIndex(segment)) {
        query->segments.back().pick = segment.selectors[0].index;
        continue;
      }
    } else {
      lex_.set_pos(save);
      break;
    }
    query->segments.push_back(std::move(segment));
  }
  query->singular = true;
  for (const Segment& s : query->segments) {
    if (!IsSingularSegment(s)) query->singular = false;
  }
  return true;
}

bool Parser::DotSegment(Segment* segment) {
  Selector selector;
  if (lex_.Consume("..")) {
    segment->descendant = true;
    if (lex_.Peek() == '[') return BracketedSelection(segment);
    if (lex_.Consume('*')) {
      selector.kind = Selector::Kind::kWildcard;
    } else if (lex_.MemberName(&selector.name)) {
      selector.kind = Selector::Kind::kName;
    } else if (IsBlank(lex_.Peek())) {
      return lex_.Fail(lex_.pos(), "blank space after '..' is not allowed");
    } else {
      return lex_.Fail(lex_.pos(), fmt::format("expected a member name, '*' or '[' after '..', "
                                               "found {}",
                                               lex_.Describe(lex_.pos())));
    }
  } else {
    lex_.Consume('.');
    if (lex_.Consume('*')) {
      selector.kind = Selector::Kind::kWildcard;
    } else if (lex_.MemberName(&selector.name)) {
      selector.kind = Selector::Kind::kName;
    } else if (IsBlank(lex_.Peek())) {
      return lex_.Fail(lex_.pos(), "blank space after '.' is not allowed");
    } else if (Lexer::IsDigit(lex_.Peek())) {
      return lex_.Fail(lex_.pos(),
                       "a member name cannot start with a digit; use [N] for an index or "
                       "['N'] for a name");
    } else {
      return lex_.Fail(lex_.pos(), fmt::format("expected a member name or '*' after '.', found {}",
                                               lex_.Describe(lex_.pos())));
    }
  }
  segment->selectors.push_back(std::move(selector));
  return true;
}

bool Parser::BracketedSelection(Segment* segment) {
  size_t open = lex_.pos();
  lex_.Consume('[');
  if (!Enter(open)) return false;
  lex_.SkipBlank();
  if (lex_.Peek() == ']') return lex_.Fail(lex_.pos(), "empty brackets: expected a selector");
  while (true) {
    Selector selector;
    if (!SelectorInBrackets(&selector)) return false;
    segment->selectors.push_back(std::move(selector));
    lex_.SkipBlank();
    if (lex_.Consume(',')) {
      lex_.SkipBlank();
      if (lex_.Peek() == ']') return lex_.Fail(lex_.pos(), "expected a selector after ','");
      continue;
    }
    if (lex_.Consume(']')) break;
    if (lex_.AtEnd()) {
      return lex_.Fail(lex_.pos(), "expected ']' to close the bracketed selection");
    }
    return lex_.Fail(lex_.pos(),
                     fmt::format("expected ',' or ']' to close the bracketed selection, found {}",
                                 lex_.Describe(lex_.pos())));
  }
  Leave();
  return true;
}

bool Parser::SelectorInBrackets(Selector* selector) {
  char c = lex_.Peek();
  if (c == '\'' || c == '"') {
    selector->kind = Selector::Kind::kName;
    return lex_.StringLiteral(&selector->name);
  }
  if (lex_.Consume('*')) {
    selector->kind = Selector::Kind::kWildcard;
    return true;
  }
  if (lex_.Consume('?')) {
    selector->kind = Selector::Kind::kFilter;
    lex_.SkipBlank();
    selector->filter = LogicalOr();
    return selector->filter != nullptr;
  }
  if (c == '-' || c == ':' || Lexer::IsDigit(c)) return IndexOrSlice(selector);
  if (c == '@' || c == '$') {
    return lex_.Fail(lex_.pos(), "a query in brackets needs '?' to be a filter, as in [?@.a]");
  }
  if (lex_.AtEnd()) return lex_.Fail(lex_.pos(), "expected ']' to close the bracketed selection");
  return lex_.Fail(lex_.pos(), fmt::format("expected a selector (a quoted name, '*', an index, a "
                                           "slice or a '?' filter), found {}",
                                           lex_.Describe(lex_.pos())));
}

bool Parser::IndexOrSlice(Selector* selector) {
  auto starts_integer = [&] { return lex_.Peek() == '-' || Lexer::IsDigit(lex_.Peek()); };
  std::optional<int64_t> start;
  if (lex_.Peek() != ':') {
    int64_t v = 0;
    if (!lex_.Integer(&v)) return false;
    start = v;
  }
  size_t save = lex_.pos();
  lex_.SkipBlank();
  if (!lex_.Consume(':')) {
    lex_.set_pos(save);
    selector->kind = Selector::Kind::kIndex;
    selector->index = *start;
    return true;
  }
  selector->kind = Selector::Kind::kSlice;
  selector->start = start;
  lex_.SkipBlank();
  if (starts_integer()) {
    int64_t v = 0;
    if (!lex_.Integer(&v)) return false;
    selector->end = v;
  }
  save = lex_.pos();
  lex_.SkipBlank();
  if (!lex_.Consume(':')) {
    lex_.set_pos(save);
    return true;
  }
  lex_.SkipBlank();
  if (starts_integer()) {
    int64_t v = 0;
    if (!lex_.Integer(&v)) return false;
    selector->step = v;
  }
  return true;
}

}  // namespace verity::expr::jsonpath_detail
