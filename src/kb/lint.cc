#include "kb/lint.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "base/file_system.h"
#include "base/strings.h"
#include "doc/naming.h"
#include "doc/status_vocabulary.h"
#include "expr/builtins.h"
#include "expr/extract.h"
#include "expr/jsonpath.h"
#include "kb/uses.h"

namespace verity::kb {

namespace {

using doc::Diagnostic;
using doc::Document;
using doc::SectionKind;
using doc::Severity;

// Documents whose text could not be read as a document at all get no rule checks: their one
// diagnostic says everything, and rules would only add noise.
bool Unreadable(const Document& d) {
  for (const Diagnostic& diag : d.diagnostics)
    if (diag.code == "NOT_TEXT" || diag.code == "EMPTY_DOCUMENT" ||
        diag.code == "DOCUMENT_TOO_LARGE" || diag.code == "FRONTMATTER_UNTERMINATED" ||
        diag.code == "READ_FAILED" || diag.code == "PATH_OUTSIDE_ROOT")
      return true;
  return false;
}

// A step id as messages name it: a step's messages are several and a placeholder warning is one per
// placeholder, so a 1 MB id must not be copied into each of them.
std::string ShortId(const doc::Step& s) { return Abbreviate(s.id, 80); }

int ExecutionRank(SectionKind kind) {
  switch (kind) {
    case SectionKind::kPrerequisites:
      return 0;
    case SectionKind::kTestRequest:
      return 1;
    case SectionKind::kCleanup:
      return 2;
    case SectionKind::kOther:
      return 3;
  }
  return 3;
}

class DocumentLinter {
 public:
  // At most `max` diagnostics go to `out`, then one DIAGNOSTIC_LIMIT.
  DocumentLinter(const Document& d, const LintOptions& options, size_t max,
                 std::vector<Diagnostic>* out)
      : d_(d), options_(options), max_(max), out_(out) {}

  void Run(std::string_view root) {
    // Rules about fields would only echo the YAML error of a frontmatter that could not be read;
    // frontmatter that is missing, empty or not a mapping has none of the required ones.
    if (d_.frontmatter_parsed || !d_.has_frontmatter) RequiredFields();
    if (d_.frontmatter_parsed) {
      Frontmatter();
      Naming(root);
    }
    Steps();
    Variables();
  }

 private:
  void Add(Severity s, std::string code, std::string message, SourcePos pos) {
    doc::AddBounded(out_, max_, {s, std::move(code), std::move(message), pos, d_.file});
  }
  void Error(std::string code, std::string message, SourcePos pos) {
    Add(Severity::kError, std::move(code), std::move(message), pos);
  }
  void Warning(std::string code, std::string message, SourcePos pos) {
    Add(Severity::kWarning, std::move(code), std::move(message), pos);
  }

  SourcePos FieldPos(std::string_view key) const {
    const doc::Field* f = d_.frontmatter.Find(key);
    return f ? f->value_pos : d_.frontmatter.pos;
  }

  // At the field when it is written empty, else at the frontmatter's opening line (the first line
  // when there is none).
  void RequiredFields() {
    const doc::Frontmatter& fm = d_.frontmatter;
    for (const char* key : {"endpoint", "domain", "status"}) {
      const doc::Field* f = fm.Find(key);
      if (f && !f->value.is_null() &&
          !(f->value.is_string() && f->value.get<std::string>().empty()))
        continue;
      SourcePos at = f ? f->key_pos : d_.has_frontmatter ? fm.pos : SourcePos{1, 1};
      Error("FIELD_REQUIRED", fmt::format("required field \"{}\" is missing", key), at);
    }
  }

