#include "spec/spec_file.h"

#include <algorithm>
#include <utility>

#include "base/strings.h"
#include "base/yaml.h"
#include "base/yaml_json.h"

namespace verity::spec {
namespace {

bool LooksLikeJson(std::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' || c == '[';
  }
  return false;
}

std::string_view SkipBom(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

// Spec YAML is machine-written and can nest deeper than workflow steps; the JSON parser's limit
// (1000) applies to JSON, this one to YAML, whose reader keeps a tree with positions.
constexpr uint32_t kYamlMaxDepth = 512;
// Specs use anchors legitimately (shared parameters); this bounds alias expansion, not use.
constexpr size_t kYamlMaxAliasNodes = 1'000'000;

bool IsExternalRef(std::string_view ref) { return !ref.empty() && ref[0] != '#'; }

struct Parsed {
  Json root;
  std::vector<ExternalRef> external_refs;
  std::vector<DuplicateKey> duplicate_keys;
};

// The `$ref`s of a YAML tree that name other files, with the position of their key. Depth is
// bounded by the reader (nesting and alias expansion).
void CollectYamlRefs(const yaml::Node& node, std::string& pointer, std::vector<ExternalRef>& out) {
  size_t length = pointer.size();
  if (node.is_sequence()) {
    for (size_t i = 0; i < node.items.size(); ++i) {
      pointer += '/';
      pointer += std::to_string(i);
      CollectYamlRefs(node.items[i], pointer, out);
      pointer.resize(length);
    }
    return;
  }
  for (const auto& [key, value] : node.entries) {
    if (key.is_scalar() && key.value == "$ref" && value.is_scalar()) {
      Json ref = yaml::ScalarToJson(value);
      if (ref.is_string() && IsExternalRef(ref.get_ref<const std::string&>())) {
        out.push_back({pointer, ref.get<std::string>(), key.pos});
      }
    }
    if (value.is_scalar()) continue;
    AppendPointerToken(pointer, key.is_scalar() ? key.value : yaml::ToJson(key).dump());
    CollectYamlRefs(value, pointer, out);
    pointer.resize(length);
  }
}

// Line:column of many byte offsets in one pass over the text. (LineIndex::PosOf counts the
// columns of each query from its line's start, which is quadratic for a minified file whose one
// line holds thousands of `$ref`s.)
class Positions {
 public:
  Positions(std::string_view text, std::vector<size_t> offsets) : offsets_(std::move(offsets)) {
    std::sort(offsets_.begin(), offsets_.end());
    offsets_.erase(std::unique(offsets_.begin(), offsets_.end()), offsets_.end());
    positions_.reserve(offsets_.size());
    SourcePos pos{1, 1};
    size_t next = 0;
    for (size_t i = 0; i <= text.size() && next < offsets_.size(); ++i) {
      while (next < offsets_.size() && offsets_[next] == i) positions_.push_back(pos), ++next;
      if (i == text.size()) break;
      if (text[i] == '\n') {
        ++pos.line, pos.col = 1;
      } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
        ++pos.col;
      }
    }
  }
  SourcePos Of(size_t offset) const {
    auto it = std::lower_bound(offsets_.begin(), offsets_.end(), offset);
    if (it == offsets_.end() || *it != offset) return {};
    return positions_[static_cast<size_t>(it - offsets_.begin())];
  }

 private:
  std::vector<size_t> offsets_;
  std::vector<SourcePos> positions_;
};

Result<Parsed> ParseJsonSpec(std::string_view text) {
  JsonKeyReport report;
  Result<Json> root = ParseJsonReporting(text, {"$ref", IsExternalRef}, &report);
  if (!root.ok()) return root.status();
  Parsed parsed{std::move(root).value(), {}, {}};
  if (report.watched.empty() && report.duplicates.empty()) return parsed;
  std::vector<size_t> offsets;
  for (const JsonKeyReport::Watched& ref : report.watched) offsets.push_back(ref.offset);
  for (const JsonKeyReport::Duplicate& d : report.duplicates) {
    offsets.push_back(d.offset);
    offsets.push_back(d.first_offset);
  }
  Positions positions(text, std::move(offsets));
  for (JsonKeyReport::Watched& ref : report.watched) {
    parsed.external_refs.push_back(
        {std::move(ref.pointer), std::move(ref.value), positions.Of(ref.offset)});
  }
  for (const JsonKeyReport::Duplicate& d : report.duplicates) {
    parsed.duplicate_keys.push_back({d.key, positions.Of(d.offset), positions.Of(d.first_offset)});
  }
  return parsed;
}

Result<Parsed> ParseYamlSpec(std::string_view text) {
  yaml::LoadResult loaded = yaml::Load(text, {kYamlMaxDepth, kYamlMaxAliasNodes});
  Parsed parsed;
  for (const yaml::Error& error : loaded.errors) {
    // A duplicate key leaves a usable tree (the first definition kept); it is reported.
    if (error.code == "YAML_DUPLICATE_KEY") {
      parsed.duplicate_keys.push_back({error.key, error.pos, error.first_defined});
      continue;
    }
    return Status::ParseError("line " + std::to_string(error.pos.line) + ", column " +
                              std::to_string(error.pos.col) + ": " + error.message + " [" +
                              error.code + "]");
  }
  if (!loaded.root) return Status::ParseError("line 1, column 1: the file is empty");
  parsed.root = yaml::ToJson(*loaded.root);
  std::string pointer;
  CollectYamlRefs(*loaded.root, pointer, parsed.external_refs);
  return parsed;
}

Result<Parsed> ParseAny(std::string_view text) {
  text = SkipBom(text);
  return LooksLikeJson(text) ? ParseJsonSpec(text) : ParseYamlSpec(text);
}

void Attach(SpecFile& file, Parsed parsed) {
  file.root = std::move(parsed.root);
  file.external_refs = std::move(parsed.external_refs);
  file.duplicate_keys = std::move(parsed.duplicate_keys);
  file.IndexExternalRefs();
}

Result<SpecVersion> DetectVersion(const Json& root, std::string& version_text) {
  if (!root.is_object()) {
    return Status::InvalidArgument(std::string(kNotASpec) + ": the document is " +
                                   WithArticle(root.type_name()) + ", not an object");
  }
  auto swagger = root.find("swagger");
  if (swagger != root.end()) {
    version_text = swagger->is_string() ? swagger->get<std::string>() : swagger->dump();
    if (version_text == "2.0" || version_text == "2") return SpecVersion::kSwagger2;
    return Status::InvalidArgument(std::string(kNotASpec) + ": unsupported Swagger version '" +
                                   version_text + "' (2.0 is supported)");
  }
  auto openapi = root.find("openapi");
  if (openapi != root.end()) {
    version_text = openapi->is_string() ? openapi->get<std::string>() : openapi->dump();
    if (version_text.rfind("3.0", 0) == 0) return SpecVersion::kOpenApi30;
    if (version_text.rfind("3.1", 0) == 0) return SpecVersion::kOpenApi31;
    return Status::InvalidArgument(std::string(kNotASpec) + ": unsupported OpenAPI version '" +
                                   version_text + "' (3.0.x and 3.1.x are supported)");
  }
  if (root.contains("paths")) {
    return Status::InvalidArgument(std::string(kNotASpec) +
                                   ": it has 'paths' but no 'swagger: \"2.0\"' or 'openapi: 3.x' "
                                   "field, so how to read it is unknown");
  }
  return Status::InvalidArgument(std::string(kNotASpec) +
                                 ": no 'swagger: \"2.0\"' or 'openapi: 3.x' field at the top");
}

}  // namespace

const char* SpecVersionName(SpecVersion version) {
  switch (version) {
    case SpecVersion::kSwagger2:
      return "swagger 2.0";
    case SpecVersion::kOpenApi30:
      return "openapi 3.0";
    case SpecVersion::kOpenApi31:
      return "openapi 3.1";
  }
  return "?";
}

SourcePos SpecFile::ExternalRefPos(std::string_view pointer) const {
  auto it = ref_index_.find(std::string(pointer));
  return it == ref_index_.end() ? SourcePos{} : external_refs[it->second].pos;
}

void SpecFile::IndexExternalRefs() {
  ref_index_.clear();
  ref_index_.reserve(external_refs.size());
  for (size_t i = 0; i < external_refs.size(); ++i) ref_index_.emplace(external_refs[i].pointer, i);
}

const Json* SpecFile::FindMember(const Json& object, std::string_view key) const {
  // Below this, a linear search is as fast as hashing the key.
  constexpr size_t kIndexFrom = 32;
  const auto& members = object.get_ref<const Json::object_t&>();
  if (members.size() < kIndexFrom) {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  }
  std::lock_guard lock(member_index_->mu);
  auto [entry, added] = member_index_->objects.try_emplace(&members);
  auto& index = entry->second;
  if (added) {
    index.reserve(members.size());
    for (const auto& [name, value] : members) index.emplace(name, &value);
  }
  auto it = index.find(key);
  return it == index.end() ? nullptr : it->second;
}

Result<SpecFile> ParseSpecText(std::string path, std::string_view text) {
  Result<Parsed> parsed = ParseAny(text);
  if (!parsed.ok()) return parsed.status();
  SpecFile file;
  Result<SpecVersion> version = DetectVersion(parsed->root, file.version_text);
  if (!version.ok()) return version.status();
  file.path = std::move(path);
  file.version = *version;
  Attach(file, std::move(parsed).value());
  return file;
}

Result<SpecFile> ParseReferencedText(std::string path, std::string_view text, SpecVersion version) {
  Result<Parsed> parsed = ParseAny(text);
  if (!parsed.ok()) return parsed.status();
  SpecFile file;
  file.path = std::move(path);
  Attach(file, std::move(parsed).value());
  std::string own_version;
  Result<SpecVersion> own = DetectVersion(file.root, own_version);
  file.version = own.ok() ? *own : version;
  file.version_text = own.ok() ? own_version : "";
  file.is_description = own.ok();
  return file;
}

}  // namespace verity::spec
