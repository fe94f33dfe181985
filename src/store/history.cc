#include "store/history.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <system_error>

#include "report/json_report.h"
#include "report/text.h"
#include "store/sqlite.h"

namespace verity::store {

namespace {

// Bumped with each change of the tables below; Migrate() knows every older version.
// 2: documents.source ("recipe" | "spec").
constexpr int kSchemaVersion = 2;

constexpr std::string_view kSchema = R"(
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  environment TEXT NOT NULL,
  base_url TEXT NOT NULL,
  fallback_url TEXT NOT NULL,
  started_at_ms INTEGER NOT NULL,
  finished_at_ms INTEGER,
  duration_ms REAL,
  dry_run INTEGER NOT NULL,
  strict INTEGER NOT NULL,
  stopped INTEGER NOT NULL DEFAULT 0,
  planned INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
  run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  file TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  domain TEXT NOT NULL,
  title TEXT NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL,
  message TEXT NOT NULL,
  suggestion TEXT NOT NULL,
  token_type TEXT NOT NULL,
  used_fallback INTEGER NOT NULL,
  http_status INTEGER NOT NULL,
  started_at_ms INTEGER NOT NULL,
  duration_ms REAL NOT NULL,
  detail TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT 'recipe',
  PRIMARY KEY (run_id, idx)
);
CREATE INDEX IF NOT EXISTS documents_by_file ON documents(file);
CREATE TABLE IF NOT EXISTS steps (
  run_id TEXT NOT NULL,
  doc_idx INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  depth INTEGER NOT NULL,
  id TEXT NOT NULL,
  section TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL,
  message TEXT NOT NULL,
  http_status INTEGER NOT NULL,
  duration_ms REAL NOT NULL,
  PRIMARY KEY (run_id, doc_idx, ordinal),
  FOREIGN KEY (run_id, doc_idx) REFERENCES documents(run_id, idx) ON DELETE CASCADE
);
)";

run::Outcome OutcomeFrom(const std::string& name) {
  return run::ParseOutcome(name).value_or(run::Outcome::kFail);
}

bool Passing(run::Outcome o) { return o == run::Outcome::kPass || o == run::Outcome::kWarn; }

void CapBody(std::string& body, bool& truncated, size_t max_bytes) {
  if (body.size() <= max_bytes) return;
  body = report::Utf8Prefix(body, max_bytes);
  truncated = true;
}

void CapBodies(run::StepResult& step, size_t max_bytes) {
  if (step.request) {
    bool ignored = false;
    CapBody(step.request->body, ignored, max_bytes);
  }
  if (step.response) CapBody(step.response->body, step.response->body_truncated, max_bytes);
  for (run::StepResult& inner : step.nested) CapBodies(inner, max_bytes);
}

// The step objects of a result, in the order Flatten() numbers the steps.
void FlattenJson(const Json& steps, std::vector<const Json*>& out) {
  if (!steps.is_array()) return;
  for (const Json& step : steps) {
    out.push_back(&step);
    if (step.is_object() && step.contains("steps")) FlattenJson(step["steps"], out);
  }
}

// A step's checks are kept in the document's detail only; they are read back from there.
void AttachChecks(DocumentRecord& d) {
  if (!d.detail.is_object() || !d.detail.contains("steps")) return;
  std::vector<const Json*> objects;
  FlattenJson(d.detail["steps"], objects);
  for (StepRecord& step : d.steps) {
    if (step.ordinal < objects.size())
      step.checks = report::StepChecksFromJson(*objects[step.ordinal]);
  }
}

void Flatten(const std::vector<run::StepResult>& steps, int depth, std::vector<StepRecord>& out) {
  for (const run::StepResult& step : steps) {
    StepRecord r;
    r.ordinal = out.size();
    r.depth = depth;
    r.id = step.id;
    r.section = step.section;
    r.endpoint = step.endpoint;
    r.outcome = step.outcome;
    r.reason = step.reason;
    r.message = step.message;
    r.http_status = step.response ? step.response->status : 0;
    r.duration_ms = step.duration_ms;
    out.push_back(std::move(r));
    Flatten(step.nested, depth + 1, out);
  }
}

