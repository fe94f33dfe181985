// Path templates: "/v1/client_packages/{uid}" matches a concrete path ("/v1/client_packages/abc")
// and any template that differs only in placeholder names ("/v1/client_packages/{package_uid}").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace verity::spec {

struct PathTemplate {
  struct Segment {
    std::string text;        // as written
    bool is_param = false;   // exactly "{name}"
    bool has_param = false;  // contains a "{name}" among literal text ("{id}.json")
  };
  std::vector<Segment> segments;
  bool trailing_slash = false;

  static PathTemplate Parse(std::string_view path);
  /// The path with every placeholder written "{}": equal for templates that differ only in names.
  std::string Shape() const;
  /// Names of the placeholders, in order.
  std::vector<std::string> ParamNames() const;
};

/// How well `candidate` (concrete or templated, query string already removed) matches `pattern`:
/// -1 for no match; otherwise higher is more specific (literal segments weigh most).
int MatchScore(const PathTemplate& pattern, const PathTemplate& candidate);

/// Like MatchScore, but the pattern's last placeholder may take several segments of a concrete
/// path ("/git/refs/{ref}" matches "/git/refs/heads/main": GitHub documents such refs). Only
/// used when nothing matches segment for segment.
int TailMatchScore(const PathTemplate& pattern, const PathTemplate& candidate);

/// The path part of an endpoint string: strips a query string and fragment.
std::string_view StripQuery(std::string_view path);

}  // namespace verity::spec
