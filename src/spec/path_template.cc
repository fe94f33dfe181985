#include "spec/path_template.h"

namespace verity::spec {
namespace {

bool IsExactParam(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}' &&
         segment.find('}') == segment.size() - 1;
}

// "{id}.json" against "42.json": literal pieces must appear in order, placeholders take at least
// one character. Segments are short, so a simple backtracking match is enough.
bool TemplateSegmentMatches(std::string_view pattern, std::string_view text) {
  if (pattern.empty()) return text.empty();
  if (pattern[0] == '{') {
    size_t close = pattern.find('}');
    if (close == std::string_view::npos) return pattern == text;
    std::string_view rest = pattern.substr(close + 1);
    for (size_t take = 1; take <= text.size(); ++take) {
      if (TemplateSegmentMatches(rest, text.substr(take))) return true;
    }
    return false;
  }
  size_t open = pattern.find('{');
  std::string_view literal = pattern.substr(0, open);
  if (text.substr(0, literal.size()) != literal) return false;
  return TemplateSegmentMatches(pattern.substr(literal.size()), text.substr(literal.size()));
}

}  // namespace

std::string_view StripQuery(std::string_view path) {
  size_t cut = path.find_first_of("?#");
  return cut == std::string_view::npos ? path : path.substr(0, cut);
}

PathTemplate PathTemplate::Parse(std::string_view path) {
  PathTemplate out;
  path = StripQuery(path);
  out.trailing_slash = path.size() > 1 && path.back() == '/';
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view text = path.substr(start, slash - start);
    if (!text.empty()) {
      Segment segment;
      segment.text = std::string(text);
      segment.is_param = IsExactParam(text);
      segment.has_param = !segment.is_param && text.find('{') != std::string_view::npos &&
                          text.find('}') != std::string_view::npos;
      out.segments.push_back(std::move(segment));
    }
    start = slash + 1;
  }
  return out;
}

std::string PathTemplate::Shape() const {
  std::string out;
  for (const Segment& segment : segments) {
    out += '/';
    if (segment.is_param) {
      out += "{}";
    } else if (segment.has_param) {
      for (size_t i = 0; i < segment.text.size(); ++i) {
        if (segment.text[i] == '{') {
          size_t close = segment.text.find('}', i);
          out += "{}";
          i = close == std::string::npos ? segment.text.size() : close;
        } else {
          out += segment.text[i];
        }
      }
    } else {
      out += segment.text;
    }
  }
  return out.empty() ? "/" : out;
}

std::vector<std::string> PathTemplate::ParamNames() const {
  std::vector<std::string> names;
  for (const Segment& segment : segments) {
    const std::string& text = segment.text;
    for (size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open)) {
      size_t close = text.find('}', open);
      if (close == std::string::npos) break;
      names.push_back(text.substr(open + 1, close - open - 1));
      open = close;
    }
  }
  return names;
}

int MatchScore(const PathTemplate& pattern, const PathTemplate& candidate) {
  if (pattern.segments.size() != candidate.segments.size()) return -1;
  int score = 0;
  for (size_t i = 0; i < pattern.segments.size(); ++i) {
    const auto& want = pattern.segments[i];
    const auto& have = candidate.segments[i];
    if (want.is_param) {
      // A placeholder against a placeholder is the template match a document's endpoint makes.
      score += have.is_param ? 2 : 1;
    } else if (want.has_param) {
      if (have.is_param || have.has_param) {
        if (PathTemplate::Parse("/" + want.text).Shape() !=
            PathTemplate::Parse("/" + have.text).Shape()) {
          return -1;
        }
        score += 2;
      } else if (TemplateSegmentMatches(want.text, have.text)) {
        score += 2;
      } else {
        return -1;
      }
    } else if (want.text == have.text) {
      score += 3;
    } else {
      return -1;
    }
  }
  return score;
}

int TailMatchScore(const PathTemplate& pattern, const PathTemplate& candidate) {
  size_t n = pattern.segments.size();
  if (n == 0 || candidate.segments.size() <= n || !pattern.segments.back().is_param) return -1;
  for (size_t i = n - 1; i < candidate.segments.size(); ++i) {
    if (candidate.segments[i].is_param || candidate.segments[i].has_param) return -1;
  }
  PathTemplate head = pattern, rest = candidate;
  head.segments.pop_back();
  rest.segments.resize(n - 1);
  int score = MatchScore(head, rest);
  return score < 0 ? -1 : score + 1;
}

}  // namespace verity::spec
