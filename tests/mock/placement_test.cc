// Where a resource goes in a response (the slot heuristic) and how the placed data is repaired to
// conform; plus the route tree the responder finds operations with.
#include "mock/placement.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mock/routes.h"
#include "support/memory_file_system.h"

namespace verity::mock {
namespace {

Json J(std::string_view text) { return Json::parse(text); }

SlotHints Clients() {
  SlotHints hints;
  hints.plural = "clients";
  hints.singular = "client";
  hints.fields = {"first_name", "last_name", "email"};
  hints.id_field = "client_id";
  return hints;
}

std::string SlotOf(const Json& response, bool list, const SlotHints& hints = Clients()) {
  std::optional<Slot> slot = FindSlot(response, list, hints);
  return slot ? slot->pointer : "(none)";
}

TEST(MockPlacement, SingularOfCollectionNames) {
  EXPECT_EQ("client", Singular("clients"));
  EXPECT_EQ("category", Singular("categories"));
  EXPECT_EQ("address", Singular("addresses"));
  EXPECT_EQ("box", Singular("boxes"));
  EXPECT_EQ("status", Singular("status"));
  EXPECT_EQ("business", Singular("business"));
  EXPECT_EQ("data", Singular("data"));
}

TEST(MockPlacement, FindsTheSlotByNameThenContainerThenMembers) {
  Json list = J(R"({"status": "OK", "data": {"clients": [{"id": "a", "first_name": "A"}],
                  "tags": [{"name": "x"}], "total": 1}})");
  EXPECT_EQ("/data/clients", SlotOf(list, true));
  Json one = J(R"({"data": {"client": {"id": "a"}, "token": "t"}})");
  EXPECT_EQ("/data/client", SlotOf(one, false));
  Json generic = J(R"({"success": true, "data": {"id": 1, "first_name": "A"}})");
  EXPECT_EQ("/data", SlotOf(generic, false));
  Json bare = J(R"({"id": "a", "first_name": "A", "email": "a@b.c"})");
  EXPECT_EQ("", SlotOf(bare, false));
  Json array = J(R"([{"first_name": "A"}])");
  EXPECT_EQ("", SlotOf(array, true));
  // A name outweighs members: the resource is the client, not the object that looks like one.
  Json named = J(R"({"data": {"owner": {"first_name": "B", "last_name": "C", "email": "e"},
                   "client": {"id": "a"}}})");
  EXPECT_EQ("/data/client", SlotOf(named, false));
  SlotHints notes;
  notes.plural = "notes";
  notes.singular = "note";
  EXPECT_EQ("/client_notes", SlotOf(J(R"({"client_notes": [{"text": "x"}]})"), true, notes));
}

TEST(MockPlacement, NoSlotWithoutEvidence) {
  EXPECT_EQ("(none)", SlotOf(J(R"({"status": "OK"})"), false));
  EXPECT_EQ("(none)", SlotOf(J(R"({"email": "x"})"), false)) << "one shared member is chance";
  EXPECT_EQ("(none)", SlotOf(J(R"({"data": {"clients": []}})"), true)) << "no item to judge";
  EXPECT_EQ("(none)", SlotOf(J(R"({"names": ["a"]})"), true));
}

TEST(MockPlacement, AnEmptyObjectNamedAfterTheResourceIsItsSlot) {
  // An example that left the resource out still names its place.
  EXPECT_EQ("/data/client", SlotOf(J(R"({"data": {"client": {}}, "status": "OK"})"), false));
  EXPECT_EQ("/data", SlotOf(J(R"({"data": {}})"), false));
  EXPECT_EQ("(none)", SlotOf(J(R"({"meta": {}})"), false)) << "an empty object without a name";
}

TEST(MockPlacement, AListOfOneUnderTheResourcesNameHoldsTheResource) {
  Json one = J(R"({"data": {"client": [{"id": "a", "first_name": "A"}]}, "status": "OK"})");
  EXPECT_EQ("/data/client/0", SlotOf(one, false));
  Json plural = J(R"({"data": {"clients": [{"id": "a"}]}})");
  EXPECT_EQ("/data/clients/0", SlotOf(plural, false));
  Json two = J(R"({"data": {"clients": [{"id": "a"}, {"id": "b"}]}})");
  EXPECT_EQ("/data", SlotOf(two, false)) << "two items are a list, not one resource";
  Json unnamed = J(R"({"data": {"tags": [{"name": "x"}], "id": "a"}})");
  EXPECT_EQ("/data", SlotOf(unnamed, false));
}

constexpr std::string_view kSpec = R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    One:
      type: object
      required: [data]
      properties:
        data:
          type: object
          required: [client]
          properties:
            client:
              type: object
              required: [id, first_name, age]
              properties:
                id: {type: string}
                first_name: {type: string}
                age: {type: integer}
                password: {type: string, writeOnly: true}
    Few:
      type: object
      properties:
        clients:
          type: array
          maxItems: 1
          items: {type: object, properties: {id: {type: string}}}
)";

