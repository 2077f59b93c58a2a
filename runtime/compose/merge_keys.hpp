#pragma once
// The identities that the Compose merge rules use to match sequence items of two files
// (runtime/compose/merge.hpp), and the reading of `KEY=VALUE` lists as mappings.

#include <optional>
#include <string>

#include "lang/value.hpp"

namespace capguard {

// The unique key of an item of a service's `ports`, `volumes`, `devices`, `secrets` or
// `configs`: nullopt when `attribute` has no such rule or the item has no key.
std::optional<std::string> unique_item_key(const std::string& attribute, const Value& item);

// A `KEY=VALUE` list (environment, labels...) as a map: "K=V" -> K: "V", "K" -> K: null;
// `separators` are the characters that may split key and value (extra_hosts also takes ':').
// A map is returned as it is; anything else yields nullopt.
std::optional<Value> key_value_map(const Value& v, const std::string& separators = "=");

}  // namespace capguard
