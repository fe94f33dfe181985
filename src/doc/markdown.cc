#include "doc/markdown.h"

#include <fmt/format.h>
#include <md4c.h>

#include <algorithm>

#include "base/strings.h"

namespace verity::doc {

namespace {

// The opening fence line of the n-th (0-based) fenced code block after `from`, found the simple way
// (fences outside containers): md4c gives no position for a block without content.
SourcePos NthFence(std::string_view text, size_t from, size_t n, const LineIndex& lines) {
  char open_char = 0;
  size_t open_len = 0;
  for (size_t pos = from; pos < text.size();) {
    size_t eol = text.find('\n', pos);
    size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    std::string_view line = text.substr(pos, next - pos);
    size_t indent = line.find_first_not_of(' ');
    if (indent != std::string_view::npos && indent < 4 &&
        (line[indent] == '`' || line[indent] == '~')) {
      char c = line[indent];
      size_t len = std::min(line.find_first_not_of(c, indent), line.size()) - indent;
      if (open_char == 0 && len >= 3) {
        if (n-- == 0) return {lines.PosOf(pos).line, 1};
        open_char = c, open_len = len;
      } else if (c == open_char && len >= open_len && Trim(line.substr(indent + len)).empty()) {
        open_char = 0;
      }
    }
    pos = next;
  }
  return {};
}

// md4c reports structure through callbacks; this collects what the document model needs. Text
// pointers usually point into the input, which is how positions are recovered (md4c's own API has
// no line numbers); pointers outside the input (synthesised "\n", indentation) are skipped for
// that.
class OutlineBuilder {
 public:
  OutlineBuilder(std::string_view text, const LineIndex& lines, const ParseOptions& options,
                 DiagnosticSink& sink)
      : text_(text), lines_(lines), options_(options), sink_(sink) {}

  Outline Build(size_t body_offset) {
    body_offset_ = body_offset;
    MD_PARSER parser{};
    parser.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS;
    parser.enter_block = [](MD_BLOCKTYPE t, void* d, void* self) {
      return static_cast<OutlineBuilder*>(self)->EnterBlock(t, d);
    };
    parser.leave_block = [](MD_BLOCKTYPE t, void* d, void* self) {
      return static_cast<OutlineBuilder*>(self)->LeaveBlock(t, d);
    };
    parser.enter_span = [](MD_SPANTYPE, void*, void*) { return 0; };
    parser.leave_span = [](MD_SPANTYPE, void*, void*) { return 0; };
    parser.text = [](MD_TEXTTYPE t, const MD_CHAR* s, MD_SIZE n, void* self) {
      return static_cast<OutlineBuilder*>(self)->Text(t, s, n);
    };
    std::string_view body = text_.substr(body_offset);
    md_parse(body.data(), static_cast<MD_SIZE>(body.size()), &parser, this);
    FillSectionTexts();
    return std::move(out_);
  }

 private:
  enum class Capture { kNone, kHeading, kCode, kCell };

  int EnterBlock(MD_BLOCKTYPE type, void* detail) {
    switch (type) {
      case MD_BLOCK_H:
        capture_ = Capture::kHeading;
        heading_level_ = static_cast<MD_BLOCK_H_DETAIL*>(detail)->level;
        Begin();
        break;
      case MD_BLOCK_CODE: {
        auto* d = static_cast<MD_BLOCK_CODE_DETAIL*>(detail);
        capture_ = Capture::kCode;
        code_fenced_ = d->fence_char != 0;
        code_lang_ = ToLower(std::string_view(d->lang.text ? d->lang.text : "", d->lang.size));
        Begin();
        break;
      }
      case MD_BLOCK_TABLE:
        table_ = Table{};
        break;
      case MD_BLOCK_TR:
        row_.clear();
        break;
      case MD_BLOCK_TH:
      case MD_BLOCK_TD:
        capture_ = Capture::kCell;
        Begin();
        break;
      default:
        break;
    }
    return 0;
  }

