#include "base/yaml.h"

#include <fmt/format.h>
#include <yaml.h>

#include <memory>
#include <unordered_map>

namespace verity::yaml {

namespace {

SourcePos ToPos(const yaml_mark_t& mark) {
  return {static_cast<uint32_t>(mark.line + 1), static_cast<uint32_t>(mark.column + 1)};
}

ScalarStyle ToStyle(yaml_scalar_style_t style) {
  switch (style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
      return ScalarStyle::kSingleQuoted;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
      return ScalarStyle::kDoubleQuoted;
    case YAML_LITERAL_SCALAR_STYLE:
      return ScalarStyle::kLiteral;
    case YAML_FOLDED_SCALAR_STYLE:
      return ScalarStyle::kFolded;
    default:
      return ScalarStyle::kPlain;
  }
}

std::string TagOf(const yaml_char_t* tag) {
  return tag ? std::string(reinterpret_cast<const char*>(tag)) : std::string();
}

// What copying a node costs: its nodes and its scalar bytes. Recursion is bounded by max_depth.
struct Cost {
  size_t nodes = 0;
  size_t bytes = 0;
};

void AddCost(const Node& n, Cost* cost) {
  cost->nodes += 1;
  cost->bytes += n.value.size();
  for (const Node& item : n.items) AddCost(item, cost);
  for (const auto& [k, v] : n.entries) {
    AddCost(k, cost);
    AddCost(v, cost);
  }
}

// The first tab used as indentation, if any: YAML forbids it, and libyaml's own message for it
// ("found character that cannot start any token") does not say so.
std::optional<SourcePos> FirstIndentationTab(std::string_view text, uint32_t up_to_line) {
  uint32_t line = 1;
  size_t i = 0;
  while (i < text.size() && line <= up_to_line) {
    uint32_t col = 1;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
      if (text[i] == '\t') return SourcePos{line, col};
      ++i, ++col;
    }
    while (i < text.size() && text[i] != '\n') ++i;
    ++i, ++line;
  }
  return std::nullopt;
}

struct Frame {
  Node node;
  std::string anchor;
  std::optional<Node> pending_key;
  std::unordered_map<std::string, SourcePos> seen_keys;  // mappings only
};

class TreeBuilder {
 public:
  TreeBuilder(const Limits& limits, LoadResult* out) : limits_(limits), out_(out) {}

  // Returns false when building must stop (a limit was hit).
  bool OnEvent(const yaml_event_t& e) {
    switch (e.type) {
      case YAML_DOCUMENT_START_EVENT:
        if (++documents_ > 1) {
          Fail("YAML_MULTIPLE_DOCUMENTS", "only one YAML document is allowed here",
               ToPos(e.start_mark));
          return false;
        }
        return true;
      case YAML_SCALAR_EVENT: {
        if (!Count(1, e.start_mark)) return false;
        Node n;
        n.kind = NodeKind::kScalar;
        n.style = ToStyle(e.data.scalar.style);
        n.value.assign(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length);
        n.tag = TagOf(e.data.scalar.tag);
        n.pos = ToPos(e.start_mark);
        n.end = ToPos(e.end_mark);
        if (!Remember(e.data.scalar.anchor, n)) return false;
        return Attach(std::move(n));
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        if (stack_.size() >= limits_.max_depth) {
          Fail("YAML_TOO_DEEP", fmt::format("nesting is deeper than {} levels", limits_.max_depth),
               ToPos(e.start_mark));
          return false;
        }
        if (!Count(1, e.start_mark)) return false;
        Frame f;
        bool seq = e.type == YAML_SEQUENCE_START_EVENT;
        f.node.kind = seq ? NodeKind::kSequence : NodeKind::kMapping;
        f.node.pos = ToPos(e.start_mark);
        const yaml_char_t* anchor =
            seq ? e.data.sequence_start.anchor : e.data.mapping_start.anchor;
        const yaml_char_t* tag = seq ? e.data.sequence_start.tag : e.data.mapping_start.tag;
        f.node.flow = seq ? e.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                          : e.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
        f.node.tag = TagOf(tag);
        if (anchor) f.anchor = reinterpret_cast<const char*>(anchor);
        stack_.push_back(std::move(f));
        return true;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        f.node.end = ToPos(e.end_mark);
        if (!f.anchor.empty() && !Keep(f.anchor, f.node, f.node.pos)) return false;
        return Attach(std::move(f.node));
      }
      case YAML_ALIAS_EVENT: {
        std::string name = reinterpret_cast<const char*>(e.data.alias.anchor);
        auto it = anchors_.find(name);
        if (it == anchors_.end()) {
          Fail("YAML_SYNTAX", fmt::format("unknown alias *{}", name), ToPos(e.start_mark));
          return false;
        }
        Cost cost;
        AddCost(it->second, &cost);
        if (!Charge(cost, ToPos(e.start_mark)) || !Count(cost.nodes, e.start_mark)) return false;
        Node copy = it->second;
        copy.pos = ToPos(e.start_mark);
        copy.end = ToPos(e.end_mark);
        return Attach(std::move(copy));
      }
      default:
        return true;
    }
  }

