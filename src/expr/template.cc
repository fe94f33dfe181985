#include "expr/template.h"

#include <fmt/format.h>

#include <charconv>

#include "base/strings.h"
#include "expr/filters.h"

namespace verity::expr {

namespace {

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNameChar(char c) { return IsNameStart(c) || IsDigit(c) || c == '-'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

bool ValidSegment(std::string_view seg) {
  if (seg.empty()) return false;
  if (IsDigit(seg[0])) {
    for (char c : seg)
      if (!IsDigit(c)) return false;
    return true;
  }
  if (!IsNameStart(seg[0])) return false;
  for (char c : seg)
    if (!IsNameChar(c)) return false;
  return true;
}

// The end of the filter that starts at `from`: the next '|' outside a quoted argument.
size_t FilterEnd(std::string_view expr, size_t from) {
  char quote = 0;
  for (size_t i = from; i < expr.size(); ++i) {
    char c = expr[i];
    if (quote) {
      if (c == '\\')
        ++i;
      else if (c == quote)
        quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '|') {
      return i;
    }
  }
  return expr.size();
}

std::string_view ArgCountText(const FilterSpec& spec) {
  if (spec.max_args == 0) return "no arguments";
  if (spec.min_args == spec.max_args) return spec.max_args == 1 ? "1 argument" : "2 arguments";
  return "1 or 2 arguments";
}

// Reads one placeholder expression. Offsets are bytes into `expr_`; errors report columns.
class PlaceholderParser {
 public:
  PlaceholderParser(std::string_view expr, TemplateError* error) : expr_(expr), error_(error) {}

  Result<Placeholder> Parse() {
    Placeholder out;
    out.expr = std::string(Trim(expr_));
    size_t bar = expr_.find('|');
    std::string_view name = Trim(expr_.substr(0, bar));
    if (name.empty()) {
      Fail("empty placeholder: a variable name is missing", 0);
      return status_;
    }
    size_t name_at = static_cast<size_t>(name.data() - expr_.data());
    for (std::string_view seg : Split(name, '.')) {
      if (!ValidSegment(seg)) {
        Fail(fmt::format("invalid variable name \"{}\"", name), name_at);
        return status_;
      }
      out.path.emplace_back(seg);
    }
    out.name = std::string(name);
    while (bar < expr_.size()) {  // npos when there are no filters
      size_t end = FilterEnd(expr_, bar + 1);
      std::optional<FilterCall> f = ParseFilter(bar + 1, end);
      if (!f) return status_;
      out.filters.push_back(std::move(*f));
      bar = end;
    }
    return out;
  }

 private:
  std::optional<FilterCall> ParseFilter(size_t begin, size_t end) {
    std::string_view text = expr_.substr(begin, end - begin);
    size_t i = begin;
    SkipSpace(&i, end);
    size_t name_at = i;
    while (i < end && IsNameChar(expr_[i])) ++i;
    std::string_view name = expr_.substr(name_at, i - name_at);
    SkipSpace(&i, end);
    if (name.empty() || IsDigit(name[0]) || (i < end && expr_[i] != ':')) {
      Fail(fmt::format("invalid filter \"{}\" in \"{}\"", Trim(text), Trim(expr_)), name_at);
      return std::nullopt;
    }
    const FilterSpec* spec = FindFilter(name);
    if (!spec) {
      Fail(fmt::format("unknown filter \"{}\" in \"{}\"", name, Trim(expr_)), name_at);
      return std::nullopt;
    }
    FilterCall call{spec->kind, std::string(name), {}, Column(name_at)};
    if (i < end && !ParseArgs(name, i + 1, end, &call.args)) return std::nullopt;
    int count = static_cast<int>(call.args.size());
    if (count < spec->min_args || count > spec->max_args) {
      Fail(fmt::format("filter \"{}\" takes {}, got {}", name, ArgCountText(*spec), count),
           name_at);
      return std::nullopt;
    }
    if (spec->kind == FilterKind::kSlice) {
      for (const Json& arg : call.args) {
        if (!arg.is_number_integer()) {
          Fail(fmt::format("filter \"{}\" needs integer arguments, got {}", name, CompactJson(arg)),
               name_at);
          return std::nullopt;
        }
      }
    }
    return call;
  }

  // Arguments after "name:", separated by ',' or ':' (so `slice: 1:3` reads like Python).
  bool ParseArgs(std::string_view filter, size_t i, size_t end, std::vector<Json>* args) {
    for (;;) {
      SkipSpace(&i, end);
      if (i == end) {
        Fail(fmt::format("filter \"{}\" is missing an argument", filter), i);
        return false;
      }
      std::optional<Json> arg = ParseArg(filter, &i, end);
      if (!arg) return false;
      args->push_back(std::move(*arg));
      SkipSpace(&i, end);
      if (i == end) return true;
      if (expr_[i] != ',' && expr_[i] != ':') {
        Unexpected(filter, i);
        return false;
      }
      ++i;
    }
  }

  std::optional<Json> ParseArg(std::string_view filter, size_t* pos, size_t end) {
    size_t i = *pos;
    char c = expr_[i];
    if (c == '"' || c == '\'') {
      std::string s;
      for (++i; i < end && expr_[i] != c; ++i) {
        if (expr_[i] == '\\' && i + 1 < end) ++i;
        s += expr_[i];
      }
      if (i == end) {
        Fail(fmt::format("unterminated string in the arguments of filter \"{}\"", filter), *pos);
        return std::nullopt;
      }
      *pos = i + 1;
      return Json(std::move(s));
    }
    size_t start = i;
    if (c == '-' || IsDigit(c)) {
      if (c == '-') ++i;
      while (i < end && IsDigit(expr_[i])) ++i;
      bool fraction = i + 1 < end && expr_[i] == '.' && IsDigit(expr_[i + 1]);
      if (fraction)
        for (++i; i < end && IsDigit(expr_[i]);) ++i;
      std::string_view digits = expr_.substr(start, i - start);
      if (i < end && !IsSpace(expr_[i]) && expr_[i] != ',' && expr_[i] != ':') {
        Unexpected(filter, i);
        return std::nullopt;
      }
      *pos = i;
      return Number(filter, digits, fraction, start);
    }
    if (IsNameStart(c)) {
      while (i < end && (IsNameChar(expr_[i]) || expr_[i] == '.')) ++i;
      std::string_view word = expr_.substr(start, i - start);
      *pos = i;
      if (word == "true") return Json(true);
      if (word == "false") return Json(false);
      if (word == "null") return Json(nullptr);
      return Json(std::string(word));
    }
    Unexpected(filter, i);
    return std::nullopt;
  }

  std::optional<Json> Number(std::string_view filter, std::string_view digits, bool fraction,
                             size_t at) {
    const char* first = digits.data();
    const char* last = digits.data() + digits.size();
    if (fraction) {
      double d = 0;
      if (std::from_chars(first, last, d).ec == std::errc()) return Json(d);
    } else {
      int64_t n = 0;
      if (digits != "-" && std::from_chars(first, last, n).ec == std::errc()) return Json(n);
    }
    Fail(fmt::format("invalid number \"{}\" in the arguments of filter \"{}\"", digits, filter),
         at);
    return std::nullopt;
  }

  void Unexpected(std::string_view filter, size_t at) {
    Fail(fmt::format("unexpected {} in the arguments of filter \"{}\"", Quoted(expr_.substr(at, 1)),
                     filter),
         at);
  }

  void SkipSpace(size_t* i, size_t end) const {
    while (*i < end && IsSpace(expr_[*i])) ++*i;
  }

  uint32_t Column(size_t offset) const { return CodePointCount(expr_.substr(0, offset)) + 1; }

  void Fail(std::string message, size_t offset) {
    if (error_) *error_ = {std::string(kTemplateSyntax), message, Column(offset), {}, {}};
    status_ = Status::ParseError(std::move(message));
  }

  std::string_view expr_;
  TemplateError* error_;
  Status status_;
};

}  // namespace

std::string TemplateError::ToString() const {
  if (column == 0) return fmt::format("{}: {}", code, message);
  return fmt::format("{}: column {}: {}", code, column, message);
}

Result<Placeholder> ParsePlaceholder(std::string_view expr, TemplateError* error) {
  return PlaceholderParser(expr, error).Parse();
}

std::vector<PlaceholderSpan> ScanPlaceholders(std::string_view text, size_t max) {
  std::vector<PlaceholderSpan> spans;
  size_t counted = 0;  // columns are counted incrementally: a long text is walked once
  uint32_t column = 1;
  size_t i = 0;
  while (spans.size() < max && (i = text.find("{{", i)) != std::string_view::npos) {
    column += CodePointCount(text.substr(counted, i - counted));
    counted = i;
    PlaceholderSpan span;
    span.begin = i;
    span.column = column;
    size_t close = text.find("}}", i + 2);
    if (close == std::string_view::npos) {
      span.end = text.size();
      span.terminated = false;
      span.error = TemplateError{std::string(kTemplateSyntax),
                                 "unterminated placeholder: \"{{\" without \"}}\"",
                                 column,
                                 {},
                                 {}};
      spans.push_back(std::move(span));
      break;
    }
    span.end = close + 2;
    // Columns inside the braces count from the expression; shift them to the whole text.
    uint32_t shift = column + 1;
    TemplateError error;
    Result<Placeholder> p = ParsePlaceholder(text.substr(i + 2, close - i - 2), &error);
    if (p.ok()) {
      for (FilterCall& f : p->filters) f.column += shift;
      span.placeholder = std::move(*p);
    } else {
      error.column += shift;
      span.error = std::move(error);
    }
    spans.push_back(std::move(span));
    i = close + 2;
  }
  return spans;
}

bool IsSinglePlaceholder(std::string_view text) {
  return text.size() >= 4 && text.starts_with("{{") && text.ends_with("}}") &&
         text.find("}}", 2) == text.size() - 2;
}

}  // namespace verity::expr
