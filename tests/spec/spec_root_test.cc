// `$ref`s stay inside the spec root: the folder given, the folder of a file given alone, and the
// folders URLs are mapped onto. A ref leading anywhere else, by "..", an absolute path, a link or a
// URL nobody mapped, is reported where it is written (file:line:col, a stable code) and the target
// is never opened; every consumer (operations, validation, samples) sees a problem, not its bytes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "spec/catalog.h"
#include "spec/response_check.h"
#include "spec/sample.h"
#include "spec/validate.h"
#include "support/memory_file_system.h"
#include "support/paths.h"

namespace verity::spec {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using verity::testing::MemoryFileSystem;
using verity::testing::TempDir;

constexpr const char* kCanary = "CANARYsecret9f8e7d";
const std::string kSecretJson = std::string(R"({"type": "string", "example": ")") + kCanary +
                                R"(", "enum": [")" + kCanary + R"("]})";

// A spec whose one response schema is `$ref: TARGET`, the ref's key on line 10, column 19.
std::string SpecReferring(const std::string& target) {
  return R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /secret:
    get:
      description: Available for **staff** tokens
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: ')" +
         target + "'}}}\n";
}

std::vector<CatalogProblem> WithCode(const Catalog& catalog, const std::string& code) {
  std::vector<CatalogProblem> out;
  for (const CatalogProblem& p : catalog.problems()) {
    if (p.code == code) out.push_back(p);
  }
  return out;
}

std::string AllProblemText(const Catalog& catalog) {
  std::string out;
  for (const CatalogProblem& p : catalog.problems()) out += p.location + " " + p.message + "\n";
  return out;
}

bool WasRead(const MemoryFileSystem& fs, const std::string& path) {
  std::vector<std::string> reads = fs.reads();
  return std::find(reads.begin(), reads.end(), path) != reads.end();
}

const MediaSchema& ResponseMedia(const Catalog& catalog) {
  const Operation* op = catalog.Find("GET", "/secret");
  EXPECT_NE(op, nullptr);
  const MediaSchema* media = op->FindResponse(200)->JsonMedia();
  EXPECT_NE(media, nullptr);
  return *media;
}

TEST(SpecRoot, RefClimbingOutOfTheFolderGivenIsReportedWhereWrittenAndNeverRead) {
  MemoryFileSystem fs;
  fs.Add("work/specs/api.yaml", SpecReferring("../../outside_secret.json"));
  fs.Add("outside_secret.json", kSecretJson);
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add("work/specs"));
  std::vector<CatalogProblem> outside = WithCode(catalog, kRefOutsideRoot);
  ASSERT_EQ(1u, outside.size()) << AllProblemText(catalog);
  EXPECT_EQ("work/specs/api.yaml:10:49", outside[0].location);
  EXPECT_THAT(outside[0].message, HasSubstr("'../../outside_secret.json'"));
  EXPECT_FALSE(WasRead(fs, "outside_secret.json"));
  EXPECT_THAT(AllProblemText(catalog), Not(HasSubstr(kCanary)));
}

TEST(SpecRoot, AbsoluteRefIsOutsideAndItsPositionComesFromTheJsonText) {
  MemoryFileSystem fs;
  fs.Add("specs/api.json", R"({"openapi": "3.0.3", "paths": {"/secret": {"get": {
  "responses": {"200": {"description": "ok", "content": {"application/json": {
    "schema": {"$ref": "/etc/passwd"}}}}}}}}})");
  fs.Add("/etc/passwd", std::string("root:x:0:0:") + kCanary);
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add("specs/api.json"));
  std::vector<CatalogProblem> outside = WithCode(catalog, kRefOutsideRoot);
  ASSERT_EQ(1u, outside.size()) << AllProblemText(catalog);
  EXPECT_EQ("specs/api.json:3:16", outside[0].location);
  EXPECT_FALSE(WasRead(fs, "/etc/passwd"));
}

TEST(SpecRoot, FileGivenAloneMayNotReachItsParentFolder) {
  MemoryFileSystem fs;
  fs.Add("api/main.yaml", SpecReferring("../shared/schemas.json"));
  fs.Add("shared/schemas.json", kSecretJson);
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add("api/main.yaml"));
  EXPECT_EQ(1u, WithCode(catalog, kRefOutsideRoot).size()) << AllProblemText(catalog);
  EXPECT_FALSE(WasRead(fs, "shared/schemas.json"));
}

