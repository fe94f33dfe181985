#include "http/pattern_set.h"

#include <cctype>
#include <deque>

namespace verity::http {

namespace {

unsigned char Fold(unsigned char c) { return static_cast<unsigned char>(std::tolower(c)); }

}  // namespace

PatternSet::PatternSet(const std::vector<std::string>& patterns, const std::vector<bool>& marked) {
  // Bytes that occur in no pattern share class 0, which always leads back to the start: the
  // table has a column per distinct pattern byte (a few dozen), not 256.
  for (const std::string& p : patterns) {
    for (unsigned char c : p) {
      unsigned char f = Fold(c);
      if (class_of_[f] == 0) class_of_[f] = static_cast<uint8_t>(classes_++);
    }
  }
  for (int c = 0; c < 256; ++c) class_of_[c] = class_of_[Fold(static_cast<unsigned char>(c))];
  BuildTrie(patterns, marked);
  BuildLinks();
  BuildTable();
}

void PatternSet::BuildTrie(const std::vector<std::string>& patterns,
                           const std::vector<bool>& marked) {
  auto new_state = [this](uint32_t depth) {
    next_.resize(next_.size() + classes_, kNone);
    depth_.push_back(depth);
    has_output_.push_back(false);
    begins_marked_.push_back(false);
    ends_here_.emplace_back();
    return static_cast<uint32_t>(depth_.size() - 1);
  };
  new_state(0);
  for (uint32_t i = 0; i < patterns.size(); ++i) {
    uint32_t s = 0;
    bool mark = i < marked.size() && marked[i];
    for (unsigned char c : patterns[i]) {
      size_t edge = s * classes_ + class_of_[c];
      if (next_[edge] == kNone) {
        uint32_t created = new_state(depth_[s] + 1);
        next_[edge] = created;
      }
      s = next_[edge];
      if (mark) begins_marked_[s] = true;
    }
    has_output_[s] = true;
    ends_here_[s].push_back(i);
  }
}

void PatternSet::BuildLinks() {
  size_t states = depth_.size();
  fail_.assign(states, 0);
  output_link_.assign(states, kNone);
  std::deque<uint32_t> queue;
  for (uint32_t c = 0; c < classes_; ++c) {
    uint32_t& t = next_[c];
    if (t == kNone) {
      t = 0;
    } else {
      queue.push_back(t);
    }
  }
  // Breadth first, so a state's fallback (always shallower) is complete before the state.
  while (!queue.empty()) {
    uint32_t s = queue.front();
    queue.pop_front();
    for (uint32_t c = 0; c < classes_; ++c) {
      uint32_t t = next_[s * classes_ + c];
      uint32_t via_fail = next_[fail_[s] * classes_ + c];
      if (t == kNone) {
        next_[s * classes_ + c] = via_fail;
        continue;
      }
      fail_[t] = via_fail;
      output_link_[t] = has_output_[via_fail] ? via_fail : output_link_[via_fail];
      queue.push_back(t);
    }
  }
}

void PatternSet::BuildTable() {
  // Rows are states × classes wide; a table past 2^31 entries would need a million-character
  // secret.
  table_.resize(next_.size());
  for (size_t i = 0; i < next_.size(); ++i) table_[i] = State(next_[i]);
}

}  // namespace verity::http
