#include "doc/model.h"

#include "base/strings.h"

namespace verity::doc {

const Field* Frontmatter::Find(std::string_view key) const {
  for (const Field& f : fields)
    if (f.key == key) return &f;
  return nullptr;
}

bool Document::has_errors() const {
  for (const Diagnostic& d : diagnostics)
    if (d.is_error()) return true;
  return false;
}

const Section* Document::FindSection(SectionKind kind) const {
  for (const Section& s : sections)
    if (s.kind == kind) return &s;
  return nullptr;
}

const Section* Document::FindSection(std::string_view title) const {
  for (const Section& s : sections)
    if (s.title.size() >= title.size() &&
        IEquals(std::string_view(s.title).substr(0, title.size()), title))
      return &s;
  return nullptr;
}

std::vector<const Step*> Document::StepsIn(SectionKind kind) const {
  std::vector<const Step*> out;
  for (const Step& s : steps)
    if (s.section_kind == kind) out.push_back(&s);
  return out;
}

std::string_view CheckSubjectName(Check::Subject subject) {
  switch (subject) {
    case Check::Subject::kHeader:
      return "header";
    case Check::Subject::kDuration:
      return "duration";
    case Check::Subject::kContentType:
      return "content_type";
    case Check::Subject::kCriterion:
      return "criterion";
    default:
      return "body";
  }
}

}  // namespace verity::doc
