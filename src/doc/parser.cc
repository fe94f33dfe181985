#include "doc/parser.h"

#include <fmt/format.h>

#include "base/line_index.h"
#include "base/strings.h"
#include "doc/frontmatter.h"
#include "doc/markdown.h"
#include "doc/steps.h"

namespace verity::doc {

Document ParseDocument(std::string_view text, std::string file, const ParseOptions& options) {
  Document doc;
  doc.file = std::move(file);
  DiagnosticSink sink(&doc.diagnostics, options.max_diagnostics);
  Budget budget(options);

  if (text.size() > options.max_bytes) {
    sink.Error(
        "DOCUMENT_TOO_LARGE",
        fmt::format("document is {} bytes; the limit is {} bytes", text.size(), options.max_bytes),
        {});
    return doc;
  }
  if (Trim(text).empty()) {
    sink.Error("EMPTY_DOCUMENT", "document is empty", {});
    return doc;
  }
  size_t bad = 0;
  bool utf8 = IsValidUtf8(text, &bad);
  if (!utf8 || text.find('\0') != std::string_view::npos) {
    if (utf8) bad = text.find('\0');
    LineIndex lines(text);
    sink.Error("NOT_TEXT",
               fmt::format("not a UTF-8 text document (byte 0x{:02x} at offset {})",
                           static_cast<unsigned char>(text[bad]), bad),
               lines.PosOf(bad));
    return doc;
  }

  LineIndex lines(text);
  FrontmatterSpan span = FindFrontmatter(text);
  size_t body_begin = 0;
  if (!span.present) {
    sink.Error("FRONTMATTER_MISSING",
               "no frontmatter: a workflow document starts with a \"---\" line, its fields, and "
               "another \"---\" line",
               {1, 1});
  } else if (!span.terminated) {
    sink.Error("FRONTMATTER_UNTERMINATED",
               "frontmatter opened here is never closed (no \"---\" line follows)",
               {span.open_line, 1});
    return doc;
  } else {
    doc.has_frontmatter = true;
    doc.frontmatter_parsed =
        ParseFrontmatter(text, span, lines, &doc.frontmatter, sink, budget).has_value();
    body_begin = span.body_begin;
  }

  Outline outline = ParseMarkdown(text, body_begin, lines, options, sink);
  doc.title = std::move(outline.title);
  doc.title_pos = outline.title_pos;
  doc.sections = std::move(outline.sections);
  doc.blocks = std::move(outline.blocks);

  for (size_t i = 0; i < doc.blocks.size(); ++i) {
    const CodeBlock& block = doc.blocks[i];
    if (!IsStepBlock(block)) continue;
    SectionKind kind = block.section >= 0 ? doc.sections[block.section].kind : SectionKind::kOther;
    DiagnosticSink block_sink = sink.WithOffset(block.pos.line ? block.pos.line - 1 : 0);
    for (Step& step : ParseStepBlock(block, static_cast<int>(i), kind, block_sink, budget))
      doc.steps.push_back(std::move(step));
  }
  return doc;
}

}  // namespace verity::doc
