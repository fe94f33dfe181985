// Finding many strings in one pass: an Aho-Corasick automaton turned into a table (one lookup per
// input byte), matching ASCII letters without regard to case. The secret redactor runs it over
// every recorded body; a `find` per secret form would read a 1 MB body some forty times.
//
// Internal to the http module (mask.h is the interface).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace verity::http {

class PatternSet {
 public:
  /// `patterns` must not be empty strings. Case is ignored (ASCII only). `marked[i]` (same size,
  /// or empty for none) marks the patterns BeginsMarked() asks about.
  PatternSet(const std::vector<std::string>& patterns, const std::vector<bool>& marked);

  // A state is its row in the table, with the top bit set when some pattern ends there: the scan
  // costs one table lookup per byte and a bit test.
  uint32_t start() const { return 0; }
  uint32_t Next(uint32_t state, unsigned char byte) const {
    return table_[(state & kRowMask) + class_of_[byte]];
  }
  static bool HasMatch(uint32_t state) { return (state & kMatchBit) != 0; }
  /// Runs the automaton over `bytes` from `*state`, calling on_match(index, state) at every byte
  /// where some pattern ends; leaves the final state in `*state`. Stops early, returning false,
  /// when on_match does.
  template <typename Fn>
  bool Scan(std::string_view bytes, uint32_t* state, Fn&& on_match) const {
    const uint32_t* table = table_.data();
    const uint8_t* classes = class_of_;
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    uint32_t s = *state;
    for (size_t j = 0, n = bytes.size(); j < n; ++j) {
      s = table[(s & kRowMask) + classes[p[j]]];
      if ((s & kMatchBit) != 0 && !on_match(j, s)) [[unlikely]] {
        *state = s;
        return false;
      }
    }
    *state = s;
    return true;
  }
  /// The patterns that end at a state (its own and those of its suffixes), as indices into the
  /// constructor's vector.
  template <typename Fn>
  void ForEachMatch(uint32_t state, Fn&& fn) const {
    uint32_t id = Id(state);
    for (uint32_t s = has_output_[id] ? id : output_link_[id]; s != kNone; s = output_link_[s]) {
      for (uint32_t p : ends_here_[s]) fn(p);
    }
  }
  /// How many bytes the state has read of the patterns it is inside: the length of the longest
  /// suffix of the input so far that begins some pattern.
  uint32_t Depth(uint32_t state) const { return depth_[Id(state)]; }
  /// The state for the next shorter suffix that begins some pattern (the start at the root).
  uint32_t Shorter(uint32_t state) const { return State(fail_[Id(state)]); }
  /// Whether the state's text (its Depth() last bytes) is the beginning of a marked pattern.
  bool BeginsMarked(uint32_t state) const { return begins_marked_[Id(state)]; }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  static constexpr uint32_t kMatchBit = 1u << 31, kRowMask = kMatchBit - 1;
  uint32_t Id(uint32_t state) const { return (state & kRowMask) / classes_; }
  uint32_t State(uint32_t id) const {
    return id * classes_ | (has_output_[id] || output_link_[id] != kNone ? kMatchBit : 0);
  }
  void BuildTable();
  void BuildTrie(const std::vector<std::string>& patterns, const std::vector<bool>& marked);
  void BuildLinks();

  uint32_t classes_ = 1;
  uint8_t class_of_[256] = {};
  std::vector<uint32_t> next_;   // states × classes of state ids: trie edges, then every edge
  std::vector<uint32_t> table_;  // next_ with states as State() encodes them
  std::vector<uint32_t> fail_, output_link_, depth_;
  std::vector<bool> has_output_, begins_marked_;
  std::vector<std::vector<uint32_t>> ends_here_;
};

}  // namespace verity::http
