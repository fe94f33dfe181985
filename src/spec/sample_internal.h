// Internals of the sample generator (spec/sample.h), shared by its three files: sample.cc has the
// entry point, `$ref` and allOf/oneOf/anyOf, objects and arrays; sample_scalars.cc strings,
// formats, patterns, numbers and values taken from the spec; sample_facts.cc reads what the
// schemas that apply to one value say. sample_names.h holds the tables of realistic values.
#pragma once

#include <re2/re2.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/json.h"
#include "base/status.h"
#include "spec/sample.h"
#include "spec/spec_set.h"
#include "spec/validate.h"

namespace verity::spec::sample_detail {

// Bounds for the schema side, which options do not cover: a hostile spec can nest allOf in allOf
// or list thousands of parts, and every one of them is read for every value generated.
inline constexpr int kMaxFlattenDepth = 64;
inline constexpr size_t kMaxLeaves = 256;
inline constexpr size_t kMaxNotes = 100;
inline constexpr size_t kMaxPatternRepeat = 256;
// Expansions of one schema on one path past SampleOptions::recursion_limit, where only what is
// required is made, before the recursion is called endless: a Tree whose required children have
// minItems 2 has no finite valid value, and expanding it to max_depth would double the work at
// every level (2^64 values, cut only by max_nodes after seconds).
inline constexpr int kMaxRequiredRecursion = 4;

enum TypeBits : uint8_t {
  kString = 1,
  kInteger = 2,
  kNumber = 4,
  kBoolean = 8,
  kObject = 16,
  kArray = 32,
  kNull = 64,
};

uint8_t TypeBit(std::string_view name);
uint8_t TypeMask(const Json& type);
uint8_t ValueType(const Json& v);
bool IsTrue(const Json& v);

// What the schemas that apply to one value say, read in one pass over each.
struct Facts {
  bool typed = false;
  uint8_t types = 0xff;  // intersection of the typed parts' masks
  const Json* first_type = nullptr;
  const Json* constant = nullptr;
  std::vector<const Json*> enums;
  std::vector<const Json*> examples;
  std::vector<const Json*> defaults;
  bool object_keywords = false, array_keywords = false, string_keywords = false,
       number_keywords = false;

  int64_t min_length = 0, max_length = -1;
  const std::string* format = nullptr;
  std::vector<const std::string*> patterns;

  std::optional<double> low, high;
  bool low_exclusive = false, high_exclusive = false;
  std::vector<const Json*> multiples;

  std::vector<SchemaRef> items;
  SchemaRef prefix_items;  // an array of schemas
  int64_t min_items = 0, max_items = -1;
  bool unique_items = false;

  struct Property {
    std::string_view name;
    std::vector<size_t> leaves;  // the leaves that declare it
  };
  std::vector<Property> properties;
  std::unordered_map<std::string_view, size_t> property_index;
  std::vector<std::string_view> required;
  SchemaRef additional;  // a schema for undeclared members
  bool additional_forbidden = false;
  int64_t min_properties = 0, max_properties = -1;
};

// Adds what `leaf`, the index-th schema that applies to the value, says to `f`.
void ReadLeaf(const SchemaRef& leaf, size_t index, Facts& f);

// Keys for remembering whether a value taken from the spec (an example, a default, null) is valid
// for a schema.
struct PairHash {
  size_t operator()(const std::pair<const void*, const void*>& p) const {
    return std::hash<const void*>{}(p.first) * 31 + std::hash<const void*>{}(p.second);
  }
};

// The state of one SampleValue call.
class Sampler {
 public:
  Sampler(SpecSet& specs, const SampleOptions& options)
      : specs_(specs), options_(options), validator_(specs, ValidatorOptions(options)) {}

  Result<Json> Run(const SchemaRef& root);

 private:
  static ValidationOptions ValidatorOptions(const SampleOptions& options);

  // The schemas that apply to one value, after `$ref`, allOf and the chosen oneOf/anyOf branches.
  struct Plan {
    std::vector<SchemaRef> leaves;
    std::vector<const Json*> entered;  // `$ref` targets counted in active_, released after
    bool recursive = false;            // a target already expanded recursion_limit times
    int reentries = 0;                 // the most times a target was already being expanded
    bool impossible = false;           // a `false` schema
    std::vector<std::pair<std::string, std::string>> forced;  // discriminator property → value
    std::vector<std::pair<const Json*, size_t>> choices;      // undiscriminated (branches, count)
  };

  // sample.cc
  void Note(std::string text);
  bool Spend(size_t nodes);
  const Result<SchemaRef>& ResolveRef(const SchemaRef& from, const std::string& text);
  void Flatten(const SchemaRef& ref, Plan& plan, int depth);
  void Choose(const SchemaRef& ref, const char* keyword, const Json& branches, Plan& plan,
              int depth);
  bool Accepts(const Json& value, const std::vector<SchemaRef>& parts, bool from_spec);
  Json Generate(const std::vector<SchemaRef>& parts, bool minimal, std::string_view hint);
  Json FromPlan(const Plan& plan, const std::vector<SchemaRef>& parts, bool minimal,
                std::string_view hint);
  uint8_t ChooseType(const Facts& f, const SchemaRef& where);
  Json MakeArray(const Plan& plan, const Facts& f, bool minimal, std::string_view hint);
  Json MakeItem(const Facts& f, uint64_t index, bool minimal, std::string_view hint);
  uint8_t Access(SchemaRef ref);
  Json MakeObject(const Plan& plan, const Facts& f, bool minimal);

  // sample_scalars.cc
  Json FromEnum(const Facts& f);
  bool StringFits(const Facts& f, std::string_view s);
  bool NumberFits(const Facts& f, const Json& v);
  const re2::RE2* Regex(const std::string& pattern);
  Json Vary(const Json& value, const Facts& f);
  std::string Uuid() const;
  std::string FormatSample(std::string_view format, std::string_view hint) const;
  std::string NamedSample(const Facts& f, std::string_view hint);
  Json MakeString(const Facts& f, std::string_view hint, const SchemaRef& where);
  static void Fit(const Facts& f, std::string& s);
  void AddUniqueSuffix(const Facts& f, std::string& s, std::string_view hint) const;
  Json MakeNumber(const Facts& f, bool integer, std::string_view hint);

  SpecSet& specs_;
  const SampleOptions& options_;
  SchemaValidator validator_;
  Status error_;
  size_t nodes_ = 0;
  int depth_ = 0;
  uint64_t ordinal_ = 0;  // the current array item's number when items vary; 0 otherwise
  uint64_t counter_ = 0;
  // Realistic values off (sample_names.h): an item of a uniqueItems array made again because its
  // realistic value repeated an earlier item's; the plain value carries the item's number.
  bool plain_ = false;
  std::unordered_map<const Json*, int> active_;
  std::pair<const Json*, size_t> override_{nullptr, 0};  // oneOf/anyOf array → branch to take
  std::unordered_map<const std::string*, Result<SchemaRef>> refs_;
  std::unordered_map<const std::string*, std::unique_ptr<re2::RE2>> regexes_;
  std::unordered_map<std::pair<const void*, const void*>, bool, PairHash> accepted_;
  std::unordered_set<std::string> noted_;
};

}  // namespace verity::spec::sample_detail
