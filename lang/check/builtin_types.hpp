#pragma once
// The type rules of the built-ins (the `check` functions of lang/check/builtins.cpp's table),
// grouped by the shape they share. Each takes the static argument types (arity already checked) and
// returns the result type, or nullptr with "argument N of NAME must be ..., got T" in `error`.

#include <string>
#include <vector>

#include "lang/check/builtins.hpp"
#include "lang/core/types.hpp"

namespace capguard::builtin_types {

using Args = std::vector<TypePtr>;

// f(s: string?) -> string (nullable when s may be null): lower, upper, trim, clean_path.
TypePtr check_string_transform(BuiltinId id, const Args& a, std::string& error);
// f(s: string?, operand: string) -> bool, or f(s: string?) -> bool: starts_with, ends_with,
// matches, glob, path_under, is_capability.
TypePtr check_string_predicate(BuiltinId id, const Args& a, std::string& error);
// int(x), float(x) -> the target kind (nullable when x may be null).
TypePtr check_conversion(TypeKind target, const Args& a, std::string& error);
// min/max: over the arguments or one list's items.
TypePtr check_extreme(BuiltinId id, const Args& a, std::string& error);
// set/list/sort over a list, set, map (entries) or caps (names).
TypePtr check_collection(BuiltinId id, const Args& a, std::string& error);

template <BuiltinId Id>
TypePtr string_transform(const Args& a, std::string& error) {
  return check_string_transform(Id, a, error);
}
template <BuiltinId Id>
TypePtr string_predicate(const Args& a, std::string& error) {
  return check_string_predicate(Id, a, error);
}
template <TypeKind Target>
TypePtr check_conversion(const Args& a, std::string& error) {
  return check_conversion(Target, a, error);
}
template <BuiltinId Id>
TypePtr check_extreme(const Args& a, std::string& error) {
  return check_extreme(Id, a, error);
}
template <BuiltinId Id>
TypePtr check_collection(const Args& a, std::string& error) {
  return check_collection(Id, a, error);
}

TypePtr check_contains(const Args& a, std::string& error);
TypePtr check_split(const Args& a, std::string& error);
TypePtr check_join(const Args& a, std::string& error);
TypePtr check_replace(const Args& a, std::string& error);
TypePtr check_len(const Args& a, std::string& error);
TypePtr check_string(const Args& a, std::string& error);
TypePtr check_empty(const Args& a, std::string& error);
TypePtr check_find(const Args& a, std::string& error);
TypePtr check_find_all(const Args& a, std::string& error);
TypePtr check_size(const Args& a, std::string& error);
TypePtr check_duration(const Args& a, std::string& error);
TypePtr check_to_bytes(const Args& a, std::string& error);
TypePtr check_to_seconds(const Args& a, std::string& error);
TypePtr check_abs(const Args& a, std::string& error);
TypePtr check_sum(const Args& a, std::string& error);
TypePtr check_keys(const Args& a, std::string& error);
TypePtr check_values(const Args& a, std::string& error);
TypePtr check_has_key(const Args& a, std::string& error);
TypePtr check_flatten(const Args& a, std::string& error);
TypePtr check_duplicates(const Args& a, std::string& error);
TypePtr check_default(const Args& a, std::string& error);
TypePtr check_caps(const Args& a, std::string& error);
TypePtr check_cap_name(const Args& a, std::string& error);
TypePtr check_unknown_caps(const Args& a, std::string& error);
TypePtr constant_caps(const Args& a, std::string& error);
TypePtr check_effective_caps(const Args& a, std::string& error);
TypePtr check_type_of(const Args& a, std::string& error);

}  // namespace capguard::builtin_types
