// The tables behind realistic generated values. To teach the sampler a new name, add its words to
// kNameRules (or a format's spelling to kFormatRules); a new kind needs its values in kLists or a
// column of kPlaces, and a line in RealisticString only when it is composed from others.
#include "spec/sample_names.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace verity::spec {
namespace {

using K = ValueKind;

// Property names, as their last words ('|' between spellings). Digits are words of their own
// ("address_line1" is "address line 1"); spellings without separators ("firstname") are listed.
struct NameRule {
  std::string_view words;
  ValueKind kind;
};

constexpr NameRule kNameRules[] = {
    // A bare `name` is a person's as often as a label's or a resource's, which servers check as
    // identifiers: one word of letters ("Ada") passes for all of them.
    {"name|first name|firstname|given name|givenname|forename|fname", K::kFirstName},
    {"last name|lastname|family name|familyname|surname|lname", K::kLastName},
    {"full name|fullname|display name|displayname|contact name|customer name|client name|"
     "cardholder name|card holder name|holder name|owner name|person name|recipient name|"
     "sender name|author|author name|guest name|patient name|staff name",
     K::kFullName},
    {"email|e mail|mail|email address|emailaddress|e mail address", K::kEmail},
    {"username|user name|login|login name|screen name|screenname|nickname", K::kUsername},
    // Who did something to a resource is a user in most APIs' words.
    {"created by|updated by|modified by|deleted by|changed by|submitted by|requested by|"
     "approved by|creator|owner login|assignee|reporter|requester|approver",
     K::kUsername},
    {"version|semver|api version|app version|build version|schema version", K::kVersion},
    {"revision|commit|commit sha|commit id|sha|sha 1|sha 256|git sha|git commit|hash|checksum|"
     "digest|fingerprint|etag",
     K::kRevision},
    {"branch|git branch|branch name|default branch", K::kBranch},
    {"password|passwd|passphrase|new password|current password|password confirmation",
     K::kPassword},
    {"phone|phone number|phonenumber|phone no|telephone|tel|mobile|mobile number|mobile phone|"
     "cell|cell phone|cellphone|fax|fax number|sms number|whatsapp|whatsapp number|msisdn|"
     "contact number|from number|to number|forward number",
     K::kPhone},
    {"street|street address|address|address line|address line 1|address 1|line 1|street 1|"
     "billing address|shipping address",
     K::kStreet},
    {"address line 2|address 2|line 2|street 2", K::kAddressLine2},
    {"full address|formatted address|mailing address|postal address", K::kFullAddress},
    {"city|town|locality|municipality", K::kCity},
    {"state|province|region|county|state code|state province", K::kRegion},
    {"postal code|postalcode|postcode|post code|postal|zip|zip code|zipcode", K::kPostalCode},
    {"country|country name", K::kCountry},
    {"country code|countrycode|country iso|iso country|iso country code|country iso code|"
     "alpha 2|iso 2|country alpha 2",
     K::kCountryCode},
    {"alpha 3|iso 3|country alpha 3|country code 3", K::kCountryCode3},
    {"currency|currency code|currencycode|iso currency|currency iso", K::kCurrency},
    {"language|lang|language code|lang code", K::kLanguage},
    {"locale|language tag|culture", K::kLocale},
    {"time zone|timezone|tz|time zone name|iana time zone", K::kTimeZone},
    {"company|company name|business|business name|organization|organisation|organization name|"
     "organisation name|org|org name|employer|brand|brand name|legal name|legal company name|"
     "merchant name|vendor name|store name|shop name|app name|application name",
     K::kCompany},
    {"job title|jobtitle|occupation|profession|designation", K::kJobTitle},
    {"product|product name|service name|plan name|item name|package name|offering name",
     K::kProduct},
    {"title|subject|headline|heading|label|caption|topic", K::kTitle},
    {"description|desc|note|notes|comment|comments|message|summary|body|text|content|bio|about|"
     "details|instructions|reason|remarks|memo|feedback",
     K::kSentence},
    {"tag|keyword", K::kTag},
    {"slug|handle|code name|codename", K::kSlug},
    {"color|colour|color code|hex color", K::kColor},
    {"file name|filename|attachment name|document name", K::kFileName},
    {"url|uri|link|href|website|web site|homepage|home page|webpage|permalink", K::kUrl},
    {"card number|cardnumber|credit card number", K::kCardNumber},
    {"last 4|card last 4|last four", K::kCardLast4},
    {"bin|card bin", K::kCardBin},
    {"card brand|card type|card network|card scheme", K::kCardBrand},
    {"iban", K::kIban},
    {"price|amount|cost|fee|subtotal|unit price|total amount|total price|grand total|order total",
     K::kDecimalText},
    {"bic|swift|swift code|swift bic", K::kBic},
    {"date", K::kDate},
    {"datetime|date time|timestamp|time|at", K::kDateTime},
    {"birth date|birthdate|date of birth|dob|birthday", K::kBirthDate},
    {"duration", K::kDuration},
    {"uuid|guid", K::kUuid},
    {"hostname|host name|host|domain|domain name", K::kHostname},
    {"ip|ip address|ipv 4|ipv 4 address|remote ip|client ip", K::kIpv4},
    {"ipv 6|ipv 6 address", K::kIpv6},
    {"mac|mac address", K::kMacAddress},
};

// `format` spellings, normalized (lowercase, without '-', '_', '.', ' ').
struct FormatRule {
  std::string_view names;
  ValueKind kind;
  bool established;
};

constexpr FormatRule kFormatRules[] = {
    {"datetime", K::kDateTime, true},
    {"date", K::kDate, true},
    {"time", K::kTime, true},
    {"uuid", K::kUuid, true},
    {"email|idnemail", K::kEmail, true},
    {"uri|url|iri|urireference|irireference", K::kUrl, true},
    {"hostname|idnhostname", K::kHostname, true},
    {"ipv4", K::kIpv4, true},
    {"ipv6", K::kIpv6, true},
    {"byte", K::kBase64, true},
    // Protobuf's JSON mapping writes 64-bit integers as strings (gRPC gateways describe them
    // `type: string` with the proto type as the format): digits, never the field's name.
    {"int32|int64|uint32|uint64|fixed32|fixed64|sfixed32|sfixed64|sint32|sint64", K::kIntegerText,
     true},
    {"guid", K::kUuid, false},
    {"iso8601|datetimeiso8601", K::kDateTime, false},
    {"datetimerfc2822|rfc2822|datetimerfc1123|rfc1123|httpdate", K::kHttpDate, false},
    {"duration", K::kDuration, false},
    {"phone|phonenumber|tel|telephone|e164|e164phone|mobile", K::kPhone, false},
    {"password", K::kPassword, false},
    {"currency|currencycode|iso4217", K::kCurrency, false},
    {"country|countrycode|isocountrycode|iso3166|iso3166alpha2|iso31661alpha2", K::kCountryCode,
     false},
    {"language|languagecode|iso6391", K::kLanguage, false},
    {"locale|bcp47|languagetag", K::kLocale, false},
    {"timezone|tz|ianatimezone", K::kTimeZone, false},
    {"color|hexcolor|colorhex", K::kColor, false},
    {"postalcode|zipcode", K::kPostalCode, false},
    {"username", K::kUsername, false},
    {"slug", K::kSlug, false},
    {"decimal|float|double|number", K::kDecimalText, false},
    {"cidr|ipv4cidr", K::kCidr, false},
    {"mac|macaddress", K::kMacAddress, false},
    {"uritemplate", K::kUriTemplate, false},
    {"jsonpointer", K::kJsonPointer, false},
    {"relativejsonpointer", K::kRelativeJsonPointer, false},
    {"regex", K::kRegex, false},
    {"iban", K::kIban, false},
    {"creditcard|cardnumber", K::kCardNumber, false},
};

// One address per row: a row's fields belong together, so that a server checking a postal code
// against its country, or a time zone against a city, accepts them.
struct Place {
  std::string_view street, city, region, postal_code, country, country_code, country_code3,
      currency, language, locale, time_zone;
  double latitude, longitude;
};

constexpr Place kPlaces[] = {
    {"350 Fifth Avenue", "New York", "NY", "10118", "United States", "US", "USA", "USD", "en",
     "en-US", "America/New_York", 40.7484, -73.9857},
    {"221B Baker Street", "London", "England", "NW1 6XE", "United Kingdom", "GB", "GBR", "GBP",
     "en", "en-GB", "Europe/London", 51.5238, -0.1586},
    {"Unter den Linden 77", "Berlin", "Berlin", "10117", "Germany", "DE", "DEU", "EUR", "de",
     "de-DE", "Europe/Berlin", 52.5163, 13.3777},
    {"5 Avenue Anatole France", "Paris", "Ile-de-France", "75007", "France", "FR", "FRA", "EUR",
     "fr", "fr-FR", "Europe/Paris", 48.8584, 2.2945},
    {"301 Front Street West", "Toronto", "ON", "M5V 2T6", "Canada", "CA", "CAN", "CAD", "en",
     "en-CA", "America/Toronto", 43.6426, -79.3871},
    {"Bennelong Point", "Sydney", "NSW", "2000", "Australia", "AU", "AUS", "AUD", "en", "en-AU",
     "Australia/Sydney", -33.8568, 151.2153},
    {"1-1 Chiyoda", "Tokyo", "Tokyo", "100-8111", "Japan", "JP", "JPN", "JPY", "ja", "ja-JP",
     "Asia/Tokyo", 35.6852, 139.7528},
    {"Calle de Ruiz de Alarcon 23", "Madrid", "Madrid", "28014", "Spain", "ES", "ESP", "EUR", "es",
     "es-ES", "Europe/Madrid", 40.4138, -3.6921},
};

// People: a first and a last name per ordinal, 100 pairs before one repeats.
constexpr std::string_view kFirstNames[] = {"Ada",    "Grace",    "Alan",   "Katherine",
                                            "Linus",  "Margaret", "Edsger", "Barbara",
                                            "Dennis", "Frances"};
constexpr std::string_view kLastNames[] = {"Lovelace", "Hopper",   "Turing", "Johnson", "Torvalds",
                                           "Hamilton", "Dijkstra", "Liskov", "Ritchie", "Allen"};

struct List {
  ValueKind kind;
  std::span<const std::string_view> values;
};

constexpr std::string_view kCompanies[] = {
    "Northwind Traders",  "Contoso Ltd", "Fabrikam Inc",  "Acme Corporation",
    "Globex Corporation", "Initech",     "Tailspin Toys", "Adventure Works"};
constexpr std::string_view kJobTitles[] = {"Software Engineer", "Product Manager",
                                           "Account Executive", "Office Manager",
                                           "Data Analyst",      "Customer Success Manager"};
constexpr std::string_view kProducts[] = {"Standard Plan",        "Premium Plan",
                                          "Initial Consultation", "Follow-up Session",
                                          "Starter Package",      "Annual Membership"};
constexpr std::string_view kTitles[] = {
    "Quarterly planning meeting", "Welcome to the team", "Follow-up on your request",
    "Spring promotion",           "Project kickoff",     "Monthly report"};
constexpr std::string_view kSentences[] = {
    "Please call before arriving.",  "Looking forward to working with you.",
    "Prefers morning appointments.", "Follow up next week about the proposal.",
    "Thanks for your order.",        "Parking is available behind the building."};
constexpr std::string_view kTags[] = {"vip",      "returning", "newsletter",
                                      "priority", "wholesale", "referral"};
constexpr std::string_view kSlugs[] = {"getting-started", "spring-sale", "team-offsite",
                                       "product-launch",  "welcome-kit", "annual-report"};
constexpr std::string_view kColors[] = {"#1E90FF", "#FF6347", "#2E8B57",
                                        "#FFD700", "#6A5ACD", "#FF69B4"};
constexpr std::string_view kFileNames[] = {"report.pdf", "photo.jpg",     "invoice.pdf",
                                           "notes.txt",  "contract.docx", "avatar.png"};
constexpr std::string_view kAddressLines2[] = {"Suite 100", "Apt 4B", "Floor 2", "Unit 7"};
constexpr std::string_view kPasswords[] = {"Str0ng-Passw0rd!"};
// Test numbers the card networks document as never charged.
constexpr std::string_view kCardNumbers[] = {"4242424242424242", "5555555555554444",
                                             "378282246310005"};
constexpr std::string_view kCardLast4[] = {"4242", "4444", "0005"};
constexpr std::string_view kCardBins[] = {"424242", "555555", "378282"};
constexpr std::string_view kCardBrands[] = {"Visa", "Mastercard", "American Express"};
constexpr std::string_view kIbans[] = {"DE89370400440532013000", "GB82WEST12345698765432"};
constexpr std::string_view kBics[] = {"DEUTDEFF", "NWBKGB2L"};
constexpr std::string_view kHostnames[] = {"example.com"};
constexpr std::string_view kBase64[] = {"dmVyaXR5"};
constexpr std::string_view kUriTemplates[] = {"https://example.com/items/{id}"};
constexpr std::string_view kJsonPointers[] = {"/items/0"};
constexpr std::string_view kRelativeJsonPointers[] = {"0/name"};
constexpr std::string_view kRegexes[] = {"^[a-z0-9]+$"};
constexpr std::string_view kVersions[] = {"1.4.2", "2.0.1", "0.9.7", "3.2.0"};
constexpr std::string_view kRevisions[] = {"3f9a1c2e7b4d8a06", "9c04e7ab51f2d3e8",
                                           "b71d02c9e4a6f513", "52e8a9f0c13b7d4e"};
constexpr std::string_view kBranches[] = {"main", "develop", "release-1.4", "feature-search"};
constexpr std::string_view kCidrs[] = {"192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"};

constexpr List kLists[] = {
    {K::kCompany, kCompanies},
    {K::kJobTitle, kJobTitles},
    {K::kProduct, kProducts},
    {K::kTitle, kTitles},
    {K::kSentence, kSentences},
    {K::kTag, kTags},
    {K::kSlug, kSlugs},
    {K::kColor, kColors},
    {K::kFileName, kFileNames},
    {K::kAddressLine2, kAddressLines2},
    {K::kPassword, kPasswords},
    {K::kCardNumber, kCardNumbers},
    {K::kCardLast4, kCardLast4},
    {K::kCardBin, kCardBins},
    {K::kCardBrand, kCardBrands},
    {K::kIban, kIbans},
    {K::kBic, kBics},
    {K::kHostname, kHostnames},
    {K::kBase64, kBase64},
    {K::kUriTemplate, kUriTemplates},
    {K::kJsonPointer, kJsonPointers},
    {K::kRelativeJsonPointer, kRelativeJsonPointers},
    {K::kRegex, kRegexes},
    {K::kCidr, kCidrs},
    {K::kVersion, kVersions},
    {K::kRevision, kRevisions},
    {K::kBranch, kBranches},
};

// Numbers by name. A place's coordinates come from kPlaces, so that they match its address.
enum class NumberSource : uint8_t { kList, kLatitude, kLongitude };

struct NumberRule {
  std::string_view words;
  NumberSource source;
  std::span<const double> values;
};

constexpr double kAges[] = {34, 28, 45, 52, 23, 61, 38, 19};
constexpr double kQuantities[] = {2, 1, 3, 5, 4, 10};
constexpr double kPrices[] = {49.99, 19.5, 120, 9.99, 75, 250};
constexpr double kYears[] = {2026, 2025, 2024, 2023};
constexpr double kBirthYears[] = {1990, 1985, 1978, 1996, 2001};
constexpr double kMonths[] = {6, 1, 12, 3, 9};
constexpr double kRatings[] = {4, 5, 3};
constexpr double kPercents[] = {15, 10, 25, 5};
constexpr double kDurations[] = {30, 45, 60, 90};

constexpr NumberRule kNumberRules[] = {
    {"age", NumberSource::kList, kAges},
    {"quantity|qty|units|seats", NumberSource::kList, kQuantities},
    {"price|amount|cost|fee|subtotal|sub total|balance|deposit|unit price|total amount|"
     "total price|grand total|order total",
     NumberSource::kList, kPrices},
    {"year", NumberSource::kList, kYears},
    {"birth year|year of birth", NumberSource::kList, kBirthYears},
    {"month", NumberSource::kList, kMonths},
    {"rating|stars", NumberSource::kList, kRatings},
    {"percent|percentage|discount percent|discount percentage", NumberSource::kList, kPercents},
    {"duration|duration minutes|duration in minutes", NumberSource::kList, kDurations},
    {"latitude|lat", NumberSource::kLatitude, {}},
    {"longitude|lng|lon|long", NumberSource::kLongitude, {}},
};

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

// "billingAddressLine1" → billing address line 1; "HTTPServer" → http server; "e-mail" → e mail.
std::vector<std::string> Words(std::string_view name) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool high = static_cast<unsigned char>(c) >= 0x80;  // UTF-8 stays inside its word
    if (!high && !IsUpper(c) && !IsLower(c) && !IsDigit(c)) {
      flush();
      continue;
    }
    if (!word.empty() && i > 0) {
      char prev = name[i - 1];
      bool camel = IsUpper(c) && IsLower(prev);
      bool acronym_end = IsUpper(c) && IsUpper(prev) && i + 1 < name.size() && IsLower(name[i + 1]);
      bool digits = IsDigit(c) != IsDigit(prev);
      if (camel || acronym_end || digits) flush();
    }
    word += Lower(c);
  }
  flush();
  return words;
}

