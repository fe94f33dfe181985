// SampleValue's made-up values look real where a format or a name says what they hold, and still
// fit the schema: a bound, a pattern or uniqueItems the realistic value breaks gives it up.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "spec/formats.h"
#include "spec/sample.h"
#include "spec/sample_test_support.h"

namespace verity::spec {
namespace {

// Every sample here is a request body with every member, checked against its schema.
class Spec : public testing::SampleSpec {
 public:
  using SampleSpec::SampleSpec;

  Json Sample(std::string_view pointer, SampleOptions options = {}) {
    options.all_properties = true;
    options.direction = Direction::kRequest;
    Json value = SampleSpec::Sample(pointer, options);
    for (const std::string& issue : Issues(pointer, value, Direction::kRequest))
      ADD_FAILURE() << issue << "\n" << value.dump(2);
    return value;
  }
};

constexpr std::string_view kFormats = R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Formats:
      type: object
      properties:
        email: {type: string, format: email}
        when: {type: string, format: date-time}
        day: {type: string, format: date}
        at: {type: string, format: time}
        id: {type: string, format: uuid}
        site: {type: string, format: uri}
        host: {type: string, format: hostname}
        v4: {type: string, format: ipv4}
        v6: {type: string, format: ipv6}
        blob: {type: string, format: byte}
        big: {type: string, format: int64}
        phone: {type: string, format: phone}
        tel: {type: string, format: tel}
        e164: {type: string, format: E.164}
        twilio: {type: string, format: phone-number}
        secret: {type: string, format: password}
        period: {type: string, format: duration}
        money: {type: string, format: currency}
        where: {type: string, format: iso-country-code}
        sent: {type: string, format: date-time-rfc-2822}
        amount: {type: string, format: decimal}
        short_phone: {type: string, format: phone, maxLength: 6}
)";

TEST(SampleRealistic, EveryKnownFormatGetsAValueOfThatFormat) {
  Spec spec(kFormats);
  Json v = spec.Sample("/components/schemas/Formats");
  EXPECT_EQ("ada.lovelace@example.com", v["email"]);
  EXPECT_TRUE(IsDateTime(v["when"].get<std::string>()));
  EXPECT_TRUE(IsDate(v["day"].get<std::string>()));
  EXPECT_EQ("10:00:00Z", v["at"]);
  EXPECT_TRUE(IsUuid(v["id"].get<std::string>()));
  EXPECT_TRUE(IsUri(v["site"].get<std::string>()));
  EXPECT_EQ("example.com", v["host"]);
  EXPECT_EQ("192.0.2.1", v["v4"]);
  EXPECT_EQ("2001:db8::1", v["v6"]);
  EXPECT_EQ("dmVyaXR5", v["blob"]);
  EXPECT_EQ("1", v["big"]);
  EXPECT_EQ("Str0ng-Passw0rd!", v["secret"]);
  EXPECT_EQ("PT30M", v["period"]);
  EXPECT_EQ("USD", v["money"]);
  EXPECT_EQ("US", v["where"]);
  EXPECT_EQ("Mon, 05 Jan 2026 10:00:00 +0000", v["sent"]);
  EXPECT_EQ("19.99", v["amount"]);
}

// How a gRPC gateway's Swagger describes a response header: every 64-bit integer a string.
constexpr std::string_view kProtobufIntegers = R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Header:
      type: object
      properties:
        cluster_id: {type: string, format: uint64}
        member_id: {type: string, format: uint64}
        revision: {type: string, format: int64}
        small: {type: string, format: uint32}
        fixed: {type: string, format: fixed64}
)";

TEST(SampleRealistic, ProtobufIntegerStringsAreDigitsNeverTheFieldsName) {
  Spec spec(kProtobufIntegers);
  Json v = spec.Sample("/components/schemas/Header");
  for (const char* name : {"cluster_id", "member_id", "revision", "small", "fixed"}) {
    ASSERT_TRUE(v[name].is_string()) << name;
    const std::string& text = v[name].get_ref<const std::string&>();
    EXPECT_FALSE(text.empty()) << name;
    EXPECT_TRUE(std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        << name << " = " << text;
  }
}

TEST(SampleRealistic, PhoneFormatsAreE164) {
  Spec spec(kFormats);
  Json v = spec.Sample("/components/schemas/Formats");
  for (const char* name : {"phone", "tel", "e164", "twilio"}) EXPECT_EQ("+14155550100", v[name]);
  // Too long for its maxLength: the name's value, else the name, as before.
  EXPECT_EQ("short_", v["short_phone"]);
}

constexpr std::string_view kCustomer = R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Customer:
      type: object
      properties:
        first_name: {type: string}
        lastName: {type: string}
        name: {type: string}
        customerEmail: {type: string}
        contact.phone_number: {type: string}
        mobile: {type: string}
        billing_city: {type: string}
        country: {type: string}
        country_code: {type: string}
        currency: {type: string}
        language: {type: string}
        locale: {type: string}
        time_zone: {type: string}
        zip: {type: string}
        street-address: {type: string}
        company_name: {type: string}
        website: {type: string}
        title: {type: string}
        notes: {type: string}
        brand_color: {type: string}
        slug: {type: string}
        username: {type: string}
        password: {type: string}
        due_date: {type: string}
        created_at: {type: string}
        unit_price: {type: string}
        status: {type: string}
        client_uid: {type: string}
)";

