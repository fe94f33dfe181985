// run::Session: the one assembly of a run that every front end uses. These tests drive it with the
// executor fixture's world (a knowledge base in memory, a scripted transport) handed over through
// the session's transport factory.
#include "run/session.h"

#include <gtest/gtest.h>

#include "run/executor_fixture.h"

namespace verity::run::testing {
namespace {

class SessionTest : public ExecutorTest {
 protected:
  // The fixture owns the knowledge base; the session borrows it.
  std::shared_ptr<const kb::KnowledgeBase> SharedKb() {
    kb.roots = {"kb"};
    kb.confinement = PathRoots::OfRealPaths({"kb"});
    return std::shared_ptr<const kb::KnowledgeBase>(std::shared_ptr<void>(), &kb);
  }

  /// Hands out the fixture's scripted transport (once) and remembers what it was asked for.
  TransportFactory Scripted() {
    return [this](size_t max_in_flight) -> Result<std::unique_ptr<http::Transport>> {
      asked_in_flight.push_back(max_in_flight);
      return std::unique_ptr<http::Transport>(std::make_unique<ForwardTransport>(transport));
    };
  }

  std::unique_ptr<Session> Make(const RunOptions& options) {
    auto session = Session::Create(settings, options, SharedKb(), nullptr, fs, clock, Scripted());
    EXPECT_TRUE(session.ok()) << session.status().ToString();
    return std::move(*session);
  }

  std::vector<size_t> asked_in_flight;
};

TEST_F(SessionTest, ARealRunSendsThroughTheTransportTheFactoryMade) {
  AddDoc("sales/get-client-package.md", SeedDocument());
  ScriptSeedWorld(transport);
  RunOptions options;
  options.write_back = false;
  std::unique_ptr<Session> session = Make(options);
  RunResult result = session->Run(*MakePlan(kb, {}));
  ASSERT_EQ(result.documents.size(), 1u);
  EXPECT_EQ(result.documents[0].outcome, Outcome::kPass) << result.documents[0].message;
  EXPECT_FALSE(result.summary.dry_run);
  EXPECT_EQ(transport.requests().size(), 4u);
  EXPECT_TRUE(fs.writes().empty()) << "write_back false is honoured";
}

TEST_F(SessionTest, ADryRunIsChosenOnceRecordsMaskedRequestsAndSendsNothing) {
  AddDoc("sales/get-client-package.md", SeedDocument());
  RunOptions options;
  options.dry_run = true;
  std::unique_ptr<Session> session = Make(options);
  EXPECT_TRUE(asked_in_flight.empty()) << "a dry run never makes a real transport";
  RunResult result = session->Run(*MakePlan(kb, {}));
  EXPECT_TRUE(result.summary.dry_run);
  EXPECT_TRUE(transport.requests().empty());
  ASSERT_EQ(result.documents.size(), 1u);
  const DocumentResult& d = result.documents[0];
  EXPECT_EQ(d.outcome, Outcome::kSkip);
  EXPECT_EQ(d.reason, "DRY_RUN");
  ASSERT_EQ(d.steps.size(), 4u);
  for (const StepResult& s : d.steps) {
    EXPECT_EQ(s.reason, "DRY_RUN") << s.id;
    ASSERT_TRUE(s.request) << s.id;
    EXPECT_TRUE(s.attempts.empty()) << "nothing was attempted";
    for (const auto& [name, value] : s.request->headers)
      EXPECT_EQ(value.find(kStaffSecret), std::string::npos);
  }
  EXPECT_TRUE(fs.writes().empty());
}

TEST_F(SessionTest, ConcurrencyIsTheAskedValueElseTheRateLimitsInFlightCapElseEight) {
  RunOptions asked;
  asked.concurrency = 5;
  EXPECT_EQ(Make(asked)->settings().concurrency, 5u);

  RunOptions limited;
  limited.rate_limit = *ParseRateLimit("rps=10,in_flight=4");
  EXPECT_EQ(Make(limited)->settings().concurrency, 4u);

  RunOptions unlimited;
  unlimited.rate_limit = *RateLimitPreset("off");
  EXPECT_EQ(Make(unlimited)->settings().concurrency, 8u);

  EXPECT_EQ(asked_in_flight, (std::vector<size_t>{5, 4, 8}))
      << "the transport is made for the run's concurrency";
}

TEST_F(SessionTest, AStopBeforeTheRunStartsLeavesEveryDocumentNotRun) {
  AddDoc("sales/get-client-package.md", SeedDocument());
  std::unique_ptr<Session> session = Make(RunOptions{});
  session->Stop();
  RunResult result = session->Run(*MakePlan(kb, {}));
  ASSERT_EQ(result.documents.size(), 1u);
  EXPECT_EQ(result.documents[0].outcome, Outcome::kSkip);
  EXPECT_EQ(result.documents[0].reason, "NOT_RUN");
  EXPECT_TRUE(result.summary.stopped);
  EXPECT_TRUE(transport.requests().empty());
}

}  // namespace
}  // namespace verity::run::testing