 private:
  bool Remember(const yaml_char_t* anchor, const Node& n) {
    return !anchor || Keep(reinterpret_cast<const char*>(anchor), n, n.pos);
  }

  // An anchor keeps a copy of its node for the aliases to come; the copy is charged like an
  // expansion, or `&a [&b [&c [...]]]` would copy the same bytes once per level.
  bool Keep(const std::string& anchor, const Node& n, SourcePos pos) {
    Cost cost;
    AddCost(n, &cost);
    if (!Charge(cost, pos)) return false;
    anchors_[anchor] = n;
    return true;
  }

  bool Charge(const Cost& cost, SourcePos pos) {
    copied_.nodes += cost.nodes;
    copied_.bytes += cost.bytes;
    if (copied_.nodes > limits_.max_alias_nodes) {
      Fail("YAML_ALIAS_LIMIT",
           fmt::format("aliases expand to more than {} nodes (alias bomb?)",
                       limits_.max_alias_nodes),
           pos);
      return false;
    }
    if (copied_.bytes > limits_.max_alias_bytes) {
      Fail("YAML_ALIAS_LIMIT",
           fmt::format("aliases expand to more than {} bytes of text (alias bomb?)",
                       limits_.max_alias_bytes),
           pos);
      return false;
    }
    return true;
  }

  bool Count(size_t nodes, const yaml_mark_t& mark) {
    out_->nodes += nodes;
    if (out_->nodes <= limits_.max_nodes) return true;
    Fail("YAML_NODE_LIMIT", fmt::format("more than {} nodes", limits_.max_nodes), ToPos(mark));
    return false;
  }

  void Fail(std::string code, std::string message, SourcePos pos) {
    out_->errors.push_back({std::move(code), std::move(message), pos, {}, {}});
    out_->root.reset();
  }

  bool Attach(Node n) {
    if (stack_.empty()) {
      out_->root = std::move(n);
      return true;
    }
    Frame& top = stack_.back();
    if (top.node.kind == NodeKind::kSequence) {
      top.node.items.push_back(std::move(n));
      return true;
    }
    if (!top.pending_key) {
      top.pending_key = std::move(n);
      return true;
    }
    Node key = std::move(*top.pending_key);
    top.pending_key.reset();
    if (key.is_scalar()) {
      auto [it, inserted] = top.seen_keys.emplace(key.value, key.pos);
      if (!inserted) {
        out_->errors.push_back({"YAML_DUPLICATE_KEY",
                                fmt::format("duplicate key \"{}\" (first defined at line {})",
                                            key.value, it->second.line),
                                key.pos, it->second, key.value});
        return true;  // keep the first definition
      }
    }
    top.node.entries.emplace_back(std::move(key), std::move(n));
    return true;
  }

  const Limits& limits_;
  LoadResult* out_;
  std::vector<Frame> stack_;
  std::unordered_map<std::string, Node> anchors_;
  Cost copied_;  // by anchors and aliases
  int documents_ = 0;
};

struct ParserDeleter {
  void operator()(yaml_parser_t* p) const {
    yaml_parser_delete(p);
    delete p;
  }
};

}  // namespace

Node::Node() = default;

bool Node::is_null() const {
  return kind == NodeKind::kScalar && style == ScalarStyle::kPlain &&
         (value.empty() || value == "~" || value == "null" || value == "Null" || value == "NULL");
}

const Node* Node::Find(std::string_view key) const {
  for (const auto& [k, v] : entries)
    if (k.is_scalar() && k.value == key) return &v;
  return nullptr;
}

const char* KindName(const Node& node) {
  switch (node.kind) {
    case NodeKind::kSequence:
      return "list";
    case NodeKind::kMapping:
      return "mapping";
    case NodeKind::kScalar:
      return node.is_null() ? "null" : "scalar";
  }
  return "node";
}

LoadResult Load(std::string_view text, const Limits& limits) {
  LoadResult result;
  std::unique_ptr<yaml_parser_t, ParserDeleter> parser(new yaml_parser_t);
  if (!yaml_parser_initialize(parser.get())) {
    result.errors.push_back({"YAML_SYNTAX", "out of memory", {}, {}, {}});
    return result;
  }
  yaml_parser_set_input_string(parser.get(), reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  yaml_parser_set_encoding(parser.get(), YAML_UTF8_ENCODING);
  TreeBuilder builder(limits, &result);
  while (true) {
    yaml_event_t event;
    if (!yaml_parser_parse(parser.get(), &event)) {
      const yaml_parser_t& p = *parser;
      SourcePos pos = ToPos(p.problem_mark);
      if (auto tab = FirstIndentationTab(text, pos.line)) {
        result.errors.push_back({"YAML_TAB",
                                 "tab character used for indentation (YAML allows only spaces)",
                                 *tab,
                                 {},
                                 {}});
      } else {
        std::string message = p.problem ? p.problem : "invalid YAML";
        if (p.context) message = fmt::format("{} {}", p.context, message);
        result.errors.push_back({"YAML_SYNTAX", message, pos, {}, {}});
      }
      result.root.reset();
      return result;
    }
    bool keep_going = builder.OnEvent(event);
    bool done = event.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&event);
    if (!keep_going || done) break;
  }
  return result;
}

}  // namespace verity::yaml