// "cities" → city, "addresses" → address, "emails" → email; "status" stays.
std::string Singular(const std::string& word) {
  auto ends = [&](std::string_view tail) {
    return word.size() > tail.size() + 1 &&
           word.compare(word.size() - tail.size(), tail.size(), tail.data(), tail.size()) == 0;
  };
  if (ends("ies")) return word.substr(0, word.size() - 3) + "y";
  for (std::string_view tail : {"sses", "xes", "ches", "shes", "uses"}) {
    if (ends(tail)) return word.substr(0, word.size() - 2);
  }
  if (ends("s") && !ends("ss") && !ends("us")) return word.substr(0, word.size() - 1);
  return word;
}

template <typename Value>
void AddSpellings(std::unordered_map<std::string, Value>& map, std::string_view spellings,
                  const Value& value) {
  size_t start = 0;
  while (start <= spellings.size()) {
    size_t bar = spellings.find('|', start);
    if (bar == std::string_view::npos) bar = spellings.size();
    map.emplace(std::string(spellings.substr(start, bar - start)), value);
    start = bar + 1;
  }
}

// The value of the longest run of `name`'s last words that `table` knows, trying the last word
// as written, then in the singular ("phone_numbers" for the items of a list).
template <typename Value>
const Value* Lookup(const std::unordered_map<std::string, Value>& table, std::string_view name) {
  std::vector<std::string> words = Words(name);
  if (words.empty()) return nullptr;
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) {
      std::string singular = Singular(words.back());
      if (singular == words.back()) break;
      words.back() = singular;
    }
    constexpr size_t kLongestRule = 4;
    for (size_t n = std::min(words.size(), kLongestRule); n > 0; --n) {
      std::string key;
      for (size_t i = words.size() - n; i < words.size(); ++i) {
        if (!key.empty()) key += ' ';
        key += words[i];
      }
      auto it = table.find(key);
      if (it != table.end()) return &it->second;
    }
  }
  return nullptr;
}

