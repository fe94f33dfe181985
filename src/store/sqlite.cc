#include "store/sqlite.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace verity::store {

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), statement_(other.statement_), bind_error_(other.bind_error_) {
  other.statement_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(statement_);
    db_ = other.db_;
    statement_ = other.statement_;
    bind_error_ = other.bind_error_;
    other.statement_ = nullptr;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(statement_); }

void Statement::Check(int code) {
  if (code != SQLITE_OK && bind_error_ == 0) bind_error_ = code;
}

Statement& Statement::Bind(int position, int64_t value) {
  Check(sqlite3_bind_int64(statement_, position, value));
  return *this;
}

Statement& Statement::Bind(int position, double value) {
  Check(sqlite3_bind_double(statement_, position, value));
  return *this;
}

Statement& Statement::Bind(int position, std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies the text, so a temporary may be bound.
  Check(sqlite3_bind_text64(statement_, position, text.data(), text.size(), SQLITE_TRANSIENT,
                            SQLITE_UTF8));
  return *this;
}

Statement& Statement::BindNull(int position) {
  Check(sqlite3_bind_null(statement_, position));
  return *this;
}

Result<bool> Statement::Step() {
  if (bind_error_ != 0) {
    return Status::IoError(fmt::format("binding a value: {}", sqlite3_errstr(bind_error_)));
  }
  int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  return Status::IoError(fmt::format("{} ({})", sqlite3_errmsg(db_), sqlite3_errstr(code)));
}

Status Statement::Run() {
  while (true) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

void Statement::Reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
  bind_error_ = 0;
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(statement_, column); }
double Statement::Real(int column) const { return sqlite3_column_double(statement_, column); }
bool Statement::IsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}
std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(statement_, column)));
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int code =
      sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (code != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    sqlite3_close(db);
    return Status::IoError(fmt::format("{}: cannot open the database: {}", path, message));
  }
  // Another process (a dashboard beside a CI run) may hold the write lock for a moment.
  sqlite3_busy_timeout(db, 5000);
  return std::unique_ptr<Database>(new Database(db, path));
}

Database::~Database() { sqlite3_close(db_); }

Status Database::Error(std::string_view doing) const {
  return Status::IoError(fmt::format("{}: {}: {}", path_, doing, sqlite3_errmsg(db_)));
}

Status Database::Exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int code = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (code == SQLITE_OK) return Status::Ok();
  std::string error = message ? message : sqlite3_errstr(code);
  sqlite3_free(message);
  return Status::IoError(fmt::format("{}: {}", path_, error));
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  int code = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr);
  if (code != SQLITE_OK) return Error("preparing a statement");
  return Statement(db_, statement);
}

int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

}  // namespace verity::store
