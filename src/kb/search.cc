#include "kb/search.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_set>

#include "base/strings.h"
#include "doc/status_vocabulary.h"

namespace verity::kb {

namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

enum Field {
  kEndpoint,
  kTitle,
  kTags,
  kSummary,
  kLearnings,
  kKnownIssues,
  kNotes,
  kMeta,
  kFieldCount
};
constexpr double kWeights[kFieldCount] = {3.0, 3.0, 2.5, 1.5, 1.0, 1.0, 1.0, 1.0};

bool IsStopWord(std::string_view w) {
  static const std::unordered_set<std::string_view> kStop = {
      "a",  "an", "and", "are", "as", "at",   "be",  "by",   "for", "from", "in",
      "is", "it", "of",  "on",  "or", "that", "the", "this", "to",  "with", "was"};
  return kStop.contains(w);
}

std::string Normalize(std::string word) {
  if (word.size() > 3 && word.back() == 's' && word[word.size() - 2] != 's') word.pop_back();
  return word;
}

std::array<std::string, kFieldCount> FieldTexts(const doc::Document& d) {
  std::array<std::string, kFieldCount> f;
  const doc::Frontmatter& fm = d.frontmatter;
  f[kEndpoint] = fm.endpoint;
  f[kTitle] = d.title.value_or("");
  f[kTags] = Join(fm.tags, " ");
  // Facts from the frontmatter that people search for in words: "directory token", "fallback".
  f[kMeta] = fm.domain + " " + Join(fm.tokens, " ");
  if (fm.use_fallback_api.value_or(false)) f[kMeta] += " fallback";
  if (fm.status) (f[kMeta] += " ") += doc::StatusName(*fm.status);
  for (const doc::Section& s : d.sections) {
    std::string t = ToLower(s.title);
    int field = t.starts_with("summary")                                ? kSummary
                : t.find("learning") != std::string::npos               ? kLearnings
                : t.starts_with("known issue")                          ? kKnownIssues
                : t.starts_with("note") || t.starts_with("skip reason") ? kNotes
                                                                        : -1;
    if (field >= 0) (f[field] += " ") += s.text;
  }
  for (const doc::KnownIssue& k : fm.known_issues) (f[kKnownIssues] += " ") += k.detail.dump();
  for (const auto* opt : {&fm.notes, &fm.skip_reason, &fm.expected_outcome_reason})
    if (*opt) (f[kNotes] += " ") += **opt;
  return f;
}

}  // namespace

std::vector<std::string> Tokenize(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  auto flush = [&] {
    if (!word.empty() && !IsStopWord(word)) out.push_back(Normalize(std::move(word)));
    word.clear();
  };
  for (char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      word += c;
    else if (c >= 'A' && c <= 'Z')
      word += static_cast<char>(c - 'A' + 'a');
    else
      flush();
  }
  flush();
  return out;
}

SearchIndex::SearchIndex(const KnowledgeBase& kb) : kb_(kb) {
  size_t n = kb.documents.size();
  std::vector<std::array<std::vector<std::string>, kFieldCount>> tokens(n);
  double total_len[kFieldCount] = {};
  for (size_t i = 0; i < n; ++i) {
    auto texts = FieldTexts(kb.documents[i]);
    for (int f = 0; f < kFieldCount; ++f) {
      tokens[i][f] = Tokenize(texts[f]);
      total_len[f] += static_cast<double>(tokens[i][f].size());
    }
  }
  double avg_len[kFieldCount];
  for (int f = 0; f < kFieldCount; ++f)
    avg_len[f] = n ? std::max(1.0, total_len[f] / static_cast<double>(n)) : 1.0;

  std::unordered_map<std::string, double> weights;
  for (size_t i = 0; i < n; ++i) {
    weights.clear();
    for (int f = 0; f < kFieldCount; ++f) {
      double norm = 1.0 - kB + kB * static_cast<double>(tokens[i][f].size()) / avg_len[f];
      for (const std::string& t : tokens[i][f]) weights[t] += kWeights[f] / norm;
    }
    for (auto& [term, w] : weights)
      postings_[term].push_back({static_cast<uint32_t>(i), static_cast<float>(w)});
  }
}

std::vector<SearchHit> SearchIndex::Search(std::string_view query, size_t limit,
                                           const DocumentFilter& filter) const {
  std::vector<std::string> terms = Tokenize(query);
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  double n = static_cast<double>(kb_.documents.size());

  std::unordered_map<uint32_t, SearchHit> hits;
  for (const std::string& term : terms) {
    auto it = postings_.find(term);
    if (it == postings_.end()) continue;
    double df = static_cast<double>(it->second.size());
    double idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    for (const Posting& p : it->second) {
      double tf = p.weight;
      SearchHit& h = hits.try_emplace(p.document, SearchHit{p.document, 0.0, {}}).first->second;
      h.score += idf * tf * (kK1 + 1.0) / (tf + kK1);
      h.matched.push_back(term);
    }
  }
  std::vector<SearchHit> out;
  out.reserve(hits.size());
  for (auto& [doc, hit] : hits)
    if (filter.Matches(kb_.documents[doc])) out.push_back(std::move(hit));
  auto better = [&](const SearchHit& a, const SearchHit& b) {
    if (a.score != b.score) return a.score > b.score;
    return kb_.documents[a.document].frontmatter.endpoint <
               kb_.documents[b.document].frontmatter.endpoint ||
           (kb_.documents[a.document].frontmatter.endpoint ==
                kb_.documents[b.document].frontmatter.endpoint &&
            a.document < b.document);
  };
  if (out.size() > limit) {
    std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(limit), out.end(),
                      better);
    out.resize(limit);
  } else {
    std::sort(out.begin(), out.end(), better);
  }
  return out;
}

std::string SummaryExcerpt(const doc::Document& d, size_t max_chars) {
  const doc::Section* s = d.FindSection("Summary");
  if (!s) return "";
  std::string_view text = s->text;
  size_t para = text.find("\n\n");
  std::string first(Trim(text.substr(0, para)));
  for (char& c : first)
    if (c == '\n') c = ' ';
  std::string plain;
  for (char c : first)
    if (c != '*' && c != '`') plain += c;
  return Abbreviate(plain, max_chars);
}

}  // namespace verity::kb
