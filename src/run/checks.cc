#include "run/checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "base/strings.h"
#include "expr/jsonpath.h"
#include "expr/predicate.h"
#include "expr/render.h"
#include "run/step_expressions.h"

namespace verity::run {

namespace {

// Shown values are cut to this many code points: enough for an id, a name or a short object, and
// a failure line that stays one line in a terminal's scrollback.
constexpr size_t kShownChars = 200;

struct MediaType {
  std::string type;                                         // "application/json", lower-cased
  std::vector<std::pair<std::string, std::string>> params;  // names lower-cased
};

MediaType ParseMediaType(std::string_view text) {
  MediaType m;
  size_t semi = text.find(';');
  m.type = ToLower(Trim(text.substr(0, semi)));
  while (semi != std::string_view::npos) {
    text = text.substr(semi + 1);
    semi = text.find(';');
    std::string_view param = Trim(text.substr(0, semi));
    size_t eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view value = Trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    m.params.emplace_back(ToLower(Trim(param.substr(0, eq))), std::string(value));
  }
  return m;
}

// The type matches (`application/*` matches any application type, `*/*` any type) and every
// parameter the check names has that value; parameters the check does not name are ignored. charset
// values compare without case, as RFC 9110 says they do.
bool MediaTypeMatches(const MediaType& want, const MediaType& got) {
  if (want.type == "*/*") {
    if (got.type.empty()) return false;
  } else if (want.type.ends_with("/*")) {
    if (!got.type.starts_with(want.type.substr(0, want.type.size() - 1))) return false;
  } else if (want.type != got.type) {
    return false;
  }
  for (const auto& [name, value] : want.params) {
    bool found = false;
    for (const auto& [got_name, got_value] : got.params)
      if (got_name == name)
        found = name == "charset" ? IEquals(got_value, value) : got_value == value;
    if (!found) return false;
  }
  return true;
}

class CheckRunner {
 public:
  CheckRunner(const http::HttpResponse& response, const CheckContext& c)
      : response_(response), c_(c) {
    options_.max_chars = kShownChars;
    if (c.redactor) {
      options_.mask = [this](std::string_view text) { return Mask(text); };
      options_.mask_margin = std::max<size_t>(512, c.redactor->max_span());
    }
  }

  // Every body check's path against the body at once: checks that run through the same list
  // walk it together (expr::JsonPath::SelectEach), not once each.
  void SelectBodies(const std::vector<doc::Check>& checks) {
    if (!c_.body) return;
    std::vector<const expr::JsonPath*> wanted;
    for (const doc::Check& check : checks) {
      if (check.subject != doc::Check::Subject::kBody) continue;
      Result<expr::JsonPath> path = expr::JsonPath::Compile(check.target);
      if (!path.ok()) continue;  // the parser refused it already; Body() says so
      selected_[&check] = paths_.size();
      paths_.push_back(std::move(*path));
    }
    for (const std::optional<expr::JsonPath>& path : paths_) wanted.push_back(&*path);
    nodes_ = expr::JsonPath::SelectEach(wanted, *c_.body);
  }

  CheckResult Run(const doc::Check& check) {
    CheckResult out;
    out.subject = std::string(doc::CheckSubjectName(check.subject));
    out.target = check.target;
    out.op = check.op;
    out.line = static_cast<int>(check.pos.line);
    out.col = static_cast<int>(check.pos.col);
    if (check.subject == doc::Check::Subject::kCriterion) return Criterion(check, std::move(out));
    std::optional<Json> operand = Operand(check, &out);
    if (!operand) return out;
    Result<expr::Predicate> predicate = expr::MakePredicate(check.op, *operand);
    if (!predicate.ok()) {
      out.expected = expr::BoundedExcerpt(*operand, kShownChars, options_.mask);
      out.message = Mask(predicate.status().message());
      return out;
    }
    if (predicate->op == expr::PredicateOp::kCount || predicate->op == expr::PredicateOp::kLength)
      if (predicate->compare != expr::PredicateOp::kEquals)
        out.op += " " + std::string(expr::PredicateOpName(predicate->compare));
    switch (check.subject) {
      case doc::Check::Subject::kBody:
        return Body(check, *predicate, std::move(out));
      case doc::Check::Subject::kHeader:
        return Header(check, *predicate, std::move(out));
      case doc::Check::Subject::kDuration: {
        // One decimal: the transfer's timing is finer than anyone reads it.
        Json took = std::round(response_.timings.total_ms * 10) / 10;
        return Fill(std::move(out), expr::Evaluate(*predicate, &took, options_));
      }
      default:
        return ContentType(*operand, std::move(out));
    }
  }

 private:
  std::string Mask(std::string_view text) const {
    std::string out = c_.redactor ? c_.redactor->Redact(text) : std::string(text);
    // What a filter made of a secret (`{{token | slice: 0:8}}`) is masked like the secret.
    for (const std::string& derived : derived_) {
      for (size_t at = out.find(derived); at != std::string::npos; at = out.find(derived, at))
        out.replace(at, derived.size(), "****");
    }
    return out;
  }

  // The operand with its placeholders rendered; nullopt (and the failure filled in) when one does
  // not resolve.
  std::optional<Json> Operand(const doc::Check& check, CheckResult* out) {
    if (!check.templated) return check.operand;
    expr::SecretCheck is_secret;
    if (c_.redactor) is_secret = [this](std::string_view t) { return c_.redactor->Contains(t); };
    expr::Renderer renderer(StepScope(), c_.step_id, is_secret);
    Json rendered = renderer.Value(check.operand, "expect");
    for (const std::string& d : renderer.derived_secrets())
      if (!d.empty()) derived_.push_back(d);
    if (renderer.ok()) return rendered;
    out->expected = expr::BoundedExcerpt(check.operand, kShownChars, options_.mask);
    out->actual = "(not evaluated)";
    out->message = Mask(renderer.status().message());
    return std::nullopt;
  }

