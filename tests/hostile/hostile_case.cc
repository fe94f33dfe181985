#include "hostile/hostile_case.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "base/strings.h"
#include "base/yaml.h"
#include "support/paths.h"

namespace verity::hostile {

namespace {

// Thrown for the first problem of a row; the row is reported and skipped, the others load.
struct RowError : std::runtime_error {
  RowError(const yaml::Node& at, const std::string& what)
      : std::runtime_error(std::to_string(at.pos.line) + ":" + std::to_string(at.pos.col) + ": " +
                           what) {}
};

const yaml::Node& Require(const yaml::Node& node, yaml::NodeKind kind, const std::string& what) {
  if (node.kind != kind) {
    throw RowError(node, what + ": expected a " +
                             (kind == yaml::NodeKind::kScalar     ? std::string("scalar")
                              : kind == yaml::NodeKind::kSequence ? std::string("list")
                                                                  : std::string("mapping")) +
                             ", got " + WithArticle(yaml::KindName(node)));
  }
  return node;
}

std::string Text(const yaml::Node& node, const std::string& what) {
  return Require(node, yaml::NodeKind::kScalar, what).value;
}

uint64_t Number(const yaml::Node& node, const std::string& what) {
  const std::string& text = Text(node, what);
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
    throw RowError(node, what + ": expected a whole number, got \"" + text + "\"");
  }
  return std::stoull(text);
}

double Decimal(const yaml::Node& node, const std::string& what) {
  const std::string& text = Text(node, what);
  size_t used = 0;
  double value = -1;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
  }
  if (used != text.size() || value <= 0) {
    throw RowError(node, what + ": expected a positive number, got \"" + text + "\"");
  }
  return value;
}

bool Boolean(const yaml::Node& node, const std::string& what) {
  const std::string& text = Text(node, what);
  if (text == "true") return true;
  if (text == "false") return false;
  throw RowError(node, what + ": expected true or false, got \"" + text + "\"");
}

std::vector<std::string> Strings(const yaml::Node& node, const std::string& what) {
  std::vector<std::string> out;
  for (const yaml::Node& item : Require(node, yaml::NodeKind::kSequence, what).items) {
    out.push_back(Text(item, what));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> Pairs(const yaml::Node& node,
                                                       const std::string& what) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, v] : Require(node, yaml::NodeKind::kMapping, what).entries) {
    out.emplace_back(Text(k, what), Text(v, what + "." + k.value));
  }
  return out;
}

// Calls `each` for every entry of a mapping, refusing keys outside `known`.
template <class Each>
void Entries(const yaml::Node& node, const std::string& what, std::set<std::string> known,
             Each&& each) {
  for (const auto& [k, v] : Require(node, yaml::NodeKind::kMapping, what).entries) {
    if (!known.count(k.value)) throw RowError(k, what + ": unknown key '" + k.value + "'");
    each(k.value, v);
  }
}

Payload ReadPayload(const yaml::Node& node, const std::string& what) {
  Payload p;
  if (node.is_scalar()) {
    p.prefix = node.value;
    return p;
  }
  Entries(node, what, {"prefix", "repeat", "times", "suffix", "copy", "copy_shared"},
          [&](const std::string& key, const yaml::Node& v) {
            if (key == "prefix") p.prefix = Text(v, key);
            if (key == "repeat") p.repeat = Text(v, key);
            if (key == "times") p.times = Number(v, key);
            if (key == "suffix") p.suffix = Text(v, key);
            if (key == "copy") p.copy = Text(v, key);
            if (key == "copy_shared") p.copy_shared = Text(v, key);
          });
  return p;
}

Expect ReadExpect(const yaml::Node& node) {
  Expect e;
  Entries(node, "expect",
          {"exit", "output_has", "output_lacks", "status", "closed", "files_unchanged",
           "files_absent", "seconds", "memory_mb"},
          [&](const std::string& key, const yaml::Node& v) {
            if (key == "exit") e.exit = static_cast<int>(Number(v, key));
            if (key == "output_has") e.output_has = Strings(v, key);
            if (key == "output_lacks") e.output_lacks = Strings(v, key);
            if (key == "status") e.status = static_cast<int>(Number(v, key));
            if (key == "closed") e.closed = Boolean(v, key);
            if (key == "files_unchanged") e.files_unchanged = Strings(v, key);
            if (key == "files_absent") e.files_absent = Strings(v, key);
            if (key == "seconds") e.seconds = Decimal(v, key);
            if (key == "memory_mb") e.memory_mb = Decimal(v, key);
          });
  return e;
}