TEST(SpecRoot, RefsBetweenSubfoldersOfTheFolderGivenAreFollowed) {
  MemoryFileSystem fs;
  fs.Add("specs/api/main.yaml", SpecReferring("../shared/schemas.json#/Thing"));
  fs.Add("specs/shared/schemas.json", R"({"Thing": {"type": "integer"}})");
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add("specs"));
  EXPECT_TRUE(WithCode(catalog, kRefOutsideRoot).empty()) << AllProblemText(catalog);
  Result<SchemaRef> followed = catalog.specs().Follow(ResponseMedia(catalog).schema);
  ASSERT_TRUE(followed.ok()) << followed.status().message();
  EXPECT_EQ("integer", (*followed)->at("type"));
}

TEST(SpecRoot, UnmappedUrlIsRemoteAndReported) {
  MemoryFileSystem fs;
  fs.Add("specs/api.yaml", SpecReferring("http://127.0.0.1:9/secret.json"));
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add("specs"));
  std::vector<CatalogProblem> remote = WithCode(catalog, kRefRemote);
  ASSERT_EQ(1u, remote.size()) << AllProblemText(catalog);
  EXPECT_EQ("specs/api.yaml:10:49", remote[0].location);
  EXPECT_THAT(remote[0].message, HasSubstr("--ref-map"));
  // Scheme-relative and other schemes are URLs too, never paths.
  for (const char* ref : {"//evil.example/x.json", "file:///etc/passwd", "ftp://h/x.json"}) {
    MemoryFileSystem other;
    other.Add("specs/api.yaml", SpecReferring(ref));
    Catalog c(other);
    ASSERT_TRUE(c.Add("specs"));
    EXPECT_EQ(1u, WithCode(c, kRefRemote).size()) << ref << "\n" << AllProblemText(c);
  }
}

TEST(SpecRoot, MappedFolderIsARootButAMappedUrlCannotClimbOutOfIt) {
  MemoryFileSystem fs;
  fs.Add("specs/api.yaml", SpecReferring("https://example.com/hub/entities/ok.json"));
  fs.Add("specs/bad.yaml", SpecReferring("https://example.com/hub/../secret.json"));
  fs.Add("hub/entities/ok.json", R"({"type": "boolean"})");
  fs.Add("secret.json", kSecretJson);
  SpecSetOptions options;
  options.url_mappings = {{"https://example.com/hub/", "hub"}};
  Catalog catalog(fs, options);
  ASSERT_TRUE(catalog.Add("specs/api.yaml"));
  ASSERT_TRUE(catalog.Add("specs/bad.yaml"));
  std::vector<CatalogProblem> outside = WithCode(catalog, kRefOutsideRoot);
  ASSERT_EQ(1u, outside.size()) << AllProblemText(catalog);
  EXPECT_EQ("specs/bad.yaml:10:49", outside[0].location);
  EXPECT_FALSE(WasRead(fs, "secret.json"));
  Result<SchemaRef> ok =
      catalog.specs().Follow(catalog.operations()[0].responses[0].content[0].schema);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ("boolean", (*ok)->at("type"));
}

TEST(SpecRoot, EveryConsumerSeesTheOutsideRefAsAProblemNotItsContent) {
  MemoryFileSystem fs;
  fs.Add("specs/api.yaml", SpecReferring("../outside_secret.json"));
  fs.Add("outside_secret.json", kSecretJson);
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add("specs"));
  const MediaSchema& media = ResponseMedia(catalog);

  // Following it: the failure names the code and the place, not the target's bytes.
  Result<SchemaRef> followed = catalog.specs().Follow(media.schema);
  ASSERT_FALSE(followed.ok());
  EXPECT_EQ(std::string(kRefOutsideRoot), RefFailureCode(followed.status()));
  EXPECT_THAT(followed.status().message(), HasSubstr("specs/api.yaml:10:49"));

  // Validating: a warning that the schema could not be checked, never a silent pass.
  SchemaValidator validator(catalog.specs());
  ValidationResult result = validator.Validate(media.schema, Json("anything"));
  ASSERT_EQ(1u, result.issues.size());
  EXPECT_EQ("REF_UNRESOLVED", result.issues[0].code);
  EXPECT_THAT(result.issues[0].message, HasSubstr(kRefOutsideRoot));

  // Sampling (what the mock serves): no value from the outside file, and a note saying why.
  std::vector<std::string> notes;
  SampleOptions options;
  options.notes = &notes;
  Result<Json> sample = SampleValue(catalog.specs(), media.schema, options);
  ASSERT_TRUE(sample.ok());
  EXPECT_THAT(sample->dump(), Not(HasSubstr(kCanary)));
  ASSERT_EQ(1u, notes.size());
  EXPECT_THAT(notes[0], HasSubstr(kRefOutsideRoot));
  EXPECT_FALSE(WasRead(fs, "outside_secret.json"));
}

