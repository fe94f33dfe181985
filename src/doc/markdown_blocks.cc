#include "doc/markdown_blocks.h"

#include <fmt/format.h>
#include <md4c.h>

#include "base/strings.h"

namespace verity::doc {

namespace {

class BlockBuilder {
 public:
  explicit BlockBuilder(size_t max_pieces) : max_pieces_(max_pieces) {}

  std::vector<MarkdownBlock> Build(std::string_view markdown) {
    MD_PARSER parser{};
    parser.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS;
    parser.enter_block = [](MD_BLOCKTYPE t, void* d, void* self) {
      return static_cast<BlockBuilder*>(self)->Enter(t, d);
    };
    parser.leave_block = [](MD_BLOCKTYPE t, void*, void* self) {
      static_cast<BlockBuilder*>(self)->Leave(t);
      return 0;
    };
    parser.enter_span = [](MD_SPANTYPE, void*, void*) { return 0; };
    parser.leave_span = [](MD_SPANTYPE, void*, void*) { return 0; };
    parser.text = [](MD_TEXTTYPE t, const MD_CHAR* s, MD_SIZE n, void* self) {
      static_cast<BlockBuilder*>(self)->Text(t, std::string_view(s, n));
      return 0;
    };
    md_parse(markdown.data(), static_cast<MD_SIZE>(markdown.size()), &parser, this);
    if (stopped_) {
      current_ = nullptr;
      Open(MarkdownBlock::Kind::kParagraph).text = fmt::format(
          "[more than {} blocks, list items and table rows: the rest is not shown]", max_pieces_);
    }
    return std::move(blocks_);
  }

 private:
  // Inside a list or a quote, nested headings, code and tables add their text to it.
  bool Nested() const {
    return current_ && (current_->kind == MarkdownBlock::Kind::kList ||
                        current_->kind == MarkdownBlock::Kind::kQuote);
  }

  // A negative return ends the parse: past `max_pieces_` blocks, list items and table rows, a page
  // would only grow (each costs a JSON object for as little as four bytes of markdown, "- a\n").
  int Enter(MD_BLOCKTYPE type, void* detail) {
    if (Nested() && (type == MD_BLOCK_H || type == MD_BLOCK_CODE || type == MD_BLOCK_TABLE)) {
      ++nested_;
      return 0;
    }
    if (pieces_ >= max_pieces_) {
      stopped_ = true;
      return -1;
    }
    switch (type) {
      case MD_BLOCK_H:
        Open(MarkdownBlock::Kind::kHeading).level =
            static_cast<int>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level);
        break;
      case MD_BLOCK_CODE: {
        const auto* code = static_cast<MD_BLOCK_CODE_DETAIL*>(detail);
        Open(MarkdownBlock::Kind::kCode).language =
            code->lang.text ? ToLower(std::string_view(code->lang.text, code->lang.size)) : "";
        break;
      }
      case MD_BLOCK_UL:
      case MD_BLOCK_OL:
        // A nested list's items join the outer list.
        if (list_depth_++ == 0 && quote_depth_ == 0) Open(MarkdownBlock::Kind::kList);
        break;
      case MD_BLOCK_LI:
        if (current_ && current_->kind == MarkdownBlock::Kind::kList) NewItem();
        break;
      case MD_BLOCK_QUOTE:
        if (quote_depth_++ == 0 && list_depth_ == 0) Open(MarkdownBlock::Kind::kQuote);
        break;
      case MD_BLOCK_TABLE:
        Open(MarkdownBlock::Kind::kTable);
        break;
      case MD_BLOCK_TR:
        if (current_ && current_->kind == MarkdownBlock::Kind::kTable) {
          NewItem();
          first_cell_ = true;
        }
        break;
      case MD_BLOCK_TH:
      case MD_BLOCK_TD:
        if (current_ && current_->kind == MarkdownBlock::Kind::kTable && !first_cell_) {
          current_->items.back() += " | ";
        }
        first_cell_ = false;
        break;
      case MD_BLOCK_HTML:
        // Raw HTML in a recipe is shown as the text it is.
        if (current_ == nullptr) Open(MarkdownBlock::Kind::kParagraph);
        break;
      case MD_BLOCK_P:
        if (current_ == nullptr) {
          Open(MarkdownBlock::Kind::kParagraph);
        } else if (current_->kind == MarkdownBlock::Kind::kQuote && !current_->text.empty()) {
          current_->text += "\n\n";
        }
        break;
      default:
        break;
    }
    return 0;
  }

