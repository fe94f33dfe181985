#!/usr/bin/env bash
# Prints the ctest regular expression of the tests that use threads, the ones tools/test.sh runs
# under ThreadSanitizer. A suite joins by being named here.
suites=(
  # the runner: libcurl's multi loop, live servers, in-process CLI runs
  CurlTransportTest LiveRunTest RunCliTest ScanFallbackCliTest FallbackScanTest ExecutorTest
  TokenLifecycleTest LoginRecipeTest OAuthLifecycle AlertmanagerEndToEnd
  # the mock: its server, connection handling and service thread, shared state under load
  MockServerTest MockServiceTest ConnectionTest MockRulesConcurrency MockStore MockResponder
  MockDefenceTest MockOutsideRef MockProxy MockProxyEndToEnd
  # the HTTP/1.1 server under both: epoll set, workers, timeouts, caps
  NetServerTest ServingThread
  # the dashboard, its event stream and the history it records
  ServeTest EventLog History HistoryRecorder
  # parallel loading and locked updates of the knowledge base
  BadInput UpdateDocument CreateDocument Index Lint Search CatalogCorpus
  # one compiled JSONPath evaluated from several threads (its member-position hints)
  JsonPathEval
  # processes and servers started by the tests
  Hostile HostileTable HostileRunner CanaryTest MockCliTest WriteBackOsTest
)
regex=$(IFS='|'; echo "${suites[*]}")
echo "^(${regex})[./]"
