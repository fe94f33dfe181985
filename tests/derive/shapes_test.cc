// The small naming rules derivation reads specs by: plural to singular, id suffixes, where the
// items of a documented answer are, and how a path value is written into a path.
#include "derive/shapes.h"

#include <gtest/gtest.h>

namespace verity::derive {
namespace {

TEST(DeriveShapes, CollectionNamesBecomeTheirResourceName) {
  EXPECT_EQ("client", Singular("clients"));
  EXPECT_EQ("category", Singular("categories"));
  EXPECT_EQ("address", Singular("addresses"));
  EXPECT_EQ("status", Singular("statuses"));
  EXPECT_EQ("box", Singular("boxes"));
  EXPECT_EQ("staff", Singular("staff"));
  EXPECT_EQ("business", Singular("business"));
}

TEST(DeriveShapes, IdSuffixesAreStrippedButABareIdIsKept) {
  EXPECT_EQ("client", StripIdSuffix("client_uid"));
  EXPECT_EQ("staff", StripIdSuffix("staffId"));
  EXPECT_EQ("order", StripIdSuffix("order_id"));
  EXPECT_EQ("id", StripIdSuffix("id"));
  EXPECT_EQ("uid", StripIdSuffix("uid"));
  EXPECT_EQ("locale", StripIdSuffix("locale"));
}

TEST(DeriveShapes, TheItemsAreTheListNamedAfterTheCollectionElseTheFirstBreadthFirst) {
  Json answer = Json::parse(R"({"meta": {"tags": [{"a": 1}]},
                                "data": {"page": 1, "clients": [{"uid": "c1"}]}})");
  auto item = FirstItem(answer, "clients");
  ASSERT_TRUE(item.has_value());
  EXPECT_EQ("$.data.clients[0]", item->first);
  EXPECT_EQ("$.meta.tags[0]", FirstItem(answer)->first);
  EXPECT_EQ("$.meta.tags[0]", FirstItem(answer, "orders")->first);
  Json top = Json::parse(R"([{"id": 7}])");
  EXPECT_EQ("$[0]", FirstItem(top)->first);
  Json odd = Json::parse(R"({"the list": [{"id": 7}]})");
  EXPECT_EQ("$[\"the list\"][0]", FirstItem(odd)->first);
  EXPECT_FALSE(FirstItem(Json::parse(R"({"ids": [1, 2]})")).has_value());
}

TEST(DeriveShapes, AnIdIsTheFirstCandidateHeldByAnObjectBreadthFirst) {
  Json answer = Json::parse(R"({"data": {"client": {"name": "Ada", "uid": "c9", "id": null}}})");
  auto id = FindId(answer, IdCandidates("client_uid", "client"));
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ("$.data.client", id->first);
  EXPECT_EQ("uid", id->second);
  EXPECT_FALSE(FindId(Json::parse(R"({"id": {"nested": 1}})"), {"id"}).has_value());
}

TEST(DeriveShapes, APathValueIsPercentEncodedIntoOneSegment) {
  EXPECT_EQ("en%20US", PathText(Json("en US")));
  EXPECT_EQ("a%2Fb", PathText(Json("a/b")));
  EXPECT_EQ("42", PathText(Json(42)));
  EXPECT_EQ("%7B%7Bx%7D%7D", PathText(Json("{{x}}")));  // never a template
}

TEST(DeriveShapes, DateTimesInARequestBecomeTheRunsTimeAndAnEndComesAfterItsStart) {
  Json body = Json::parse(R"({"startsAt": "2026-01-05T10:00:00Z", "endsAt": "2026-01-05T10:00:00Z",
                              "valid_until": "2026-01-05T10:00:00.250+02:00",
                              "window": {"dateTo": "2026-01-05t10:00z", "from": "2026-01-05T10:00Z"},
                              "expires": ["2026-01-05T10:00:00Z"],
                              "day": "2026-01-05", "note": "2026-01-05T10:00:00Z later",
                              "sendAt": "2026-01-05T10:00:00Z", "count": 3})");
  DateTimesFromNow(&body);
  EXPECT_EQ(Json::parse(R"({"startsAt": "{{future_datetime}}", "endsAt": "{{future_datetime_48h}}",
                            "valid_until": "{{future_datetime_48h}}",
                            "window": {"dateTo": "{{future_datetime_48h}}",
                                       "from": "{{future_datetime}}"},
                            "expires": ["{{future_datetime_48h}}"],
                            "day": "2026-01-05", "note": "2026-01-05T10:00:00Z later",
                            "sendAt": "{{future_datetime}}", "count": 3})"),
            body);
  Json alone("2026-01-05T10:00:00Z");
  DateTimesFromNow(&alone);
  EXPECT_EQ("{{future_datetime}}", alone);
}

TEST(ShapesTest, AValueCoercedToAnotherTypeKeepsWhatItCan) {
  EXPECT_EQ(Json(42), CoercedTo("42", "integer"));
  EXPECT_EQ(Json(1), CoercedTo("Ada", "integer")) << "no number in it: the smallest positive";
  EXPECT_EQ(Json(2.5), CoercedTo("2.5", "number"));
  EXPECT_EQ(Json("42"), CoercedTo(42, "string"));
  EXPECT_EQ(Json(true), CoercedTo("true", "boolean"));
  EXPECT_EQ(Json(false), CoercedTo(0, "boolean"));
  EXPECT_EQ(Json::array({"x"}), CoercedTo("x", "array"));
  EXPECT_EQ(Json("{{client_id}}"), CoercedTo("{{client_id}}", "integer")) << "a template stays";
}

TEST(ShapesTest, MembersAreCoercedAtAnyDepthByName) {
  Json body = Json::parse(R"({"amount": "12", "lines": [{"qty": "3", "sku": 7}], "note": "x"})");
  CoerceMembers(&body, {{"amount", "integer"}, {"qty", "integer"}, {"sku", "string"}});
  EXPECT_EQ(Json::parse(R"({"amount": 12, "lines": [{"qty": 3, "sku": "7"}], "note": "x"})"), body);
}

}  // namespace
}  // namespace verity::derive
