// The mock never serves a file outside the spec root: a response schema `$ref`'d from outside is
// not read, the answer holds none of it, and the operator is told at start which ref and why.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <string>

#include "base/clock.h"
#include "mock/service.h"
#include "spec/spec_set.h"
#include "support/memory_file_system.h"

namespace verity::mock {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kCanary = "CANARYmockref41f2";

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

TEST(MockOutsideRef, SchemaFromOutsideTheSpecRootIsNeverServed) {
  testing::MemoryFileSystem fs;
  fs.Add("/work/specs/api.yaml", R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /secret:
    get:
      description: Available for **staff** tokens
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '../outside_secret.json'}}}
  /also:
    get:
      description: Available for **staff** tokens
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '/etc/passwd'}}}
)");
  fs.Add("/work/outside_secret.json",
         std::string(R"({"type": "string", "example": ")") + kCanary + R"("})");
  SystemClock clock;
  ServiceOptions options;
  options.spec_paths = {"/work/specs"};
  Result<std::unique_ptr<Service>> started = Service::Start(fs, clock, std::move(options));
  ASSERT_TRUE(started.ok()) << started.status().message();
  std::unique_ptr<Service> service = std::move(*started);

  httplib::Client client("127.0.0.1", service->port());
  client.set_read_timeout(5, 0);
  for (const char* path : {"/secret", "/also"}) {
    httplib::Result answer = client.Get(path);
    ASSERT_TRUE(answer) << path;
    EXPECT_EQ(200, answer->status) << path;
    EXPECT_THAT(answer->body, Not(HasSubstr(kCanary))) << path;
  }
  for (const std::string& read : fs.reads()) {
    EXPECT_TRUE(read.starts_with("/work/specs/")) << read << " was read";
  }
  std::string warnings = Joined(service->warnings());
  EXPECT_THAT(warnings, HasSubstr("/work/specs/api.yaml:10:49: $ref '../outside_secret.json'"));
  EXPECT_THAT(warnings, HasSubstr("/work/specs/api.yaml:17:49: $ref '/etc/passwd'"));
  EXPECT_THAT(warnings, HasSubstr("GET /secret: response body incomplete: REF_OUTSIDE_ROOT"));
  EXPECT_THAT(warnings, Not(HasSubstr(kCanary)));
  EXPECT_TRUE(service->Stop().ok());
}

}  // namespace
}  // namespace verity::mock
