#include "run/request_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "base/file_system.h"
#include "base/strings.h"
#include "expr/filters.h"
#include "expr/render.h"
#include "expr/template.h"
#include "run/credentials.h"
#include "run/outcome.h"
#include "run/query_encoding.h"

namespace verity::run {

namespace {

bool HasHeader(const http::Headers& headers, std::string_view name) {
  std::string lower = ToLower(name);
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return ToLower(h.first) == lower; });
}

// A file_fields path must stay inside the knowledge base: documents are shared, and a recipe
// must not upload ~/.ssh/id_rsa to the API under test, by name or through a symbolic link. The
// lexical checks refuse the obvious; the real path (links followed) must then be inside the root,
// and is what libcurl opens, refusing any link that appears on it afterwards. Uploads are read
// from the real disk by libcurl, so they are resolved on it too.
Result<std::string> ResolveUpload(const std::string& kb_root, const std::string& relative) {
  namespace fs = std::filesystem;
  fs::path rel(relative);
  Status outside = Status::OutsideRoot("is outside the knowledge base");
  if (rel.is_absolute()) return outside;
  fs::path joined = (fs::path(kb_root.empty() ? "." : kb_root) / rel).lexically_normal();
  fs::path root = fs::path(kb_root.empty() ? "." : kb_root).lexically_normal();
  auto mismatch = std::mismatch(root.begin(), root.end(), joined.begin(), joined.end());
  if (mismatch.first != root.end() && !mismatch.first->empty()) return outside;
  for (const fs::path& part : rel.lexically_normal()) {
    if (part == "..") return outside;
  }
  static const PosixFileSystem disk;
  Result<PathRoots> roots = PathRoots::Resolve(disk, {root.empty() ? "." : root.string()});
  if (!roots.ok()) return roots.status();
  Result<std::string> real = ResolveInside(disk, joined.string(), *roots);
  if (!real.ok() && real.status().code() == StatusCode::kOutsideRoot) return outside;
  if (!real.ok() && real.status().code() == StatusCode::kNotFound) {
    return Status::NotFound("does not exist");
  }
  return real;
}

PrepareFailure TemplateFailure(const expr::Renderer& renderer) {
  bool unresolved =
      std::any_of(renderer.errors().begin(), renderer.errors().end(),
                  [](const expr::TemplateError& e) { return e.code == expr::kTemplateUnresolved; });
  std::string message;
  for (const expr::TemplateError& e : renderer.errors()) {
    if (!message.empty()) message += "; ";
    message += e.message;
  }
  if (unresolved) {
    return {std::string(reason::kUnresolvedVariable), message,
            "define the variable in the environment's params or with --var, or extract it in an "
            "earlier step"};
  }
  return {std::string(reason::kTemplateError), message, "fix the placeholder's syntax or filter"};
}

}  // namespace

std::string JoinUrl(std::string_view base, std::string_view path) {
  std::string out(base);
  while (!out.empty() && out.back() == '/') out.pop_back();
  if (!path.empty() && path.front() != '/') out += '/';
  out += path;
  return out;
}

bool OperationWantsOnBehalfOf(const spec::Operation& operation) {
  if (operation.node) {
    auto flag = operation.node->find("x-on-behalf-of");
    if (flag != operation.node->end() && flag->is_boolean() && flag->get<bool>()) return true;
  }
  for (const spec::Parameter& p : operation.parameters) {
    if (p.in == "header" && ToLower(p.name) == "x-on-behalf-of") return true;
  }
  return ToLower(operation.description).find("x-on-behalf-of") != std::string::npos;
}

namespace {

// The step's own headers, so an explicit Authorization or X-On-Behalf-Of wins over a default. A
// blank value is how a recipe says "without this header" (a negative test without Authorization):
// it is not sent, and nothing is put in its place.
struct StepHeaders {
  std::vector<std::string> withheld;  // lower case

