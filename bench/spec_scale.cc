#include "spec_scale.h"

#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "base/file_system.h"
#include "isolated.h"
#include "spec/catalog.h"

namespace verity::bench {
namespace {

// The largest size may cost this much more per path than the smallest: timing noise on a shared
// machine, not growth (quadratic loading was 4x at 40 000 paths and 12x at 110 000).
constexpr double kMaxGrowth = 1.5;

constexpr size_t kPathsPerSchema = 10;

struct Piece {
  size_t i;
  size_t schema;
};

void JsonPath(std::string& out, Piece p) {
  std::string schema = fmt::format(R"({{"$ref": "#/components/schemas/Thing{}"}})", p.schema);
  std::string ok = fmt::format(
      R"("200": {{"description": "ok", "content": {{"application/json": {{"schema": {}}}}}}})",
      schema);
  fmt::format_to(
      std::back_inserter(out),
      R"(    "/things{0}/{{id}}": {{"parameters": [{{"name": "id", "in": "path", "required": true, )"
      R"("schema": {{"type": "string"}}}}],)"
      "\n"
      R"(      "get": {{"operationId": "getThing{0}", "summary": "Read thing {0}", )"
      R"("description": "Available for **staff** tokens", "parameters": [{{"name": "fields", )"
      R"("in": "query", "schema": {{"type": "string"}}}}], "responses": {{{1}, )"
      R"("404": {{"$ref": "#/components/responses/NotFound"}}}}}},)"
      "\n"
      R"(      "put": {{"operationId": "putThing{0}", "description": "Available for **staff** )"
      R"(tokens", "requestBody": {{"content": {{"application/json": {{"schema": {2}}}}}}}, )"
      R"("responses": {{{1}}}}}}})",
      p.i, ok, schema);
}

void YamlPath(std::string& out, Piece p) {
  std::string schema = fmt::format("{{$ref: '#/components/schemas/Thing{}'}}", p.schema);
  fmt::format_to(
      std::back_inserter(out),
      "  /things{0}/{{id}}:\n"
      "    parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]\n"
      "    get:\n"
      "      operationId: getThing{0}\n"
      "      summary: Read thing {0}\n"
      "      description: Available for **staff** tokens\n"
      "      parameters: [{{name: fields, in: query, schema: {{type: string}}}}]\n"
      "      responses:\n"
      "        '200': {{description: ok, content: {{application/json: {{schema: {1}}}}}}}\n"
      "        '404': {{$ref: '#/components/responses/NotFound'}}\n"
      "    put:\n"
      "      operationId: putThing{0}\n"
      "      description: Available for **staff** tokens\n"
      "      requestBody: {{content: {{application/json: {{schema: {1}}}}}}}\n"
      "      responses:\n"
      "        '200': {{description: ok, content: {{application/json: {{schema: {1}}}}}}}\n",
      p.i, schema);
}

constexpr const char* kThing =
    "{type: object, required: [id], properties: {id: {type: string}, name: {type: string}, "
    "count: {type: integer, minimum: 0}}}";
constexpr const char* kThingJson =
    R"({"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, )"
    R"("name": {"type": "string"}, "count": {"type": "integer", "minimum": 0}}})";

struct ScaleMeasure {
  double seconds = 0;
  size_t operations = 0;
  size_t problems = 0;
  long peak_rss_kb = 0;
};

ScaleMeasure LoadOnce(const std::string& path) {
  ScaleMeasure m;
  ResetPeakRss();
  PosixFileSystem fs;
  auto t0 = std::chrono::steady_clock::now();
  // The benchmark measures how loading grows with size: the 110 000-path descriptions (~95 MB)
  // are over the default 64 MiB limit a user's spec gets.
  spec::SpecSetOptions options;
  options.max_file_bytes = 1ull << 30;
  spec::Catalog catalog(fs, options);
  catalog.Add(path);
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  m.operations = catalog.operations().size();
  m.problems = catalog.problems().size();
  m.peak_rss_kb = ProcStatusKb("VmHWM");
  return m;
}

}  // namespace

