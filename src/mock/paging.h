// How the mock pages a list (docs/mock.md, "What each operation does"): the page a request asks
// for through the paging parameters its operation declares (a size, an offset or page number, or
// a cursor), and the paging members of the answer (a total, the next cursor, whether there is
// more) set from the list actually served, so a client that walks the pages ends where the data
// does.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/json.h"

namespace verity::mock {

struct PageRequest {
  static constexpr size_t kAll = static_cast<size_t>(-1);
  size_t skip = 0;
  size_t size = kAll;
  /// A cursor: the page starts after the item with this id (the mock's cursors are ids).
  std::optional<std::string> after;

  bool paged() const { return skip > 0 || size != kAll || after.has_value(); }
};

/// The page the query asks for. Only parameters the operation declares count
/// (`declared(name)`): `limit`, `per_page`, `page_size`, `size`, `max_results` give the size,
/// `offset`, `skip`, `start` the items before it, `page` (from 1, with a size) the page, and
/// `cursor`, `after`, `starting_after`, `page_token`, `next_token`, `continuation_token`,
/// `marker` a cursor.
PageRequest PageOf(const std::vector<std::pair<std::string, std::string>>& query,
                   const std::function<bool(const std::string&)>& declared);

/// What is known of the list once served.
struct PageFacts {
  size_t total = 0;                        // items that met the filters, on every page
  std::optional<std::string> next_cursor;  // the last item's id when more follow
};

/// Sets the answer's paging members outside the list itself (`slot_pointer`): an integer total
/// (`total`, `total_count`, `totalItems`, …), the next cursor (`next_cursor`, `nextPageToken`,
/// `end_cursor`, …: the cursor, or "" on the last page) and a has-more flag (`has_more`,
/// `hasNextPage`, …).
void DescribePage(Json& answer, std::string_view slot_pointer, const PageFacts& facts);

}  // namespace verity::mock
