#pragma once
// Reading typed fields out of raw document values (a compose service mapping, a docker inspect
// object) the way Compose and Docker read them, with a diagnostic at the value's FILE:LINE:COL
// when a known field has the wrong type. Every reader returns nullopt after reporting; callers
// then leave the field at its default so that one bad field does not hide the others' errors.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lang/core/diagnostics.hpp"
#include "lang/core/value.hpp"

namespace capguard::normalize {

// Reports "FIELD: expected WHAT, got KIND VALUE" at the value's span.
void type_error(Diagnostics& diags, const Value& v, std::string_view field, std::string_view what);

// A short rendering of a scalar for messages: `"maybe"`, `12`, `a list`.
std::string describe(const Value& v);

// Compose booleans: YAML booleans, or the strings y/yes/true/on and n/no/false/off in any case
// (interpolated values arrive as strings).
std::optional<bool> read_bool(const Value& v, std::string_view field, Diagnostics& diags);

// Go's strconv.ParseBool: 1 t T TRUE true True / 0 f F FALSE false False.
std::optional<bool> parse_go_bool(std::string_view text);

// An integer, or a string holding one (decimal, optional sign).
std::optional<int64_t> read_int(const Value& v, std::string_view field, Diagnostics& diags);
std::optional<int64_t> parse_int(std::string_view text);

// A number (int or float), or a string holding one.
std::optional<double> read_number(const Value& v, std::string_view field, Diagnostics& diags);

// A string; ints, floats and booleans are accepted and converted to their text, as compose does
// for fields such as `user: 1000`.
std::optional<std::string> read_string(const Value& v, std::string_view field, Diagnostics& diags);
// The scalar text of a value (strings bare, numbers and booleans as written), nullopt when the
// value is a null, list or map.
std::optional<std::string> scalar_text(const Value& v);

// Bytes: an integer, or a Docker size string ("256m", "1.5g").
std::optional<int64_t> read_size(const Value& v, std::string_view field, Diagnostics& diags);
// Nanoseconds: a Go duration string ("30s", "1m30s"), or an integer of nanoseconds (inspect).
std::optional<int64_t> read_duration(const Value& v, std::string_view field, Diagnostics& diags);

// A sequence of scalars; a single string is accepted as a one-item list when `allow_single`.
// Each item keeps its own span. Non-scalar items are reported and skipped.
std::optional<std::vector<Value>> read_string_list(const Value& v, std::string_view field,
                                                   Diagnostics& diags, bool allow_single = false);

// A "KEY=VALUE" list or a mapping, as compose allows for environment, sysctls and labels.
// Map values are scalar text or null; list items without '=' get null (compose then reads the
// variable from the environment, or leaves it out). Keys keep insertion order.
std::optional<Entries> read_key_values(const Value& v, std::string_view field, Diagnostics& diags);

// Lower-cases ASCII.
std::string lower(std::string_view s);

}  // namespace capguard::normalize
