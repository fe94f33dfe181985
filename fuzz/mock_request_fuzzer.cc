// The mock's request path from raw bytes: the strict request reader (net/request_reader.h), fed in
// pieces whose sizes the input chooses so every state of the incremental reader is split
// somewhere, then each whole request through the behaviour rules (examples/rules/primary.yaml),
// the routing, request validation and the responder over the example API's specs
// (examples/specs), and the answer's framing — what mock::Server does, without sockets or waits.
// A crash, a sanitizer report, a leak or a hang fails the run.
//
// Input: the first 4 bytes are piece sizes (each 1-64, cycled); the rest is the byte stream.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/file_system.h"
#include "mock/responder.h"
#include "mock/rules.h"
#include "net/request_reader.h"
#include "net/response.h"
#include "spec/catalog.h"

namespace {

using namespace verity;

struct Mock {
  Mock() : clock(1'700'000'000'000), catalog(fs) {
    catalog.Add(VERITY_SOURCE_DIR "/examples/specs");
    Result<mock::Rules> rules =
        mock::LoadRules(fs, VERITY_SOURCE_DIR "/examples/rules/primary.yaml");
    if (!rules.ok()) __builtin_trap();
    auto env = [](const std::string& name) -> std::optional<std::string> {
      return name == "VERITY_EXAMPLE_STAFF_TOKEN" ? "staff-token" : "directory-token";
    };
    engine = std::make_unique<mock::RuleEngine>(std::move(*rules), clock,
                                                mock::EngineOptions{.seed = 7, .env = env});
    Renew();
  }
  // The store grows with every POST; a fresh responder now and then keeps memory bounded.
  void Renew() { responder = std::make_unique<mock::Responder>(catalog, mock::ResponderOptions{}); }

  PosixFileSystem fs;
  FakeClock clock;
  spec::Catalog catalog;
  std::unique_ptr<mock::RuleEngine> engine;
  std::unique_ptr<mock::Responder> responder;
  size_t inputs = 0;
};

/// Answers one whole request as mock::Server does; false when the connection would be dropped.
bool Answer(Mock& m, net::Request& request, std::string& out) {
  mock::Decision decision = m.engine->Decide({.method = request.method,
                                              .path = request.path(),
                                              .authorization = request.header("Authorization")});
  if (decision.drop_connection) return false;
  net::Response answer;
  if (decision.response != nullptr) {
    answer.status = decision.response->status;
    for (const auto& [name, value] : decision.response->headers) {
      answer.headers.push_back({name, value});
    }
    answer.body = decision.response->body_text;
  } else {
    mock::MockResponse mocked = m.responder->Respond(
        {.method = request.method, .path = request.target, .query = {}, .body = request.body});
    answer.status = mocked.status;
    for (const auto& [name, value] : mocked.headers) answer.headers.push_back({name, value});
    answer.body = std::move(mocked.body);
  }
  net::AppendAnswer(answer,
                    {.head_request = request.method == "HEAD", .close = !request.keep_alive}, out);
  return request.keep_alive;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Mock* mock = new Mock();  // built once: loading the specs is the slow part
  if (size < 4) return 0;
  if (++mock->inputs % 2000 == 0) mock->Renew();
  size_t pieces[4];
  for (size_t i = 0; i < 4; ++i) pieces[i] = data[i] % 64 + 1;
  std::string_view stream(reinterpret_cast<const char*>(data) + 4, size - 4);

  net::Limits limits;
  limits.max_body_bytes = 4096;  // small, so the fuzzer reaches the limits too
  limits.max_head_bytes = 2048;
  limits.max_headers = 16;
  net::RequestReader reader(limits);
  std::string buffered, out;
  size_t at = 0, turn = 0;
  while (at < stream.size() || !buffered.empty()) {
    if (at < stream.size()) {
      size_t n = std::min(pieces[turn++ % 4], stream.size() - at);
      buffered.append(stream.substr(at, n));
      at += n;
    }
    size_t taken = reader.Consume(buffered);
    if (taken > buffered.size()) __builtin_trap();
    buffered.erase(0, taken);
    if (reader.state() == net::RequestReader::State::kFailed) {
      if (reader.error_status() < 400 || reader.error().empty()) __builtin_trap();
      net::AppendAnswer(net::ErrorResponse(reader.error_status(), reader.error()), {.close = true},
                        out);
      break;
    }
    if (reader.state() == net::RequestReader::State::kDone) {
      net::Request request = std::move(reader.request());
      if (request.body.size() > limits.max_body_bytes) __builtin_trap();
      reader.Reset();
      if (!Answer(*mock, request, out)) break;
    } else if (at == stream.size()) {
      break;  // the rest of the request never comes
    }
  }
  return 0;
}