const std::unordered_map<std::string, ValueKind>& NameTable() {
  static const auto* table = [] {
    auto* map = new std::unordered_map<std::string, ValueKind>;
    for (const NameRule& rule : kNameRules) AddSpellings(*map, rule.words, rule.kind);
    return map;
  }();
  return *table;
}

const std::unordered_map<std::string, FormatKind>& FormatTable() {
  static const auto* table = [] {
    auto* map = new std::unordered_map<std::string, FormatKind>;
    for (const FormatRule& rule : kFormatRules)
      AddSpellings(*map, rule.names, FormatKind{rule.kind, rule.established});
    return map;
  }();
  return *table;
}

const std::unordered_map<std::string, const NumberRule*>& NumberTable() {
  static const auto* table = [] {
    auto* map = new std::unordered_map<std::string, const NumberRule*>;
    for (const NumberRule& rule : kNumberRules) AddSpellings(*map, rule.words, &rule);
    return map;
  }();
  return *table;
}

std::string LowerCase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

// The ordinal-th person: past the 100 pairs, a number keeps addresses and logins distinct.
struct Person {
  std::string_view first, last;
  std::string number;  // "" for the first 100
};

Person PersonAt(uint64_t n) {
  constexpr uint64_t kFirst = std::size(kFirstNames), kLast = std::size(kLastNames);
  Person p{kFirstNames[n % kFirst], kLastNames[(n + n / kFirst) % kLast], ""};
  if (uint64_t round = n / (kFirst * kLast)) p.number = std::to_string(round + 1);
  return p;
}

