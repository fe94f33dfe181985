// Feeds arbitrary bytes to the whole document reader, as `verity kb show --json`, `kb lint` and the
// dashboard do: frontmatter, markdown (md4c), step YAML and placeholders, then lint's rules, the
// JSON view (serialized, as the commands print it) and the dashboard's markdown blocks. Then the
// write-back helpers, with the properties that make them safe to run on a user's file: an update
// that succeeds reads back as written, and leaves the body after the frontmatter byte for byte.
// A crash, a sanitizer report, a leak, a hang, an exception or a broken property fails the run.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "doc/frontmatter.h"
#include "doc/markdown_blocks.h"
#include "doc/parser.h"
#include "doc/to_json.h"
#include "doc/writeback.h"
#include "kb/lint.h"

namespace {

using verity::Result;
namespace doc = verity::doc;

std::string_view Body(std::string_view text) {
  doc::FrontmatterSpan span = doc::FindFrontmatter(text);
  return text.substr(span.body_begin);
}

// `read` is `text` parsed: the values must read back when the reader could read the frontmatter
// before (write-back edits frontmatter bytes; it does not make a binary file a document).
void CheckWriteBack(std::string_view text, const doc::Document& read) {
  Result<std::string> updated = doc::ApplyFieldUpdates(
      text, {{"status", "verified"}, {"timesReused", "3"}, {"tags", "[a, b]"}});
  if (updated.ok()) {
    if (Body(*updated) != Body(text)) abort();
    if (!read.frontmatter_parsed) return;
    doc::Document d = doc::ParseDocument(*updated, "kb/d/get_x.md");
    const doc::Frontmatter& fm = d.frontmatter;
    if (fm.raw_status != "verified" || fm.times_reused != 3 ||
        fm.tags != std::vector<std::string>{"a", "b"})
      abort();
    // Writing what is there changes nothing.
    Result<std::string> again = doc::ApplyFieldUpdates(*updated, {{"status", "verified"}});
    if (!again.ok() || *again != *updated) abort();
  }
  Result<doc::FallbackFlagRemoval> removed = doc::RemoveFallbackFlag(text);
  if (removed.ok() && removed->text.size() > text.size()) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  doc::Document d = doc::ParseDocument(text, "kb/d/get_x.md");
  std::vector<doc::Diagnostic> diagnostics = d.diagnostics;
  verity::kb::LintDocument(d, "kb", verity::kb::LintOptions{}, &diagnostics);
  doc::SortDiagnostics(&diagnostics);
  verity::Json view = doc::DocumentToJson(d);
  for (const doc::Diagnostic& diag : diagnostics) {
    view["diagnostics"].push_back(doc::DiagnosticToJson(diag));
    (void)doc::FormatDiagnostic(diag);
  }
  (void)view.dump(2);
  (void)doc::MarkdownBlocks(Body(text));
  CheckWriteBack(text, d);
  return 0;
}
