#include "arazzo/sources.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "expr/arazzo_expression.h"
#include "spec/operation.h"
#include "spec/spec_file.h"

namespace verity::arazzo {

namespace {

constexpr const char* kHttpMethods[] = {"get",     "put",  "post",  "delete",
                                        "options", "head", "patch", "trace"};

// The file a source names, relative to the document; for a URL, its last path segment.
std::string LocalPath(const Document& doc, const std::string& url) {
  std::string_view relative = url;
  size_t scheme = relative.find("://");
  if (scheme != std::string_view::npos) {
    relative = relative.substr(0, relative.find_first_of("?#"));
    size_t slash = relative.rfind('/');
    if (slash == std::string_view::npos || slash < scheme + 3) return "";
    relative = relative.substr(slash + 1);
  }
  while (relative.starts_with("./")) relative.remove_prefix(2);
  if (relative.empty()) return "";
  return JoinPath(ParentPath(doc.path), relative);
}

std::string ServerUrl(const Json& root) {
  if (root.contains("swagger")) {
    std::string base = root.value("basePath", "");
    if (base == "/") base.clear();
    if (!root.contains("host") || !root["host"].is_string()) return base;
    std::string scheme = "https";
    if (auto s = root.find("schemes");
        s != root.end() && s->is_array() && !s->empty() && s->front().is_string())
      scheme = s->front().get<std::string>();
    return scheme + "://" + root["host"].get<std::string>() + base;
  }
  auto servers = root.find("servers");
  if (servers == root.end() || !servers->is_array() || servers->empty()) return "";
  const Json& server = servers->front();
  if (!server.is_object() || !server.contains("url") || !server["url"].is_string()) return "";
  std::string url = server["url"].get<std::string>();
  if (auto vars = server.find("variables"); vars != server.end() && vars->is_object()) {
    for (const auto& [name, v] : vars->items()) {
      if (!v.is_object() || !v.contains("default") || !v["default"].is_string()) continue;
      std::string placeholder = "{" + name + "}";
      for (size_t at; (at = url.find(placeholder)) != std::string::npos;)
        url.replace(at, placeholder.size(), v["default"].get<std::string>());
    }
  }
  return url;
}

// `{"$ref": "#/…"}` followed inside the same file (a few hops, for chains of references).
const Json* Deref(const Json& root, const Json* node) {
  for (int hops = 0; hops < 8 && node != nullptr && node->is_object(); ++hops) {
    auto ref = node->find("$ref");
    if (ref == node->end() || !ref->is_string()) return node;
    std::string target = ref->get<std::string>();
    if (!target.starts_with("#")) return node;
    try {
      node = &root.at(Json::json_pointer(target.substr(1)));
    } catch (const std::exception&) {
      return nullptr;
    }
  }
  return node;
}

void CollectById(const SourceFile& source, const std::string& id, bool fold,
                 std::vector<OperationRef>& out) {
  if (!source.openapi) return;
  const Json& root = *source.openapi;
  auto paths = root.find("paths");
  if (paths == root.end() || !paths->is_object()) return;
  for (const auto& [key, item] : paths->items()) {
    if (!item.is_object()) continue;
    for (const char* method : kHttpMethods) {
      auto op = item.find(method);
      if (op == item.end() || !op->is_object()) continue;
      auto found = op->find("operationId");
      if (found == op->end() || !found->is_string()) continue;
      const std::string& name = found->get_ref<const std::string&>();
      if (fold ? ToLower(name) == ToLower(id) : name == id)
        out.push_back({&source, ToUpper(method), key, &*op, &item});
    }
  }
}

}  // namespace

const SourceFile* Sources::Find(const std::string& name) const {
  for (const SourceFile& f : files)
    if (f.name == name) return &f;
  return nullptr;
}

Sources LoadSources(const FileSystem& fs, const Document& doc) {
  Sources out;
  for (const SourceDescription& s : doc.source_descriptions) {
    SourceFile& f = out.files.emplace_back();
    f.name = s.name;
    f.url = s.url;
    f.type = s.type;
    std::string path = LocalPath(doc, s.url);
    if (path.empty()) {
      f.unloaded_reason = fmt::format("{} names no file", Quoted(s.url));
      continue;
    }
    Result<std::string> text = fs.ReadFile(path);
    if (!text.ok()) {
      f.unloaded_reason = s.url.find("://") != std::string::npos
                              ? fmt::format("{} is not fetched and no copy is at {}", s.url, path)
                              : fmt::format("cannot read {}", path);
      continue;
    }
    if (s.type == "arazzo") {
      LoadResult loaded = LoadDocument(path, *text);
      if (!loaded.document) {
        f.unloaded_reason = fmt::format("{} is not an Arazzo document", path);
        continue;
      }
      f.arazzo = std::move(loaded.document);
    } else {
      Result<spec::SpecFile> spec = spec::ParseSpecText(path, *text);
      if (!spec.ok()) {
        f.unloaded_reason = fmt::format("{}: {}", path, spec.status().message());
        continue;
      }
      f.server_url = ServerUrl(spec->root);
      f.base_path = spec::BasePath(*spec);
      f.openapi = std::move(spec->root);
    }
    f.path = path;
  }
  return out;
}

std::optional<OperationRef> FindOperationById(const Sources& sources, const std::string& id,
                                              std::string* error) {
  std::string name = id;
  std::vector<const SourceFile*> candidates;
  if (id.starts_with("$sourceDescriptions.")) {
    ExpressionError parse_error;
    std::optional<Expression> e = ParseExpression(id, &parse_error);
    if (!e) {
      *error = fmt::format("operationId {}: {}", Quoted(id), parse_error.message);
      return std::nullopt;
    }
    const SourceFile* source = sources.Find(e->id);
    if (source == nullptr) {
      *error = fmt::format("operationId {}: no sourceDescription is named {}", Quoted(id),
                           Quoted(e->id));
      return std::nullopt;
    }
    name = e->name;
    candidates.push_back(source);
  } else {
    for (const SourceFile& f : sources.files)
      if (f.type == "openapi") candidates.push_back(&f);
  }
  for (bool fold : {false, true}) {
    std::vector<OperationRef> found;
    for (const SourceFile* source : candidates) CollectById(*source, name, fold, found);
    if (found.size() == 1) return found.front();
    if (found.size() > 1) {
      *error = fmt::format("operationId {} names {} operations", Quoted(id), found.size());
      return std::nullopt;
    }
  }
  std::vector<std::string> unloaded;
  for (const SourceFile* source : candidates)
    if (!source->openapi)
      unloaded.push_back(fmt::format("source {}: {}", Quoted(source->name),
                                     source->unloaded_reason.empty() ? "not an OpenAPI description"
                                                                     : source->unloaded_reason));
  *error = fmt::format("no operation has operationId {}{}", Quoted(id),
                       unloaded.empty() ? "" : " (" + Join(unloaded, "; ") + ")");
  return std::nullopt;
}

std::optional<OperationRef> FindOperationByPath(const Sources& sources, const std::string& path,
                                                std::string* error) {
  ExpressionError parse_error;
  std::optional<std::vector<TemplatePart>> parts = ParseTemplate(path, &parse_error);
  if (!parts || parts->size() != 2 || !(*parts)[0].is_expression ||
      (*parts)[0].expression.source != Source::kSourceDescriptions ||
      !(*parts)[1].literal.starts_with("#/paths/")) {
    *error = fmt::format("operationPath {} is not {{$sourceDescriptions.NAME.url}}#/paths/…",
                         Quoted(path));
    return std::nullopt;
  }
  const SourceFile* source = sources.Find((*parts)[0].expression.id);
  if (source == nullptr || !source->openapi) {
    *error = fmt::format("operationPath {}: source {} {}", Quoted(path),
                         Quoted((*parts)[0].expression.id),
                         source == nullptr ? "does not exist" : source->unloaded_reason);
    return std::nullopt;
  }
  std::string pointer = (*parts)[1].literal.substr(1);
  size_t method_at = pointer.rfind('/');
  Json::json_pointer item_pointer;
  try {
    item_pointer = Json::json_pointer(pointer.substr(0, method_at));
  } catch (const std::exception&) {
    *error = fmt::format("operationPath {}: {} is not a JSON Pointer", Quoted(path), pointer);
    return std::nullopt;
  }
  std::string method = pointer.substr(method_at + 1);
  const Json& root = *source->openapi;
  if (item_pointer.parent_pointer() != Json::json_pointer("/paths") ||
      !root.contains(item_pointer) || !root.at(item_pointer).contains(method)) {
    *error = fmt::format("operationPath {}: {} has no operation at {}", Quoted(path), source->path,
                         pointer);
    return std::nullopt;
  }
  const Json& item = root.at(item_pointer);
  return OperationRef{source, ToUpper(method), item_pointer.back(), &item.at(method), &item};
}

std::string ParameterLocation(const OperationRef& op, const std::string& name) {
  const Json& root = *op.source->openapi;
  for (const Json* owner : {op.operation, op.path_item}) {
    auto params = owner->find("parameters");
    if (params == owner->end() || !params->is_array()) continue;
    for (const Json& p : *params) {
      const Json* param = Deref(root, &p);
      if (param == nullptr || !param->is_object()) continue;
      if (param->value("name", "") == name) return param->value("in", "");
    }
  }
  return "";
}

std::vector<std::string> RequestMediaTypes(const OperationRef& op) {
  const Json& root = *op.source->openapi;
  std::vector<std::string> out;
  if (root.contains("swagger")) {
    if (auto params = op.operation->find("parameters"); params != op.operation->end())
      for (const Json& p : *params) {
        const Json* param = Deref(root, &p);
        if (param != nullptr && param->is_object() && param->value("in", "") == "formData")
          return {"application/x-www-form-urlencoded"};
      }
    const Json* consumes = op.operation->contains("consumes") ? &(*op.operation)["consumes"]
                           : root.contains("consumes")        ? &root["consumes"]
                                                              : nullptr;
    if (consumes != nullptr && consumes->is_array())
      for (const Json& m : *consumes)
        if (m.is_string()) out.push_back(m.get<std::string>());
    return out;
  }
  auto body = op.operation->find("requestBody");
  if (body == op.operation->end()) return out;
  const Json* resolved = Deref(root, &*body);
  if (resolved == nullptr || !resolved->is_object()) return out;
  auto content = resolved->find("content");
  if (content == resolved->end() || !content->is_object()) return out;
  for (const auto& [media, schema] : content->items()) out.push_back(media);
  return out;
}

}  // namespace verity::arazzo
