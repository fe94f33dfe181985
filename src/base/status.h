// Errors as values. A Status is either OK or carries a code and a message; Result<T> carries a
// value or a non-OK Status. Neither throws: callers test ok() and decide. Failures of the *subject*
// (a broken document, a failed check) are data in their own types (doc::Diagnostic); Status is for
// failures of the operation itself (a file that cannot be read, an argument that makes no sense).
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace verity {

enum class StatusCode {
  kOk,
  kInvalidArgument,  // the caller asked for something malformed
  kNotFound,         // a file or key does not exist
  kAlreadyExists,    // refusing to overwrite
  kIoError,          // the operating system said no
  kParseError,       // input text could not be understood
  kLimitExceeded,    // input larger or deeper than we accept
  kOutsideRoot,      // a path leads outside the folders it is confined to (PATH_OUTSIDE_ROOT)
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status ParseError(std::string m) { return {StatusCode::kParseError, std::move(m)}; }
  static Status LimitExceeded(std::string m) { return {StatusCode::kLimitExceeded, std::move(m)}; }
  static Status OutsideRoot(std::string m) { return {StatusCode::kOutsideRoot, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  /// "NOT_FOUND: no such file" style text for logs and tests.
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design, like std::expected
  Result(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace verity