  int LeaveBlock(MD_BLOCKTYPE type, void*) {
    switch (type) {
      case MD_BLOCK_H: {
        std::string title(Trim(buffer_));
        if (heading_level_ == 1 && !out_.title) {
          out_.title = title;
          out_.title_pos = StartPos();
        } else if (heading_level_ == 2) {
          if (out_.sections.size() == options_.max_sections)
            return Stop("SECTION_LIMIT", "sections", options_.max_sections, StartPos());
          Section s;
          s.title = std::move(title);
          s.pos = StartPos();
          s.kind = ClassifySection(s.title);
          out_.sections.push_back(std::move(s));
        }
        capture_ = Capture::kNone;
        break;
      }
      case MD_BLOCK_CODE: {
        if (code_fenced_) {
          if (out_.blocks.size() == options_.max_code_blocks)
            return Stop("CODE_BLOCK_LIMIT", "fenced code blocks", options_.max_code_blocks,
                        NthFence(text_, body_offset_, out_.blocks.size(), lines_));
          CodeBlock b;
          b.lang = code_lang_;
          b.text = buffer_;
          // The first in-input pointer may sit on a later line than the content's first line
          // (blank lines come from md4c's own "\n"), so count the newlines seen before it.
          if (first_ptr_offset_) {
            SourcePos p = lines_.PosOf(*first_ptr_offset_);
            b.pos = {p.line - newlines_before_first_ptr_, 1};
          }
          b.section = static_cast<int>(out_.sections.size()) - 1;
          out_.blocks.push_back(std::move(b));
        }
        capture_ = Capture::kNone;
        break;
      }
      case MD_BLOCK_TH:
      case MD_BLOCK_TD:
        if (cells_++ == options_.max_table_cells)
          return Stop("TABLE_LIMIT", "table cells", options_.max_table_cells, StartPos());
        if (row_.empty() && table_.header.empty() && table_.rows.empty()) table_.pos = StartPos();
        row_.emplace_back(Trim(buffer_));
        capture_ = Capture::kNone;
        break;
      case MD_BLOCK_TR:
        if (table_.header.empty() && table_.rows.empty())
          table_.header = std::move(row_);
        else
          table_.rows.push_back(std::move(row_));
        row_.clear();
        break;
      case MD_BLOCK_TABLE:
        if (!out_.sections.empty()) out_.sections.back().tables.push_back(std::move(table_));
        break;
      default:
        break;
    }
    return 0;
  }

  int Text(MD_TEXTTYPE type, const MD_CHAR* s, MD_SIZE n) {
    if (capture_ == Capture::kNone) return 0;
    std::string_view piece(s, n);
    if (type == MD_TEXT_SOFTBR || type == MD_TEXT_BR) piece = " ";
    if (type == MD_TEXT_NULLCHAR) piece = "\xEF\xBF\xBD";
    bool in_input = s >= text_.data() && s < text_.data() + text_.size() && n > 0;
    if (!first_ptr_offset_ && in_input && type != MD_TEXT_SOFTBR && type != MD_TEXT_BR) {
      first_ptr_offset_ = static_cast<size_t>(s - text_.data());
      newlines_before_first_ptr_ = 0;
      for (char c : buffer_)
        if (c == '\n') ++newlines_before_first_ptr_;
    }
    if (capture_ == Capture::kCode) {
      if (!in_input && piece != "\n") {
        // md4c writes a code line's leading whitespace as spaces of its own, tabs expanded.
        if (!indent_start_) indent_start_ = buffer_.size();
        buffer_ += piece;
        return 0;
      }
      if (in_input && indent_start_) RestoreIndentation(static_cast<size_t>(s - text_.data()));
      indent_start_.reset();
    }
    buffer_ += piece;
    return 0;
  }

