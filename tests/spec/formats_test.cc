#include "spec/formats.h"

#include <gtest/gtest.h>

namespace verity::spec {
namespace {

TEST(Formats, DateTimeAcceptsRfc3339WithZuluOffsetsAndFractions) {
  EXPECT_TRUE(IsDateTime("2024-02-29T13:05:00Z"));
  EXPECT_TRUE(IsDateTime("2024-02-29t13:05:00z"));
  EXPECT_TRUE(IsDateTime("2023-12-31T23:59:60Z"));  // leap second
  EXPECT_TRUE(IsDateTime("2023-01-01T00:00:00.123456+02:00"));
  EXPECT_TRUE(IsDateTime("2023-01-01T00:00:00-11:30"));
}

TEST(Formats, DateTimeRejectsMissingOffsetsAndImpossibleValues) {
  EXPECT_FALSE(IsDateTime("2024-02-29T13:05:00"));       // no offset
  EXPECT_FALSE(IsDateTime("2024-02-29 13:05:00Z"));      // space instead of T
  EXPECT_FALSE(IsDateTime("2023-02-29T13:05:00Z"));      // not a leap year
  EXPECT_FALSE(IsDateTime("2024-13-01T00:00:00Z"));      // month 13
  EXPECT_FALSE(IsDateTime("2024-01-01T24:00:00Z"));      // hour 24
  EXPECT_FALSE(IsDateTime("2024-01-01T10:60:00Z"));      // minute 60
  EXPECT_FALSE(IsDateTime("2024-01-01T10:00:61Z"));      // second 61
  EXPECT_FALSE(IsDateTime("2024-01-01T10:00:00.Z"));     // empty fraction
  EXPECT_FALSE(IsDateTime("2024-01-01T10:00:00+0200"));  // offset without colon
  EXPECT_FALSE(IsDateTime("2024-01-01T10:00:00+24:00"));
  EXPECT_FALSE(IsDateTime("2024-01-01T10:00:00Zjunk"));
  EXPECT_FALSE(IsDateTime("2024-01-01"));
  EXPECT_FALSE(IsDateTime(""));
}

TEST(Formats, DateChecksDaysPerMonthIncludingLeapYears) {
  EXPECT_TRUE(IsDate("2024-02-29"));
  EXPECT_TRUE(IsDate("2000-02-29"));   // divisible by 400
  EXPECT_FALSE(IsDate("1900-02-29"));  // divisible by 100
  EXPECT_FALSE(IsDate("2023-02-29"));
  EXPECT_TRUE(IsDate("2023-04-30"));
  EXPECT_FALSE(IsDate("2023-04-31"));
  EXPECT_FALSE(IsDate("2023-00-10"));
  EXPECT_FALSE(IsDate("2023-01-00"));
  EXPECT_FALSE(IsDate("2023-1-01"));
  EXPECT_FALSE(IsDate("2023-01-01T00:00:00Z"));
}

TEST(Formats, UuidIsHexInEightFourFourFourTwelveOfEitherCase) {
  EXPECT_TRUE(IsUuid("123e4567-e89b-12d3-a456-426614174000"));
  EXPECT_TRUE(IsUuid("123E4567-E89B-12D3-A456-426614174000"));
  EXPECT_FALSE(IsUuid("123e4567e89b12d3a456426614174000"));
  EXPECT_FALSE(IsUuid("123e4567-e89b-12d3-a456-42661417400g"));
  EXPECT_FALSE(IsUuid("123e4567-e89b-12d3-a456-4266141740000"));
  EXPECT_FALSE(IsUuid("{123e4567-e89b-12d3-a456-426614174000}"));
}

TEST(Formats, EmailIsPragmatic) {
  EXPECT_TRUE(IsEmail("a@b.co"));
  EXPECT_TRUE(IsEmail("first.last+tag@mail.example.com"));
  EXPECT_TRUE(IsEmail("root@localhost"));
  EXPECT_TRUE(IsEmail("x@[192.0.2.1]"));
  EXPECT_FALSE(IsEmail("no-at-sign"));
  EXPECT_FALSE(IsEmail("two@@example.com"));
  EXPECT_FALSE(IsEmail("a@b@example.com"));
  EXPECT_FALSE(IsEmail("@example.com"));
  EXPECT_FALSE(IsEmail("user@"));
  EXPECT_FALSE(IsEmail("us er@example.com"));
  EXPECT_FALSE(IsEmail("user@exa mple.com"));
  EXPECT_FALSE(IsEmail("user@example..com"));
  EXPECT_FALSE(IsEmail("user@.example.com"));
  EXPECT_FALSE(IsEmail("user@example.com."));
}

TEST(Formats, UriNeedsASchemeAndNoSpaces) {
  EXPECT_TRUE(IsUri("https://example.com/a?b=c#d"));
  EXPECT_TRUE(IsUri("urn:isbn:0451450523"));
  EXPECT_TRUE(IsUri("mailto:someone@example.com"));
  EXPECT_TRUE(IsUri("x-y+z.1:rest"));
  EXPECT_FALSE(IsUri("/relative/path"));
  EXPECT_FALSE(IsUri("example.com"));
  EXPECT_FALSE(IsUri("1http://example.com"));
  EXPECT_FALSE(IsUri("https://exa mple.com"));
  EXPECT_FALSE(IsUri("https://example.com/\n"));
  EXPECT_FALSE(IsUri(":nothing"));
}

TEST(Formats, UnknownFormatsPass) {
  EXPECT_EQ(StringFormat::kNone, ParseStringFormat("int64"));
  EXPECT_EQ(StringFormat::kNone, ParseStringFormat("Date-Time"));
  EXPECT_TRUE(MatchesFormat(StringFormat::kNone, "anything at all"));
  EXPECT_EQ(StringFormat::kDateTime, ParseStringFormat("date-time"));
  EXPECT_STREQ("uuid", StringFormatName(ParseStringFormat("uuid")));
}

}  // namespace
}  // namespace verity::spec
