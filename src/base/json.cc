#include "base/json.h"

#include <string>

namespace verity {

Result<Json> ParseJson(std::string_view text) {
  // nlohmann reports positions only through its exception; it stays inside this function.
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    static constexpr std::string_view kAt = "parse error at ";
    size_t at = what.find(kAt);
    return Status::ParseError(at == std::string::npos ? what : what.substr(at + kAt.size()));
  } catch (const Json::exception& e) {
    // A number too large for a double ("1e999") is out_of_range, not a parse_error.
    std::string what = e.what();
    size_t bracket = what.find("] ");
    return Status::ParseError(bracket == std::string::npos ? what : what.substr(bracket + 2));
  }
}

}  // namespace verity
