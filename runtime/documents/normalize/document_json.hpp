#pragma once
// JSON rendering of documents for `capguard normalize` (and anyone printing a Value tree for
// people): pretty, 2-space indent, map keys in the Value's own order (the schema's order for
// workloads), so output is stable and diffs well. Sizes print as integers of bytes, durations
// as integers of nanoseconds, capability masks as arrays of names in number order.

#include <string>

#include <nlohmann/json.hpp>

#include "lang/core/value.hpp"

namespace capguard::normalize {

nlohmann::ordered_json to_json(const Value& v);

// Pretty text ending in a newline.
std::string to_pretty_json(const Value& v);

}  // namespace capguard::normalize