  void Leave(MD_BLOCKTYPE type) {
    if (nested_ > 0 && (type == MD_BLOCK_H || type == MD_BLOCK_CODE || type == MD_BLOCK_TABLE)) {
      --nested_;
      return;
    }
    switch (type) {
      case MD_BLOCK_H:
      case MD_BLOCK_CODE:
      case MD_BLOCK_TABLE:
        Close();
        break;
      case MD_BLOCK_UL:
      case MD_BLOCK_OL:
        if (--list_depth_ == 0 && quote_depth_ == 0) Close();
        break;
      case MD_BLOCK_QUOTE:
        if (--quote_depth_ == 0 && list_depth_ == 0) Close();
        break;
      case MD_BLOCK_P:
      case MD_BLOCK_HTML:
        if (current_ && current_->kind == MarkdownBlock::Kind::kParagraph) {
          if (type == MD_BLOCK_HTML && EndsWith(current_->text, "\n")) current_->text.pop_back();
          Close();
        }
        break;
      default:
        break;
    }
  }

  void Text(MD_TEXTTYPE type, std::string_view text) {
    if (current_ == nullptr) return;
    std::string_view piece = text;
    if (type == MD_TEXT_BR || type == MD_TEXT_SOFTBR) piece = type == MD_TEXT_BR ? "\n" : " ";
    if (type == MD_TEXT_NULLCHAR) piece = "\xEF\xBF\xBD";
    std::string& into = current_->kind == MarkdownBlock::Kind::kList ||
                                current_->kind == MarkdownBlock::Kind::kTable
                            ? Item()
                            : current_->text;
    // md4c hands over an entity as written ("&amp;"); the page shows text, so decode the common
    // ones and leave the rest as written rather than guess.
    if (type == MD_TEXT_ENTITY) {
      if (text == "&amp;") piece = "&";
      if (text == "&lt;") piece = "<";
      if (text == "&gt;") piece = ">";
      if (text == "&quot;") piece = "\"";
      if (text == "&nbsp;") piece = "\xC2\xA0";
    }
    into += piece;
  }

  std::string& Item() {
    if (current_->items.empty()) NewItem();
    std::string& item = current_->items.back();
    return item;
  }

  void NewItem() {
    ++pieces_;
    current_->items.emplace_back();
  }

  MarkdownBlock& Open(MarkdownBlock::Kind kind) {
    ++pieces_;
    blocks_.emplace_back();
    blocks_.back().kind = kind;
    current_ = &blocks_.back();
    return *current_;
  }

  void Close() {
    if (current_ && current_->kind == MarkdownBlock::Kind::kCode &&
        EndsWith(current_->text, "\n")) {
      current_->text.pop_back();
    }
    current_ = nullptr;
  }

  size_t max_pieces_;
  size_t pieces_ = 0;
  bool stopped_ = false;
  std::vector<MarkdownBlock> blocks_;
  MarkdownBlock* current_ = nullptr;  // blocks_.back() while a block is open
  int list_depth_ = 0;
  int quote_depth_ = 0;
  bool first_cell_ = false;
  int nested_ = 0;
};

}  // namespace

const char* BlockKindName(MarkdownBlock::Kind kind) {
  switch (kind) {
    case MarkdownBlock::Kind::kHeading:
      return "heading";
    case MarkdownBlock::Kind::kParagraph:
      return "paragraph";
    case MarkdownBlock::Kind::kCode:
      return "code";
    case MarkdownBlock::Kind::kList:
      return "list";
    case MarkdownBlock::Kind::kQuote:
      return "quote";
    case MarkdownBlock::Kind::kTable:
      return "table";
  }
  return "paragraph";
}

std::vector<MarkdownBlock> MarkdownBlocks(std::string_view markdown, size_t max_pieces) {
  return BlockBuilder(max_pieces).Build(markdown);
}

}  // namespace verity::doc