void ReadKey(Case& c, const std::string& key, const yaml::Node& v) {
  if (key == "name") c.name = Text(v, key);
  if (key == "why") c.why = Text(v, key);
  if (key == "files") {
    for (const auto& [path, content] : Require(v, yaml::NodeKind::kMapping, key).entries) {
      c.files.emplace_back(Text(path, key), ReadPayload(content, "files." + path.value));
    }
  }
  if (key == "symlinks") c.symlinks = Pairs(v, key);
  if (key == "modes") {
    for (const auto& [path, mode] : Pairs(v, key)) {
      if (mode.empty() || mode.find_first_not_of("01234567") != std::string::npos) {
        throw RowError(v, "modes." + path + ": expected an octal string such as \"0555\"");
      }
      c.modes.emplace_back(path, static_cast<unsigned>(std::stoul(mode, nullptr, 8)));
    }
  }
  if (key == "env") c.env = Pairs(v, key);
  if (key == "command") c.command = Strings(v, key);
  if (key == "server") c.server = Strings(v, key);
  if (key == "send") c.send = ReadPayload(v, key);
  if (key == "hold") {
    Entries(v, key, {"idle", "slow_headers"}, [&](const std::string& k, const yaml::Node& n) {
      (k == "idle" ? c.hold.idle : c.hold.slow_headers) = static_cast<int>(Number(n, k));
    });
  }
  if (key == "upstream") c.upstream = ReadPayload(v, key);
  if (key == "expect") c.expect = ReadExpect(v);
}

Case ReadCase(const yaml::Node& row) {
  Case c;
  Entries(row, "case",
          {"name", "why", "files", "symlinks", "modes", "env", "command", "server", "send", "hold",
           "upstream", "expect"},
          [&](const std::string& key, const yaml::Node& v) { ReadKey(c, key, v); });
  if (c.name.empty() ||
      c.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
    throw RowError(row, "name: required, made of [a-z0-9_]");
  }
  if (c.command.empty() == c.server.empty()) {
    throw RowError(row, "a case has exactly one of command: and server:");
  }
  if (!c.server.empty() && !c.send) throw RowError(row, "server: needs send:");
  if (c.command.size() && (c.send || c.hold.idle || c.hold.slow_headers)) {
    throw RowError(row, "send: and hold: go with server:, not command:");
  }
  return c;
}

void LoadFile(const std::filesystem::path& file, Table& table, std::set<std::string>& names) {
  std::string label = "cases/" + file.filename().string();
  std::string text = testing::ReadFileOrDie(file.string());
  yaml::LoadResult loaded = yaml::Load(text);
  for (const yaml::Error& e : loaded.errors) {
    table.errors.push_back(label + ":" + std::to_string(e.pos.line) + ":" +
                           std::to_string(e.pos.col) + ": " + e.message);
  }
  if (!loaded.root) return;
  if (!loaded.root->is_sequence()) {
    table.errors.push_back(label + ": expected a list of cases");
    return;
  }
  for (const yaml::Node& row : loaded.root->items) {
    try {
      Case c = ReadCase(row);
      c.source = label + ":" + std::to_string(row.pos.line);
      if (!names.insert(c.name).second) throw RowError(row, "name '" + c.name + "' is taken");
      table.cases.push_back(std::move(c));
    } catch (const RowError& e) {
      table.errors.push_back(label + ":" + e.what());
    }
  }
}

}  // namespace

std::string Payload::Materialize() const {
  std::string out;
  out.reserve(size());
  Chunks(1 << 20, [&](std::string_view piece) {
    out += piece;
    return true;
  });
  return out;
}

Table LoadTable(const std::string& dir) {
  Table table;
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  if (ec) table.errors.push_back(dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  std::set<std::string> names;
  for (const auto& file : files) LoadFile(file, table, names);
  return table;
}

}  // namespace verity::hostile
