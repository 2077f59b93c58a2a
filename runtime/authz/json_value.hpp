#pragma once
// JSON text into a Value tree, for request bodies: objects become maps (document order kept),
// integers that fit int64 become integers, other numbers doubles. Values carry no span: a request
// has no file.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "lang/core/value.hpp"

namespace capguard::authz {

// The tree of `json`.
Value json_to_value(const nlohmann::ordered_json& json);

// Parses `text`; false with `error` set when it is not JSON, nests deeper than 128 levels or
// repeats a key within one object.
bool parse_json_value(std::string_view text, Value& out, std::string& error);

}  // namespace capguard::authz