  // Puts a code line's own leading whitespace back in place of md4c's expansion, so that a YAML
  // block sees the tabs it really has (YAML forbids them in indentation) and columns match the
  // file. Only when the whitespace is the whole indentation (the fence is not indented and not in
  // a container), which is what the expansion's width tells.
  void RestoreIndentation(size_t line_text_offset) {
    size_t begin = line_text_offset;
    while (begin > 0 && (text_[begin - 1] == ' ' || text_[begin - 1] == '\t')) --begin;
    if (begin > 0 && text_[begin - 1] != '\n') return;
    std::string_view source = text_.substr(begin, line_text_offset - begin);
    if (source.find('\t') == std::string_view::npos) return;
    size_t width = 0;
    for (char c : source) width = c == '\t' ? (width + 4) & ~size_t{3} : width + 1;
    if (width != buffer_.size() - *indent_start_) return;
    buffer_.resize(*indent_start_);
    buffer_ += source;
  }

  // Ends the parse at a bound. md4c stops at a negative return: it passes positive ones from leaf
  // blocks over (MD_CHECK), and would call again for each block that follows.
  int Stop(const char* code, const char* what, size_t max, SourcePos pos) {
    sink_.Error(
        code, fmt::format("more than {} {} in the document; the rest is not read", max, what), pos);
    return -1;
  }

  void Begin() {
    buffer_.clear();
    indent_start_.reset();
    first_ptr_offset_.reset();
    newlines_before_first_ptr_ = 0;
  }

  SourcePos StartPos() const {
    if (!first_ptr_offset_) return {};
    SourcePos p = lines_.PosOf(*first_ptr_offset_);
    return {p.line, 1};
  }

  // CRLF line ends become LF: the model of a document does not depend on its line-end convention.
  static std::string WithoutCarriageReturns(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i)
      if (s[i] != '\r' || i + 1 == s.size() || s[i + 1] != '\n') out += s[i];
    return out;
  }

  // A section's text is its source from the line after its heading to the line before the next
  // "##" heading, so that search and humans see exactly what the author wrote (line ends as LF).
  void FillSectionTexts() {
    for (size_t i = 0; i < out_.sections.size(); ++i) {
      Section& s = out_.sections[i];
      if (!s.pos.known()) continue;
      size_t begin = lines_.LineStart(s.pos.line + 1);
      size_t end = text_.size();
      if (i + 1 < out_.sections.size() && out_.sections[i + 1].pos.known())
        end = lines_.LineStart(out_.sections[i + 1].pos.line);
      if (begin < end) s.text = WithoutCarriageReturns(Trim(text_.substr(begin, end - begin)));
    }
  }

  std::string_view text_;
  const LineIndex& lines_;
  const ParseOptions& options_;
  DiagnosticSink& sink_;
  Outline out_;
  size_t body_offset_ = 0;
  size_t cells_ = 0;
  Capture capture_ = Capture::kNone;
  std::string buffer_;
  std::optional<size_t> first_ptr_offset_;
  std::optional<size_t> indent_start_;  // where md4c's indentation of the current code line began
  uint32_t newlines_before_first_ptr_ = 0;
  unsigned heading_level_ = 0;
  bool code_fenced_ = false;
  std::string code_lang_;
  Table table_;
  std::vector<std::string> row_;
};

}  // namespace

SectionKind ClassifySection(std::string_view title) {
  std::string t = ToLower(Trim(title));
  if (t.starts_with("prerequisite")) return SectionKind::kPrerequisites;
  if (t.starts_with("test request")) return SectionKind::kTestRequest;
  if (t.starts_with("cleanup") || t.starts_with("clean up") || t.starts_with("teardown"))
    return SectionKind::kCleanup;
  return SectionKind::kOther;
}

Outline ParseMarkdown(std::string_view text, size_t body_offset, const LineIndex& lines,
                      const ParseOptions& options, DiagnosticSink& sink) {
  return OutlineBuilder(text, lines, options, sink).Build(body_offset);
}

}  // namespace verity::doc