constexpr std::string_view kRunColumns =
    "r.run_id, r.source, r.environment, r.base_url, r.fallback_url, r.started_at_ms, "
    "r.finished_at_ms, r.duration_ms, r.dry_run, r.strict, r.stopped, r.planned, "
    "COUNT(d.idx), SUM(d.outcome = 'PASS'), SUM(d.outcome = 'WARN'), SUM(d.outcome = 'ERROR'), "
    "SUM(d.outcome = 'FAIL'), SUM(d.outcome = 'SKIP')";

RunRecord ReadRun(const Statement& row) {
  RunRecord r;
  r.run_id = row.Text(0);
  r.source = row.Text(1);
  r.environment = row.Text(2);
  r.base_url = row.Text(3);
  r.fallback_url = row.Text(4);
  r.started_at_ms = row.Int(5);
  r.finished_at_ms = row.IsNull(6) ? 0 : row.Int(6);
  r.duration_ms = row.Real(7);
  r.dry_run = row.Int(8) != 0;
  r.strict = row.Int(9) != 0;
  r.stopped = row.Int(10) != 0;
  r.planned = static_cast<size_t>(row.Int(11));
  r.totals.total = static_cast<size_t>(row.Int(12));
  r.totals.passed = static_cast<size_t>(row.Int(13));
  r.totals.warned = static_cast<size_t>(row.Int(14));
  r.totals.errored = static_cast<size_t>(row.Int(15));
  r.totals.failed = static_cast<size_t>(row.Int(16));
  r.totals.skipped = static_cast<size_t>(row.Int(17));
  return r;
}

}  // namespace

size_t CountFlips(const std::vector<run::Outcome>& outcomes) {
  size_t flips = 0;
  std::optional<bool> last;
  for (run::Outcome o : outcomes) {
    if (o == run::Outcome::kSkip) continue;
    if (last && *last != Passing(o)) ++flips;
    last = Passing(o);
  }
  return flips;
}

History::History(std::unique_ptr<Database> db, std::string path, HistoryOptions options)
    : db_(std::move(db)), path_(std::move(path)), options_(options) {}

History::~History() = default;

Result<std::unique_ptr<History>> History::Open(const std::string& path, HistoryOptions options) {
  if (path != ":memory:") {
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code error;
    if (!parent.empty()) std::filesystem::create_directories(parent, error);
    if (error) {
      return Status::IoError(
          fmt::format("{}: cannot create its folder: {}", path, error.message()));
    }
  }
  Result<std::unique_ptr<Database>> db = Database::Open(path);
  if (!db.ok()) return db.status();
  std::unique_ptr<History> history(new History(std::move(*db), path, options));
  if (Status s = history->Migrate(); !s.ok()) return s;
  return history;
}

Status History::Migrate() {
  // WAL: readers (a dashboard, `verity history`) never wait for a run that is writing, and a
  // crash loses at most the transaction in progress. NORMAL is durable across a process crash;
  // only a power cut may lose the last commits.
  if (Status s = db_->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                           "PRAGMA foreign_keys=ON;");
      !s.ok()) {
    return s;
  }
  Result<Statement> version = db_->Prepare("PRAGMA user_version");
  if (!version.ok()) return version.status();
  Result<bool> row = version->Step();
  if (!row.ok()) return row.status();
  int64_t found = *row ? version->Int(0) : 0;
  if (found > kSchemaVersion) {
    return Status::InvalidArgument(
        fmt::format("{}: written by a newer Verity (history schema {}, this one knows {})", path_,
                    found, kSchemaVersion));
  }
  return InTransaction(*db_, [&] {
    // Every document recorded before version 2 ran a recipe: nothing else could be run then.
    if (found == 1) {
      if (Status s =
              db_->Exec("ALTER TABLE documents ADD COLUMN source TEXT NOT NULL DEFAULT 'recipe'");
          !s.ok())
        return s;
    }
    if (Status s = db_->Exec(kSchema); !s.ok()) return s;
    return db_->Exec(fmt::format("PRAGMA user_version = {}", kSchemaVersion));
  });
}

