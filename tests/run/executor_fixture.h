// A knowledge base in memory, a scripted transport and fake time: the executor's whole world
// without a network, a clock or a disk, so every rule is tested exactly and instantly.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/random.h"
#include "doc/parser.h"
#include "http/fake_transport.h"
#include "kb/knowledge_base.h"
#include "run/executor.h"
#include "run/plan.h"
#include "run/ticker.h"
#include "support/memory_file_system.h"

namespace verity::run::testing {

inline constexpr const char* kPrimary = "https://primary.test";
inline constexpr const char* kFallback = "https://fallback.test";
inline constexpr const char* kStaffSecret = "staff-secret-0123456789abcdef";
inline constexpr const char* kDirectorySecret = "directory-secret-0123456789";

inline http::HttpOutcome Reply(int status, std::string body = "{}", http::Headers headers = {}) {
  http::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

/// Forwards to a FakeTransport the test keeps for its script and its log: what a session's
/// transport factory (run/session.h) hands out, as the session owns the transport it is given.
struct ForwardTransport : http::Transport {
  explicit ForwardTransport(http::FakeTransport& to) : to(to) {}
  void Submit(http::HttpRequest r, Callback done) override {
    to.Submit(std::move(r), std::move(done));
  }
  size_t Run(TimePoint deadline) override { return to.Run(deadline); }
  void ShortenDeadline(TimePoint deadline) override { to.ShortenDeadline(deadline); }
  void Cancel(std::string_view tag) override { to.Cancel(tag); }
  void CancelAll() override { to.CancelAll(); }
  size_t Pending() const override { return to.Pending(); }
  http::FakeTransport& to;
};

class ExecutorTest : public ::testing::Test {
 protected:
  ExecutorTest() {
    settings.environment = "test";
    settings.base_url = kPrimary;
    settings.fallback_url = kFallback;
    settings.params = {{"business_id", "biz1"}};
    settings.tokens["staff"].value = kStaffSecret;
    settings.tokens["staff"].scheme = AuthScheme::kBearer;
    settings.tokens["directory"].value = kDirectorySecret;
    settings.tokens["directory"].scheme = AuthScheme::kBearer;
    // The world of a knowledge base written for one API's conventions (run/config.h).
    settings.default_token = "staff";
    settings.conventions.vcita = true;
    settings.rate_limit = *RateLimitPreset("off");
    settings.retry.jitter = false;
  }

  /// Adds a document at kb/<name> (written to the memory file system too, for write-back).
  void AddDoc(const std::string& name, const std::string& text) {
    std::string path = "kb/" + name;
    fs.Add(path, text);
    kb.documents.push_back(doc::ParseDocument(text, path));
    ASSERT_FALSE(kb.documents.back().has_errors())
        << name << ": "
        << (kb.documents.back().diagnostics.empty() ? ""
                                                    : kb.documents.back().diagnostics[0].message);
  }

  RunResult RunAll(Selection selection = {}) {
    kb.roots = {"kb"};
    kb.confinement = PathRoots::OfRealPaths({"kb"});
    auto plan = MakePlan(kb, selection);
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    http::Transport* sender = dry_run ? static_cast<http::Transport*>(dry_run.get()) : &transport;
    ExecutorServices services{sender, &ticker, &clock, &random, &bus, &fs, healer};
    Executor executor(settings, kb, catalog, services);
    return executor.Run(*plan);
  }

  // By value: callers pass the temporary RunAll() returns.
  DocumentResult Only(const RunResult& result) {
    EXPECT_EQ(result.documents.size(), 1u);
    return result.documents.at(0);
  }

  RunSettings settings;
  kb::KnowledgeBase kb;
  spec::Catalog* catalog = nullptr;
  Healer* healer = nullptr;
  http::FakeTransport transport;
  /// Set (http::DryRunTransport()): RunAll is a dry run, as run::Session makes one.
  std::unique_ptr<http::FakeTransport> dry_run;
  FakeTicker ticker{1000};
  FakeClock clock{1767225600000};  // 2026-01-01T00:00:00Z
  SeededRandom random{7};
  EventBus bus;
  verity::testing::MemoryFileSystem fs;
};

/// The seed document of the knowledge base, verbatim in shape: three prerequisites, one test
/// request, fallback required.
std::string SeedDocument(bool use_fallback = true);

/// Scripts the seed's world: the primary answers 401 on /business/payments/v1/* whatever the
/// token; the fallback serves clients, packages and client packages.
void ScriptSeedWorld(http::FakeTransport& transport);

}  // namespace verity::run::testing
