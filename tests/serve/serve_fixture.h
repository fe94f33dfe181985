// The dashboard over real HTTP on 127.0.0.1, in-process: a knowledge base in memory holding the
// seed document, the spec it names, the seed's world (tests/run/seed_world_server.h) as the API,
// a history in memory, and helpers for JSON requests and event streams.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/json.h"
#include "net/serving.h"
#include "run/executor_fixture.h"
#include "run/seed_world_server.h"
#include "serve/dashboard.h"
#include "serve/server.h"
#include "support/memory_file_system.h"
#include "support/paths.h"

namespace verity::serve::testing {

inline constexpr char kSeedFile[] = "kb/sales/get-client-package.md";
inline constexpr char kSeedEndpoint[] = "GET /business/payments/v1/client_packages/{uid}";

struct Frame {
  uint64_t id = 0;
  std::string name;
  Json data;
};

/// Frames parsed from Server-Sent Events text; a partial last frame is left in `buffer`.
std::vector<Frame> TakeFrames(std::string& buffer);

class ServeTest : public ::testing::Test {
 protected:
  ServeTest();
  ~ServeTest() override;

  /// Starts the dashboard and its server; `auth_token` empty for none. `with_spec` loads the
  /// example's payments spec, which the seed's world does not answer to the letter: runs are
  /// only checked without it.
  void Start(const std::string& auth_token = "", bool with_spec = false);

  httplib::Client Client() const;
  static httplib::Headers Csrf() { return {{"X-Verity-CSRF", "1"}}; }
  /// POST with the CSRF header and a JSON body.
  httplib::Result Post(const std::string& path, const Json& body = Json::object(),
                       httplib::Headers headers = Csrf()) const;
  Json GetJson(const std::string& path, int expected_status = 200) const;

  /// Reads the event stream (from `last_event_id`) until a frame named `until` arrives or 20 s
  /// pass; returns the frames read.
  std::vector<Frame> ReadEvents(const std::string& until, uint64_t last_event_id = 0) const;
  /// Starts a run of everything and waits for its end; returns the run id.
  std::string RunToTheEnd(const Json& body = Json::object());

  /// Called on the dashboard's configuration just before Start() creates the dashboard.
  std::function<void(DashboardConfig&)> adjust_config_;

  run::testing::SeedWorldServer world_;
  ::verity::testing::MemoryFileSystem fs_;
  SystemClock clock_;
  std::unique_ptr<Dashboard> dashboard_;
  std::unique_ptr<Server> server_;
  net::ServingThread serving_;
};

}  // namespace verity::serve::testing
