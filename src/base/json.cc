#include "base/json.h"

#include <cstddef>
#include <deque>
#include <iterator>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace verity {
namespace {

// Where the parser is in the text, for ParseJsonReporting: the counting iterator stores its
// position here at every step, since nlohmann's SAX events carry no positions.
struct Cursor {
  const char* begin = nullptr;
  const char* at = nullptr;
};

class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator(const char* p, Cursor* cursor) : p_(p), cursor_(cursor) {}
  reference operator*() const { return *p_; }
  CountingIterator& operator++() {
    cursor_->at = ++p_;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator copy = *this;
    ++*this;
    return copy;
  }
  bool operator==(const CountingIterator& other) const { return p_ == other.p_; }

 private:
  const char* p_;
  Cursor* cursor_;
};

struct Reporting {
  Cursor cursor;
  JsonWatch watch;
  JsonKeyReport* report = nullptr;
};

void AppendToken(std::string& pointer, std::string_view token) {
  pointer += '/';
  for (char c : token) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer += c;
    }
  }
}

// Builds an ordered_json tree from nlohmann's SAX events. ordered_json's own parser finds each key
// by a linear search of the object being built, which makes an object of n members cost O(n^2)
// (a 110 000-path description took 19 s). Here small objects keep the linear search (it is the
// fastest for them) and larger ones get a hash index of their keys.
//
// A repeated key keeps the first position; ParseJson then keeps the last value, as ordered_json
// does, and ParseJsonReporting the first one (reporting the repeat).
class TreeBuilder {
 public:
  TreeBuilder(Json& root, size_t max_depth, Reporting* reporting)
      : root_(root), max_depth_(max_depth), reporting_(reporting) {}

