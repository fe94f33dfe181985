// A thin layer over SQLite's C API: errors as Status values with SQLite's own message, statements
// that finalize themselves, binding by position. Only what the history store needs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace verity::store {

class Statement {
 public:
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) noexcept;
  ~Statement();

  /// Positions count from 1, as in SQL's `?`. A failed bind is reported by the next Step().
  Statement& Bind(int position, int64_t value);
  Statement& Bind(int position, double value);
  Statement& Bind(int position, std::string_view text);
  Statement& BindNull(int position);

  /// True while a row is there to read; false when done; an error otherwise.
  Result<bool> Step();
  /// Steps to the end (an INSERT, UPDATE, ...).
  Status Run();
  /// For running the statement again with new bindings.
  void Reset();

  int64_t Int(int column) const;
  double Real(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  void Check(int code);
  sqlite3* db_ = nullptr;
  sqlite3_stmt* statement_ = nullptr;
  int bind_error_ = 0;
};

class Database {
 public:
  /// Opens (creating it when missing) the database file at `path`; ":memory:" for a private one.
  static Result<std::unique_ptr<Database>> Open(const std::string& path);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  /// Runs one or more statements that return no rows.
  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);
  int64_t last_insert_id() const;
  const std::string& path() const { return path_; }

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status Error(std::string_view doing) const;
  sqlite3* db_;
  std::string path_;
};

/// Runs `body` in a transaction: committed when it returns OK, rolled back otherwise.
template <typename Body>
Status InTransaction(Database& db, Body&& body) {
  if (Status s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  Status result = body();
  if (!result.ok()) {
    (void)db.Exec("ROLLBACK");
    return result;
  }
  if (Status s = db.Exec("COMMIT"); !s.ok()) {
    (void)db.Exec("ROLLBACK");
    return s;
  }
  return Status::Ok();
}

}  // namespace verity::store