  // Whether a default for `name` (lower case) may be added: the step neither set nor withheld it.
  bool Defaulted(const http::Headers& sent, std::string_view name) const {
    return !HasHeader(sent, name) &&
           std::find(withheld.begin(), withheld.end(), name) == withheld.end();
  }
};

StepHeaders TakeStepHeaders(const Json& headers, http::Headers* sent) {
  StepHeaders out;
  if (!headers.is_object()) return out;
  for (const auto& [name, value] : headers.items()) {
    std::string text = expr::ToText(value);
    if (Trim(text).empty())
      out.withheld.push_back(ToLower(name));
    else
      sent->emplace_back(name, std::move(text));
  }
  return out;
}

// Why a credential the request needs has no value: the configured one did not resolve, or
// nothing is configured under that name.
PrepareFailure MissingToken(const RunSettings& settings, const CredentialUse& use) {
  if (auto obtained = settings.tokens.find(use.type);
      obtained != settings.tokens.end() && obtained->second.obtain) {
    PrepareFailure waiting{std::string(reason::kMissingToken),
                           fmt::format("the {} token is not obtained yet", use.type), "", use.type};
    return waiting;
  }
  auto problem = settings.token_problems.find(use.type);
  std::string why = problem != settings.token_problems.end()
                        ? problem->second
                        : "the environment configures no such token";
  std::string what =
      use.spec_scheme.empty() || use.spec_scheme == use.type
          ? fmt::format("the {} token", use.type)
          : fmt::format("the {} token (for the security scheme {})", use.type, use.spec_scheme);
  return PrepareFailure{std::string(reason::kMissingToken),
                        fmt::format("no value for {}: {}", what, why),
                        fmt::format("configure tokens.{} in the environment (an environment "
                                    "variable, a file or a command; docs/auth.md) and make sure "
                                    "it is set",
                                    use.type)};
}

// The base URL a request goes to: a named base whose glob matches the path (with its own
// Authorization scheme, if it has one), else the fallback or the primary.
struct ChosenBase {
  std::string url;
  std::string name;  // "primary", "fallback" or the named base's name
  std::optional<AuthScheme> scheme;
};

std::variant<ChosenBase, PrepareFailure> ChooseBase(const doc::Step& step,
                                                    const doc::Document& document,
                                                    const RunSettings& settings,
                                                    std::string_view path_only) {
  if (const NamedBase* named = NamedBaseFor(settings.bases, path_only))
    return ChosenBase{named->url, named->name, named->scheme};
  bool fallback =
      settings.base_override == BaseOverride::kNone
          ? step.use_fallback.value_or(document.frontmatter.use_fallback_api.value_or(false))
          : settings.base_override == BaseOverride::kFallback;
  if (!fallback) return ChosenBase{settings.base_url, "primary", std::nullopt};
  if (settings.fallback_url.empty()) {
    return PrepareFailure{std::string(reason::kFallbackNotConfigured),
                          "the step asks for the fallback base URL, and the environment "
                          "configures none",
                          "set fallback_url in the environment's configuration"};
  }
  return ChosenBase{settings.fallback_url, "fallback", std::nullopt};
}

// X-On-Behalf-Of names the business a directory token acts for: sent when the step asks for it,
// or when the step is silent and the operation's description asks for it.
void AddOnBehalfOf(const doc::Step& step, const spec::Operation* operation,
                   const expr::Scope& scope, http::Headers* headers) {
  if (!step.x_on_behalf_of.value_or(true)) return;
  bool wanted = step.x_on_behalf_of.value_or(false);
  if (!wanted) wanted = operation && OperationWantsOnBehalfOf(*operation);
  if (!wanted) return;
  for (const char* name : {"business_uid", "business_id"}) {
    if (auto value = scope.Lookup(name); value && !value->is_null()) {
      headers->emplace_back("X-On-Behalf-Of", expr::ToText(*value));
      return;
    }
  }
}

// The credentials the request still needs: one whose header the step set or withheld itself is
// not sent, so it is not needed either.
std::vector<CredentialUse> NeededCredentials(const CredentialPlan& plan,
                                             const StepHeaders& step_headers,
                                             const http::Headers& headers) {
  std::vector<CredentialUse> out;
  for (const CredentialUse& use : plan.uses) {
    if (use.in == "header" && !step_headers.Defaulted(headers, ToLower(use.name))) continue;
    if (use.in == "cookie" && !step_headers.Defaulted(headers, "cookie") &&
        !HasHeader(headers, "cookie"))
      continue;  // the Cookie header is withheld
    out.push_back(use);
  }
  return out;
}

// The token types the request carries, for results and reports: those sent, and the one whose
// Authorization the step wrote itself.
std::string TokenTypes(const std::vector<CredentialUse>& sent, const CredentialPlan& plan,
                       const http::Headers& headers) {
  std::vector<std::string> types;
  for (const CredentialUse& use : plan.uses) {
    bool carried = std::any_of(sent.begin(), sent.end(),
                               [&](const CredentialUse& u) { return u.type == use.type; }) ||
                   (use.in == "header" && HasHeader(headers, ToLower(use.name)));
    if (carried && std::find(types.begin(), types.end(), use.type) == types.end())
      types.push_back(use.type);
  }
  return Join(types, "+");
}

// Headers and cookies of the credentials, and each credential's extra headers (templates).
std::optional<PrepareFailure> AddCredentials(const std::vector<CredentialUse>& sent,
                                             const ChosenBase& base,
                                             const StepHeaders& step_headers,
                                             expr::Renderer* renderer, http::Headers* headers) {
  std::string cookies;
  for (const CredentialUse& use : sent) {
    if (use.in == "header") {
      AuthScheme scheme = use.base_scheme_applies ? base.scheme.value_or(use.scheme) : use.scheme;
      headers->emplace_back(use.name, CredentialHeaderValue(use, scheme));
    } else if (use.in == "cookie") {
      cookies += (cookies.empty() ? "" : "; ") + use.name + "=" + CredentialRawValue(use);
    }
    for (const auto& [name, value] : use.credential->headers) {
      std::string text = renderer->String(value, "tokens." + use.type + ".headers." + name);
      if (!renderer->ok()) return TemplateFailure(*renderer);
      if (step_headers.Defaulted(*headers, ToLower(name))) headers->emplace_back(name, text);
    }
  }
  if (!cookies.empty()) {
    auto existing = std::find_if(headers->begin(), headers->end(),
                                 [](const auto& h) { return ToLower(h.first) == "cookie"; });
    if (existing != headers->end())
      existing->second += "; " + cookies;
    else
      headers->emplace_back("Cookie", cookies);
  }
  return std::nullopt;
}

struct RenderedBody {
  std::optional<Json> body;
  Json form_fields;
};

// The body, by the step's content type: multipart parts (uploads only from inside the knowledge
// base), a form, or JSON (never on GET or HEAD).
std::optional<PrepareFailure> AddBody(const doc::Step& step, const RenderedBody& rendered,
                                      const StepHeaders& step_headers,
                                      const RequestContext& context, PreparedRequest* out) {
  http::HttpRequest& request = out->request;
  std::string content_type = step.content_type.value_or("json");
  bool sends_body = request.method != "GET" && request.method != "HEAD";
  if (content_type == "multipart") {
    for (const auto& [name, value] : rendered.form_fields.items()) {
      request.multipart.push_back({.name = name, .value = expr::ToText(value)});
    }
    for (const doc::FileField& f : step.file_fields) {
      Result<std::string> resolved = ResolveUpload(context.kb_root, f.file_path);
      if (!resolved.ok()) {
        return PrepareFailure{std::string(reason::kInvalidRequest),
                              fmt::format("file_fields {}: \"{}\" {}", f.field_name, f.file_path,
                                          resolved.status().message()),
                              "upload files kept inside the knowledge base folder"};
      }
      request.multipart.push_back(
          {.name = f.field_name, .file_path = *resolved, .filename = f.filename});
    }
  } else if (content_type == "form") {
    const Json& fields = !rendered.form_fields.empty() ? rendered.form_fields
                                                       : rendered.body.value_or(Json::object());
    request.body = EncodeQuery(fields);
    if (step_headers.Defaulted(request.headers, "content-type"))
      request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  } else if (rendered.body && sends_body) {
    request.body = rendered.body->dump();
    out->body_is_json = true;
    if (step_headers.Defaulted(request.headers, "content-type"))
      request.headers.emplace_back("Content-Type", "application/json");
  }
  return std::nullopt;
}

}  // namespace

