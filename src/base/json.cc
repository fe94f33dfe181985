#include "base/json.h"

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace verity {
namespace {

struct Reporting {
  std::string_view text;
  JsonWatch watch;
  JsonKeyReport* report = nullptr;
};

// Builds an ordered_json tree from nlohmann's SAX events. ordered_json's own parser finds each key
// by a linear search of the object being built, which makes an object of n members cost O(n^2)
// (a 110 000-path description took 19 s). Here small objects keep the linear search (it is the
// fastest for them) and larger ones get a hash index of their keys.
//
// Members are gathered in a plain vector of (string, Json) and moved into the object when it
// closes: ordered_json's own member vector holds pairs with a const key, which cannot be moved, so
// every time it grew it deep-copied every member built so far (nearly half of all parsing time).
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
    if (reporting_) NextString();
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
    Members& members = levels_[stack_.size() - 1];
    size_t offset = reporting_ ? NextString() : 0;
    if (size_t existing = Find(frame, members, k); existing != kNone) {
      return Repeat(frame, members, existing, k, offset);
    }
    if (frame.index) {
      frame.index->emplace(k, members.size());
    } else if (members.size() + 1 == kLinearLimit) {
      frame.index = std::make_unique<std::unordered_map<std::string, size_t>>();
      for (size_t i = 0; i < members.size(); ++i) frame.index->emplace(members[i].first, i);
      frame.index->emplace(k, members.size());
    }
    if (reporting_) {
      frame.key_offsets.push_back(offset);
      watch_pending_ = k == reporting_->watch.key;
      watch_offset_ = offset;
      repeated_key_.reset();
    }
    members.emplace_back(std::move(k), Json());
    pending_ = &members.back().second;
    return true;
  }
  bool end_object() {
    Members& members = levels_[stack_.size() - 1];
    auto& object = stack_.back().value->get_ref<Json::object_t&>();
    object.reserve(members.size());
    for (auto& [k, v] : members)
      object.Json::object_t::Container::emplace_back(std::move(k), std::move(v));
    members.clear();  // the capacity stays, for the next object at this depth
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

  using Members = std::vector<std::pair<std::string, Json>>;

  struct Frame {
    Json* value;
    bool is_array;
    std::string token;  // reporting: the reference token under which this container sits
    std::unique_ptr<std::unordered_map<std::string, size_t>> index;  // objects past kLinearLimit
    std::vector<size_t> key_offsets;                                 // reporting: per member
  };

  static size_t Find(const Frame& frame, const Members& members, const std::string& k) {
    if (frame.index) {
      auto it = frame.index->find(k);
      return it == frame.index->end() ? kNone : it->second;
    }
    for (size_t i = 0; i < members.size(); ++i) {
      if (members[i].first == k) return i;
    }
    return kNone;
  }

  bool Repeat(Frame& frame, Members& members, size_t existing, const std::string& k,
              size_t offset) {
    watch_pending_ = false;
    if (!reporting_) {
      pending_ = &members[existing].second;  // the last value wins
      return true;
    }
    reporting_->report->duplicates.push_back({Pointer(), k, offset, frame.key_offsets[existing]});
    repeated_key_ = k;
    pending_ = &dropped_.emplace_back();  // parsed, then thrown away: the first value wins
    return true;
  }

  // nlohmann's SAX events carry no positions. But every string of JSON text is a key or a string
  // value, each an event, in order; and a '"' not escaped by a backslash always opens or closes
  // one (there are no comments). So the string of each event is the next one in the text: found
  // by skipping to quotes, one more (fast) pass over the text in all.
  size_t NextString() {
    std::string_view text = reporting_->text;
    size_t open = text.find('"', scan_);
    if (open == std::string_view::npos) return scan_ = text.size();
    size_t close = text.find('"', open + 1);
    while (close != std::string_view::npos) {
      size_t slashes = 0;
      while (text[close - 1 - slashes] == '\\') ++slashes;  // stops at the opening quote
      if (slashes % 2 == 0) break;
      close = text.find('"', close + 1);
    }
    scan_ = close == std::string_view::npos ? text.size() : close + 1;
    return open;
  }

  std::string Pointer() const {
    std::string out;
    for (size_t i = 1; i < stack_.size(); ++i) AppendPointerToken(out, stack_[i].token);
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
    if (levels_.size() < stack_.size()) levels_.resize(stack_.size());
    if (reporting_ && stack_.size() > 1) stack_.back().token = ParentToken();
    return true;
  }
  // The reference token of the container just opened: its index in the parent array, or the key
  // just read in the parent object.
  std::string ParentToken() const {
    const Frame& parent = stack_[stack_.size() - 2];
    if (parent.is_array) return std::to_string(parent.value->size() - 1);
    if (repeated_key_) return *repeated_key_;
    return levels_[stack_.size() - 2].back().first;
  }
  bool Fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  Json& root_;
  size_t max_depth_;
  Reporting* reporting_;
  std::vector<Frame> stack_;
  // The members of the open object at each depth (stack_ index). A vector of vectors: an inner
  // one moves whole when the outer grows, so pointers to its elements (pending_) stay valid.
  std::vector<Members> levels_;
  std::deque<Json> dropped_;  // values of repeated keys (addresses must stay valid while built)
  Json* pending_ = nullptr;
  Json* last_ = nullptr;
  bool watch_pending_ = false;
  size_t watch_offset_ = 0;
  size_t scan_ = 0;  // reporting: where the next string's opening quote is looked for
  std::optional<std::string> repeated_key_;  // reporting: the key whose value is being dropped
  std::string error_;
};

}  // namespace

void AppendPointerToken(std::string& pointer, std::string_view token) {
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
  Reporting reporting{text, watch, report};
  Json root;
  TreeBuilder builder(root, limits.max_depth, &reporting);
  bool ok =
      Json::sax_parse(text.begin(), text.end(), &builder, nlohmann::detail::input_format_t::json,
                      /*strict=*/true, /*ignore_comments=*/false);
  if (!ok) return Status::ParseError(builder.error());
  return root;
}

}  // namespace verity
