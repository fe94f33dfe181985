// What the responder knows about one operation; shared by its preparation (responder_prepare.cc)
// and its serving (responder.cc).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mock/error_answer.h"
#include "mock/responder.h"

namespace verity::mock {

struct Responder::Route {
  const spec::Operation* operation = nullptr;
  spec::PathTemplate path;
  std::vector<std::string> param_names;  // of the whole-segment placeholders, in order
  RequestShape request;
  int error_status = 400;
  std::optional<ErrorShape> error_shape;         // the documented body for error_status, if any
  bool checks_security = false;                  // check_security is on and the operation needs one
  std::optional<ErrorShape> unauthorized_shape;  // the documented 401 body, if any
  std::optional<ErrorShape> not_found_shape;     // the documented 404 body, if any

  spec::SchemaRef response_schema;  // of the success status's JSON body; may be empty
  bool has_body = false;
  bool body_whole = false;    // has_body, and nothing of its schema was left out
  Json response;              // the template
  std::string response_text;  // the template serialized once
  std::optional<Slot> slot;
  Json slot_item;  // the template's resource at the slot: replacement values for repairs
  /// The member of the slot's resource that names the id otherwise than the collection does
  /// (`{"silenceID": …}` answering a create whose items read back with `id`); empty when none.
  std::string id_alias;

  /// Where the knowledge base's verified recipes read this operation's answers.
  std::vector<HintPath> hints;
  size_t collection = kNoRoute;  // in the store, for every kind but kOther
  OperationPlan plan;
};

/// A body for the wire: invalid UTF-8 (a made-up id from a percent-encoded path) is replaced
/// rather than thrown about.
inline std::string Serialize(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace verity::mock
