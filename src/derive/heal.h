// The healer of requests built from the spec (run/heal.h): after a failed try, the recipe is
// built again with what the answer taught, and the new text is what runs next and what a draft
// holds. One change per try, chosen from the failing step's answer:
// - 401 or 403: the next credential the environment configures, the operation's own security
//   schemes first; when none is left, the fallback base URL if there is one; else AUTH_REFUSED,
//   with the credentials tried.
// - 400 or 422 from the operation under test: the optional parameters and body members the
//   server's answer names; else the members of the body sent whose type the answer says is
//   wrong, sent as that type ("amount must be an integer": 42, not "42"); else, once, the other
//   id of the items the producers read (`uid` for `id`); else the next candidate producer of a
//   value the answer names; failing that, once, every optional field; else REQUEST_REJECTED
//   with the server's message.
// - 404 on the primary base URL: the fallback base URL, when the environment has one; from the
//   operation under test with no fallback left, once, the other id of the items the producers
//   read.
// - MISSING_TOKEN (the operation's security names only schemes the environment does not
//   configure): the environment's credentials, its default first.
// - 409 from the operation under test: fresh values (made-up strings end in `{{unique_id}}`).
// - A producer (prerequisite) that failed otherwise (an empty list, an id its answer lacks): the
//   next candidate producer; when none is left, PRODUCER_FAILED, naming it.
// The tries are bounded (`max_tries`, the first included): a document that would need one more
// ends as HEAL_EXHAUSTED, its tries listed. Anything else (a 500, a schema mismatch, a timeout)
// is not healed: another try would not change it, or could repeat an effect.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "derive/recipe.h"
#include "run/heal.h"
#include "spec/catalog.h"

namespace verity::derive {

struct HealSettings {
  /// The credential names the environment configures (never their values), in its order.
  std::vector<std::string> credentials;
  bool has_fallback = false;
  /// Tries per operation, the first included.
  int max_tries = 4;
};

/// The JSON type a server's answer says `field` must have ("amount must be an integer"): the
/// type word nearest to where it names the field, within a short reach; empty when none.
std::string TypeNamedFor(std::string_view answer, std::string_view field);

class SpecHealer : public run::Healer {
 public:
  /// `recipes`: those the run starts with, each built with `options` and its own variant.
  SpecHealer(std::shared_ptr<spec::Catalog> catalog, DeriveOptions options,
             const std::vector<DerivedRecipe>& recipes, HealSettings settings);
  ~SpecHealer() override;

  run::HealDecision Heal(const doc::Document& document, const run::DocumentResult& result,
                         const std::vector<run::HealAttempt>& tries) override;

  /// The recipe of `endpoint` that ran last: the one a draft must hold. Null when unknown.
  const DerivedRecipe* Latest(const std::string& endpoint) const;

 private:
  struct State {
    DeriveOptions options;
    DerivedRecipe recipe;
    std::set<std::string> credentials_tried;
    bool all_optional_tried = false;
    bool ids_swapped = false;
  };
  struct Change {
    std::string description;
    DeriveOptions options;
  };
  /// The change a failed try calls for, or nullopt with `settle` set to the reason to end with.
  std::optional<Change> Choose(const spec::Operation& op, State& state,
                               const run::DocumentResult& result, run::HealDecision* settle);
  std::optional<Change> SwapIds(State& state);
  std::optional<Change> OtherProducerForNamed(State& state, std::string_view answer);
  std::optional<Change> NextCredential(const spec::Operation& op, State& state,
                                       const std::string& why);

  std::shared_ptr<spec::Catalog> catalog_;
  std::unique_ptr<CollectionIndex> collections_;
  std::unique_ptr<LinkIndex> links_;
  DeriveOptions base_;
  HealSettings settings_;
  std::map<std::string, State> states_;
};

}  // namespace verity::derive