std::string Format(const char* format, auto... args) {
  char buf[96];
  std::snprintf(buf, sizeof buf, format, args...);
  return buf;
}

// A URL whose path says what it is for ("logo_url" → https://example.com/logo).
std::string Url(uint64_t n, std::string_view name) {
  std::vector<std::string> words = Words(name);
  while (!words.empty() && NameTable().count(words.back()) &&
         NameTable().at(words.back()) == K::kUrl) {
    words.pop_back();
  }
  std::string path;
  for (const std::string& w : words) path += (path.empty() ? "" : "-") + w;
  if (n) path += (path.empty() ? "item-" : "-") + std::to_string(n);
  return "https://example.com/" + path;
}

std::string DateTime(uint64_t n) {
  return Format("2026-01-%02dT%02d:%02d:00Z", static_cast<int>(5 + n / 600 % 20),
                static_cast<int>(10 + n / 60 % 10), static_cast<int>(n % 60));
}

std::string HttpDate(uint64_t n) {
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  int day = static_cast<int>(5 + n % 20);  // 5 January 2026 is a Monday
  return Format("%s, %02d Jan 2026 10:00:00 +0000", kDays[(day - 5) % 7], day);
}

}  // namespace

ValueKind KindOfName(std::string_view name) {
  const ValueKind* kind = Lookup(NameTable(), name);
  return kind ? *kind : K::kNone;
}

