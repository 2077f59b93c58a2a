#pragma once
// Internal to the built-in implementations (runtime/builtins_*.cpp): the per-family entry points
// that runtime/eval/builtins.cpp puts into its dispatch table, and the argument helpers they share.
// Every entry point has the signature of BuiltinFn; the checker has verified the arity.

#include <cstddef>
#include <string>
#include <string_view>

#include "lang/core/value.hpp"
#include "runtime/eval/builtins.hpp"

namespace capguard::builtins_impl {

using BuiltinFn = Value (*)(const Value* args, size_t n);

// Throws RuntimeError("NAME: MESSAGE").
[[noreturn]] void fail(std::string_view name, const std::string& message);
// Throws RuntimeError("NAME: argument I must be EXPECTED, got KIND") (I counted from 1).
[[noreturn]] void wrong_kind(std::string_view name, size_t index, std::string_view expected,
                             const Value& got);
// The string at args[index], or a RuntimeError naming the built-in.
const std::string& string_arg(std::string_view name, const Value* args, size_t index);

// strings (builtins_strings.cpp)
Value lower(const Value* a, size_t n);
Value upper(const Value* a, size_t n);
Value starts_with(const Value* a, size_t n);
Value ends_with(const Value* a, size_t n);
Value contains(const Value* a, size_t n);
Value split(const Value* a, size_t n);
Value join(const Value* a, size_t n);
Value trim(const Value* a, size_t n);
Value replace(const Value* a, size_t n);
Value len(const Value* a, size_t n);
Value string(const Value* a, size_t n);
Value empty(const Value* a, size_t n);

// regular expressions (builtins_regex.cpp): matches, find, find_all with a pattern compiled
// through the per-thread cache.
Value regex_call(BuiltinId id, const Value* a, size_t n);

// globs and paths (builtins_paths.cpp)
Value glob(const Value* a, size_t n);
Value path_under(const Value* a, size_t n);
Value clean_path(const Value* a, size_t n);

// sizes, durations and numbers (builtins_numbers.cpp)
Value size(const Value* a, size_t n);
Value duration(const Value* a, size_t n);
Value to_bytes(const Value* a, size_t n);
Value to_seconds(const Value* a, size_t n);
Value to_int(const Value* a, size_t n);
Value to_float(const Value* a, size_t n);
Value min(const Value* a, size_t n);
Value max(const Value* a, size_t n);
Value abs(const Value* a, size_t n);
Value sum(const Value* a, size_t n);

// lists, sets and maps (builtins_collections.cpp)
Value to_set(const Value* a, size_t n);
Value to_list(const Value* a, size_t n);
Value sort(const Value* a, size_t n);
Value keys(const Value* a, size_t n);
Value values(const Value* a, size_t n);
Value has_key(const Value* a, size_t n);
Value flatten(const Value* a, size_t n);
Value duplicates(const Value* a, size_t n);
Value default_(const Value* a, size_t n);
Value type_of(const Value* a, size_t n);

// capabilities (builtins_caps.cpp)
Value to_caps(const Value* a, size_t n);
Value cap_name(const Value* a, size_t n);
Value is_capability(const Value* a, size_t n);
Value unknown_caps(const Value* a, size_t n);
Value all_caps(const Value* a, size_t n);
Value docker_default_caps(const Value* a, size_t n);
Value dangerous_caps(const Value* a, size_t n);
Value effective_caps(const Value* a, size_t n);

}  // namespace capguard::builtins_impl
