#pragma once
// Typing of YAML scalars as docker compose does it (compose-go decodes with go-yaml v3, whose
// resolver is the YAML 1.2 core schema plus a few go-yaml leniencies). Used by the YAML loader;
// kept apart so the rules can be tested and read on their own.

#include <optional>
#include <string>

#include "lang/core/source.hpp"
#include "lang/core/value.hpp"

namespace capguard {

// A plain (unquoted, untagged) scalar: true/True/TRUE/false/False/FALSE are bools;
// null/Null/NULL/~ and "" are null; integers in Go's base-0 syntax after removing `_`
// (decimal, 0x.., 0o.., 0b.., legacy 0777 octal, optional sign) are ints; decimal floats with
// optional exponent and .inf/-.inf/.nan are floats; everything else, timestamps included, is a
// string (yes/no/on/off too: YAML 1.2).
Value resolve_plain_scalar(const std::string& text, Span span);
// The same without building the string: nullopt when the scalar is a string (its text).
std::optional<Value> resolve_plain_scalar_typed(const std::string& text, Span span);

// A scalar with an explicit tag. The YAML core tags (!!str, !!int, !!float, !!bool, !!null)
// convert or fail (nullopt: the text does not fit the tag); "!" (a quoted or block scalar) is a
// string; any other tag (`!reset`, `!override`, unknown local tags) types the text as plain.
std::optional<Value> resolve_tagged_scalar(const std::string& tag, const std::string& text,
                                           Span span);

// Integer in Go's strconv.ParseInt(text, 0, 64) syntax after removing '_' (no other forms).
std::optional<int64_t> parse_go_int(const std::string& text);

}  // namespace capguard
