// The OpenAPI and Arazzo files an Arazzo document's `sourceDescriptions` name, read relative to
// the document, and the operations its steps call in them. Verity never fetches: a source given
// by URL is read from a copy of the same file name beside the document when there is one (the
// official examples name their published URL and ship the file), else it stays unloaded.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "arazzo/model.h"
#include "base/file_system.h"
#include "base/json.h"

namespace verity::arazzo {

struct SourceFile {
  std::string name;
  std::string url;
  std::string type;  // "openapi" or "arazzo"
  std::string path;  // the local file read; empty when none could be
  std::optional<Json> openapi;
  std::optional<Document> arazzo;
  /// OpenAPI 3 `servers[0].url` with its variables' defaults; Swagger 2.0 scheme://host+basePath
  /// (https when no scheme is given; the basePath alone without a host). Empty when it says none.
  std::string server_url;
  /// The path its operations sit under (spec::BasePath: "/v2", or ""): a recipe's path starts
  /// with it, as the spec catalog matches operations, and the base URL is the server's origin.
  std::string base_path;
  std::string unloaded_reason;  // why `path` is empty or the file could not be used
};

struct Sources {
  std::vector<SourceFile> files;
  const SourceFile* Find(const std::string& name) const;
};

/// Reads every source of `doc`; a file that cannot be read or parsed is left unloaded with its
/// reason (it matters only to the steps that use it).
Sources LoadSources(const FileSystem& fs, const Document& doc);

/// One operation of an OpenAPI source.
struct OperationRef {
  const SourceFile* source = nullptr;
  std::string method;  // upper case
  std::string path;    // the key under `paths`, without the source's base_path
  const Json* operation = nullptr;
  const Json* path_item = nullptr;
};

/// The operation an `operationId` (plain, or `$sourceDescriptions.NAME.ID`) names. A lone
/// operation whose id differs only in case is taken (lint warns about it). On failure, nullopt and
/// `error` says why.
std::optional<OperationRef> FindOperationById(const Sources& sources, const std::string& id,
                                              std::string* error);
/// The operation `{$sourceDescriptions.NAME.url}#/paths/~1pets~1{id}/get` points at.
std::optional<OperationRef> FindOperationByPath(const Sources& sources, const std::string& path,
                                                std::string* error);

/// Where a parameter of the operation is sent (path, query, header, cookie), from the operation's
/// and its path item's parameters (local `$ref`s followed); empty when it declares none so named.
std::string ParameterLocation(const OperationRef& op, const std::string& name);

/// The media types the operation's request body may have, in spec order (Swagger 2.0: its
/// `consumes`, or the document's; application/x-www-form-urlencoded for `in: formData`).
std::vector<std::string> RequestMediaTypes(const OperationRef& op);

}  // namespace verity::arazzo