TEST(SpecRoot, RefOfAPathItemOutsideTheRootIsReportedOnce) {
  MemoryFileSystem fs;
  fs.Add("specs/api.yaml", R"(openapi: 3.0.3
paths:
  /x: {$ref: '../items.yaml#/X'}
)");
  fs.Add("items.yaml", "X: {get: {responses: {'200': {description: secret}}}}\n");
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add("specs"));
  EXPECT_EQ(1u, WithCode(catalog, kRefOutsideRoot).size()) << AllProblemText(catalog);
  EXPECT_TRUE(WithCode(catalog, kRefUnresolved).empty()) << AllProblemText(catalog);
  EXPECT_TRUE(catalog.operations().empty());
}

// ---- links, on the real file system ------------------------------------------------------------

TEST(SpecRootOnDisk, LinkInsideTheRootPointingOutIsOutside) {
  TempDir dir;
  std::string secret = dir.Write("outside_secret.json", kSecretJson);
  dir.Write("specs/api.yaml", SpecReferring("link.json"));
  ASSERT_EQ(0, symlink(secret.c_str(), (dir.path() + "/specs/link.json").c_str()));
  PosixFileSystem fs;
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add(dir.path() + "/specs/api.yaml"));
  std::vector<CatalogProblem> outside = WithCode(catalog, kRefOutsideRoot);
  ASSERT_EQ(1u, outside.size()) << AllProblemText(catalog);
  EXPECT_EQ(dir.path() + "/specs/api.yaml:10:49", outside[0].location);
  EXPECT_THAT(AllProblemText(catalog), Not(HasSubstr(kCanary)));
  Result<SchemaRef> followed = catalog.specs().Follow(ResponseMedia(catalog).schema);
  ASSERT_FALSE(followed.ok());
  EXPECT_THAT(followed.status().message(), Not(HasSubstr(kCanary)));
}

TEST(SpecRootOnDisk, LinkedSpecFileInTheFolderPointingOutIsNotLoaded) {
  TempDir dir;
  std::string secret = dir.Write("secret/api.yaml", SpecReferring("#/nothing"));
  dir.Write("specs/real.yaml", SpecReferring("#/nothing"));
  ASSERT_EQ(0, symlink(secret.c_str(), (dir.path() + "/specs/linked.yaml").c_str()));
  PosixFileSystem fs;
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add(dir.path() + "/specs"));
  std::vector<CatalogProblem> outside = WithCode(catalog, "SPEC_OUTSIDE_ROOT");
  ASSERT_EQ(1u, outside.size()) << AllProblemText(catalog);
  EXPECT_EQ(dir.path() + "/specs/linked.yaml", outside[0].location);
  EXPECT_EQ(1u, catalog.files().size());
}

TEST(SpecRootOnDisk, LinkInsideTheRootPointingInsideIsFollowed) {
  TempDir dir;
  std::string target = dir.Write("specs/shared/thing.json", R"({"type": "integer"})");
  dir.Write("specs/api.yaml", SpecReferring("thing.json"));
  ASSERT_EQ(0, symlink(target.c_str(), (dir.path() + "/specs/thing.json").c_str()));
  PosixFileSystem fs;
  Catalog catalog(fs);
  ASSERT_TRUE(catalog.Add(dir.path() + "/specs"));
  EXPECT_TRUE(WithCode(catalog, kRefOutsideRoot).empty()) << AllProblemText(catalog);
  Result<SchemaRef> followed = catalog.specs().Follow(ResponseMedia(catalog).schema);
  ASSERT_TRUE(followed.ok()) << followed.status().message();
  EXPECT_EQ("integer", (*followed)->at("type"));
}

TEST(SpecRootOnDisk, AddWithinRefusesAPathThatLeavesTheRoot) {
  TempDir dir;
  dir.Write("secret.yaml", SpecReferring("#/x"));
  dir.Write("specs/api.yaml", SpecReferring("#/x"));
  PosixFileSystem fs;
  Catalog catalog(fs);
  EXPECT_FALSE(catalog.AddWithin(dir.path() + "/specs/../secret.yaml", dir.path() + "/specs"));
  EXPECT_EQ(1u, WithCode(catalog, "SPEC_OUTSIDE_ROOT").size()) << AllProblemText(catalog);
  EXPECT_TRUE(catalog.files().empty());
  EXPECT_TRUE(catalog.AddWithin(dir.path() + "/specs/api.yaml", dir.path() + "/specs"));
  EXPECT_EQ(1u, catalog.files().size());
}

}  // namespace
}  // namespace verity::spec
