// Reading a JSON run report back for `verity report diff`: only the members the diff uses are
// checked, and a reader of version 1 ignores members it does not know (docs/report-format.md,
// "Versioning"), so reports of later additive changes still compare.
#include <fmt/format.h>

#include "report/json_report.h"
#include "report/report_diff.h"
#include "report/text.h"
#include "run/outcome.h"

namespace verity::report {

namespace {

// A value quoted in an error message: a report may hold anything, so it is cut and made one line.
std::string Shown(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > 40) text = Utf8Prefix(text, 40) + "…";
  return OneLine(text);
}

const char* TypeName(const Json& value) {
  if (value.is_null()) return "null";
  if (value.is_string()) return "a string";
  if (value.is_number()) return "a number";
  if (value.is_boolean()) return "a boolean";
  if (value.is_array()) return "an array";
  return "an object";
}

// Walks one report, remembering the first member that is wrong; each getter returns a harmless
// value once something failed, so the callers stay straight-line.
class Reader {
 public:
  explicit Reader(const std::string& name) : name_(name) {}

  bool failed() const { return !error_.empty(); }
  Status error() const { return Status::InvalidArgument(error_); }

  void Fail(const std::string& pointer, const std::string& what) {
    if (failed()) return;
    error_ = fmt::format("{}: {} at {}: {}", name_, kReportInvalid,
                         pointer.empty() ? "the top level" : pointer, what);
  }

  const Json* Member(const Json& object, const std::string& pointer, const char* key) {
    std::string at = pointer + "/" + key;
    if (!object.is_object() || !object.contains(key)) {
      Fail(at, "missing");
      return nullptr;
    }
    return &object[key];
  }

  std::string String(const Json& object, const std::string& pointer, const char* key,
                     bool nullable) {
    const Json* value = Member(object, pointer, key);
    if (!value) return "";
    if (value->is_string()) return value->get<std::string>();
    if (nullable && value->is_null()) return "";
    Fail(pointer + "/" + key, fmt::format("expected a string{}, found {}",
                                          nullable ? " or null" : "", TypeName(*value)));
    return "";
  }

  std::string Outcome(const Json& object, const std::string& pointer) {
    std::string status = String(object, pointer, "status", false);
    if (!failed() && !run::ParseOutcome(status)) {
      Fail(pointer + "/status",
           "expected PASS, SKIP, WARN, ERROR or FAIL, found " + Shown(object["status"]));
    }
    return status;
  }

  const Json& Array(const Json& object, const std::string& pointer, const char* key) {
    static const Json kEmpty = Json::array();
    const Json* value = Member(object, pointer, key);
    if (!value) return kEmpty;
    if (value->is_array()) return *value;
    Fail(pointer + "/" + key, fmt::format("expected an array, found {}", TypeName(*value)));
    return kEmpty;
  }

 private:
  std::string name_;
  std::string error_;
};

std::string StringOr(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

std::optional<int> HttpStatusOf(const Json& value) {
  if (value.is_number_integer()) return value.get<int>();
  return std::nullopt;
}

void ReadSteps(Reader& reader, const Json& steps, const std::string& pointer,
               const std::string& prefix, std::vector<ReportStep>* out) {
  for (size_t i = 0; i < steps.size() && !reader.failed(); ++i) {
    const Json& step = steps[i];
    std::string at = pointer + "/" + std::to_string(i);
    ReportStep read;
    read.id = prefix + reader.String(step, at, "id", false);
    read.section = reader.String(step, at, "section", false);
    read.status = reader.Outcome(step, at);
    read.reason = reader.String(step, at, "reason", true);
    read.message = reader.String(step, at, "message", true);
    // `response` is an object or null; only its status is used.
    if (step.is_object() && step.contains("response") && step["response"].is_object())
      read.http_status = HttpStatusOf(step["response"].value("status", Json()));
    out->push_back(read);
    if (step.is_object() && step.contains("steps") && step["steps"].is_array())
      ReadSteps(reader, step["steps"], at + "/steps", read.id + "/", out);
  }
}

ReportDocument ReadDocument(Reader& reader, const Json& result, const std::string& at) {
  ReportDocument d;
  if (!result.is_object()) {
    reader.Fail(at, fmt::format("expected an object, found {}", TypeName(result)));
    return d;
  }
  d.endpoint = reader.String(result, at, "endpoint", false);
  d.variant = reader.String(result, at, "variant", true);
  d.file = reader.String(result, at, "file", false);
  d.status = reader.Outcome(result, at);
  d.http_status = HttpStatusOf(result.value("httpStatus", Json()));
  const Json* details = reader.Member(result, at, "details");
  if (details && !details->is_object())
    reader.Fail(at + "/details", fmt::format("expected an object, found {}", TypeName(*details)));
  if (reader.failed()) return d;
  d.reason = reader.String(*details, at + "/details", "reason", true);
  d.message = reader.String(*details, at + "/details", "friendlyMessage", true);
  ReadSteps(reader, reader.Array(result, at, "steps"), at + "/steps", "", &d.steps);
  return d;
}

}  // namespace

Result<RunReportView> RunReportFromJson(const Json& report, const std::string& name) {
  Reader reader(name);
  if (!report.is_object()) {
    reader.Fail("", fmt::format("expected an object, found {}", TypeName(report)));
    return reader.error();
  }
  std::string format = reader.String(report, "", "format", false);
  if (!reader.failed() && format != kJsonReportFormat) {
    reader.Fail("/format", fmt::format("expected \"{}\", found {}", kJsonReportFormat,
                                       Shown(report["format"])));
  }
  const Json* version = reader.Member(report, "", "version");
  if (version && (!version->is_number_integer() || *version != kJsonReportVersion)) {
    reader.Fail("/version", fmt::format("this verity reads version {}, found {}",
                                        kJsonReportVersion, Shown(*version)));
  }
  RunReportView view;
  view.name = name;
  const Json* summary = reader.Member(report, "", "summary");
  // Only shown, never compared: a report without them still compares.
  if (summary && summary->is_object()) {
    view.run_id = StringOr(*summary, "runId");
    view.base_url = StringOr(*summary, "baseUrl");
  }
  const Json& results = reader.Array(report, "", "results");
  for (size_t i = 0; i < results.size() && !reader.failed(); ++i)
    view.documents.push_back(ReadDocument(reader, results[i], "/results/" + std::to_string(i)));
  if (reader.failed()) return reader.error();
  return view;
}

Result<RunReportView> ReadRunReport(const FileSystem& fs, const std::string& path) {
  Result<std::string> text = fs.ReadFile(path);
  if (!text.ok()) {
    return Status::InvalidArgument(
        fmt::format("{}: {}: {}", path, kReportUnreadable, text.status().message()));
  }
  Result<Json> parsed = ParseJson(*text);
  if (!parsed.ok()) {
    return Status::InvalidArgument(
        fmt::format("{}: {}: {}", path, kReportNotJson, parsed.status().message()));
  }
  return RunReportFromJson(*parsed, path);
}

}  // namespace verity::report
