#include "derive/heal.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "base/strings.h"
#include "derive/collections.h"
#include "derive/links.h"
#include "derive/shapes.h"
#include "doc/parser.h"
#include "run/outcome.h"

namespace verity::derive {
namespace {

// Whether `name` occurs in `text` as a whole word: `name` in "name is required" or
// {"errors":{"name":…}}, not in "username".
bool NamesWord(std::string_view text, std::string_view name) {
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
    bool starts = at == 0 || !word(text[at - 1]);
    size_t end = at + name.size();
    if (starts && (end == text.size() || !word(text[end]))) return true;
  }
  return false;
}

std::string Quoted(const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  for (const std::string& n : names) quoted.push_back("`" + n + "`");
  return Join(quoted, ", ");
}

// Every member of a JSON value, at any depth, by name: the first of each name.
void MembersOf(const Json& value, std::map<std::string, const Json*>* out) {
  if (value.is_array()) {
    for (const Json& item : value) MembersOf(item, out);
    return;
  }
  if (!value.is_object()) return;
  for (const auto& [key, member] : value.items()) {
    out->emplace(key, &member);
    MembersOf(member, out);
  }
}

// The members of the body sent whose type the answer says is wrong, and the type it wants. A
// member whose value is a template is left alone: it is another step's value.
std::map<std::string, std::string> Coercions(std::string_view answer, const std::string& sent) {
  std::map<std::string, std::string> out;
  Json body = Json::parse(sent, nullptr, false);
  if (body.is_discarded()) return out;
  std::map<std::string, const Json*> members;
  MembersOf(body, &members);
  for (const auto& [name, value] : members) {
    if (value->is_string() && value->get<std::string>().find("{{") != std::string::npos) continue;
    std::string wanted = TypeNamedFor(answer, name);
    std::string has = JsonTypeName(*value);
    if (wanted.empty() || wanted == has || (wanted == "number" && has == "integer")) continue;
    out[name] = wanted;
  }
  return out;
}

std::string DescribeTry(const run::HealAttempt& t) {
  std::string status = t.http_status ? std::to_string(t.http_status) + " " : "";
  return fmt::format("{}: {}{}", t.change, status, t.reason);
}

}  // namespace

std::string TypeNamedFor(std::string_view answer, std::string_view field) {
  static const std::vector<std::pair<std::string_view, std::string_view>> kWords = {
      {"integer", "integer"}, {"int", "integer"},    {"number", "number"}, {"numeric", "number"},
      {"float", "number"},    {"decimal", "number"}, {"string", "string"}, {"boolean", "boolean"},
      {"bool", "boolean"},    {"array", "array"},    {"list", "array"}};
  std::string text = ToLower(answer);
  std::string name = ToLower(field);
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  auto whole = [&](size_t at, size_t size) {
    return (at == 0 || !word(text[at - 1])) && (at + size == text.size() || !word(text[at + size]));
  };
  // Answers say "amount must be an integer" more often than "expected integer for amount": a
  // type word after the field wins over one before it.
  std::string after, before;
  size_t after_distance = 81, before_distance = 41;
  for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
    if (!whole(at, name.size())) continue;
    size_t from = at > 40 ? at - 40 : 0;
    size_t to = std::min(text.size(), at + name.size() + 80);
    for (const auto& [type_word, type] : kWords) {
      for (size_t w = text.find(type_word, from); w != std::string::npos && w < to;
           w = text.find(type_word, w + 1)) {
        if (!whole(w, type_word.size())) continue;
        if (w > at && w - at < after_distance) {
          after_distance = w - at;
          after = type;
        } else if (w < at && at - w < before_distance) {
          before_distance = at - w;
          before = type;
        }
      }
    }
  }
  std::string best = after.empty() ? before : after;
  return best;
}

SpecHealer::SpecHealer(std::shared_ptr<spec::Catalog> catalog, DeriveOptions options,
                       const std::vector<DerivedRecipe>& recipes, HealSettings settings)
    : catalog_(std::move(catalog)),
      collections_(std::make_unique<CollectionIndex>(*catalog_)),
      links_(std::make_unique<LinkIndex>(*catalog_)),
      base_(std::move(options)),
      settings_(std::move(settings)) {
  // Every rebuild reads the same catalog: its collections and links are indexed once here, not
  // once per try.
  base_.collections = collections_.get();
  base_.links = links_.get();
  for (const DerivedRecipe& r : recipes) {
    State state;
    state.options = base_;
    state.options.variant = r.variant;
    state.recipe = r;
    states_.emplace(r.endpoint, std::move(state));
  }
}