  void Frontmatter() {
    const doc::Frontmatter& fm = d_.frontmatter;
    if (!fm.endpoint.empty()) {
      if (fm.method.empty() || !fm.path.starts_with('/') ||
          fm.path.find_first_of(" \t") != std::string::npos) {
        Error("ENDPOINT_INVALID",
              fmt::format("endpoint must be \"METHOD /path\", got {}", Quoted(fm.endpoint)),
              FieldPos("endpoint"));
      } else if (!doc::IsHttpMethod(fm.method)) {
        Error("ENDPOINT_INVALID", fmt::format("unknown HTTP method \"{}\" in endpoint", fm.method),
              FieldPos("endpoint"));
      } else if (fm.path.find('?') != std::string::npos) {
        Warning("ENDPOINT_QUERY",
                "endpoint carries a query string, so it can never match a spec operation; "
                "put query parameters in the step's params",
                FieldPos("endpoint"));
      }
    }
    if (!fm.raw_status.empty()) {
      if (!fm.status) {
        Error("STATUS_UNKNOWN",
              fmt::format("unknown status \"{}\" (use verified, pending, failed, skipped or "
                          "deprecated)",
                          fm.raw_status),
              FieldPos("status"));
      } else if (!doc::ParseCanonicalStatus(fm.raw_status)) {
        Warning("STATUS_NONCANONICAL",
                fmt::format("status \"{}\" is read as \"{}\"; write \"{}\"", fm.raw_status,
                            doc::StatusName(*fm.status), doc::StatusName(*fm.status)),
                FieldPos("status"));
      }
    }
    if (fm.status == doc::WorkflowStatus::kSkipped && !fm.skip_reason &&
        !d_.FindSection("Skip Reason"))
      Warning("SKIP_WITHOUT_REASON",
              "skipped without a reason: add skipReason (or a \"## Skip Reason\" section)",
              FieldPos("status"));
    for (int code : fm.expected_outcome)
      if (code < 100 || code > 599)
        Error("STATUS_CODE_INVALID", fmt::format("expectedOutcome {} is not an HTTP status", code),
              FieldPos("expectedOutcome"));
  }

  void Naming(std::string_view root) {
    const doc::Frontmatter& fm = d_.frontmatter;
    if (fm.method.empty() || !doc::IsHttpMethod(fm.method)) return;
    std::string expected = doc::ConventionalFileName(fm.endpoint, fm.variant);
    std::string_view actual = BaseName(d_.file);
    if (actual != expected)
      Warning("FILENAME_CONVENTION",
              fmt::format("file name does not follow the convention; expected \"{}\"{}", expected,
                          fm.variant.empty() ? ""
                                             : " (the endpoint's file name, then __ and the "
                                               "variant)"),
              {});
    if (root.empty() || fm.domain.empty()) return;
    std::string parent = ParentPath(d_.file);
    if (parent == root || parent == std::string(root) + "/") return;  // flat knowledge base
    if (BaseName(parent) != fm.domain)
      Warning(
          "DOMAIN_FOLDER",
          fmt::format("document of domain \"{}\" is in folder \"{}\"", fm.domain, BaseName(parent)),
          FieldPos("domain"));
  }

