// Helpers shared by the document parser tests: comparable renderings of a parsed model.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "doc/model.h"

namespace verity::doc {

std::string SeedText();
/// Every diagnostic as `file:line:col: severity: message [CODE]`, in the order the parser found
/// them.
std::vector<std::string> Formatted(const Document& doc);
std::vector<std::string> Titles(const Document& doc);
std::vector<std::string> StepIds(const std::vector<const Step*>& steps);
std::vector<std::string> StepIds(const Document& doc);
/// A ref as one comparable line: "name [filters] @where line:col".
std::vector<std::string> Refs(const Step& step);
/// A document whose Test Request block holds `steps` (the step list starts on line 11).
Document ParseSteps(std::string_view steps);
/// A document with only the given frontmatter fields and a title.
Document ParseFrontmatterOnly(std::string_view fields);

}  // namespace verity::doc
