// Just enough of a DOM to check a report's structure: expat decides well-formedness (a real
// parser, not a test's guess), this keeps what it saw. The JUnit report is XML; the HTML report
// is written to be well-formed XML as well, so both are checked the same way.
#pragma once

#include <expat.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace verity::testing {

struct Element {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string text;  // character data directly inside this element
  std::vector<std::unique_ptr<Element>> children;
  Element* parent = nullptr;
  size_t offset_in_parent = 0;  // the size of the parent's `text` when this element opened

  /// Every descendant named `wanted`, in document order.
  std::vector<const Element*> All(const std::string& wanted) const {
    std::vector<const Element*> out;
    for (const auto& child : children) {
      if (child->name == wanted) out.push_back(child.get());
      for (const Element* inner : child->All(wanted)) out.push_back(inner);
    }
    return out;
  }
  const Element* Child(const std::string& wanted) const {
    for (const auto& child : children)
      if (child->name == wanted) return child.get();
    return nullptr;
  }
  /// The descendant whose `id` attribute is `id`.
  const Element* ById(const std::string& id) const {
    for (const auto& child : children) {
      auto it = child->attributes.find("id");
      if (it != child->attributes.end() && it->second == id) return child.get();
      if (const Element* inner = child->ById(id)) return inner;
    }
    return nullptr;
  }
  std::string Attribute(const std::string& attribute) const {
    auto it = attributes.find(attribute);
    return it == attributes.end() ? "" : it->second;
  }
  /// All character data inside, descendants included, in document order.
  std::string AllText() const {
    std::string out;
    size_t at = 0;
    // Character data and children interleave; `text` keeps where each child started.
    for (const auto& child : children) {
      out += text.substr(at, child->offset_in_parent - at);
      at = child->offset_in_parent;
      out += child->AllText();
    }
    return out + text.substr(at);
  }
};

struct ParseResult {
  bool ok = false;
  std::string error;
  Element document;  // its one child is the root element
};

inline ParseResult ParseXml(const std::string& xml) {
  ParseResult result;
  Element* current = &result.document;
  XML_Parser parser = XML_ParserCreate("UTF-8");
  XML_SetUserData(parser, &current);
  XML_SetElementHandler(
      parser,
      [](void* data, const XML_Char* name, const XML_Char** attributes) {
        Element*& at = *static_cast<Element**>(data);
        auto element = std::make_unique<Element>();
        element->name = name;
        for (int i = 0; attributes[i] != nullptr; i += 2)
          element->attributes[attributes[i]] = attributes[i + 1];
        element->parent = at;
        element->offset_in_parent = at->text.size();
        at->children.push_back(std::move(element));
        at = at->children.back().get();
      },
      [](void* data, const XML_Char*) {
        Element*& at = *static_cast<Element**>(data);
        at = at->parent;
      });
  XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* s, int len) {
    (*static_cast<Element**>(data))->text.append(s, static_cast<size_t>(len));
  });
  result.ok = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_OK;
  if (!result.ok) {
    result.error = std::string(XML_ErrorString(XML_GetErrorCode(parser))) + " at line " +
                   std::to_string(XML_GetCurrentLineNumber(parser));
  }
  XML_ParserFree(parser);
  return result;
}

}  // namespace verity::testing