std::variant<PreparedRequest, PrepareFailure> PrepareRequest(const doc::Step& step,
                                                             const expr::Scope& scope,
                                                             const RequestContext& context) {
  const RunSettings& settings = *context.settings;
  PreparedRequest out;
  http::HttpRequest& request = out.request;
  request.method = ToUpper(step.method);

  expr::Renderer renderer(scope, step.id, context.is_secret);
  std::string path = renderer.Path(step.path);
  Json params = renderer.Value(step.params, "params");
  Json headers = renderer.Value(step.headers, "headers");
  RenderedBody rendered;
  if (step.body) rendered.body = renderer.Value(*step.body, "body");
  rendered.form_fields = renderer.Value(step.form_fields, "form_fields");
  if (!renderer.ok()) return TemplateFailure(renderer);
  out.derived_secrets = renderer.derived_secrets();

  StepHeaders step_headers = TakeStepHeaders(headers, &request.headers);
  // A raw space or quote in a recipe's path or query string is what the author meant to send, and
  // libcurl would refuse the whole URL for it.
  path = EscapeUrlText(path);
  std::string_view path_only = std::string_view(path).substr(0, path.find('?'));
  out.path = std::string(path_only);
  const spec::Operation* operation =
      context.find_operation ? context.find_operation(request.method, path_only) : nullptr;

  CredentialPlan credentials = PlanCredentials(step, *context.document, operation, settings);
  if (credentials.unmet) {
    return PrepareFailure{std::string(reason::kMissingToken), *credentials.unmet,
                          credentials.unmet_suggestion};
  }
  std::vector<CredentialUse> sent = NeededCredentials(credentials, step_headers, request.headers);
  for (const CredentialUse& use : sent)
    if (!use.credential) return MissingToken(settings, use);
  out.token_type = TokenTypes(sent, credentials, request.headers);
  for (const CredentialUse& use : sent) out.credential_types.push_back(use.type);

  auto base = ChooseBase(step, *context.document, settings, path_only);
  if (auto* failure = std::get_if<PrepareFailure>(&base)) return std::move(*failure);
  ChosenBase& chosen = std::get<ChosenBase>(base);
  out.base = chosen.name;
  std::string url = JoinUrl(chosen.url, path);
  std::string query = EncodeQuery(params, operation ? QueryStylesOf(*operation) : QueryStyles{},
                                  settings.array_format);
  Json credential_params = Json::object();
  for (const CredentialUse& use : sent)
    if (use.in == "query") credential_params[use.name] = CredentialRawValue(use);
  std::string credential_query = EncodeQuery(credential_params);
  if (!credential_query.empty()) query += (query.empty() ? "" : "&") + credential_query;
  if (!query.empty()) url += (url.find('?') == std::string::npos ? '?' : '&') + query;
  request.url = std::move(url);

  if (auto failure = AddCredentials(sent, chosen, step_headers, &renderer, &request.headers))
    return *failure;
  out.derived_secrets = renderer.derived_secrets();
  if (step_headers.Defaulted(request.headers, "accept"))
    request.headers.emplace_back("Accept", "application/json");
  bool directory = std::any_of(sent.begin(), sent.end(),
                               [](const CredentialUse& u) { return u.type == "directory"; });
  if (settings.conventions.vcita && directory &&
      step_headers.Defaulted(request.headers, "x-on-behalf-of")) {
    AddOnBehalfOf(step, operation, scope, &request.headers);
  }
  if (auto failure = AddBody(step, rendered, step_headers, context, &out)) return *failure;
  request.timeout = std::chrono::milliseconds(settings.timeout_ms);
  request.max_response_bytes = settings.max_response_bytes;
  request.verify_tls = settings.verify_tls;
  return out;
}

}  // namespace verity::run
