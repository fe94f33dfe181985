#include "spec/security.h"

#include <algorithm>
#include <array>

#include "base/strings.h"

namespace verity::spec {
namespace {

std::string Text(const Json* node, std::string_view key) {
  if (!node || !node->is_object()) return "";
  auto it = node->find(key);
  return it != node->end() && it->is_string() ? it->get<std::string>() : "";
}

SchemaRef Followed(SpecSet& specs, const SchemaRef& ref) {
  if (!ref) return ref;
  Result<SchemaRef> followed = specs.Follow(ref);
  return followed.ok() ? *followed : SchemaRef{};
}

// OpenAPI 3 flows by the name they have there; Swagger 2's single `flow` is mapped onto them.
// Client credentials come first: it is the one grant a test runner can complete on its own.
constexpr std::array<std::string_view, 4> kFlowPreference = {"clientCredentials", "password",
                                                             "authorizationCode", "implicit"};

std::string_view OpenApi3FlowName(std::string_view swagger2_flow) {
  if (swagger2_flow == "application") return "clientCredentials";
  if (swagger2_flow == "accessCode") return "authorizationCode";
  return swagger2_flow;  // password, implicit
}

void ReadOAuthFlows(const Json& node, bool swagger2, SecurityScheme* out) {
  if (swagger2) {
    std::string flow = Text(&node, "flow");
    if (!flow.empty()) out->flows.emplace_back(OpenApi3FlowName(flow));
    out->token_url = Text(&node, "tokenUrl");
    return;
  }
  auto flows = node.find("flows");
  if (flows == node.end() || !flows->is_object()) return;
  for (std::string_view name : kFlowPreference) {
    auto flow = flows->find(name);
    if (flow == flows->end() || !flow->is_object()) continue;
    out->flows.emplace_back(name);
    if (out->token_url.empty()) {
      out->token_url = Text(&*flow, "tokenUrl");
      out->refresh_url = Text(&*flow, "refreshUrl");
    }
  }
}

SecurityScheme ReadScheme(std::string name, const SchemaRef& ref, bool swagger2) {
  SecurityScheme out;
  out.name = std::move(name);
  out.location = ref.Location();
  if (!ref || !ref->is_object()) return out;
  const Json& node = *ref.node;
  std::string type = Text(&node, "type");
  if (type == "http" || (swagger2 && type == "basic")) {
    out.kind = SecurityKind::kHttp;
    out.http_scheme = swagger2 ? "basic" : ToLower(Text(&node, "scheme"));
  } else if (type == "apiKey") {
    out.kind = SecurityKind::kApiKey;
    out.in = Text(&node, "in");
    out.param_name = Text(&node, "name");
  } else if (type == "oauth2") {
    out.kind = SecurityKind::kOAuth2;
    out.http_scheme = "bearer";
    ReadOAuthFlows(node, swagger2, &out);
  } else if (type == "openIdConnect") {
    out.kind = SecurityKind::kOpenIdConnect;
    out.http_scheme = "bearer";
    out.openid_connect_url = Text(&node, "openIdConnectUrl");
  } else if (type == "mutualTLS") {
    out.kind = SecurityKind::kMutualTls;
  }
  return out;
}

}  // namespace

const char* SecurityKindName(SecurityKind kind) {
  switch (kind) {
    case SecurityKind::kHttp:
      return "http";
    case SecurityKind::kApiKey:
      return "apiKey";
    case SecurityKind::kOAuth2:
      return "oauth2";
    case SecurityKind::kOpenIdConnect:
      return "openIdConnect";
    case SecurityKind::kMutualTls:
      return "mutualTLS";
    case SecurityKind::kUnknown:
      break;
  }
  return "unknown";
}

bool OperationSecurity::AllowsAnonymous() const {
  if (!declared) return false;
  return alternatives.empty() ||
         std::any_of(alternatives.begin(), alternatives.end(),
                     [](const SecurityAlternative& a) { return a.empty(); });
}

std::vector<SecurityScheme> ReadSecuritySchemes(SpecSet& specs, const SpecFile& file) {
  bool swagger2 = file.version == SpecVersion::kSwagger2;
  SchemaRef table =
      SpecSet::At(file, swagger2 ? "/securityDefinitions" : "/components/securitySchemes");
  std::vector<SecurityScheme> out;
  if (!table || !table->is_object()) return out;
  for (const auto& [name, value] : table.node->items()) {
    out.push_back(ReadScheme(name, Followed(specs, table.Member(name, value)), swagger2));
  }
  return out;
}

OperationSecurity ReadOperationSecurity(const SpecFile& file, const SchemaRef& op,
                                        const std::vector<SecurityScheme>& schemes) {
  OperationSecurity out;
  SchemaRef list = op.Child("security");
  if (!list) list = SpecSet::At(file, "/security");
  if (!list || !list->is_array()) return out;
  out.declared = true;
  for (const Json& alternative : *list.node) {
    if (!alternative.is_object()) continue;
    SecurityAlternative all;
    for (const auto& [key, scopes] : alternative.items()) {
      SecurityUse use;
      use.name = key;
      const std::string& name = use.name;
      if (scopes.is_array()) {
        for (const Json& scope : scopes)
          if (scope.is_string()) use.scopes.push_back(scope.get<std::string>());
      }
      auto found = std::find_if(schemes.begin(), schemes.end(),
                                [&](const SecurityScheme& s) { return s.name == name; });
      if (found != schemes.end()) use.scheme = *found;
      all.push_back(std::move(use));
    }
    out.alternatives.push_back(std::move(all));
  }
  return out;
}

}  // namespace verity::spec
