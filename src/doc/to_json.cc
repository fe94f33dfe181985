#include "doc/to_json.h"

#include "doc/status_vocabulary.h"

namespace verity::doc {

namespace {

template <typename T>
void PutIf(Json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}

Json FrontmatterToJson(const Frontmatter& fm) {
  Json j;
  j["pos"] = PosToJson(fm.pos);
  j["endpoint"] = fm.endpoint;
  j["method"] = fm.method;
  j["path"] = fm.path;
  if (!fm.variant.empty()) j["variant"] = fm.variant;
  j["domain"] = fm.domain;
  j["tags"] = fm.tags;
  PutIf(j, "swagger", fm.swagger);
  j["status"] = fm.status ? Json(StatusName(*fm.status)) : Json(nullptr);
  j["rawStatus"] = fm.raw_status;
  if (fm.saved_at) j["savedAt"] = fm.saved_at->text;
  if (fm.verified_at) j["verifiedAt"] = fm.verified_at->text;
  PutIf(j, "timesReused", fm.times_reused);
  PutIf(j, "consecutiveFailures", fm.consecutive_failures);
  j["tokens"] = fm.tokens;
  PutIf(j, "useFallbackApi", fm.use_fallback_api);
  PutIf(j, "skipReason", fm.skip_reason);
  if (!fm.expected_outcome.empty()) j["expectedOutcome"] = fm.expected_outcome;
  PutIf(j, "expectedOutcomeReason", fm.expected_outcome_reason);
  PutIf(j, "requiresTestData", fm.requires_test_data);
  PutIf(j, "testDataDescription", fm.test_data_description);
  PutIf(j, "notes", fm.notes);
  if (!fm.known_issues.empty()) {
    Json issues = Json::array();
    for (const KnownIssue& k : fm.known_issues) issues.push_back(k.detail);
    j["knownIssues"] = issues;
  }
  Json fields = Json::array();
  for (const Field& f : fm.fields)
    fields.push_back(
        {{"key", f.key}, {"value", f.value}, {"raw", f.raw}, {"pos", PosToJson(f.key_pos)}});
  j["fields"] = fields;
  return j;
}

Json SectionToJson(const Section& s) {
  Json tables = Json::array();
  for (const Table& t : s.tables)
    tables.push_back({{"pos", PosToJson(t.pos)}, {"header", t.header}, {"rows", t.rows}});
  return {{"title", s.title},
          {"kind", SectionKindName(s.kind)},
          {"pos", PosToJson(s.pos)},
          {"text", s.text},
          {"tables", tables}};
}

}  // namespace

Json PosToJson(SourcePos pos) { return {{"line", pos.line}, {"col", pos.col}}; }

Json StepToJson(const Step& s, const Document& doc) {
  Json j;
  j["id"] = s.id;
  j["section"] = SectionKindName(s.section_kind);
  if (s.section >= 0 && static_cast<size_t>(s.section) < doc.sections.size())
    j["sectionTitle"] = doc.sections[s.section].title;
  j["pos"] = PosToJson(s.pos);
  if (!s.description.empty()) j["description"] = s.description;
  j["method"] = s.method;
  j["path"] = s.path;
  PutIf(j, "token", s.token);
  if (!s.params.empty()) j["params"] = s.params;
  if (!s.headers.empty()) j["headers"] = s.headers;
  if (s.body) j["body"] = *s.body;
  if (!s.extract.empty()) {
    Json ex = Json::object();
    for (const Extract& e : s.extract) {
      if (!e.copy_of.empty()) {
        ex[e.name] = "{{" + e.copy_of + "}}";
        continue;
      }
      if (!e.optional && !e.default_value && e.header.empty()) {
        ex[e.name] = e.path;
        continue;
      }
      Json entry = e.header.empty() ? Json{{"path", e.path}} : Json{{"header", e.header}};
      if (!e.match.empty()) entry["match"] = e.match;
      if (e.optional) entry["optional"] = true;
      if (e.default_value) entry["default"] = *e.default_value;
      ex[e.name] = std::move(entry);
    }
    j["extract"] = ex;
  }
  if (!s.expect_status.empty()) j["expect"]["status"] = s.expect_status;
  for (const Check& c : s.checks) {
    Json check = {{"subject", CheckSubjectName(c.subject)}, {"op", c.op}, {"operand", c.operand}};
    if (!c.target.empty()) check["target"] = c.target;
    check["pos"] = PosToJson(c.pos);
    j["expect"]["checks"].push_back(std::move(check));
  }
  if (!s.on_fail_text.empty()) j["onFail"] = s.on_fail_text;
  if (s.skip) j["skip"] = true;
  if (s.shared) j["shared"] = true;
  PutIf(j, "skipReason", s.skip_reason);
  PutIf(j, "useFallbackApi", s.use_fallback);
  PutIf(j, "x_on_behalf_of", s.x_on_behalf_of);
  PutIf(j, "content_type", s.content_type);
  if (!s.form_fields.empty()) j["form_fields"] = s.form_fields;
  if (!s.file_fields.empty()) {
    Json files = Json::array();
    for (const FileField& f : s.file_fields)
      files.push_back(
          {{"field_name", f.field_name}, {"file_path", f.file_path}, {"filename", f.filename}});
    j["file_fields"] = files;
  }
  PutIf(j, "sleep", s.sleep_ms);
  if (!s.extra.empty()) j["extra"] = s.extra;
  Json refs = Json::array();
  for (const TemplateRef& r : s.refs)
    refs.push_back({{"name", r.name},
                    {"expr", r.expr},
                    {"filters", r.filters},
                    {"where", r.where},
                    {"pos", PosToJson(r.pos)}});
  j["refs"] = refs;
  return j;
}

Json DocumentToJson(const Document& doc) {
  Json j;
  j["file"] = doc.file;
  j["frontmatter"] = doc.has_frontmatter ? FrontmatterToJson(doc.frontmatter) : Json(nullptr);
  j["title"] = doc.title ? Json(*doc.title) : Json(nullptr);
  j["titlePos"] = PosToJson(doc.title_pos);
  Json sections = Json::array();
  for (const Section& s : doc.sections) sections.push_back(SectionToJson(s));
  j["sections"] = sections;
  Json steps = Json::array();
  for (const Step& s : doc.steps) steps.push_back(StepToJson(s, doc));
  j["steps"] = steps;
  Json blocks = Json::array();
  for (const CodeBlock& b : doc.blocks)
    blocks.push_back({{"lang", b.lang}, {"pos", PosToJson(b.pos)}, {"section", b.section}});
  j["blocks"] = blocks;
  Json diags = Json::array();
  for (const Diagnostic& d : doc.diagnostics) diags.push_back(DiagnosticToJson(d));
  j["diagnostics"] = diags;
  return j;
}

}  // namespace verity::doc
