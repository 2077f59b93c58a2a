#pragma once
// Declared types of params and the values they hold: shared by the compiler (param defaults,
// test overrides) and runtime/eval/params.cpp (values from --param and params files), so that a
// value is accepted or refused the same way wherever it comes from.

#include <optional>
#include <string>

#include "lang/core/types.hpp"
#include "lang/core/value.hpp"
#include "lang/syntax/ast.hpp"

namespace capguard {

// The type a TypeRef names: bool int float string size duration caps any, list[T] set[T] map[T],
// or a schema object. Unknown names give Any (the checker has already reported them).
TypePtr resolve_type(const ast::TypeRef& ref, const Schema& schema);

// `v` as a value of type `t`, or nullopt with the reason in `error` ("expected caps, got int").
// Conversions: an int is a float where a float is wanted; strings and lists of capability names
// are caps; a string with a unit is a size or a duration; a list is a set where a set is wanted
// (and elements are converted recursively). Null is accepted for nullable types and Any.
std::optional<Value> coerce_value(const Value& v, const Type& t, std::string& error);

}  // namespace capguard