SpecHealer::~SpecHealer() = default;

const DerivedRecipe* SpecHealer::Latest(const std::string& endpoint) const {
  auto it = states_.find(endpoint);
  return it == states_.end() ? nullptr : &it->second.recipe;
}

run::HealDecision SpecHealer::Heal(const doc::Document& document, const run::DocumentResult& result,
                                   const std::vector<run::HealAttempt>& tries) {
  run::HealDecision decision;
  auto it = states_.find(document.frontmatter.endpoint);
  const spec::Operation* op =
      document.from_spec ? catalog_->FindEndpoint(document.frontmatter.endpoint) : nullptr;
  if (it == states_.end() || op == nullptr) return decision;
  State& state = it->second;
  std::optional<Change> change = Choose(*op, state, result, &decision);
  if (!change) return decision;
  // One try is no heal at all (`--heal-tries 1`): the document keeps why it failed.
  if (settings_.max_tries <= 1) return decision;
  if (static_cast<int>(tries.size()) + 1 > settings_.max_tries) {
    std::vector<std::string> listed;
    for (const run::HealAttempt& t : tries) listed.push_back(DescribeTry(t));
    decision.reason = std::string(run::reason::kHealExhausted);
    decision.message = fmt::format("{} tries, none passed ({}); the next would have been: {}",
                                   tries.size(), Join(listed, "; "), change->description);
    return decision;
  }
  Result<DerivedRecipe> rebuilt = DeriveRecipe(*op, *catalog_, change->options);
  if (!rebuilt.ok()) return decision;
  doc::Document next = doc::ParseDocument(rebuilt->text, document.file);
  next.from_spec = true;
  state.options = change->options;
  state.recipe = std::move(rebuilt).value();
  decision.next = std::make_shared<const doc::Document>(std::move(next));
  decision.change = change->description;
  return decision;
}

std::optional<SpecHealer::Change> SpecHealer::Choose(const spec::Operation& op, State& state,
                                                     const run::DocumentResult& result,
                                                     run::HealDecision* settle) {
  namespace reason = run::reason;
  const run::StepResult* failed = run::FailedStep(result.steps);
  if (failed == nullptr) return std::nullopt;
  int status = failed->response ? failed->response->status : 0;
  bool on_test = failed->section == "test_request";
  auto with = [&](std::string description, auto&& edit) {
    Change change{std::move(description), state.options};
    edit(change.options);
    return std::optional<Change>(std::move(change));
  };
  bool fallback_left = settings_.has_fallback && !state.options.use_fallback;
  // The operation's security names a scheme the environment has no credential for (one the spec
  // never defines, often): another credential it does configure may be what the API takes.
  if (failed->reason == reason::kMissingToken && !failed->request)
    return NextCredential(op, state, " (the environment configures none of the operation's)");
  if (status == 401 || status == 403) {
    if (!failed->token_type.empty()) state.credentials_tried.insert(failed->token_type);
    if (std::optional<Change> next = NextCredential(op, state, fmt::format(" after a {}", status)))
      return next;
    // Some gateways refuse a credential on one base URL that the other takes: on the fallback,
    // the credentials are tried again from the one the recipe was built with.
    if (fallback_left) {
      state.credentials_tried.clear();
      return with("the fallback base URL", [&](DeriveOptions& o) {
        o.use_fallback = true;
        o.credential = base_.credential;
      });
    }
    settle->reason = std::string(reason::kAuthRefused);
    std::vector<std::string> tried(state.credentials_tried.begin(), state.credentials_tried.end());
    settle->message =
        fmt::format("{} from {}: refused with every credential tried ({}){}", status,
                    failed->endpoint, tried.empty() ? "none was sent" : Join(tried, ", "),
                    settings_.has_fallback ? ", on the primary and the fallback base URL" : "");
    return std::nullopt;
  }
  if (status == 404 && fallback_left)
    return with("the fallback base URL", [](DeriveOptions& o) { o.use_fallback = true; });
  // The item is there, but the API knows it by its other id.
  if (status == 404 && on_test) return SwapIds(state);
  if ((status == 400 || status == 422) && on_test) {
    std::string answer = failed->response->body + " " + failed->message;
    std::vector<std::string> named, left;
    for (const std::string& field : OptionalFields(op, *catalog_)) {
      if (state.options.include.count(field)) continue;
      left.push_back(field);
      if (NamesWord(answer, field)) named.push_back(field);
    }
    if (!named.empty()) {
      return with(Quoted(named) + " added, which the answer names",
                  [&](DeriveOptions& o) { o.include.insert(named.begin(), named.end()); });
    }
    std::map<std::string, std::string> coerce =
        Coercions(answer, failed->request ? failed->request->body : "");
    if (!coerce.empty()) {
      std::vector<std::string> said;
      for (const auto& [name, type] : coerce) said.push_back(fmt::format("`{}` as {}", name, type));
      return with(Join(said, ", ") + ", as the answer says", [&](DeriveOptions& o) {
        for (const auto& [name, type] : coerce) o.coerce[name] = type;
      });
    }
    if (std::optional<Change> swap = SwapIds(state)) return swap;
    if (std::optional<Change> other = OtherProducerForNamed(state, answer)) return other;
    if (!left.empty() && !state.all_optional_tried) {
      state.all_optional_tried = true;
      return with("every optional parameter and member added (" + Quoted(left) + ")",
                  [&](DeriveOptions& o) { o.include.insert(left.begin(), left.end()); });
    }
    settle->reason = std::string(reason::kRequestRejected);
    settle->message = fmt::format(
        "{} from {}: the server refused the request built from the "
        "spec: {}",
        status, failed->endpoint, Abbreviate(Trim(failed->response->body), 300));
    return std::nullopt;
  }
  if (status == 409 && on_test && !state.options.fresh_values)
    return with("fresh values", [](DeriveOptions& o) { o.fresh_values = true; });
  if (failed->section != "prerequisites") return std::nullopt;
  settle->reason = std::string(reason::kProducerFailed);
  settle->message = fmt::format("the producer {} (step \"{}\") failed: {}: {}", failed->endpoint,
                                failed->id, failed->reason, failed->message);
  // An empty list, an id the answer does not hold: the next candidate may give one (with writes
  // allowed, a create). When there is none, the rebuild fails and PRODUCER_FAILED stands.
  const std::vector<std::string>& steps = state.recipe.producer_steps;
  auto at = std::find(steps.begin(), steps.end(), failed->id);
  if (at == steps.end() || status >= 500) return std::nullopt;
  const std::string& producer = state.recipe.producers[static_cast<size_t>(at - steps.begin())];
  return with("another producer than " + producer,
              [&](DeriveOptions& o) { o.avoid_producers.insert(producer); });
}

