#include "spec/operation.h"

#include <algorithm>
#include <array>
#include <cstdlib>

#include "base/strings.h"
#include "spec/path_template.h"

namespace verity::spec {
namespace {

constexpr std::array<std::string_view, 8> kMethods = {"get",     "put",  "post",  "delete",
                                                      "options", "head", "patch", "trace"};

std::string StringField(const Json* node, std::string_view key) {
  if (!node || !node->is_object()) return "";
  auto it = node->find(key);
  return it != node->end() && it->is_string() ? it->get<std::string>() : "";
}

bool BoolField(const Json* node, std::string_view key) {
  if (!node || !node->is_object()) return false;
  auto it = node->find(key);
  return it != node->end() && it->is_boolean() && it->get<bool>();
}

std::vector<std::string> StringList(const Json* node) {
  std::vector<std::string> out;
  if (!node || !node->is_array()) return out;
  for (const Json& item : *node) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

class Reader {
 public:
  Reader(SpecSet& specs, const SpecFile& file, std::vector<OperationProblem>* problems)
      : specs_(specs), file_(file), problems_(problems) {}

  // Follows a `$ref`; a dangling one is reported and yields an empty ref.
  SchemaRef Follow(const SchemaRef& ref) {
    if (!ref) return ref;
    Result<SchemaRef> followed = specs_.Follow(ref);
    if (!followed.ok()) {
      // Refs outside the spec root and remote ones are reported where they are written, when
      // their file is loaded (SpecSet::TakeLoadProblems).
      if (RefFailureCode(followed.status()) == std::string_view(kRefUnresolved)) {
        Problem(kRefUnresolved, ref, followed.status().message());
      }
      return {};
    }
    return *followed;
  }

  void Problem(std::string code, const SchemaRef& where, std::string message) {
    if (problems_) problems_->push_back({std::move(code), where.Location(), std::move(message)});
  }

  Parameter ReadParameter(const SchemaRef& raw) {
    Parameter param;
    param.node = Follow(raw);
    if (!param.node || !param.node->is_object()) return param;
    const Json* node = param.node.node;
    param.name = StringField(node, "name");
    param.in = StringField(node, "in");
    param.required = BoolField(node, "required");
    param.description = StringField(node, "description");
    if (file_.version == SpecVersion::kSwagger2 && param.in != "body") {
      param.schema = param.node;  // 2.0 puts type/format/enum on the parameter itself
    } else {
      param.schema = param.node.Child("schema");
    }
    return param;
  }

  std::vector<MediaSchema> ReadContent(const SchemaRef& content) {
    std::vector<MediaSchema> out;
    if (!content || !content.node->is_object()) return out;
    for (const auto& [media_type, value] : content.node->items()) {
      SchemaRef media = content.Member(media_type, value);
      MediaSchema entry{media_type, media.Child("schema"), media.Child("example")};
      if (!entry.example) {
        SchemaRef examples = media.Child("examples");
        if (examples && examples.node->is_object() && !examples.node->empty()) {
          SchemaRef first = Follow(examples.Child(examples.node->begin().key()));
          entry.example = first.Child("value");
        }
      }
      out.push_back(std::move(entry));
    }
    return out;
  }

  std::vector<std::string> MediaTypes(const SchemaRef& op, std::string_view key) {
    std::vector<std::string> types = StringList(op.Child(key).node);
    if (types.empty()) types = StringList(SpecSet::At(file_, "").Child(key).node);
    if (types.empty()) types.push_back("application/json");
    return types;
  }

  Response ReadResponse(const std::string& status, const SchemaRef& raw, const SchemaRef& op) {
    Response response;
    response.status = status;
    response.node = Follow(raw);
    if (!response.node) return response;
    response.description = StringField(response.node.node, "description");
    if (file_.version == SpecVersion::kSwagger2) {
      SchemaRef schema = response.node.Child("schema");
      SchemaRef examples = response.node.Child("examples");
      if (schema) {
        for (const std::string& type : MediaTypes(op, "produces")) {
          response.content.push_back({type, schema, examples.Child(type)});
        }
      } else if (examples && examples.node->is_object()) {
        // An answer documented by its examples alone still has a shape: the mock serves it and a
        // derived recipe reads a list's ids from it. Without a schema nothing is validated.
        for (const auto& [type, example] : examples.node->items()) {
          response.content.push_back({type, SchemaRef{}, examples.Child(type)});
        }
      }
    } else {
      response.content = ReadContent(response.node.Child("content"));
    }
    return response;
  }

  Operation ReadOperation(const std::string& method, const std::string& path_key,
                          const SchemaRef& op, const std::vector<Parameter>& shared) {
    Operation out;
    out.method = ToUpper(method);
    out.path_key = path_key;
    out.file = &file_;
    out.node = op;
    out.operation_id = StringField(op.node, "operationId");
    out.summary = StringField(op.node, "summary");
    out.description = StringField(op.node, "description");
    out.tags = StringList(op.Child("tags").node);
    out.deprecated = BoolField(op.node, "deprecated");

    out.parameters = shared;
    SchemaRef params = op.Child("parameters");
    for (size_t i = 0; params && params.node->is_array() && i < params.node->size(); ++i) {
      Parameter param = ReadParameter(params.Item(i));
      if (param.name.empty() && param.in.empty()) continue;
      auto same = std::find_if(out.parameters.begin(), out.parameters.end(), [&](const auto& p) {
        return p.name == param.name && p.in == param.in;
      });
      if (same != out.parameters.end()) {
        *same = std::move(param);
      } else {
        out.parameters.push_back(std::move(param));
      }
    }

    if (file_.version == SpecVersion::kSwagger2) {
      bool has_form = false;
      for (const Parameter& param : out.parameters) {
        if (param.in == "body") {
          for (const std::string& type : MediaTypes(op, "consumes")) {
            out.request_bodies.push_back({type, param.schema, {}});
          }
          out.request_body_required = param.required;
        }
        has_form = has_form || param.in == "formData";
      }
      if (has_form) {
        // Form fields stay parameters (in: formData); the body entry records the media type.
        std::vector<std::string> types = MediaTypes(op, "consumes");
        for (const std::string& type : types) {
          if (type == "application/json") continue;
          out.request_bodies.push_back({type, {}, {}});
        }
        if (out.request_bodies.empty()) {
          out.request_bodies.push_back({"application/x-www-form-urlencoded", {}, {}});
        }
      }
      std::erase_if(out.parameters, [](const Parameter& p) { return p.in == "body"; });
    } else {
      SchemaRef body = Follow(op.Child("requestBody"));
      if (body) {
        out.request_bodies = ReadContent(body.Child("content"));
        out.request_body_required = BoolField(body.node, "required");
      }
    }

    SchemaRef responses = op.Child("responses");
    if (responses && responses.node->is_object()) {
      for (const auto& [status, value] : responses.node->items()) {
        if (status.rfind("x-", 0) == 0) continue;
        out.responses.push_back(ReadResponse(status, responses.Member(status, value), op));
      }
    }

    SchemaRef security = op.Child("security");
    if (!security) security = SpecSet::At(file_, "/security");
    out.security = security ? *security.node : Json();
    out.tokens = DocumentedTokens(out.description, StringField(op.node, "x-auth-type"));
    return out;
  }

 private:
  SpecSet& specs_;
  const SpecFile& file_;
  std::vector<OperationProblem>* problems_;
};

// Whether any operation under `paths` names its token types the prose way (a description or
// `x-auth-type`), so that one which does not is a gap rather than another convention.
bool DocumentsTokensInProse(const SchemaRef& paths) {
  for (const auto& [path_key, item] : paths.node->items()) {
    if (!item.is_object()) continue;
    for (std::string_view method : kMethods) {
      auto op = item.find(method);
      if (op == item.end() || !op->is_object()) continue;
      if (DocumentedTokens(StringField(&*op, "description"), StringField(&*op, "x-auth-type"))
              .found)
        return true;
    }
  }
  return false;
}

}  // namespace

const MediaSchema* Response::JsonMedia() const {
  const MediaSchema* fallback = nullptr;
  for (const MediaSchema& media : content) {
    std::string type = ToLower(media.media_type.substr(0, media.media_type.find(';')));
    if (type == "application/json") return &media;
    if (!fallback && (EndsWith(type, "+json") || type == "*/*" || type == "application/*")) {
      fallback = &media;
    }
  }
  return fallback;
}

const Response* Operation::FindResponse(int status) const {
  std::string exact = std::to_string(status);
  std::string range = exact.substr(0, 1) + "XX";
  const Response* by_range = nullptr;
  const Response* by_default = nullptr;
  for (const Response& response : responses) {
    if (response.status == exact) return &response;
    if (IEquals(response.status, range)) by_range = &response;
    if (response.status == "default") by_default = &response;
  }
  return by_range ? by_range : by_default;
}

std::vector<std::string> Operation::StatusCodes() const {
  std::vector<std::string> codes;
  for (const Response& response : responses) codes.push_back(response.status);
  return codes;
}

std::string BasePath(const SpecFile& file) {
  std::string base;
  if (file.version == SpecVersion::kSwagger2) {
    base = StringField(&file.root, "basePath");
  } else {
    SchemaRef server = SpecSet::At(file, "/servers/0/url");
    std::string url = server && server.node->is_string() ? server.node->get<std::string>() : "";
    size_t scheme = url.find("://");
    if (scheme != std::string::npos) {
      size_t path = url.find('/', scheme + 3);
      url = path == std::string::npos ? "" : url.substr(path);
    }
    base = url;
  }
  base = std::string(StripQuery(base));
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (!base.empty() && base[0] != '/') base.insert(base.begin(), '/');
  return base;
}

std::vector<Operation> ReadOperations(SpecSet& specs, const SpecFile& file,
                                      const std::string& domain,
                                      std::vector<OperationProblem>* problems) {
  std::vector<Operation> out;
  Reader reader(specs, file, problems);
  std::string base = BasePath(file);
  SchemaRef paths = SpecSet::At(file, "/paths");
  if (!paths || !paths.node->is_object()) return out;
  std::vector<SecurityScheme> schemes = ReadSecuritySchemes(specs, file);
  bool prose_tokens = DocumentsTokensInProse(paths);
  for (const auto& [path_key, value] : paths.node->items()) {
    SchemaRef item = reader.Follow(paths.Member(path_key, value));
    if (!item || !item.node->is_object()) continue;
    std::vector<Parameter> shared;
    SchemaRef params = item.Child("parameters");
    for (size_t i = 0; params && params.node->is_array() && i < params.node->size(); ++i) {
      shared.push_back(reader.ReadParameter(params.Item(i)));
    }
    for (std::string_view method : kMethods) {
      SchemaRef op = item.Child(method);
      if (!op) continue;
      if (!op.node->is_object()) {
        reader.Problem("INVALID_OPERATION", op, "an operation must be an object");
        continue;
      }
      Operation operation = reader.ReadOperation(std::string(method), path_key, op, shared);
      operation.base_path = base;
      operation.path = base + (path_key.empty() || path_key[0] != '/' ? "/" : "") + path_key;
      operation.domain = domain;
      for (const std::string& name : PathTemplate::Parse(path_key).ParamNames()) {
        bool declared =
            std::any_of(operation.parameters.begin(), operation.parameters.end(),
                        [&](const Parameter& p) { return p.in == "path" && p.name == name; });
        if (!declared) {
          reader.Problem("INVALID_PATH_PARAMETER", op,
                         "{" + name + "} in the path has no 'in: path' parameter");
        }
      }
      operation.auth = ReadOperationSecurity(file, op, schemes);
      for (const SecurityAlternative& alternative : operation.auth.alternatives) {
        for (const SecurityUse& use : alternative) {
          if (!use.scheme) {
            reader.Problem(
                kSecuritySchemeUndefined, op,
                "security names \"" + use.name +
                    "\", which the description does not "
                    "define under " +
                    (file.version == SpecVersion::kSwagger2 ? "securityDefinitions"
                                                            : "components.securitySchemes"));
          }
        }
      }
      // A description that names token types in prose for some operations ("Available for
      // **Staff tokens**") and declares no `security` leaves the runner guessing for the others:
      // worth a line in `spec problems`. A spec that declares `security`, or never uses that
      // prose, says what it needs in its own way.
      if (prose_tokens && !operation.auth.declared && !operation.tokens.found) {
        reader.Problem(kMissingTokenDocumentation, op,
                       operation.tokens.is_legacy
                           ? "x-auth-type names an application-user scheme and the description "
                             "documents no token type"
                           : "the description documents no token type (\"Available for **Staff "
                             "tokens**\")");
      }
      if (operation.description.empty() && operation.summary.empty()) {
        reader.Problem("MISSING_DESCRIPTION", op, "the operation has no description or summary");
      }
      out.push_back(std::move(operation));
    }
  }
  return out;
}

}  // namespace verity::spec
