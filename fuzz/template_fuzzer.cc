// Feeds arbitrary bytes to the template scanner and renderer: as a string, as a request path, and
// as a JSON body when the bytes are JSON. Variables come from every layer and the built-ins (fixed
// clock and seed), so lookups, filters and encodings all run. A crash, a sanitizer report, a leak,
// a hang, or a rendered output that still holds a placeholder fails the run.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/clock.h"
#include "base/json.h"
#include "base/random.h"
#include "expr/builtins.h"
#include "expr/render.h"
#include "expr/template.h"
#include "expr/variables.h"

namespace {

using verity::Json;
using verity::expr::Layer;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  verity::FakeClock clock(1770559080000);  // 2026-02-08T13:58:00Z
  verity::SeededRandom random(7);
  verity::expr::Builtins builtins(clock, random);
  verity::expr::Scope scope(&builtins);
  scope.Set(Layer::kCommandLine, "client_id", Json("c/1 é"));
  scope.Set(Layer::kExtracted, "price", Json(12.5));
  scope.Set(Layer::kExtracted, "resolved.items", Json::array({1, "two", nullptr, Json::object()}));
  scope.SetAll(Layer::kConfig, Json{{"params", {{"business_uid", "b1"}}}, {"n", nullptr}});

  (void)verity::expr::ScanPlaceholders(text);
  (void)verity::expr::IsSinglePlaceholder(text);
  verity::expr::Renderer renderer(scope, "fuzz");
  std::string rendered = renderer.String(text, "fuzz");
  // Substituted values are data and ours hold no "{{"; a quoted filter argument is the author's own
  // literal and may. Without quotes, a "{{" in a clean render could only be template text left
  // unrendered, which must never happen.
  bool has_literals = text.find_first_of("\"'") != std::string_view::npos;
  if (renderer.ok() && !has_literals && rendered.find("{{") != std::string::npos) abort();
  (void)renderer.Path(text);
  verity::Result<Json> body = verity::ParseJson(text);
  if (body.ok()) (void)renderer.Value(*body, "body");
  return 0;
}