Status History::BeginRun(const run::RunSummary& summary, size_t planned, std::string_view source) {
  std::lock_guard lock(mutex_);
  Result<Statement> insert = db_->Prepare(
      "INSERT INTO runs (run_id, source, environment, base_url, fallback_url, started_at_ms, "
      "dry_run, strict, planned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, summary.run_id)
      .Bind(2, source)
      .Bind(3, summary.environment)
      .Bind(4, summary.base_url)
      .Bind(5, summary.fallback_url)
      .Bind(6, summary.started_at_ms)
      .Bind(7, int64_t{summary.dry_run})
      .Bind(8, int64_t{summary.strict})
      .Bind(9, static_cast<int64_t>(planned));
  return insert->Run();
}

Status History::RecordDocument(const std::string& run_id, size_t index,
                               const run::DocumentResult& d) {
  run::DocumentResult capped = d;
  for (run::StepResult& step : capped.steps) CapBodies(step, options_.max_body_bytes);
  std::string detail =
      report::DocumentReportJson(capped).dump(-1, ' ', false, Json::error_handler_t::replace);
  std::vector<StepRecord> steps;
  Flatten(d.steps, 0, steps);

  std::lock_guard lock(mutex_);
  return InTransaction(*db_, [&]() -> Status {
    Result<Statement> doc = db_->Prepare(
        "INSERT OR REPLACE INTO documents (run_id, idx, file, endpoint, domain, title, outcome, "
        "reason, message, suggestion, token_type, used_fallback, http_status, started_at_ms, "
        "duration_ms, detail, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!doc.ok()) return doc.status();
    doc->Bind(1, run_id)
        .Bind(2, static_cast<int64_t>(index))
        .Bind(3, d.file)
        .Bind(4, d.endpoint)
        .Bind(5, d.domain)
        .Bind(6, d.title)
        .Bind(7, std::string_view(run::OutcomeName(d.outcome)))
        .Bind(8, d.reason)
        .Bind(9, d.message)
        .Bind(10, d.suggestion)
        .Bind(11, d.token_type)
        .Bind(12, int64_t{d.used_fallback})
        .Bind(13, int64_t{d.http_status})
        .Bind(14, d.started_at_ms)
        .Bind(15, d.duration_ms)
        .Bind(16, detail)
        .Bind(17, d.source);
    if (Status s = doc->Run(); !s.ok()) return s;
    // A document recorded again (a retried write) replaces its steps too.
    Result<Statement> clear = db_->Prepare("DELETE FROM steps WHERE run_id = ? AND doc_idx = ?");
    if (!clear.ok()) return clear.status();
    clear->Bind(1, run_id).Bind(2, static_cast<int64_t>(index));
    if (Status s = clear->Run(); !s.ok()) return s;
    Result<Statement> step = db_->Prepare(
        "INSERT INTO steps (run_id, doc_idx, ordinal, depth, id, section, endpoint, outcome, "
        "reason, message, http_status, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!step.ok()) return step.status();
    for (const StepRecord& s : steps) {
      step->Reset();
      step->Bind(1, run_id)
          .Bind(2, static_cast<int64_t>(index))
          .Bind(3, static_cast<int64_t>(s.ordinal))
          .Bind(4, int64_t{s.depth})
          .Bind(5, s.id)
          .Bind(6, s.section)
          .Bind(7, s.endpoint)
          .Bind(8, std::string_view(run::OutcomeName(s.outcome)))
          .Bind(9, s.reason)
          .Bind(10, s.message)
          .Bind(11, int64_t{s.http_status})
          .Bind(12, s.duration_ms);
      if (Status status = step->Run(); !status.ok()) return status;
    }
    return Status::Ok();
  });
}

Status History::FinishRun(const run::RunSummary& summary) {
  std::lock_guard lock(mutex_);
  Result<Statement> update = db_->Prepare(
      "UPDATE runs SET finished_at_ms = ?, duration_ms = ?, stopped = ? WHERE run_id = ?");
  if (!update.ok()) return update.status();
  update->Bind(1, summary.finished_at_ms)
      .Bind(2, summary.duration_ms)
      .Bind(3, int64_t{summary.stopped})
      .Bind(4, summary.run_id);
  return update->Run();
}

Result<std::vector<RunRecord>> History::ListRuns(size_t limit) {
  std::lock_guard lock(mutex_);
  Result<Statement> query = db_->Prepare(fmt::format(
      "SELECT {} FROM runs r LEFT JOIN documents d ON d.run_id = r.run_id GROUP BY r.run_id "
      "ORDER BY r.started_at_ms DESC, r.rowid DESC LIMIT ?",
      kRunColumns));
  if (!query.ok()) return query.status();
  query->Bind(1, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
  std::vector<RunRecord> runs;
  while (true) {
    Result<bool> row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) return runs;
    runs.push_back(ReadRun(*query));
  }
}

Result<RunRecord> History::FindRun(std::string_view id_or_prefix) {
  std::lock_guard lock(mutex_);
  Result<Statement> query = db_->Prepare(
      fmt::format("SELECT {} FROM runs r LEFT JOIN documents d ON d.run_id = r.run_id "
                  "WHERE r.run_id = ?1 OR substr(r.run_id, 1, length(?1)) = ?1 GROUP BY r.run_id "
                  "ORDER BY r.run_id = ?1 DESC LIMIT 2",
                  kRunColumns));
  if (!query.ok()) return query.status();
  query->Bind(1, id_or_prefix);
  std::vector<RunRecord> found;
  while (true) {
    Result<bool> row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    found.push_back(ReadRun(*query));
  }
  if (found.empty()) {
    return Status::NotFound(fmt::format("no run '{}' in {}", id_or_prefix, path_));
  }
  if (found.size() > 1 && found[0].run_id != id_or_prefix) {
    return Status::InvalidArgument(
        fmt::format("'{}' names more than one run ({}, {}, ...): give more of the id", id_or_prefix,
                    found[0].run_id, found[1].run_id));
  }
  return found[0];
}

Result<std::vector<DocumentRecord>> History::RunDocuments(const std::string& run_id,
                                                          bool with_steps) {
  std::lock_guard lock(mutex_);
  Result<Statement> query = db_->Prepare(
      "SELECT idx, file, endpoint, domain, title, outcome, reason, message, suggestion, "
      "token_type, used_fallback, http_status, started_at_ms, duration_ms, detail, source "
      "FROM documents WHERE run_id = ? ORDER BY idx");
  if (!query.ok()) return query.status();
  query->Bind(1, run_id);
  std::vector<DocumentRecord> documents;
  std::map<size_t, size_t> by_index;
  while (true) {
    Result<bool> row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    DocumentRecord d;
    d.run_id = run_id;
    d.index = static_cast<size_t>(query->Int(0));
    d.file = query->Text(1);
    d.endpoint = query->Text(2);
    d.domain = query->Text(3);
    d.title = query->Text(4);
    d.outcome = OutcomeFrom(query->Text(5));
    d.reason = query->Text(6);
    d.message = query->Text(7);
    d.suggestion = query->Text(8);
    d.token_type = query->Text(9);
    d.used_fallback = query->Int(10) != 0;
    d.http_status = static_cast<int>(query->Int(11));
    d.started_at_ms = query->Int(12);
    d.duration_ms = query->Real(13);
    d.detail = Json::parse(query->Text(14), nullptr, /*allow_exceptions=*/false);
    if (d.detail.is_object() && d.detail.contains("variant") && d.detail["variant"].is_string())
      d.variant = d.detail["variant"].get<std::string>();
    d.source = query->Text(15);
    // A result recorded before results said their source reads as the reports write it now.
    if (d.detail.is_object() && !d.detail.contains("source")) d.detail["source"] = d.source;
    by_index[d.index] = documents.size();
    documents.push_back(std::move(d));
  }
  if (!with_steps) return documents;
  Result<Statement> steps = db_->Prepare(
      "SELECT doc_idx, ordinal, depth, id, section, endpoint, outcome, reason, message, "
      "http_status, duration_ms FROM steps WHERE run_id = ? ORDER BY doc_idx, ordinal");
  if (!steps.ok()) return steps.status();
  steps->Bind(1, run_id);
  while (true) {
    Result<bool> row = steps->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto owner = by_index.find(static_cast<size_t>(steps->Int(0)));
    if (owner == by_index.end()) continue;
    StepRecord s;
    s.ordinal = static_cast<size_t>(steps->Int(1));
    s.depth = static_cast<int>(steps->Int(2));
    s.id = steps->Text(3);
    s.section = steps->Text(4);
    s.endpoint = steps->Text(5);
    s.outcome = OutcomeFrom(steps->Text(6));
    s.reason = steps->Text(7);
    s.message = steps->Text(8);
    s.http_status = static_cast<int>(steps->Int(9));
    s.duration_ms = steps->Real(10);
    documents[owner->second].steps.push_back(std::move(s));
  }
  for (DocumentRecord& d : documents) AttachChecks(d);
  return documents;
}

Result<std::vector<TimelinePoint>> History::Timeline(const std::string& file, size_t limit) {
  std::lock_guard lock(mutex_);
  Result<Statement> query = db_->Prepare(
      "SELECT d.run_id, r.started_at_ms, d.outcome, d.reason, d.duration_ms FROM documents d "
      "JOIN runs r ON r.run_id = d.run_id WHERE d.file = ? "
      "ORDER BY r.started_at_ms DESC, r.rowid DESC LIMIT ?");
  if (!query.ok()) return query.status();
  query->Bind(1, file).Bind(2, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
  std::vector<TimelinePoint> points;
  while (true) {
    Result<bool> row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    TimelinePoint p;
    p.run_id = query->Text(0);
    p.started_at_ms = query->Int(1);
    p.outcome = OutcomeFrom(query->Text(2));
    p.reason = query->Text(3);
    p.duration_ms = query->Real(4);
    points.push_back(std::move(p));
  }
  std::reverse(points.begin(), points.end());
  return points;
}

namespace {

/// The newest row of each `key` (a column of documents d) among the rows `where` admits.
Result<std::map<std::string, TimelinePoint>> Latest(Database& db, std::string_view key,
                                                    std::string_view where) {
  Result<Statement> query = db.Prepare(fmt::format(
      "SELECT k, run_id, started_at_ms, outcome, reason, duration_ms FROM ("
      "  SELECT d.{0} AS k, d.run_id, r.started_at_ms, d.outcome, d.reason, d.duration_ms,"
      "    ROW_NUMBER() OVER (PARTITION BY d.{0} ORDER BY r.started_at_ms DESC, r.rowid DESC)"
      "    AS n FROM documents d JOIN runs r ON r.run_id = d.run_id WHERE {1}) WHERE n = 1",
      key, where));
  if (!query.ok()) return query.status();
  std::map<std::string, TimelinePoint> latest;
  while (true) {
    Result<bool> row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) return latest;
    TimelinePoint& p = latest[query->Text(0)];
    p.run_id = query->Text(1);
    p.started_at_ms = query->Int(2);
    p.outcome = OutcomeFrom(query->Text(3));
    p.reason = query->Text(4);
    p.duration_ms = query->Real(5);
  }
}

}  // namespace

Result<std::map<std::string, TimelinePoint>> History::LatestOutcomes() {
  std::lock_guard lock(mutex_);
  // A result built from the spec is not its file's: that file, when it exists, is another recipe.
  return Latest(*db_, "file", "d.source != 'spec'");
}

Result<std::map<std::string, TimelinePoint>> History::LatestSpecOutcomes() {
  std::lock_guard lock(mutex_);
  return Latest(*db_, "endpoint", "d.source = 'spec'");
}

Result<std::vector<FlakyDocument>> History::Flaky(size_t window) {
  std::lock_guard lock(mutex_);
  Result<Statement> query = db_->Prepare(
      "SELECT file, endpoint, outcome FROM ("
      "  SELECT d.file, d.endpoint, d.outcome, ROW_NUMBER() OVER ("
      "    PARTITION BY d.file ORDER BY r.started_at_ms DESC, r.rowid DESC) AS n"
      "  FROM documents d JOIN runs r ON r.run_id = d.run_id WHERE d.outcome != 'SKIP')"
      " WHERE n <= ? ORDER BY file, n DESC");
  if (!query.ok()) return query.status();
  query->Bind(1, static_cast<int64_t>(std::min<size_t>(window, INT64_MAX)));
  std::vector<FlakyDocument> all;
  while (true) {
    Result<bool> row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::string file = query->Text(0);
    if (all.empty() || all.back().file != file) {
      FlakyDocument d;
      d.file = file;
      all.push_back(std::move(d));
    }
    all.back().endpoint = query->Text(1);  // the newest run's, read last
    all.back().outcomes.push_back(OutcomeFrom(query->Text(2)));
  }
  std::vector<FlakyDocument> flaky;
  for (FlakyDocument& d : all) {
    d.flips = CountFlips(d.outcomes);
    if (d.flips >= kFlakyFlips) flaky.push_back(std::move(d));
  }
  return flaky;
}

}  // namespace verity::store
