#include "expr/filters.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <vector>

#include "base/strings.h"

namespace verity::expr {

namespace {

// Liquid's spellings are accepted too, so documents written for Liquid-like engines keep working.
constexpr std::array<FilterSpec, 11> kFilters = {{
    {"slice", FilterKind::kSlice, 1, 2},
    {"default", FilterKind::kDefault, 1, 1},
    {"upper", FilterKind::kUpper, 0, 0},
    {"upcase", FilterKind::kUpper, 0, 0},
    {"lower", FilterKind::kLower, 0, 0},
    {"downcase", FilterKind::kLower, 0, 0},
    {"urlencode", FilterKind::kUrlEncode, 0, 0},
    {"url_encode", FilterKind::kUrlEncode, 0, 0},
    {"json", FilterKind::kJson, 0, 0},
    {"base64", FilterKind::kBase64, 0, 0},
    {"base64_encode", FilterKind::kBase64, 0, 0},
}};

// "an object", "a string", "null": nlohmann's type names are ours.
std::string TypeName(const Json& v) { return WithArticle(v.type_name()); }

bool IsTextLike(const Json& v) { return v.is_string() || v.is_number() || v.is_boolean(); }

// Python slice bounds: negative counts from the end, out of range clamps, end before start is
// empty.
std::pair<int64_t, int64_t> SliceBounds(const std::vector<Json>& args, int64_t size) {
  auto bound = [size](int64_t i) { return std::clamp(i < 0 ? i + size : i, int64_t{0}, size); };
  int64_t start = bound(args[0].get<int64_t>());
  int64_t end = args.size() > 1 ? bound(args[1].get<int64_t>()) : size;
  return {start, std::max(start, end)};
}

Json SliceText(const std::string& s, const std::vector<Json>& args) {
  // Byte offsets where code points start (a continuation byte never does), and the end.
  std::vector<size_t> starts;
  for (size_t i = 0; i < s.size(); ++i)
    if (i == 0 || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts.push_back(i);
  int64_t count = static_cast<int64_t>(starts.size());
  starts.push_back(s.size());
  auto [from, to] = SliceBounds(args, count);
  return s.substr(starts[from], starts[to] - starts[from]);
}

Json SliceArray(const Json& a, const std::vector<Json>& args) {
  auto [from, to] = SliceBounds(args, static_cast<int64_t>(a.size()));
  Json out = Json::array();
  for (int64_t i = from; i < to; ++i) out.push_back(a[static_cast<size_t>(i)]);
  return out;
}

Status NeedsText(const FilterCall& f, const Json& value, std::string_view or_array = "") {
  return Status::InvalidArgument(fmt::format("{} needs a string, a number{} or a boolean, got {}",
                                             f.name, or_array, TypeName(value)));
}

}  // namespace

const FilterSpec* FindFilter(std::string_view name) {
  for (const FilterSpec& spec : kFilters)
    if (spec.name == name) return &spec;
  return nullptr;
}

Result<Json> ApplyFilter(const FilterCall& f, const Json& value) {
  switch (f.kind) {
    case FilterKind::kDefault:
      if (f.args.size() != 1) break;
      return value.is_null() ? f.args[0] : value;
    case FilterKind::kSlice:
      // The parser guarantees this; a hand-built call must not make get<int64_t> throw.
      if (f.args.empty() || f.args.size() > 2 ||
          !std::all_of(f.args.begin(), f.args.end(),
                       [](const Json& a) { return a.is_number_integer(); }))
        break;
      if (value.is_array()) return SliceArray(value, f.args);
      if (IsTextLike(value)) return SliceText(ToText(value), f.args);
      return NeedsText(f, value, ", an array");
    case FilterKind::kUpper:
    case FilterKind::kLower:
      if (!IsTextLike(value)) return NeedsText(f, value);
      return Json(f.kind == FilterKind::kUpper ? ToUpper(ToText(value)) : ToLower(ToText(value)));
    case FilterKind::kUrlEncode:
      return Json(PercentEncode(ToText(value)));
    case FilterKind::kJson:
      return Json(CompactJson(value));
    case FilterKind::kBase64:
      return Json(Base64Encode(ToText(value)));
  }
  return Status::InvalidArgument(fmt::format("{} called with arguments it does not take", f.name));
}

std::string ToText(const Json& value) {
  if (value.is_string()) return value.get_ref<const std::string&>();
  return CompactJson(value);
}

std::string CompactJson(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string PercentEncode(std::string_view text, std::string_view also_keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || (c != '\0' && also_keep.find(c) != std::string_view::npos)) {
      out += c;
    } else {
      auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = static_cast<unsigned char>(bytes[i]) << 16 |
                 static_cast<unsigned char>(bytes[i + 1]) << 8 |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace verity::expr
