// Credentials obtained at run time (docs/auth.md, "Tokens obtained at run time"): an OAuth2 token
// request or a login recipe, run when a request first needs the credential, again when it nears
// its expiry, and again when the API answers 401 saying the token was refused.
//
// One fetch per credential: the executor is one thread, so a document that needs a credential
// being fetched is parked on it (TokenState::waiters) and resumed when the fetch ends, through a
// timer, never from inside the code that ended it. The token request is not a step of the plan:
// it goes through the run's transport but not its rate limiter (the token server is not the API
// under test), and no result, event or report holds it. Tokens join the redactor the moment they
// arrive.
#include <fmt/format.h>

#include "base/strings.h"
#include "run/executor_internal.h"
#include "run/fixtures.h"
#include "run/token_request.h"

namespace verity::run {

void Executor::Impl::ExpireTokens() {
  int64_t now = svc.ticker->NowMs();
  for (auto& [type, state] : tokens) {
    if (state.fetching || !state.refresh_at_ms || now < *state.refresh_at_ms) continue;
    settings.tokens.at(type).value.clear();
    state.refresh_at_ms.reset();
  }
}

bool Executor::Impl::AwaitToken(DocRun& run, const std::string& type) {
  if (run.obtaining == type) {
    const Credential& credential = settings.tokens.at(type);
    FailStep(run, Outcome::kFail, reason::kMissingToken,
             fmt::format("the login recipe of tokens.{} needs the {} token itself", type, type),
             fmt::format("give the steps of {} another credential, or token: none",
                         credential.obtain->login->recipe));
    return false;
  }
  // Logins that need each other's tokens would wait for each other for ever; one login waiting for
  // an OAuth2 token cannot, as a token request waits for nothing.
  if (!run.obtaining.empty() && settings.tokens.at(type).obtain->login) {
    FailStep(
        run, Outcome::kFail, reason::kMissingToken,
        fmt::format("the login recipe of tokens.{} needs the {} token, which another login "
                    "recipe obtains; a login recipe may use a stored or OAuth2 credential only",
                    run.obtaining, type),
        fmt::format("give the steps of {} another credential, or token: none",
                    settings.tokens.at(run.obtaining).obtain->login->recipe));
    return false;
  }
  TokenState& state = tokens[type];
  if (!state.failure.empty()) {
    FailStep(run, Outcome::kFail, reason::kMissingToken,
             fmt::format("could not obtain the {} token: {}", type, state.failure),
             fmt::format("check tokens.{} in the environment (docs/auth.md)", type));
    return false;
  }
  state.waiters.push_back(&run);
  if (!state.fetching) StartTokenFetch(type);
  return true;
}

void Executor::Impl::StartTokenFetch(const std::string& type) {
  TokenState& state = tokens[type];
  state.fetching = true;
  ++state.fetches;
  const ObtainedBy& obtain = *settings.tokens.at(type).obtain;
  if (settings.dry_run) {
    // Nothing is sent in a dry run, the token request included: a stand-in shows where the
    // token would go.
    return TokenFetched(type, "<" + type + " token>", "", std::nullopt, "");
  }
  if (obtain.login) return FetchLoginToken(type);
  FetchOAuth2Token(type, !state.refresh_token.empty());
}

std::string Executor::Impl::SpecTokenUrl(const std::string& type, std::string* discovery) {
  if (!catalog) return "";
  // The credential stands for the security scheme of its name wherever an operation uses it.
  for (const spec::Operation& op : catalog->operations()) {
    for (const spec::SecurityAlternative& alternative : op.auth.alternatives) {
      for (const spec::SecurityUse& use : alternative) {
        if (use.name != type || !use.scheme) continue;
        if (!use.scheme->token_url.empty()) return use.scheme->token_url;
        if (!use.scheme->openid_connect_url.empty()) *discovery = use.scheme->openid_connect_url;
        if (!discovery->empty()) return "";
      }
    }
  }
  return "";
}

namespace {

// A URL the spec gives relative to the API's server.
std::string Absolute(const std::string& url, const std::string& base) {
  if (url.empty() || StartsWith(url, "http://") || StartsWith(url, "https://")) return url;
  return JoinUrl(base, url);
}

}  // namespace

void Executor::Impl::FetchOAuth2Token(const std::string& type, bool refresh) {
  TokenState& state = tokens[type];
  const ObtainedBy& obtain = *settings.tokens.at(type).obtain;
  std::string discovery;
  if (state.token_url.empty()) {
    state.token_url = !obtain.oauth2->token_url.empty() ? obtain.oauth2->token_url
                                                        : SpecTokenUrl(type, &discovery);
    state.token_url = Absolute(state.token_url, settings.base_url);
  }
  auto timeout = std::chrono::milliseconds(settings.timeout_ms);
  if (state.token_url.empty() && !discovery.empty()) {
    http::HttpRequest request;
    request.url = Absolute(discovery, settings.base_url);
    request.headers = {{"Accept", "application/json"}};
    request.timeout = timeout;
    request.verify_tls = settings.verify_tls;
    request.tag = "token:" + type;
    svc.transport->Submit(std::move(request), [this, type, refresh](http::HttpOutcome outcome) {
      tokens[type].transient = !outcome.ok();
      std::string error;
      std::string endpoint = ReadDiscoveryTokenEndpoint(outcome, &error);
      if (endpoint.empty())
        return TokenFetched(type, "", "", std::nullopt, "OpenID Connect discovery: " + error);
      tokens[type].token_url = endpoint;
      FetchOAuth2Token(type, refresh);
    });
    return;
  }
  if (state.token_url.empty()) {
    return TokenFetched(type, "", "", std::nullopt,
                        "no token URL: the spec has no oauth2 flow with a tokenUrl (nor an "
                        "openIdConnect scheme) named " +
                            type + ", and tokens." + type + ".oauth2.token_url is not set");
  }
  http::HttpRequest request =
      TokenRequest(obtain, state.token_url, refresh ? state.refresh_token : "");
  request.timeout = timeout;
  request.verify_tls = settings.verify_tls;
  request.max_response_bytes = 1 << 20;
  request.tag = "token:" + type;
  svc.transport->Submit(std::move(request), [this, type, refresh](http::HttpOutcome outcome) {
    tokens[type].transient = !outcome.ok();
    TokenAnswer answer = ReadTokenAnswer(outcome);
    if (!answer.error.empty() && refresh && !stopping) {
      // A refresh token the server no longer honours: the grant itself still may be.
      tokens[type].refresh_token.clear();
      return FetchOAuth2Token(type, false);
    }
    std::string error = answer.error.empty() ? ""
                                             : fmt::format("the token request to {} failed: {}",
                                                           tokens[type].token_url, answer.error);
    TokenFetched(type, std::move(answer.access_token), std::move(answer.refresh_token),
                 answer.expires_in_ms, std::move(error));
  });
}

void Executor::Impl::FetchLoginToken(const std::string& type) {
  const LoginRecipe& login = *settings.tokens.at(type).obtain->login;
  const doc::Document* d = ResolveFixture(kb, login.recipe);
  if (!d) {
    return TokenFetched(type, "", "", std::nullopt,
                        fmt::format("the login recipe {}: no document of the knowledge base has "
                                    "that path or endpoint",
                                    Quoted(login.recipe)));
  }
  auto done = [this, type, login](DocumentResult r, Json exports) {
    bool held = r.outcome == Outcome::kPass || r.outcome == Outcome::kWarn;
    if (!held) {
      return TokenFetched(type, "", "", std::nullopt,
                          fmt::format("the login recipe {} did not pass: {}: {}",
                                      Quoted(login.recipe), r.reason, r.message));
    }
    auto token = exports.find(login.token);
    std::string value;
    if (token != exports.end())
      value = token->is_string()   ? token->get<std::string>()
              : token->is_number() ? token->dump()
                                   : "";
    if (value.empty()) {
      return TokenFetched(type, "", "", std::nullopt,
                          fmt::format("the login recipe {} extracted no {} (text)",
                                      Quoted(login.recipe), login.token));
    }
    std::optional<int64_t> life;
    if (!login.expires_in.empty()) {
      auto lifetime = exports.find(login.expires_in);
      if (lifetime != exports.end()) life = LifetimeMs(*lifetime);
    }
    TokenFetched(type, std::move(value), "", life, "");
  };
  RunOutside(*d, "login:" + type, false, done, type);
}

void Executor::Impl::TokenFetched(const std::string& type, std::string token,
                                  std::string refresh_token, std::optional<int64_t> life_ms,
                                  std::string error) {
  TokenState& state = tokens[type];
  // Masked before anything can show them: the answer's own error text included.
  redactor.Add(token);
  redactor.Add(refresh_token);
  state.fetching = false;
  int64_t now = svc.ticker->NowMs();
  if (error.empty()) {
    settings.tokens.at(type).value = std::move(token);
    if (!refresh_token.empty()) state.refresh_token = std::move(refresh_token);
    state.refresh_at_ms.reset();
    // At least a millisecond of use, so the parked documents it was fetched for can send it.
    if (life_ms)
      state.refresh_at_ms = now + std::max<int64_t>(1, *life_ms - RefreshMarginMs(*life_ms));
  }
  std::vector<DocRun*> waiters = std::move(state.waiters);
  state.waiters.clear();
  std::string why = redactor.Redact(error);
  // No answer (a network error, a timeout) may be gone for the next step; an answer that refused
  // stays the answer, and asking again would only repeat it.
  if (!why.empty() && !state.transient && !stopping) state.failure = why;
  state.transient = false;
  // Resumed from the loop, not from here: this may run inside the step that started the fetch.
  ScheduleTimer(now, [this, type, waiters, why] {
    for (DocRun* run : waiters) {
      if (!why.empty() && !stopping) {
        FailStep(*run, Outcome::kFail, reason::kMissingToken,
                 fmt::format("could not obtain the {} token: {}", type, why),
                 fmt::format("check tokens.{} in the environment (docs/auth.md)", type));
        Advance(*run);
      } else if (!PrepareAndSend(*run)) {
        Advance(*run);
      }
    }
  });
}

bool Executor::Impl::CarriesStaleToken(DocRun& run) {
  if (run.obtained_sent.empty()) return false;
  ExpireTokens();
  for (const auto& [type, sent] : run.obtained_sent)
    if (settings.tokens.at(type).value != sent) return true;
  return false;
}

void Executor::Impl::Resend(DocRun& run) {
  if (CarriesStaleToken(run)) {
    if (!PrepareAndSend(run)) Advance(run);
    return;
  }
  Enqueue(run);
}

bool Executor::Impl::ResendWithNewToken(DocRun& run, const http::HttpOutcome& outcome) {
  for (const auto& [type, sent] : run.obtained_sent) {
    Credential& credential = settings.tokens.at(type);
    // Another document's 401 may have replaced it already; then the new one is simply used.
    if (credential.value == sent) {
      credential.value.clear();
      tokens[type].refresh_at_ms.reset();
    }
  }
  Attempt attempt;
  attempt.base = run.prepared.base;
  attempt.status = outcome.response().status;
  attempt.duration_ms = static_cast<double>(svc.ticker->NowMs() - run.attempt_started_ms);
  attempt.retry_reason =
      "401: the API refused the token; a new one was obtained and the step resent";
  run.current.attempts.push_back(std::move(attempt));
  run.token_resent = true;
  if (!PrepareAndSend(run)) Advance(run);
  return true;
}

}  // namespace verity::run
