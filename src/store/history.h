// The run history: every run's summary, each document's outcome and each step's, kept in SQLite
// (docs/history.md). `verity run` records into it as results arrive, `verity history` reads it,
// and the dashboard draws its timelines and diffs from it.
//
// Written a document at a time, each in its own transaction, in WAL mode: a run that crashes or is
// killed leaves a readable database holding every document finished before, and its run stays
// without a finish time ("incomplete"). What is stored is what reports show (results are masked
// and redacted by the executor; headers are masked again on the way in), with request and response
// bodies cut to a snippet.
//
// Thread-safe: one connection, serialized by a lock.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/status.h"
#include "run/result.h"

namespace verity::store {

class Database;

struct HistoryOptions {
  size_t max_body_bytes = 4096;  // of each request and response body kept
};

struct RunRecord {
  std::string run_id;
  std::string source;  // "cli", "dashboard"
  std::string environment;
  std::string base_url;
  std::string fallback_url;
  int64_t started_at_ms = 0;
  int64_t finished_at_ms = 0;  // 0: never finished (running, or the process died)
  double duration_ms = 0;
  bool dry_run = false;
  bool strict = false;
  bool stopped = false;
  size_t planned = 0;
  run::Totals totals;  // of the documents recorded so far
  bool complete() const { return finished_at_ms != 0; }
};

struct StepRecord {
  size_t ordinal = 0;  // in the document, depth-first: a `use:` step's own steps follow it
  int depth = 0;       // 1 for the steps of a document a `use:` step ran
  std::string id;
  std::string section;
  std::string endpoint;
  run::Outcome outcome = run::Outcome::kPass;
  std::string reason;
  std::string message;
  int http_status = 0;
  double duration_ms = 0;
  /// Read from the document's `detail`: the steps table has no column for them.
  std::vector<run::CheckResult> checks;
};

struct DocumentRecord {
  std::string run_id;
  size_t index = 0;  // in the run's plan
  std::string file;
  std::string endpoint;
  // The recipe's variant, empty for a primary. Read from `detail` (the JSON report's result), so
  // the tables need no column for it and runs recorded before variants read as primaries.
  std::string variant;
  std::string domain;
  std::string title;
  std::string source = "recipe";  // "spec": a request built from the spec (run::DocumentResult)
  run::Outcome outcome = run::Outcome::kPass;
  std::string reason;
  std::string message;
  std::string suggestion;
  std::string token_type;
  bool used_fallback = false;
  int http_status = 0;
  int64_t started_at_ms = 0;
  double duration_ms = 0;
  Json detail;  // the JSON report's result object for the document (docs/report-format.md)
  std::vector<StepRecord> steps;
};

/// One run of one document, for its timeline.
struct TimelinePoint {
  std::string run_id;
  int64_t started_at_ms = 0;
  run::Outcome outcome = run::Outcome::kPass;
  std::string reason;
  double duration_ms = 0;
};

struct FlakyDocument {
  std::string file;
  std::string endpoint;
  size_t flips = 0;                    // pass ↔ fail changes between consecutive runs
  std::vector<run::Outcome> outcomes;  // oldest first, SKIPs left out
};

/// Whether consecutive outcomes (oldest first) change between passing (PASS, WARN) and failing
/// (ERROR, FAIL) often enough to call the document flaky: twice or more. One change is a
/// regression or a fix, which the history shows as such; SKIPs are not runs of the document.
size_t CountFlips(const std::vector<run::Outcome>& outcomes);
inline constexpr size_t kFlakyFlips = 2;

class History {
 public:
  /// Opens or creates the database at `path` (its folder too); ":memory:" for a private one.
  static Result<std::unique_ptr<History>> Open(const std::string& path,
                                               HistoryOptions options = {});
  History(const History&) = delete;
  History& operator=(const History&) = delete;
  ~History();

  Status BeginRun(const run::RunSummary& summary, size_t planned, std::string_view source);
  Status RecordDocument(const std::string& run_id, size_t index, const run::DocumentResult& d);
  Status FinishRun(const run::RunSummary& summary);

  /// Newest first.
  Result<std::vector<RunRecord>> ListRuns(size_t limit);
  /// By its id or an unambiguous prefix of it.
  Result<RunRecord> FindRun(std::string_view id_or_prefix);
  /// In plan order; `with_steps` also reads each document's steps.
  Result<std::vector<DocumentRecord>> RunDocuments(const std::string& run_id, bool with_steps);
  /// The document's last `limit` recorded runs, oldest first.
  Result<std::vector<TimelinePoint>> Timeline(const std::string& file, size_t limit);
  /// Each recipe's most recent recorded outcome, by file (results built from the spec left out).
  Result<std::map<std::string, TimelinePoint>> LatestOutcomes();
  /// The most recent outcome of each operation run from the spec (no recipe), by endpoint
  /// ("GET /clients/{id}"): such a result has no file for the dashboard to find it by.
  Result<std::map<std::string, TimelinePoint>> LatestSpecOutcomes();
  /// Documents whose outcome flipped at least kFlakyFlips times in their last `window` runs.
  Result<std::vector<FlakyDocument>> Flaky(size_t window);

  const std::string& path() const { return path_; }

 private:
  History(std::unique_ptr<Database> db, std::string path, HistoryOptions options);
  Status Migrate();

  std::unique_ptr<Database> db_;
  std::string path_;
  HistoryOptions options_;
  std::mutex mutex_;
};

}  // namespace verity::store