std::string LargeSpec(size_t paths, bool yaml) {
  std::string out;
  out.reserve(paths * 1100);
  size_t schemas = std::max<size_t>(1, paths / kPathsPerSchema);
  if (yaml) {
    out += "openapi: 3.0.3\ninfo: {title: generated, version: '1'}\npaths:\n";
    for (size_t i = 0; i < paths; ++i) YamlPath(out, {i, i / kPathsPerSchema});
    out += "components:\n  responses:\n    NotFound: {description: not found}\n  schemas:\n";
    for (size_t s = 0; s < schemas; ++s) out += fmt::format("    Thing{}: {}\n", s, kThing);
    return out;
  }
  out += "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"generated\", \"version\": \"1\"},\n";
  out += "  \"paths\": {\n";
  for (size_t i = 0; i < paths; ++i) {
    if (i) out += ",\n";
    JsonPath(out, {i, i / kPathsPerSchema});
  }
  out +=
      "\n  },\n  \"components\": {\"responses\": {\"NotFound\": {\"description\": \"not "
      "found\"}},\n    \"schemas\": {\n";
  for (size_t s = 0; s < schemas; ++s) {
    out += fmt::format("{}      \"Thing{}\": {}", s ? ",\n" : "", s, kThingJson);
  }
  out += "\n}}}\n";
  return out;
}

bool MeasureLoadScaling(const ScaleOptions& options, std::vector<std::string>* misses) {
  std::string dir = (std::filesystem::temp_directory_path() / "verity-spec-scale-XXXXXX").string();
  if (!::mkdtemp(dir.data())) {
    fmt::print("  FAILED: cannot create a temporary folder\n");
    return false;
  }
  bool ok = true;
  for (bool yaml : {false, true}) {
    std::vector<double> per_path;  // median µs per path, by size
    for (size_t paths : options.paths) {
      std::string file = fmt::format("{}/spec-{}.{}", dir, paths, yaml ? "yaml" : "json");
      std::string text = LargeSpec(paths, yaml);
      std::ofstream(file, std::ios::binary) << text;
      std::vector<double> times;
      ScaleMeasure last;
      for (int r = 0; r < options.repeat; ++r) {
        std::string why;
        auto m = RunIsolated<ScaleMeasure>(
            options.fork, 600, [&] { return LoadOnce(file); }, &why);
        if (!m) {
          fmt::print("  {} paths {}: FAILED: {}\n", paths, yaml ? "YAML" : "JSON", why);
          ok = false;
          continue;
        }
        times.push_back(m->seconds);
        last = *m;
      }
      std::filesystem::remove(file);
      if (times.empty()) continue;
      // A load that did not read every operation measures nothing: no goal is judged on it.
      bool complete = last.operations == 2 * paths && last.problems == 0;
      if (!complete) ok = false;
      std::sort(times.begin(), times.end());
      double median = times[times.size() / 2];
      if (complete) per_path.push_back(1e6 * median / static_cast<double>(paths));
      fmt::print(
          "  {:>7} paths {} {:6.1f} MB: load {:7.0f} ms (median of {}), {:5.2f} us/path; {} "
          "operations, {} problems, peak RSS {:.0f} MB\n",
          paths, yaml ? "YAML" : "JSON", static_cast<double>(text.size()) / 1e6, 1000 * median,
          times.size(), 1e6 * median / static_cast<double>(paths), last.operations, last.problems,
          static_cast<double>(last.peak_rss_kb) / 1024);
    }
    if (per_path.size() == options.paths.size() && per_path.size() >= 2) {
      double growth = per_path.back() / per_path.front();
      bool pass = growth <= kMaxGrowth;
      fmt::print("GOAL {:<44} {}  ({:.2f}x the time per path of {} paths, goal <= {:.1f}x)\n",
                 fmt::format("{} load time per path, {} paths", yaml ? "YAML" : "JSON",
                             options.paths.back()),
                 pass ? "PASS" : "MISS", growth, options.paths.front(), kMaxGrowth);
      if (!pass) misses->push_back(fmt::format("{} load scaling", yaml ? "YAML" : "JSON"));
    }
  }
  std::filesystem::remove_all(dir);
  return ok;
}

}  // namespace verity::bench
