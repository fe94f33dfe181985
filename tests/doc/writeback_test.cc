#include "doc/writeback.h"

#include <gtest/gtest.h>

#include "base/file_system.h"
#include "base/strings.h"
#include "base/yaml.h"
#include "doc/frontmatter.h"
#include "doc/parser.h"
#include "support/paths.h"

namespace verity::doc {
namespace {

using testing::ReadFileOrDie;
using testing::SharedPath;

const std::string kSeed = "seed/000_11cb7a21dc1c2995.txt";

std::string Apply(std::string_view text, std::vector<FieldUpdate> updates) {
  Result<std::string> r = ApplyFieldUpdates(text, updates);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::string();
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  for (std::string_view l : Split(text, '\n')) out.emplace_back(l);
  return out;
}

// What a user would type to set a field to the value it has: the scalar's text, or a flow list.
std::optional<std::string> CurrentValueAsTyped(const yaml::Node& v) {
  if (v.is_scalar()) return v.value;
  if (v.is_sequence() && v.flow) {
    std::vector<std::string> items;
    for (const yaml::Node& item : v.items) {
      if (!item.is_scalar()) return std::nullopt;
      items.push_back(item.value);
    }
    return "[" + Join(items, ", ") + "]";
  }
  return std::nullopt;
}

TEST(Writeback, NoOpUpdateOfEveryFieldOfEveryCorpusDocumentIsByteIdentical) {
  PosixFileSystem fs;
  Result<std::vector<std::string>> files = fs.ListFiles(SharedPath("corpus/vcita/workflows"));
  ASSERT_TRUE(files.ok());
  files->push_back(SharedPath(kSeed));
  size_t checked = 0;
  for (const std::string& file : *files) {
    std::string text = ReadFileOrDie(file);
    FrontmatterSpan span = FindFrontmatter(text);
    ASSERT_TRUE(span.terminated) << file;
    yaml::LoadResult fm =
        yaml::Load(std::string_view(text).substr(span.yaml_begin, span.yaml_end - span.yaml_begin));
    ASSERT_TRUE(fm.root) << file;
    std::vector<FieldUpdate> all;
    for (const auto& [k, v] : fm.root->entries) {
      std::optional<std::string> value = CurrentValueAsTyped(v);
      if (!value) continue;
      FieldUpdate u{k.value, *value};
      Result<std::string> one = ApplyFieldUpdates(text, {u});
      ASSERT_TRUE(one.ok()) << file << " " << k.value << ": " << one.status().ToString();
      EXPECT_EQ(text, *one) << file << " field " << k.value << "=" << *value;
      all.push_back(u);
      ++checked;
    }
    EXPECT_EQ(text, Apply(text, all)) << file;
  }
  EXPECT_GT(checked, 2000u);
}

TEST(Writeback, ChangingStatusChangesExactlyThatLine) {
  std::string seed = ReadFileOrDie(SharedPath(kSeed));
  std::string updated = Apply(seed, {{"status", "failed"}});
  std::vector<std::string> before = Lines(seed), after = Lines(updated);
  ASSERT_EQ(before.size(), after.size());
  for (size_t i = 0; i < before.size(); ++i) {
    if (before[i] == "status: verified")
      EXPECT_EQ("status: failed", after[i]);
    else
      EXPECT_EQ(before[i], after[i]) << "line " << i + 1;
  }
  EXPECT_EQ(seed.size() - 2, updated.size());  // "verified" → "failed"
}

TEST(Writeback, KeepsEachValuesQuotingStyle) {
  std::string seed = ReadFileOrDie(SharedPath(kSeed));
  std::string updated = Apply(
      seed, {{"savedAt", "2026-11-24T10:00:00.000Z"}, {"verifiedAt", "2026-11-24T10:00:01.000Z"}});
  EXPECT_NE(std::string::npos, updated.find("\nsavedAt: \"2026-11-24T10:00:00.000Z\"\n"));
  EXPECT_NE(std::string::npos, updated.find("\nverifiedAt: 2026-11-24T10:00:01.000Z\n"));
}

TEST(Writeback, UpdatedDocumentReadsBackWithTheNewValues) {
  std::string seed = ReadFileOrDie(SharedPath(kSeed));
  std::string updated = Apply(seed, {{"status", "pending"},
                                     {"timesReused", "7"},
                                     {"useFallbackApi", "false"},
                                     {"tokens", "[staff, directory]"}});
  Document d = ParseDocument(updated, "seed.md");
  EXPECT_FALSE(d.has_errors());
  EXPECT_EQ(WorkflowStatus::kPending, d.frontmatter.status);
  EXPECT_EQ(7, d.frontmatter.times_reused);
  EXPECT_EQ(false, d.frontmatter.use_fallback_api);
  EXPECT_EQ((std::vector<std::string>{"staff", "directory"}), d.frontmatter.tokens);
  EXPECT_EQ(4u, d.steps.size());
}

TEST(Writeback, AppendsANewFieldAsTheLastFrontmatterLine) {
  std::string text = "---\nendpoint: \"GET /a\"\nstatus: pending\n---\n# A\n";
  EXPECT_EQ(
      "---\nendpoint: \"GET /a\"\nstatus: pending\nverifiedAt: 2026-11-24T10:00:00.000Z\n---\n# "
      "A\n",
      Apply(text, {{"verifiedAt", "2026-11-24T10:00:00.000Z"}}));
}

TEST(Writeback, KeepsCrlfLineEndsWhenChangingAndAppending) {
  std::string text = "---\r\nendpoint: \"GET /a\"\r\nstatus: pending\r\n---\r\n# A\r\n";
  EXPECT_EQ("---\r\nendpoint: \"GET /a\"\r\nstatus: verified\r\ntimesReused: 1\r\n---\r\n# A\r\n",
            Apply(text, {{"status", "verified"}, {"timesReused", "1"}}));
}

TEST(Writeback, KeepsCommentsAfterTheValue) {
  std::string text = "---\nstatus: pending  # waits for staging\n---\n";
  EXPECT_EQ("---\nstatus: verified  # waits for staging\n---\n",
            Apply(text, {{"status", "verified"}}));
}

TEST(Writeback, QuotesStringsThatWouldReadBackAsSomethingElse) {
  std::string text = "---\nstatus: skipped\n---\n";
  EXPECT_EQ("---\nstatus: skipped\nskipReason: \"needs: a real card\"\n---\n",
            Apply(text, {{"skipReason", "needs: a real card"}}));
  EXPECT_EQ("---\nstatus: skipped\nnotes: \"true\"\n---\n", Apply(text, {{"notes", "true"}}));
  EXPECT_EQ("---\nstatus: skipped\nnotes: plain words\n---\n",
            Apply(text, {{"notes", "plain words"}}));
}

TEST(Writeback, ReplacesABlockListWithAFlowListAndKeepsTheNextField) {
  std::string text = "---\ntags:\n  - a\n  - b\nstatus: pending\n---\n";
  EXPECT_EQ("---\ntags: [c, d]\nstatus: pending\n---\n", Apply(text, {{"tags", "c,d"}}));
}

TEST(Writeback, FillsAnEmptyValue) {
  std::string text = "---\nexpectedOutcome:\nstatus: pending\n---\n";
  EXPECT_EQ("---\nexpectedOutcome: 422\nstatus: pending\n---\n",
            Apply(text, {{"expectedOutcome", "422"}}));
}

TEST(Writeback, RefusesValuesOfTheWrongType) {
  std::string seed = ReadFileOrDie(SharedPath(kSeed));
  for (const FieldUpdate& bad : std::vector<FieldUpdate>{{"status", "bogus"},
                                                         {"status", "success"},
                                                         {"timesReused", "-1"},
                                                         {"verifiedAt", "yesterday"},
                                                         {"useFallbackApi", "maybe"},
                                                         {"expectedOutcome", "abc"}}) {
    Result<std::string> r = ApplyFieldUpdates(seed, {bad});
    ASSERT_FALSE(r.ok()) << bad.key << "=" << bad.value;
    EXPECT_EQ(StatusCode::kInvalidArgument, r.status().code());
  }
}

TEST(Writeback, RefusesADocumentWithoutFrontmatter) {
  Result<std::string> r = ApplyFieldUpdates("# Just markdown\n", {{"status", "verified"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(StatusCode::kParseError, r.status().code());
}

TEST(Writeback, ALoneCarriageReturnIsALineBreakAsTheYamlReaderSeesIt) {
  // libyaml ends a line at a lone CR: the field after it is on a line of its own. Counting lines
  // by LF only, the update of tags below once wrote "[a, b]" into the middle of "timesReused".
  std::string text =
      "---\r\nendpoint: GET /a\r\ndomain: d\r\nstatus: success\rskip: true\r\ntags: x\r\n"
      "timesReused: 1\r\n---\r\n# A\r\n";
  std::string updated = Apply(text, {{"tags", "[a, b]"}, {"timesReused", "3"}});
  EXPECT_EQ(
      "---\r\nendpoint: GET /a\r\ndomain: d\r\nstatus: success\rskip: true\r\ntags: [a, b]\r\n"
      "timesReused: 3\r\n---\r\n# A\r\n",
      updated);
  Document d = ParseDocument(updated, "a.md");
  EXPECT_EQ((std::vector<std::string>{"a", "b"}), d.frontmatter.tags);
  EXPECT_EQ(3, d.frontmatter.times_reused);
}

TEST(Writeback, RemovingTheFallbackFlagKeepsAFieldAfterALoneCarriageReturn) {
  // "notes" is a field of its own to the YAML reader; taking the flag's line up to LF took it too.
  std::string text =
      "---\nendpoint: GET /a\nuseFallbackApi: true # old gateway\rnotes: keep me\nstatus: "
      "verified\n---\n# A\n";
  Result<FallbackFlagRemoval> removal = RemoveFallbackFlag(text);
  ASSERT_TRUE(removal.ok()) << removal.status().ToString();
  EXPECT_EQ("---\nendpoint: GET /a\nnotes: keep me\nstatus: verified\n---\n# A\n", removal->text);
  EXPECT_EQ(std::vector<std::string>{"useFallbackApi: true # old gateway"}, removal->removed);
}

TEST(Writeback, ParsesKeyValueAssignments) {
  Result<FieldUpdate> u = ParseFieldUpdate("skipReason=a=b");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ("skipReason", u->key);
  EXPECT_EQ("a=b", u->value);
  EXPECT_FALSE(ParseFieldUpdate("novalue").ok());
  EXPECT_FALSE(ParseFieldUpdate("=x").ok());
  EXPECT_FALSE(ParseFieldUpdate("bad key=x").ok());
}

}  // namespace
}  // namespace verity::doc
