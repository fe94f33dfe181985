#include "run/request_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "base/file_system.h"
#include "base/strings.h"
#include "expr/filters.h"
#include "expr/render.h"
#include "expr/template.h"
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

std::variant<PreparedRequest, PrepareFailure> PrepareRequest(const doc::Step& step,
                                                             const expr::Scope& scope,
                                                             const RequestContext& context) {
  const RunSettings& settings = *context.settings;
  const doc::Document& document = *context.document;
  PreparedRequest out;
  http::HttpRequest& request = out.request;
  request.method = ToUpper(step.method);

  expr::Renderer renderer(scope, step.id, context.is_secret);
  std::string path = renderer.Path(step.path);
  Json params = renderer.Value(step.params, "params");
  Json headers = renderer.Value(step.headers, "headers");
  std::optional<Json> body;
  if (step.body) body = renderer.Value(*step.body, "body");
  Json form_fields = renderer.Value(step.form_fields, "form_fields");
  if (!renderer.ok()) return TemplateFailure(renderer);
  out.derived_secrets = renderer.derived_secrets();

  // The step's own headers first, so an explicit Authorization or X-On-Behalf-Of wins. A blank
  // value is how a recipe says "without this header" (a negative test without Authorization):
  // it is not sent, and nothing is put in its place.
  std::vector<std::string> withheld;  // lower case
  if (headers.is_object()) {
    for (const auto& [name, value] : headers.items()) {
      std::string text = expr::ToText(value);
      if (Trim(text).empty())
        withheld.push_back(ToLower(name));
      else
        request.headers.emplace_back(name, std::move(text));
    }
  }
  auto defaulted = [&](std::string_view name) {
    return !HasHeader(request.headers, name) &&
           std::find(withheld.begin(), withheld.end(), name) == withheld.end();
  };
  // With Authorization withheld no token is sent, so none is needed and none is reported used.
  bool sends_token = defaulted("authorization");

  // The token: the step's, else the document's first documented one, else the environment's.
  std::string token_type = step.token                             ? *step.token
                           : !document.frontmatter.tokens.empty() ? document.frontmatter.tokens[0]
                                                                  : settings.default_token;
  if (HasHeader(request.headers, "authorization") || sends_token) out.token_type = token_type;
  auto credential = settings.tokens.find(token_type);
  bool has_credential = credential != settings.tokens.end() && !credential->second.value.empty();
  if (sends_token && !has_credential) {
    auto problem = settings.token_problems.find(token_type);
    std::string why = problem != settings.token_problems.end()
                          ? problem->second
                          : "the environment configures no such token";
    return PrepareFailure{std::string(reason::kMissingToken),
                          fmt::format("no value for the {} token: {}", token_type, why),
                          fmt::format("configure tokens.{} in the environment (an environment "
                                      "variable or a file) and make sure it is set",
                                      token_type)};
  }

  // A raw space or quote in a recipe's path or query string is what the author meant to send, and
  // libcurl would refuse the whole URL for it.
  path = EscapeUrlText(path);
  std::string_view path_only = std::string_view(path).substr(0, path.find('?'));
  out.path = std::string(path_only);
  const spec::Operation* operation =
      context.find_operation ? context.find_operation(request.method, path_only) : nullptr;

  // The base URL.
  AuthScheme scheme = has_credential ? credential->second.scheme : AuthScheme::kBearer;
  std::string base_url;
  if (const NamedBase* named = NamedBaseFor(settings.bases, path_only)) {
    base_url = named->url;
    out.base = named->name;
    if (named->scheme) scheme = *named->scheme;
  } else {
    bool fallback =
        settings.base_override == BaseOverride::kNone
            ? step.use_fallback.value_or(document.frontmatter.use_fallback_api.value_or(false))
            : settings.base_override == BaseOverride::kFallback;
    if (fallback) {
      if (settings.fallback_url.empty()) {
        return PrepareFailure{std::string(reason::kFallbackNotConfigured),
                              "the step asks for the fallback base URL, and the environment "
                              "configures none",
                              "set fallback_url in the environment's configuration"};
      }
      base_url = settings.fallback_url;
      out.base = "fallback";
    } else {
      base_url = settings.base_url;
      out.base = "primary";
    }
  }

  std::string url = JoinUrl(base_url, path);
  std::string query = EncodeQuery(params, operation ? QueryStylesOf(*operation) : QueryStyles{},
                                  settings.array_format);
  if (!query.empty()) url += (url.find('?') == std::string::npos ? '?' : '&') + query;
  request.url = std::move(url);

  if (sends_token)
    request.headers.emplace_back("Authorization",
                                 AuthorizationValue(scheme, credential->second.value));
  if (defaulted("accept")) request.headers.emplace_back("Accept", "application/json");

  if (token_type == "directory" && defaulted("x-on-behalf-of") &&
      step.x_on_behalf_of.value_or(true)) {
    bool wanted = step.x_on_behalf_of.value_or(false);
    if (!wanted) wanted = operation && OperationWantsOnBehalfOf(*operation);
    if (wanted) {
      for (const char* name : {"business_uid", "business_id"}) {
        if (auto value = scope.Lookup(name); value && !value->is_null()) {
          request.headers.emplace_back("X-On-Behalf-Of", expr::ToText(*value));
          break;
        }
      }
    }
  }

  // The body.
  std::string content_type = step.content_type.value_or("json");
  bool sends_body = request.method != "GET" && request.method != "HEAD";
  if (content_type == "multipart") {
    for (const auto& [name, value] : form_fields.items()) {
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
    const Json& fields = !form_fields.empty() ? form_fields : body.value_or(Json::object());
    request.body = EncodeQuery(fields);
    if (defaulted("content-type"))
      request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  } else if (body && sends_body) {
    request.body = body->dump();
    out.body_is_json = true;
    if (defaulted("content-type")) request.headers.emplace_back("Content-Type", "application/json");
  }
  request.timeout = std::chrono::milliseconds(settings.timeout_ms);
  request.max_response_bytes = settings.max_response_bytes;
  request.verify_tls = settings.verify_tls;
  return out;
}

}  // namespace verity::run