  void Steps() {
    // Ids name a step's result, so they must be unique where steps run together: within one
    // runnable section. Real documents reuse an id across Prerequisites and Test Request (a
    // warning: results are keyed by section and id), and blocks in other sections are
    // illustrations, each its own scope.
    std::map<std::pair<int, std::string>, const doc::Step*> in_scope;
    std::map<std::string, const doc::Step*> runnable;
    bool has_test_request = false;
    for (const doc::Step& s : d_.steps) {
      if (s.section_kind == SectionKind::kTestRequest) has_test_request = true;
      bool runs = s.section_kind != SectionKind::kOther;
      int scope = runs ? -1 - static_cast<int>(s.section_kind) : s.block;
      if (s.id.empty()) {
        Error("STEP_ID_MISSING", "step has no id", s.pos);
      } else if (auto [it, inserted] = in_scope.emplace(std::pair(scope, s.id), &s); !inserted) {
        Error("STEP_ID_DUPLICATE",
              fmt::format("step id \"{}\" is already used at line {}", ShortId(s),
                          it->second->pos.line),
              s.pos);
      } else if (runs) {
        if (auto [first, fresh] = runnable.emplace(s.id, &s); !fresh)
          Warning("STEP_ID_REUSED",
                  fmt::format("step id \"{}\" is also used in {} at line {}", ShortId(s),
                              doc::SectionKindName(first->second->section_kind),
                              first->second->pos.line),
                  s.pos);
      }
      std::string label = s.id.empty() ? "step" : fmt::format("step \"{}\"", ShortId(s));
      SkipReason(s, label);
      if (s.use || s.use_workflow) {
        // A `use:` or `useWorkflow:` step sends no request of its own; what it names does.
        if (!s.method.empty() || !s.path.empty())
          Error("STEP_USE_CONFLICT",
                fmt::format("{} has both {} and method/path; it runs what it names instead of a "
                            "request",
                            label, s.use ? "use:" : "useWorkflow:"),
                s.pos);
        continue;
      }
      if (s.method.empty())
        Error("STEP_METHOD_INVALID", fmt::format("{} has no method", label), s.pos);
      else if (!doc::IsHttpMethod(s.method))
        Error("STEP_METHOD_INVALID", fmt::format("{}: unknown HTTP method \"{}\"", label, s.method),
              s.pos);
      if (s.path.empty())
        Error("STEP_PATH_MISSING", fmt::format("{} has no path", label), s.pos);
      else if (!s.path.starts_with('/') && !s.path.starts_with("{{"))
        Warning("STEP_PATH_RELATIVE",
                fmt::format("{}: path {} does not start with '/'", label, Quoted(s.path)), s.pos);
      for (int code : s.expect_status)
        if (code < 100 || code > 599)
          Error("STATUS_CODE_INVALID",
                fmt::format("{}: expect.status {} is not an HTTP status (100-599)", label, code),
                s.pos);
      if (!s.on_fail_text.empty() && !s.on_fail)
        Error("ON_FAIL_INVALID",
              fmt::format("{}: onFail must be abort, skip or continue, got {}", label,
                          Quoted(s.on_fail_text)),
              s.pos);
      for (const doc::Extract& e : s.extract) {
        if (!e.copy_of.empty() || !e.expression.empty()) continue;  // the parser checked these
        if (!e.header.empty()) {
          if (std::string why = expr::MatchError(e.match); !why.empty())
            Error("EXTRACT_MATCH_INVALID",
                  fmt::format("extract {}: match {} is not a valid regular expression: {}", e.name,
                              Quoted(e.match), why),
                  e.match_pos);
          continue;
        }
        if (e.default_shorthand && e.default_value)
          Warning(
              "EXTRACT_DEFAULT_SHORTHAND",
              fmt::format("extract {}: `|| {}` is read as a default; write it as {{path: {}, "
                          "default: {}}}",
                          e.name, e.default_value->dump(), Quoted(e.path), e.default_value->dump()),
              e.path_pos);
        expr::JsonPathError error;
        if (expr::JsonPath::Compile(e.path, {}, &error).ok()) continue;
        SourcePos at = e.path_pos;
        if (e.path_columns_exact) at.col += error.column - 1;
        Error("EXTRACT_PATH_INVALID",
              fmt::format("extract {}: {} is not a valid JSONPath: {}", e.name, Quoted(e.path),
                          error.message),
              at);
      }
      if (s.content_type && *s.content_type != "multipart" && *s.content_type != "json" &&
          *s.content_type != "form")
        Warning("CONTENT_TYPE_UNKNOWN",
                fmt::format("{}: content_type {} is not one of json, form, multipart", label,
                            Quoted(*s.content_type)),
                s.pos);
    }
    bool skipped = d_.frontmatter.status == doc::WorkflowStatus::kSkipped ||
                   d_.frontmatter.status == doc::WorkflowStatus::kDeprecated;
    // A step block that failed to parse already has its error; "nothing to run" would be noise.
    if (d_.frontmatter_parsed && !has_test_request && !skipped && !d_.has_errors())
      Warning("NO_TEST_REQUEST", "no steps in a \"## Test Request\" section: nothing to run", {});
  }

  // Older tools skipped any step with a skipReason, and real documents write one beside
  // `onFail: skip` as the message for a tolerated failure, which is what it is now. Without either
  // `onFail: skip` or `skip: true` the reason is never shown and the step runs, which its author
  // may not expect.
  void SkipReason(const doc::Step& s, const std::string& label) {
    if (!s.skip_reason || s.skip || s.on_fail == doc::OnFail::kSkip) return;
    Warning("SKIP_REASON_WITHOUT_SKIP",
            fmt::format("{}: skipReason is the message shown when onFail: skip tolerates a "
                        "failure, and this step has no onFail: skip, so it runs and the reason is "
                        "never shown; add skip: true to skip the step, or onFail: skip to tolerate "
                        "its failure",
                        label),
            s.skip_reason_pos);
  }

