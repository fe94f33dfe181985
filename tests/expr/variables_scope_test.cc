#include <gtest/gtest.h>

#include "base/clock.h"
#include "base/random.h"
#include "expr/variables.h"

namespace verity::expr {
namespace {

TEST(Scope, LooksUpTopLevelNames) {
  Scope scope;
  scope.Set(Layer::kExtracted, "client_id", "c-1");
  EXPECT_EQ(Json("c-1"), scope.Lookup("client_id"));
  EXPECT_EQ(std::nullopt, scope.Lookup("other"));
}

TEST(Scope, CommandLineBeatsExtractedBeatsConfigBeatsBuiltins) {
  FakeClock clock(1770559080000);
  SeededRandom random(1);
  Builtins builtins(clock, random);
  Scope scope(&builtins);
  EXPECT_EQ(Json("2026-02-08"), scope.Lookup("today_date"));
  scope.Set(Layer::kConfig, "today_date", "config");
  EXPECT_EQ(Json("config"), scope.Lookup("today_date"));
  scope.Set(Layer::kExtracted, "today_date", "extracted");
  EXPECT_EQ(Json("extracted"), scope.Lookup("today_date"));
  scope.Set(Layer::kCommandLine, "today_date", "command line");
  EXPECT_EQ(Json("command line"), scope.Lookup("today_date"));
}

TEST(Scope, LaterSetsInALayerOverwriteEarlierOnes) {
  Scope scope;
  scope.Set(Layer::kExtracted, "uid", "first");
  scope.Set(Layer::kExtracted, "uid", "second");
  EXPECT_EQ(Json("second"), scope.Lookup("uid"));
}

TEST(Scope, DottedNamesWalkObjectsAndArrayIndices) {
  Scope scope;
  scope.Set(Layer::kExtracted, "resolved",
            Json::parse(R"({"uid": "u1", "items": [{"id": 7}, {"id": 8}], "n": null})"));
  EXPECT_EQ(Json("u1"), scope.Lookup("resolved.uid"));
  EXPECT_EQ(Json(8), scope.Lookup("resolved.items.1.id"));
  EXPECT_EQ(Json::parse(R"({"id": 7})"), scope.Lookup("resolved.items.0"));
  EXPECT_EQ(std::nullopt, scope.Lookup("resolved.items.2"));
  EXPECT_EQ(std::nullopt, scope.Lookup("resolved.items.x"));
  EXPECT_EQ(std::nullopt, scope.Lookup("resolved.uid.deeper"));
  EXPECT_EQ(std::nullopt, scope.Lookup("resolved.missing"));
}

TEST(Scope, APresentNullIsAValueNotAMiss) {
  Scope scope;
  scope.Set(Layer::kExtracted, "n", nullptr);
  EXPECT_EQ(Json(nullptr), scope.Lookup("n"));
}

TEST(Scope, SettingADottedNameBuildsObjects) {
  Scope scope;
  scope.Set(Layer::kCommandLine, "resolved.uid", "u1");
  scope.Set(Layer::kCommandLine, "resolved.currency", "EUR");
  EXPECT_EQ(Json::parse(R"({"uid": "u1", "currency": "EUR"})"), scope.Lookup("resolved"));
  scope.Set(Layer::kCommandLine, "resolved.uid.deep", 1);
  EXPECT_EQ(Json(1), scope.Lookup("resolved.uid.deep"));
}

TEST(Scope, AHigherLayerOnlyWinsWhenItHasTheWholeName) {
  Scope scope;
  scope.Set(Layer::kCommandLine, "resolved.uid", "from the command line");
  scope.Set(Layer::kExtracted, "resolved", Json::parse(R"({"uid": "x", "currency": "EUR"})"));
  EXPECT_EQ(Json("from the command line"), scope.Lookup("resolved.uid"));
  EXPECT_EQ(Json("EUR"), scope.Lookup("resolved.currency"));
}

TEST(Scope, ConfigParamsAreReachableByNameAndAsConfigParams) {
  Scope scope;
  scope.SetAll(Layer::kConfig, Json::parse(R"({"client_uid": "c9", "business_id": 12})"));
  EXPECT_EQ(Json("c9"), scope.Lookup("client_uid"));
  EXPECT_EQ(Json("c9"), scope.Lookup("config.params.client_uid"));
  EXPECT_EQ(Json(12), scope.Lookup("config.params.business_id"));
  EXPECT_EQ(Json::parse(R"({"client_uid": "c9", "business_id": 12})"),
            scope.Lookup("config.params"));
  EXPECT_EQ(Json::parse(R"({"params": {"client_uid": "c9", "business_id": 12}})"),
            scope.Lookup("config"));
  EXPECT_EQ(std::nullopt, scope.Lookup("config.params.missing"));
  EXPECT_EQ(std::nullopt, scope.Lookup("config.other"));
}

TEST(Scope, ConfigParamsNamesTheConfigValueEvenWhenAHigherLayerHasTheName) {
  Scope scope;
  scope.Set(Layer::kConfig, "client_uid", "from config");
  scope.Set(Layer::kCommandLine, "client_uid", "from the command line");
  EXPECT_EQ(Json("from the command line"), scope.Lookup("client_uid"));
  EXPECT_EQ(Json("from config"), scope.Lookup("config.params.client_uid"));
}

TEST(Scope, SetAllIgnoresNonObjects) {
  Scope scope;
  scope.SetAll(Layer::kConfig, Json::array({1, 2}));
  EXPECT_EQ(std::nullopt, scope.Lookup("0"));
}

TEST(Scope, WithoutBuiltinsTheirNamesAreMissing) {
  Scope scope;
  EXPECT_EQ(nullptr, scope.builtins());
  EXPECT_EQ(std::nullopt, scope.Lookup("today_date"));
}

TEST(Scope, GeneratorsDrawANewValueOnEveryLookup) {
  FakeClock clock(1770559080000);
  SeededRandom random(42);
  Builtins builtins(clock, random);
  Scope scope(&builtins);
  EXPECT_EQ(Json("+15555275413"), scope.Lookup("random_phone"));
  EXPECT_EQ(Json("test_ji0y61w1"), scope.Lookup("random_string"));
  EXPECT_EQ(std::nullopt, scope.Lookup("random_phone.x"));
}

}  // namespace
}  // namespace verity::expr
