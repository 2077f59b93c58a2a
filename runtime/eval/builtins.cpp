// Dispatch of built-in calls by id, and the argument helpers shared by the families in
// runtime/builtins_*.cpp.

#include "runtime/eval/builtins.hpp"

#include <iterator>

#include "runtime/eval/builtins_support.hpp"

namespace capguard {
namespace builtins_impl {

void fail(std::string_view name, const std::string& message) {
  std::string text(name);
  text += ": ";
  text += message;
  throw RuntimeError(text);
}

void wrong_kind(std::string_view name, size_t index, std::string_view expected, const Value& got) {
  std::string text = "argument " + std::to_string(index + 1) + " must be ";
  text.append(expected);
  text += ", got ";
  text += kind_name(got.kind());
  fail(name, text);
}

const std::string& string_arg(std::string_view name, const Value* args, size_t index) {
  if (!args[index].is_string()) wrong_kind(name, index, "a string", args[index]);
  return args[index].as_string();
}

namespace {

Value matches(const Value* a, size_t n) {
  return regex_call(builtin::Matches, a, n);
}
Value find(const Value* a, size_t n) {
  return regex_call(builtin::Find, a, n);
}
Value find_all(const Value* a, size_t n) {
  return regex_call(builtin::FindAll, a, n);
}

// Indexed by BuiltinId: the order of the enum in lang/check/builtins.hpp.
constexpr BuiltinFn kTable[] = {
    lower,
    upper,
    starts_with,
    ends_with,
    contains,
    split,
    join,
    trim,
    replace,
    len,
    string,
    empty,
    matches,
    find,
    find_all,
    glob,
    path_under,
    clean_path,
    size,
    duration,
    to_bytes,
    to_seconds,
    to_int,
    to_float,
    min,
    max,
    abs,
    sum,
    to_set,
    to_list,
    sort,
    keys,
    values,
    has_key,
    flatten,
    duplicates,
    default_,
    to_caps,
    cap_name,
    is_capability,
    unknown_caps,
    all_caps,
    docker_default_caps,
    dangerous_caps,
    effective_caps,
    type_of,
};

}  // namespace
}  // namespace builtins_impl

Value call_builtin(BuiltinId id, const Value* args, size_t n) {
  if (id >= builtin::Count_) {
    throw RuntimeError("internal error: unknown built-in id " + std::to_string(id));
  }
  return builtins_impl::kTable[id](args, n);
}

}  // namespace capguard
