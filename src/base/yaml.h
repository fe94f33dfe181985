// A YAML reader on libyaml that builds a small tree with source positions, and refuses hostile
// input instead of exhausting memory or the stack:
//  - aliases are expanded by copy, but the nodes and the scalar bytes they add are budgeted
//    ("billion laughs", and its cousin: one long scalar aliased many times);
//  - the tree may hold at most a given number of nodes (a node costs ~140 bytes for as little as
//    two bytes of input, `[1,1,1,…]`, so the count bounds memory where the input size does not);
//  - nesting deeper than a limit stops the parse (no recursion anywhere depends on input depth);
//  - duplicate mapping keys are reported (the first one is kept), as YAML 1.2 requires.
// Scalars keep their text and style; typing them (null, bool, int, float) is the consumer's choice,
// see yaml_json.h for the YAML 1.2 core schema.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/source_pos.h"

namespace verity::yaml {

enum class NodeKind { kScalar, kSequence, kMapping };
enum class ScalarStyle { kPlain, kSingleQuoted, kDoubleQuoted, kLiteral, kFolded };

struct NodeEntry;

struct Node {
  // Declared, and defined in yaml.cc: with an implicit one, clang 14 on libstdc++ 12 instantiates
  // the vector of pairs of Node while Node is incomplete and fails (the fuzzers build with clang).
  Node();

  NodeKind kind = NodeKind::kScalar;
  ScalarStyle style = ScalarStyle::kPlain;  // scalars only
  bool flow = false;                        // collections written as [..] or {..}
  std::string value;                        // scalar text, escapes resolved
  std::string tag;                          // explicit tag ("tag:yaml.org,2002:str"), usually empty
  SourcePos pos;                            // where the node starts, 1-based, in the parsed text
  SourcePos end;                            // where it ends (exclusive)
  std::vector<Node> items;                  // sequence items
  std::vector<NodeEntry> entries;           // mapping entries, in document order

  bool is_scalar() const { return kind == NodeKind::kScalar; }
  bool is_sequence() const { return kind == NodeKind::kSequence; }
  bool is_mapping() const { return kind == NodeKind::kMapping; }
  bool quoted() const { return kind == NodeKind::kScalar && style != ScalarStyle::kPlain; }
  /// A plain scalar that the YAML 1.2 core schema reads as null: "", "~", "null".
  bool is_null() const;
  /// The value of a mapping entry whose key is the scalar `key`, or nullptr.
  const Node* Find(std::string_view key) const;
};

// A mapping entry, like std::pair<Node, Node> (first, second, structured bindings). Not the pair
// itself: a pair of the still incomplete Node as a member of Node does not compile with clang and
// libstdc++ 12, and the fuzzers are built with clang.
struct NodeEntry {
  NodeEntry(Node key, Node value) : first(std::move(key)), second(std::move(value)) {}
  Node first;
  Node second;
};

struct Limits {
  uint32_t max_depth = 128;        // nested collections
  size_t max_alias_nodes = 10000;  // nodes added by expanding aliases, in total
  // Scalar bytes added by expanding aliases, in total. The copy an anchor (`&a`) keeps for its
  // aliases counts here and in max_alias_nodes too: `&a [&b [&c [...]]]` copies its content once
  // per level, alias or not.
  size_t max_alias_bytes = 1 << 20;
  // Nodes in the tree, expanded aliases included.
  size_t max_nodes = SIZE_MAX;
};

struct Error {
  std::string code;  // YAML_SYNTAX, YAML_TAB, YAML_DUPLICATE_KEY, YAML_TOO_DEEP, YAML_ALIAS_LIMIT,
                     // YAML_NODE_LIMIT, YAML_MULTIPLE_DOCUMENTS
  std::string message;  // complete for a reader of the fragment alone
  SourcePos pos;
  SourcePos first_defined;  // YAML_DUPLICATE_KEY: where the kept definition is
  std::string key;          // YAML_DUPLICATE_KEY: the repeated key
};

struct LoadResult {
  std::optional<Node> root;   // absent when the text is empty or could not be parsed
  std::vector<Error> errors;  // duplicate keys leave a root; syntax and limit errors do not
  size_t nodes = 0;           // nodes read (expanded aliases included), also when it failed
};

LoadResult Load(std::string_view text, const Limits& limits = {});

/// Short name of a node's kind for messages: "mapping", "list", "string".
const char* KindName(const Node& node);

}  // namespace verity::yaml