// The other id of the items the producers read (`uid` for `id`), once.
std::optional<SpecHealer::Change> SpecHealer::SwapIds(State& state) {
  if (state.ids_swapped || state.recipe.id_choices.empty()) return std::nullopt;
  state.ids_swapped = true;
  Change change{"", state.options};
  std::vector<std::string> said;
  for (const IdChoice& choice : state.recipe.id_choices) {
    change.options.swap_ids.insert(choice.variable);
    said.push_back(fmt::format("`{}` read from `{}` instead of `{}`", choice.variable, choice.other,
                               choice.field));
  }
  change.description = Join(said, ", ");
  return change;
}

// A value the answer names ("client_id is invalid") that a producer gave: the API may not take
// an id from there (a list of another owner's items), so the next candidate gives it.
std::optional<SpecHealer::Change> SpecHealer::OtherProducerForNamed(State& state,
                                                                    std::string_view answer) {
  for (const ValueSource& value : state.recipe.sources) {
    if (value.source != "producer") continue;
    std::string field = value.name.substr(value.name.rfind('.') + 1);  // booking.client_id
    std::string producer = value.detail.substr(0, value.detail.find(" → "));
    if (!NamesWord(answer, field) || state.options.avoid_producers.count(producer)) continue;
    Change change{
        fmt::format("another producer than {} for `{}`, which the answer names", producer, field),
        state.options};
    change.options.avoid_producers.insert(producer);
    return change;
  }
  return std::nullopt;
}

// The next credential to try after a refusal: the operation's own security schemes that the
// environment configures first, then every other credential it configures.
std::optional<SpecHealer::Change> SpecHealer::NextCredential(const spec::Operation& op,
                                                             State& state, const std::string& why) {
  std::vector<std::string> order;
  for (const spec::SecurityAlternative& alternative : op.auth.alternatives)
    if (alternative.size() == 1) order.push_back(alternative[0].name);
  for (const std::string& name : settings_.credentials) order.push_back(name);
  for (const std::string& name : order) {
    bool configured = std::find(settings_.credentials.begin(), settings_.credentials.end(), name) !=
                      settings_.credentials.end();
    if (!configured || state.credentials_tried.count(name)) continue;
    state.credentials_tried.insert(name);
    Change change{fmt::format("credential `{}`{}", name, why), state.options};
    change.options.credential = name;
    return change;
  }
  return std::nullopt;
}

}  // namespace verity::derive