  // The step's variables with what it just extracted and the body it sent, built once for all
  // the step's templated operands.
  const expr::Scope& StepScope() {
    if (scope_) return *scope_;
    scope_.emplace(c_.scope ? *c_.scope : expr::Scope());
    if (c_.extracted)
      for (const auto& [name, value] : *c_.extracted)
        scope_->Set(expr::Layer::kExtracted, name, value);
    if (c_.request_body) scope_->Set(expr::Layer::kExtracted, "request.body", *c_.request_body);
    return *scope_;
  }

  CheckResult Body(const doc::Check& check, const expr::Predicate& predicate, CheckResult out) {
    if (!c_.body) {
      out.expected = expr::BoundedExcerpt(predicate.operand, kShownChars, options_.mask);
      out.actual = "(not JSON)";
      out.message =
          response_.body.empty() ? "the response has no body" : "the response body is not JSON";
      return out;
    }
    auto selected = selected_.find(&check);
    if (selected == selected_.end()) {
      out.message = "the path does not compile";
      return out;
    }
    const expr::JsonPath* path = &*paths_[selected->second];
    const std::vector<const Json*>& nodes = nodes_[selected->second];
    return Fill(std::move(out),
                expr::EvaluateSelected(predicate, path->singular(), nodes, options_));
  }

  CheckResult Header(const doc::Check& check, const expr::Predicate& predicate, CheckResult out) {
    std::optional<std::string> value = HeaderValue(response_.headers, check.target);
    std::optional<Json> subject;
    if (value) subject = Json(*value);
    out = Fill(std::move(out), expr::Evaluate(predicate, subject ? &*subject : nullptr, options_));
    // The predicate speaks of paths; here the subject is a header.
    if (out.message == "the path selected nothing") out.message = "the header is absent";
    if (out.message == "the path selected a value") out.message = "the header is present";
    // A credential or cookie header is shown the way every record shows it. The expected value
    // is the recipe's own, masked already where it holds a secret.
    if (value) {
      http::Headers masked = http::MaskHeaders({{check.target, *value}},
                                               c_.redactor ? *c_.redactor : http::SecretRedactor());
      out.actual = Json(masked.front().second).dump();
    }
    return out;
  }

  // The values a criterion's expressions had are what it saw: a failure shows each of them.
  CheckResult Criterion(const doc::Check& check, CheckResult out) {
    StepExpressions values(c_.request, &response_, c_.body, &StepScope());
    std::string condition = check.operand.is_string() ? check.operand.get<std::string>() : "";
    CriterionVerdict verdict =
        EvaluateCriterion(check.op, check.target, condition, values, kShownChars, options_.mask);
    out.expected = condition;
    out.actual = verdict.seen.empty() ? "(nothing)" : verdict.seen;
    out.passed = verdict.passed;
    out.message = Mask(verdict.why);
    return out;
  }

  CheckResult ContentType(const Json& operand, CheckResult out) {
    std::optional<std::string> value = HeaderValue(response_.headers, "content-type");
    out.expected = Json(operand).dump();
    out.actual = value ? Json(*value).dump() : "(nothing)";
    if (!value) {
      out.message = "the response has no Content-Type";
      return out;
    }
    out.passed =
        MediaTypeMatches(ParseMediaType(operand.get<std::string>()), ParseMediaType(*value));
    if (!out.passed) out.message = "the media type differs";
    return out;
  }

  static CheckResult Fill(CheckResult out, expr::PredicateResult r) {
    out.passed = r.passed;
    out.expected = std::move(r.expected);
    out.actual = std::move(r.actual);
    out.message = std::move(r.why);
    return out;
  }

  const http::HttpResponse& response_;
  const CheckContext& c_;
  expr::PredicateOptions options_;
  // The body checks' paths and what each selected, found together before any is judged.
  std::vector<std::optional<expr::JsonPath>> paths_;
  std::vector<std::vector<const Json*>> nodes_;
  std::map<const doc::Check*, size_t> selected_;
  std::optional<expr::Scope> scope_;
  std::vector<std::string> derived_;
};

}  // namespace

std::vector<CheckResult> RunChecks(const std::vector<doc::Check>& checks,
                                   const http::HttpResponse& response,
                                   const CheckContext& context) {
  std::vector<CheckResult> out;
  out.reserve(checks.size());
  CheckRunner runner(response, context);
  runner.SelectBodies(checks);
  for (const doc::Check& check : checks) out.push_back(runner.Run(check));
  return out;
}

std::string CheckLabel(const CheckResult& c) {
  if (c.subject == "duration") return fmt::format("duration_ms <= {}", c.expected);
  if (c.subject == "content_type") return fmt::format("content_type {}", c.expected);
  if (c.subject == "criterion")
    return c.op == "simple" ? fmt::format("criterion {}", c.expected)
                            : fmt::format("criterion {} {} {}", c.target, c.op, c.expected);
  std::string subject = c.subject == "header" ? "header " + c.target : "body " + c.target;
  // A flag operator's operand (`exists: true`) says nothing a reader needs.
  if (c.op == "exists" || c.op == "absent" || c.op == "is_empty" || c.op == "not_empty")
    return fmt::format("{} {}{}", subject, c.expected == "false" ? "not " : "", c.op);
  return fmt::format("{} {} {}", subject, c.op, c.expected);
}

std::string CheckFailureMessage(const CheckResult& c) {
  return fmt::format("check at line {} failed: {}: {}; got {}", c.line, CheckLabel(c), c.message,
                     c.actual);
}

}  // namespace verity::run
