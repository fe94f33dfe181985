// Feeds arbitrary bytes to the JSONPath compiler; whatever compiles is evaluated against a document
// that has every JSON type, nesting and repeated names, so the evaluator's paths run too. A crash,
// a sanitizer report, a leak or a hang fails the run.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/json.h"
#include "expr/jsonpath.h"

namespace {

const verity::Json& Document() {
  static const verity::Json doc = verity::Json::parse(R"({
    "data": {"clients": [{"id": "c1", "n": 1, "tags": ["a", "b"], "x": null},
                         {"id": "c2", "n": 2.5, "tags": [], "x": {"y": [1, [2, [3]]]}},
                         {"id": 3, "ok": true, "": "empty key", "\u00e9": "e"}],
             "uid": "u1", "list": [[1, 2], [3], []]},
    "a": {"a": {"a": {"a": "deep"}}}
  })");
  return doc;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool legacy : {false, true}) {
    verity::expr::JsonPathError error;
    auto query = verity::expr::JsonPath::Compile(text, {.legacy = legacy}, &error);
    if (!query.ok()) continue;
    (void)query->Evaluate(Document());
    (void)query->singular();
  }
  return 0;
}