  bool null() { return Put(Json(nullptr)); }
  bool boolean(bool v) { return Put(Json(v)); }
  bool number_integer(Json::number_integer_t v) { return Put(Json(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return Put(Json(v)); }
  bool number_float(Json::number_float_t v, const std::string&) { return Put(Json(v)); }
  bool string(std::string& v) {
    if (watch_pending_) Watch(v);
    return Put(Json(std::move(v)));
  }
  bool binary(Json::binary_t&) { return Fail("binary values are not JSON"); }

  bool start_object(size_t) {
    if (!Put(Json::object())) return false;
    return Open(false);
  }
  bool key(std::string& k) {
    Frame& frame = stack_.back();
    auto& members = frame.value->get_ref<Json::object_t&>();
    size_t offset = reporting_ ? KeyOffset() : 0;
    if (size_t existing = Find(frame, members, k); existing != kNone) {
      return Repeat(frame, members, existing, k, offset);
    }
    if (frame.index) {
      frame.index->emplace(k, members.size());
    } else if (members.size() + 1 == kLinearLimit) {
      frame.index = std::make_unique<std::unordered_map<std::string, size_t>>();
      for (size_t i = 0; i < members.size(); ++i)
        frame.index->emplace((members.begin() + i)->first, i);
      frame.index->emplace(k, members.size());
    }
    if (reporting_) {
      frame.key_offsets.push_back(offset);
      watch_pending_ = k == reporting_->watch.key;
      watch_offset_ = offset;
      next_token_ = k;
    }
    members.Json::object_t::Container::emplace_back(std::move(k), Json());
    pending_ = &members.back().second;
    return true;
  }
  bool end_object() {
    stack_.pop_back();
    return true;
  }
  bool start_array(size_t) {
    if (!Put(Json::array())) return false;
    return Open(true);
  }
  bool end_array() {
    stack_.pop_back();
    return true;
  }
  bool parse_error(size_t, const std::string&, const nlohmann::detail::exception& e) {
    std::string what = e.what();
    static constexpr std::string_view kAt = "parse error at ";
    size_t at = what.find(kAt);
    if (at != std::string::npos) return Fail(what.substr(at + kAt.size()));
    // A number too large for a double ("1e999") is out_of_range, not a parse_error.
    size_t bracket = what.find("] ");
    return Fail(bracket == std::string::npos ? what : what.substr(bracket + 2));
  }

  const std::string& error() const { return error_; }

 private:
  static constexpr size_t kLinearLimit = 24;
  static constexpr size_t kNone = static_cast<size_t>(-1);

  struct Frame {
    Json* value;
    bool is_array;
    std::string token;  // reporting: the reference token under which this container sits
    std::unique_ptr<std::unordered_map<std::string, size_t>> index;  // objects past kLinearLimit
    std::vector<size_t> key_offsets;                                 // reporting: per member
  };

  static size_t Find(const Frame& frame, const Json::object_t& members, const std::string& k) {
    if (frame.index) {
      auto it = frame.index->find(k);
      return it == frame.index->end() ? kNone : it->second;
    }
    for (size_t i = 0; i < members.size(); ++i) {
      if ((members.begin() + i)->first == k) return i;
    }
    return kNone;
  }

  bool Repeat(Frame& frame, Json::object_t& members, size_t existing, const std::string& k,
              size_t offset) {
    watch_pending_ = false;
    if (!reporting_) {
      pending_ = &(members.begin() + existing)->second;  // the last value wins
      return true;
    }
    reporting_->report->duplicates.push_back({Pointer(), k, offset, frame.key_offsets[existing]});
    next_token_ = k;
    pending_ = &dropped_.emplace_back();  // parsed, then thrown away: the first value wins
    return true;
  }

  // The key just read ends at the cursor with its closing quote; its opening quote is the first
  // one before that which no backslash escapes.
  size_t KeyOffset() const {
    const char* begin = reporting_->cursor.begin;
    size_t close = static_cast<size_t>(reporting_->cursor.at - begin);
    if (close == 0) return 0;
    for (size_t i = close - 1; i-- > 0;) {
      if (begin[i] != '"') continue;
      size_t slashes = 0;
      while (slashes < i && begin[i - 1 - slashes] == '\\') ++slashes;
      if (slashes % 2 == 0) return i;
    }
    return 0;
  }

  std::string Pointer() const {
    std::string out;
    for (size_t i = 1; i < stack_.size(); ++i) AppendToken(out, stack_[i].token);
    return out;
  }

  void Watch(const std::string& value) {
    const JsonWatch& watch = reporting_->watch;
    if (watch.keep && !watch.keep(value)) return;
    reporting_->report->watched.push_back({Pointer(), value, watch_offset_});
  }

  bool Put(Json value) {
    watch_pending_ = false;
    Json* slot;
    if (stack_.empty()) {
      root_ = std::move(value);
      slot = &root_;
    } else if (stack_.back().is_array) {
      auto& items = stack_.back().value->get_ref<Json::array_t&>();
      items.push_back(std::move(value));
      slot = &items.back();
      if (reporting_) next_token_ = std::to_string(items.size() - 1);
    } else {
      *pending_ = std::move(value);
      slot = pending_;
    }
    last_ = slot;
    return true;
  }
  bool Open(bool is_array) {
    if (stack_.size() >= max_depth_) {
      return Fail("nesting deeper than " + std::to_string(max_depth_) + " levels");
    }
    stack_.push_back({last_, is_array, {}, nullptr, {}});
    if (reporting_ && stack_.size() > 1) stack_.back().token = std::move(next_token_);
    return true;
  }
  bool Fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  Json& root_;
  size_t max_depth_;
  Reporting* reporting_;
  std::vector<Frame> stack_;
  std::deque<Json> dropped_;  // values of repeated keys (addresses must stay valid while built)
  Json* pending_ = nullptr;
  Json* last_ = nullptr;
  bool watch_pending_ = false;
  size_t watch_offset_ = 0;
  std::string next_token_;
  std::string error_;
};

}  // namespace

Result<Json> ParseJson(std::string_view text, const JsonLimits& limits) {
  Json root;
  TreeBuilder builder(root, limits.max_depth, nullptr);
  bool ok =
      Json::sax_parse(text.begin(), text.end(), &builder, nlohmann::detail::input_format_t::json,
                      /*strict=*/true, /*ignore_comments=*/false);
  if (!ok) return Status::ParseError(builder.error());
  return root;
}

Result<Json> ParseJsonReporting(std::string_view text, const JsonWatch& watch,
                                JsonKeyReport* report, const JsonLimits& limits) {
  Reporting reporting;
  reporting.cursor = {text.data(), text.data()};
  reporting.watch = watch;
  reporting.report = report;
  Json root;
  TreeBuilder builder(root, limits.max_depth, &reporting);
  CountingIterator first(text.data(), &reporting.cursor);
  CountingIterator last(text.data() + text.size(), &reporting.cursor);
  bool ok = Json::sax_parse(first, last, &builder, nlohmann::detail::input_format_t::json,
                            /*strict=*/true, /*ignore_comments=*/false);
  if (!ok) return Status::ParseError(builder.error());
  return root;
}

}  // namespace verity