  // A placeholder needs a source: an earlier step's extract, a configured variable or a built-in.
  void Variables() {
    std::set<std::string, std::less<>> known(options_.known_variables.begin(),
                                             options_.known_variables.end());
    for (std::string_view b : expr::BuiltinNames()) known.emplace(b);
    std::vector<const doc::Step*> order;
    for (const doc::Step& s : d_.steps) order.push_back(&s);
    std::stable_sort(order.begin(), order.end(), [](const doc::Step* a, const doc::Step* b) {
      return ExecutionRank(a->section_kind) < ExecutionRank(b->section_kind);
    });
    std::set<std::string, std::less<>> extracted;
    for (const doc::Step* s : order) {
      for (const doc::TemplateRef& r : s->refs) {
        // `{{ x | default: … }}` is written for the case where x has no value.
        if (std::find(r.filters.begin(), r.filters.end(), "default") != r.filters.end()) continue;
        std::string_view name = r.name;
        std::string_view root = name.substr(0, name.find('.'));
        if (root == "config" && StartsWith(name, "config.params.")) {
          std::string_view param = name.substr(std::string_view("config.params.").size());
          root = param.substr(0, param.find('.'));
        }
        if (known.contains(root) || extracted.contains(root)) continue;
        // A check runs after its own step's extracts (`Location matches /clients/{{id}}`), and
        // sees the body its step sent as `request.body`.
        if (r.where.starts_with("expect/") &&
            (StartsWith(name, "request.body") ||
             std::any_of(s->extract.begin(), s->extract.end(),
                         [&](const doc::Extract& e) { return e.name == root; })))
          continue;
        Warning("UNKNOWN_VARIABLE",
                fmt::format("{{{{{}}}}} in step \"{}\" ({}) is not extracted by an earlier step "
                            "and is not a configured or built-in variable",
                            r.name, ShortId(*s), r.where),
                r.pos);
      }
      for (const doc::Extract& e : s->extract) extracted.insert(e.name);
      if (s->use && options_.kb) {
        if (const Document* used = ResolveUse(*options_.kb, *s->use)) {
          for (std::string& name : ExportedVariables(*options_.kb, *used)) extracted.insert(name);
        }
      }
    }
  }

  const Document& d_;
  const LintOptions& options_;
  size_t max_;
  std::vector<Diagnostic>* out_;
};

}  // namespace

std::vector<std::string> LintOptions::DefaultConfigVariables() {
  return {"business_id", "business_uid", "staff_id",     "staff_uid", "client_id",
          "client_uid",  "matter_uid",   "directory_id", "service_id"};
}

void LintDocument(const Document& d, std::string_view root, const LintOptions& options,
                  std::vector<Diagnostic>* out) {
  if (Unreadable(d)) return;
  // The parse's diagnostics count towards the bound; past it, the parse has said so already.
  size_t used = d.diagnostics.size();
  if (used > options.max_diagnostics) return;
  std::vector<Diagnostic> found;
  DocumentLinter(d, options, options.max_diagnostics - used, &found).Run(root);
  out->insert(out->end(), std::make_move_iterator(found.begin()),
              std::make_move_iterator(found.end()));
}

std::vector<Diagnostic> Lint(const KnowledgeBase& kb, const LintOptions& options) {
  std::vector<Diagnostic> out;
  LintOptions with_kb = options;
  with_kb.kb = &kb;
  LintUses(kb, &out);
  // A variant is another recipe of its endpoint, not a duplicate; two recipes with the same
  // endpoint and the same variant (or two without one) are.
  std::map<std::pair<std::string, std::string>, const Document*> first_by_recipe;
  for (const Document& d : kb.documents) {
    out.insert(out.end(), d.diagnostics.begin(), d.diagnostics.end());
    std::string root = RootOf(kb, d.file);
    LintDocument(d, root == d.file ? std::string() : root, with_kb, &out);
    const std::string& endpoint = d.frontmatter.endpoint;
    if (endpoint.empty()) continue;
    auto [it, inserted] = first_by_recipe.emplace(std::pair(endpoint, d.frontmatter.variant), &d);
    if (!inserted) {
      const doc::Field* f = d.frontmatter.Find("endpoint");
      std::string what =
          d.frontmatter.variant.empty()
              ? fmt::format("endpoint \"{}\"", endpoint)
              : fmt::format("endpoint \"{}\" with variant \"{}\"", endpoint, d.frontmatter.variant);
      out.push_back({Severity::kWarning, "DUPLICATE_ENDPOINT",
                     fmt::format("{} is also documented in {}", what, it->second->file),
                     f ? f->value_pos : SourcePos{}, d.file});
    }
  }
  doc::SortDiagnostics(&out);
  return out;
}

}  // namespace verity::kb
