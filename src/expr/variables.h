// Where `{{ name }}` finds its value. A Scope stacks the sources of a run, highest precedence
// first:
//   1. the command line (`--var k=v`),
//   2. values extracted by earlier steps of this run (later extractions overwrite earlier ones),
//   3. the environment's params (`config.params`), also reachable as `config.params.<name>`,
//   4. the built-ins: generators and date variables (expr/builtins.h).
// Every workflow sees the built-ins, with or without prerequisite steps: a date is as useful in
// a test request as in a prerequisite.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "expr/builtins.h"

namespace verity::expr {

/// The sources a Scope holds itself, highest precedence first. Built-ins come from a Builtins.
enum class Layer { kCommandLine, kExtracted, kConfig };

class Scope {
 public:
  /// A scope without built-ins, for tests and tools that want only their own values.
  Scope() = default;
  /// `builtins` (may be null) must outlive the scope.
  explicit Scope(const Builtins* builtins) : builtins_(builtins) {}

  /// Sets `name` in `layer`, replacing what was there. A dotted name sets a member, creating the
  /// objects on the way: "resolved.uid" makes `resolved` an object (or adds to it).
  void Set(Layer layer, std::string_view name, Json value);
  /// Sets every member of `object` in `layer` (config params come as one object). Non-objects are
  /// ignored.
  void SetAll(Layer layer, const Json& object);

  /// The value of a dotted name ("config.params.client_uid", "items.0.id"): a segment selects an
  /// object member, or an array element when it is a decimal index. Layers are asked in order and
  /// the first in which the whole name resolves wins, so a lower layer can still supply
  /// `resolved.currency` when a higher one has only `resolved.uid`. nullopt when no layer has it;
  /// a present null is a value. Generators draw a new value on every lookup.
  std::optional<Json> Lookup(std::string_view dotted_name) const;
  std::optional<Json> Lookup(const std::vector<std::string>& path) const;

  const Builtins* builtins() const { return builtins_; }

 private:
  std::array<Json, 3> layers_ = {Json::object(), Json::object(), Json::object()};
  const Builtins* builtins_ = nullptr;
};

}  // namespace verity::expr