class MockPlacementRepair : public ::testing::Test {
 protected:
  MockPlacementRepair() {
    Result<const spec::SpecFile*> file = specs_.AddText("api.yaml", kSpec);
    EXPECT_TRUE(file.ok()) << file.status().ToString();
    file_ = file.ok() ? *file : nullptr;
  }
  spec::SchemaRef Schema(std::string_view name) {
    return spec::SpecSet::At(*file_, std::string("/components/schemas/") + std::string(name));
  }
  verity::testing::MemoryFileSystem fs_;
  spec::SpecSet specs_{fs_};
  const spec::SpecFile* file_ = nullptr;
  ValidatorPool validators_{specs_, spec::ValidationOptions{}};
};

TEST_F(MockPlacementRepair, RepairsEachMemberTheSchemaRefuses) {
  Json response = J(R"({"data": {"client": {"id": "t", "first_name": "T", "age": 1}}})");
  Slot slot{"/data/client", false};
  Json item = response["data"]["client"];
  // A wrong type, a writeOnly member, an undocumented one and a missing required one at once.
  Json stored = J(R"({"id": "x1", "first_name": "Ada", "age": "old", "password": "p",
                    "nickname": "A"})");
  stored.erase("first_name");
  bool fell_back = true;
  Json out = PlaceAndConform(response, slot, stored, item, Schema("One"), validators_, &fell_back);
  EXPECT_FALSE(fell_back);
  EXPECT_EQ(J(R"({"id": "x1", "age": 1, "first_name": "T"})"), out["data"]["client"]);
}

TEST_F(MockPlacementRepair, WhatCannotBeRepairedGivesTheTemplate) {
  Json response = J(R"({"clients": [{"id": "t"}]})");
  Slot slot{"/clients", true};
  bool fell_back = false;
  Json out = PlaceAndConform(response, slot, J(R"([{"id": "a"}, {"id": "b"}])"),
                             response["clients"][0], Schema("Few"), validators_, &fell_back);
  EXPECT_TRUE(fell_back) << "maxItems 1 is about the list, not a member";
  EXPECT_EQ(response, out);
}

TEST(MockRoutes, ClassifiesByMethodAndShape) {
  auto kind = [](std::string_view method, std::string_view path) {
    return OpKindName(ClassifyOperation(method, spec::PathTemplate::Parse(path)));
  };
  EXPECT_STREQ("list", kind("GET", "/v1/clients"));
  EXPECT_STREQ("create", kind("POST", "/v1/clients"));
  EXPECT_STREQ("read", kind("GET", "/v1/clients/{id}"));
  EXPECT_STREQ("replace", kind("PUT", "/v1/clients/{id}"));
  EXPECT_STREQ("merge", kind("PATCH", "/v1/clients/{id}"));
  EXPECT_STREQ("delete", kind("DELETE", "/v1/clients/{id}"));
  EXPECT_STREQ("other", kind("POST", "/v1/clients/{id}"));
  EXPECT_STREQ("other", kind("PUT", "/v1/clients"));
  EXPECT_STREQ("other", kind("GET", "/{a}/{b}"));
  spec::PathTemplate nested = spec::PathTemplate::Parse("/c/{client_id}/notes/{uid}");
  EXPECT_EQ("/c/{}/notes", CollectionShape(nested, OpKind::kRead));
  EXPECT_EQ("/c/{client_id}/notes", CollectionPath(nested, OpKind::kRead));
}

TEST(MockRoutes, LiteralsFirstAndAPathThatFitsTheMethodBeforeA405) {
  RouteIndex index;
  index.Add(spec::PathTemplate::Parse("/clients/{id}"), "GET", 0);
  index.Add(spec::PathTemplate::Parse("/clients/{id}"), "DELETE", 1);
  index.Add(spec::PathTemplate::Parse("/clients/bulk"), "PUT", 2);
  index.Add(spec::PathTemplate::Parse("/clients/{client_id}/notes/{uid}"), "GET", 3);
  index.Add(spec::PathTemplate::Parse("/clients/{other}"), "GET", 4);  // a second spec: ignored

  RouteIndex::Match put = index.Find("PUT", "/clients/bulk");
  EXPECT_EQ(2u, put.route);
  EXPECT_TRUE(put.params.empty());
  RouteIndex::Match get = index.Find("get", "/clients/bulk");
  EXPECT_EQ(0u, get.route) << "the client called 'bulk'";
  EXPECT_THAT(get.params, ::testing::ElementsAre("bulk"));
  RouteIndex::Match note = index.Find("GET", "/clients/a/notes/b/");
  EXPECT_EQ(3u, note.route);
  EXPECT_THAT(note.params, ::testing::ElementsAre("a", "b"));
  RouteIndex::Match post = index.Find("POST", "/clients/a");
  EXPECT_EQ(kNoRoute, post.route);
  EXPECT_TRUE(post.path_known);
  EXPECT_THAT(post.allowed, ::testing::ElementsAre("GET", "DELETE"));
  RouteIndex::Match none = index.Find("GET", "/clients/a/notes");
  EXPECT_EQ(kNoRoute, none.route);
  EXPECT_FALSE(none.path_known);
}

}  // namespace
}  // namespace verity::mock
