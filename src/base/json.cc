#include "base/json.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace verity {
namespace {

// Builds an ordered_json tree from nlohmann's SAX events. ordered_json's own parser finds each key
// by a linear search of the object being built, which makes a 13 MB OpenAPI description take three
// times as long to parse as with std::map. Here small objects keep the linear search (it is the
// fastest for them) and large ones append blindly and remove duplicates once, at their end, so
// that the result is the same as ordered_json's: the first position of a key, its last value.
class TreeBuilder {
 public:
  TreeBuilder(Json& root, size_t max_depth) : root_(root), max_depth_(max_depth) {}

  bool null() { return Put(Json(nullptr)); }
  bool boolean(bool v) { return Put(Json(v)); }
  bool number_integer(Json::number_integer_t v) { return Put(Json(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return Put(Json(v)); }
  bool number_float(Json::number_float_t v, const std::string&) { return Put(Json(v)); }
  bool string(std::string& v) { return Put(Json(std::move(v))); }
  bool binary(Json::binary_t&) { return Fail("binary values are not JSON"); }

  bool start_object(size_t) {
    if (!Put(Json::object())) return false;
    return Open(false);
  }
  bool key(std::string& k) {
    Frame& frame = stack_.back();
    auto& members = frame.value->get_ref<Json::object_t&>();
    if (members.size() < kLinearLimit) {
      for (auto& member : members) {
        if (member.first == k) {
          pending_ = &member.second;
          return true;
        }
      }
    } else {
      frame.may_have_duplicates = true;
    }
    members.Json::object_t::Container::emplace_back(std::move(k), Json());
    pending_ = &members.back().second;
    return true;
  }
  bool end_object() {
    if (stack_.back().may_have_duplicates) RemoveDuplicateKeys(*stack_.back().value);
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

  struct Frame {
    Json* value;
    bool is_array;
    bool may_have_duplicates = false;
  };

  bool Put(Json value) {
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
    stack_.push_back({last_, is_array});
    return true;
  }
  bool Fail(std::string message) {
    error_ = std::move(message);
    return false;
  }
  static void RemoveDuplicateKeys(Json& object) {
    auto& members = object.get_ref<Json::object_t&>();
    std::unordered_map<std::string_view, size_t> first;
    first.reserve(members.size());
    bool any = false;
    for (size_t i = 0; i < members.size(); ++i) {
      if (!first.emplace((members.begin() + i)->first, i).second) any = true;
    }
    if (!any) return;
    Json::object_t kept;
    std::unordered_map<std::string, size_t> at;
    for (auto& member : members) {
      auto [it, inserted] = at.emplace(member.first, kept.size());
      if (inserted) {
        kept.Json::object_t::Container::emplace_back(member.first, std::move(member.second));
      } else {
        (kept.begin() + it->second)->second = std::move(member.second);
      }
    }
    members = std::move(kept);
  }

  Json& root_;
  size_t max_depth_;
  std::vector<Frame> stack_;
  Json* pending_ = nullptr;
  Json* last_ = nullptr;
  std::string error_;
};

}  // namespace

Result<Json> ParseJson(std::string_view text, const JsonLimits& limits) {
  Json root;
  TreeBuilder builder(root, limits.max_depth);
  bool ok =
      Json::sax_parse(text.begin(), text.end(), &builder, nlohmann::detail::input_format_t::json,
                      /*strict=*/true, /*ignore_comments=*/false);
  if (!ok) return Status::ParseError(builder.error());
  return root;
}

}  // namespace verity
