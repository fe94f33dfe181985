// Healing a request built from the spec: when such a document fails, a Healer may give another
// version of it, rebuilt with what the failure taught (another credential, the fallback base URL,
// a field the server asked for, fresh unique values), and the executor runs that version in its
// place. Every try is one more run of an ordinary document: the same request path, the rate
// limiter, retries, the deadline and the cleanup of what each try created. What finally passes is
// a document that passes as written, so a draft of it passes unchanged.
//
// Only a document built from the spec (doc::Document::from_spec) is healed, and only after an
// answer came: a try that timed out after sending may have had its effect, and trying a
// non-idempotent request again could do it twice. The healer bounds the tries; the executor
// records each one in DocumentResult::heal_attempts.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "doc/model.h"
#include "run/result.h"

namespace verity::run {

/// What to do after a document built from the spec failed.
struct HealDecision {
  /// The version to run next, or null when there is nothing left to try.
  std::shared_ptr<const doc::Document> next;
  /// What `next` changes, one line ("credential `api_key`").
  std::string change;
  /// With no `next`: the reason and message the document ends with instead of its own, when the
  /// healer knows better why it cannot pass (AUTH_REFUSED, HEAL_EXHAUSTED, …); empty: its own.
  std::string reason;
  std::string message;
};

class Healer {
 public:
  virtual ~Healer() = default;
  /// Called on the executor's thread for each failed try of `document`; `tries` holds every try
  /// so far, this one last. Must not keep references to `result`.
  virtual HealDecision Heal(const doc::Document& document, const DocumentResult& result,
                            const std::vector<HealAttempt>& tries) = 0;
};

}  // namespace verity::run
