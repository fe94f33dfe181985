#include "expr/render.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "expr/filters.h"

namespace verity::expr {

namespace {

// Besides the unreserved characters, what may stand unencoded (RFC 3986 §3.3, §3.4). A path
// segment keeps sub-delims, ':' and '@' but never '/'; a query component also keeps '/' and '?'
// but not '&', '=' and '+', which would split or change a parameter.
constexpr std::string_view kSegmentKeep = "!$&'()*+,;=:@";
constexpr std::string_view kQueryKeep = "!$'()*,;:@/?";

std::string Child(std::string_view where, std::string_view key) {
  return where.empty() ? std::string(key) : fmt::format("{}/{}", where, key);
}

// The first '?' of the template's own text, outside any placeholder; npos when there is none.
size_t LiteralQueryStart(std::string_view text, const std::vector<PlaceholderSpan>& spans) {
  size_t from = 0;
  for (const PlaceholderSpan& span : spans) {
    size_t q = text.substr(0, span.begin).find('?', from);
    if (q != std::string_view::npos) return q;
    from = span.end;
  }
  return text.find('?', from);
}

}  // namespace

std::string Renderer::String(std::string_view text, std::string_view where) {
  return Text(text, where, /*path=*/false);
}

std::string Renderer::Path(std::string_view path, std::string_view where) {
  return Text(path, where, /*path=*/true);
}

std::string Renderer::Text(std::string_view text, std::string_view where, bool path) {
  if (text.find("{{") == std::string_view::npos) return std::string(text);
  std::vector<PlaceholderSpan> spans = ScanPlaceholders(text);
  size_t query_start = path ? LiteralQueryStart(text, spans) : std::string_view::npos;
  std::string out;
  size_t literal = 0;
  for (const PlaceholderSpan& span : spans) {
    out.append(text.substr(literal, span.begin - literal));
    literal = span.end;
    std::optional<Json> value = Evaluate(span, where);
    if (!value) continue;
    std::string piece = ToText(*value);
    if (path) piece = PercentEncode(piece, span.begin < query_start ? kSegmentKeep : kQueryKeep);
    out += piece;
  }
  if (literal < text.size()) out.append(text.substr(literal));
  return out;
}

Json Renderer::Value(const Json& value, std::string_view where) {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (s.find("{{") == std::string::npos) return value;
    if (!IsSinglePlaceholder(s)) return String(s, where);
    std::vector<PlaceholderSpan> spans = ScanPlaceholders(s);
    std::optional<Json> v = Evaluate(spans.front(), where);
    return v ? std::move(*v) : Json("");
  }
  if (value.is_array()) {
    Json out = Json::array();
    for (size_t i = 0; i < value.size(); ++i)
      out.push_back(Value(value[i], Child(where, std::to_string(i))));
    return out;
  }
  if (!value.is_object()) return value;
  Json out = Json::object();
  // Written keys are unique; only a rendered key can meet another, so until one is rendered the
  // members are appended without the (linear) search for an existing key.
  bool rendered_key = false;
  for (const auto& [key, member] : value.items()) {
    std::string child = Child(where, key);
    std::string name = key;
    if (key.find("{{") != std::string::npos) {
      name = String(key, child + " (key)");
      rendered_key = true;
    }
    Json rendered = Value(member, child);
    auto existing = rendered_key ? out.find(name) : out.end();
    if (existing != out.end())
      *existing = std::move(rendered);
    else
      AppendMember(out, std::move(name), std::move(rendered));
  }
  return out;
}

Status Renderer::status() const {
  if (errors_.empty()) return Status::Ok();
  std::vector<std::string> lines;
  for (const TemplateError& e : errors_) lines.push_back(e.ToString());
  return Status::InvalidArgument(Join(lines, "\n"));
}

std::optional<Json> Renderer::Evaluate(const PlaceholderSpan& span, std::string_view where) {
  if (!span.placeholder) {
    Fail(kTemplateSyntax, span.error->message, span.error->column, {}, where);
    return std::nullopt;
  }
  const Placeholder& p = *span.placeholder;
  std::optional<Json> value = scope_.Lookup(p.path);
  // Without filters the output is the input, which the caller knows as a secret already.
  bool secret_input = is_secret_ && value && !p.filters.empty() && is_secret_(ToText(*value));
  for (const FilterCall& f : p.filters) {
    // A missing value passes through the filters untouched until a `default` supplies one.
    if (!value && f.kind != FilterKind::kDefault) continue;
    Result<Json> next = ApplyFilter(f, value ? *value : Json());
    if (!next.ok()) {
      Fail(kTemplateFilter,
           fmt::format("cannot apply filter \"{}\" to \"{}\"{}: {}", f.name, p.name, Site(where),
                       next.status().message()),
           f.column, p.name, where);
      return std::nullopt;
    }
    value = std::move(*next);
  }
  if (!value)
    Fail(kTemplateUnresolved, fmt::format("unresolved variable \"{}\"{}", p.name, Site(where)),
         span.column, p.name, where);
  if (secret_input && value) AddDerived(*value);
  return value;
}

void Renderer::AddDerived(const Json& value) {
  if (value.is_array() || value.is_object()) {
    for (const Json& item : value) AddDerived(item);
    return;
  }
  std::string text = ToText(value);
  if (std::find(derived_secrets_.begin(), derived_secrets_.end(), text) == derived_secrets_.end())
    derived_secrets_.push_back(std::move(text));
}

std::string Renderer::Site(std::string_view where) const {
  std::string site = step_id_.empty() ? "" : fmt::format(" in step \"{}\"", step_id_);
  if (!where.empty()) site += fmt::format(" ({})", where);
  return site;
}

void Renderer::Fail(std::string_view code, std::string message, uint32_t column,
                    std::string_view name, std::string_view where) {
  if (code == kTemplateSyntax) message += Site(where);
  for (const TemplateError& e : errors_)
    if (e.code == code && e.message == message) return;  // "{{a}}-{{a}}" is one problem
  errors_.push_back(
      {std::string(code), std::move(message), column, std::string(name), std::string(where)});
}

namespace {

template <typename T>
Result<T> Finish(const Renderer& r, T value, std::vector<TemplateError>* errors) {
  if (errors) *errors = r.errors();
  if (!r.ok()) return r.status();
  return value;
}

}  // namespace

Result<std::string> RenderString(std::string_view text, const Scope& scope,
                                 std::string_view step_id, std::string_view where,
                                 std::vector<TemplateError>* errors) {
  Renderer r(scope, std::string(step_id));
  std::string out = r.String(text, where);
  return Finish(r, std::move(out), errors);
}

Result<Json> RenderJson(const Json& value, const Scope& scope, std::string_view step_id,
                        std::string_view where, std::vector<TemplateError>* errors) {
  Renderer r(scope, std::string(step_id));
  Json out = r.Value(value, where);
  return Finish(r, std::move(out), errors);
}

Result<std::string> RenderPath(std::string_view path, const Scope& scope, std::string_view step_id,
                               std::vector<TemplateError>* errors) {
  Renderer r(scope, std::string(step_id));
  std::string out = r.Path(path);
  return Finish(r, std::move(out), errors);
}

}  // namespace verity::expr
