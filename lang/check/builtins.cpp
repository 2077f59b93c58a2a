// Signatures of the built-in functions: arity, the argument types each accepts, and the result
// type. Conventions the checks share (spec/builtins.md):
//   - an argument of static type `any` is accepted and checked at run time;
//   - a subject that may be null (nullable, null or any) is accepted where the built-in defines
//     a result for null, and then the result type is nullable when the built-in returns null;
//   - operands that must be present (a prefix, a pattern, a separator) are not checked for
//     nullability statically: a null there is a runtime error.

#include "lang/check/builtins.hpp"

#include <initializer_list>
#include <unordered_map>

#include "lang/check/builtin_types.hpp"

namespace capguard {
namespace {

using namespace builtin_types;
using K = TypeKind;

const std::vector<BuiltinSignature>& table() {
  static const std::vector<BuiltinSignature> signatures = {
      {builtin::Lower, "lower", 1, 1, string_transform<builtin::Lower>, true, "ASCII lower case"},
      {builtin::Upper, "upper", 1, 1, string_transform<builtin::Upper>, true, "ASCII upper case"},
      {builtin::StartsWith, "starts_with", 2, 2, string_predicate<builtin::StartsWith>, true,
       "whether a string starts with a prefix"},
      {builtin::EndsWith, "ends_with", 2, 2, string_predicate<builtin::EndsWith>, true,
       "whether a string ends with a suffix"},
      {builtin::Contains, "contains", 2, 2, check_contains, true,
       "substring, list/set membership, map key, or capability subset"},
      {builtin::Split, "split", 2, 2, check_split, true, "split a string at each separator"},
      {builtin::Join, "join", 2, 2, check_join, true, "join items with a separator"},
      {builtin::Trim, "trim", 1, 1, string_transform<builtin::Trim>, true,
       "remove leading and trailing white space"},
      {builtin::Replace, "replace", 3, 3, check_replace, true,
       "replace every occurrence of a substring"},
      {builtin::Len, "len", 1, 1, check_len, true,
       "length of a string (code points), list, set, map or caps"},
      {builtin::String, "string", 1, 1, check_string, true, "display text of any value"},
      {builtin::Empty, "empty", 1, 1, check_empty, true,
       "whether a value is null, \"\", [], {} or no capabilities"},
      {builtin::Matches, "matches", 2, 2, string_predicate<builtin::Matches>, true,
       "whether a regular expression (RE2) matches part of a string"},
      {builtin::Find, "find", 2, 2, check_find, true,
       "first match of a regular expression, or null"},
      {builtin::FindAll, "find_all", 2, 2, check_find_all, true,
       "every non-overlapping match of a regular expression"},
      {builtin::Glob, "glob", 2, 2, string_predicate<builtin::Glob>, true,
       "whether a string matches a glob pattern (* ? [...] **)"},
      {builtin::PathUnder, "path_under", 2, 2, string_predicate<builtin::PathUnder>, true,
       "whether a path is a directory or lies below it"},
      {builtin::CleanPath, "clean_path", 1, 1, string_transform<builtin::CleanPath>, true,
       "normalize a slash path (//, ., .., trailing /)"},
      {builtin::Size, "size", 1, 1, check_size, true, "a size from \"256M\"-style text or bytes"},
      {builtin::Duration, "duration", 1, 1, check_duration, true,
       "a duration from \"1m30s\"-style text or nanoseconds"},
      {builtin::ToBytes, "to_bytes", 1, 1, check_to_bytes, true, "bytes of a size, as an int"},
      {builtin::ToSeconds, "to_seconds", 1, 1, check_to_seconds, true,
       "seconds of a duration, as a float"},
      {builtin::Int, "int", 1, 1, check_conversion<K::Int>, true, "convert to int"},
      {builtin::Float, "float", 1, 1, check_conversion<K::Float>, true, "convert to float"},
      {builtin::Min, "min", 1, kVariadic, check_extreme<builtin::Min>, true,
       "smallest argument, or smallest item of one list"},
      {builtin::Max, "max", 1, kVariadic, check_extreme<builtin::Max>, true,
       "largest argument, or largest item of one list"},
      {builtin::Abs, "abs", 1, 1, check_abs, true, "absolute value"},
      {builtin::Sum, "sum", 1, 2, check_sum, true, "sum of the items, plus an optional start"},
      {builtin::Set, "set", 1, 1, check_collection<builtin::Set>, true, "a set of the items"},
      {builtin::List, "list", 1, 1, check_collection<builtin::List>, true, "a list of the items"},
      {builtin::Sort, "sort", 1, 1, check_collection<builtin::Sort>, true,
       "the items in ascending order"},
      {builtin::Keys, "keys", 1, 1, check_keys, true, "keys of a map, in order"},
      {builtin::Values, "values", 1, 1, check_values, true, "values of a map, in order"},
      {builtin::HasKey, "has_key", 2, 2, check_has_key, true, "whether a map has a key"},
      {builtin::Flatten, "flatten", 1, 1, check_flatten, true, "concatenate a list of lists"},
      {builtin::Duplicates, "duplicates", 1, 1, check_duplicates, true,
       "the items that occur more than once, as a set"},
      {builtin::Default, "default", 2, 2, check_default, true,
       "the first argument unless it is null, else the second"},
      {builtin::Caps, "caps", 1, 1, check_caps, true,
       "capabilities named by strings (unknown names ignored)"},
      {builtin::CapName, "cap_name", 1, 1, check_cap_name, true,
       "canonical capability name, or null if unknown"},
      {builtin::IsCapability, "is_capability", 1, 1, string_predicate<builtin::IsCapability>, true,
       "whether a string names a capability"},
      {builtin::UnknownCaps, "unknown_caps", 1, 1, check_unknown_caps, true,
       "the names that are not capabilities, as written"},
      {builtin::AllCaps, "all_caps", 0, 0, constant_caps, true, "every capability"},
      {builtin::DockerDefaultCaps, "docker_default_caps", 0, 0, constant_caps, true,
       "Docker's 14 default capabilities"},
      {builtin::DangerousCaps, "dangerous_caps", 0, 0, constant_caps, true,
       "capabilities that give a path to host root or kernel control"},
      {builtin::EffectiveCaps, "effective_caps", 3, 3, check_effective_caps, true,
       "Docker's effective set from privileged, cap_add and cap_drop"},
      {builtin::TypeOf, "type_of", 1, 1, check_type_of, true, "the kind name of a value"},
  };
  return signatures;
}

}  // namespace

// In id order: tests/unit/lang/check/builtins_signatures_test.cpp checks that signature i has id i.
const std::vector<BuiltinSignature>& builtin_signatures() {
  return table();
}

const BuiltinSignature* find_builtin(std::string_view name) {
  static const std::unordered_map<std::string_view, const BuiltinSignature*> by_name = [] {
    std::unordered_map<std::string_view, const BuiltinSignature*> map;
    for (const BuiltinSignature& sig : table()) map.emplace(sig.name, &sig);
    return map;
  }();
  auto it = by_name.find(name);
  return it == by_name.end() ? nullptr : it->second;
}

std::vector<std::string> builtin_names() {
  std::vector<std::string> names;
  for (const BuiltinSignature& sig : table()) names.emplace_back(sig.name);
  return names;
}

}  // namespace capguard