FormatKind KindOfFormat(std::string_view format) {
  std::string key;
  for (char c : format) {
    if (c != '-' && c != '_' && c != '.' && c != ' ') key += Lower(c);
  }
  auto it = FormatTable().find(key);
  return it == FormatTable().end() ? FormatKind{} : it->second;
}

std::string RealisticString(ValueKind kind, uint64_t n, std::string_view name) {
  for (const List& list : kLists) {
    if (list.kind == kind) return std::string(list.values[n % list.values.size()]);
  }
  const Place& place = kPlaces[n % std::size(kPlaces)];
  Person person = PersonAt(n);
  switch (kind) {
    case K::kFirstName:
      return std::string(person.first);
    case K::kLastName:
      return std::string(person.last);
    case K::kFullName:
      return std::string(person.first) + " " + std::string(person.last) +
             (person.number.empty() ? "" : " " + person.number);
    case K::kEmail:
      return LowerCase(person.first) + "." + LowerCase(person.last) + person.number +
             "@example.com";
    case K::kUsername:
      return LowerCase(person.first) + "_" + LowerCase(person.last) + person.number;
    case K::kPhone:
      // E.164; 555-01xx are the North American numbers reserved for fiction.
      return Format("+1415555%04d", static_cast<int>((100 + n) % 10000));
    case K::kStreet:
      return std::string(place.street);
    case K::kFullAddress:
      return std::string(place.street) + ", " + std::string(place.city) + ", " +
             std::string(place.region) + " " + std::string(place.postal_code) + ", " +
             std::string(place.country);
    case K::kCity:
      return std::string(place.city);
    case K::kRegion:
      return std::string(place.region);
    case K::kPostalCode:
      return std::string(place.postal_code);
    case K::kCountry:
      return std::string(place.country);
    case K::kCountryCode:
      return std::string(place.country_code);
    case K::kCountryCode3:
      return std::string(place.country_code3);
    case K::kCurrency:
      return std::string(place.currency);
    case K::kLanguage:
      return std::string(place.language);
    case K::kLocale:
      return std::string(place.locale);
    case K::kTimeZone:
      return std::string(place.time_zone);
    case K::kUrl:
      return Url(n, name);
    case K::kDate:
      return Format("2026-01-%02d", static_cast<int>(5 + n % 20));
    case K::kDateTime:
      return DateTime(n);
    case K::kTime:
      return "10:00:00Z";
    case K::kBirthDate:
      return Format("%04d-%02d-%02d", static_cast<int>(1990 - n % 30), static_cast<int>(1 + n % 12),
                    static_cast<int>(1 + n % 28));
    case K::kHttpDate:
      return HttpDate(n);
    case K::kDuration:
      return "PT" + std::to_string(30 + n) + "M";
    case K::kUuid:
      return Format("3fa85f64-5717-4562-b3fc-%012llx", static_cast<unsigned long long>(n));
    case K::kIpv4:
      return "192.0.2." + std::to_string(1 + n % 254);
    case K::kIpv6:
      return "2001:db8::" + std::to_string(1 + n % 9999);
    case K::kMacAddress:
      return Format("00:00:5e:00:53:%02x", static_cast<unsigned>(n % 256));
    case K::kIntegerText:
      return std::to_string(1 + n);
    case K::kDecimalText:
      return std::to_string(19 + n) + ".99";
    default:
      return {};
  }
}

std::optional<double> RealisticNumber(std::string_view name, uint64_t n) {
  const NumberRule* const* found = Lookup(NumberTable(), name);
  if (!found) return std::nullopt;
  const NumberRule& rule = **found;
  const Place& place = kPlaces[n % std::size(kPlaces)];
  switch (rule.source) {
    case NumberSource::kLatitude:
      return place.latitude;
    case NumberSource::kLongitude:
      return place.longitude;
    case NumberSource::kList:
      break;
  }
  return rule.values[n % rule.values.size()];
}

}  // namespace verity::spec