TEST(SampleRealistic, PropertyNamesPickRealisticValues) {
  Spec spec(kCustomer);
  Json v = spec.Sample("/components/schemas/Customer");
  EXPECT_EQ(Json::parse(R"({
    "first_name": "Ada", "lastName": "Lovelace", "name": "Ada",
    "customerEmail": "ada.lovelace@example.com", "contact.phone_number": "+14155550100",
    "mobile": "+14155550100", "billing_city": "New York", "country": "United States",
    "country_code": "US", "currency": "USD", "language": "en", "locale": "en-US",
    "time_zone": "America/New_York", "zip": "10118", "street-address": "350 Fifth Avenue",
    "company_name": "Northwind Traders", "website": "https://example.com/",
    "title": "Quarterly planning meeting", "notes": "Please call before arriving.",
    "brand_color": "#1E90FF", "slug": "getting-started", "username": "ada_lovelace",
    "password": "Str0ng-Passw0rd!", "due_date": "2026-01-05", "created_at": "2026-01-05T10:00:00Z",
    "unit_price": "19.99", "status": "status", "client_uid": "client_uid"})"),
            v);
}

TEST(SampleRealistic, TheValuesOwnNameOptionWorksLikeAPropertyName) {
  Spec spec(R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Text: {type: string}
)");
  SampleOptions options;
  options.name = "currency";
  EXPECT_EQ("USD", spec.Sample("/components/schemas/Text", options));
  EXPECT_EQ("string", spec.Sample("/components/schemas/Text"));
}

constexpr std::string_view kBounded = R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Bounded:
      type: object
      properties:
        city: {type: string, maxLength: 4}
        description: {type: string, minLength: 60}
        country_code: {type: string, pattern: '^[a-z]{2}$'}
        currency: {type: string, pattern: '^[A-Z]{3}$'}
        email: {type: string, maxLength: 10}
        age: {type: integer, minimum: 60}
        price: {type: integer, minimum: 0}
        quantity: {type: integer, maximum: 1}
        latitude: {type: number, minimum: -90, maximum: 90}
        year: {type: integer, minimum: 1900, maximum: 2000}
        rating: {type: number, multipleOf: 2}
)";

TEST(SampleRealistic, ARealisticValueThatDoesNotFitTheSchemaGivesWayToTheName) {
  Spec spec(kBounded);
  Json v = spec.Sample("/components/schemas/Bounded");
  EXPECT_EQ("city", v["city"]);
  EXPECT_EQ("description" + std::string(49, 'x'), v["description"]);
  EXPECT_EQ("aa", v["country_code"]) << "the pattern's own value";
  EXPECT_EQ("email", v["email"]);
}

TEST(SampleRealistic, ARealisticValueThatMatchesThePatternIsKept) {
  Spec spec(kBounded);
  EXPECT_EQ("USD", spec.Sample("/components/schemas/Bounded")["currency"]);
}

TEST(SampleRealistic, NumbersByNameStayWithinTheirBounds) {
  Spec spec(kBounded);
  Json v = spec.Sample("/components/schemas/Bounded");
  EXPECT_EQ(60, v["age"]) << "34 is below the minimum: the bound, as before";
  EXPECT_EQ(50, v["price"]) << "49.99 rounded for an integer";
  EXPECT_EQ(1, v["quantity"]);
  EXPECT_EQ(40.7484, v["latitude"].get<double>());
  EXPECT_EQ(1900, v["year"]);
  EXPECT_EQ(4, v["rating"]);
}

constexpr std::string_view kPeople = R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    People:
      type: array
      items:
        type: object
        properties:
          name: {type: string}
          email: {type: string, format: email}
          city: {type: string}
          country_code: {type: string}
          time_zone: {type: string}
    Tags:
      type: array
      minItems: 15
      uniqueItems: true
      items: {type: string}
    Countries:
      type: object
      properties:
        country_codes:
          type: array
          minItems: 12
          uniqueItems: true
          items: {type: string, minLength: 2}
)";

TEST(SampleRealistic, VaryingItemsGivesEachItemAnotherPersonAndAddress) {
  Spec spec(kPeople);
  SampleOptions options;
  options.array_items = 3;
  options.vary_items = true;
  Json v = spec.Sample("/components/schemas/People", options);
  ASSERT_EQ(3u, v.size());
  EXPECT_EQ(Json::parse(R"({"name": "Grace", "email": "grace.hopper@example.com",
                            "city": "London", "country_code": "GB",
                            "time_zone": "Europe/London"})"),
            v[0]);
  EXPECT_EQ("Alan", v[1]["name"]);
  EXPECT_EQ("Berlin", v[1]["city"]);
  EXPECT_EQ("Katherine", v[2]["name"]);
}

TEST(SampleRealistic, SameOptionsGiveTheSameRealisticValues) {
  Spec spec(kPeople);
  SampleOptions options;
  options.array_items = 20;
  options.vary_items = true;
  EXPECT_EQ(spec.Sample("/components/schemas/People", options),
            spec.Sample("/components/schemas/People", options));
}

TEST(SampleRealistic, UniqueItemsStayDistinctPastTheEndOfATable) {
  Spec spec(kPeople);
  Json tags = spec.Sample("/components/schemas/Tags");  // no name: plain values
  EXPECT_EQ(15u, tags.size());
  // Eight countries, twelve items required: the rest carry their number.
  Json countries = spec.Sample("/components/schemas/Countries")["country_codes"];
  ASSERT_EQ(12u, countries.size());
  std::set<std::string> distinct;
  for (const Json& c : countries) distinct.insert(c.get<std::string>());
  EXPECT_EQ(12u, distinct.size()) << countries.dump();
  EXPECT_EQ("GB", countries[0]);
}

}  // namespace
}  // namespace verity::spec
