// Which documents a run executes, in which order. Selection takes files, folders and endpoint
// globs ("GET /business/payments/v1/*"), plus domain, method and status filters and a shard
// (K/N) for splitting one knowledge base across CI machines: a document's shard depends only on
// its endpoint and file name, so every machine computes the same partition.
//
// Order: documents that share a resource run producers first (create → list → read → update →
// action → delete, so each step finds the data the earlier ones made and deletes go last); a
// consumer starts only when its resource's producers finished. Resources are told apart by their
// full collection path: two collections that share some segments (`/v1/clients` and
// `/v2/clients`) are different resources.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "kb/knowledge_base.h"

namespace verity::run {

enum class CrudPhase { kCreate = 1, kList, kRead, kUpdate, kAction, kDelete };

struct PlannedDocument {
  const doc::Document* document = nullptr;
  std::string resource;  // "/platform/v1/clients"
  CrudPhase phase = CrudPhase::kRead;
};

struct Plan {
  std::vector<PlannedDocument> documents;
  /// Indices into `documents` that must finish before each one starts.
  std::vector<std::vector<size_t>> waits_for;
};

struct Selection {
  /// Files, folders (everything below) or endpoint globs ("GET /x/*", "* /clients*"). Empty: all.
  std::vector<std::string> targets;
  std::vector<std::string> domains;
  std::vector<std::string> methods;
  std::vector<std::string> statuses;  // knowledge-base statuses: verified, pending, ...
  int shard_index = 1;                // 1-based K of K/N
  int shard_count = 1;
};

/// "3/8" → index 3, count 8.
Status ParseShard(std::string_view text, Selection* selection);

/// Whether a target is an endpoint glob rather than a file or folder.
bool IsEndpointGlob(std::string_view target);

/// The documents of `kb` that `selection` picks, ordered. A target that matches nothing is an
/// error (a typo must not turn into a green run of zero documents).
Result<Plan> MakePlan(const kb::KnowledgeBase& kb, const Selection& selection);

/// Whether `selection` picks `d`: a target names it (or none is given) and every filter lets it
/// through. What MakePlan asks of each document.
bool Selects(const Selection& selection, const doc::Document& d);

/// Orders documents producers first within each resource and computes who waits for whom: the
/// second half of MakePlan, for callers that pick documents their own way.
Plan OrderPlan(std::vector<PlannedDocument> documents);

/// The resource and CRUD phase of an endpoint.
PlannedDocument Classify(const doc::Document& document);

/// A stable, well-mixed 64-bit hash of the text (FNV-1a, then the splitmix64 finalizer), for
/// shards.
uint64_t StableHash(std::string_view text);

}  // namespace verity::run
