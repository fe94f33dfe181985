#include "mock/paging.h"

#include <charconv>
#include <initializer_list>

namespace verity::mock {

namespace {

// `per_page`, `perPage` and `per-page` are one name.
std::string Normalized(std::string_view name) {
  std::string key;
  for (char c : name)
    if (c != '_' && c != '-') key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

bool OneOf(const std::string& key, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names)
    if (key == name) return true;
  return false;
}

// A member name as a JSON Pointer token (RFC 6901): `~` is `~0`, `/` is `~1`.
std::string PointerToken(std::string_view name) {
  std::string token;
  for (char c : name) {
    if (c == '~') {
      token += "~0";
    } else if (c == '/') {
      token += "~1";
    } else {
      token += c;
    }
  }
  return token;
}

void Describe(Json& value, const std::string& pointer, std::string_view slot,
              const PageFacts& facts) {
  if (!value.is_object()) return;
  for (auto& [name, member] : value.items()) {
    std::string here = pointer + "/" + PointerToken(name);
    if (here == slot) continue;
    std::string key = Normalized(name);
    if (member.is_number_integer() &&
        OneOf(key, {"total", "totalcount", "totalitems", "totalresults", "totalentries",
                    "totalrecords", "totalsize"})) {
      member = facts.total;
    } else if (member.is_string() &&
               OneOf(key, {"nextcursor", "nextpagetoken", "nexttoken", "endcursor",
                           "nextpagecursor", "continuationtoken"})) {
      member = facts.next_cursor.value_or("");
    } else if (member.is_boolean() && OneOf(key, {"hasmore", "hasnextpage", "hasnext", "more"})) {
      member = facts.next_cursor.has_value();
    } else if (member.is_object()) {
      Describe(member, here, slot, facts);  // `meta.pagination.total`, or the slot's siblings
    }
  }
}

}  // namespace

PageRequest PageOf(const std::vector<std::pair<std::string, std::string>>& query,
                   const std::function<bool(const std::string&)>& declared) {
  std::optional<size_t> size, offset, page;
  PageRequest out;
  for (const auto& [name, value] : query) {
    if (!declared(name)) continue;
    std::string key = Normalized(name);
    if (OneOf(key, {"cursor", "after", "startingafter", "pagetoken", "nexttoken",
                    "continuationtoken", "marker", "pagecursor"})) {
      if (!value.empty()) out.after = value;
      continue;
    }
    size_t number = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (error != std::errc() || end != value.data() + value.size()) continue;
    if (OneOf(key, {"limit", "perpage", "pagesize", "size", "maxresults", "pagelimit"})) {
      size = number;
    } else if (OneOf(key, {"offset", "skip", "start"})) {
      offset = number;
    } else if (OneOf(key, {"page", "pagenumber", "pagenum"})) {
      page = number;
    }
  }
  out.size = size.value_or(PageRequest::kAll);
  if (offset) {
    out.skip = *offset;
  } else if (page && size && *page > 0) {
    out.skip = (*page - 1) * *size;  // pages count from 1
  }
  return out;
}

void DescribePage(Json& answer, std::string_view slot_pointer, const PageFacts& facts) {
  Describe(answer, "", slot_pointer, facts);
}

}  // namespace verity::mock
